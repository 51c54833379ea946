/**
 * Pooling layers over [N, C, H, W] (PyTorch semantics; the math is in src/ops/pool.ts).
 * MaxPool2d remembers which cell won each window (ConvNetJS), so backward routes dy there.
 */
import {
  AvgPool2dOptions, Pool2dOptions, avgPool2d, avgPool2dBackward, globalAvgPool2d, globalAvgPool2dBackward,
  maxPool2dBackward, maxPool2dWithIndices,
} from '../ops/pool';
import { Pair, outputSize, pair } from '../ops/shape';
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import type { Tensor } from '../tensor/tensor';
import { cachedInput, expectGradShape, expectShapeRank, prod } from './base';
import { LayerConfig, Module } from './module';

/** Options of `MaxPool2d` beside the kernel size: stride (default: the kernel), padding (0, ≤ ⌊k_eff/2⌋), dilation (1), ceilMode (false). */
export interface MaxPool2dLayerOptions {
  /** Default: kernelSize. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Every key of `MaxPool2dLayerOptions` (checked both ways at compile time). */
export const MAX_POOL2D_LAYER_OPTION_NAMES = optionNames<MaxPool2dLayerOptions>()(['stride', 'padding', 'dilation', 'ceilMode']);

/** Options of `AvgPool2d` beside the kernel size: stride (default: the kernel), padding (0, ≤ ⌊K/2⌋), ceilMode, countIncludePad (true). */
export interface AvgPool2dLayerOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Default true (PyTorch). */
  countIncludePad?: boolean;
}

/** Every key of `AvgPool2dLayerOptions` (checked both ways at compile time). */
export const AVG_POOL2D_LAYER_OPTION_NAMES = optionNames<AvgPool2dLayerOptions>()(['stride', 'padding', 'ceilMode', 'countIncludePad']);

/** PyTorch-style description with defaults omitted: `MaxPool2d(kernel_size=3, stride=2)`. */
function describePool(type: string, o: AvgPool2dOptions, defaults: { countIncludePad?: boolean } = {}): string {
  const sq = (v: Pair | undefined) => (v === undefined ? '' : typeof v === 'number' ? String(v) : v[0] === v[1] ? String(v[0]) : `(${v[0]}, ${v[1]})`);
  const k = sq(o.kernelSize);
  const parts = [`kernel_size=${k}`];
  if (o.stride !== undefined && sq(o.stride) !== k) parts.push(`stride=${sq(o.stride)}`);
  if (o.padding !== undefined && sq(o.padding) !== '0') parts.push(`padding=${sq(o.padding)}`);
  if (o.dilation !== undefined && sq(o.dilation) !== '1') parts.push(`dilation=${sq(o.dilation)}`);
  if (o.ceilMode) parts.push('ceil_mode=true');
  if (o.countIncludePad !== undefined && o.countIncludePad !== defaults.countIncludePad) parts.push(`count_include_pad=${o.countIncludePad}`);
  return `${type}(${parts.join(', ')})`;
}

/**
 * PyTorch's construction-time rule, the same one the pool ops apply: padding ≤ ⌊k_eff/2⌋ per
 * axis, k_eff = D·(K − 1) + 1. Checked here so `outputShape` never reports a shape that
 * `forward` would refuse.
 */
function checkPoolPadding(type: string, k: [number, number], p: [number, number], d: [number, number]): void {
  (['H', 'W'] as const).forEach((axis, a) => {
    const eff = d[a] * (k[a] - 1) + 1;
    if (p[a] > Math.floor(eff / 2)) {
      const effText = d[a] > 1 ? ` (dilation ${d[a]} → effective ${eff})` : '';
      throw opError(type, `padding ${p[a]} along ${axis} must be at most half the kernel size ${k[a]}${effText}, i.e. ≤ ${Math.floor(eff / 2)}`);
    }
  });
}

/** Output shape of a pooling window sweep; errors name the layer. */
function poolShape(layer: Module, inShape: readonly number[], o: Pool2dOptions): number[] {
  expectShapeRank(layer, inShape, 4, '[N, C, H, W]');
  const [n, c, h, w] = inShape;
  const k = pair(o.kernelSize, 1, layer.type, 'kernelSize');
  const s = pair(o.stride ?? k, 1, layer.type, 'stride');
  const p = pair(o.padding, 0, layer.type, 'padding', 0);
  const d = pair(o.dilation, 1, layer.type, 'dilation');
  try {
    return [n, c, outputSize(h, k[0], p[0], s[0], d[0], o.ceilMode), outputSize(w, k[1], p[1], s[1], d[1], o.ceilMode)];
  } catch (e) {
    throw opError(layer.type, `${layer.toString()} does not fit input ${fmtShape(inShape)}: ${(e as Error).message}`);
  }
}

