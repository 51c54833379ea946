/**
 * Convolution benchmark: naive loops vs im2col + GEMM on the same inputs, for the forward pass,
 * dX, dW and the whole backward (dX + dW + db), on three layer shapes:
 *   S1  LeNet-5 C1   x=[64,1,28,28]  w=[6,1,5,5]
 *   S2  LeNet-5 C3   x=[64,6,14,14]  w=[16,6,5,5]
 *   S3  a VGG block  x=[8,64,56,56]  w=[64,64,3,3] pad 1   (--quick: batch 1)
 * FLOPs: forward 2·N·Cout·Ho·Wo·(Cin/g)·KH·KW; dX and dW the same count each; bwd twice that.
 * Rows per (case, impl): 'gflops' (FLOPs / median wall time) and 'time' (median wall ms).
 * 'naive' is one timing window; 'fast' the best of a few windows (bench/interleave.ts), each
 * followed, when PyTorch is there (bench/torch-peer.ts), by one of PyTorch's on the same pass:
 * 'pytorch' rows (GFLOP/s) from the same minutes as 'fast'. Every fast result is compared with
 * naive's, so a broken fast path cannot post a number.
 */
import { conv2d, conv2dBackward, conv2dFlops, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, Conv2dOptions } from '../src/ops/conv2d';
import { Impl } from '../src/ops/engine';
import { fastPathInfo } from '../src/ops/wasm/runtime';
import { Rng, Tensor, randn } from '../src/tensor';
import { alternate, bestRound, fmtRounds, interleaveRounds } from './interleave';
import type { BenchOptions, BenchRow } from './rows';
import { timeIt, TimingOptions } from './timing';
import type { TorchConvRequest } from './torch-peer';

export interface ConvCase {
  name: string;
  x: number[];
  w: number[];
  opts: Conv2dOptions;
}

export const CONV_CASES: ConvCase[] = [
  { name: 'S1', x: [64, 1, 28, 28], w: [6, 1, 5, 5], opts: {} },
  { name: 'S2', x: [64, 6, 14, 14], w: [16, 6, 5, 5], opts: {} },
  { name: 'S3', x: [8, 64, 56, 56], w: [64, 64, 3, 3], opts: { padding: 1 } },
];

/** Largest |a − b| relative to max |b|: the benches also check that implementations agree. */
export function relDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let s = 1e-30;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

export interface ConvPass {
  metric: 'fwd' | 'dx' | 'dw' | 'bwd';
  flops: number;
  run: (impl: Impl) => Tensor;
}

/** The input shape a run uses: S3 at batch 1 under --quick (its batch 8 takes seconds a pass). */
export function caseXShape(c: ConvCase, quick: boolean): number[] {
  return quick && c.name === 'S3' ? [1, ...c.x.slice(1)] : c.x;
}

/**
 * The inputs of one case (S3 with batch 1 under --quick) and its four passes; every suite that
 * times conv2d (this one, bench/fast.ts) runs the same inputs through the same calls.
 */
export function convPasses(c: ConvCase, rng: Rng, quick: boolean): { xShape: number[]; flops: number; passes: ConvPass[] } {
  const xShape = caseXShape(c, quick);
  const x = randn(xShape, { rng });
  const w = randn(c.w, { rng, std: Math.sqrt(2 / (c.w[1] * c.w[2] * c.w[3])) });
  const b = randn([c.w[0]], { rng });
  const dy = randn(conv2dOutputShape(xShape, c.w, c.opts), { rng });
  const flops = conv2dFlops(xShape, c.w, c.opts);
  return {
    xShape,
    flops,
    passes: [
      { metric: 'fwd', flops, run: (impl) => conv2d(x, w, b, { ...c.opts, impl }) },
      { metric: 'dx', flops, run: (impl) => conv2dGradInput(dy, x, w, { ...c.opts, impl }) },
      { metric: 'dw', flops, run: (impl) => conv2dGradWeight(dy, x, w, { ...c.opts, impl }) },
      { metric: 'bwd', flops: 2 * flops, run: (impl) => conv2dBackward(dy, x, w, { ...c.opts, impl }).dx },
    ],
  };
}

