// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * The input and output transforms of Winograd F(4×4, 3×3) (asm/winograd43.ts), 4 tiles per
 * f32x4 (one tile per lane). With the interpolation points 0, ±1, ±2, ∞ (Lavin & Gray 2016):
 *
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1].
 *
 * Each 2-D transform is the 1-D one on the 6 rows, then on the 6 columns of that result; the 36
 * intermediate vectors of a tile group go through `tmp` (144 floats) instead of registers (V8 has
 * 15 for wasm). Tiles are numbered densely, t = r·tw + c in a block of tile rows (no padded tile
 * columns, unlike F(2×2)'s grid), so each lane loads its own patch and stores its own outputs.
 */
import { reluIf } from './elementwise';

/**
 * Bᵀ d for one column d of 6 (4 tiles per vector), stored at out + i·stride (i = 0 … 5):
 * t0 = 4d0 − 5d2 + d4, t1 = (d3 + d4) − 4(d1 + d2), t2 = 4(d1 − d2) + (d4 − d3),
 * t3 = (d4 − d2) + 2(d3 − d1), t4 = (d4 − d2) − 2(d3 − d1), t5 = 4d1 − 5d3 + d5.
 */
// @ts-ignore: decorator
@inline function inputColumn(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, out: usize, stride: usize): void {
  const four = f32x4.splat(4), five = f32x4.splat(5);
  v128.store(out, f32x4.add(f32x4.sub(f32x4.mul(d0, four), f32x4.mul(d2, five)), d4));
  v128.store(out + stride, f32x4.sub(f32x4.add(d3, d4), f32x4.mul(f32x4.add(d1, d2), four)));
  v128.store(out + 2 * stride, f32x4.add(f32x4.mul(f32x4.sub(d1, d2), four), f32x4.sub(d4, d3)));
  const e = f32x4.sub(d4, d2), f = f32x4.sub(d3, d1);
  const f2 = f32x4.add(f, f);
  v128.store(out + 3 * stride, f32x4.add(e, f2));
  v128.store(out + 4 * stride, f32x4.sub(e, f2));
  v128.store(out + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(d1, four), f32x4.mul(d3, five)), d5));
}

/**
 * Aᵀ m for one column m of 6, stored at out + i·stride (i = 0 … 3), with a = m1 + m2,
 * b = m1 − m2, c = m3 + m4, e = m3 − m4: o0 = m0 + a + c, o1 = b + 2e, o2 = a + 4c, o3 = b + 8e + m5.
 */
// @ts-ignore: decorator
@inline function outputColumn(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, out: usize, stride: usize): void {
  const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), e = f32x4.sub(m3, m4);
  v128.store(out, f32x4.add(f32x4.add(m0, a), c));
  v128.store(out + stride, f32x4.add(b, f32x4.add(e, e)));
  v128.store(out + 2 * stride, f32x4.add(a, f32x4.mul(c, f32x4.splat(4))));
  v128.store(out + 3 * stride, f32x4.add(f32x4.add(b, f32x4.mul(e, f32x4.splat(8))), m5));
}

/** Float offset of tile t's top-left corner on a grid of tw tiles a row with pitch `pitch` (4 rows and 4 columns a tile). */
// @ts-ignore: decorator
@inline function corner(t: i32, tw: i32, pitch: i32): i32 {
  const r = t / tw;
  return 4 * (r * pitch + t - r * tw);
}

/**
 * (Bᵀ d B)[ξ] for the 4 tiles whose patches start at s + p0 … s + p3 (bytes; row pitch
 * `rowStep`), lane l = tile l, stored at o + ξ·xiStep. `tmp` holds d B (36 vectors).
 */