/**
 * Max pooling layer (PyTorch `nn.MaxPool2d`): y = max over each (dilated) K×K window,
 * [N, C, H, W] → [N, C, Ho, Wo], Ho = ⌊(H + 2P − D·(K − 1) − 1)/S⌋ + 1 (⌈…⌉ under ceilMode).
 * Stride defaults to the kernel; padding (−∞) must be ≤ ⌊k_eff/2⌋, checked at construction.
 *
 * @example new MaxPool2d(2).outputShape([1, 6, 28, 28]) // [1, 6, 14, 14]
 */
export class MaxPool2d extends Module {
  readonly type = 'MaxPool2d';
  readonly opts: Pool2dOptions;
  private x: Tensor | null = null;
  private indices: Int32Array | null = null;
  private outShape: number[] = [];

  constructor(kernelSize: Pair, opts: MaxPool2dLayerOptions = {}) {
    super();
    checkOptionNames('MaxPool2d', opts, MAX_POOL2D_LAYER_OPTION_NAMES);
    const k = pair(kernelSize, 1, 'MaxPool2d', 'kernelSize');
    this.opts = {
      kernelSize: k,
      stride: pair(opts.stride ?? k, 1, 'MaxPool2d', 'stride'),
      padding: pair(opts.padding, 0, 'MaxPool2d', 'padding', 0),
      dilation: pair(opts.dilation, 1, 'MaxPool2d', 'dilation'),
      ceilMode: opts.ceilMode ?? false,
    };
    checkPoolPadding('MaxPool2d', k, this.opts.padding as [number, number], this.opts.dilation as [number, number]);
  }

  forward(x: Tensor): Tensor {
    this.outShape = this.outputShape(x.shape);
    // The indices never leave this layer, so last call's array is refilled instead of allocating
    // a new one (first writes to fresh memory are slow). Cleared first: should the op throw
    // part-way, backward recomputes them from x rather than read a half-written array.
    const reuse = this.indices ?? undefined;
    this.indices = null;
    const { y, indices } = maxPool2dWithIndices(x, this.opts, reuse);
    this.x = x;
    this.indices = indices;
    return y;
  }

  /**
   * Whether this layer pools 2×2 with stride 2 and no padding, dilation or ceil mode: the pooling
   * `Sequential` can fuse into the conv before it (src/ops/conv-fused.ts).
   */
  get is2x2Stride2(): boolean {
    const o = this.opts;
    const two = (v: unknown) => Array.isArray(v) ? v[0] === 2 && v[1] === 2 : v === 2;
    const none = (v: unknown, z: number) => v === undefined || (Array.isArray(v) ? v[0] === z && v[1] === z : v === z);
    return two(o.kernelSize) && two(o.stride) && none(o.padding, 0) && none(o.dilation, 1) && !o.ceilMode;
  }

  /**
   * Hand the last forward's indices array over for reuse (a fresh one costs a page fault per 4 KB
   * on first write): the caller fills it and gives it back through `adoptPooled`.
   */
  takeIndices(): Int32Array | null {
    const a = this.indices;
    this.indices = null;
    return a;
  }

  /**
   * Take the pooling the conv before already did (`Conv2d.forwardReluPool`): cache its input y and
   * indices as `forward` would have, and return the pooled output.
   */
  adoptPooled(y: Tensor, pooled: Tensor, indices: Int32Array): Tensor {
    this.outShape = this.outputShape(y.shape);
    this.x = y;
    this.indices = indices;
    return pooled;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outShape);
    return maxPool2dBackward(dy, x, this.opts, this.indices ?? undefined);
  }

  outputShape(inShape: readonly number[]): number[] {
    return poolShape(this, inShape, this.opts);
  }

  /** One comparison per window tap: N·C·Ho·Wo·KH·KW. */
  override flops(inShape: readonly number[]): number {
    const k = this.opts.kernelSize as [number, number];
    return prod(this.outputShape(inShape)) * k[0] * k[1];
  }

  override toString(): string {
    return describePool('MaxPool2d', this.opts);
  }

  config(): LayerConfig {
    return { type: 'MaxPool2d', args: { ...this.opts } };
  }
}

/**
 * Average pooling layer (PyTorch `nn.AvgPool2d`): the mean of each K×K window, shapes as
 * MaxPool2d (no dilation). Padding is zeros, ≤ ⌊K/2⌋; `countIncludePad` (default true)
 * divides by the full window.
 *
 * @example new AvgPool2d(2).outputShape([1, 1, 4, 4]) // [1, 1, 2, 2]
 */
