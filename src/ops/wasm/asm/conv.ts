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
 */
import { gemm } from './gemm';
import { im2col, col2im } from './im2col';

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

export const DESC_INTS: i32 = 18;

export function convForward(d: usize, x: usize, w: usize, b: usize, y: usize, n0: i32, n1: i32, cols: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15), band = at(d, 16), direct = at(d, 17);
  const CinG = Cin / groups, CoutG = Cout / groups;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    // bias (or zeros) first: the β = 1 GEMMs add onto it
    for (let co = 0; co < Cout; co++) {
      const v = b == 0 ? <f32>0 : load<f32>(b + <usize>co * 4);
      const row = y + <usize>((n * Cout + co) * L) * 4;
      const vv = f32x4.splat(v);
      let j = 0;
      for (; j + 4 <= L; j += 4) v128.store(row + <usize>j * 4, vv);
      for (; j < L; j++) store<f32>(row + <usize>j * 4, v);
    }
    for (let g = 0; g < groups; g++) {
      const xg = x + <usize>((n * Cin + g * CinG) * H * W) * 4;
      const yg = y + <usize>((n * Cout + g * CoutG) * L) * 4;
      const wg = w + <usize>(g * CoutG * K) * 4;
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
        gemm(false, true, CoutG, K, Lb, 1, dyg + <usize>(i0 * Wo) * 4, L, cols, Lb, 1, dwg, K, work);
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

/** db[co] = Σ_{n, l} dy[n, co, l] (float64 sums: up to N·L terms each). */
export function biasGrad(dy: usize, N: i32, Cout: i32, L: i32, db: usize): void {
  for (let co = 0; co < Cout; co++) {
    let s: f64 = 0;
    for (let n = 0; n < N; n++) {
      const row = dy + <usize>((n * Cout + co) * L) * 4;
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= L; j += 4) acc = f32x4.add(acc, v128.load(row + <usize>j * 4));
      let t: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
      for (; j < L; j++) t += <f64>load<f32>(row + <usize>j * 4);
      s += t;
    }
    store<f32>(db + <usize>co * 4, <f32>s);
  }
}
