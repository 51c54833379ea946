/**
 * Max pooling over [N, C, H, W] (PyTorch's nn.MaxPool2d), forward and backward:
 *   y[n,c,i,j] = max_{p,q} x[n, c, i·S − P + p·D, j·S − P + q·D]   (padding counts as −∞),
 *   dx[n,c,·]  = Σ of the dy whose window that input element won (0 elsewhere).
 * Engines (chosen by the picker, src/ops/engine.ts): the JS loops below (a general one, one for
 * windows inside the plane, one unrolled for 2×2), and the wasm kernels (src/ops/wasm/pool.ts)
 * for 2×2 stride 2 and for the backward scatter once x has ≥ 4,096 floats.
 */
import { fmtShape, opError } from '../tensor/errors';
import { Tensor, zeros } from '../tensor/tensor';
import { pickEngine } from './engine';
import { expectPoolDy, poolGeometry, type Pool2dOptions } from './pool-plan';
import { maxPool2x2s2InWasm, maxPoolBackwardInWasm } from './wasm/pool';

/**
 * Max pooling with the winners' positions: `indices[i]` is the flat index `iy·W + ix` inside x's
 * H·W plane of the element that produced output i (PyTorch's return_indices). The first maximum
 * wins ties; a NaN wins over numbers (NaN propagates, as in PyTorch).
 */
export function maxPool2dWithIndices(
  x: Tensor,
  opts: Pool2dOptions,
  indicesOut?: Int32Array,
): { y: Tensor; indices: Int32Array } {
  const op = 'maxPool2d';
  const g = poolGeometry(op, x, opts, true);
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const y = zeros([n, c, oh, ow]);
  // A caller that keeps its indices privately (the MaxPool2d layer) may hand back last call's
  // array: a fresh one costs a page fault per 4 KB on first write.
  const indices = indicesOut && indicesOut.length === y.size ? indicesOut : new Int32Array(y.size);
  const xd = x.data;
  const yd = y.data;
  // Fast path: every window lies inside x (no padding, no dilation, no ceilMode overhang), so
  // the bounds tests go away. Same scan order and tie/NaN rule as the general loop below.
  if (ph === 0 && pw === 0 && dh === 1 && dw === 1 && (oh - 1) * sh + kh <= h && (ow - 1) * sw + kw <= w) {
    if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && pickEngine('maxPool2d', undefined, xd.length) === 'wasm') {
      maxPool2x2s2InWasm(xd, yd, indices, n * c, h, w, oh, ow);
      return { y, indices };
    }
    if (kh === 2 && kw === 2) maxPool2x2(xd, yd, indices, n * c, h, w, sh, sw, oh, ow);
    else maxPoolInside(xd, yd, indices, n * c, h, w, kh, kw, sh, sw, oh, ow);
    return { y, indices };
  }
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * sw - pw;
        let best = -Infinity;
        let arg = -1;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const v = xd[base + iy * w + ix];
            if (v > best || Number.isNaN(v) || arg < 0) {
              best = v;
              arg = iy * w + ix;
            }
          }
        }
        // Only possible with large dilation: every tap falls in padding or past the edge.
        if (arg < 0) throw opError(op, `window at output (${oy}, ${ox}) covers no input pixel of x ${fmtShape(x.shape)}`);
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
  return { y, indices };
}

/**
 * Max pooling when every window lies inside the plane. A value replaces the running best when it
 * is larger or NaN, so the first maximum wins ties and the last NaN wins (as the general loop).
 */
function maxPoolInside(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number,
  h: number, w: number, kh: number, kw: number, sh: number, sw: number, oh: number, ow: number,
): void {
  const hw = h * w;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * hw;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = oy * sh * w;
      for (let ox = 0; ox < ow; ox++, o++) {
        const start = row0 + ox * sw;
        let best = xd[base + start];
        let arg = start;
        for (let ky = 0; ky < kh; ky++) {
          const r = start + ky * w;
          for (let kx = ky === 0 ? 1 : 0; kx < kw; kx++) {
            const v = xd[base + r + kx];
            if (v > best || v !== v) {
              best = v;
              arg = r + kx;
            }
          }
        }
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
}

/** maxPoolInside unrolled for the common 2×2 window (LeNet, VGG): taps in row-major order. */
function maxPool2x2(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number,
  h: number, w: number, sh: number, sw: number, oh: number, ow: number,
): void {
  const hw = h * w;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * hw;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = oy * sh * w;
      for (let ox = 0; ox < ow; ox++, o++) {
        const k = row0 + ox * sw;
        const p = base + k;
        let best = xd[p];
        let arg = k;
        let v = xd[p + 1];
        if (v > best || v !== v) { best = v; arg = k + 1; }
        v = xd[p + w];
        if (v > best || v !== v) { best = v; arg = k + w; }
        v = xd[p + w + 1];
        if (v > best || v !== v) { best = v; arg = k + w + 1; }
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
}

/**
 * Max pooling: x [N, C, H, W] → y [N, C, OH, OW], y = max over each (dilated) window; padding
 * counts as −∞.
 * @example maxPool2d(tensor([1, 5, 2, 0, 3, 4, 8, 7, 6, 1, 0, 2, 9, 3, 4, 5]).reshape([1, 1, 4, 4]), { kernelSize: 2 }) // [[[[5, 8], [9, 5]]]]
 */
export function maxPool2d(x: Tensor, opts: Pool2dOptions): Tensor {
  return maxPool2dWithIndices(x, opts).y;
}

/**
 * ∂L/∂x [N, C, H, W] of max pooling, given dy [N, C, OH, OW]: each dy goes to the input element
 * that won its window (summed where windows overlap); every other input gets 0. `indices` from
 * the forward pass (maxPool2dWithIndices) saves the search.
 */
export function maxPool2dBackward(dy: Tensor, x: Tensor, opts: Pool2dOptions, indices?: Int32Array): Tensor {
  const op = 'maxPool2dBackward';
  const g = poolGeometry(op, x, opts, true);
  expectPoolDy(op, dy, g);
  const idx = indices ?? maxPool2dWithIndices(x, opts).indices;
  if (idx.length !== dy.size) {
    throw opError(op, `indices has ${idx.length} entries but dy ${fmtShape(dy.shape)} has ${dy.size}`);
  }
  const hw = g.h * g.w;
  const perPlane = g.oh * g.ow;
  if (pickEngine('maxPool2dBackward', undefined, x.size) === 'wasm') {
    const dx = maxPoolBackwardInWasm(dy.data, idx, g.n * g.c, hw, perPlane);
    if (typeof dx === 'number') throw opError(op, `index ${idx[dx]} at position ${dx} is outside the ${g.h}×${g.w} plane of x`);
    return new Tensor(dx, x.shape);
  }
  const dx = zeros(x.shape);
  const dxd = dx.data;
  const dyd = dy.data;
  // Plane by plane, so the plane offset is a running sum instead of a division per element.
  for (let plane = 0, o = 0; plane < g.n * g.c; plane++) {
    const base = plane * hw;
    for (const end = o + perPlane; o < end; o++) {
      const k = idx[o];
      if (k < 0 || k >= hw) throw opError(op, `index ${k} at position ${o} is outside the ${g.h}×${g.w} plane of x`);
      dxd[base + k] += dyd[o];
    }
  }
  return dx;
}
