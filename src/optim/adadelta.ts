import { checkOptionNames, optionNames } from '../tensor/options';
import { Optimizer, ParamSource, checkHyper } from './optimizer';

/** Options of `Adadelta` (PyTorch's names and defaults): lr, ρ, eps, weightDecay. */
export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
}

/** Every key of `AdadeltaOptions` (checked both ways at compile time). */
export const ADADELTA_OPTION_NAMES = optionNames<AdadeltaOptions>()(['lr', 'rho', 'eps', 'weightDecay']);

/**
 * Adadelta (Zeiler 2012), torch.optim.Adadelta — ConvNetJS's default trainer:
 *
 *   g ← ∇ + λ·p
 *   E[g²] ← ρ·E[g²] + (1 − ρ)·g²
 *   Δ ← √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *   E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
 *   p ← p − lr·Δ
 *
 * PyTorch defaults lr 1, ρ 0.9, ε 1e-6 (ConvNetJS uses ρ 0.95, ε 1e-6, no lr: pass rho 0.95).
 */
export class Adadelta extends Optimizer {
  readonly type = 'adadelta';
  rho: number;
  eps: number;
  weightDecay: number;
  private sq: Float32Array[] = [];
  private acc: Float32Array[] = [];

  constructor(params: ParamSource, opts: AdadeltaOptions = {}) {
    super(params, opts.lr ?? 1, 'Adadelta');
    checkOptionNames('Adadelta', opts, ADADELTA_OPTION_NAMES);
    this.rho = opts.rho ?? 0.9;
    this.eps = opts.eps ?? 1e-6;
    this.weightDecay = opts.weightDecay ?? 0;
    checkHyper('Adadelta', 'rho', this.rho, 0, 1);
    checkHyper('Adadelta', 'eps', this.eps, 0);
    checkHyper('Adadelta', 'weightDecay', this.weightDecay, 0);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const sq = this.buffer(this.sq, i);
    const acc = this.buffer(this.acc, i);
    const { rho, eps, lr, weightDecay: wd } = this;
    for (let j = 0; j < p.length; j++) {
      const gj = g[j] + wd * p[j];
      sq[j] = rho * sq[j] + (1 - rho) * gj * gj;
      const delta = (Math.sqrt(acc[j] + eps) / Math.sqrt(sq[j] + eps)) * gj;
      acc[j] = rho * acc[j] + (1 - rho) * delta * delta;
      p[j] -= lr * delta;
    }
  }

  config() {
    return { type: this.type, lr: this.lr, rho: this.rho, eps: this.eps, weightDecay: this.weightDecay };
  }
}