// @ts-ignore: decorator
@inline function inputGroup(s: usize, p0: usize, p1: usize, p2: usize, p3: usize, rowStep: usize, o: usize, xiStep: usize, tmp: usize): void {
  // rows: lane l's 6 values of patch row k (4 + 2 loads), transposed to d0 … d5 across lanes, times B
  for (let k = 0; k < 6; k++) {
    const x0 = v128.load(s + p0), x1 = v128.load(s + p1), x2 = v128.load(s + p2), x3 = v128.load(s + p3);
    const y0 = v128.load64_zero(s + p0, 16), y1 = v128.load64_zero(s + p1, 16);
    const y2 = v128.load64_zero(s + p2, 16), y3 = v128.load64_zero(s + p3, 16);
    const a0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), a1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
    const a2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), a3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
    const b0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), b1 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
    inputColumn(v128.shuffle<f32>(a0, a1, 0, 1, 4, 5), v128.shuffle<f32>(a0, a1, 2, 3, 6, 7),
      v128.shuffle<f32>(a2, a3, 0, 1, 4, 5), v128.shuffle<f32>(a2, a3, 2, 3, 6, 7),
      v128.shuffle<f32>(b0, b1, 0, 1, 4, 5), v128.shuffle<f32>(b0, b1, 2, 3, 6, 7), tmp + <usize>k * 96, 16);
    s += rowStep;
  }
  // columns: Bᵀ times column j of (d B) gives ξ = 6i + j
  for (let j = 0; j < 6; j++) {
    const c = tmp + <usize>j * 16;
    inputColumn(v128.load(c), v128.load(c, 96), v128.load(c, 192), v128.load(c, 288), v128.load(c, 384), v128.load(c, 480), o + <usize>j * xiStep, 6 * xiStep);
  }
}

/** Byte offset of the patch of tile min(t, nT − 1) in xp (tiles past nT repeat the last one). */
// @ts-ignore: decorator
@inline function patch(t: i32, nT: i32, tw: i32, Wp: i32): usize {
  return <usize>corner(min(t, nT - 1), tw, Wp) * 4;
}

/**
 * (Bᵀ d B)[ξ] for the nT tiles of a block into the forward's packed V[ξ][t/8][ci][t%8] (float
 * ξ·ldXi + (t/8)·Cin·8 + ci·8 + t%8) for every t < TP (a multiple of 8): lanes past nT repeat the
 * last tile, so every column the GEMMs read holds finite values. The patch of tile (r, c) is
 * xp[ci] rows 4r … 4r+5, columns 4c … 4c+5 (row pitch Wp, rowsP rows per ci). One 8-tile panel
 * at a time, both halves of each (ξ, ci) row of 8 written together: whole cache lines, once.
 * `tmp` holds 144 floats.
 */
export function inputTransform43(xp: usize, Cin: i32, nT: i32, TP: i32, tw: i32, Wp: i32, rowsP: i32, ldXi: i32, V: usize, tmp: usize): void {
  const xiStep = <usize>ldXi * 4, ciStep = <usize>(rowsP * Wp) * 4, rowStep = <usize>Wp * 4;
  for (let t = 0; t < TP; t += 8) {
    const p0 = patch(t, nT, tw, Wp), p1 = patch(t + 1, nT, tw, Wp), p2 = patch(t + 2, nT, tw, Wp), p3 = patch(t + 3, nT, tw, Wp);
    const p4 = patch(t + 4, nT, tw, Wp), p5 = patch(t + 5, nT, tw, Wp), p6 = patch(t + 6, nT, tw, Wp), p7 = patch(t + 7, nT, tw, Wp);
    const o = V + <usize>((t >> 3) * Cin * 8) * 4;
    for (let ci = 0; ci < Cin; ci++) {
      const s = xp + <usize>ci * ciStep;
      inputGroup(s, p0, p1, p2, p3, rowStep, o + <usize>ci * 32, xiStep, tmp);
      inputGroup(s, p4, p5, p6, p7, rowStep, o + <usize>ci * 32 + 16, xiStep, tmp);
    }
  }
}

/**
 * y[co][oy0 + 4r + i][4c + j] = (Aᵀ M A)[i][j] + b[co] (then ReLU when `relu`) for co0 ≤ co < co1
 * and the block's nT tiles (r, c) = (t / tw, t % tw), from M[ξ][co][t] (float ξ·ldXi + co·TbP +
 * t); outputs past Ho × Wo are dropped. `tmp` holds 144 floats.
 */