export class AvgPool2d extends Module {
  readonly type = 'AvgPool2d';
  readonly opts: AvgPool2dOptions;
  private x: Tensor | null = null;
  private outShape: number[] = [];

  constructor(kernelSize: Pair, opts: AvgPool2dLayerOptions = {}) {
    super();
    checkOptionNames('AvgPool2d', opts, AVG_POOL2D_LAYER_OPTION_NAMES);
    const k = pair(kernelSize, 1, 'AvgPool2d', 'kernelSize');
    this.opts = {
      kernelSize: k,
      stride: pair(opts.stride ?? k, 1, 'AvgPool2d', 'stride'),
      padding: pair(opts.padding, 0, 'AvgPool2d', 'padding', 0),
      ceilMode: opts.ceilMode ?? false,
      countIncludePad: opts.countIncludePad ?? true,
    };
    checkPoolPadding('AvgPool2d', k, this.opts.padding as [number, number], [1, 1]);
  }

  forward(x: Tensor): Tensor {
    this.outShape = this.outputShape(x.shape);
    const y = avgPool2d(x, this.opts);
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outShape);
    return avgPool2dBackward(dy, x, this.opts);
  }

  outputShape(inShape: readonly number[]): number[] {
    return poolShape(this, inShape, this.opts);
  }

  /** One add per window tap: N·C·Ho·Wo·KH·KW. */
  override flops(inShape: readonly number[]): number {
    const k = this.opts.kernelSize as [number, number];
    return prod(this.outputShape(inShape)) * k[0] * k[1];
  }

  override toString(): string {
    return describePool('AvgPool2d', this.opts, { countIncludePad: true });
  }

  config(): LayerConfig {
    return { type: 'AvgPool2d', args: { ...this.opts } };
  }
}

/** [N, C, H, W] → [N, C, 1, 1]: the mean of each channel plane (ResNet/GoogLeNet heads). */
export class GlobalAvgPool2d extends Module {
  readonly type = 'GlobalAvgPool2d';
  private x: Tensor | null = null;

  forward(x: Tensor): Tensor {
    this.outputShape(x.shape);
    const y = globalAvgPool2d(x);
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, [x.shape[0], x.shape[1], 1, 1]);
    return globalAvgPool2dBackward(dy, x);
  }

  outputShape(inShape: readonly number[]): number[] {
    expectShapeRank(this, inShape, 4, '[N, C, H, W]');
    return [inShape[0], inShape[1], 1, 1];
  }

  override flops(inShape: readonly number[]): number {
    this.outputShape(inShape);
    return prod(inShape);
  }

  config(): LayerConfig {
    return { type: 'GlobalAvgPool2d', args: {} };
  }
}

/**
 * PyTorch's AdaptiveAvgPool2d(outputSize), for inputs whose H and W are multiples of the output
 * size: then the adaptive windows are exactly an AvgPool2d with kernel = stride = H/outH. (torchvision's
 * AlexNet/VGG use it; at 224×224 their maps are already 6×6 / 7×7, so it passes x through.)
 * Other sizes have overlapping, uneven windows and are rejected with a clear error.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly type = 'AdaptiveAvgPool2d';
  readonly size: [number, number];
  private x: Tensor | null = null;

  constructor(outputSize: Pair) {
    super();
    this.size = pair(outputSize, 1, 'AdaptiveAvgPool2d', 'outputSize');
  }

  private poolOpts(inShape: readonly number[]): AvgPool2dOptions {
    const [h, w] = [inShape[2], inShape[3]];
    const [oh, ow] = this.size;
    if (h % oh !== 0 || w % ow !== 0) {
      throw opError('AdaptiveAvgPool2d', `${this.toString()} supports inputs whose H, W are multiples of ${oh}×${ow}, got shape ${fmtShape(inShape)}`);
    }
    return { kernelSize: [h / oh, w / ow] };
  }

  forward(x: Tensor): Tensor {
    this.outputShape(x.shape);
    const y = avgPool2d(x, this.poolOpts(x.shape));
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outputShape(x.shape));
    return avgPool2dBackward(dy, x, this.poolOpts(x.shape));
  }

  outputShape(inShape: readonly number[]): number[] {
    expectShapeRank(this, inShape, 4, '[N, C, H, W]');
    this.poolOpts(inShape);
    return [inShape[0], inShape[1], this.size[0], this.size[1]];
  }

  override flops(inShape: readonly number[]): number {
    this.outputShape(inShape);
    return prod(inShape);
  }

  config(): LayerConfig {
    return { type: 'AdaptiveAvgPool2d', args: { outputSize: this.size } };
  }
}
