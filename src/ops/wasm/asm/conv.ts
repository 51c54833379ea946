// @ts-nocheck
// AssemblyScript (i32, usize, load<T>, …), compiled by asc, not by tsc.
/**
 * conv2d's per-image loops in wasm: im2col + GEMM for images n0 ≤ n < n1, so one call does a
 * whole batch (or one thread's share of it) with no JavaScript in between. The plan is the
 * one in src/ops/conv2d.ts: Y[n,g] = W_g·cols, dX[n,g] = col2im(W_gᵀ·dY[n,g]),
 * dW_g += dY[n,g]·colsᵀ; large images go a band of output rows at a time.
 *
 * Every size comes in a descriptor of i32s at `d` (written by src/ops/wasm/conv.ts):
 *   0 N  1 Cin  2 H  3 W  4 Cout  5 KH  6 KW  7 SH  8 SW  9 DH  10 DW  11 top  12 left
 *   13 Ho  14 Wo  15 groups  16 band (output rows per cols block)  17 direct (1×1, stride 1, no pad)
 *   18 forward as a direct convolution (asm/direct.ts: `w` then holds directPack's weights,
 *      `cols` directBytes(d)), 19 dW as a direct convolution (`cols` then holds directBytes(d))
 *   20 forward by Winograd, the field saying which: 2 = F(2×2, 3×3) (asm/winograd.ts: `w` then
 *      holds winogradFilter's U, `cols` winogradBytes(d)), 4 = F(4×4, 3×3) (asm/winograd43.ts:
 *      winograd43Filter's U, winograd43Bytes(d)); 0 = not Winograd
 *   21 dW by Winograd F(3×3, 2×2) (asm/winograd-dw.ts: `cols` then holds winogradDwBytes(d))
 *   22 ReLU fused into the forward: y = max(0, conv + b), as src/ops/activations.ts's relu
 *   23, 24: when 23 ≠ 0, the forward then max-pools each image's planes 2×2 with stride 2
 *      (asm/pool.ts) into the pooled output at address 23 and its argmax at address 24
 */
import { convForwardDirect } from './direct';
import { convGradWeightDirect } from './direct-dw';
import { gemm } from './gemm';
import { convForwardWinograd } from './winograd';
import { convForwardWinograd43 } from './winograd43';
import { convGradWeightWinograd } from './winograd-dw';
import { im2col, col2im } from './im2col';
import { reluForward } from './elementwise';
import { maxPool2x2s2 } from './pool';

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

export const DESC_INTS: i32 = 25;

/**
 * dW blocks with at most this many entries (CoutG·K) use dotsNT instead of the GEMM: LeNet's
 * C1 (6 × 25) and C3 (16 × 150; dW 1.15 → 1.0× the forward's time in one run) — no packing of
 * the transposed cols. Bigger blocks (VGG's 64 × 576) reuse each loaded row too little.
 */
const SMALL_DW: i32 = 4096;

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * c[m, n] += Σ_l a[m, l]·b[n, l] for a small M×N (LeNet C1's dW is 6 × 25, the depth L is the
 * 576–784 output pixels of an image): each entry is a dot product of two contiguous rows, run
 * 2 rows × 4 columns at a time (8 f32x4 accumulators, no packing). The GEMM's 4×8 tiles would
 * leave 41 % of that 6 × 25 block as padding, and it packs B (the transposed cols) per image;
 * here nothing is wasted.
 * Partial sums per lane, reduced pairwise at the end: a fixed order for a given shape.
 */
