/**
 * The one result format every benchmark suite returns: flat rows, easy to diff, plot or store.
 * `{ case: "S3-bwd", impl: "fast", metric: "gflops", value: 5.6, unit: "GFLOP/s" }`
 */
import { writeFileAtomic } from '../src/util/write-atomic';
import type { TorchSession } from './torch-peer';

export interface BenchRow {
  /** What was run, e.g. 'S1-fwd' (shape set + pass). */
  case: string;
  /** Which implementation/backend, e.g. 'naive', 'fast', 'tfjs-wasm'. */
  impl: string;
  /** What was measured, e.g. 'gflops', 'ms'. */
  metric: string;
  value: number;
  unit: string;
}

/** What `npm run bench` passes to every suite. */
export interface BenchOptions {
  /** Keep the whole run short (smaller batches, fewer repetitions). */
  quick: boolean;
  /** Progress lines (stderr), so a long run shows it is alive. */
  log: (line: string) => void;
  /**
   * PyTorch, one peer process for the whole run (bench/torch-peer.ts): the conv and train suites
   * interleave their timings with it. Absent: no pytorch rows from those suites.
   */
  torch?: TorchSession;
}

/** A suite is one file exporting an async function that returns rows. */
export interface BenchSuite {
  name: string;
  run(opts: BenchOptions): Promise<BenchRow[]>;
}

/** Write the rows as a JSON array via temp file + rename, so readers never see half a file. */
export function writeRowsJson(file: string, rows: BenchRow[]): void {
  writeFileAtomic(file, JSON.stringify(rows, null, 2) + '\n');
}

function fmtValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

/**
 * A readable table: one line per (case, metric), one column per impl, and, when both a
 * 'naive' and another impl are present, the speed-up over naive for throughput metrics.
 */
export function formatRows(rows: BenchRow[]): string {
  const impls = [...new Set(rows.map((r) => r.impl))];
  const keys = [...new Set(rows.map((r) => `${r.case}\u0000${r.metric}\u0000${r.unit}`))];
  const showSpeedup = impls.includes('naive') && impls.length > 1;
  const header = ['case', 'metric', ...impls, ...(showSpeedup ? impls.filter((i) => i !== 'naive').map((i) => `${i}/naive`) : [])];
  const lines: string[][] = [header];
  for (const key of keys) {
    const [c, metric, unit] = key.split('\u0000');
    const value = (impl: string) => rows.find((r) => r.case === c && r.metric === metric && r.impl === impl)?.value;
    const cells = impls.map((i) => {
      const v = value(i);
      return v === undefined ? '' : fmtValue(v);
    });
    const speedups = showSpeedup
      ? impls.filter((i) => i !== 'naive').map((i) => {
          const v = value(i);
          const n = value('naive');
          if (v === undefined || n === undefined || n === 0) return '';
          // Throughput: bigger is better; time: smaller is better.
          return `${fmtValue(unit === 'ms' || unit === 's' ? n / v : v / n)}×`;
        })
      : [];
    lines.push([c, `${metric} (${unit})`, ...cells, ...speedups]);
  }
  const widths = header.map((_, k) => Math.max(...lines.map((l) => (l[k] ?? '').length)));
  return lines.map((l) => l.map((s, k) => (k < 2 ? s.padEnd(widths[k]) : s.padStart(widths[k]))).join('  ')).join('\n');
}

/** Threads tscnn's kernels use in every suite, as PyTorch's 2 (bench/run.ts, bench/models.ts). */
export const BENCH_THREADS = 2;
