/**
 * Convolution explorer (lessons 01/02): an editable 3×3 kernel (presets: the lecture's X kernel,
 * Sobel x, a Gaussian of σ), stride/padding/dilation sliders, and the result recomputed by our
 * own ops on every change: for a small grid (the lecture's 5×5 example) the walkthrough's last
 * frame with every number, for a photo the output feature map. The output size is shown as
 * `(H − F + 2P)/S + 1` with the current numbers (F the dilated kernel size D·(F − 1) + 1), and an
 * impossible configuration is named in place of the picture.
 */
import { tr } from '../../display/locale';
import { escapeHtml } from '../../display/mime';
import { conv2d } from '../../ops/conv2d';
import { Tensor, tensor } from '../../tensor/tensor';
import { featureMaps } from '../images';
import { whiteCanvas, font, RasterImage } from '../raster';
import { convWalkthrough } from '../walk-ops';
import { FloatSlider, FloatText, IntSlider } from '../../widgets/controls';
import { HBox, VBox } from '../../widgets/containers';
import { HTML, Image } from '../../widgets/media';
import { ToggleButtons } from '../../widgets/selection';
import { ExplorerView, pngBytes } from './view';
import { checkOptionNames, optionNames } from '../../tensor/options';

/** The lecture's 5×5 input and 3×3 X-shaped kernel (output [[4,3,4],[2,4,3],[2,3,4]]). */
export const LECTURE_INPUT = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]];
export const X_KERNEL = [[1, 0, 1], [0, 1, 0], [1, 0, 1]];
export const SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];

/** A 3×3 Gaussian, g(i, j) ∝ exp(−(i² + j²) / 2σ²) for i, j ∈ {−1, 0, 1}, weights summing to 1. */
export function gaussian3(sigma: number): number[][] {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`gaussian3: sigma must be > 0, got ${sigma}`);
  const g = [-1, 0, 1].map((i) => [-1, 0, 1].map((j) => Math.exp(-(i * i + j * j) / (2 * sigma * sigma))));
  const sum = g.flat().reduce((a, b) => a + b, 0);
  return g.map((r) => r.map((v) => Number((v / sum).toFixed(4))));
}

export type KernelPreset = 'X' | 'Sobel x' | 'Gaussian';

/** The output size along one axis, or the reason there is none. */
export function convOutputSize(h: number, f: number, p: number, s: number, d: number): { size: number; exact: boolean; text: string } | { error: string } {
  const fe = d * (f - 1) + 1;
  const span = h - fe + 2 * p;
  const fTxt = d > 1 ? `${fe}` : `${f}`;
  if (span < 0) {
    return { error: `impossible: the ${f}×${f} kernel${d > 1 ? ` dilated to ${fe}×${fe}` : ''} does not fit in the ${h}×${h} input padded by ${p} (${h} − ${fTxt} + 2·${p} = ${span} < 0)` };
  }
  const size = Math.floor(span / s) + 1;
  const exact = span % s === 0;
  const text = `(${h} − ${fTxt} + 2·${p}) / ${s} + 1 = ${exact ? size : `${(span / s + 1).toFixed(2)} → ${size}`}`;
  return { size, exact, text };
}

export interface ConvExplorerOptions {
  /** A small grid (rows of numbers, default the lecture's 5×5) or a grey image tensor [1, 1, H, W] / [H, W]. */
  input?: number[][] | Tensor;
  preset?: KernelPreset;
}

/** Every key of `ConvExplorerOptions` (checked both ways at compile time). */
export const CONV_EXPLORER_OPTION_NAMES = optionNames<ConvExplorerOptions>()(['input', 'preset']);

/** The live convolution explorer. @example show(convExplorer()) ; show(convExplorer({ input: loadImage('data/chelsea.png', { grey: true }) })) */
export class ConvExplorer extends ExplorerView {
  readonly root: VBox;
  readonly preset: ToggleButtons<KernelPreset>;
  readonly sigma: FloatSlider;
  readonly cells: FloatText[];
  readonly stride: IntSlider;
  readonly padding: IntSlider;
  readonly dilation: IntSlider;
  readonly picture: Image;
  readonly formula: HTML;
  /** The last output: rows of numbers (grid input) or the feature map tensor (image input); null when impossible. */
  output: number[][] | Tensor | null = null;
  /** Milliseconds the last recompute took (compute + PNG). */
  lastComputeMs = 0;
  private still!: RasterImage;
  private applying = false;
  private readonly grid: number[][] | null;
  private readonly x: Tensor | null;

