// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Direct convolution for stride 1 and few input channels (LeNet's C1 with Cin = 1, C3 with
 * Cin = 6), where im2col's copy is as big as the GEMM's work: K = CinG·KH·KW floats are
 * written per output pixel and read back once per 4 output channels. Here the image is copied
 * once, zero-padded, and each output is summed straight from it, as an "implicit GEMM":
 *
 *   y[n, co, i, j] = b[co] + Σ_t wt[t][co] · xp[(i, j) + off(t)],   t = (ci, kh, kw),
 *   off(t) = (ci·Hp + kh·DH)·Wp + kw·DW   (Hp × Wp: the padded image)
 *
 * Vectorised over output channels: one f32x4 holds 4 channels of one output, so a channel
 * block needs no padding lanes when CoutG is a multiple of 4 (LeNet's C3: 16) and the output
 * width needs none at all. A register tile is 16 channels × 2 outputs, 8 × 4 or 4 × 8 (8
 * accumulators: V8 gives wasm 15 xmm registers, and 12 accumulators spill), the outputs of a
 * tile side by side in one row so that each tap's image value is a broadcast load at a
 * constant offset from one pointer. Per tap: the tile's weight vectors (1–4 loads), one
 * broadcast per output, 16 f32x4 multiply-adds — measured 49.7 GFLOP/s on one core for C3
 * (the GEMM kernel's peak here: 49) against 25.8 for the 4-channel × 8-position tiles on the
 * padded pitch this replaces (docs/measured.md, Direct convolution).
 *
 * dX is the same forward on dY (asm/conv.ts's caller passes the transposed conv's descriptor:
 * dY padded by KH − 1 − top, weights turned by 180° with in and out swapped: `directPack`'s
 * flip); dW is in asm/direct-dw.ts.
 *
 * Sums in tap order (forward) or output order (dW), bias first: one fixed order per shape, so
 * the bits never depend on threads or chunks. Descriptor fields as in asm/conv.ts; field 22
 * (ReLU fused into the forward) clamps each output at 0 as src/ops/activations.ts's relu does.
 */
import { reluIf } from './elementwise';

// @ts-ignore: decorator
@inline export function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

// @ts-ignore: decorator
@inline export function ceil4(a: i32): i32 {
  return (a + 3) & ~3;
}

/** Padded image sizes: Hp = Ho + DH·(KH − 1), Wp = Wo + DW·(KW − 1) (stride 1). */
// @ts-ignore: decorator
@inline export function paddedH(d: usize): i32 {
  return at(d, 13) + at(d, 9) * (at(d, 5) - 1);
}
// @ts-ignore: decorator
@inline export function paddedW(d: usize): i32 {
  return at(d, 14) + at(d, 10) * (at(d, 6) - 1);
}

/**
 * Scratch bytes (one thread) of the direct kernels on descriptor d: the padded image, the tap
 * offsets, and dW's transposed dY (outputs × ⌈CoutG/4⌉·4).
 */
export function directBytes(d: usize): i32 {
  const Cin = at(d, 1), Cout = at(d, 4), groups = at(d, 15);
  const CinG = Cin / groups, CoutP = ceil4(Cout / groups);
  const K = CinG * at(d, 5) * at(d, 6);
  return (CinG * paddedH(d) * paddedW(d) + ceil4(K) + at(d, 13) * at(d, 14) * CoutP) * 4 + 64;
}

/** Floats of the packed weights and biases of descriptor d: groups · (K + 1) · ⌈CoutG/4⌉·4. */
export function directPackedFloats(d: usize): i32 {
  const groups = at(d, 15);
  const K = (at(d, 1) / groups) * at(d, 5) * at(d, 6);
  return groups * (K + 1) * ceil4(at(d, 4) / groups);
}

/**
 * Pack w (and b, or zeros when b = 0) for the forward kernel: per group, wt[t][c] for taps t <
 * K then the bias row, ⌈CoutG/4⌉·4 columns with zeros past CoutG. flip = 1 (dX, groups 1): d is
 * the transposed conv's descriptor (its Cin is the forward's Cout) and the tap t = (ci, kh, kw)
 * of output channel c reads w[ci, c, KH − 1 − kh, KW − 1 − kw] of the forward's w [Cin_d,
 * Cout_d, KH, KW].
 */
export function directPack(d: usize, w: usize, b: usize, wt: usize, flip: i32): void {
  const Cin = at(d, 1), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6), groups = at(d, 15);
  const CinG = Cin / groups, CoutG = Cout / groups, CoutP = ceil4(CoutG);
  const KK = KH * KW, K = CinG * KK;
  memory.fill(wt, 0, <usize>(directPackedFloats(d) * 4));
  for (let g = 0; g < groups; g++) {
    const wg = wt + <usize>(g * (K + 1) * CoutP) * 4;
    for (let c = 0; c < CoutG; c++) {
      for (let t = 0; t < K; t++) {
        const src = flip ? ((t / KK) * Cout + c) * KK + (KK - 1 - t % KK) : (g * CoutG + c) * K + t;
        store<f32>(wg + <usize>(t * CoutP + c) * 4, load<f32>(w + <usize>src * 4));
      }
      if (b != 0) store<f32>(wg + <usize>(K * CoutP + c) * 4, load<f32>(b + <usize>(g * CoutG + c) * 4));
    }
  }
}

/** xp[ci, r, c] = x[ci, r − top, c − left] inside the image, 0 outside. */
function padImage(x: usize, C: i32, H: i32, W: i32, Hp: i32, Wp: i32, top: i32, left: i32, xp: usize): void {
  memory.fill(xp, 0, <usize>(C * Hp * Wp) * 4);
  const src0 = max(0, -left), dst0 = max(0, left);
  const cw = min(W - src0, Wp - dst0); // columns of x that land inside
  if (cw <= 0) return;
  for (let ci = 0; ci < C; ci++) {
    for (let r = max(0, top); r < min(Hp, H + top); r++) {
      memory.copy(xp + <usize>((ci * Hp + r) * Wp + dst0) * 4, x + <usize>((ci * H + r - top) * W + src0) * 4, <usize>cw * 4);
    }
  }
}

/**
 * The image of group g of image n as the kernels read it: x itself when the conv has no
 * padding (then Hp × Wp = H × W), else its zero-padded copy in `xp`; and the tap offsets
 * (bytes) at `offs`.
 */
export function prepareImage(d: usize, x: usize, n: i32, g: i32, xp: usize, offs: usize): usize {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), KH = at(d, 5), KW = at(d, 6);
  const DH = at(d, 9), DW = at(d, 10), top = at(d, 11), left = at(d, 12), groups = at(d, 15);
  const CinG = Cin / groups, Hp = paddedH(d), Wp = paddedW(d);
  for (let ci = 0; ci < CinG; ci++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
    store<i32>(offs + <usize>((ci * KH + kh) * KW + kw) * 4, ((ci * Hp + kh * DH) * Wp + kw * DW) * 4);
  }
  const src = x + <usize>((n * Cin + g * CinG) * H * W) * 4;
  if (top == 0 && left == 0 && Hp == H && Wp == W) return src;
  padImage(src, CinG, H, W, Hp, Wp, top, left, xp);
  return xp;
}

