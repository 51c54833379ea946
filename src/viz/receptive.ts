/**
 * Which input pixels feed one unit of one layer. Exact, by walking the unit back through each
 * conv/pool window (taps at o·S − P + a·D), counting paths: a pixel's count is how many ways it
 * reaches the unit (with all weights 1 it is ∂unit/∂pixel), so the centre of a stacked field is
 * "hotter" than its rim, and dilation holes stay at 0. Padding taps are not pixels and are dropped.
 *
 * Two stacked 3×3 convs (stride 1) give a 5×5 field; add a 2×2/2 pool and a third 3×3 conv: 10×10.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import { outputSize, pair, resolvePadding, type Padding, type Pair } from '../ops/shape';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { css, sequential } from './colormap';
import { FONT_PX, RasterImage, font, whiteCanvas } from './raster';

/** A conv/pool window; stride defaults to 1 (or kernelSize when `type` names a pool). */
export interface WindowSpec {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  type?: string;
}

/** What a layer looks like to us: src/layers modules expose `config()` (and containers `children()`). */
interface ModuleLike {
  config(): { type: string; args: Record<string, unknown> };
  children?(): ModuleLike[];
}

type LayerLike = ModuleLike | WindowSpec;

/** Layers that keep every pixel where it is (element-wise or across channels). */
const PASS_THROUGH = new Set(['ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'BatchNorm2d', 'LocalResponseNorm', 'Dropout', 'Identity', 'Softmax']);
const GLOBAL = new Set(['Flatten', 'Linear', 'GlobalAvgPool2d', 'AdaptiveAvgPool2d']);

interface Step {
  name: string;
  type: string;
  /** null = pass-through. */
  win: { k: [number, number]; s: [number, number]; d: [number, number]; padding: Padding | undefined; ceil?: boolean } | null;
}

function flatten(op: string, model: LayerLike | LayerLike[]): Step[] {
  const out: Step[] = [];
  const visit = (l: LayerLike, name: string) => {
    if (typeof (l as ModuleLike).config === 'function') {
      const m = l as ModuleLike;
      const kids = typeof m.children === 'function' ? m.children() : [];
      const { type, args } = m.config();
      if (kids.length > 0) {
        if (type !== 'Sequential') throw opError(op, `layer ${name} (${type}) has branches; pass its branch as a layer list`);
        kids.forEach((k, i) => visit(k, name ? `${name}.${i}` : String(i)));
        return;
      }
      if (type === 'Conv2d' || type === 'MaxPool2d' || type === 'AvgPool2d') {
        const k = pair(args.kernelSize as Pair, 1, op, 'kernelSize');
        const s = pair((args.stride as Pair | undefined) ?? (type === 'Conv2d' ? 1 : k), 1, op, 'stride');
        out.push({ name, type, win: { k, s, d: pair(args.dilation as Pair | undefined, 1, op, 'dilation'), padding: args.padding as Padding | undefined, ceil: args.ceilMode === true } });
      } else if (PASS_THROUGH.has(type)) out.push({ name, type, win: null });
      else if (GLOBAL.has(type)) out.push({ name, type: `${type}!global`, win: null });
      else throw opError(op, `layer ${name} (${type}) has no spatial window this view understands`);
      return;
    }
    const w = l as WindowSpec;
    if (!w || w.kernelSize === undefined) throw opError(op, `layer ${name} must be a Module or { kernelSize, stride?, padding?, dilation? }, got ${JSON.stringify(l)}`);
    const k = pair(w.kernelSize, 1, op, 'kernelSize');
    const isPool = /pool/i.test(w.type ?? '');
    out.push({ name, type: w.type ?? 'window', win: { k, s: pair(w.stride ?? (isPool ? k : 1), 1, op, 'stride'), d: pair(w.dilation, 1, op, 'dilation'), padding: w.padding } });
  };
  if (Array.isArray(model)) model.forEach((l, i) => visit(l, String(i)));
  else visit(model, '');
  return out;
}

export interface ReceptiveFieldResult {
  /** Pixels × paths: count[r][c] = number of paths from input pixel (r, c) to the unit. */
  counts: number[][];
  /** Bounding box of the pixels that feed the unit, clipped to the input: [first, last] (inclusive). */
  rows: [number, number];
  cols: [number, number];
  /** Field size ignoring the border (the textbook number): r = 1 + Σ (k_eff − 1)·jump. */
  size: [number, number];
  /** Output grid size [H, W] of the chosen layer. */
  layerOutput: [number, number];
  layerName: string;
  layerType: string;
}

/**
 * Exact receptive field of `unit` [i, j] of the output of layer `layerIndex` (0-based, in the
 * flattened list), for an input of shape [N, C, H, W], [C, H, W] or [H, W].
 */
export function receptiveFieldOfUnit(model: LayerLike | LayerLike[], layerIndex: number, unit: readonly [number, number], inputShape: readonly number[]): ReceptiveFieldResult {
  const op = 'receptiveFieldOfUnit';
  const steps = flatten(op, model);
  if (!Number.isInteger(layerIndex) || layerIndex < 0 || layerIndex >= steps.length) throw opError(op, `layerIndex must be in [0, ${steps.length - 1}], got ${layerIndex}`);
  if (!inputShape || inputShape.length < 2) throw opError(op, `inputShape must end in [H, W], got ${inputShape ? fmtShape(inputShape) : inputShape}`);
  const hw0: [number, number] = [inputShape[inputShape.length - 2], inputShape[inputShape.length - 1]];
  // Forward: each layer's input size and resolved padding.
  const sizes: [number, number][] = [hw0];
  const pads: [number, number][] = [];
  for (let l = 0; l <= layerIndex; l++) {
    const st = steps[l];
    const [h, w] = sizes[l];
    if (st.type.endsWith('!global')) throw opError(op, `layer ${st.name} (${st.type.replace('!global', '')}) mixes all positions: every unit after it sees the whole input`);
    if (!st.win) {
      pads.push([0, 0]);
      sizes.push([h, w]);
      continue;
    }
    const { k, s, d } = st.win;
    const p = resolvePadding(st.win.padding, [h, w], k, s, d, op);
    pads.push([p.top, p.left]);
    sizes.push([outputSize(h, k[0], [p.top, p.bottom], s[0], d[0], st.win.ceil), outputSize(w, k[1], [p.left, p.right], s[1], d[1], st.win.ceil)]);
  }
  const [oh, ow] = sizes[layerIndex + 1];
  const [ui, uj] = unit;
  if (!Number.isInteger(ui) || !Number.isInteger(uj) || ui < 0 || uj < 0 || ui >= oh || uj >= ow) {
    throw opError(op, `unit [${ui}, ${uj}] is outside layer ${steps[layerIndex].name}'s output ${oh}×${ow}`);
  }
  // Backward: spread path counts through each window.
  let counts: number[][] = Array.from({ length: oh }, (_, r) => Array.from({ length: ow }, (_, c) => (r === ui && c === uj ? 1 : 0)));
  let size: [number, number] = [1, 1];
  for (let l = layerIndex; l >= 0; l--) {
    const st = steps[l];
    if (!st.win) continue;
    const [h, w] = sizes[l];
    const { k, s, d } = st.win;
    const [pt, pl] = pads[l];
    const next = Array.from({ length: h }, () => new Array<number>(w).fill(0));
    counts.forEach((row, or) => row.forEach((n, oc) => {
      if (n === 0) return;
      for (let a = 0; a < k[0]; a++) {
        const y = or * s[0] - pt + a * d[0];
        if (y < 0 || y >= h) continue;
        for (let b = 0; b < k[1]; b++) {
          const x = oc * s[1] - pl + b * d[1];
          if (x >= 0 && x < w) next[y][x] += n;
        }
      }
    }));
    counts = next;
    size = [(size[0] - 1) * s[0] + d[0] * (k[0] - 1) + 1, (size[1] - 1) * s[1] + d[1] * (k[1] - 1) + 1];
  }
  const rowsHit = counts.map((r, i) => (r.some((v) => v > 0) ? i : -1)).filter((i) => i >= 0);
  const colsHit = counts[0].map((_, j) => (counts.some((r) => r[j] > 0) ? j : -1)).filter((j) => j >= 0);
  return {
    counts,
    rows: [rowsHit[0], rowsHit[rowsHit.length - 1]],
    cols: [colsHit[0], colsHit[colsHit.length - 1]],
    size,
    layerOutput: [oh, ow],
    layerName: steps[layerIndex].name,
    layerType: steps[layerIndex].type,
  };
}

export interface ReceptiveFieldViewOptions {
  /** Draw the field over this input image ([H, W], [1, H, W] or [1, 1, H, W], grey). */
  image?: Tensor;
  /** Pixel size of one input cell (default: ≥ 16 and the grid ≥ 384 px). */
  cell?: number;
}

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
  const line1 = `layer ${f.layerName} (${f.layerType}) unit (${unit[0]}, ${unit[1]}) of ${f.layerOutput[0]}×${f.layerOutput[1]}`;
  const line2 = `sees input rows ${f.rows[0]}–${f.rows[1]}, cols ${f.cols[0]}–${f.cols[1]} (${boxH}×${boxW}); field ${f.size[0]}×${f.size[1]}`;
  ctx.fillStyle = '#000';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.font = font(16, true);
  ctx.fillText(line1, x0, 16 + FONT_PX);
  ctx.font = font(16);
  ctx.fillText(line2, x0, 16 + 2 * FONT_PX + 8);
  return new ReceptiveFieldView(canvas.toBuffer('image/png'), width, height, `receptive field: ${line1}, ${line2}`, f, cell, [x0, y0]);
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
