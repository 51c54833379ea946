// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * dW of the direct convolution (asm/direct.ts), the forward's product transposed:
 *
 *   dw[co][t] += Σ_(i,j) dY[co][i, j] · xp[(i, j) + off(t)],   t = (ci, kh, kw)
 *
 * vectorised over output channels as the forward is (4 channels of one output per f32x4), a
 * register tile being 16 channels × 2 taps (or 8 × 4, 4 × 8: 8 accumulators) summed over the
 * image's outputs in row order, then added to dw: one fixed order per shape.
 */
import { at, ceil4, paddedH, paddedW, prepareImage } from './direct';

/**
 * dw += Σ_{n0 ≤ n < n1} dY[n] ⋆ x[n] for stride 1 (the caller zeroes dw):
 *
 *   dw[co, t] += Σ_{i, j} dy[n, co, i, j] · xp[(i, j) + off(t)]
 *
 * with dY transposed per image to dyT[i·Wo + j][c] (⌈CoutG/4⌉·4 columns, zeros past CoutG) so
 * that 4 channels of one output are one load. A tile is 16 channels × 2 taps (or 8 × 4, 4 × 8),
 * summed over the image's outputs in row order, then added to dw. `scratch` holds
 * directBytes(d).
 */
export function convGradWeightDirect(d: usize, dy: usize, x: usize, dw: usize, n0: i32, n1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), Cout = at(d, 4), KH = at(d, 5), KW = at(d, 6);
  const Ho = at(d, 13), Wo = at(d, 14), groups = at(d, 15);
  const CinG = Cin / groups, CoutG = Cout / groups, CoutP = ceil4(CoutG);
  const K = CinG * KH * KW, L = Ho * Wo, Wp = paddedW(d);
  const xp = (scratch + 15) & ~15;
  const offs = xp + <usize>(CinG * paddedH(d) * Wp) * 4;
  const dyT = offs + <usize>ceil4(K) * 4;
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      const img = prepareImage(d, x, n, g, xp, offs);
      transposeDy(dy + <usize>((n * Cout + g * CoutG) * L) * 4, CoutG, CoutP, L, dyT);
      const dwg = dw + <usize>(g * CoutG * K) * 4;
      let c = 0;
      while (c < CoutG) {
        const left = CoutG - c;
        const size = left > 8 ? 16 : left > 4 ? 8 : 4;
        const valid = min(size, left);
        const dyc = dyT + <usize>c * 4;
        const dwc = dwg + <usize>(c * K) * 4;
        const taps = size == 16 ? 2 : size == 8 ? 4 : 8;
        let t = 0;
        for (; t + taps <= K; t += taps) {
          if (size == 16) dw16x2(img, offs + <usize>t * 4, dyc, CoutP, Ho, Wo, Wp, dwc + <usize>t * 4, K, valid);
          else if (size == 8) dw8x4(img, offs + <usize>t * 4, dyc, CoutP, Ho, Wo, Wp, dwc + <usize>t * 4, K, valid);
          else dw4x8(img, offs + <usize>t * 4, dyc, CoutP, Ho, Wo, Wp, dwc + <usize>t * 4, K, valid);
        }
        for (; t < K; t++) dwTap(img, load<i32>(offs + <usize>t * 4), dyc, CoutP, size >> 2, Ho, Wo, Wp, dwc + <usize>t * 4, K, valid);
        c += size;
      }
    }
  }
}

/**
 * dyT[p][c] = dy[c][p] for c < C, 0 for C ≤ c < CP (p < L): 4 channels × 4 outputs at a time,
 * transposed in registers (the scalar loop stored one float per strided write).
 */
