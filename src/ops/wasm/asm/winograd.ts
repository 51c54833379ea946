// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Winograd F(2×2, 3×3) forward for 3×3, stride-1, undilated, ungrouped convolutions (Lavin &
 * Gray, "Fast Algorithms for Convolutional Neural Networks", 2016). Each 2×2 block of outputs
 * (a *tile*) is computed from the 4×4 input patch d under it as
 *
 *   Y = Aᵀ [ Σ_ci (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1],
 *
 * so the 36 multiplies of a tile's 4 outputs per (co, ci) become 16: for each of the 16 positions
 * ξ of the transformed patch, M[ξ] = U[ξ]·V[ξ] is a GEMM (Cout × Cin) · (Cin × tiles) — 2.25×
 * fewer multiply-adds than im2col + GEMM, at the price of the transforms and a larger float
 * error (the transforms add up to 4 values per step; measured in test/ops/wasm-winograd.test.ts
 * and docs/measured.md).
 *
 * Layouts (floats):
 * - U (winogradFilter, once per call): U[ξ][co/4][ci][co%4], zeros past Cout — the GEMM's packed
 *   A panels (4 output channels side by side for each ci);
 * - per block of `R` tile rows of one image, on a tile grid padded to twP = ⌈⌈Wo/2⌉/4⌉·4 columns:
 *   the input rows the block needs, zero-padded (xp[ci][2R+2][Wp]); V[ξ][t/8][ci][t%8] (the
 *   GEMM's packed B panels, tile t = r·twP + c); M[ξ][co][t]. Consecutive ξ slices of U, V and
 *   M lie SKEW floats further apart than their size (see SKEW).
 * Input and output transforms run on 4 tiles at a time (one tile per f32x4 lane).
 *
 * Sums over ci in ci order, the transforms in a fixed order: the bits depend on the shape only,
 * never on threads or chunks. Descriptor fields as in asm/conv.ts.
 */
import { reluIf } from './elementwise';

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

// @ts-ignore: decorator
@inline function ceil(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

/**
 * Bytes of one ξ's slice of V (Cin × tiles) or of M (Cout × tiles) in a block: the GEMMs of a
 * block reread V[ξ] once per 4 output channels, so it should stay in L2 (512 KB per core here),
 * while U[ξ] (Cout × Cin, up to 1 MB) streams past once per block — so blocks are as large as
 * that allows: 512 channels at 14 × 14 then take one block per image instead of 7.
 */
const SLICE_BYTES: i32 = 32 * 1024;

/**
 * Floats between consecutive ξ slices of U, V and M beyond the slice itself (one cache line), so
 * the 16 slices a transform touches at once fall into different sets of the L1 cache: with
 * slices of a power of two (V at S3: 64 channels × 128 tiles, 32 KB) they all shared one set.
 * Same arithmetic, same bits; the forward measured 1.45–1.47× (S3), 1.57× (128 channels at
 * 56², batch 1), 1.05–1.16× (256–512 channels) faster, interleaved (docs/measured.md).
 */
export const SKEW: i32 = 16;

/** Tile rows per block. */
export function blockRows(Cin: i32, CoutP: i32, th: i32, twP: i32): i32 {
  return max(1, min(th, SLICE_BYTES / (4 * max(Cin, CoutP) * twP)));
}

/** Scratch bytes of one thread of convForwardWinograd (padded rows, V, M, an edge tile). */
export function winogradBytes(d: usize): i32 {
  const Cin = at(d, 1), Cout = at(d, 4), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 1) / 2, twP = ceil((Wo + 1) / 2, 4), CoutP = ceil(Cout, 4);
  const R = blockRows(Cin, CoutP, th, twP);
  const TbP = ceil(R * twP, 8);
  const Wp = 2 * twP + 4;
  return (Cin * (2 * R + 2) * Wp + 16 * (Cin + CoutP) * TbP + 32 * SKEW + 32) * 4 + 64;
}

/** Floats of U for descriptor d, 16 · ⌈Cout/4⌉·4 · Cin, and 48 of scratch for winogradFilter. */
export function winogradFilterFloats(d: usize): i32 {
  return 16 * (ceil(at(d, 4), 4) * at(d, 1) + SKEW) + 48;
}

/**
 * The 9 taps of output channels c0 … c0+3 for input channel ci, as 9 f32x4 at t (tap k, lane l
 * = channel c0 + l; zeros past Cout): g[kh][kw] = w[co, ci, kh, kw], or with `flip` (dX, the
 * transposed conv) w[ci, co, 2 − kh, 2 − kw] — the filter transforms of F(2×2) and F(4×4) start here.
 */
export function gatherTaps(w: usize, Cin: i32, Cout: i32, c0: i32, ci: i32, flip: i32, t: usize): void {
  for (let l = 0; l < 4; l++) {
    const co = c0 + l;
    for (let k = 0; k < 9; k++) {
      const v: f32 = co >= Cout ? 0 : flip ? load<f32>(w + <usize>((ci * Cout + co) * 9 + 8 - k) * 4) : load<f32>(w + <usize>((co * Cin + ci) * 9 + k) * 4);
      store<f32>(t + <usize>(k * 4 + l) * 4, v);
    }
  }
}

/**
 * U = G g Gᵀ for every (co, ci) of the conv of descriptor d, in the packed layout above, 4
 * output channels per f32x4 (zeros past Cout). flip = 0: g = w[co, ci] of w [Cout, Cin, 3, 3].
 * flip = 1, for dX as the convolution of dY (src/ops/wasm/conv.ts): d describes that
 * transposed conv (its Cin is the forward's Cout) and g[kh][kw] = w[ci, co, 2 − kh, 2 − kw] of
 * the forward's w [Cin_d, Cout_d, 3, 3] — the kernel turned by 180°, in and out swapped.
 */
export function winogradFilter(d: usize, w: usize, u: usize, flip: i32): void {
  const Cin = at(d, 1), Cout = at(d, 4);
  const CoutP = ceil(Cout, 4);
  const step = <usize>(CoutP * Cin + SKEW) * 4; // bytes from one ξ to the next
  const t = u + 16 * step; // 48 floats: the 9 taps of 4 channels, then G g (4 × 3) in place
  const h = f32x4.splat(0.5);
  for (let c0 = 0; c0 < CoutP; c0 += 4) {
    for (let ci = 0; ci < Cin; ci++) {
      gatherTaps(w, Cin, Cout, c0, ci, flip, t);
      const o = u + <usize>(((c0 >> 2) * Cin + ci) * 4) * 4;
      // rows of G g: [g₀, (g₀ + g₁ + g₂)/2, (g₀ − g₁ + g₂)/2, g₂] (g_k: row k of the kernel)
      for (let j = 0; j < 3; j++) {
        const g0 = v128.load(t + <usize>j * 16), g1 = v128.load(t + <usize>(3 + j) * 16), g2 = v128.load(t + <usize>(6 + j) * 16);
        v128.store(t + <usize>(j * 16), g0);
        v128.store(t + <usize>((3 + j) * 16), f32x4.mul(f32x4.add(f32x4.add(g0, g1), g2), h));
        v128.store(t + <usize>((6 + j) * 16), f32x4.mul(f32x4.add(f32x4.sub(g0, g1), g2), h));
        v128.store(t + <usize>((9 + j) * 16), g2);
      }
      // each row a times Gᵀ: [a₀, (a₀ + a₁ + a₂)/2, (a₀ − a₁ + a₂)/2, a₂]; ξ = 4i + j
      for (let i = 0; i < 4; i++) {
        const a0 = v128.load(t + <usize>(i * 48)), a1 = v128.load(t + <usize>(i * 48 + 16)), a2 = v128.load(t + <usize>(i * 48 + 32));
        const q = o + <usize>(4 * i) * step;
        v128.store(q, a0);
        v128.store(q + step, f32x4.mul(f32x4.add(f32x4.add(a0, a1), a2), h));
        v128.store(q + 2 * step, f32x4.mul(f32x4.add(f32x4.sub(a0, a1), a2), h));
        v128.store(q + 3 * step, a2);
      }
    }
  }
}

/**
 * y for images n0 ≤ n < n1 and output channels co0 ≤ co < co1 (multiples of 4 or Cout) from U
 * (winogradFilter of w) and x; `scratch` holds winogradBytes(d); `work` is unused (the GEMMs
 * read U and V in their packed layouts). A chunk with part of the channels transforms the
 * whole input itself.
 */
export function convForwardWinograd(d: usize, x: usize, u: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4);
  const top = at(d, 11), left = at(d, 12), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 1) / 2, tw = (Wo + 1) / 2, twP = ceil(tw, 4), CoutP = ceil(Cout, 4);
  const R = blockRows(Cin, CoutP, th, twP);
  const TbP = ceil(R * twP, 8);
  const Wp = 2 * twP + 4, rowsP = 2 * R + 2;
  const xp = (scratch + 15) & ~15;
  const V = xp + <usize>(Cin * rowsP * Wp) * 4;
  const ldV = Cin * TbP + SKEW, ldM = CoutP * TbP + SKEW, ldU = CoutP * Cin + SKEW;
  const M = V + <usize>(16 * ldV) * 4;
  const edge = M + <usize>(16 * ldM) * 4;
  for (let n = n0; n < n1; n++) {
    const xn = x + <usize>(n * Cin * H * W) * 4;
    for (let r0 = 0; r0 < th; r0 += R) {
      const nr = min(R, th - r0);
      padRows(xn, Cin, H, W, 2 * r0 - top, 2 * nr + 2, rowsP, Wp, left, xp);
      inputTransform(xp, Cin, nr, twP, Wp, rowsP, Cin * 8, 8, ldV, V);
      const TP = ceil(nr * twP, 8);
      for (let xi = 0; xi < 16; xi++) {
        const uX = u + <usize>(xi * ldU) * 4, vX = V + <usize>(xi * ldV) * 4, mX = M + <usize>(xi * ldM) * 4;
        for (let p = co0; p < min(co1, CoutP); p += 4) {
          const up = uX + <usize>(p * Cin) * 4;
          for (let q = 0; q < TP; q += 8) kernel4x8(Cin, up, vX + <usize>(q * Cin) * 4, mX + <usize>(p * TbP + q) * 4, <usize>TbP * 4);
        }
      }
      outputTransform(M, ldM, b, y + <usize>(n * Cout * Ho * Wo) * 4, co0, co1, TbP, nr, tw, twP, 2 * r0, Ho, Wo, edge, at(d, 22));
    }
  }
}