  constructor(opts: ConvExplorerOptions = {}) {
    super();
    checkOptionNames('convExplorer', opts, CONV_EXPLORER_OPTION_NAMES);
    const input = opts.input ?? LECTURE_INPUT;
    this.grid = Array.isArray(input) ? input : null;
    this.x = input instanceof Tensor ? (input.shape.length === 2 ? input.reshape([1, 1, input.shape[0], input.shape[1]]) : input) : null;
    if (this.x && (this.x.shape.length !== 4 || this.x.shape[0] !== 1 || this.x.shape[1] !== 1)) {
      throw new Error(`convExplorer: input must be a grid of numbers or a grey image [1, 1, H, W] / [H, W], got shape [${this.x.shape.join(', ')}]`);
    }
    this.preset = new ToggleButtons<KernelPreset>({ options: ['X', 'Sobel x', 'Gaussian'], value: opts.preset ?? 'X', description: tr({ en: 'kernel', zh: '卷积核' }) });
    this.sigma = new FloatSlider({ value: 1, min: 0.3, max: 3, step: 0.1, description: 'σ' });
    this.cells = Array.from({ length: 9 }, () => new FloatText({ value: 0, layout: { width: '70px' } }));
    const big = !!this.x;
    this.stride = new IntSlider({ value: 1, min: 1, max: big ? 8 : 3, description: tr({ en: 'stride S', zh: '步长 S' }) });
    this.padding = new IntSlider({ value: 0, min: 0, max: big ? 4 : 2, description: tr({ en: 'padding P', zh: '填充 P' }) });
    this.dilation = new IntSlider({ value: 1, min: 1, max: big ? 4 : 3, description: tr({ en: 'dilation D', zh: '膨胀 D' }) });
    this.picture = new Image({ format: 'png' });
    this.formula = new HTML();
    const grid = new VBox([0, 1, 2].map((r) => new HBox(this.cells.slice(3 * r, 3 * r + 3))));
    this.root = new VBox([this.preset, this.sigma, grid, this.stride, this.padding, this.dilation, this.formula, this.picture]);
    this.applyPreset();
    this.preset.observe(() => this.applyPreset());
    this.sigma.observe(() => {
      if (this.preset.value === 'Gaussian') this.applyPreset();
    });
    for (const w of [...this.cells, this.stride, this.padding, this.dilation]) {
      w.observe(() => {
        if (!this.applying) this.update();
      });
    }
  }

  /** The 3×3 kernel as the cells hold it. */
  get kernel(): number[][] {
    return [0, 1, 2].map((r) => this.cells.slice(3 * r, 3 * r + 3).map((c) => c.value));
  }

  snapshot(): RasterImage {
    return this.still;
  }

  private applyPreset(): void {
    const k = this.preset.value === 'X' ? X_KERNEL : this.preset.value === 'Sobel x' ? SOBEL_X : gaussian3(this.sigma.value);
    this.applying = true;
    try {
      k.flat().forEach((v, i) => (this.cells[i].value = v));
    } finally {
      this.applying = false;
    }
    this.update();
  }

  /** Recompute the output and its size for the current controls. */
  update(): void {
    const t0 = performance.now();
    const [S, P, D] = [this.stride.value, this.padding.value, this.dilation.value];
    const h = this.grid ? this.grid.length : this.x!.shape[2];
    const w = this.grid ? this.grid[0].length : this.x!.shape[3];
    const rows = convOutputSize(h, 3, P, S, D);
    const cols = convOutputSize(w, 3, P, S, D);
    if ('error' in rows || 'error' in cols) {
      const msg = 'error' in rows ? rows.error : (cols as { error: string }).error;
      this.formula.value = `<div style="color:#b00020;font-size:16px"><b>${tr({ en: 'Output size', zh: '输出尺寸' })}:</b> ${escapeHtml(msg)}</div>`;
      this.still = messageImage(msg);
      this.output = null;
    } else {
      const sizeLine = h === w ? rows.text : `H: ${rows.text}; W: ${cols.text}`;
      const note = rows.exact && cols.exact ? '' : ` <i>(${tr({ en: 'not an integer: the last window would hang over the edge, conv2d drops it', zh: '不是整数：最后一个窗口越界，conv2d 舍去' })})</i>`;
      this.formula.value = `<div style="font-size:16px"><b>${tr({ en: 'Output size', zh: '输出尺寸' })}</b> (H − F + 2P)/S + 1: ${escapeHtml(sizeLine)} → ${rows.size}×${cols.size}${note}</div>`;
      if (this.grid) {
        const walk = convWalkthrough(this.grid, this.kernel, { stride: S, padding: P, dilation: D });
        this.output = walk.output;
        this.still = toRaster(walk);
      } else {
        const y = conv2d(this.x!, tensor([[this.kernel]]), null, { stride: S, padding: P, dilation: D });
        this.output = y;
        this.still = featureMaps(y, { title: `${this.preset.value} · S=${S} P=${P} D=${D} → ${rows.size}×${cols.size}` });
      }
    }
    this.picture.value = pngBytes(this.still);
    this.lastComputeMs = performance.now() - t0;
  }
}

function toRaster(walk: ReturnType<typeof convWalkthrough>): RasterImage {
  const png = walk.png;
  return new RasterImage(png, png.readUInt32BE(16), png.readUInt32BE(20), walk.title);
}

function messageImage(msg: string): RasterImage {
  const { canvas, ctx } = whiteCanvas(640, 60);
  ctx.fillStyle = '#b00020';
  ctx.font = font();
  const words = msg.split(' ');
  let line = '';
  let y = 24;
  for (const word of words) {
    if (ctx.measureText(line + word).width > 620) {
      ctx.fillText(line, 10, y);
      line = '';
      y += 22;
    }
    line += word + ' ';
  }
  ctx.fillText(line, 10, y);
  return new RasterImage(canvas.toBuffer('image/png'), 640, 60, msg);
}

/** The convolution explorer (see ConvExplorer). */
export function convExplorer(opts: ConvExplorerOptions = {}): ConvExplorer {
  return new ConvExplorer(opts);
}
