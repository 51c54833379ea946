/**
 * ReLU's `'wasm'` engine (asm/elementwise.ts, 4 lanes per step, the same bits as the JS loops),
 * on JS arrays copied into wasm memory and back.
 */
import { loadedKernels } from './runtime';

/** y[i] = max(0, x[i]) (NaN propagates, −0 becomes +0, as the JS loop). */
export function reluInWasm(x: Float32Array): Float32Array {
  const m = loadedKernels('relu');
  const n = x.length;
  const px = m.copyIn(x, 0, n);
  m.k.reluForward(px, px, n); // in place in wasm memory
  return m.copyOut(px, n);
}

/** dx[i] = dy[i]·(x[i] > 0), as a multiply (NaN/∞ dy stays NaN, −dy becomes −0). */
export function reluBackwardInWasm(dy: Float32Array, x: Float32Array): Float32Array {
  const m = loadedKernels('reluBackward');
  const n = x.length;
  const pdy = m.copyIn(dy, 0, n);
  const px = m.copyIn(x, 0, n);
  m.k.reluBackward(pdy, px, pdy, n);
  return m.copyOut(pdy, n);
}

/** a[i] += b[i] in float32 (the same bits as the JS loop of src/layers/base.ts `accumulate`). */
export function addIntoInWasm(a: Float32Array, b: Float32Array): void {
  const m = loadedKernels('accumulate');
  const n = a.length;
  const pa = m.copyIn(a, 0, n);
  const pb = m.copyIn(b, 0, n);
  m.k.addInto(pa, pb, n);
  m.copyBack(pa, a);
}
