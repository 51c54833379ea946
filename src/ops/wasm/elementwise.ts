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

/**
 * Values a block of `addIntoInWasm` holds (4 MiB an operand): the arena then stays small for any
 * parameter — VGG16's fc6 gradient (102.8 M values) whole would grow wasm memory by 0.8 GB
 * (peak RSS of its training step 2,925 → 3,311 MiB), and wasm memory never shrinks.
 */
const ADD_BLOCK = 1 << 20;

/** a[i] += b[i] in float32 (the same bits as the JS loop of src/layers/base.ts `accumulate`), a block at a time. */
export function addIntoInWasm(a: Float32Array, b: Float32Array): void {
  const m = loadedKernels('accumulate');
  for (let at = 0; at < a.length; at += ADD_BLOCK) {
    const n = Math.min(ADD_BLOCK, a.length - at);
    m.reset();
    const pa = m.copyIn(a, at, n);
    const pb = m.copyIn(b, at, n);
    m.k.addInto(pa, pb, n);
    a.set(m.f32.subarray(pa >> 2, (pa >> 2) + n), at);
  }
}