/** xp[ci][k][c] = x[ci][iy0 + k][c − left] inside the image, else 0 (k < rows; the rest zero too). */
export function padRows(x: usize, Cin: i32, H: i32, W: i32, iy0: i32, rows: i32, rowsP: i32, Wp: i32, left: i32, xp: usize): void {
  memory.fill(xp, 0, <usize>(Cin * rowsP * Wp) * 4);
  const src0 = max(0, -left), dst0 = max(0, left);
  const cw = min(W - src0, Wp - dst0);
  if (cw <= 0) return;
  for (let ci = 0; ci < Cin; ci++) {
    for (let k = max(0, -iy0); k < min(rows, H - iy0); k++) {
      memory.copy(xp + <usize>((ci * rowsP + k) * Wp + dst0) * 4, x + <usize>((ci * H + iy0 + k) * W + src0) * 4, <usize>cw * 4);
    }
  }
}

/**
 * (Bᵀ d B)[ξ] for the nr·twP tiles of the block, 4 tiles per f32x4, stored at float
 * ξ·ldXi + (t/8)·ldPanel + ci·ldCi + t%8: the forward's packed V[ξ][t/8][ci][t%8] (ldPanel
 * Cin·8, ldCi 8), or dW's V[ξ][ci][t] (ldPanel 8, ldCi the tiles per row). The patch of tile
 * (r, c) is xp rows 2r … 2r+3, columns 2c … 2c+3.
 */
