/**
 * Normalisation layers: BatchNorm2d (src/ops/batchnorm.ts) and LocalResponseNorm (src/ops/lrn.ts).
 */
import { batchNorm2d, batchNorm2dBackward } from '../ops/batchnorm';
import { localResponseNorm, localResponseNormBackward } from '../ops/lrn';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor, full, zeros } from '../tensor/tensor';
import { accumulate, cachedInput, expectChannels, expectGradShape, expectShapeRank, makeParameter, prod } from './base';
import { LayerConfig, Module, ModuleBuffer, Parameter } from './module';

/** Options of `BatchNorm2d`: eps and momentum (PyTorch defaults 1e-5, 0.1). */
export interface BatchNorm2dLayerOptions {
  /** Added to the variance before the square root. Default 1e-5 (PyTorch). */
  eps?: number;
  /** running ← (1 − momentum)·running + momentum·batch. Default 0.1 (PyTorch). */
  momentum?: number;
}

/** Every key of `BatchNorm2dLayerOptions` (checked both ways at compile time). */
export const BATCH_NORM2D_LAYER_OPTION_NAMES = optionNames<BatchNorm2dLayerOptions>()(['eps', 'momentum']);

/**
 * y = γ·(x − μ)/√(σ² + eps) + β per channel. Training mode normalises with the batch statistics
 * and updates the running ones; eval mode uses the running statistics. γ is the parameter
 * 'weight' (init 1), β is 'bias' (init 0), PyTorch's names; running mean/var are buffers.
 */
export class BatchNorm2d extends Module {
  readonly type = 'BatchNorm2d';
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly eps: number;
  readonly momentum: number;
  private x: Tensor | null = null;
  /** The mode the cached forward ran in: backward must differentiate that same function. */
  private cachedTraining = true;

  constructor(readonly numFeatures: number, opts: BatchNorm2dLayerOptions = {}) {
    super();
    checkOptionNames('BatchNorm2d', opts, BATCH_NORM2D_LAYER_OPTION_NAMES);
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw opError('BatchNorm2d', `numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    if (!(this.eps > 0)) throw opError('BatchNorm2d', `eps must be > 0, got ${this.eps}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw opError('BatchNorm2d', `momentum must be in [0, 1], got ${this.momentum}`);
    this.weight = makeParameter('weight', [numFeatures]);
    this.weight.value.data.fill(1);
    this.bias = makeParameter('bias', [numFeatures]);
    this.runningMean = zeros([numFeatures]);
    this.runningVar = full([numFeatures], 1);
  }

  /** γ = 1, β = 0, running mean 0, running var 1. */
  resetParameters(): void {
    this.weight.value.data.fill(1);
    this.bias.value.data.fill(0);
    this.runningMean.data.fill(0);
    this.runningVar.data.fill(1);
  }

  private opts(training: boolean) {
    return { training, momentum: this.momentum, eps: this.eps, runningMean: this.runningMean, runningVar: this.runningVar };
  }

  forward(x: Tensor): Tensor {
    this.outputShape(x.shape);
    if (this.training && prod(x.shape) / x.shape[1] < 2) {
      throw opError('BatchNorm2d', `training needs more than one value per channel (N·H·W ≥ 2), got shape [${x.shape.join(', ')}]`);
    }
    const y = batchNorm2d(x, this.weight.value, this.bias.value, this.opts(this.training));
    this.x = x;
    this.cachedTraining = this.training;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, x.shape);
    const { dx, dgamma, dbeta } = batchNorm2dBackward(dy, x, this.weight.value, this.opts(this.cachedTraining));
    accumulate(this.weight.grad, dgamma, 'BatchNorm2d.backward');
    accumulate(this.bias.grad, dbeta, 'BatchNorm2d.backward');
    return dx;
  }

  outputShape(inShape: readonly number[]): number[] {
    expectShapeRank(this, inShape, 4, `[N, ${this.numFeatures}, H, W]`);
    expectChannels(this, inShape, this.numFeatures);
    return [...inShape];
  }

  /** Normalise, scale, shift: ≈ 4 operations per element. */
  override flops(inShape: readonly number[]): number {
    return 4 * prod(this.outputShape(inShape));
  }

  override parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  override buffers(): ModuleBuffer[] {
    return [{ name: 'running_mean', value: this.runningMean }, { name: 'running_var', value: this.runningVar }];
  }

  config(): LayerConfig {
    return { type: 'BatchNorm2d', args: { numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum } };
  }
}

/** Options of `LocalResponseNorm` beside its window size: α, β, k (PyTorch defaults 1e-4, 0.75, 1). */
export interface LocalResponseNormLayerOptions {
  /** Default 1e-4 (PyTorch). */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1 (PyTorch; AlexNet's paper used 2). */
  k?: number;
}

/** Every key of `LocalResponseNormLayerOptions` (checked both ways at compile time). */
export const LRN_LAYER_OPTION_NAMES = optionNames<LocalResponseNormLayerOptions>()(['alpha', 'beta', 'k']);

/**
 * AlexNet's local response normalisation across channels:
 * y_c = x_c / (k + α/n · Σ_{c' near c} x_{c'}²)^β over a window of `size` channels.
 */
export class LocalResponseNorm extends Module {
  readonly type = 'LocalResponseNorm';
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  private x: Tensor | null = null;

  constructor(readonly size: number, opts: LocalResponseNormLayerOptions = {}) {
    super();
    checkOptionNames('LocalResponseNorm', opts, LRN_LAYER_OPTION_NAMES);
    if (!Number.isInteger(size) || size < 1) throw opError('LocalResponseNorm', `size must be a positive integer, got ${size}`);
    this.alpha = opts.alpha ?? 1e-4;
    this.beta = opts.beta ?? 0.75;
    this.k = opts.k ?? 1;
  }

  private opts() {
    return { size: this.size, alpha: this.alpha, beta: this.beta, k: this.k };
  }

  forward(x: Tensor): Tensor {
    this.outputShape(x.shape);
    const y = localResponseNorm(x, this.opts());
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, x.shape);
    return localResponseNormBackward(dy, x, this.opts());
  }

  outputShape(inShape: readonly number[]): number[] {
    expectShapeRank(this, inShape, 4, '[N, C, H, W]');
    return [...inShape];
  }

  /** Window sum of squares (2·size) plus the power and divide (≈ 3) per element. */
  override flops(inShape: readonly number[]): number {
    return (2 * this.size + 3) * prod(this.outputShape(inShape));
  }

  config(): LayerConfig {
    return { type: 'LocalResponseNorm', args: { size: this.size, alpha: this.alpha, beta: this.beta, k: this.k } };
  }
}
