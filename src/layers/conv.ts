/**
 * Conv2d: y[n, o] = b[o] + Σ_c Σ_(i,j) w[o, c, i, j] · x[n, g·Cin/G + c, s·h + d·i − p, s·w + d·j − p]
 * (cross-correlation, PyTorch's layouts: x [N, Cin, H, W], weight [Cout, Cin/groups, KH, KW]).
 * The math lives in src/ops/conv2d.ts; this layer holds the parameters and caches x.
 */
import { conv2d, conv2dBackward, conv2dFlops, conv2dGradBias, conv2dGradWeight } from '../ops/conv2d';
import { conv2dBackwardThroughPool, conv2dRelu, conv2dReluPool, type ConvReluPool, type PooledGradient } from '../ops/conv-fused';
import { Pair, Padding, outputSize, pair, resolvePadding } from '../ops/shape';
import { recycleFloat32 } from '../tensor/buffers';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';
import type { Tensor } from '../tensor/tensor';
import { accumulate, cachedInput, expectChannels, expectGradShape, expectShapeRank, makeParameter } from './base';
import { defaultInit } from './init';
import { LayerConfig, Module, Parameter } from './module';

/** Options of `Conv2d` beside its channels and kernel: stride (1), padding (0, or 'same'/'valid'), dilation (1), groups (1), bias (true), rng, init. */
export interface Conv2dLayerOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
  rng?: Rng;
  /** false: leave weights at zero (summaries of big models without paying for init). */
  init?: boolean;
}

/** Every key of `Conv2dLayerOptions` (checked both ways at compile time). */
export const CONV2D_LAYER_OPTION_NAMES = optionNames<Conv2dLayerOptions>()(['stride', 'padding', 'dilation', 'groups', 'bias', 'rng', 'init']);

/**
 * 2-D convolution layer (PyTorch `nn.Conv2d`): x [N, Cin, H, W] → y [N, Cout, Ho, Wo],
 * Ho = ⌊(H + 2P − D·(KH − 1) − 1)/S⌋ + 1; weight [Cout, Cin/groups, KH, KW], bias [Cout].
 * Weights start ~ U(−1/√fan_in, 1/√fan_in), fan_in = (Cin/groups)·KH·KW.
 *
 * @example new Conv2d(1, 6, 5, { padding: 2 }).outputShape([1, 1, 28, 28]) // [1, 6, 28, 28]
 */