function transposeDy(dy: usize, C: i32, CP: i32, L: i32, dyT: usize): void {
  const z = f32x4.splat(0);
  const ld = <usize>L * 4, ldT = <usize>CP * 4;
  for (let c = 0; c < CP; c += 4) {
    const r0 = dy + <usize>(c * L) * 4;
    let p = 0;
    for (; p + 4 <= L; p += 4) {
      const o = <usize>p * 4;
      const a = v128.load(r0 + o);
      const b = c + 1 < C ? v128.load(r0 + ld + o) : z;
      const e = c + 2 < C ? v128.load(r0 + 2 * ld + o) : z;
      const f = c + 3 < C ? v128.load(r0 + 3 * ld + o) : z;
      const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const ef0 = v128.shuffle<f32>(e, f, 0, 4, 1, 5), ef1 = v128.shuffle<f32>(e, f, 2, 6, 3, 7);
      const d = dyT + (<usize>p * ldT) + <usize>c * 4;
      v128.store(d, v128.shuffle<f32>(ab0, ef0, 0, 1, 4, 5));
      v128.store(d + ldT, v128.shuffle<f32>(ab0, ef0, 2, 3, 6, 7));
      v128.store(d + 2 * ldT, v128.shuffle<f32>(ab1, ef1, 0, 1, 4, 5));
      v128.store(d + 3 * ldT, v128.shuffle<f32>(ab1, ef1, 2, 3, 6, 7));
    }
    for (; p < L; p++) {
      for (let k = 0; k < 4; k++) {
        store<f32>(dyT + <usize>(p * CP + c + k) * 4, c + k < C ? load<f32>(dy + <usize>((c + k) * L + p) * 4) : 0);
      }
    }
  }
}

/** dw[q][t] += lane q of a (channels q < valid; row stride K floats). */
// @ts-ignore: decorator
@inline function addDw(dw: usize, K: i32, q: i32, valid: i32, a: v128): void {
  const l = <usize>K * 4, o = dw + <usize>q * l;
  if (q < valid) store<f32>(o, load<f32>(o) + f32x4.extract_lane(a, 0));
  if (q + 1 < valid) store<f32>(o + l, load<f32>(o + l) + f32x4.extract_lane(a, 1));
  if (q + 2 < valid) store<f32>(o + 2 * l, load<f32>(o + 2 * l) + f32x4.extract_lane(a, 2));
  if (q + 3 < valid) store<f32>(o + 3 * l, load<f32>(o + 3 * l) + f32x4.extract_lane(a, 3));
}

/** 16 channels × taps t, t+1 (offsets at `offs`), summed over the Ho × Wo outputs. */
function dw16x2(img: usize, offs: usize, dyc: usize, CoutP: i32, Ho: i32, Wo: i32, Wp: i32, dw: usize, K: i32, valid: i32): void {
  let a00 = f32x4.splat(0), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  const o0 = <usize>load<i32>(offs), o1 = <usize>load<i32>(offs, 4);
  const ld = <usize>CoutP * 4;
  let yp = dyc;
  for (let i = 0; i < Ho; i++) {
    let p0 = img + <usize>(i * Wp) * 4 + o0, p1 = img + <usize>(i * Wp) * 4 + o1;
    for (let j = 0; j < Wo; j++) {
      const v0 = v128.load(yp), v1 = v128.load(yp, 16), v2 = v128.load(yp, 32), v3 = v128.load(yp, 48);
      let s = v128.load32_splat(p0);
      a00 = f32x4.add(a00, f32x4.mul(s, v0)); a01 = f32x4.add(a01, f32x4.mul(s, v1));
      a02 = f32x4.add(a02, f32x4.mul(s, v2)); a03 = f32x4.add(a03, f32x4.mul(s, v3));
      s = v128.load32_splat(p1);
      a10 = f32x4.add(a10, f32x4.mul(s, v0)); a11 = f32x4.add(a11, f32x4.mul(s, v1));
      a12 = f32x4.add(a12, f32x4.mul(s, v2)); a13 = f32x4.add(a13, f32x4.mul(s, v3));
      yp += ld; p0 += 4; p1 += 4;
    }
  }
  addDw(dw, K, 0, valid, a00); addDw(dw, K, 4, valid, a01); addDw(dw, K, 8, valid, a02); addDw(dw, K, 12, valid, a03);
  addDw(dw + 4, K, 0, valid, a10); addDw(dw + 4, K, 4, valid, a11); addDw(dw + 4, K, 8, valid, a12); addDw(dw + 4, K, 12, valid, a13);
}