export function inputTransform(xp: usize, Cin: i32, nr: i32, twP: i32, Wp: i32, rowsP: i32, ldPanel: i32, ldCi: i32, ldXi: i32, V: usize): void {
  const xiStep = <usize>ldXi * 4;
  for (let ci = 0; ci < Cin; ci++) {
    for (let r = 0; r < nr; r++) {
      for (let c0 = 0; c0 < twP; c0 += 4) {
        const t = r * twP + c0;
        const src = xp + <usize>((ci * rowsP + 2 * r) * Wp + 2 * c0) * 4;
        // rows of d B (columns combined), for the 4 tiles: h_k = [d0 − d2, d1 + d2, d2 − d1, d1 − d3]
        let s = src;
        let a = v128.load(s), bq = v128.load(s, 16), cq = v128.load(s, 32);
        let d0 = v128.shuffle<f32>(a, bq, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, bq, 1, 3, 5, 7);
        let d2 = v128.shuffle<f32>(d0, v128.shuffle<f32>(bq, cq, 0, 2, 4, 6), 1, 2, 3, 6);
        let d3 = v128.shuffle<f32>(d1, v128.shuffle<f32>(bq, cq, 1, 3, 5, 7), 1, 2, 3, 6);
        const h00 = f32x4.sub(d0, d2), h01 = f32x4.add(d1, d2), h02 = f32x4.sub(d2, d1), h03 = f32x4.sub(d1, d3);
        s += <usize>Wp * 4;
        a = v128.load(s); bq = v128.load(s, 16); cq = v128.load(s, 32);
        d0 = v128.shuffle<f32>(a, bq, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, bq, 1, 3, 5, 7);
        d2 = v128.shuffle<f32>(d0, v128.shuffle<f32>(bq, cq, 0, 2, 4, 6), 1, 2, 3, 6);
        d3 = v128.shuffle<f32>(d1, v128.shuffle<f32>(bq, cq, 1, 3, 5, 7), 1, 2, 3, 6);
        const h10 = f32x4.sub(d0, d2), h11 = f32x4.add(d1, d2), h12 = f32x4.sub(d2, d1), h13 = f32x4.sub(d1, d3);
        s += <usize>Wp * 4;
        a = v128.load(s); bq = v128.load(s, 16); cq = v128.load(s, 32);
        d0 = v128.shuffle<f32>(a, bq, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, bq, 1, 3, 5, 7);
        d2 = v128.shuffle<f32>(d0, v128.shuffle<f32>(bq, cq, 0, 2, 4, 6), 1, 2, 3, 6);
        d3 = v128.shuffle<f32>(d1, v128.shuffle<f32>(bq, cq, 1, 3, 5, 7), 1, 2, 3, 6);
        const h20 = f32x4.sub(d0, d2), h21 = f32x4.add(d1, d2), h22 = f32x4.sub(d2, d1), h23 = f32x4.sub(d1, d3);
        s += <usize>Wp * 4;
        a = v128.load(s); bq = v128.load(s, 16); cq = v128.load(s, 32);
        d0 = v128.shuffle<f32>(a, bq, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, bq, 1, 3, 5, 7);
        d2 = v128.shuffle<f32>(d0, v128.shuffle<f32>(bq, cq, 0, 2, 4, 6), 1, 2, 3, 6);
        d3 = v128.shuffle<f32>(d1, v128.shuffle<f32>(bq, cq, 1, 3, 5, 7), 1, 2, 3, 6);
        const h30 = f32x4.sub(d0, d2), h31 = f32x4.add(d1, d2), h32 = f32x4.sub(d2, d1), h33 = f32x4.sub(d1, d3);
        // Bᵀ (d B): the same combination of rows; ξ = 4i + j
        const o = V + <usize>((t >> 3) * ldPanel + ci * ldCi + (t & 7)) * 4;
        v128.store(o, f32x4.sub(h00, h20));
        v128.store(o + xiStep, f32x4.sub(h01, h21));
        v128.store(o + 2 * xiStep, f32x4.sub(h02, h22));
        v128.store(o + 3 * xiStep, f32x4.sub(h03, h23));
        v128.store(o + 4 * xiStep, f32x4.add(h10, h20));
        v128.store(o + 5 * xiStep, f32x4.add(h11, h21));
        v128.store(o + 6 * xiStep, f32x4.add(h12, h22));
        v128.store(o + 7 * xiStep, f32x4.add(h13, h23));
        v128.store(o + 8 * xiStep, f32x4.sub(h20, h10));
        v128.store(o + 9 * xiStep, f32x4.sub(h21, h11));
        v128.store(o + 10 * xiStep, f32x4.sub(h22, h12));
        v128.store(o + 11 * xiStep, f32x4.sub(h23, h13));
        v128.store(o + 12 * xiStep, f32x4.sub(h10, h30));
        v128.store(o + 13 * xiStep, f32x4.sub(h11, h31));
        v128.store(o + 14 * xiStep, f32x4.sub(h12, h32));
        v128.store(o + 15 * xiStep, f32x4.sub(h13, h33));
      }
    }
  }
}