function dotsNT(M: i32, N: i32, L: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const L4 = L & ~3;
  let m = 0;
  for (; m + 2 <= M; m += 2) {
    const a0 = a + <usize>(m * lda) * 4, a1 = a0 + <usize>lda * 4;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = b + <usize>(n * ldb) * 4, b1 = b0 + <usize>ldb * 4, b2 = b1 + <usize>ldb * 4, b3 = b2 + <usize>ldb * 4;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let l = 0; l < L4; l += 4) {
        const o = <usize>l * 4;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = f32x4.add(s00, f32x4.mul(x0, y));
        s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(b1 + o);
        s01 = f32x4.add(s01, f32x4.mul(x0, y));
        s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(b2 + o);
        s02 = f32x4.add(s02, f32x4.mul(x0, y));
        s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(b3 + o);
        s03 = f32x4.add(s03, f32x4.mul(x0, y));
        s13 = f32x4.add(s13, f32x4.mul(x1, y));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t03 = hsum(s03);
      let t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12), t13 = hsum(s13);
      for (let l = L4; l < L; l++) {
        const o = <usize>l * 4;
        const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
        const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o), y2 = load<f32>(b2 + o), y3 = load<f32>(b3 + o);
        t00 += x0 * y0; t01 += x0 * y1; t02 += x0 * y2; t03 += x0 * y3;
        t10 += x1 * y0; t11 += x1 * y1; t12 += x1 * y2; t13 += x1 * y3;
      }
      const c0 = c + <usize>(m * ldc + n) * 4, c1 = c0 + <usize>ldc * 4;
      store<f32>(c0, load<f32>(c0) + t00);
      store<f32>(c0 + 4, load<f32>(c0 + 4) + t01);
      store<f32>(c0 + 8, load<f32>(c0 + 8) + t02);
      store<f32>(c0 + 12, load<f32>(c0 + 12) + t03);
      store<f32>(c1, load<f32>(c1) + t10);
      store<f32>(c1 + 4, load<f32>(c1 + 4) + t11);
      store<f32>(c1 + 8, load<f32>(c1 + 8) + t12);
      store<f32>(c1 + 12, load<f32>(c1 + 12) + t13);
    }
    for (; n < N; n++) {
      dotsTail(m, n, L, a, lda, b, ldb, c, ldc);
      dotsTail(m + 1, n, L, a, lda, b, ldb, c, ldc);
    }
  }
  for (; m < M; m++) for (let n = 0; n < N; n++) dotsTail(m, n, L, a, lda, b, ldb, c, ldc);
}

/** One entry c[m, n] += Σ_l a[m, l]·b[n, l] (the edges of dotsNT's 2 × 4 blocks), the same way. */
function dotsTail(m: i32, n: i32, L: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const ar = a + <usize>(m * lda) * 4, br = b + <usize>(n * ldb) * 4;
  const L4 = L & ~3;
  let s = f32x4.splat(0);
  for (let l = 0; l < L4; l += 4) s = f32x4.add(s, f32x4.mul(v128.load(ar + <usize>l * 4), v128.load(br + <usize>l * 4)));
  let t = hsum(s);
  for (let l = L4; l < L; l++) t += load<f32>(ar + <usize>l * 4) * load<f32>(br + <usize>l * 4);
  const at = c + <usize>(m * ldc + n) * 4;
  store<f32>(at, load<f32>(at) + t);
}

/**
 * y for images n0 ≤ n < n1 and output channels co0 ≤ co < co1 (co0, co1 multiples of 4 or
 * Cout; a part of the channels only with groups = 1): one chunk of threads.ts's split.
 */
export function convForward(d: usize, x: usize, w: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, cols: usize, work: usize): void {
  convForwardImages(d, x, w, b, y, n0, n1, co0, co1, cols, work);
  const pooled = <usize>at(d, 23);
  if (pooled == 0) return;
  // 2×2/2 max pooling of this chunk's planes while they are still in cache
  const Cout = at(d, 4), Ho = at(d, 13), Wo = at(d, 14), oh = Ho >> 1, ow = Wo >> 1;
  const idx = <usize>at(d, 24);
  for (let n = n0; n < n1; n++) {
    const plane = n * Cout + co0;
    maxPool2x2s2(y + <usize>(plane * Ho * Wo) * 4, pooled + <usize>(plane * oh * ow) * 4, idx + <usize>(plane * oh * ow) * 4, co1 - co0, Ho, Wo, oh, ow);
  }
}

