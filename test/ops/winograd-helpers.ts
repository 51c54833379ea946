/**
 * Local helpers for the Winograd tests (wasm-winograd.test.ts, wasm-winograd43.test.ts): the
 * error scale S of each output in the units of the file comments there (ε·S, ε = 2⁻²⁴), and the
 * largest error in those units.
 */
import { expect } from 'chai';
import type { Conv2dOptions } from '../../src/ops/conv2d';
import { Tensor } from '../../src/tensor';

export const EPS = 2 ** -24; // float32's unit roundoff
export const bits = (t: Tensor | Float32Array) => Array.from(t instanceof Tensor ? t.data : t);

/**
 * Winograd's error scale for each output of conv(x, w) with a 3×3 kernel, stride 1 and padding
 * (top, left), for F(m×m, 3×3) (`m` 2 or 4): S[n, co, i, j] = Σ_ci ‖w[co, ci]‖₁ · max |x[n, ci]|
 * over the (m+2)×(m+2) input patch of the output's m×m tile (zeros outside the image). The
 * transforms mix every tap of the kernel with every value of the patch (F(2×2): Bᵀ d B sums 4
 * values, G g Gᵀ up to 9 taps, Aᵀ M A 9 products; F(4×4): up to 100, 9 and 361), so the rounding
 * scales with these norms, not with the taps that reach one output (at a border only some do: a
 * 1×1 output of a 3×3 input has error ~17 ε·Σ|x||w| with F(2×2)).
 */
export function winogradScale(x: Tensor, w: Tensor, top: number, left: number, Ho: number, Wo: number, m: 2 | 4 = 2): Float64Array {
  const [N, C, H, W] = x.shape;
  const Co = w.shape[0];
  const th = Math.ceil(Ho / m), tw = Math.ceil(Wo / m);
  const g1 = new Float64Array(Co * C);
  for (let i = 0; i < Co * C; i++) for (let k = 0; k < 9; k++) g1[i] += Math.abs(w.data[i * 9 + k]);
  const S = new Float64Array(N * Co * Ho * Wo);
  for (let n = 0; n < N; n++) for (let ci = 0; ci < C; ci++) for (let r = 0; r < th; r++) for (let c = 0; c < tw; c++) {
    let mx = 0;
    for (let a = 0; a < m + 2; a++) for (let b = 0; b < m + 2; b++) {
      const iy = m * r - top + a, ix = m * c - left + b;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) mx = Math.max(mx, Math.abs(x.data[((n * C + ci) * H + iy) * W + ix]));
    }
    for (let co = 0; co < Co; co++) {
      const v = g1[co * C + ci] * mx;
      for (let i = m * r; i < Math.min(Ho, m * r + m); i++) for (let j = m * c; j < Math.min(Wo, m * c + m); j++) S[((n * Co + co) * Ho + i) * Wo + j] += v;
    }
  }
  return S;
}

/** The scale of dX: the forward's scale of the transposed conv (dY padded 2 − pad; ‖·‖₁ ignores the 180° turn). */
export function winogradScaleDx(dy: Tensor, w: Tensor, top: number, left: number, H: number, W: number, m: 2 | 4 = 2): Float64Array {
  const [Co, Ci] = w.shape;
  const wt = new Tensor(new Float32Array(w.size), [Ci, Co, 3, 3]);
  for (let co = 0; co < Co; co++) for (let ci = 0; ci < Ci; ci++) for (let k = 0; k < 9; k++) wt.data[(ci * Co + co) * 9 + k] = w.data[(co * Ci + ci) * 9 + k];
  return winogradScale(dy, wt, 2 - top, 2 - left, H, W, m);
}

/**
 * dW's scale (F(3×3, 2×2): the 2×2 block of dY of each tile against the 4×4 patch of x under
 * it): S[co, ci, ·, ·] = Σ_n Σ_tiles ‖dy_t[n, co]‖₁ · max |x_t[n, ci]|, the same for the 9 taps.
 */
export function winogradScaleDw(dy: Tensor, x: Tensor, top: number, left: number): Float64Array {
  const [N, C, H, W] = x.shape;
  const [, Co, Ho, Wo] = dy.shape;
  const S = new Float64Array(Co * C * 9);
  for (let n = 0; n < N; n++) for (let r = 0; r < Math.ceil(Ho / 2); r++) for (let c = 0; c < Math.ceil(Wo / 2); c++) {
    const xm = new Float64Array(C);
    for (let ci = 0; ci < C; ci++) for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
      const iy = 2 * r - top + a, ix = 2 * c - left + b;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) xm[ci] = Math.max(xm[ci], Math.abs(x.data[((n * C + ci) * H + iy) * W + ix]));
    }
    for (let co = 0; co < Co; co++) {
      let g = 0;
      for (let i = 2 * r; i < Math.min(Ho, 2 * r + 2); i++) for (let j = 2 * c; j < Math.min(Wo, 2 * c + 2); j++) g += Math.abs(dy.data[((n * Co + co) * Ho + i) * Wo + j]);
      for (let ci = 0; ci < C; ci++) for (let k = 0; k < 9; k++) S[(co * C + ci) * 9 + k] += g * xm[ci];
    }
  }
  return S;
}

