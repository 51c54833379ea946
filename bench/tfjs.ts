/**
 * TensorFlow.js on the same convolution cases as bench/conv.ts, on every backend that loads here
 * (tfjs-node-gpu, tfjs-node, wasm, cpu). Each pass calls the kernel tfjs itself dispatches:
 * Conv2D (fwd), Conv2DBackpropInput (dx), Conv2DBackpropFilter (dw; on wasm the one tscnn
 * registers from wasm's own kernels, see src/tfjs/wasm-kernels.ts), bwd = dx + dw.
 *
 * Very slow kernels (tfjs-cpu's dW runs at ~0.005 GFLOP/s: one S3 image takes 90 s) are timed on
 * a crop — one image, at most 16×16 pixels, all channels — when the full batch would exceed the
 * time budget: GFLOP/s is a rate, and the crop keeps the kernel's loop structure.
 */
import type * as TF from '@tensorflow/tfjs';
import { conv2dFlops, conv2dOutputShape } from '../src/ops/conv2d';
import { Rng, randn } from '../src/tensor';
import { availableTfBackends, loadTf } from '../src/tfjs/backend';
import { toTf } from '../src/tfjs/layout';
import { CONV_CASES } from './conv';
import type { BenchOptions, BenchRow } from './rows';
import { timeIt, TimingOptions } from './timing';

export async function tfjsConvBench(o: BenchOptions): Promise<BenchRow[]> {
  const timing: TimingOptions = o.quick
    ? { warmupMs: 100, minReps: 3, minTimeMs: 150, maxTimeMs: 600, maxReps: 20 }
    : { warmupMs: 500, minReps: 5, minTimeMs: 1000, maxTimeMs: 6000, maxReps: 50 };
  const budgetMs = o.quick ? 1500 : 6000;
  const rows: BenchRow[] = [];
  for (const backend of await availableTfBackends()) {
    const h = await loadTf(backend);
    const tf = h.tf;
    const impl = `tfjs-${backend}`;
    o.log(`tfjs conv: ${h.describe()}`);
    const rng = new Rng(2026);
    for (const c of CONV_CASES) {
      const full = o.quick && c.name === 'S3' ? [1, ...c.x.slice(1)] : c.x;
      const pad = c.opts.padding ? ([[0, 0], [c.opts.padding as number, c.opts.padding as number], [c.opts.padding as number, c.opts.padding as number], [0, 0]] as never) : 'valid';
      const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
      const w = toTf(tf, randn(c.w, { rng }), 'conv-weight');
      const filterShape = w.shape;
      const passes = (xShape: number[]) => {
        const x = toTf(tf, randn(xShape, { rng }));
        const dy = toTf(tf, randn(conv2dOutputShape(xShape, c.w, c.opts), { rng }));
        const flops = conv2dFlops(xShape, c.w, c.opts);
        const run = (name: string, inputs: Record<string, TF.Tensor>, extra: Record<string, unknown> = {}) => () => {
          const out = tf.engine().runKernel(name, inputs as never, { ...attrs, ...extra } as never) as TF.Tensor;
          out.dataSync(); // wait for the result (and count the read-back, as a user would)
          out.dispose();
        };
        const fwd = run('Conv2D', { x, filter: w });
        const dx = run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: x.shape });
        const dw = run('Conv2DBackpropFilter', { x, dy }, { filterShape });
        return {
          list: [
            { metric: 'fwd', flops, fn: fwd },
            { metric: 'dx', flops, fn: dx },
            { metric: 'dw', flops, fn: dw },
            { metric: 'bwd', flops: 2 * flops, fn: () => (dx(), dw()) },
          ],
          dispose: () => (x.dispose(), dy.dispose()),
        };
      };
      const big = passes(full);
      const crop = [1, full[1], Math.min(full[2], 16), Math.min(full[3], 16)];
      const small = passes(crop);
      for (let i = 0; i < big.list.length; i++) {
        // probe on the crop: would the full batch fit the budget?
        const t0 = Date.now();
        small.list[i].fn();
        const projected = ((Date.now() - t0) * big.list[i].flops) / small.list[i].flops;
        const p = projected > budgetMs ? small.list[i] : big.list[i];
        const t = timeIt(p.fn, timing);
        const gflops = p.flops / (t.medianMs * 1e6);
        rows.push({ case: `${c.name}-${p.metric}`, impl, metric: 'gflops', value: gflops, unit: 'GFLOP/s' });
        o.log(`  ${c.name}-${p.metric} ${impl} ${t.medianMs.toFixed(2).padStart(9)} ms  ${gflops.toFixed(3).padStart(7)} GFLOP/s${p === small.list[i] ? ` (crop x=[${crop}])` : ''}`);
      }
      big.dispose();
      small.dispose();
      w.dispose();
    }
  }
  await loadTf().catch(() => undefined);
  return rows;
}