function convForwardImages(d: usize, x: usize, w: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, cols: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15), band = at(d, 16), direct = at(d, 17);
  if (at(d, 18)) {
    convForwardDirect(d, x, w, b, y, n0, n1, co0, co1, cols, work);
    return;
  }
  if (at(d, 20) == 4) {
    convForwardWinograd43(d, x, w, b, y, n0, n1, co0, co1, cols, work);
    return;
  }
  if (at(d, 20)) {
    convForwardWinograd(d, x, w, b, y, n0, n1, co0, co1, cols, work);
    return;
  }
  const CinG = Cin / groups, CoutG = groups == 1 ? co1 - co0 : Cout / groups;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    // bias (or zeros) first: the β = 1 GEMMs add onto it
    for (let co = co0; co < co1; co++) {
      const v = b == 0 ? <f32>0 : load<f32>(b + <usize>co * 4);
      const row = y + <usize>((n * Cout + co) * L) * 4;
      const vv = f32x4.splat(v);
      let j = 0;
      for (; j + 4 <= L; j += 4) v128.store(row + <usize>j * 4, vv);
      for (; j < L; j++) store<f32>(row + <usize>j * 4, v);
    }
    for (let g = 0; g < groups; g++) {
      const xg = x + <usize>((n * Cin + g * CinG) * H * W) * 4;
      const c0 = groups == 1 ? co0 : g * CoutG; // first output channel of this GEMM
      const yg = y + <usize>((n * Cout + c0) * L) * 4;
      const wg = w + <usize>(c0 * K) * 4;
      if (direct) {
        gemm(false, false, CoutG, L, K, 1, wg, K, xg, L, 1, yg, L, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(xg, CinG, H, W, KH, KW, at(d, 7), at(d, 8), at(d, 9), at(d, 10), at(d, 11), at(d, 12), Ho, Wo, i0, i1, cols);
        gemm(false, false, CoutG, Lb, K, 1, wg, K, cols, Lb, 1, yg + <usize>(i0 * Wo) * 4, L, work);
      }
    }
    if (at(d, 22)) { const yn = y + <usize>((n * Cout + co0) * L) * 4; reluForward(yn, yn, (co1 - co0) * L); }
  }
}


export function convGradInput(d: usize, dy: usize, w: usize, dx: usize, n0: i32, n1: i32, cols: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15), band = at(d, 16), direct = at(d, 17);
  const CinG = Cin / groups, CoutG = Cout / groups;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    memory.fill(dx + <usize>(n * Cin * H * W) * 4, 0, <usize>(Cin * H * W) * 4); // col2im adds
    for (let g = 0; g < groups; g++) {
      const xg = dx + <usize>((n * Cin + g * CinG) * H * W) * 4;
      const dyg = dy + <usize>((n * Cout + g * CoutG) * L) * 4;
      const wg = w + <usize>(g * CoutG * K) * 4;
      if (direct) {
        gemm(true, false, K, L, CoutG, 1, wg, K, dyg, L, 1, xg, L, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        gemm(true, false, K, Lb, CoutG, 1, wg, K, dyg + <usize>(i0 * Wo) * 4, L, 0, cols, Lb, work);
        col2im(cols, CinG, H, W, KH, KW, at(d, 7), at(d, 8), at(d, 9), at(d, 10), at(d, 11), at(d, 12), Ho, Wo, i0, i1, xg);
      }
    }
  }
}

