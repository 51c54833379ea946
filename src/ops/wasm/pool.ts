/**
 * Max pooling's `'wasm'` engine: the 2×2, stride-2 forward with argmax (asm/pool.ts: the same
 * tie/NaN rule as the JS loops, bit-identical, ~5× faster than the branchy scalar loop on real
 * data) and the backward scatter-add, on JS arrays copied into wasm memory and back.
 */
import { loadedKernels } from './runtime';

/**
 * y [planes, oh, ow] and indices (flat iy·w + ix inside each h×w plane) of 2×2, stride-2 max
 * pooling over x [planes, h, w]; every window must lie inside the plane (the caller checks).
 */
export function maxPool2x2s2InWasm(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number, h: number, w: number, oh: number, ow: number,
): void {
  const m = loadedKernels('maxPool2d');
  const px = m.copyIn(xd, 0, xd.length);
  const py = m.alloc(yd.length * 4);
  const pi = m.alloc(indices.length * 4);
  m.k.maxPool2x2s2(px, py, pi, planes, h, w, oh, ow);
  m.copyBack(py, yd);
  indices.set(new Int32Array(m.memory.buffer, pi, indices.length));
}

/**
 * dx [planes, hw]: zeros, then dy[o] added at idx[o] of its plane (perPlane outputs per plane).
 * Returns dx, or the first position whose index lies outside its plane (the caller reports it).
 */
export function maxPoolBackwardInWasm(dy: Float32Array, idx: Int32Array, planes: number, hw: number, perPlane: number): Float32Array | number {
  const m = loadedKernels('maxPool2dBackward');
  const pdy = m.copyIn(dy, 0, dy.length);
  const pi = m.alloc(idx.length * 4);
  new Int32Array(m.memory.buffer, pi, idx.length).set(idx);
  const pdx = m.alloc(planes * hw * 4);
  const bad = m.k.maxPoolBackward(pdy, pi, pdx, planes, hw, perPlane);
  return bad >= 0 ? bad : m.copyOut(pdx, planes * hw);
}
