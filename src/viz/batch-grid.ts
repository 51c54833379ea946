/**
 * A batch of images with their labels and predictions (`batchGrid(x, { labels, predictions })`):
 * wrong predictions in red with a red frame, so a glance shows what the model gets wrong.
 */
import { tr } from '../display/locale';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { css, scaleFor, type RGB } from './colormap';
import { GAP, LABEL_H, MARGIN, TensorImage, imagePixel, imageRange, paintPlane, upscaleFactor, type Tile } from './image-paint';
import { FONT_PX, font, whiteCanvas } from './raster';
import { checkOptionNames, optionNames } from '../tensor/options';

const labelText = (v: string) => tr({ en: `label ${v}`, zh: `标签 ${v}` });
const predText = (v: string) => tr({ en: `pred ${v}`, zh: `预测 ${v}` });

/** Options of `batchGrid`. */
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

/** Every key of `BatchGridOptions` (checked both ways at compile time). */
export const BATCH_GRID_OPTION_NAMES = optionNames<BatchGridOptions>()(['labels', 'predictions', 'classNames', 'cols', 'scale', 'maxImages', 'vmin', 'vmax', 'title']);

/** Colours of the prediction line: right in dark green, wrong in red (both high-contrast on white). */
export const RIGHT_RGB: RGB = [0, 110, 40];
/** Colour of a wrong prediction. */
export const WRONG_RGB: RGB = [210, 0, 0];

/** Image tiles of a batch x [N, C, H, W] (C = 1 grey or 3 RGB), with label / prediction lines. */
export function batchGrid(x: Tensor, opts: BatchGridOptions = {}): TensorImage & { wrong: number[] } {
  checkOptionNames('batchGrid', opts, BATCH_GRID_OPTION_NAMES);
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
    if (opts.labels) textW = Math.max(textW, probe.measureText(labelText(name(opts.labels[i]))).width);
    if (opts.predictions) textW = Math.max(textW, probe.measureText(`${predText(name(opts.predictions[i]))} ✗`).width);
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
    const pixel = imagePixel(x.data, base, plane, c, lo, hi);
    paintPlane(ctx, x0, y0, h, w, s, (r, col) => pixel(r * w + col));
    tiles.push({ index: i, x: x0, y: y0, width: w * s, height: h * s });
    let ty = y0 + h * s + FONT_PX + 4;
    if (opts.labels) {
      ctx.fillStyle = '#000';
      ctx.font = font();
      ctx.fillText(labelText(name(opts.labels[i])), x0, ty);
      ty += FONT_PX + 6;
    }
    if (opts.predictions) {
      const isWrong = opts.labels !== undefined && name(opts.labels[i]) !== name(opts.predictions[i]);
      ctx.fillStyle = css(isWrong ? WRONG_RGB : RIGHT_RGB);
      ctx.font = font(FONT_PX, isWrong);
      ctx.fillText(`${predText(name(opts.predictions[i]))}${isWrong ? ' ✗' : ''}`, x0, ty);
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
