// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Winograd F(3×3, 2×2) for dW of 3×3, stride-1, undilated, ungrouped convolutions. dW is a
 * correlation of x with dY, so over each 2×2 output tile t (the forward's tiles, asm/winograd.ts)
 *
 *   dW[co, ci] = Σ_n Σ_t Aᵀ [ (G dy_t Gᵀ) ⊙ (Bᵀ x_t B) ] A,
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 −1 0 1],  G = [1 0; ½ ½; ½ −½; 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 1],
 *
 * with dy_t the 2×2 block of dY[n, co] at tile t and x_t the 4×4 patch of x[n, ci] under it. The
 * transforms are linear, so the sum over tiles moves inside: M[ξ][co][ci] = Σ_t U[ξ][co][t] ·
 * V[ξ][ci][t] is 16 GEMMs with the tiles as their depth (2.25× fewer multiply-adds than
 * dY·colsᵀ), and Aᵀ M A is taken once per (co, ci) at the end of a chunk of images.
 *
 * This Bᵀ is the forward's with its last row negated: Bᵀ x B = (Bᵀ_fwd x B_fwd) ⊙ s sᵀ with
 * s = (1, 1, 1, −1), so the forward's input transform is reused and the signs go onto U (the ξ
 * in the last row or the last column of the 4×4, not both).
 *
 * Sums in a fixed order per shape (tiles in batches of row blocks, 4 lanes then pairwise,
 * batches in order, images in order): the bits depend on the chunk of images only, which threads.ts fixes
 * by the shape. Descriptor fields as in asm/conv.ts.
 */
import { blockRows, inputTransform, padRows } from './winograd';

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

// @ts-ignore: decorator
@inline function ceil(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Fewest tiles the dot products of one batch run over: row blocks (of one image or several) are
 * transformed side by side until they hold this many, so the 4-lane sums, their reduction and
 * the update of M are paid once per ≥ 128 tiles. Measured with row blocks alone: 512 channels
 * at 14 × 14 (16 tiles a block) ran 0.76× the GEMM, at 7 × 7 0.5×.
 */
const DOT_TILES: i32 = 128;

/** Tiles a batch of row blocks holds (a multiple of 4): ⌈DOT_TILES / (R·twP)⌉ blocks. */
function batchTiles(R: i32, twP: i32): i32 {
  const per = R * twP;
  return ((DOT_TILES + per - 1) / per) * per;
}

/** Scratch bytes of one thread of convGradWeightWinograd: padded x rows, V, the dY rows, U, M. */
export function winogradDwBytes(d: usize): i32 {
  const Cin = at(d, 1), Cout = at(d, 4), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 1) / 2, twP = ceil((Wo + 1) / 2, 4);
  const R = blockRows(Cin, ceil(Cout, 4), th, twP);
  const ld = batchTiles(R, twP);
  const Wp = 2 * twP + 4;
  return (Cin * (2 * R + 2) * Wp + 16 * Cin * ld + Cout * 2 * R * 2 * twP + 16 * Cout * ld + 16 * Cout * Cin + 32) * 4 + 64;
}

/** dw += Σ_{n0 ≤ n < n1} dW of image n (the caller zeroes dw); `scratch` holds winogradDwBytes(d). */
export function convGradWeightWinograd(d: usize, dy: usize, x: usize, dw: usize, n0: i32, n1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4);
  const top = at(d, 11), left = at(d, 12), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 1) / 2, twP = ceil((Wo + 1) / 2, 4);
  const R = blockRows(Cin, ceil(Cout, 4), th, twP);
  const ld = batchTiles(R, twP); // tiles of one batch of row blocks, and the row pitch of U and V
  const Wp = 2 * twP + 4, rowsP = 2 * R + 2;
  const xp = (scratch + 15) & ~15;
  const V = xp + <usize>(Cin * rowsP * Wp) * 4;
  const dyp = V + <usize>(16 * Cin * ld) * 4;
  const U = dyp + <usize>(Cout * 2 * R * 2 * twP) * 4;
  const M = U + <usize>(16 * Cout * ld) * 4;
  memory.fill(M, 0, <usize>(16 * Cout * Cin) * 4);
  let T = 0; // tiles in the batch so far (a multiple of 4)
  for (let n = n0; n < n1; n++) {
    const xn = x + <usize>(n * Cin * H * W) * 4;
    const dyn = dy + <usize>(n * Cout * Ho * Wo) * 4;
    for (let r0 = 0; r0 < th; r0 += R) {
      const nr = min(R, th - r0);
      padRows(xn, Cin, H, W, 2 * r0 - top, 2 * nr + 2, rowsP, Wp, left, xp);
      inputTransform(xp, Cin, nr, twP, Wp, rowsP, 8, ld, Cin * ld, V + <usize>T * 4);
      dyTransform(dyn, Cout, Ho, Wo, 2 * r0, nr, twP, ld, dyp, U + <usize>T * 4);
      T += nr * twP;
      if (T + R * twP > ld) {
        dotsBatch(Cout, Cin, T, U, V, ld, M);
        T = 0;
      }
    }
  }
  if (T > 0) dotsBatch(Cout, Cin, T, U, V, ld, M);
  outputTransform(M, Cout, Cin, dw);
}

