/**
 * Optimizers update `Parameter`s (value beside grad, ConvNetJS style) in place, following
 * PyTorch's update rules exactly (torch.optim, v2.x docs), so a step's numbers match PyTorch's.
 * The learning rate `lr` is a public field: schedules (./schedule.ts) and the trainer set it.
 */
import type { Parameter } from '../layers/module';
import { opError } from '../tensor/errors';

/** Anything with parameters (a Module) or the list itself. */
export type ParamSource = Parameter[] | { parameters(): Parameter[] };

/** The `Parameter[]` of a model (its `parameters()`) or of a list, each checked to have value and grad of one size; errors name `op`. */
export function toParams(src: ParamSource, op: string): Parameter[] {
  const params = Array.isArray(src) ? src : src && typeof src.parameters === 'function' ? src.parameters() : null;
  if (!params) throw opError(op, 'expected a Parameter[] or an object with parameters()');
  params.forEach((p, i) => {
    if (!p || !p.value || !p.grad || p.value.size !== p.grad.size) {
      throw opError(op, `parameter ${i} (${p?.name ?? '?'}) needs value and grad tensors of the same size`);
    }
  });
  return params;
}

/** Throw (naming `op` and `name`) unless `min ≤ v ≤ max` (`min < v` when `openMin`) and finite. */
export function checkHyper(op: string, name: string, v: number, min: number, max = Infinity, openMin = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (openMin && v === min) || v > max) {
    throw opError(op, `${name} must be a finite number ${openMin ? '>' : '≥'} ${min}${max < Infinity ? ` and ≤ ${max}` : ''}, got ${v}`);
  }
}

/**
 * Base of every optimizer: holds `Parameter[]` and the learning rate; `step()` updates each
 * value from its accumulated grad, `zeroGrad()` clears the grads.
 */
export abstract class Optimizer {
  readonly params: Parameter[];
  lr: number;
  /** Number of `step()` calls so far (Adam's bias correction, Adagrad's lr decay). */
  steps = 0;
  abstract readonly type: string;

  constructor(src: ParamSource, lr: number, op: string) {
    this.params = toParams(src, op);
    checkHyper(op, 'lr', lr, 0);
    this.lr = lr;
  }

  /** Apply one update from the current grads. */
  step(): void {
    this.steps++;
    for (let i = 0; i < this.params.length; i++) this.update(i, this.params[i].value.data, this.params[i].grad.data);
  }

  /** Update parameter `i` (values `p`, gradient `g`) in place. */
  protected abstract update(i: number, p: Float32Array, g: Float32Array): void;

  zeroGrad(): void {
    for (const p of this.params) p.grad.data.fill(0);
  }

  /** Per-parameter state buffers, lazily allocated once (no allocation per step). */
  protected buffer(store: Float32Array[], i: number, init = 0): Float32Array {
    let b = store[i];
    if (!b) {
      b = new Float32Array(this.params[i].value.size);
      if (init !== 0) b.fill(init);
      store[i] = b;
    }
    return b;
  }

  /** Hyper-parameters, for reports and checkpoints. */
  abstract config(): Record<string, number | boolean | string>;
}
