/**
 * Tensors as pictures (node-canvas → PNG): an input image, a grid of feature maps, a grid of
 * conv filters, a batch of images with labels/predictions. Pure functions: each returns a
 * `TensorImage` (PNG + HTML + text bundle) that also exposes where every tile was drawn, so
 * tests (and curious students) can find a channel's pixels in the picture.
 *
 * Legibility rules (the pictures are projected): tiles are upscaled by an integer factor with
 * nearest-neighbour sampling until they are ≥ 96 px, labels use ≥ 16 px type.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { autoScale, css, scaleFor, type ColormapName, type ColorScale, type RGB } from './colormap';
import { FONT_PX, RasterImage, font, whiteCanvas } from './raster';

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

const GAP = 12;
const MARGIN = 12;
const LABEL_H = FONT_PX + 10;

/** Integer upscaling factor so the shorter side reaches MIN_TILE_PX. */
export function upscaleFactor(h: number, w: number, forced?: number): number {
  if (forced !== undefined) {
    if (!Number.isInteger(forced) || forced < 1) throw opError('viz', `scale must be a positive integer, got ${forced}`);
    return forced;
  }
  return Math.max(1, Math.ceil(MIN_TILE_PX / Math.min(h, w)));
}

/** Paint an H×W plane (nearest-neighbour, factor s) with `color(value)` at (x0, y0). */
function paintPlane(
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

/** Vertical colour bar with max at the top, min at the bottom (and 0 for diverging maps). */
const BAR_W = 24;
function colorbarWidth(ctx: CanvasRenderingContext2D, scale: ColorScale): number {
  ctx.font = font();
  const labels = [scale.vmin, scale.vmax].map(formatNumber);
  return Math.ceil(GAP + BAR_W + 8 + Math.max(...labels.map((l) => ctx.measureText(l).width)) + MARGIN);
}

function drawColorbar(ctx: CanvasRenderingContext2D, x: number, y: number, height: number, scale: ColorScale): void {
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
function imageRange(data: Float32Array, vmin?: number, vmax?: number): [number, number] {
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

function to255(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) return 0;
  const t = (v - lo) / (hi - lo);
  return Math.round((t < 0 ? 0 : t > 1 ? 1 : t) * 255);
}

export interface ImageOptions {
  /** Integer upscaling factor (default: until the shorter side is ≥ 96 px). */
  scale?: number;
  /** Value drawn black (default: 0 when the data is in [0,1] or [0,255], else the minimum). */
  vmin?: number;
  /** Value drawn white (default: 1 or 255 when the data fits, else the maximum). */
  vmax?: number;
  title?: string;
}

/** Interpret an image tensor: grey [H,W] / [1,H,W] / [1,1,H,W], RGB [3,H,W] / [1,3,H,W]. */
function imagePlanes(op: string, x: Tensor): { c: 1 | 3; h: number; w: number } {
  const s = x?.shape;
  if (!s) throw opError(op, `x must be a Tensor, got ${typeof x}`);
  const bad = () => opError(op, `x must be grey [H, W], [1, H, W], [1, 1, H, W] or RGB [3, H, W], [1, 3, H, W]; got shape ${fmtShape(s)}`);
  let dims: number[];
  if (s.length === 2) dims = [1, s[0], s[1]];
  else if (s.length === 3) dims = [...s];
  else if (s.length === 4 && s[0] === 1) dims = s.slice(1);
  else throw bad();
  if (dims[0] !== 1 && dims[0] !== 3) throw bad();
  if (dims[1] < 1 || dims[2] < 1) throw bad();
  return { c: dims[0] as 1 | 3, h: dims[1], w: dims[2] };
}

/** An input image, upscaled with nearest-neighbour sampling. */
export function imageOf(x: Tensor, opts: ImageOptions = {}): TensorImage {
  const { c, h, w } = imagePlanes('imageOf', x);
  const s = upscaleFactor(h, w, opts.scale);
  const [lo, hi] = imageRange(x.data, opts.vmin, opts.vmax);
  const titleH = opts.title ? LABEL_H : 0;
  const width = w * s + 2 * MARGIN;
  const height = h * s + 2 * MARGIN + titleH;
  const { canvas, ctx } = whiteCanvas(width, height);
  if (opts.title) {
    ctx.fillStyle = '#000';
    ctx.font = font();
    ctx.fillText(opts.title, MARGIN, MARGIN + FONT_PX);
  }
  const plane = h * w;
  paintPlane(ctx, MARGIN, MARGIN + titleH, h, w, s, (r, col) => {
    const i = r * w + col;
    if (c === 1) {
      const g = to255(x.data[i], lo, hi);
      return [g, g, g];
    }
    return [to255(x.data[i], lo, hi), to255(x.data[plane + i], lo, hi), to255(x.data[2 * plane + i], lo, hi)];
  });
  const tile = { index: 0, x: MARGIN, y: MARGIN + titleH, width: w * s, height: h * s };
  const text = `${c === 3 ? 'RGB' : 'grey'} image ${h}×${w} (shape ${fmtShape(x.shape)}, drawn ×${s}, range [${formatNumber(lo)}, ${formatNumber(hi)}])`;
  return new TensorImage(canvas.toBuffer('image/png'), width, height, text, [tile], c === 1 ? scaleFor('grey', lo, hi) : null);
}

export interface FeatureMapOptions {
  /** Tiles per row (default: ⌈√C⌉, at most 8). */
  cols?: number;
  /** Integer upscaling factor (default: shorter side ≥ 96 px). */
  scale?: number;
  /** Force a colormap (default: diverging when any value < 0, else sequential). */
  colormap?: ColormapName;
  /** One scale per channel instead of one shared scale (default false: tiles comparable). */
  perChannel?: boolean;
  /** Tile labels (default 'ch 0', 'ch 1', …). */
  labels?: string[];
  /** Draw at most this many channels (default 64). */
  maxChannels?: number;
  title?: string;
}

/**
 * A grid of feature maps, one tile per channel: x is [1, C, H, W], [C, H, W] or [H, W].
 * Signed maps use the diverging map centred on 0; non-negative maps the sequential one; a
 * colour bar gives the min/max of the (shared) scale.
 */
export function featureMaps(x: Tensor, opts: FeatureMapOptions = {}): TensorImage {
  const op = 'featureMaps';
  const s0 = x?.shape;
  if (!s0) throw opError(op, `x must be a Tensor, got ${typeof x}`);
  let dims: number[];
  if (s0.length === 4 && s0[0] === 1) dims = s0.slice(1);
  else if (s0.length === 3) dims = [...s0];
  else if (s0.length === 2) dims = [1, s0[0], s0[1]];
  else throw opError(op, `x must be [1, C, H, W], [C, H, W] or [H, W], got shape ${fmtShape(s0)} (pass one example of a batch)`);
  const [cAll, h, w] = dims;
  if (cAll < 1 || h < 1 || w < 1) throw opError(op, `x has an empty dimension: shape ${fmtShape(s0)}`);
  const maxC = opts.maxChannels ?? 64;
  const C = Math.min(cAll, maxC);
  if (opts.labels && opts.labels.length < C) throw opError(op, `labels has ${opts.labels.length} entries, need ${C}`);
  const cols = opts.cols ?? Math.min(8, Math.ceil(Math.sqrt(C)));
  if (!Number.isInteger(cols) || cols < 1) throw opError(op, `cols must be a positive integer, got ${opts.cols}`);
  const rows = Math.ceil(C / cols);
  const s = upscaleFactor(h, w, opts.scale);
  const plane = h * w;
  const shown = x.data.subarray(0, C * plane);
  const shared = autoScale(shown, opts.colormap);
  const scaleOf = (c: number) => (opts.perChannel ? autoScale(x.data.subarray(c * plane, (c + 1) * plane), shared.name) : shared);

  const tw = w * s;
  const th = h * s;
  const titleH = opts.title ? LABEL_H : 0;
  const gridW = cols * tw + (cols - 1) * GAP;
  const gridH = rows * (th + LABEL_H) + (rows - 1) * GAP;
  const probe = whiteCanvas(1, 1).ctx;
  const barW = opts.perChannel ? 0 : colorbarWidth(probe, shared);
  const width = MARGIN + gridW + (barW || MARGIN);
  const height = MARGIN + titleH + gridH + MARGIN;
  const { canvas, ctx } = whiteCanvas(width, height);
  ctx.fillStyle = '#000';
  ctx.font = font();
  if (opts.title) ctx.fillText(opts.title, MARGIN, MARGIN + FONT_PX);

  const tiles: Tile[] = [];
  for (let c = 0; c < C; c++) {
    const x0 = MARGIN + (c % cols) * (tw + GAP);
    const y0 = MARGIN + titleH + Math.floor(c / cols) * (th + LABEL_H + GAP);
    const sc = scaleOf(c);
    const label = opts.labels?.[c] ?? `ch ${c}`;
    ctx.fillStyle = '#000';
    ctx.font = font();
    ctx.fillText(opts.perChannel ? `${label} [${formatNumber(sc.vmin)}, ${formatNumber(sc.vmax)}]` : label, x0, y0 + FONT_PX + 2, tw);
    const off = c * plane;
    paintPlane(ctx, x0, y0 + LABEL_H, h, w, s, (r, col) => sc.color(x.data[off + r * w + col]));
    tiles.push({ index: c, x: x0, y: y0 + LABEL_H, width: tw, height: th });
  }
  if (!opts.perChannel) drawColorbar(ctx, MARGIN + gridW + GAP, MARGIN + titleH + LABEL_H, Math.min(gridH - LABEL_H, Math.max(th, 160)), shared);

  const more = cAll > C ? ` (first ${C} of ${cAll})` : '';
  const text = `feature maps: ${C} channel${C === 1 ? '' : 's'}${more} of ${h}×${w}, ${shared.name} scale [${formatNumber(shared.vmin)}, ${formatNumber(shared.vmax)}]${opts.perChannel ? ' per channel' : ''}, drawn ×${s}`;
  return new TensorImage(canvas.toBuffer('image/png'), width, height, text, tiles, opts.perChannel ? null : shared);
}

export interface FilterOptions {
  scale?: number;
  /** Draw at most this many output channels (default 16). */
  maxOut?: number;
  /** For Cin = 3: draw one tile per input channel instead of one colour tile (default false). */
  perInput?: boolean;
  title?: string;
}

/**
 * Conv filters w [Cout, Cin, KH, KW]. With Cin = 3 each filter is one RGB tile (value v → 0.5 +
 * v / (2·max|w|) per colour channel, so 0 is mid grey, as in the AlexNet figure); otherwise a
 * row per output channel, a tile per input channel, on the diverging map shared by all tiles.
 */
export function filters(w: Tensor, opts: FilterOptions = {}): TensorImage {
  const op = 'filters';
  if (!w?.shape || w.shape.length !== 4) throw opError(op, `w must be rank 4 [Cout, Cin, KH, KW], got shape ${w?.shape ? fmtShape(w.shape) : typeof w}`);
  const [coutAll, cin, kh, kw] = w.shape;
  const cout = Math.min(coutAll, opts.maxOut ?? 16);
  const s = upscaleFactor(kh, kw, opts.scale);
  const tw = kw * s;
  const th = kh * s;
  const plane = kh * kw;
  const shown = w.data.subarray(0, cout * cin * plane);
  const titleH = opts.title ? LABEL_H : 0;
  const more = coutAll > cout ? ` (first ${cout} of ${coutAll})` : '';
  const tiles: Tile[] = [];

  if (cin === 3 && !opts.perInput) {
    let m = 0;
    for (const v of shown) m = Math.max(m, Math.abs(v));
    const cols = Math.min(8, cout);
    const rows = Math.ceil(cout / cols);
    const width = 2 * MARGIN + cols * tw + (cols - 1) * GAP;
    const height = 2 * MARGIN + titleH + rows * (th + LABEL_H) + (rows - 1) * GAP;
    const { canvas, ctx } = whiteCanvas(width, height);
    ctx.fillStyle = '#000';
    ctx.font = font();
    if (opts.title) ctx.fillText(opts.title, MARGIN, MARGIN + FONT_PX);
    const chan = (v: number) => (m > 0 ? to255(0.5 + v / (2 * m), 0, 1) : 128);
    for (let o = 0; o < cout; o++) {
      const x0 = MARGIN + (o % cols) * (tw + GAP);
      const y0 = MARGIN + titleH + Math.floor(o / cols) * (th + LABEL_H + GAP);
      ctx.fillStyle = '#000';
      ctx.fillText(`out ${o}`, x0, y0 + FONT_PX + 2, tw);
      const base = o * 3 * plane;
      paintPlane(ctx, x0, y0 + LABEL_H, kh, kw, s, (r, c) => {
        const i = base + r * kw + c;
        return [chan(w.data[i]), chan(w.data[i + plane]), chan(w.data[i + 2 * plane])];
      });
      tiles.push({ index: o, x: x0, y: y0 + LABEL_H, width: tw, height: th });
    }
    const text = `filters: ${cout}${more} RGB filters ${kh}×${kw} (0 = grey, ±${formatNumber(m)} = full colour), drawn ×${s}`;
    return new TensorImage(canvas.toBuffer('image/png'), width, height, text, tiles, null);
  }

  const scale = autoScale(shown, 'diverging');
  const probe = whiteCanvas(1, 1).ctx;
  probe.font = font();
  const rowLabelW = Math.ceil(probe.measureText(`out ${cout - 1}`).width) + 10;
  const gridW = cin * tw + (cin - 1) * GAP;
  const gridH = cout * th + (cout - 1) * GAP;
  const width = MARGIN + rowLabelW + gridW + colorbarWidth(probe, scale);
  const height = MARGIN + titleH + LABEL_H + gridH + MARGIN;
  const { canvas, ctx } = whiteCanvas(width, height);
  ctx.fillStyle = '#000';
  ctx.font = font();
  if (opts.title) ctx.fillText(opts.title, MARGIN, MARGIN + FONT_PX);
  const gx = MARGIN + rowLabelW;
  const gy = MARGIN + titleH + LABEL_H;
  for (let i = 0; i < cin; i++) ctx.fillText(`in ${i}`, gx + i * (tw + GAP), gy - 8, tw);
  for (let o = 0; o < cout; o++) {
    const y0 = gy + o * (th + GAP);
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'middle';
    ctx.fillText(`out ${o}`, MARGIN, y0 + th / 2);
    ctx.textBaseline = 'alphabetic';
    for (let i = 0; i < cin; i++) {
      const x0 = gx + i * (tw + GAP);
      const base = (o * cin + i) * plane;
      paintPlane(ctx, x0, y0, kh, kw, s, (r, c) => scale.color(w.data[base + r * kw + c]));
      tiles.push({ index: o * cin + i, x: x0, y: y0, width: tw, height: th });
    }
  }
  drawColorbar(ctx, gx + gridW + GAP, gy, Math.max(th, Math.min(gridH, 200)), scale);
  const text = `filters: ${cout}${more} × ${cin} kernels ${kh}×${kw}, diverging scale ±${formatNumber(scale.vmax)}, drawn ×${s}`;
  return new TensorImage(canvas.toBuffer('image/png'), width, height, text, tiles, scale);
}

export interface BatchGridOptions {
  /** True class per image (indices into classNames, or names). */
  labels?: ArrayLike<number> | readonly (number | string)[];
  /** Predicted class per image; tiles where it differs from the label are marked in red. */
  predictions?: ArrayLike<number> | readonly (number | string)[];
  classNames?: readonly string[];
  cols?: number;
  scale?: number;
  /** Draw at most this many images (default 64). */
  maxImages?: number;
  vmin?: number;
  vmax?: number;
  title?: string;
}

/** Colours of the prediction line: right in dark green, wrong in red (both high-contrast on white). */
export const RIGHT_RGB: RGB = [0, 110, 40];
export const WRONG_RGB: RGB = [210, 0, 0];

/** Image tiles of a batch x [N, C, H, W] (C = 1 grey or 3 RGB), with label / prediction lines. */
export function batchGrid(x: Tensor, opts: BatchGridOptions = {}): TensorImage & { wrong: number[] } {
  const op = 'batchGrid';
  if (!x?.shape || x.shape.length !== 4 || (x.shape[1] !== 1 && x.shape[1] !== 3)) {
    throw opError(op, `x must be [N, C, H, W] with C = 1 or 3, got shape ${x?.shape ? fmtShape(x.shape) : typeof x}`);
  }
  const [nAll, c, h, w] = x.shape;
  const n = Math.min(nAll, opts.maxImages ?? 64);
  for (const [name, arr] of [['labels', opts.labels], ['predictions', opts.predictions]] as const) {
    if (arr && arr.length < n) throw opError(op, `${name} has ${arr.length} entries, x has ${n} images ${fmtShape(x.shape)}`);
  }
  const name = (v: number | string) => (typeof v === 'string' ? v : opts.classNames?.[v] ?? String(v));
  const s = upscaleFactor(h, w, opts.scale);
  const [lo, hi] = imageRange(x.data.subarray(0, n * c * h * w), opts.vmin, opts.vmax);
  const lines = (opts.labels ? 1 : 0) + (opts.predictions ? 1 : 0);
  const probe = whiteCanvas(1, 1).ctx;
  probe.font = font(FONT_PX, true);
  let textW = 0;
  for (let i = 0; i < n; i++) {
    if (opts.labels) textW = Math.max(textW, probe.measureText(`label ${name(opts.labels[i])}`).width);
    if (opts.predictions) textW = Math.max(textW, probe.measureText(`pred ${name(opts.predictions[i])} ✗`).width);
  }
  const cellW = Math.max(w * s, Math.ceil(textW) + 4);
  const cellH = h * s + lines * (FONT_PX + 6) + 4;
  const cols = opts.cols ?? Math.min(8, n);
  const rows = Math.ceil(n / cols);
  const titleH = opts.title ? LABEL_H : 0;
  const width = 2 * MARGIN + cols * cellW + (cols - 1) * GAP;
  const height = 2 * MARGIN + titleH + rows * cellH + (rows - 1) * GAP;
  const { canvas, ctx } = whiteCanvas(width, height);
  if (opts.title) {
    ctx.fillStyle = '#000';
    ctx.font = font();
    ctx.fillText(opts.title, MARGIN, MARGIN + FONT_PX);
  }
  const tiles: Tile[] = [];
  const wrong: number[] = [];
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const x0 = MARGIN + (i % cols) * (cellW + GAP);
    const y0 = MARGIN + titleH + Math.floor(i / cols) * (cellH + GAP);
    const base = i * c * plane;
    paintPlane(ctx, x0, y0, h, w, s, (r, col) => {
      const k = base + r * w + col;
      if (c === 1) {
        const g = to255(x.data[k], lo, hi);
        return [g, g, g];
      }
      return [to255(x.data[k], lo, hi), to255(x.data[k + plane], lo, hi), to255(x.data[k + 2 * plane], lo, hi)];
    });
    tiles.push({ index: i, x: x0, y: y0, width: w * s, height: h * s });
    let ty = y0 + h * s + FONT_PX + 4;
    if (opts.labels) {
      ctx.fillStyle = '#000';
      ctx.font = font();
      ctx.fillText(`label ${name(opts.labels[i])}`, x0, ty);
      ty += FONT_PX + 6;
    }
    if (opts.predictions) {
      const isWrong = opts.labels !== undefined && name(opts.labels[i]) !== name(opts.predictions[i]);
      ctx.fillStyle = css(isWrong ? WRONG_RGB : RIGHT_RGB);
      ctx.font = font(FONT_PX, isWrong);
      ctx.fillText(`pred ${name(opts.predictions[i])}${isWrong ? ' ✗' : ''}`, x0, ty);
      if (isWrong) {
        wrong.push(i);
        ctx.strokeStyle = css(WRONG_RGB);
        ctx.lineWidth = 4;
        ctx.strokeRect(x0 - 2, y0 - 2, w * s + 4, h * s + 4);
      }
    }
  }
  const more = nAll > n ? ` (first ${n} of ${nAll})` : '';
  const text = `batch of ${n}${more} ${c === 3 ? 'RGB' : 'grey'} images ${h}×${w}${opts.predictions && opts.labels ? `, ${wrong.length} wrong: [${wrong.join(', ')}]` : ''}`;
  const img = new TensorImage(canvas.toBuffer('image/png'), width, height, text, tiles, c === 1 ? scaleFor('grey', lo, hi) : null);
  return Object.assign(img, { wrong });
}