/** 8 channels × taps t … t+3, summed over the outputs. */
function dw8x4(img: usize, offs: usize, dyc: usize, CoutP: i32, Ho: i32, Wo: i32, Wp: i32, dw: usize, K: i32, valid: i32): void {
  let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  const o0 = <usize>load<i32>(offs), o1 = <usize>load<i32>(offs, 4), o2 = <usize>load<i32>(offs, 8), o3 = <usize>load<i32>(offs, 12);
  const ld = <usize>CoutP * 4;
  let yp = dyc;
  for (let i = 0; i < Ho; i++) {
    const r = img + <usize>(i * Wp) * 4;
    for (let j = 0; j < Wo; j++) {
      const q = r + <usize>j * 4;
      const v0 = v128.load(yp), v1 = v128.load(yp, 16);
      let s = v128.load32_splat(q + o0);
      a00 = f32x4.add(a00, f32x4.mul(s, v0)); a01 = f32x4.add(a01, f32x4.mul(s, v1));
      s = v128.load32_splat(q + o1);
      a10 = f32x4.add(a10, f32x4.mul(s, v0)); a11 = f32x4.add(a11, f32x4.mul(s, v1));
      s = v128.load32_splat(q + o2);
      a20 = f32x4.add(a20, f32x4.mul(s, v0)); a21 = f32x4.add(a21, f32x4.mul(s, v1));
      s = v128.load32_splat(q + o3);
      a30 = f32x4.add(a30, f32x4.mul(s, v0)); a31 = f32x4.add(a31, f32x4.mul(s, v1));
      yp += ld;
    }
  }
  addDw(dw, K, 0, valid, a00); addDw(dw, K, 4, valid, a01);
  addDw(dw + 4, K, 0, valid, a10); addDw(dw + 4, K, 4, valid, a11);
  addDw(dw + 8, K, 0, valid, a20); addDw(dw + 8, K, 4, valid, a21);
  addDw(dw + 12, K, 0, valid, a30); addDw(dw + 12, K, 4, valid, a31);
}

/** 4 channels × taps t … t+7, summed over the outputs. */
function dw4x8(img: usize, offs: usize, dyc: usize, CoutP: i32, Ho: i32, Wo: i32, Wp: i32, dw: usize, K: i32, valid: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const o0 = <usize>load<i32>(offs), o1 = <usize>load<i32>(offs, 4), o2 = <usize>load<i32>(offs, 8), o3 = <usize>load<i32>(offs, 12);
  const o4 = <usize>load<i32>(offs, 16), o5 = <usize>load<i32>(offs, 20), o6 = <usize>load<i32>(offs, 24), o7 = <usize>load<i32>(offs, 28);
  const ld = <usize>CoutP * 4;
  let yp = dyc;
  for (let i = 0; i < Ho; i++) {
    const r = img + <usize>(i * Wp) * 4;
    for (let j = 0; j < Wo; j++) {
      const q = r + <usize>j * 4;
      const v = v128.load(yp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(q + o0), v));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(q + o1), v));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(q + o2), v));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(q + o3), v));
      a4 = f32x4.add(a4, f32x4.mul(v128.load32_splat(q + o4), v));
      a5 = f32x4.add(a5, f32x4.mul(v128.load32_splat(q + o5), v));
      a6 = f32x4.add(a6, f32x4.mul(v128.load32_splat(q + o6), v));
      a7 = f32x4.add(a7, f32x4.mul(v128.load32_splat(q + o7), v));
      yp += ld;
    }
  }
  addDw(dw, K, 0, valid, a0); addDw(dw + 4, K, 0, valid, a1); addDw(dw + 8, K, 0, valid, a2); addDw(dw + 12, K, 0, valid, a3);
  addDw(dw + 16, K, 0, valid, a4); addDw(dw + 20, K, 0, valid, a5); addDw(dw + 24, K, 0, valid, a6); addDw(dw + 28, K, 0, valid, a7);
}

/** One tap t (image offset `o`) of `vecs` channel vectors (1, 2 or 4), summed over the outputs. */
function dwTap(img: usize, o: i32, dyc: usize, CoutP: i32, vecs: i32, Ho: i32, Wo: i32, Wp: i32, dw: usize, K: i32, valid: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  const ld = <usize>CoutP * 4;
  let yp = dyc;
  for (let i = 0; i < Ho; i++) {
    let q = img + <usize>(i * Wp) * 4 + <usize>o;
    for (let j = 0; j < Wo; j++) {
      const s = v128.load32_splat(q);
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(yp)));
      if (vecs > 1) a1 = f32x4.add(a1, f32x4.mul(s, v128.load(yp, 16)));
      if (vecs > 2) {
        a2 = f32x4.add(a2, f32x4.mul(s, v128.load(yp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(s, v128.load(yp, 48)));
      }
      yp += ld; q += 4;
    }
  }
  addDw(dw, K, 0, valid, a0);
  if (vecs > 1) addDw(dw, K, 4, valid, a1);
  if (vecs > 2) { addDw(dw, K, 8, valid, a2); addDw(dw, K, 12, valid, a3); }
}
