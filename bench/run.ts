/**
 * `npm run bench -- [--json FILE] [--html FILE] [--quick] [--suite NAME]…`
 *
 * Runs every benchmark suite (or the named ones), prints one readable table and, with --json,
 * writes all rows `{ case, impl, metric, value, unit }` as a JSON array (temp file + rename).
 * A new suite (tfjs backends, LeNet-5 training, PyTorch) is a file exporting
 * `async (opts: BenchOptions) => BenchRow[]`, added to SUITES below.
 */
import { cpus, loadavg } from 'os';
import { setWasmThreads, wasmThreadsReady } from '../src/ops/wasm/threads';
import { cliBench } from './cli';
import { convBench } from './conv';
import { fastBench } from './fast';
import { modelsBench } from './models';
import { writeBenchChart } from './chart';
import { BENCH_THREADS, BenchRow, BenchSuite, formatRows, writeRowsJson } from './rows';
import { tfjsConvBench } from './tfjs';
import { torchBench } from './torch';
import { TorchSession } from './torch-peer';
import { trainBench } from './train';

/** Every suite, in the order they run (all of them unless --suite picks some). */
export const SUITES: BenchSuite[] = [
  { name: 'conv', run: convBench }, // naive vs fast conv2d: fwd, dX, dW, bwd on S1–S3 (and PyTorch, interleaved)
  { name: 'fast', run: fastBench }, // plain-JS vs WebAssembly SIMD engines (GEMM, S1–S3, LeNet-5)
  { name: 'tfjs', run: tfjsConvBench }, // TensorFlow.js backends on S1–S3
  { name: 'train', run: trainBench }, // LeNet-5 training images/s, tscnn vs tfjs (and PyTorch, interleaved)
  { name: 'torch', run: torchBench }, // PyTorch rows conv/train did not measure (optional: skipped when not installed)
  { name: 'models', run: modelsBench }, // AlexNet / VGG16 / LeNet-5 scaling, tscnn vs PyTorch, time and peak RSS
  { name: 'cli', run: cliBench }, // a full MNIST epoch from the command line: seconds and test accuracy
];

const USAGE = 'usage: npm run bench -- [--json FILE] [--html FILE] [--quick] [--suite NAME]…  (suites: ' + SUITES.map((s) => s.name).join(', ') + ')';

interface Args {
  json?: string;
  html?: string;
  quick: boolean;
  suites: string[];
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, suites: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--json' || a === '--html' || a === '--suite') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${a} needs a value\n${USAGE}`);
      if (a === '--json') args.json = v;
      else if (a === '--html') args.html = v;
      else args.suites.push(v);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`bench: unknown argument ${JSON.stringify(a)}\n${USAGE}`);
  }
  for (const s of args.suites) {
    if (!SUITES.some((x) => x.name === s)) throw new Error(`bench: unknown suite ${JSON.stringify(s)}\n${USAGE}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const chosen = args.suites.length ? SUITES.filter((s) => args.suites.includes(s.name)) : SUITES;
  const rows: BenchRow[] = [];
  const t0 = Date.now();
  const log = (line: string) => console.error(line);
  // tscnn on both cores, as PyTorch (torch.set_num_threads(2)): the default 'auto' drops to one
  // thread while another process keeps a core busy, which would make the ratios a thread count's
  // (bench/models.ts passes the same setting to its children)
  setWasmThreads(BENCH_THREADS);
  await wasmThreadsReady();
  // one PyTorch peer for the whole run, started by the first suite that asks (torch-peer.ts)
  const torch = new TorchSession(log);
  try {
    for (const s of chosen) rows.push(...(await s.run({ quick: args.quick, log, torch })));
  } finally {
    await torch.close();
  }
  const load = loadavg().map((v) => v.toFixed(1)).join(' ');
  console.log(
    `\ntscnn benchmarks${args.quick ? ' (--quick)' : ''} — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ` +
      `load average ${load}, ${((Date.now() - t0) / 1000).toFixed(1)} s; tscnn on ${BENCH_THREADS} threads, PyTorch on 2\n`,
  );
  for (const note of torch.notes) console.log(`note: ${note}`);
  if (torch.notes.length) console.log('');
  console.log(formatRows(rows));
  if (args.json) {
    writeRowsJson(args.json, rows);
    console.log(`\nwrote ${rows.length} rows to ${args.json}`);
  }
  if (args.html) {
    writeBenchChart(args.html, rows);
    console.log(`wrote the ratio charts to ${args.html}`);
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
