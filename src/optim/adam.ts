import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { pickEngine } from '../ops/engine';
import { adamInWasm, adamStateInWasm, type AdamScalars } from '../ops/wasm/optim';
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

/** Gives a collected Adam's wasm blocks back (their views die with it). */
const freed = new FinalizationRegistry<(() => void)[]>((releases) => releases.forEach((r) => r()));

/**
 * Adam (Kingma & Ba 2015), torch.optim.Adam / AdamW, step t = 1, 2, …:
 *
 *   g ← ∇ + λ·p                       (Adam; AdamW instead does p ← p·(1 − lr·λ))
 *   m ← β1·m + (1 − β1)·g             v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * Defaults lr 1e-3, β = (0.9, 0.999), ε = 1e-8 (PyTorch's). Computed in float32, one rounding
 * per operation, as PyTorch computes it on float32 tensors (`adamUpdateJs`); from 256 values a
 * parameter is updated by the wasm kernel with the same bits (the engine picker's `adam`).
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
  /** Hands back the wasm blocks of m and v (run by `freed` when this optimizer is collected). */
  private readonly releases: (() => void)[] = [];

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
    freed.register(this, this.releases);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled } = this;
    const t = this.steps;
    // The scalars as PyTorch forms them (in double), then rounded once to float32, as a float32
    // tensor op rounds its Python-number argument.
    const f = Math.fround;
    const s: AdamScalars = {
      decoupled,
      decay: f(decoupled ? 1 - lr * wd : 1),
      l2: f(decoupled ? 0 : wd),
      b1: f(b1),
      c1: f(1 - b1),
      b2: f(b2),
      c2: f(1 - b2),
      bc2s: f(Math.sqrt(1 - b2 ** t)),
      eps: f(eps),
      negStep: f(-lr / (1 - b1 ** t)),
    };
    const wasm = pickEngine('adam', undefined, p.length) === 'wasm';
    const m = this.state(this.m, i, wasm);
    const v = this.state(this.v, i, wasm);
    if (wasm) adamInWasm(p, g, m, v, s);
    else adamUpdateJs(p, g, m, v, s);
  }

  /**
   * m or v of parameter i, zeros at first: where the wasm engine updates it, a block of wasm memory
   * kept for this optimizer (read and written in place: no copies each step; freed when the
   * optimizer is collected), else a plain array (`buffer`). Either kind works with both engines.
   */
  private state(store: Float32Array[], i: number, wasm: boolean): Float32Array {
    if (store[i]) return store[i];
    const kept = wasm ? adamStateInWasm(this.params[i].value.size) : null;
    if (!kept) return this.buffer(store, i);
    store[i] = kept.a;
    this.releases.push(kept.release);
    return kept.a;
  }

  config() {
    return { type: this.type, lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }
}

/**
 * Adam's update of one parameter in place, in float32: every step below is rounded to float32
 * (Math.fround) as one float32 tensor op of PyTorch's torch.optim.Adam would round it, so this
 * gives the same bits as the wasm kernel (src/ops/wasm/asm/optim.ts, where the order is spelled
 * out) — rounding a double result of +, −, ×, ÷ or √ of float32 values once to float32 gives
 * the correctly rounded float32 result.
 */
export function adamUpdateJs(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): void {
  const f = Math.fround;
  const { decoupled, decay, l2, b1, c1, b2, c2, bc2s, eps, negStep } = s;
  for (let j = 0; j < p.length; j++) {
    let pj = p[j];
    if (decoupled) pj = f(pj * decay);
    let gj = g[j];
    if (l2 !== 0) gj = f(gj + f(l2 * pj));
    const mj = f(f(m[j] * b1) + f(c1 * gj));
    const vj = f(f(v[j] * b2) + f(f(c2 * gj) * gj));
    const denom = f(f(f(Math.sqrt(vj)) / bc2s) + eps);
    m[j] = mj;
    v[j] = vj;
    p[j] = f(pj + f(f(negStep * mj) / denom));
  }
}
