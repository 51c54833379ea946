// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Direct convolution for stride 1 and few input channels (LeNet's C1 with Cin = 1, C3 with
 * Cin = 6), where im2col's copy is as big as the GEMM's work: K = CinG·KH·KW floats are
 * written per output pixel and read back once per 4 output channels. Here the image is copied
 * once, zero-padded, and each output is summed straight from it:
 *
 *   y[n, co, i, j] = b[co] + Σ_{ci, kh, kw} w[co, ci, kh, kw] · xp[ci, i + kh·DH, j + kw·DW]
 *
 * The trick (as in "implicit GEMM" on a padded row pitch): with the padded width Wp = Wo +
 * DW·(KW − 1), output (i, j) sits at p = i·Wp + j, and each tap reads xp at p + off(ci, kh, kw)
 * — contiguous in p. So a 4-output-channel × 8-position tile is the GEMM micro-kernel's 4×8 tile
 * (8 f32x4 accumulators) with the "B" vectors loaded from shifted rows of the padded image
 * instead of packed cols. The Wp − Wo columns past each row's end are computed and dropped
 * (KW−1 of Wp: 4 of 32 for C1, 4 of 14 for C3).
 *
 * One sum per output in tap order (ci, kh, kw), bias added last: a fixed order per shape, so
 * the bits do not depend on threads or chunks. Uses the descriptor of asm/conv.ts, whose
 * convForward / convGradWeight call these kernels when its fields 18 / 19 say so.
 *
 * dX the same way (a direct convolution of dY, padded by KH−1−top, with the flipped transposed
 * weights) was built and measured: 0.2–0.35× the GEMM + col2im path on LeNet's C1 and C3, since
 * dX has few output channels there (1 and 6: the 4-channel tiles run 75 % / 25 % empty) on a
 * padded pitch 18 wide for 14 columns. It was removed.
 */

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

/** Output rows per band: the tile loop keeps a band's [CoutP][rows·Wp] outputs near L1. */
function bandRows(Ho: i32, Wp: i32, CoutP: i32): i32 {
  return max(1, min(Ho, 8192 / (CoutP * Wp)));
}

// @ts-ignore: decorator
@inline function ceil(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

/**
 * Scratch bytes (one thread) of convForwardDirect (padded image, taps, weights, a band of
 * outputs) or convGradWeightDirect (padded image, taps, dY on the padded pitch), the larger.
 */
export function directBytes(d: usize): i32 {
  const Cin = at(d, 1), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15);
  const CinG = Cin / groups, CoutG = Cout / groups, CoutP = ceil(CoutG, 4);
  const Hp = Ho + at(d, 9) * (KH - 1), Wp = Wo + at(d, 10) * (KW - 1);
  const K = CinG * KH * KW;
  const rows = bandRows(Ho, Wp, CoutP);
  const forward = K * CoutP + CoutP * ceil(rows * Wp, 8);
  const gradWeight = CoutG * ceil(Ho * Wp, 4);
  return (CinG * Hp * Wp + Wp + 16 + K + max(forward, gradWeight)) * 4 + 64;
}

/**
 * y for images n0 ≤ n < n1 (stride 1) and output channels co0 ≤ co < co1 (multiples of 4 or
 * Cout; with groups > 1 all of them); `scratch` holds directBytes(d); `work` is unused.
 */
