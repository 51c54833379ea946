/**
 * PyTorch as an optional peer (issue: "measured when present, skipped with a note when not"):
 * the S1–S3 passes and LeNet-5 training, rows with impl 'pytorch', from the run's peer process
 * (bench/torch-peer.ts; Python: TSCNN_TORCH_PYTHON, default Debian's /usr/bin/python3 with
 * python3-torch).
 *
 * The conv and train suites measure PyTorch themselves, interleaved with tscnn; this suite only
 * measures what they did not report in this run (all of it when run alone: `--suite torch`), one
 * window each, so that no row comes twice.
 */
import { conv2dFlops } from '../src/ops/conv2d';
import { caseXShape, CONV_CASES, ConvPass, torchConvRequest } from './conv';
import type { BenchOptions, BenchRow } from './rows';
import { TorchRequest, TorchSession } from './torch-peer';

const CONV_PASSES: ConvPass['metric'][] = ['fwd', 'dx', 'dw', 'bwd'];
const TRAIN_BATCH = 64;

/** What is left to measure: [row case, request, FLOPs per call (0: training, images/s)]. */
function pending(quick: boolean, measured: Set<string>): [string, TorchRequest, number][] {
  const out: [string, TorchRequest, number][] = [];
  for (const c of CONV_CASES) {
    const xShape = caseXShape(c, quick);
    const flops = conv2dFlops(xShape, c.w, c.opts);
    for (const pass of CONV_PASSES) {
      const req = torchConvRequest(c, xShape, pass, quick ? 0.2 : 1.0);
      out.push([`${c.name}-${pass}`, req, pass === 'bwd' ? 2 * flops : flops]);
    }
  }
  out.push(['lenet5-train', { case: 'lenet5', pass: 'train', batch: TRAIN_BATCH, minTime: quick ? 1.0 : 4.0 }, 0]);
  return out.filter(([name]) => !measured.has(name));
}

export async function torchBench(o: BenchOptions): Promise<BenchRow[]> {
  const session = o.torch ?? new TorchSession(o.log); // called on its own: a peer of its own
  try {
    const todo = pending(o.quick, session.measured);
    if (todo.length === 0) {
      o.log('torch: every pytorch row was measured interleaved by the conv and train suites');
      return [];
    }
    const peer = await session.peer();
    if (!peer) return [];
    const rows: BenchRow[] = [];
    for (const [name, req, flops] of todo) {
      const t = await peer.time(req);
      const row: BenchRow = flops
        ? { case: name, impl: 'pytorch', metric: 'gflops', value: flops / t.seconds / 1e9, unit: 'GFLOP/s' }
        : { case: name, impl: 'pytorch', metric: 'imagesPerSec', value: TRAIN_BATCH / t.seconds, unit: 'images/s' };
      rows.push(row);
      session.measured.add(name);
      o.log(`  ${name} pytorch ${row.value.toFixed(2)} ${row.unit}`);
    }
    session.notes.push(`pytorch alone, one window each (not interleaved): ${todo.map(([name]) => name).join(', ')}`);
    return rows;
  } finally {
    if (!o.torch) await session.close();
  }
}
