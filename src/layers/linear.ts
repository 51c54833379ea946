/**
 * Linear (fully connected): y = x·Wᵀ + b, x [N, in], weight [out, in], bias [out] (PyTorch).
 * The math lives in src/ops/linear.ts.
 */
import { recycleFloat32 } from '../tensor/buffers';
import { linear, linearBackward } from '../ops/linear';
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';
import type { Tensor } from '../tensor/tensor';
import { accumulate, cachedInput, expectGradShape, makeParameter } from './base';
import { defaultInit } from './init';
import { LayerConfig, Module, Parameter } from './module';

/** Options of `Linear`: bias (default true), rng, init. */
export interface LinearLayerOptions {
  bias?: boolean;
  rng?: Rng;
  /** false: leave weights at zero (summaries of big models without paying for init). */
  init?: boolean;
}

/** Every key of `LinearLayerOptions` (checked both ways at compile time). */
export const LINEAR_LAYER_OPTION_NAMES = optionNames<LinearLayerOptions>()(['bias', 'rng', 'init']);

/**
 * Fully connected layer (PyTorch `nn.Linear`): y = x·Wᵀ + b, x [N, in] → y [N, out],
 * weight [out, in], bias [out]; weights start ~ U(−1/√in, 1/√in).
 *
 * @example new Linear(400, 120).numParameters() // 48120 = 400·120 + 120
 */
export class Linear extends Module {
  readonly type = 'Linear';
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  private x: Tensor | null = null;
  private outShape: number[] = [];

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearLayerOptions = {}) {
    super();
    checkOptionNames('Linear', opts, LINEAR_LAYER_OPTION_NAMES);
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw opError('Linear', `${name} must be a positive integer, got ${v}`);
    }
    this.weight = makeParameter('weight', [outFeatures, inFeatures]);
    this.bias = opts.bias === false ? null : makeParameter('bias', [outFeatures]);
    if (opts.init !== false) this.resetParameters(opts.rng);
  }

  /** weight and bias ~ U(−1/√in, 1/√in) (PyTorch's default). */
  resetParameters(rng: Rng = getRng()): void {
    defaultInit(this.weight.value, this.bias ? this.bias.value : null, this.inFeatures, rng);
  }

  forward(x: Tensor): Tensor {
    this.outShape = this.outputShape(x.shape);
    const y = linear(x, this.weight.value, this.bias ? this.bias.value : null);
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outShape);
    const { dx, dw, db } = linearBackward(dy, x, this.weight.value);
    accumulate(this.weight.grad, dw, 'Linear.backward');
    recycleFloat32(dw.data); // added into weight.grad: nothing else holds it
    if (this.bias) {
      if (!db) throw opError('Linear.backward', 'linearBackward returned no db for a layer with bias');
      accumulate(this.bias.grad, db, 'Linear.backward');
    }
    return dx;
  }

  outputShape(inShape: readonly number[]): number[] {
    if (inShape.length !== 2) {
      const hint = inShape.length === 4 ? ' (put a Flatten() before it)' : '';
      throw opError('Linear', `${this.toString()} expects input of rank 2 [N, ${this.inFeatures}], got shape ${fmtShape(inShape)}${hint}`);
    }
    if (inShape[1] !== this.inFeatures) {
      throw opError('Linear', `${this.toString()} expects ${this.inFeatures} input features [N, ${this.inFeatures}], got shape ${fmtShape(inShape)}`);
    }
    return [inShape[0], this.outFeatures];
  }

  /** 2 · N · in · out. */
  override flops(inShape: readonly number[]): number {
    const [n] = this.outputShape(inShape);
    return 2 * n * this.inFeatures * this.outFeatures;
  }

  override parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  config(): LayerConfig {
    return { type: 'Linear', args: { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null } };
  }
}