export class Conv2d extends Module {
  readonly type = 'Conv2d';
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly padding: Padding;
  readonly groups: number;
  private x: Tensor | null = null;
  private outShape: number[] = [];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    opts: Conv2dLayerOptions = {},
  ) {
    super();
    checkOptionNames('Conv2d', opts, CONV2D_LAYER_OPTION_NAMES);
    for (const [name, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw opError('Conv2d', `${name} must be a positive integer, got ${v}`);
    }
    this.kernelSize = pair(kernelSize, 1, 'Conv2d', 'kernelSize');
    this.stride = pair(opts.stride, 1, 'Conv2d', 'stride');
    this.dilation = pair(opts.dilation, 1, 'Conv2d', 'dilation');
    this.padding = opts.padding ?? 0;
    if (typeof this.padding === 'string' && this.padding !== 'same' && this.padding !== 'valid') {
      throw opError('Conv2d', `padding must be a number, [h, w], 'valid' or 'same', got '${this.padding}'`);
    }
    if (typeof this.padding !== 'string') pair(this.padding, 0, 'Conv2d', 'padding', 0);
    this.groups = opts.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw opError('Conv2d', `groups = ${this.groups} must be a positive integer dividing inChannels = ${inChannels} and outChannels = ${outChannels}`);
    }
    const [kh, kw] = this.kernelSize;
    this.weight = makeParameter('weight', [outChannels, inChannels / this.groups, kh, kw]);
    this.bias = opts.bias === false ? null : makeParameter('bias', [outChannels]);
    if (opts.init !== false) this.resetParameters(opts.rng);
  }

  /** fan_in = (Cin/groups)·KH·KW; weight and bias ~ U(−1/√fan_in, 1/√fan_in) (PyTorch). */
  resetParameters(rng: Rng = getRng()): void {
    const fanIn = (this.inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    defaultInit(this.weight.value, this.bias ? this.bias.value : null, fanIn, rng);
  }

  private opts() {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }

  forward(x: Tensor): Tensor {
    this.outShape = this.outputShape(x.shape);
    const y = conv2d(x, this.weight.value, this.bias ? this.bias.value : null, this.opts());
    this.x = x;
    return y;
  }

  /**
   * relu(forward(x)) in one pass (`conv2dRelu`: the same bits), for `Sequential` when a ReLU
   * follows this layer; caches x exactly as `forward` does, so `backward` is unchanged.
   */
  forwardRelu(x: Tensor): Tensor {
    this.outShape = this.outputShape(x.shape);
    const y = conv2dRelu(x, this.weight.value, this.bias ? this.bias.value : null, this.opts());
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outShape);
    const { dx, dw, db } = conv2dBackward(dy, x, this.weight.value, this.opts());
    accumulate(this.weight.grad, dw, 'Conv2d.backward');
    recycleFloat32(dw.data); // added into weight.grad: nothing else holds it
    if (this.bias) {
      if (!db) throw opError('Conv2d.backward', 'conv2dBackward returned no db for a layer with bias');
      accumulate(this.bias.grad, db, 'Conv2d.backward');
    }
    return dx;
  }

  /** dW and db only (no dX: nothing upstream needs it), added into the parameters' grads. */
  override backwardParams(dy: Tensor): void {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outShape);
    accumulate(this.weight.grad, conv2dGradWeight(dy, x, this.weight.value, this.opts()), 'Conv2d.backwardParams');
    if (this.bias) accumulate(this.bias.grad, conv2dGradBias(dy), 'Conv2d.backwardParams');
  }

  /**
   * maxPool2d(relu(forward(x)), 2×2, stride 2) in one op (`conv2dReluPool`: the same bits), for
   * `Sequential` when a ReLU and a MaxPool2d(2) follow; caches x as `forward` does.
   */
  forwardReluPool(x: Tensor, indicesOut?: Int32Array): ConvReluPool {
    this.outShape = this.outputShape(x.shape);
    const r = conv2dReluPool(x, this.weight.value, this.bias ? this.bias.value : null, this.opts(), indicesOut);
    this.x = x;
    return r;
  }

  /**
   * `backward` (or, with `gradInput` false, `backwardParams`) from the gradient at the pooled
   * output of `forwardReluPool`: the pooling's scatter and ReLU's mask folded in
   * (`conv2dBackwardThroughPool`: the bits of the three layers' backward). Returns dx or null.
   */
  backwardThroughPool(g: PooledGradient, gradInput = true): Tensor | null {
    const x = cachedInput(this, this.x);
    const { dx, dw, db } = conv2dBackwardThroughPool(g, x, this.weight.value, this.opts(), gradInput);
    accumulate(this.weight.grad, dw, 'Conv2d.backward');
    recycleFloat32(dw.data); // added into weight.grad: nothing else holds it
    if (this.bias) accumulate(this.bias.grad, db, 'Conv2d.backward');
    return dx;
  }

  /** [N, Cout, Ho, Wo] with Ho = ⌊(H + pt + pb − D·(KH − 1) − 1)/S⌋ + 1 (same for W). */
  outputShape(inShape: readonly number[]): number[] {
    expectShapeRank(this, inShape, 4, `[N, ${this.inChannels}, H, W]`);
    expectChannels(this, inShape, this.inChannels);
    const [n, , h, w] = inShape;
    const [kh, kw] = this.kernelSize;
    const pad = resolvePadding(this.padding, [h, w], this.kernelSize, this.stride, this.dilation, 'Conv2d');
    try {
      const ho = outputSize(h, kh, [pad.top, pad.bottom], this.stride[0], this.dilation[0]);
      const wo = outputSize(w, kw, [pad.left, pad.right], this.stride[1], this.dilation[1]);
      return [n, this.outChannels, ho, wo];
    } catch (e) {
      throw opError('Conv2d', `${this.toString()} does not fit input ${JSON.stringify(inShape)}: ${(e as Error).message}`);
    }
  }

  /** 2 · N·Cout·Ho·Wo · (Cin/groups)·KH·KW (one multiply and one add per weight tap): the op's `conv2dFlops`. */
  override flops(inShape: readonly number[]): number {
    this.outputShape(inShape); // the layer's own error messages first
    return conv2dFlops(inShape, this.weight.value.shape, this.opts());
  }

  override parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /** PyTorch-style, defaults omitted: `Conv2d(3, 10, kernel_size=5, padding=2)`. */
  override toString(): string {
    const sq = (p: [number, number]) => (p[0] === p[1] ? String(p[0]) : `(${p[0]}, ${p[1]})`);
    const parts = [String(this.inChannels), String(this.outChannels), `kernel_size=${sq(this.kernelSize)}`];
    if (this.stride[0] !== 1 || this.stride[1] !== 1) parts.push(`stride=${sq(this.stride)}`);
    if (this.padding !== 0) parts.push(`padding=${typeof this.padding === 'string' ? `'${this.padding}'` : typeof this.padding === 'number' ? this.padding : sq([this.padding[0], this.padding[1]])}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation=${sq(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push('bias=false');
    return `Conv2d(${parts.join(', ')})`;
  }

  config(): LayerConfig {
    return {
      type: 'Conv2d',
      args: {
        inChannels: this.inChannels,
        outChannels: this.outChannels,
        kernelSize: this.kernelSize,
        stride: this.stride,
        padding: this.padding,
        dilation: this.dilation,
        groups: this.groups,
        bias: this.bias !== null,
      },
    };
  }
}
