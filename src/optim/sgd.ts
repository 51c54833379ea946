import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Optimizer, ParamSource, checkHyper } from './optimizer';

/** Options of `SGD` (PyTorch's names and defaults): lr, momentum, dampening, nesterov, weightDecay. */
export interface SgdOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** Every key of `SgdOptions` (checked both ways at compile time). */
export const SGD_OPTION_NAMES = optionNames<SgdOptions>()(['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay']);

/**
 * Stochastic gradient descent, torch.optim.SGD:
 *
 *   g ← ∇ + λ·p
 *   b ← g                       (first step)      b ← μ·b + (1 − τ)·g   (later)
 *   g ← g + μ·b  (Nesterov)     g ← b              (classical momentum)
 *   p ← p − lr·g
 *
 * with μ = momentum, τ = dampening, λ = weightDecay. Without momentum it is p ← p − lr·g.
 */
export class SGD extends Optimizer {
  readonly type = 'sgd';
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  private bufs: Float32Array[] = [];
  private started: boolean[] = [];

  constructor(params: ParamSource, opts: SgdOptions = {}) {
    super(params, opts.lr ?? 0.01, 'SGD');
    checkOptionNames('SGD', opts, SGD_OPTION_NAMES);
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    checkHyper('SGD', 'momentum', this.momentum, 0);
    checkHyper('SGD', 'dampening', this.dampening, 0, 1);
    checkHyper('SGD', 'weightDecay', this.weightDecay, 0);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw opError('SGD', `Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${this.momentum}, dampening ${this.dampening}`);
    }
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = this;
    if (mu === 0) {
      for (let j = 0; j < p.length; j++) p[j] -= lr * (g[j] + wd * p[j]);
      return;
    }
    const b = this.buffer(this.bufs, i);
    const first = !this.started[i];
    this.started[i] = true;
    const keep = 1 - this.dampening;
    for (let j = 0; j < p.length; j++) {
      const gj = g[j] + wd * p[j];
      const bj = (b[j] = first ? gj : mu * b[j] + keep * gj);
      p[j] -= lr * (nesterov ? gj + mu * bj : bj);
    }
  }

  config() {
    return { type: this.type, lr: this.lr, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
