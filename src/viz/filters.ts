/**
 * Conv filters as a picture (`filters(conv1.weight)`): the learned kernels (卷积核) of one layer.
 */
import { tr } from '../display/locale';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { autoScale } from './colormap';
import { GAP, LABEL_H, MARGIN, TensorImage, colorbarWidth, drawColorbar, paintPlane, to255, upscaleFactor, type Tile } from './image-paint';
import { FONT_PX, font, whiteCanvas } from './raster';
import { checkOptionNames, optionNames } from '../tensor/options';

const outLabel = (o: number) => tr({ en: `out ${o}`, zh: `输出 ${o}` });

/** Options of `filters`. */
export interface FilterOptions {
  scale?: number;
  /** Draw at most this many output channels (default 16). */
  maxOut?: number;
  /** For Cin = 3: draw one tile per input channel instead of one colour tile (default false). */
  perInput?: boolean;
  title?: string;
}

/** Every key of `FilterOptions` (checked both ways at compile time). */
export const FILTER_OPTION_NAMES = optionNames<FilterOptions>()(['scale', 'maxOut', 'perInput', 'title']);

/**
 * Conv filters w [Cout, Cin, KH, KW]. With Cin = 3 each filter is one RGB tile (value v → 0.5 +
 * v / (2·max|w|) per colour channel, so 0 is mid grey, as in the AlexNet figure); otherwise a
 * row per output channel, a tile per input channel, on the diverging map shared by all tiles.
 */
export function filters(w: Tensor, opts: FilterOptions = {}): TensorImage {
  checkOptionNames('filters', opts, FILTER_OPTION_NAMES);
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
      ctx.fillText(outLabel(o), x0, y0 + FONT_PX + 2, tw);
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
  const rowLabelW = Math.ceil(probe.measureText(outLabel(cout - 1)).width) + 10;
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
  for (let i = 0; i < cin; i++) ctx.fillText(tr({ en: `in ${i}`, zh: `输入 ${i}` }), gx + i * (tw + GAP), gy - 8, tw);
  for (let o = 0; o < cout; o++) {
    const y0 = gy + o * (th + GAP);
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'middle';
    ctx.fillText(outLabel(o), MARGIN, y0 + th / 2);
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

