/**
 * Tensors as pictures (node-canvas → PNG): an input image (`imageOf`) and a grid of feature maps
 * (`featureMaps`). Each returns a `TensorImage` (PNG + HTML + text bundle) that also exposes
 * where every tile was drawn, so tests (and curious students) can find a channel's pixels.
 * Conv filters: src/viz/filters.ts; a batch with labels: src/viz/batch-grid.ts.
 *
 *   featureMaps(conv1.forward(x))   // one tile per channel, shared diverging scale, colour bar
 */
import { tr } from '../display/locale';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { autoScale, scaleFor, type ColormapName } from './colormap';
import { GAP, LABEL_H, MARGIN, TensorImage, colorbarWidth, drawColorbar, imagePixel, imageRange, paintPlane, upscaleFactor, type Tile } from './image-paint';
import { FONT_PX, font, whiteCanvas } from './raster';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Options of `imageOf`. */
export interface ImageOptions {
  /** Integer upscaling factor (default: until the shorter side is ≥ 96 px). */
  scale?: number;
  /** Value drawn black (default: 0 when the data is in [0,1] or [0,255], else the minimum). */
  vmin?: number;
  /** Value drawn white (default: 1 or 255 when the data fits, else the maximum). */
  vmax?: number;
  title?: string;
}

/** Every key of `ImageOptions` (checked both ways at compile time). */
export const IMAGE_OPTION_NAMES = optionNames<ImageOptions>()(['scale', 'vmin', 'vmax', 'title']);

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
  checkOptionNames('imageOf', opts, IMAGE_OPTION_NAMES);
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
  const pixel = imagePixel(x.data, 0, plane, c, lo, hi);
  paintPlane(ctx, MARGIN, MARGIN + titleH, h, w, s, (r, col) => pixel(r * w + col));
  const tile = { index: 0, x: MARGIN, y: MARGIN + titleH, width: w * s, height: h * s };
  const text = `${c === 3 ? 'RGB' : 'grey'} image ${h}×${w} (shape ${fmtShape(x.shape)}, drawn ×${s}, range [${formatNumber(lo)}, ${formatNumber(hi)}])`;
  return new TensorImage(canvas.toBuffer('image/png'), width, height, text, [tile], c === 1 ? scaleFor('grey', lo, hi) : null);
}

/** Options of `featureMaps`. */
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

/** Every key of `FeatureMapOptions` (checked both ways at compile time). */
export const FEATURE_MAP_OPTION_NAMES = optionNames<FeatureMapOptions>()(['cols', 'scale', 'colormap', 'perChannel', 'labels', 'maxChannels', 'title']);

/**
 * A grid of feature maps, one tile per channel: x is [1, C, H, W], [C, H, W] or [H, W].
 * Signed maps use the diverging map centred on 0; non-negative maps the sequential one; a
 * colour bar gives the min/max of the (shared) scale.
 */
export function featureMaps(x: Tensor, opts: FeatureMapOptions = {}): TensorImage {
  checkOptionNames('featureMaps', opts, FEATURE_MAP_OPTION_NAMES);
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
    const label = opts.labels?.[c] ?? tr({ en: `ch ${c}`, zh: `通道 ${c}` });
    ctx.fillStyle = '#000';
    ctx.font = font();
    ctx.fillText(opts.perChannel ? `${label} [${formatNumber(sc.vmin)}, ${formatNumber(sc.vmax)}]` : label, x0, y0 + FONT_PX + 2, tw);
    const off = c * plane;
    paintPlane(ctx, x0, y0 + LABEL_H, h, w, s, (r, col) => sc.color(x.data[off + r * w + col]));
    tiles.push({ index: c, x: x0, y: y0 + LABEL_H, width: tw, height: th });
  }
  if (!opts.perChannel) drawColorbar(ctx, MARGIN + gridW + GAP, MARGIN + titleH + LABEL_H, Math.min(gridH - LABEL_H, Math.max(th, 160)), shared);

  const range = `[${formatNumber(shared.vmin)}, ${formatNumber(shared.vmax)}]`;
  const text = tr({
    en: `feature maps: ${C} channel${C === 1 ? '' : 's'}${cAll > C ? ` (first ${C} of ${cAll})` : ''} of ${h}×${w}, ${shared.name} scale ${range}${opts.perChannel ? ' per channel' : ''}, drawn ×${s}`,
    zh: `特征图：${C} 个通道${cAll > C ? `（共 ${cAll} 个中的前 ${C} 个）` : ''}，每个 ${h}×${w}，${shared.name} 色标 ${range}${opts.perChannel ? '（每通道各自）' : ''}，放大 ×${s}`,
  });
  return new TensorImage(canvas.toBuffer('image/png'), width, height, text, tiles, opts.perChannel ? null : shared);
}