/**
 * m[co][t … t+8) = Σ_ci U[co][ci] · V[ci][t … t+8) for 4 channels × 8 tiles (the GEMM
 * micro-kernel of asm/gemm.ts on packed panels, the whole depth Cin at once, stored not added);
 * F(4×4, 3×3) (asm/winograd43.ts) runs it too. Inlined into both: called from two places,
 * binaryen kept it a function, and F(2×2) at S3 ran 5–10 % slower in 7 of 7 alternating runs
 * (separate processes: the builds before and after).
 */
// @ts-ignore: decorator
@inline export function kernel4x8(K: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  c += ldcBytes;
  v128.store(c, c10);
  v128.store(c, c11, 16);
  c += ldcBytes;
  v128.store(c, c20);
  v128.store(c, c21, 16);
  c += ldcBytes;
  v128.store(c, c30);
  v128.store(c, c31, 16);
}

/**
 * y[co][oy0 + 2r + i][2c + j] = (Aᵀ M A)[i][j] + b[co] (then ReLU when `relu`) for co0 ≤ co < co1 and the block's tiles (r, c), 4 tiles per
 * f32x4, from M[ξ][co][t] at float ξ·ldM + co·TbP + t; tiles and outputs past Ho × Wo are
 * dropped. `edge` holds 16 floats for ragged tiles.
 */
