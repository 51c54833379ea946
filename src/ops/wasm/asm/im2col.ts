// @ts-nocheck
// AssemblyScript (i32, usize, v128, load<T>, …), compiled by asc, not by tsc.
/**
 * im2col / col2im in wasm memory, the same index maps as src/ops/im2col.ts (read that file for
 * the formulas): for one image (or one group) x [C, H, W] and output rows i0 ≤ i < i1,
 *   cols[(c·KH + p)·KW + q, (i − i0)·Wo + j] = x[c, i·SH − top + p·DH, j·SW − left + q·DW]
 * (0 in the padding), and col2im adds every cols entry back onto the pixel it came from.
 * Each (c, p, q, i) is one run of Wo outputs whose valid part [jlo, jhi) is a contiguous copy
 * when SW = 1; JavaScript's element loop was the bottleneck of small convs.
 */

/** First output column j ≥ 0 with j·S + off ≥ 0, clamped to [0, Wo]. */
function lowJ(off: i32, S: i32, Wo: i32): i32 {
  return off >= 0 ? 0 : min(Wo, (-off + S - 1) / S);
}

/** First output column j with j·S + off ≥ W (so valid columns are [lowJ, highJ)). */
function highJ(off: i32, S: i32, W: i32, Wo: i32, lo: i32): i32 {
  const room = W - off;
  return room <= 0 ? lo : max(lo, min(Wo, (room + S - 1) / S));
}

/**
 * Copy n floats. LeNet's runs are 10–28 floats long, where a memory.copy call costs more than
 * the copy, so short runs go through f32x4 loads and stores (unaligned is fine in wasm).
 */
function copyRun(d: usize, s: usize, n: i32): void {
  if (n >= 64) {
    memory.copy(d, s, <usize>n * 4);
    return;
  }
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(d + <usize>j * 4, v128.load(s + <usize>j * 4));
  for (; j < n; j++) store<f32>(d + <usize>j * 4, load<f32>(s + <usize>j * 4));
}

/** Zero n floats: like copyRun, stores for short runs (padding edges are 1–2 floats wide). */
function zeroRun(d: usize, n: i32): void {
  if (n >= 64) {
    memory.fill(d, 0, <usize>n * 4);
    return;
  }
  const z = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(d + <usize>j * 4, z);
  for (; j < n; j++) store<f32>(d + <usize>j * 4, 0);
}

export function im2col(x: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32,
  top: i32, left: i32, Ho: i32, Wo: i32, i0: i32, i1: i32, cols: usize): void {
  const Lb = (i1 - i0) * Wo;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const off = q * DW - left;
        const jlo = lowJ(off, SW, Wo);
        const jhi = highJ(off, SW, W, Wo, jlo);
        const rowBase = cols + <usize>(((c * KH + p) * KW + q) * Lb) * 4;
        for (let i = i0; i < i1; i++) {
          const h = i * SH - top + p * DH;
          const d = rowBase + <usize>((i - i0) * Wo) * 4;
          if (h < 0 || h >= H) {
            zeroRun(d, Wo);
            continue;
          }
          const src = x + <usize>((c * H + h) * W) * 4;
          if (jlo > 0) zeroRun(d, jlo);
          if (jhi < Wo) zeroRun(d + <usize>jhi * 4, Wo - jhi);
          if (SW == 1) {
            copyRun(d + <usize>jlo * 4, src + <usize>(jlo + off) * 4, jhi - jlo);
          } else {
            for (let j = jlo; j < jhi; j++) store<f32>(d + <usize>j * 4, load<f32>(src + <usize>(j * SW + off) * 4));
          }
        }
      }
    }
  }
}

export function col2im(cols: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32,
  top: i32, left: i32, Ho: i32, Wo: i32, i0: i32, i1: i32, dx: usize): void {
  const Lb = (i1 - i0) * Wo;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const off = q * DW - left;
        const jlo = lowJ(off, SW, Wo);
        const jhi = highJ(off, SW, W, Wo, jlo);
        const rowBase = cols + <usize>(((c * KH + p) * KW + q) * Lb) * 4;
        for (let i = i0; i < i1; i++) {
          const h = i * SH - top + p * DH;
          if (h < 0 || h >= H) continue; // padding: its gradient goes nowhere
          const s = rowBase + <usize>((i - i0) * Wo) * 4;
          const d = dx + <usize>((c * H + h) * W) * 4;
          if (SW == 1) {
            let j = jlo;
            for (; j + 4 <= jhi; j += 4) {
              const a = d + <usize>(j + off) * 4;
              v128.store(a, f32x4.add(v128.load(a), v128.load(s + <usize>j * 4)));
            }
            for (; j < jhi; j++) {
              const a = d + <usize>(j + off) * 4;
              store<f32>(a, load<f32>(a) + load<f32>(s + <usize>j * 4));
            }
          } else {
            for (let j = jlo; j < jhi; j++) {
              const a = d + <usize>(j * SW + off) * 4;
              store<f32>(a, load<f32>(a) + load<f32>(s + <usize>j * 4));
            }
          }
        }
      }
    }
  }
}

