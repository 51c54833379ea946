import { wasmKernels } from './src/ops/wasm/runtime';
import { conv2d } from './src/ops/conv2d';
import { randn } from './src/tensor';
const m = wasmKernels()!;
const x = randn([64, 1, 28, 28]).data;
m.reset(); const px = m.copyIn(x, 0, x.length); const pw = m.copyIn(randn([150]).data, 0, 150); const pc = m.alloc(25 * 576 * 4); const py = m.alloc(64*6*576*4); const work = m.alloc(m.k.workBytes(576));
const xx = randn([64, 1, 28, 28]); const w = randn([6, 1, 5, 5]); const bb = randn([6]);
for (let r = 0; r < 6; r++) {
  let t0 = performance.now();
  for (let i = 0; i < 640; i++) m.k.im2col(px + (i % 64) * 784 * 4, 1, 28, 28, 5, 5, 1, 1, 1, 1, 0, 0, 24, 24, 0, 24, pc);
  const a = (performance.now() - t0) / 640;
  t0 = performance.now();
  for (let i = 0; i < 640; i++) m.k.gemm(0, 0, 6, 576, 25, 1, pw, 25, pc, 576, 1, py + (i % 64) * 6 * 576 * 4, 576, work);
  const b = (performance.now() - t0) / 640;
  t0 = performance.now();
  for (let i = 0; i < 10; i++) conv2d(xx, w, bb, { impl: 'wasm' });
  const c = (performance.now() - t0) / 10;
  console.log(`wasm im2col ${(a * 1000).toFixed(1)} µs, gemm ${(b * 1000).toFixed(1)} µs; S1 fwd wasm ${c.toFixed(2)} ms`);
}