function outputTransform(M: usize, ldM: i32, b: usize, y: usize, co0: i32, co1: i32, TbP: i32, nr: i32, tw: i32, twP: i32, oy0: i32, Ho: i32, Wo: i32, edge: usize, relu: i32): void {
  const xiStep = <usize>ldM * 4;
  for (let co = co0; co < co1; co++) {
    const bv = f32x4.splat(b == 0 ? <f32>0 : load<f32>(b + <usize>co * 4));
    const yc = y + <usize>(co * Ho * Wo) * 4;
    for (let r = 0; r < nr; r++) {
      const oy = oy0 + 2 * r;
      const two = oy + 1 < Ho;
      for (let c0 = 0; c0 < tw; c0 += 4) {
        const m = M + <usize>(co * TbP + r * twP + c0) * 4;
        const m0 = v128.load(m), m1 = v128.load(m + xiStep), m2 = v128.load(m + 2 * xiStep), m3 = v128.load(m + 3 * xiStep);
        const m4 = v128.load(m + 4 * xiStep), m5 = v128.load(m + 5 * xiStep), m6 = v128.load(m + 6 * xiStep), m7 = v128.load(m + 7 * xiStep);
        const m8 = v128.load(m + 8 * xiStep), m9 = v128.load(m + 9 * xiStep), m10 = v128.load(m + 10 * xiStep), m11 = v128.load(m + 11 * xiStep);
        const m12 = v128.load(m + 12 * xiStep), m13 = v128.load(m + 13 * xiStep), m14 = v128.load(m + 14 * xiStep), m15 = v128.load(m + 15 * xiStep);
        // Aᵀ M: s0 = M0 + M1 + M2, s1 = M1 − M2 − M3 (rows of 4 ξ)
        const s00 = f32x4.add(f32x4.add(m0, m4), m8), s01 = f32x4.add(f32x4.add(m1, m5), m9);
        const s02 = f32x4.add(f32x4.add(m2, m6), m10), s03 = f32x4.add(f32x4.add(m3, m7), m11);
        const s10 = f32x4.sub(f32x4.sub(m4, m8), m12), s11 = f32x4.sub(f32x4.sub(m5, m9), m13);
        const s12 = f32x4.sub(f32x4.sub(m6, m10), m14), s13 = f32x4.sub(f32x4.sub(m7, m11), m15);
        // (Aᵀ M) A, plus the bias
        const y00 = reluIf(f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), bv), relu);
        const y01 = reluIf(f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), bv), relu);
        const y10 = reluIf(f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), bv), relu);
        const y11 = reluIf(f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), bv), relu);
        const ox = 2 * c0;
        const o = yc + <usize>(oy * Wo + ox) * 4;
        if (ox + 8 <= Wo) {
          v128.store(o, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
          v128.store(o, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
          if (two) {
            v128.store(o + <usize>Wo * 4, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5));
            v128.store(o + <usize>Wo * 4, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
          }
        } else {
          v128.store(edge, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
          v128.store(edge, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
          v128.store(edge, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), 32);
          v128.store(edge, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 48);
          const nx = Wo - ox;
          for (let j = 0; j < nx; j++) {
            store<f32>(o + <usize>j * 4, load<f32>(edge + <usize>j * 4));
            if (two) store<f32>(o + <usize>(Wo + j) * 4, load<f32>(edge + <usize>(8 + j) * 4));
          }
        }
      }
    }
  }
}