export function convForwardDirect(d: usize, x: usize, w: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const DH = at(d, 9), DW = at(d, 10), top = at(d, 11), left = at(d, 12);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15);
  const CinG = Cin / groups, CoutG = Cout / groups, CoutP = ceil(CoutG, 4);
  const Hp = Ho + DH * (KH - 1), Wp = Wo + DW * (KW - 1);
  const K = CinG * KH * KW;
  const rows = bandRows(Ho, Wp, CoutP);
  const bandP = ceil(rows * Wp, 8);
  const xp = (scratch + 15) & ~15;
  const xpFloats = CinG * Hp * Wp + Wp + 16; // slack: the last tile reads up to Wp + 7 past the image
  const offs = xp + <usize>xpFloats * 4;
  const wt = (offs + <usize>K * 4 + 15) & ~15;
  const out = wt + <usize>(K * CoutP) * 4;
  tapOffsets(CinG, KH, KW, DH, DW, Hp, Wp, offs);
  // the channels of this chunk, within the group (groups = 1 when it is a part)
  const cLo = groups == 1 ? co0 : 0, cHi = groups == 1 ? co1 : CoutG;
  for (let g = 0; g < groups; g++) {
    // weights as wt[t][co] (t = tap, CoutP columns, zeros past CoutG): one load gives 4 channels' weights
    memory.fill(wt, 0, <usize>(K * CoutP) * 4);
    for (let co = 0; co < CoutG; co++) for (let t = 0; t < K; t++) {
      store<f32>(wt + <usize>(t * CoutP + co) * 4, load<f32>(w + <usize>(((g * CoutG + co) * K) + t) * 4));
    }
    for (let n = n0; n < n1; n++) {
      padImage(x + <usize>((n * Cin + g * CinG) * H * W) * 4, CinG, H, W, Hp, Wp, top, left, xp, xpFloats);
      for (let i0 = 0; i0 < Ho; i0 += rows) {
        const nr = min(rows, Ho - i0);
        const P = nr * Wp;
        const xb = xp + <usize>(i0 * Wp) * 4;
        for (let co = cLo; co < cHi; co += 4) {
          tiles(K, xb, offs, wt + <usize>co * 4, CoutP, P, out + <usize>(co * bandP) * 4, bandP);
        }
        // keep the Wo valid columns of each row, bias added last
        for (let co = cLo; co < cHi; co++) {
          const bv = b == 0 ? <f32>0 : load<f32>(b + <usize>(g * CoutG + co) * 4);
          const vb = f32x4.splat(bv);
          const src = out + <usize>(co * bandP) * 4;
          const dst = y + <usize>(((n * Cout + g * CoutG + co) * Ho + i0) * Wo) * 4;
          for (let r = 0; r < nr; r++) {
            const s = src + <usize>(r * Wp) * 4, o = dst + <usize>(r * Wo) * 4;
            let j = 0;
            for (; j + 4 <= Wo; j += 4) v128.store(o + <usize>j * 4, f32x4.add(v128.load(s + <usize>j * 4), vb));
            for (; j < Wo; j++) store<f32>(o + <usize>j * 4, load<f32>(s + <usize>j * 4) + bv);
          }
        }
      }
    }
  }
}

/** xp[ci, r, c] = x[ci, r − top, c − left] inside the image, 0 outside (and in the slack). */
function padImage(x: usize, C: i32, H: i32, W: i32, Hp: i32, Wp: i32, top: i32, left: i32, xp: usize, floats: i32): void {
  memory.fill(xp, 0, <usize>floats * 4);
  const src0 = max(0, -left), dst0 = max(0, left);
  const cw = min(W - src0, Wp - dst0); // columns of x that land inside
  if (cw <= 0) return;
  for (let ci = 0; ci < C; ci++) {
    for (let r = max(0, top); r < min(Hp, H + top); r++) {
      memory.copy(xp + <usize>((ci * Hp + r) * Wp + dst0) * 4, x + <usize>((ci * H + r - top) * W + src0) * 4, <usize>cw * 4);
    }
  }
}

