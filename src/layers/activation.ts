/**
 * Element-wise activations (src/ops/activations.ts). Each caches x: every backward here is
 * dy ⊙ f'(x), e.g. ReLU: dx = dy · [x > 0].
 */
import { leakyRelu, leakyReluBackward, relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from '../ops/activations';
import { opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { cachedInput, expectGradShape, prod } from './base';
import { LayerConfig, Module } from './module';

/** Shared shape/flops/backward plumbing for y = f(x) element-wise. */
abstract class Elementwise extends Module {
  protected x: Tensor | null = null;

  protected abstract fwd(x: Tensor): Tensor;
  protected abstract bwd(dy: Tensor, x: Tensor): Tensor;

  forward(x: Tensor): Tensor {
    const y = this.fwd(x);
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, x.shape);
    return this.bwd(dy, x);
  }

  outputShape(inShape: readonly number[]): number[] {
    return [...inShape];
  }

  /** One operation per element. */
  override flops(inShape: readonly number[]): number {
    return prod(inShape);
  }

  config(): LayerConfig {
    return { type: this.type, args: {} };
  }
}

/** max(0, x). */
export class ReLU extends Elementwise {
  readonly type = 'ReLU';
  protected fwd(x: Tensor) { return relu(x); }
  protected bwd(dy: Tensor, x: Tensor) { return reluBackward(dy, x); }

  /**
   * Take `y`, the output the layer before already clamped (`Conv2d.forwardRelu`), as this
   * layer's forward: y is cached in place of the input, since the backward's mask [x > 0] is
   * [y > 0] (y = max(0, x) is positive exactly where x is). Returns y.
   */
  adoptOutput(y: Tensor): Tensor {
    this.x = y;
    return y;
  }
}

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Elementwise {
  readonly type = 'LeakyReLU';
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (!Number.isFinite(negativeSlope)) throw opError('LeakyReLU', `negativeSlope must be a finite number, got ${negativeSlope}`);
  }
  protected fwd(x: Tensor) { return leakyRelu(x, this.negativeSlope); }
  protected bwd(dy: Tensor, x: Tensor) { return leakyReluBackward(dy, x, this.negativeSlope); }
  override config(): LayerConfig {
    return { type: 'LeakyReLU', args: { negativeSlope: this.negativeSlope } };
  }
}

/** 1 / (1 + e^−x); σ' = σ(1 − σ). */
export class Sigmoid extends Elementwise {
  readonly type = 'Sigmoid';
  protected fwd(x: Tensor) { return sigmoid(x); }
  protected bwd(dy: Tensor, x: Tensor) { return sigmoidBackward(dy, x); }
}

/** tanh x; tanh' = 1 − tanh². */
export class Tanh extends Elementwise {
  readonly type = 'Tanh';
  protected fwd(x: Tensor) { return tanh(x); }
  protected bwd(dy: Tensor, x: Tensor) { return tanhBackward(dy, x); }
}