/** M[ξ] += U[ξ]·V[ξ]ᵀ over the batch's T tiles, for the 16 ξ. */
function dotsBatch(Cout: i32, Cin: i32, T: i32, U: usize, V: usize, ld: i32, M: usize): void {
  for (let xi = 0; xi < 16; xi++) {
    dotsAdd(Cout, Cin, T, U + <usize>(xi * Cout * ld) * 4, V + <usize>(xi * Cin * ld) * 4, ld, M + <usize>(xi * Cout * Cin) * 4);
  }
}

/**
 * U[ξ][co][t] = ±(G dy_t Gᵀ)[ξ] for the block's tiles, 4 tiles per f32x4 (dY rows oy0 … oy0 +
 * 2·nr copied first, zeros past Ho × Wo and on the padded tile grid); − where ξ is in the last
 * row or column of the 4×4 but not both (the file comment).
 */
function dyTransform(dy: usize, Cout: i32, Ho: i32, Wo: i32, oy0: i32, nr: i32, twP: i32, TbP: i32, dyp: usize, U: usize): void {
  const pitch = 2 * twP;
  const rows = 2 * nr;
  const xiStep = <usize>(Cout * TbP) * 4;
  const h = f32x4.splat(0.5);
  for (let co = 0; co < Cout; co++) {
    const src = dy + <usize>(co * Ho * Wo) * 4;
    const buf = dyp + <usize>(co * rows * pitch) * 4;
    memory.fill(buf, 0, <usize>(rows * pitch) * 4);
    for (let k = 0; k < min(rows, Ho - oy0); k++) memory.copy(buf + <usize>(k * pitch) * 4, src + <usize>((oy0 + k) * Wo) * 4, <usize>Wo * 4);
    for (let r = 0; r < nr; r++) {
      for (let c0 = 0; c0 < twP; c0 += 4) {
        const s = buf + <usize>(2 * r * pitch + 2 * c0) * 4;
        const a0 = v128.load(s), b0 = v128.load(s, 16);
        const a1 = v128.load(s + <usize>pitch * 4), b1 = v128.load(s + <usize>pitch * 4, 16);
        const e0 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), o0 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        const e1 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6), o1 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        // dy Gᵀ: each row [e, (e + o)/2, (e − o)/2, o]
        const p0 = f32x4.mul(f32x4.add(e0, o0), h), q0 = f32x4.mul(f32x4.sub(e0, o0), h);
        const p1 = f32x4.mul(f32x4.add(e1, o1), h), q1 = f32x4.mul(f32x4.sub(e1, o1), h);
        // G (dy Gᵀ): rows [h₀, (h₀ + h₁)/2, (h₀ − h₁)/2, h₁]; the signs s_i s_j
        const o = U + <usize>(co * TbP + r * twP + c0) * 4;
        v128.store(o, e0);
        v128.store(o + xiStep, p0);
        v128.store(o + 2 * xiStep, q0);
        v128.store(o + 3 * xiStep, f32x4.neg(o0));
        v128.store(o + 4 * xiStep, f32x4.mul(f32x4.add(e0, e1), h));
        v128.store(o + 5 * xiStep, f32x4.mul(f32x4.add(p0, p1), h));
        v128.store(o + 6 * xiStep, f32x4.mul(f32x4.add(q0, q1), h));
        v128.store(o + 7 * xiStep, f32x4.neg(f32x4.mul(f32x4.add(o0, o1), h)));
        v128.store(o + 8 * xiStep, f32x4.mul(f32x4.sub(e0, e1), h));
        v128.store(o + 9 * xiStep, f32x4.mul(f32x4.sub(p0, p1), h));
        v128.store(o + 10 * xiStep, f32x4.mul(f32x4.sub(q0, q1), h));
        v128.store(o + 11 * xiStep, f32x4.neg(f32x4.mul(f32x4.sub(o0, o1), h)));
        v128.store(o + 12 * xiStep, f32x4.neg(e1));
        v128.store(o + 13 * xiStep, f32x4.neg(p1));
        v128.store(o + 14 * xiStep, f32x4.neg(q1));
        v128.store(o + 15 * xiStep, o1);
      }
    }
  }
}

