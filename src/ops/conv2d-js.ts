/**
 * conv2d's `'js'` engine: im2col + GEMM per image and group, with the plan of src/ops/conv-plan.ts
 * (pointwise convs read x directly; bigger images go a band of output rows at a time):
 *   Y[n, g] = W_g · cols(x[n, g]),   dW_g = Σ_n dY[n, g] · colsᵀ,   dX = col2im(W_gᵀ · dY[n, g]).
 * The GEMM is the plain-JS `gemm` unless the caller hands another (`engineGemm('wasm')` runs the
 * SIMD GEMM on JS arrays: tests and benchmarks; the wasm engine proper is src/ops/conv2d-wasm.ts).
 */
import { allocFloat32 } from '../tensor/buffers';
import { Tensor } from '../tensor/tensor';
import { Conv2dOptions, conv2dBackwardParams, conv2dForwardParams, conv2dWorkspaceLimit, convGeometry, isPointwise, rowsPerBand } from './conv-plan';
import { conv2dBiasGradLoops } from './conv2d-naive';
import { gemm, type Gemm } from './gemm';
import { col2im, im2col } from './im2col';

/**
 * One growable scratch buffer for the cols matrix, reused by every call: allocating (and
 * first-touching) a fresh multi-MB array per call would cost more than the GEMM on small
 * layers (docs/measured.md, Memory: ~11 µs per 4 KB page). JavaScript is single-threaded, and no caller
 * keeps a reference past its own call, so sharing it is safe. It grows by 1.5× at a time up to
 * the cap of `setConv2dWorkspaceLimit` (or exactly what one band needs, if more).
 */
let workspace = new Float32Array(0);

function scratch(n: number): Float32Array {
  if (workspace.length < n) workspace = new Float32Array(Math.max(n, Math.min(conv2dWorkspaceLimit(), Math.ceil(workspace.length * 1.5))));
  return workspace;
}

/** Size of the growable scratch buffer in floats (for tests and memory reports). */
export function conv2dWorkspaceSize(): number {
  return workspace.length;
}

/**
 * Forward as GEMMs per image and group: Y[n, g] (Cout_g × Ho·Wo) = W_g (Cout_g × K) · cols,
 * K = Cin_g·KH·KW; a band of output rows i0 … i1 − 1 fills columns i0·Wo … i1·Wo − 1 of Y.
 */
export function conv2dFast(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}, mm: Gemm = gemm): Tensor {
  const p = conv2dForwardParams('conv2d', x, w, b, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const y = allocFloat32(N * Cout * L);
  if (b) for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) y.fill(b.data[co], (n * Cout + co) * L, (n * Cout + co + 1) * L);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const cols = direct ? x.data : scratch(K * band * Wo);
  const geom = convGeometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const yOff = (n * Cout + g * CoutG) * L;
      // beta = 1: y already holds the bias (or zeros).
      if (direct) {
        mm(false, false, CoutG, L, K, 1, w.data, g * CoutG * K, K, x.data, xOff, L, 1, y, yOff, L);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(x.data, xOff, geom, cols, 0, i0, i1);
        mm(false, false, CoutG, Lb, K, 1, w.data, g * CoutG * K, K, cols, 0, Lb, 1, y, yOff + i0 * Wo, L);
      }
    }
  }
  return new Tensor(y, [N, Cout, Ho, Wo]);
}

/** dX = col2im(W_gᵀ · dY[n, g]) per image, group and band of output rows. */
export function conv2dGradInputFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}, mm: Gemm = gemm): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const dx = allocFloat32(N * Cin * H * W);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const dcols = direct ? dx : scratch(K * band * Wo);
  const geom = convGeometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyOff = (n * Cout + g * CoutG) * L;
      if (direct) {
        // cols is x itself, so col2im is the identity: write Wᵀ·dY straight into dx.
        mm(true, false, K, L, CoutG, 1, w.data, g * CoutG * K, K, dy.data, dyOff, L, 1, dx, xOff, L);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        mm(true, false, K, Lb, CoutG, 1, w.data, g * CoutG * K, K, dy.data, dyOff + i0 * Wo, L, 0, dcols, 0, Lb);
        col2im(dcols, 0, geom, dx, xOff, i0, i1);
      }
    }
  }
  return new Tensor(dx, x.shape);
}

/** dW_g = Σ_n dY[n, g] · cols(x[n, g])ᵀ, accumulated over images and bands by GEMM's β = 1. */
export function conv2dGradWeightFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}, mm: Gemm = gemm): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const dw = allocFloat32(w.size);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const cols = direct ? x.data : scratch(K * band * Wo);
  const geom = convGeometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyOff = (n * Cout + g * CoutG) * L;
      if (direct) {
        mm(false, true, CoutG, K, L, 1, dy.data, dyOff, L, x.data, xOff, L, 1, dw, g * CoutG * K, K);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(x.data, xOff, geom, cols, 0, i0, i1);
        mm(false, true, CoutG, K, Lb, 1, dy.data, dyOff + i0 * Wo, L, cols, 0, Lb, 1, dw, g * CoutG * K, K);
      }
    }
  }
  return new Tensor(dw, w.shape);
}

/** dx, dw, db by im2col + GEMM. */
export function conv2dBackwardFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}, mm: Gemm = gemm): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return {
    dx: conv2dGradInputFast(dy, x, w, opts, mm),
    dw: conv2dGradWeightFast(dy, x, w, opts, mm),
    db: conv2dBiasGradLoops(dy, p.N, p.Cout, p.Ho * p.Wo),
  };
}
