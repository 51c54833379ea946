/**
 * im2col / col2im for NCHW images: turn convolution into one matrix multiply.
 *
 * For one image (or one group of its channels) with C channels, im2col writes the matrix
 *   cols[(c·KH + p)·KW + q, i·Wo + j] = x[c, i·SH − top + p·DH, j·SW − left + q·DW]
 * (0 where that lands in the padding), shape [C·KH·KW, Ho·Wo]. Then conv is
 *   Y[Cout, Ho·Wo] = W[Cout, C·KH·KW] · cols,
 * and the backward pass is dW = dY · colsᵀ and dX = col2im(Wᵀ · dY), where col2im is the
 * adjoint of im2col: it *adds* every column entry back onto the pixel it was copied from
 * (a pixel under several windows receives the sum of their gradients).
 */
import type { Pad4 } from './shape';

/** Everything the index arithmetic needs, resolved once per conv call. */
export interface ConvGeometry {
  /** Channels of the slice being unfolded (Cin/groups for grouped conv). */
  C: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  pad: Pad4;
  Ho: number;
  Wo: number;
}

/** Range of output columns j whose input column j·SW − left + offset lies inside [0, W). */
function validRange(out: number, size: number, stride: number, offset: number): [number, number] {
  // first j with j·S + offset ≥ 0, and first j with j·S + offset ≥ size
  const lo = offset >= 0 ? 0 : Math.min(out, Math.ceil(-offset / stride));
  const hi = Math.max(lo, Math.min(out, Math.ceil((size - offset) / stride)));
  return [lo, hi];
}

/**
 * Unfold x[xOff …] (C×H×W, row-major) into cols[colsOff …] ([C·KH·KW, Ho·Wo], row-major).
 * Every entry of the cols block is written (padding as 0), so the buffer may be reused dirty.
 * With `i0, i1` only output rows i0 ≤ i < i1 are unfolded: a [C·KH·KW, (i1 − i0)·Wo] block,
 * which lets callers bound the scratch memory on large images.
 */
export function im2col(x: Float32Array, xOff: number, g: ConvGeometry, cols: Float32Array, colsOff: number, i0 = 0, i1 = g.Ho): void {
  const { C, H, W, KH, KW, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, Wo } = g;
  const { top, left } = g.pad;
  const L = (i1 - i0) * Wo;
  let row = colsOff;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * H * W;
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const colShift = q * dw - left;
        const [jlo, jhi] = validRange(Wo, W, sw, colShift);
        for (let i = i0; i < i1; i++) {
          const h = i * sh - top + p * dh;
          const dst = row + (i - i0) * Wo;
          if (h < 0 || h >= H) {
            cols.fill(0, dst, dst + Wo);
            continue;
          }
          if (jlo > 0) cols.fill(0, dst, dst + jlo);
          const src = plane + h * W + colShift;
          if (sw === 1) {
            for (let j = jlo; j < jhi; j++) cols[dst + j] = x[src + j];
          } else {
            for (let j = jlo; j < jhi; j++) cols[dst + j] = x[src + j * sw];
          }
          if (jhi < Wo) cols.fill(0, dst + jhi, dst + Wo);
        }
        row += L;
      }
    }
  }
}

/**
 * Fold cols back: dx[xOff + c, h, w] += cols[(c·KH + p)·KW + q, i·Wo + j] for every window
 * position that read pixel (h, w) — the transpose of im2col. Adds into dx (does not clear it).
 * `i0, i1` select a block of output rows, as in im2col.
 */
export function col2im(cols: Float32Array, colsOff: number, g: ConvGeometry, dx: Float32Array, dxOff: number, i0 = 0, i1 = g.Ho): void {
  const { C, H, W, KH, KW, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, Wo } = g;
  const { top, left } = g.pad;
  const L = (i1 - i0) * Wo;
  let row = colsOff;
  for (let c = 0; c < C; c++) {
    const plane = dxOff + c * H * W;
    for (let p = 0; p < KH; p++) {
      for (let q = 0; q < KW; q++) {
        const colShift = q * dw - left;
        const [jlo, jhi] = validRange(Wo, W, sw, colShift);
        for (let i = i0; i < i1; i++) {
          const h = i * sh - top + p * dh;
          if (h < 0 || h >= H) continue;
          const src = row + (i - i0) * Wo;
          const dst = plane + h * W + colShift;
          if (sw === 1) {
            for (let j = jlo; j < jhi; j++) dx[dst + j] += cols[src + j];
          } else {
            for (let j = jlo; j < jhi; j++) dx[dst + j * sw] += cols[src + j];
          }
        }
        row += L;
      }
    }
  }
}
