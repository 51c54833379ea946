/**
 * Dropout (src/ops/dropout.ts): in training, zero each value with probability p and scale the
 * survivors by 1/(1 − p) (inverted dropout, so eval is the identity); the mask is cached for
 * backward. Masks come from the layer's Rng (opts.rng, else the default seeded one).
 */
import { dropout, dropoutBackward } from '../ops/dropout';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';
import type { Tensor } from '../tensor/tensor';
import { cachedInput, expectGradShape } from './base';
import { LayerConfig, Module } from './module';

type Mask = ReturnType<typeof dropout>['mask'];

/** Options of `Dropout`: the generator for its masks (default: the seeded module-level one). */
export interface DropoutLayerOptions {
  rng?: Rng;
}

/** Every key of `DropoutLayerOptions` (checked both ways at compile time). */
export const DROPOUT_LAYER_OPTION_NAMES = optionNames<DropoutLayerOptions>()(['rng']);

/**
 * Inverted dropout (PyTorch `nn.Dropout`): in training y = x·m/(1 − p), m ~ Bernoulli(1 − p)
 * per element; in eval y = x. Any shape.
 *
 * @example new Dropout(0.5).eval().forward(x) // x itself
 */
export class Dropout extends Module {
  readonly type = 'Dropout';
  /** Random in training mode: the gradient checker switches such layers to eval. */
  readonly stochastic = true;
  private readonly rng: Rng | undefined;
  private cache: { shape: readonly number[]; mask: Mask; training: boolean } | null = null;

  constructor(readonly p = 0.5, opts: DropoutLayerOptions = {}) {
    super();
    checkOptionNames('Dropout', opts, DROPOUT_LAYER_OPTION_NAMES);
    if (!(p >= 0 && p < 1)) throw opError('Dropout', `p must be in [0, 1), got ${p}`);
    this.rng = opts.rng;
  }

  forward(x: Tensor): Tensor {
    const { y, mask } = dropout(x, this.p, { training: this.training, rng: this.rng ?? getRng() });
    this.cache = { shape: x.shape, mask, training: this.training };
    return y;
  }

  backward(dy: Tensor): Tensor {
    const c = cachedInput(this, this.cache);
    expectGradShape(this, dy, c.shape);
    // Eval (or p = 0) was the identity, so its gradient is dy itself.
    return c.training && this.p > 0 && c.mask ? dropoutBackward(dy, c.mask) : dy;
  }

  outputShape(inShape: readonly number[]): number[] {
    return [...inShape];
  }

  config(): LayerConfig {
    return { type: 'Dropout', args: { p: this.p } };
  }
}