/**
 * y for images n0 ≤ n < n1 (stride 1) and output channels co0 ≤ co < co1 (multiples of 4 or
 * Cout; with groups > 1 all of them) from `wt` packed by directPack (flip 0, or flip 1 for dX
 * when d is the transposed conv); `scratch` holds directBytes(d); `b` and `work` are unused
 * (the bias is packed in wt).
 */
export function convForwardDirect(d: usize, x: usize, wt: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15), relu = at(d, 22);
  const CinG = Cin / groups, CoutG = Cout / groups, CoutP = ceil4(CoutG);
  const K = CinG * KH * KW, L = Ho * Wo, Wp = paddedW(d);
  const xp = (scratch + 15) & ~15;
  const offs = xp + <usize>(CinG * paddedH(d) * Wp) * 4;
  const ldw = <usize>CoutP * 4;
  // the channels of this chunk, within the group (groups = 1 when it is a part)
  const cLo = groups == 1 ? co0 : 0, cHi = groups == 1 ? co1 : CoutG;
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      const img = prepareImage(d, x, n, g, xp, offs);
      const wg = wt + <usize>(g * (K + 1) * CoutP) * 4;
      const bias = wg + <usize>K * ldw;
      const yg = y + <usize>((n * Cout + g * CoutG) * L) * 4;
      let c = cLo;
      while (c < cHi) {
        const left = cHi - c;
        const size = left > 8 ? 16 : left > 4 ? 8 : 4;
        const valid = min(size, left);
        for (let i = 0; i < Ho; i++) {
          const xr = img + <usize>(i * Wp) * 4, yr = yg + <usize>(c * L + i * Wo) * 4;
          if (size == 16) row16(K, xr, offs, wg + <usize>c * 4, ldw, bias + <usize>c * 4, yr, L, Wo, valid, relu);
          else if (size == 8) row8(K, xr, offs, wg + <usize>c * 4, ldw, bias + <usize>c * 4, yr, L, Wo, valid, relu);
          else row4(K, xr, offs, wg + <usize>c * 4, ldw, bias + <usize>c * 4, yr, L, Wo, valid, relu);
        }
        c += size;
      }
    }
  }
}

