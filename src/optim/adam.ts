import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Optimizer, ParamSource, checkHyper } from './optimizer';

/** Options of `Adam` (PyTorch's names and defaults): lr, β₁, β₂, eps, weightDecay; `decoupled` makes it AdamW. */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** AdamW: decay the weights directly (p ← p·(1 − lr·λ)) instead of adding λ·p to the gradient. */
  decoupled?: boolean;
}

/** Every key of `AdamOptions` (checked both ways at compile time). */
export const ADAM_OPTION_NAMES = optionNames<AdamOptions>()(['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'decoupled']);

/**
 * Adam (Kingma & Ba 2015), torch.optim.Adam / AdamW, step t = 1, 2, …:
 *
 *   g ← ∇ + λ·p                       (Adam; AdamW instead does p ← p·(1 − lr·λ))
 *   m ← β1·m + (1 − β1)·g             v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * Defaults lr 1e-3, β = (0.9, 0.999), ε = 1e-8 (PyTorch's).
 */
export class Adam extends Optimizer {
  readonly type: string;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  private m: Float32Array[] = [];
  private v: Float32Array[] = [];

  constructor(params: ParamSource, opts: AdamOptions = {}) {
    super(params, opts.lr ?? 1e-3, 'Adam');
    checkOptionNames('Adam', opts, ADAM_OPTION_NAMES);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.decoupled = opts.decoupled ?? false;
    this.type = this.decoupled ? 'adamw' : 'adam';
    // β = 1 would divide by 1 − βᵗ = 0 in the bias correction.
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw opError('Adam', `beta1 must be in [0, 1), got ${this.beta1}`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw opError('Adam', `beta2 must be in [0, 1), got ${this.beta2}`);
    checkHyper('Adam', 'eps', this.eps, 0);
    checkHyper('Adam', 'weightDecay', this.weightDecay, 0);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled } = this;
    const m = this.buffer(this.m, i);
    const v = this.buffer(this.v, i);
    const t = this.steps;
    const stepSize = lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    const decay = decoupled ? 1 - lr * wd : 1;
    const l2 = decoupled ? 0 : wd;
    for (let j = 0; j < p.length; j++) {
      if (decoupled) p[j] *= decay;
      const gj = g[j] + l2 * p[j];
      m[j] = b1 * m[j] + (1 - b1) * gj;
      v[j] = b2 * v[j] + (1 - b2) * gj * gj;
      p[j] -= (stepSize * m[j]) / (Math.sqrt(v[j]) / bc2Sqrt + eps);
    }
  }

  config() {
    return { type: this.type, lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }
}
