// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Winograd F(4×4, 3×3) forward for 3×3, stride-1, undilated, ungrouped convolutions (Lavin &
 * Gray 2016, points 0, ±1, ±2, ∞). Each 4×4 block of outputs (a *tile*) comes from the 6×6 input
 * patch d under it as
 *
 *   Y = Aᵀ [ Σ_ci (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
 *   G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
 *
 * (Bᵀ, Aᵀ in asm/winograd43-transforms.ts), so the 144 multiplies of a tile's 16 outputs per
 * (co, ci) become 36: 36 GEMMs M[ξ] = U[ξ]·V[ξ], (Cout × Cin)·(Cin × tiles) — 4× fewer
 * multiply-adds than im2col + GEMM and 1.78× fewer than F(2×2, 3×3) (asm/winograd.ts), at the
 * price of bigger transforms (entries of Bᵀ d B reach 100·max|d|, Aᵀ weighs M by up to 64) and
 * so a larger float error (test/ops/wasm-winograd.test.ts, docs/measured.md).
 *
 * Same plan and layouts as F(2×2) with 36 positions ξ instead of 16: U[ξ][co/4][ci][co%4] (the
 * GEMM's packed A panels), per block of R tile rows of one image the padded input rows xp[ci][4R
 * + 2][Wp], V[ξ][t/8][ci][t%8], M[ξ][co][t], on the 4×8 micro-kernel of asm/winograd.ts. Tiles
 * are numbered densely (t = r·tw + c, tw = ⌈Wo/4⌉): a 56-wide output has 14 tiles a row, which a
 * grid padded to 4-tile groups would round up to 16.
 *
 * Sums over ci in ci order, transforms in a fixed order: the bits depend on the shape only, never
 * on threads, chunks or blocks. Descriptor fields as in asm/conv.ts (field 20 = 4 selects this).
 */
import { SKEW, gatherTaps, kernel4x8, padRows } from './winograd';
import { inputTransform43, outputTransform43 } from './winograd43-transforms';

// @ts-ignore: decorator
@inline function at(d: usize, i: i32): i32 {
  return load<i32>(d + <usize>i * 4);
}

// @ts-ignore: decorator
@inline function ceil(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

/**
 * Bytes of one ξ's slice of V (Cin × tiles) or M (Cout × tiles) in a block: as F(2×2)'s
 * SLICE_BYTES (each ξ's GEMMs reread V[ξ] once per 4 output channels: it should stay in L2).
 */
const SLICE_BYTES: i32 = 32 * 1024;

/** Floats of the transforms' scratch (tmp of asm/winograd43-transforms.ts). */
const TMP_FLOATS: i32 = 144;

/** Tile rows per block (tw tiles each). */
function blockRows43(Cin: i32, CoutP: i32, th: i32, tw: i32): i32 {
  return max(1, min(th, SLICE_BYTES / (4 * max(Cin, CoutP) * tw)));
}

/** Scratch bytes of one thread of convForwardWinograd43 (padded rows, V, M, tmp). */
export function winograd43Bytes(d: usize): i32 {
  const Cin = at(d, 1), Cout = at(d, 4), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 3) / 4, tw = (Wo + 3) / 4, CoutP = ceil(Cout, 4);
  const R = blockRows43(Cin, CoutP, th, tw);
  const TbP = ceil(R * tw, 8);
  return (Cin * (4 * R + 2) * (4 * tw + 2) + 36 * ((Cin + CoutP) * TbP + 2 * SKEW) + TMP_FLOATS) * 4 + 64;
}

/** Floats of U for descriptor d, 36 slices of ⌈Cout/4⌉·4 · Cin (+ SKEW), and 108 of scratch for winograd43Filter. */
export function winograd43FilterFloats(d: usize): i32 {
  return 36 * (ceil(at(d, 4), 4) * at(d, 1) + SKEW) + 108;
}

/**
 * G v for 3 vectors v0, v1, v2 (4 channels each), stored at out + i·stride (i = 0 … 5):
 * [v0/4, −(v0 + v2 + v1)/6, −(v0 + v2 − v1)/6, (v0/4 + v2 + v1/2)/6, (v0/4 + v2 − v1/2)/6, v2].
 */
// @ts-ignore: decorator
@inline function filterColumn(v0: v128, v1: v128, v2: v128, out: usize, stride: usize): void {
  const q = f32x4.mul(v0, f32x4.splat(0.25)), h = f32x4.mul(v1, f32x4.splat(0.5));
  const s = f32x4.add(v0, v2), t = f32x4.add(q, v2);
  const m6 = f32x4.splat(<f32>(-1.0 / 6.0)), p6 = f32x4.splat(<f32>(1.0 / 6.0));
  v128.store(out, q);
  v128.store(out + stride, f32x4.mul(f32x4.add(s, v1), m6));
  v128.store(out + 2 * stride, f32x4.mul(f32x4.sub(s, v1), m6));
  v128.store(out + 3 * stride, f32x4.mul(f32x4.add(t, h), p6));
  v128.store(out + 4 * stride, f32x4.mul(f32x4.sub(t, h), p6));
  v128.store(out + 5 * stride, v2);
}

/**
 * U = G g Gᵀ for every (co, ci) of the conv of descriptor d, packed as above, 4 output channels
 * per f32x4 (zeros past Cout). flip = 0: g = w[co, ci] of w [Cout, Cin, 3, 3]; flip = 1 (dX as
 * the forward of the transposed conv): g[kh][kw] = w[ci, co, 2 − kh, 2 − kw], as winogradFilter.
 */
export function winograd43Filter(d: usize, w: usize, u: usize, flip: i32): void {
  const Cin = at(d, 1), Cout = at(d, 4);
  const CoutP = ceil(Cout, 4);
  const step = <usize>(CoutP * Cin + SKEW) * 4; // bytes from one ξ to the next
  const taps = u + 36 * step; // 9 vectors: the taps of 4 channels
  const gg = taps + 144; // 18 vectors: G g, 6 rows × 3 columns
  for (let c0 = 0; c0 < CoutP; c0 += 4) {
    for (let ci = 0; ci < Cin; ci++) {
      gatherTaps(w, Cin, Cout, c0, ci, flip, taps);
      // G times each kernel column j: (G g)[i][j] at gg + (3i + j)·16
      for (let j = 0; j < 3; j++) {
        filterColumn(v128.load(taps + <usize>j * 16), v128.load(taps + <usize>(3 + j) * 16), v128.load(taps + <usize>(6 + j) * 16), gg + <usize>j * 16, 48);
      }
      // each row i of G g times Gᵀ: ξ = 6i + j
      const o = u + <usize>(((c0 >> 2) * Cin + ci) * 4) * 4;
      for (let i = 0; i < 6; i++) {
        const r = gg + <usize>i * 48;
        filterColumn(v128.load(r), v128.load(r, 16), v128.load(r, 32), o + <usize>(6 * i) * step, step);
      }
    }
  }
}

/**
 * y for images n0 ≤ n < n1 and output channels co0 ≤ co < co1 (multiples of 4 or Cout) from U
 * (winograd43Filter of w) and x; `scratch` holds winograd43Bytes(d), `work` is unused. A chunk
 * with part of the channels transforms the whole input itself.
 */
export function convForwardWinograd43(d: usize, x: usize, u: usize, b: usize, y: usize, n0: i32, n1: i32, co0: i32, co1: i32, scratch: usize, work: usize): void {
  const Cin = at(d, 1), H = at(d, 2), W = at(d, 3), Cout = at(d, 4);
  const top = at(d, 11), left = at(d, 12), Ho = at(d, 13), Wo = at(d, 14);
  const th = (Ho + 3) / 4, tw = (Wo + 3) / 4, CoutP = ceil(Cout, 4);
  const R = blockRows43(Cin, CoutP, th, tw);
  const TbP = ceil(R * tw, 8);
  const Wp = 4 * tw + 2, rowsP = 4 * R + 2;
  const xp = (scratch + 15) & ~15;
  const V = xp + <usize>(Cin * rowsP * Wp) * 4;
  const ldV = Cin * TbP + SKEW, ldM = CoutP * TbP + SKEW, ldU = CoutP * Cin + SKEW; // floats from one ξ to the next
  const M = V + <usize>(36 * ldV) * 4;
  const tmp = M + <usize>(36 * ldM) * 4;
  const cEnd = min(co1, CoutP);
  for (let n = n0; n < n1; n++) {
    const xn = x + <usize>(n * Cin * H * W) * 4;
    for (let r0 = 0; r0 < th; r0 += R) {
      const nr = min(R, th - r0);
      const nT = nr * tw, TP = ceil(nT, 8);
      padRows(xn, Cin, H, W, 4 * r0 - top, 4 * nr + 2, rowsP, Wp, left, xp);
      inputTransform43(xp, Cin, nT, TP, tw, Wp, rowsP, ldV, V, tmp);
      for (let xi = 0; xi < 36; xi++) {
        const uX = u + <usize>(xi * ldU) * 4, vX = V + <usize>(xi * ldV) * 4, mX = M + <usize>(xi * ldM) * 4;
        for (let p = co0; p < cEnd; p += 4) {
          const up = uX + <usize>(p * Cin) * 4;
          for (let q = 0; q < TP; q += 8) kernel4x8(Cin, up, vX + <usize>(q * Cin) * 4, mX + <usize>(p * TbP + q) * 4, <usize>TbP * 4);
        }
      }
      outputTransform43(M, ldM, TbP, b, y + <usize>(n * Cout * Ho * Wo) * 4, co0, co1, nT, tw, 4 * r0, Ho, Wo, tmp, at(d, 22));
    }
  }
}