/** Store the 4 channels of `a` (channels q … q+3 of the block, `valid` of them in all) at output p. */
// @ts-ignore: decorator
@inline function put(y: usize, L: usize, p: i32, q: i32, valid: i32, a: v128): void {
  const o = y + (<usize>q * L + <usize>p) * 4, l = L * 4;
  if (q < valid) store<f32>(o, f32x4.extract_lane(a, 0));
  if (q + 1 < valid) store<f32>(o + l, f32x4.extract_lane(a, 1));
  if (q + 2 < valid) store<f32>(o + 2 * l, f32x4.extract_lane(a, 2));
  if (q + 3 < valid) store<f32>(o + 3 * l, f32x4.extract_lane(a, 3));
}

/**
 * Store 4 outputs side by side (p … p+3) of channels q … q+3 of the block (`valid` channels in
 * all): a, b, c, d hold the 4 channels of outputs p, p+1, p+2, p+3. Transposed in registers (8
 * shuffles), each channel's 4 outputs are one store — a tile of few taps (LeNet's C1: 25) was
 * spending as long on 16 lane-by-lane stores as on its arithmetic.
 */
// @ts-ignore: decorator
@inline function put4(y: usize, L: usize, p: i32, q: i32, valid: i32, a: v128, b: v128, c: v128, d: v128): void {
  const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const cd0 = v128.shuffle<f32>(c, d, 0, 4, 1, 5), cd1 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  const o = y + (<usize>q * L + <usize>p) * 4, l = L * 4;
  if (q < valid) v128.store(o, v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5));
  if (q + 1 < valid) v128.store(o + l, v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7));
  if (q + 2 < valid) v128.store(o + 2 * l, v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5));
  if (q + 3 < valid) v128.store(o + 3 * l, v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7));
}

/**
 * One output row, 16 channels: 2 outputs at a time (then a last single one). xr: the row's
 * first tap position in the image; w: the block's first weight column (row stride ldw bytes);
 * bias: its 16 biases; yr: output (channel 0 of the block, this row), channel stride L floats.
 */
function row16(K: i32, xr: usize, offs: usize, w0: usize, ldw: usize, bias: usize, yr: usize, L: i32, Wo: i32, valid: i32, relu: i32): void {
  const b0 = v128.load(bias), b1 = v128.load(bias, 16), b2 = v128.load(bias, 32), b3 = v128.load(bias, 48);
  const l = <usize>L;
  let j = 0;
  for (; j + 2 <= Wo; j += 2) {
    const x0 = xr + <usize>j * 4;
    let a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
    let w = w0;
    for (let t = 0; t < K; t++) {
      const xo = x0 + <usize>load<i32>(offs + <usize>t * 4);
      const v0 = v128.load(w), v1 = v128.load(w, 16), v2 = v128.load(w, 32), v3 = v128.load(w, 48);
      let s = v128.load32_splat(xo);
      a00 = f32x4.add(a00, f32x4.mul(s, v0)); a01 = f32x4.add(a01, f32x4.mul(s, v1));
      a02 = f32x4.add(a02, f32x4.mul(s, v2)); a03 = f32x4.add(a03, f32x4.mul(s, v3));
      s = v128.load32_splat(xo, 4);
      a10 = f32x4.add(a10, f32x4.mul(s, v0)); a11 = f32x4.add(a11, f32x4.mul(s, v1));
      a12 = f32x4.add(a12, f32x4.mul(s, v2)); a13 = f32x4.add(a13, f32x4.mul(s, v3));
      w += ldw;
    }
    put(yr, l, j, 0, valid, reluIf(a00, relu)); put(yr, l, j, 4, valid, reluIf(a01, relu));
    put(yr, l, j, 8, valid, reluIf(a02, relu)); put(yr, l, j, 12, valid, reluIf(a03, relu));
    put(yr, l, j + 1, 0, valid, reluIf(a10, relu)); put(yr, l, j + 1, 4, valid, reluIf(a11, relu));
    put(yr, l, j + 1, 8, valid, reluIf(a12, relu)); put(yr, l, j + 1, 12, valid, reluIf(a13, relu));
  }
  for (; j < Wo; j++) {
    const x0 = xr + <usize>j * 4;
    let a00 = b0, a01 = b1, a02 = b2, a03 = b3;
    let w = w0;
    for (let t = 0; t < K; t++) {
      const s = v128.load32_splat(x0 + <usize>load<i32>(offs + <usize>t * 4));
      a00 = f32x4.add(a00, f32x4.mul(s, v128.load(w))); a01 = f32x4.add(a01, f32x4.mul(s, v128.load(w, 16)));
      a02 = f32x4.add(a02, f32x4.mul(s, v128.load(w, 32))); a03 = f32x4.add(a03, f32x4.mul(s, v128.load(w, 48)));
      w += ldw;
    }
    put(yr, l, j, 0, valid, reluIf(a00, relu)); put(yr, l, j, 4, valid, reluIf(a01, relu));
    put(yr, l, j, 8, valid, reluIf(a02, relu)); put(yr, l, j, 12, valid, reluIf(a03, relu));
  }
}

