/**
 * What every tensor picture shares: the `TensorImage` result (PNG + where each tile sits), the
 * tile layout constants, nearest-neighbour plane painting, the colour bar, and value → 0…255.
 * Legibility rules (the pictures are projected): tiles are upscaled by an integer factor until
 * they are ≥ 96 px, labels use ≥ 16 px type.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import { opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import { css, type ColorScale, type RGB } from './colormap';
import { FONT_PX, RasterImage, font } from './raster';

/** Where one tile sits in the picture (pixels, top-left origin). */
export interface Tile {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A rendered picture plus its layout. */
export class TensorImage extends RasterImage {
  constructor(
    png: Buffer,
    width: number,
    height: number,
    text: string,
    /** Tiles in channel / filter / batch order. */
    readonly tiles: Tile[],
    /** The colour scale used (null for RGB images). */
    readonly colorScale: ColorScale | null,
    caption = '',
  ) {
    super(png, width, height, text, caption);
  }
}

/** Minimum tile side in pixels after upscaling. */
export const MIN_TILE_PX = 96;

/** Space between tiles (px). */
export const GAP = 12;
/** Space around the picture (px). */
export const MARGIN = 12;
/** Height of a label line above a tile (px). */
export const LABEL_H = FONT_PX + 10;

/** Integer upscaling factor so the shorter side reaches MIN_TILE_PX. */
export function upscaleFactor(h: number, w: number, forced?: number): number {
  if (forced !== undefined) {
    if (!Number.isInteger(forced) || forced < 1) throw opError('viz', `scale must be a positive integer, got ${forced}`);
    return forced;
  }
  return Math.max(1, Math.ceil(MIN_TILE_PX / Math.min(h, w)));
}

/** Paint an H×W plane (nearest-neighbour, factor s) with `color(value)` at (x0, y0). */
export function paintPlane(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  h: number,
  w: number,
  s: number,
  pixel: (r: number, c: number) => RGB,
): void {
  const img = ctx.createImageData(w * s, h * s);
  const d = img.data;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const [R, G, B] = pixel(r, c);
      for (let dy = 0; dy < s; dy++) {
        let o = ((r * s + dy) * w * s + c * s) * 4;
        for (let dx = 0; dx < s; dx++, o += 4) {
          d[o] = R;
          d[o + 1] = G;
          d[o + 2] = B;
          d[o + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(img, x0, y0);
}

const BAR_W = 24;

/** Width a colour bar with its labels takes (px). */
export function colorbarWidth(ctx: CanvasRenderingContext2D, scale: ColorScale): number {
  ctx.font = font();
  const labels = [scale.vmin, scale.vmax].map(formatNumber);
  return Math.ceil(GAP + BAR_W + 8 + Math.max(...labels.map((l) => ctx.measureText(l).width)) + MARGIN);
}

/** Vertical colour bar with max at the top, min at the bottom (and 0 for diverging maps). */
export function drawColorbar(ctx: CanvasRenderingContext2D, x: number, y: number, height: number, scale: ColorScale): void {
  for (let r = 0; r < height; r++) {
    const v = scale.vmax - ((scale.vmax - scale.vmin) * r) / Math.max(1, height - 1);
    ctx.fillStyle = css(scale.color(v));
    ctx.fillRect(x, y + r, BAR_W, 1);
  }
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, BAR_W - 1, height - 1);
  ctx.fillStyle = '#000';
  ctx.font = font();
  ctx.textBaseline = 'top';
  ctx.fillText(formatNumber(scale.vmax), x + BAR_W + 8, y);
  ctx.textBaseline = 'bottom';
  ctx.fillText(formatNumber(scale.vmin), x + BAR_W + 8, y + height);
  if (scale.name === 'diverging' && scale.vmax > 0) {
    ctx.textBaseline = 'middle';
    ctx.fillText('0', x + BAR_W + 8, y + height / 2);
  }
  ctx.textBaseline = 'alphabetic';
}

/** Value range an image is drawn on: [0,1] or [0,255] when the data fits, else its min..max. */
export function imageRange(data: Float32Array, vmin?: number, vmax?: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (vmin !== undefined && vmax !== undefined) return [vmin, vmax];
  if (lo >= 0 && hi <= 1) return [vmin ?? 0, vmax ?? 1];
  if (lo >= 0 && hi <= 255) return [vmin ?? 0, vmax ?? 255];
  return [vmin ?? lo, vmax ?? hi];
}

/** v on [lo, hi] → 0 … 255 (clamped; 0 when the range is empty). */
export function to255(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) return 0;
  const t = (v - lo) / (hi - lo);
  return Math.round((t < 0 ? 0 : t > 1 ? 1 : t) * 255);
}


/** k ↦ colour of pixel k of the image at `base` in `data` (1 grey or 3 RGB planes of `plane` values), drawn on [lo, hi]. */
export function imagePixel(data: Float32Array, base: number, plane: number, channels: number, lo: number, hi: number): (k: number) => RGB {
  return (k) => {
    const i = base + k;
    if (channels === 1) {
      const g = to255(data[i], lo, hi);
      return [g, g, g];
    }
    return [to255(data[i], lo, hi), to255(data[i + plane], lo, hi), to255(data[i + 2 * plane], lo, hi)];
  };
}
