import { im2col } from './src/ops/im2col';
import { wasmKernels } from './src/ops/wasm/runtime';
import { conv2d } from './src/ops/conv2d';
import { randn } from './src/tensor';
const m = wasmKernels()!;
const geom = { C: 1, H: 28, W: 28, KH: 5, KW: 5, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, pad: { top: 0, bottom: 0, left: 0, right: 0 }, Ho: 24, Wo: 24 };
const x = randn([64, 1, 28, 28]).data;
const cols = new Float32Array(25 * 576);
m.reset(); const px = m.copyIn(x, 0, x.length); const pc = m.alloc(25 * 576 * 4); const f = m.f32;
for (let r = 0; r < 5; r++) {
  let t0 = performance.now();
  for (let i = 0; i < 640; i++) im2col(x, (i % 64) * 784, geom, cols, 0);
  const a = (performance.now() - t0) / 640;
  t0 = performance.now();
  for (let i = 0; i < 640; i++) im2col(f, (px >> 2) + (i % 64) * 784, geom, f, pc >> 2);
  const b = (performance.now() - t0) / 640;
  const xx = randn([64, 1, 28, 28]); const w = randn([6, 1, 5, 5]); const bb = randn([6]);
  t0 = performance.now();
  for (let i = 0; i < 10; i++) conv2d(xx, w, bb, { impl: 'wasm' });
  const c = (performance.now() - t0) / 10;
  console.log(`im2col js-array ${(a * 1000).toFixed(1)} µs, wasm-view ${(b * 1000).toFixed(1)} µs; S1 fwd wasm ${c.toFixed(2)} ms`);
}