/** One output row, 8 channels: 4 outputs at a time (as row16). */
function row8(K: i32, xr: usize, offs: usize, w0: usize, ldw: usize, bias: usize, yr: usize, L: i32, Wo: i32, valid: i32, relu: i32): void {
  const b0 = v128.load(bias), b1 = v128.load(bias, 16);
  const l = <usize>L;
  let j = 0;
  for (; j + 4 <= Wo; j += 4) {
    const x0 = xr + <usize>j * 4;
    let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
    let w = w0;
    for (let t = 0; t < K; t++) {
      const xo = x0 + <usize>load<i32>(offs + <usize>t * 4);
      const v0 = v128.load(w), v1 = v128.load(w, 16);
      let s = v128.load32_splat(xo);
      a00 = f32x4.add(a00, f32x4.mul(s, v0)); a01 = f32x4.add(a01, f32x4.mul(s, v1));
      s = v128.load32_splat(xo, 4);
      a10 = f32x4.add(a10, f32x4.mul(s, v0)); a11 = f32x4.add(a11, f32x4.mul(s, v1));
      s = v128.load32_splat(xo, 8);
      a20 = f32x4.add(a20, f32x4.mul(s, v0)); a21 = f32x4.add(a21, f32x4.mul(s, v1));
      s = v128.load32_splat(xo, 12);
      a30 = f32x4.add(a30, f32x4.mul(s, v0)); a31 = f32x4.add(a31, f32x4.mul(s, v1));
      w += ldw;
    }
    put4(yr, l, j, 0, valid, reluIf(a00, relu), reluIf(a10, relu), reluIf(a20, relu), reluIf(a30, relu));
    put4(yr, l, j, 4, valid, reluIf(a01, relu), reluIf(a11, relu), reluIf(a21, relu), reluIf(a31, relu));
  }
  for (; j < Wo; j++) {
    const x0 = xr + <usize>j * 4;
    let a00 = b0, a01 = b1;
    let w = w0;
    for (let t = 0; t < K; t++) {
      const s = v128.load32_splat(x0 + <usize>load<i32>(offs + <usize>t * 4));
      a00 = f32x4.add(a00, f32x4.mul(s, v128.load(w)));
      a01 = f32x4.add(a01, f32x4.mul(s, v128.load(w, 16)));
      w += ldw;
    }
    put(yr, l, j, 0, valid, reluIf(a00, relu)); put(yr, l, j, 4, valid, reluIf(a01, relu));
  }
}

/** One output row, 4 channels: 8 outputs at a time (as row16). */
function row4(K: i32, xr: usize, offs: usize, w0: usize, ldw: usize, bias: usize, yr: usize, L: i32, Wo: i32, valid: i32, relu: i32): void {
  const b0 = v128.load(bias);
  const l = <usize>L;
  let j = 0;
  for (; j + 8 <= Wo; j += 8) {
    const x0 = xr + <usize>j * 4;
    let a0 = b0, a1 = b0, a2 = b0, a3 = b0, a4 = b0, a5 = b0, a6 = b0, a7 = b0;
    let w = w0;
    for (let t = 0; t < K; t++) {
      const xo = x0 + <usize>load<i32>(offs + <usize>t * 4);
      const v = v128.load(w);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xo), v));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xo, 4), v));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xo, 8), v));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xo, 12), v));
      a4 = f32x4.add(a4, f32x4.mul(v128.load32_splat(xo, 16), v));
      a5 = f32x4.add(a5, f32x4.mul(v128.load32_splat(xo, 20), v));
      a6 = f32x4.add(a6, f32x4.mul(v128.load32_splat(xo, 24), v));
      a7 = f32x4.add(a7, f32x4.mul(v128.load32_splat(xo, 28), v));
      w += ldw;
    }
    put4(yr, l, j, 0, valid, reluIf(a0, relu), reluIf(a1, relu), reluIf(a2, relu), reluIf(a3, relu));
    put4(yr, l, j + 4, 0, valid, reluIf(a4, relu), reluIf(a5, relu), reluIf(a6, relu), reluIf(a7, relu));
  }
  for (; j < Wo; j++) {
    const x0 = xr + <usize>j * 4;
    let a0 = b0;
    let w = w0;
    for (let t = 0; t < K; t++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x0 + <usize>load<i32>(offs + <usize>t * 4)), v128.load(w)));
      w += ldw;
    }
    put(yr, l, j, 0, valid, reluIf(a0, relu));
  }
}