/**
 * The peer's request for one pass of a case. Only padding travels (S1–S3 use nothing else): a case
 * with other options would need them in bench/torch_bench.py too, so it is refused here.
 */
export function torchConvRequest(c: ConvCase, xShape: number[], pass: ConvPass['metric'], minTime: number): TorchConvRequest {
  const { padding = 0, ...rest } = c.opts;
  if (Object.keys(rest).length || typeof padding === 'string') {
    throw new Error(`torchConvRequest: ${c.name}: only a numeric padding is sent to PyTorch, got options ${JSON.stringify(c.opts)}`);
  }
  return { case: c.name, pass, x: xShape, w: c.w, padding, minTime };
}

/**
 * 'naive' (the teaching loops) and 'fast' (what users get: im2col + GEMM, on the WebAssembly
 * SIMD kernels where they loaded, else plain JS), and 'pytorch' beside 'fast' when the run has a
 * peer. The 'fast' suite (fast.ts) puts 'js' and 'wasm' columns beside these under the same case
 * names.
 */
export async function convBench(o: BenchOptions): Promise<BenchRow[]> {
  const timing: TimingOptions = o.quick
    ? { warmupMs: 80, minReps: 3, minTimeMs: 120, maxTimeMs: 500, maxReps: 20 }
    : { warmupMs: 500, minReps: 5, minTimeMs: 1000, maxTimeMs: 8000, maxReps: 50 };
  const rows: BenchRow[] = [];
  const rng = new Rng(2026);
  const peer = (await o.torch?.peer()) ?? null;
  const rounds = interleaveRounds(o.quick);
  o.log(`conv: fast path = ${fastPathInfo()}; fast${peer ? ' and pytorch interleaved,' : ''} best of ${rounds} rounds`);
  for (const c of CONV_CASES) {
    const { xShape, flops, passes } = convPasses(c, rng, o.quick);
    o.log(`conv ${c.name}: x=[${xShape}] w=[${c.w}] ${JSON.stringify(c.opts)} — ${(flops / 1e6).toFixed(1)} MFLOP per pass`);
    for (const p of passes) {
      const name = `${c.name}-${p.metric}`;
      const report = (impl: string, ms: number, how: string) => {
        const gflops = p.flops / (ms * 1e6);
        rows.push({ case: name, impl, metric: 'gflops', value: gflops, unit: 'GFLOP/s' });
        // PyTorch's rows have only ever been GFLOP/s; its times are in the progress log
        if (impl !== 'pytorch') rows.push({ case: name, impl, metric: 'time', value: ms, unit: 'ms' });
        o.log(`  ${name} ${impl.padEnd(7)} ${ms.toFixed(2).padStart(9)} ms  ${gflops.toFixed(2).padStart(6)} GFLOP/s  (${how})`);
      };
      // naive: one window, as before: it is the reference, and S3's loops take seconds a call
      const naive = timeIt(() => p.run('naive'), timing);
      report('naive', naive.medianMs, `median of ${naive.reps}`);
      const minTime = timing.minTimeMs / 1000; // the same window length on both sides
      const r = await alternate(
        rounds,
        () => timeIt(() => p.run('fast'), timing),
        peer ? async () => (await peer.time(torchConvRequest(c, xShape, p.metric, minTime))).seconds : undefined,
      );
      for (const t of r.ours) {
        const diff = relDiff(t.result.data, naive.result.data);
        if (!(diff < 1e-4)) throw new Error(`convBench: ${name}: fast and naive disagree (max rel diff ${diff.toExponential(2)})`);
      }
      const oursMs = r.ours.map((t) => t.medianMs);
      report('fast', oursMs[bestRound(oursMs)], `best of ${rounds} rounds' medians: ${fmtRounds(oursMs)} ms`);
      if (peer && o.torch) {
        const theirsMs = r.theirs.map((s) => s * 1000);
        report('pytorch', theirsMs[bestRound(theirsMs)], `best of ${rounds} rounds' medians: ${fmtRounds(theirsMs)} ms`);
        o.torch.measured.add(name);
      }
    }
  }
  if (peer && o.torch) o.torch.notes.push(`S1–S3: fast and pytorch measured interleaved, ${rounds} rounds each, best round reported`);
  return rows;
}