/**
 * c[m, n] += Σ_{t < T} a[m, t]·b[n, t] (T a multiple of 4, rows lda = ldb = ld apart; c is M × N),
 * 2 rows × 4 columns at a time with 4-lane partial sums reduced pairwise (as dotsNT in
 * asm/conv.ts): no packing, both operands already contiguous in t.
 */
function dotsAdd(M: i32, N: i32, T: i32, a: usize, b: usize, ld: i32, c: usize): void {
  const l = <usize>ld * 4;
  let m = 0;
  for (; m + 2 <= M; m += 2) {
    const a0 = a + <usize>m * l, a1 = a0 + l;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = b + <usize>n * l, b1 = b0 + l, b2 = b1 + l, b3 = b2 + l;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let t = 0; t < T; t += 4) {
        const o = <usize>t * 4;
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
      const c0 = c + <usize>(m * N + n) * 4, c1 = c0 + <usize>N * 4;
      store<f32>(c0, load<f32>(c0) + hsum(s00));
      store<f32>(c0 + 4, load<f32>(c0 + 4) + hsum(s01));
      store<f32>(c0 + 8, load<f32>(c0 + 8) + hsum(s02));
      store<f32>(c0 + 12, load<f32>(c0 + 12) + hsum(s03));
      store<f32>(c1, load<f32>(c1) + hsum(s10));
      store<f32>(c1 + 4, load<f32>(c1 + 4) + hsum(s11));
      store<f32>(c1 + 8, load<f32>(c1 + 8) + hsum(s12));
      store<f32>(c1 + 12, load<f32>(c1 + 12) + hsum(s13));
    }
    for (; n < N; n++) {
      dotAdd(a0, b + <usize>n * l, T, c + <usize>(m * N + n) * 4);
      dotAdd(a1, b + <usize>n * l, T, c + <usize>((m + 1) * N + n) * 4);
    }
  }
  for (; m < M; m++) for (let n = 0; n < N; n++) dotAdd(a + <usize>m * l, b + <usize>n * l, T, c + <usize>(m * N + n) * 4);
}

/** *c += Σ_{t < T} a[t]·b[t], reduced as dotsAdd's blocks. */
function dotAdd(a: usize, b: usize, T: i32, c: usize): void {
  let s = f32x4.splat(0);
  for (let t = 0; t < T; t += 4) s = f32x4.add(s, f32x4.mul(v128.load(a + <usize>t * 4), v128.load(b + <usize>t * 4)));
  store<f32>(c, load<f32>(c) + hsum(s));
}

/** dw[co, ci] += Aᵀ M[·][co][ci] A (3 × 3 from the 4 × 4 of ξ), for every (co, ci). */
function outputTransform(M: usize, Cout: i32, Cin: i32, dw: usize): void {
  const step = <usize>(Cout * Cin) * 4;
  for (let k = 0; k < Cout * Cin; k++) {
    const m = M + <usize>k * 4;
    const o = dw + <usize>(k * 9) * 4;
    for (let j = 0; j < 4; j++) {
      // Aᵀ M, column j: [m₀ + m₁ + m₂, m₁ − m₂, m₁ + m₂ + m₃] (m_i = M[4i + j])
      const m0 = load<f32>(m + <usize>j * step), m1 = load<f32>(m + <usize>(4 + j) * step);
      const m2 = load<f32>(m + <usize>(8 + j) * step), m3 = load<f32>(m + <usize>(12 + j) * step);
      store<f32>(M + <usize>(16 * Cout * Cin + j) * 4, m0 + m1 + m2); // 12 floats of slack past M
      store<f32>(M + <usize>(16 * Cout * Cin + 4 + j) * 4, m1 - m2);
      store<f32>(M + <usize>(16 * Cout * Cin + 8 + j) * 4, m1 + m2 + m3);
    }
    for (let p = 0; p < 3; p++) {
      const s = M + <usize>(16 * Cout * Cin + 4 * p) * 4;
      const s0 = load<f32>(s), s1 = load<f32>(s + 4), s2 = load<f32>(s + 8), s3 = load<f32>(s + 12);
      // (Aᵀ M) A, row p: [s₀ + s₁ + s₂, s₁ − s₂, s₁ + s₂ + s₃]
      store<f32>(o + <usize>(3 * p) * 4, load<f32>(o + <usize>(3 * p) * 4) + (s0 + s1 + s2));
      store<f32>(o + <usize>(3 * p + 1) * 4, load<f32>(o + <usize>(3 * p + 1) * 4) + (s1 - s2));
      store<f32>(o + <usize>(3 * p + 2) * 4, load<f32>(o + <usize>(3 * p + 2) * 4) + (s1 + s2 + s3));
    }
  }
}