/** Tap offsets in the padded image (pitch Wp, Hp rows per channel), in (ci, kh, kw) order. */
function tapOffsets(CinG: i32, KH: i32, KW: i32, DH: i32, DW: i32, Hp: i32, Wp: i32, offs: usize): void {
  for (let ci = 0; ci < CinG; ci++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
    store<i32>(offs + <usize>((ci * KH + kh) * KW + kw) * 4, (ci * Hp + kh * DH) * Wp + kw * DW);
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * dw += Σ_{n0 ≤ n < n1} dY[n] ⋆ x[n] for stride 1, without im2col (the caller zeroes dw):
 *
 *   dw[co, ci, kh, kw] = Σ_{i, j} dy[n, co, i, j] · xp[ci, i + kh·DH, j + kw·DW]
 *
 * dY is copied onto the padded pitch Wp with zeros in the Wp − Wo columns past each row, so
 * each weight is one dot product of two contiguous runs (dY row co, xp from the tap's offset),
 * 2 channels × 4 taps at a time (8 f32x4 accumulators, reduced pairwise at the end, then added
 * to dw: one fixed order per shape). `scratch` holds directBytes(d).
 */
export function convGradWeightDirect(d: usize, dy: usize, x: usize, dw: usize, n0: i32, n1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const DH = at(d, 9), DW = at(d, 10), top = at(d, 11), left = at(d, 12);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15);
  const CinG = Cin / groups, CoutG = Cout / groups;
  const Hp = Ho + DH * (KH - 1), Wp = Wo + DW * (KW - 1);
  const K = CinG * KH * KW;
  const P4 = ceil(Ho * Wp, 4);
  const xp = (scratch + 15) & ~15;
  const xpFloats = CinG * Hp * Wp + Wp + 16;
  const offs = xp + <usize>xpFloats * 4;
  const dyp = (offs + <usize>K * 4 + 15) & ~15;
  tapOffsets(CinG, KH, KW, DH, DW, Hp, Wp, offs);
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      padImage(x + <usize>((n * Cin + g * CinG) * H * W) * 4, CinG, H, W, Hp, Wp, top, left, xp, xpFloats);
      memory.fill(dyp, 0, <usize>(CoutG * P4) * 4);
      for (let co = 0; co < CoutG; co++) {
        const src = dy + <usize>((n * Cout + g * CoutG + co) * Ho * Wo) * 4;
        for (let i = 0; i < Ho; i++) memory.copy(dyp + <usize>(co * P4 + i * Wp) * 4, src + <usize>(i * Wo) * 4, <usize>Wo * 4);
      }
      const dwg = dw + <usize>(g * CoutG * K) * 4;
      let co = 0;
      for (; co + 2 <= CoutG; co += 2) {
        const y0 = dyp + <usize>(co * P4) * 4, y1 = y0 + <usize>P4 * 4;
        const c0 = dwg + <usize>(co * K) * 4, c1 = c0 + <usize>K * 4;
        let t = 0;
        for (; t + 4 <= K; t += 4) {
          const b0 = xp + <usize>load<i32>(offs + <usize>t * 4) * 4, b1 = xp + <usize>load<i32>(offs + <usize>(t + 1) * 4) * 4;
          const b2 = xp + <usize>load<i32>(offs + <usize>(t + 2) * 4) * 4, b3 = xp + <usize>load<i32>(offs + <usize>(t + 3) * 4) * 4;
          let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
          let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
          for (let q = 0; q < P4; q += 4) {
            const o = <usize>q * 4;
            const u0 = v128.load(y0 + o), u1 = v128.load(y1 + o);
            let v = v128.load(b0 + o);
            s00 = f32x4.add(s00, f32x4.mul(u0, v));
            s10 = f32x4.add(s10, f32x4.mul(u1, v));
            v = v128.load(b1 + o);
            s01 = f32x4.add(s01, f32x4.mul(u0, v));
            s11 = f32x4.add(s11, f32x4.mul(u1, v));
            v = v128.load(b2 + o);
            s02 = f32x4.add(s02, f32x4.mul(u0, v));
            s12 = f32x4.add(s12, f32x4.mul(u1, v));
            v = v128.load(b3 + o);
            s03 = f32x4.add(s03, f32x4.mul(u0, v));
            s13 = f32x4.add(s13, f32x4.mul(u1, v));
          }
          const e0 = c0 + <usize>t * 4, e1 = c1 + <usize>t * 4;
          store<f32>(e0, load<f32>(e0) + hsum(s00));
          store<f32>(e0 + 4, load<f32>(e0 + 4) + hsum(s01));
          store<f32>(e0 + 8, load<f32>(e0 + 8) + hsum(s02));
          store<f32>(e0 + 12, load<f32>(e0 + 12) + hsum(s03));
          store<f32>(e1, load<f32>(e1) + hsum(s10));
          store<f32>(e1 + 4, load<f32>(e1 + 4) + hsum(s11));
          store<f32>(e1 + 8, load<f32>(e1 + 8) + hsum(s12));
          store<f32>(e1 + 12, load<f32>(e1 + 12) + hsum(s13));
        }
        for (; t < K; t++) {
          const bt = xp + <usize>load<i32>(offs + <usize>t * 4) * 4;
          dotInto(y0, bt, P4, c0 + <usize>t * 4);
          dotInto(y1, bt, P4, c1 + <usize>t * 4);
        }
      }
      for (; co < CoutG; co++) {
        const y0 = dyp + <usize>(co * P4) * 4;
        for (let t = 0; t < K; t++) dotInto(y0, xp + <usize>load<i32>(offs + <usize>t * 4) * 4, P4, dwg + <usize>(co * K + t) * 4);
      }
    }
  }
}

