import { checkOptionNames, optionNames } from '../tensor/options';
import { Optimizer, ParamSource, checkHyper } from './optimizer';

/** Options of `Adagrad` (PyTorch's names and defaults): lr, lrDecay, weightDecay, initialAccumulatorValue, eps. */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** Every key of `AdagradOptions` (checked both ways at compile time). */
export const ADAGRAD_OPTION_NAMES = optionNames<AdagradOptions>()(['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);

/**
 * Adagrad (Duchi et al. 2011), torch.optim.Adagrad, step t = 1, 2, …:
 *
 *   lr_t ← lr / (1 + (t − 1)·lrDecay)
 *   g ← ∇ + λ·p          s ← s + g²          p ← p − lr_t · g / (√s + ε)
 *
 * Defaults lr 0.01, ε = 1e-10, s₀ = initialAccumulatorValue = 0.
 */
export class Adagrad extends Optimizer {
  readonly type = 'adagrad';
  lrDecay: number;
  weightDecay: number;
  eps: number;
  initialAccumulatorValue: number;
  private sums: Float32Array[] = [];

  constructor(params: ParamSource, opts: AdagradOptions = {}) {
    super(params, opts.lr ?? 0.01, 'Adagrad');
    checkOptionNames('Adagrad', opts, ADAGRAD_OPTION_NAMES);
    this.lrDecay = opts.lrDecay ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    this.eps = opts.eps ?? 1e-10;
    this.initialAccumulatorValue = opts.initialAccumulatorValue ?? 0;
    checkHyper('Adagrad', 'lrDecay', this.lrDecay, 0);
    checkHyper('Adagrad', 'weightDecay', this.weightDecay, 0);
    checkHyper('Adagrad', 'eps', this.eps, 0);
    checkHyper('Adagrad', 'initialAccumulatorValue', this.initialAccumulatorValue, 0);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const s = this.buffer(this.sums, i, this.initialAccumulatorValue);
    const clr = this.lr / (1 + (this.steps - 1) * this.lrDecay);
    const wd = this.weightDecay;
    for (let j = 0; j < p.length; j++) {
      const gj = g[j] + wd * p[j];
      s[j] += gj * gj;
      p[j] -= (clr * gj) / (Math.sqrt(s[j]) + this.eps);
    }
  }

  config() {
    return { type: this.type, lr: this.lr, lrDecay: this.lrDecay, weightDecay: this.weightDecay, eps: this.eps, initialAccumulatorValue: this.initialAccumulatorValue };
  }
}
