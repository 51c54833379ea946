/**
 * The receptive field of one unit drawn on the input grid. The arithmetic is the layers' one
 * engine (src/layers/receptive-unit.ts, reading the layer table); this file only draws it.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import type { LayerLike } from '../layers/receptive-field';
import { receptiveFieldOfUnit, type ReceptiveFieldResult } from '../layers/receptive-unit';
import { css, sequential } from './colormap';
import { FONT_PX, RasterImage, font, whiteCanvas } from './raster';
import { tr } from '../display/locale';
import { checkOptionNames, optionNames } from '../tensor/options';

export { receptiveFieldOfUnit, type ReceptiveFieldResult };
export type { LayerLike, WindowSpec } from '../layers/receptive-field';

export interface ReceptiveFieldViewOptions {
  /** Draw the field over this input image ([H, W], [1, H, W] or [1, 1, H, W], grey). */
  image?: Tensor;
  /** Pixel size of one input cell (default: ≥ 16 and the grid ≥ 384 px). */
  cell?: number;
}

/** Every key of `ReceptiveFieldViewOptions` (checked both ways at compile time). */
export const RECEPTIVE_FIELD_VIEW_OPTION_NAMES = optionNames<ReceptiveFieldViewOptions>()(['image', 'cell']);

export class ReceptiveFieldView extends RasterImage {
  constructor(png: Buffer, width: number, height: number, text: string, readonly field: ReceptiveFieldResult, readonly cell: number, readonly origin: [number, number]) {
    super(png, width, height, text);
  }
}

/**
 * The receptive field drawn on the input grid: pixels that feed the unit coloured by path count,
 * the bounding box outlined in red, counts written in the cells when they fit.
 */
export function receptiveFieldView(model: LayerLike | LayerLike[], layerIndex: number, unit: readonly [number, number], inputShape: readonly number[], opts: ReceptiveFieldViewOptions = {}): ReceptiveFieldView {
  checkOptionNames('receptiveFieldView', opts, RECEPTIVE_FIELD_VIEW_OPTION_NAMES);
  const f = receptiveFieldOfUnit(model, layerIndex, unit, inputShape);
  const h = f.counts.length;
  const w = f.counts[0].length;
  const cell = opts.cell ?? Math.max(16, Math.ceil(384 / Math.max(h, w)));
  const img = opts.image;
  if (img && img.size !== h * w) throw opError('receptiveFieldView', `image ${fmtShape(img.shape)} must have H×W = ${h}×${w} pixels`);
  const maxCount = Math.max(...f.counts.flat());
  const x0 = 16;
  const y0 = 16 + 2 * (FONT_PX + 8);
  const width = Math.max(x0 * 2 + w * cell, 560);
  const height = y0 + h * cell + 16;
  const { canvas, ctx } = whiteCanvas(width, height);
  let lo = 0;
  let hi = 1;
  if (img) {
    lo = Math.min(...img.data);
    hi = Math.max(...img.data);
  }
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const n = f.counts[r][c];
      if (img) {
        const g = hi > lo ? Math.round(((img.data[r * w + c] - lo) / (hi - lo)) * 255) : 0;
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
        if (n > 0) {
          ctx.fillStyle = 'rgba(255,140,0,0.55)';
          ctx.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
        }
      } else {
        ctx.fillStyle = n > 0 ? css(sequential(n, maxCount, maxCount > 1 ? 0 : -1)) : '#ffffff';
        ctx.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
      }
    }
  }
  drawGridLines(ctx, x0, y0, h, w, cell);
  if (cell >= 36 && !img) {
    ctx.font = font(16, true);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    f.counts.forEach((row, r) => row.forEach((n, c) => {
      if (n === 0) return;
      const col = sequential(n, maxCount, maxCount > 1 ? 0 : -1);
      ctx.fillStyle = 0.299 * col[0] + 0.587 * col[1] + 0.114 * col[2] < 140 ? '#fff' : '#000';
      ctx.fillText(String(n), x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell);
    }));
  }
  ctx.strokeStyle = '#e03131';
  ctx.lineWidth = 4;
  ctx.strokeRect(x0 + f.cols[0] * cell, y0 + f.rows[0] * cell, (f.cols[1] - f.cols[0] + 1) * cell, (f.rows[1] - f.rows[0] + 1) * cell);
  const boxH = f.rows[1] - f.rows[0] + 1;
  const boxW = f.cols[1] - f.cols[0] + 1;
  const [out, rows, cols] = [`${f.layerOutput[0]}×${f.layerOutput[1]}`, `${f.rows[0]}–${f.rows[1]}`, `${f.cols[0]}–${f.cols[1]}`];
  const line1 = tr({
    en: `layer ${f.layerName} (${f.layerType}) unit (${unit[0]}, ${unit[1]}) of ${out}`,
    zh: `第 ${f.layerName} 层（${f.layerType}）${out} 中的单元 (${unit[0]}, ${unit[1]})`,
  });
  const line2 = tr({
    en: `sees input rows ${rows}, cols ${cols} (${boxH}×${boxW}); field ${f.size[0]}×${f.size[1]}`,
    zh: `看到输入的第 ${rows} 行、第 ${cols} 列（${boxH}×${boxW}）；感受野 ${f.size[0]}×${f.size[1]}`,
  });
  ctx.fillStyle = '#000';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.font = font(16, true);
  ctx.fillText(line1, x0, 16 + FONT_PX);
  ctx.font = font(16);
  ctx.fillText(line2, x0, 16 + 2 * FONT_PX + 8);
  return new ReceptiveFieldView(canvas.toBuffer('image/png'), width, height, tr({ en: `receptive field: ${line1}, ${line2}`, zh: `感受野：${line1}，${line2}` }), f, cell, [x0, y0]);
}

function drawGridLines(ctx: CanvasRenderingContext2D, x0: number, y0: number, h: number, w: number, cell: number): void {
  ctx.strokeStyle = '#adb5bd';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let r = 0; r <= h; r++) {
    ctx.moveTo(x0, y0 + r * cell + 0.5);
    ctx.lineTo(x0 + w * cell, y0 + r * cell + 0.5);
  }
  for (let c = 0; c <= w; c++) {
    ctx.moveTo(x0 + c * cell + 0.5, y0);
    ctx.lineTo(x0 + c * cell + 0.5, y0 + h * cell);
  }
  ctx.stroke();
}