/** *c += Σ_{q < P4} a[q]·b[q] (P4 a multiple of 4), reduced as convGradWeightDirect's blocks. */
function dotInto(a: usize, b: usize, P4: i32, c: usize): void {
  let s = f32x4.splat(0);
  for (let q = 0; q < P4; q += 4) s = f32x4.add(s, f32x4.mul(v128.load(a + <usize>q * 4), v128.load(b + <usize>q * 4)));
  store<f32>(c, load<f32>(c) + hsum(s));
}

/**
 * out[c][p] = Σ_t wt[t][c] · xb[p + offs[t]] for 4 channels c and positions 0 ≤ p < P (rounded
 * up to 8), 4 × 8 at a time: per tap 2 image loads, 1 weight load, 4 lane broadcasts, 16 f32x4 ops.
 */
function tiles(K: i32, xb: usize, offs: usize, wt: usize, ldw: i32, P: i32, out: usize, ldo: i32): void {
  for (let p = 0; p < P; p += 8) {
    let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
    let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
    const xq = xb + <usize>p * 4;
    for (let t = 0; t < K; t++) {
      const src = xq + <usize>load<i32>(offs + <usize>t * 4) * 4;
      const x0 = v128.load(src), x1 = v128.load(src, 16);
      const wv = v128.load(wt + <usize>(t * ldw) * 4);
      let s = i32x4.shuffle(wv, wv, 0, 0, 0, 0);
      a00 = f32x4.add(a00, f32x4.mul(s, x0));
      a01 = f32x4.add(a01, f32x4.mul(s, x1));
      s = i32x4.shuffle(wv, wv, 1, 1, 1, 1);
      a10 = f32x4.add(a10, f32x4.mul(s, x0));
      a11 = f32x4.add(a11, f32x4.mul(s, x1));
      s = i32x4.shuffle(wv, wv, 2, 2, 2, 2);
      a20 = f32x4.add(a20, f32x4.mul(s, x0));
      a21 = f32x4.add(a21, f32x4.mul(s, x1));
      s = i32x4.shuffle(wv, wv, 3, 3, 3, 3);
      a30 = f32x4.add(a30, f32x4.mul(s, x0));
      a31 = f32x4.add(a31, f32x4.mul(s, x1));
    }
    const o = out + <usize>p * 4, l = <usize>ldo * 4;
    v128.store(o, a00); v128.store(o, a01, 16);
    v128.store(o + l, a10); v128.store(o + l, a11, 16);
    v128.store(o + 2 * l, a20); v128.store(o + 2 * l, a21, 16);
    v128.store(o + 3 * l, a30); v128.store(o + 3 * l, a31, 16);
  }
}