/** dw += Σ_{n0 ≤ n < n1} dY[n,g]·cols(x[n,g])ᵀ (the caller zeroes dw). */
export function convGradWeight(d: usize, dy: usize, x: usize, dw: usize, n0: i32, n1: i32, cols: usize, work: usize): void {
  if (at(d, 19)) {
    convGradWeightDirect(d, dy, x, dw, n0, n1, cols, work);
    return;
  }
  if (at(d, 21)) {
    convGradWeightWinograd(d, dy, x, dw, n0, n1, cols, work);
    return;
  }
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15), band = at(d, 16), direct = at(d, 17);
  const CinG = Cin / groups, CoutG = Cout / groups;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      const xg = x + <usize>((n * Cin + g * CinG) * H * W) * 4;
      const dyg = dy + <usize>((n * Cout + g * CoutG) * L) * 4;
      const dwg = dw + <usize>(g * CoutG * K) * 4;
      if (direct) {
        gemm(false, true, CoutG, K, L, 1, dyg, L, xg, L, 1, dwg, K, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(xg, CinG, H, W, KH, KW, at(d, 7), at(d, 8), at(d, 9), at(d, 10), at(d, 11), at(d, 12), Ho, Wo, i0, i1, cols);
        if (CoutG * K <= SMALL_DW) dotsNT(CoutG, K, Lb, dyg + <usize>(i0 * Wo) * 4, L, cols, Lb, dwg, K);
        else gemm(false, true, CoutG, K, Lb, 1, dyg + <usize>(i0 * Wo) * 4, L, cols, Lb, 1, dwg, K, work);
      }
    }
  }
}

/**
 * dX and dW together for images n0 ≤ n < n1 (one call, one thread hand-off per layer instead of
 * two): per image, dX[n] = col2im(Wᵀ·dY[n]) as convGradInput, then dw += dY[n]·cols(x[n])ᵀ as
 * convGradWeight, reusing the same cols scratch while dY[n] is still in cache. Same arithmetic
 * in the same order as the two separate kernels, so the same bits.
 */
export function convBackward(d: usize, dy: usize, x: usize, w: usize, dx: usize, dw: usize, n0: i32, n1: i32, cols: usize, work: usize): void {
  for (let n = n0; n < n1; n++) {
    convGradInput(d, dy, w, dx, n, n + 1, cols, work);
    convGradWeight(d, dy, x, dw, n, n + 1, cols, work);
  }
}

/** a[i] += b[i] for i < n (summing the threads' partial dw). */
export function addInto(a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(a + <usize>i * 4, f32x4.add(v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  for (; i < n; i++) store<f32>(a + <usize>i * 4, load<f32>(a + <usize>i * 4) + load<f32>(b + <usize>i * 4));
}

/** Σ_l row[l] over one plane of L floats: four f32 lanes, then the lanes and the tail in f64. */
// @ts-ignore: decorator
@inline function rowSum(row: usize, L: i32): f64 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= L; j += 4) acc = f32x4.add(acc, v128.load(row + <usize>j * 4));
  let t: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; j < L; j++) t += <f64>load<f32>(row + <usize>j * 4);
  return t;
}

/** db[co] = Σ_{n, l} dy[n, co, l] (float64 sums: up to N·L terms each): Σ_n of rowSum, in image order. */
export function biasGrad(dy: usize, N: i32, Cout: i32, L: i32, db: usize): void {
  for (let co = 0; co < Cout; co++) {
    let s: f64 = 0;
    for (let n = 0; n < N; n++) s += rowSum(dy + <usize>((n * Cout + co) * L) * 4, L);
    store<f32>(db + <usize>co * 4, <f32>s);
  }
}

/**
 * biasGrad's first half for images n0 ≤ n < n1 (one chunk of a job, src/ops/wasm/threads.ts):
 * rows[n·Cout + co] = rowSum of dy[n, co] (f64); `biasFromRows` then sums them as biasGrad does
 * (the same bits).
 */
export function biasRows(dy: usize, Cout: i32, L: i32, n0: i32, n1: i32, rows: usize): void {
  for (let r = n0 * Cout; r < n1 * Cout; r++) store<f64>(rows + <usize>r * 8, rowSum(dy + <usize>(r * L) * 4, L));
}

/** db[co] = Σ_n rows[n·Cout + co] in image order, rounded to f32: biasGrad's second half. */
export function biasFromRows(rows: usize, N: i32, Cout: i32, db: usize): void {
  for (let co = 0; co < Cout; co++) {
    let s: f64 = 0;
    for (let n = 0; n < N; n++) s += load<f64>(rows + <usize>(n * Cout + co) * 8);
    store<f32>(db + <usize>co * 4, <f32>s);
  }
}