/** Largest |y − ref| / (ε · S) over the outputs: the error in units of float32's roundoff times S. */
export function errorUnits(y: Tensor | Float32Array, ref: Tensor, S: Float64Array): number {
  const data = y instanceof Tensor ? y.data : y;
  if (y instanceof Tensor) expect(y.shape).to.deep.equal(ref.shape);
  expect(data.length).to.equal(ref.size);
  let r = 0;
  for (let i = 0; i < data.length; i++) r = Math.max(r, Math.abs(data[i] - ref.data[i]) / (EPS * Math.max(S[i], 1e-30)));
  return r;
}

/**
 * F(2×2, 3×3)'s float error (and dW's F(3×3, 2×2)). Its transforms are sums with coefficients ±1
 * and ½ (exact in binary), but they mix a whole tile: entries of Bᵀ x B reach 4·max|x|, and
 * Aᵀ M A adds up to 9 entries, so one rounding can cost up to ~36 ε·S. Measured (seeded N(0, 1)
 * data, WINOGRAD_CASES and S3): forward and dX at most 1.5 ε·S per output, dW at most 4.5 ε·S
 * (the 1×1 output: one tile, so no averaging over tiles), typically 0.1–0.9. The tests allow 16
 * ε·S (docs/measured.md, Winograd): a wrong transform or index is off by ~S itself, i.e. ~10⁷ of
 * these units.
 */
export const WINOGRAD_UNITS = 16;

/**
 * F(4×4, 3×3)'s float error, in the same units with S over its 6×6 patches: Bᵀ d B weighs the
 * patch by up to 5 in each direction (entries reach 100·max|d|), G has ⅙ and 1/24 (inexact), and
 * Aᵀ M A adds M with weights up to 8 in each direction (up to 361 in all), so its rounding is
 * about 10× F(2×2)'s. Measured (seeds 1, 2, 7 over WINOGRAD_CASES, S3 and 96 channels at 45×33):
 * forward at most 17.1 ε·S, dX at most 19.1, typically 6–15 (in F(2×2)'s scale of 4×4 patches:
 * at most 22.9). The tests allow 64 ε·S, still ~10⁵ below a wrong transform.
 */
export const WINOGRAD43_UNITS = 64;

/** The bound of Winograd F(m×m, 3×3) in ε·S. */
export const unitsOf = (m: 2 | 4) => (m === 4 ? WINOGRAD43_UNITS : WINOGRAD_UNITS);

/**
 * Odd sizes: Ho, Wo odd (ragged edge tiles), Wo below one 4-tile group, tile rows not a
 * multiple of 4 (padded tile grid), Cin and Cout off the 4-blocks, padding 0, 1, 2, 'same' and
 * asymmetric, batch > 1, a 1×1 output, several row blocks with a ragged last one (Cin 40: 2 tile
 * rows per block over 15 with F(2×2); Cin 96: 9 over 12 with F(4×4)).
 */
export const WINOGRAD_CASES: { name: string; x: number[]; w: number[]; opts: Conv2dOptions }[] = [
  { name: 'x=[3,5,9,7] w=[7,5,3,3] p=1 (odd Ho, Wo; Cin 5, Cout 7)', x: [3, 5, 9, 7], w: [7, 5, 3, 3], opts: { padding: 1 } },
  { name: 'x=[2,3,11,13] w=[6,3,3,3] p=0', x: [2, 3, 11, 13], w: [6, 3, 3, 3], opts: {} },
  { name: 'x=[2,6,5,4] w=[5,6,3,3] p=2 (padding wider than half the kernel)', x: [2, 6, 5, 4], w: [5, 6, 3, 3], opts: { padding: 2 } },
  { name: 'x=[1,2,3,3] w=[3,2,3,3] p=0 (a 1×1 output)', x: [1, 2, 3, 3], w: [3, 2, 3, 3], opts: {} },
  { name: 'x=[2,9,10,21] w=[13,9,3,3] p=same', x: [2, 9, 10, 21], w: [13, 9, 3, 3], opts: { padding: 'same' } },
  { name: 'x=[2,40,29,45] w=[18,40,3,3] p=1 (several row blocks)', x: [2, 40, 29, 45], w: [18, 40, 3, 3], opts: { padding: 1 } },
  { name: 'x=[11,5,8,7] w=[6,5,3,3] p=1 (dW: several images per batch of tiles)', x: [11, 5, 8, 7], w: [6, 5, 3, 3], opts: { padding: 1 } },
  { name: 'x=[2,17,12,12] w=[33,17,3,3] p=[0,1] (asymmetric padding), no bias', x: [2, 17, 12, 12], w: [33, 17, 3, 3], opts: { padding: [0, 1] } },
  { name: 'x=[1,96,45,33] w=[10,96,3,3] p=1 (F(4×4): several row blocks, the last ragged)', x: [1, 96, 45, 33], w: [10, 96, 3, 3], opts: { padding: 1 } },
];