export function outputTransform43(M: usize, ldXi: i32, TbP: i32, b: usize, y: usize, co0: i32, co1: i32, nT: i32, tw: i32, oy0: i32, Ho: i32, Wo: i32, tmp: usize, relu: i32): void {
  const xiStep = <usize>ldXi * 4, plane = <usize>(Ho * Wo) * 4;
  const rows = tmp + 384; // 4 vectors: one output row of the 4 tiles
  for (let t = 0; t < nT; t += 4) {
    // per lane: where its tile's outputs start; `full`: 4 tiles, each with its 4 × 4 outputs inside
    const o0 = <usize>(oy0 * Wo + corner(t, tw, Wo)) * 4, o1 = <usize>(oy0 * Wo + corner(min(t + 1, nT - 1), tw, Wo)) * 4;
    const o2 = <usize>(oy0 * Wo + corner(min(t + 2, nT - 1), tw, Wo)) * 4, o3 = <usize>(oy0 * Wo + corner(min(t + 3, nT - 1), tw, Wo)) * 4;
    const last = min(4, nT - t); // lanes holding tiles
    let full = last == 4;
    for (let l = 0; l < last; l++) {
      const r = (t + l) / tw;
      if (oy0 + 4 * r + 4 > Ho || 4 * (t + l - r * tw) + 4 > Wo) full = false;
    }
    for (let co = co0; co < co1; co++) {
      const m = M + <usize>(co * TbP + t) * 4;
      for (let j = 0; j < 6; j++) {
        const c = m + <usize>j * xiStep;
        outputColumn(v128.load(c), v128.load(c + 6 * xiStep), v128.load(c + 12 * xiStep), v128.load(c + 18 * xiStep), v128.load(c + 24 * xiStep), v128.load(c + 30 * xiStep), tmp + <usize>j * 16, 96);
      }
      const bv = f32x4.splat(b == 0 ? <f32>0 : load<f32>(b + <usize>co * 4));
      const yc = y + <usize>co * plane;
      for (let i = 0; i < 4; i++) {
        const s = tmp + <usize>i * 96;
        // Aᵀ times row i of (Aᵀ M), as outputColumn, kept in registers; plus the bias
        const s1 = v128.load(s, 16), s2 = v128.load(s, 32), s3 = v128.load(s, 48), s4 = v128.load(s, 64);
        const pa = f32x4.add(s1, s2), pb = f32x4.sub(s1, s2), pc = f32x4.add(s3, s4), pe = f32x4.sub(s3, s4);
        const r0 = reluIf(f32x4.add(f32x4.add(f32x4.add(v128.load(s), pa), pc), bv), relu);
        const r1 = reluIf(f32x4.add(f32x4.add(pb, f32x4.add(pe, pe)), bv), relu);
        const r2 = reluIf(f32x4.add(f32x4.add(pa, f32x4.mul(pc, f32x4.splat(4))), bv), relu);
        const r3 = reluIf(f32x4.add(f32x4.add(f32x4.add(pb, f32x4.mul(pe, f32x4.splat(8))), v128.load(s, 80)), bv), relu);
        // r_j holds output (i, j) of the 4 tiles; transposed, vector l is tile l's row i
        const a0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), a1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const a2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), a3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const q0 = v128.shuffle<f32>(a0, a1, 0, 1, 4, 5), q1 = v128.shuffle<f32>(a0, a1, 2, 3, 6, 7);
        const q2 = v128.shuffle<f32>(a2, a3, 0, 1, 4, 5), q3 = v128.shuffle<f32>(a2, a3, 2, 3, 6, 7);
        const row = <usize>(i * Wo) * 4;
        if (full) {
          v128.store(yc + o0 + row, q0);
          v128.store(yc + o1 + row, q1);
          v128.store(yc + o2 + row, q2);
          v128.store(yc + o3 + row, q3);
        } else {
          v128.store(rows, q0);
          v128.store(rows, q1, 16);
          v128.store(rows, q2, 32);
          v128.store(rows, q3, 48);
          for (let l = 0; l < last; l++) storeEdge(yc, t + l, tw, oy0 + i, Ho, Wo, rows + <usize>l * 16);
        }
      }
    }
  }
}

/** Row oy's outputs of tile t (4 floats at `src`) that fall inside Ho × Wo. */
function storeEdge(yc: usize, t: i32, tw: i32, oyRow: i32, Ho: i32, Wo: i32, src: usize): void {
  const r = t / tw, c = t - r * tw;
  const oy = oyRow + 4 * r;
  if (oy >= Ho) return;
  const ox = 4 * c;
  const d = yc + <usize>(oy * Wo + ox) * 4;
  const n = min(4, Wo - ox);
  for (let j = 0; j < n; j++) store<f32>(d + <usize>j * 4, load<f32>(src + <usize>j * 4));
}
