import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';
import { Tensor, ones, zeros } from '../tensor/tensor';
import { expectSameShape } from './shape';
import type { OpSpec } from './spec';

/** Options of `dropout`: training or eval, and the random generator of the mask. */
export interface DropoutOptions {
  /** Default true; in eval dropout is the identity. */
  training?: boolean;
  /** Default: the module-level generator (`seed(n)` makes it reproducible). */
  rng?: Rng;
}

/** Every key of `DropoutOptions` (checked both ways at compile time). */
export const DROPOUT_OPTION_NAMES = optionNames<DropoutOptions>()(['training', 'rng']);

/**
 * Inverted dropout: each mask element is 0 with probability p, else 1/(1 − p), and y = x ⊙ mask.
 * Scaling the kept units at training time keeps E[y] = x, so eval needs no rescaling.
 * In eval, or with p = 0, y is a copy of x and the mask is all ones (no random draws).
 * One uniform draw per element, in row-major order, so a seeded Rng gives the same mask.
 */
export function dropout(x: Tensor, p: number, opts: DropoutOptions = {}): { y: Tensor; mask: Tensor } {
  const op = 'dropout';
  checkOptionNames(op, opts, DROPOUT_OPTION_NAMES);
  if (!x || !(x.shape && x.data)) throw opError(op, `x must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw opError(op, `p must be in [0, 1), got ${p}`);
  const training = opts.training ?? true;
  if (!training || p === 0) return { y: x.clone(), mask: ones(x.shape) };
  const rng = opts.rng ?? getRng();
  const keep = 1 / (1 - p);
  const mask = zeros(x.shape);
  const y = zeros(x.shape);
  for (let i = 0; i < x.size; i++) {
    const m = rng.next() < p ? 0 : keep;
    mask.data[i] = m;
    y.data[i] = x.data[i] * m;
  }
  return { y, mask };
}

/** ∂L/∂x = dy ⊙ mask (the same mask the forward pass drew). */
export function dropoutBackward(dy: Tensor, mask: Tensor): Tensor {
  const op = 'dropoutBackward';
  for (const [name, t] of [['dy', dy], ['mask', mask]] as const) {
    if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  expectSameShape(op, 'dy', dy, 'mask', mask);
  const dx = zeros(dy.shape);
  for (let i = 0; i < dy.size; i++) dx.data[i] = dy.data[i] * mask.data[i];
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Shape table: a fresh Rng(attrs.seed) per call, so forward and backward see the same mask and
// the gradient checker's repeated forwards are deterministic.

interface DropoutAttrs {
  p: number;
  seed: number;
  training?: boolean;
}

function run(x: Tensor, a: DropoutAttrs) {
  return dropout(x, a.p, { training: a.training ?? true, rng: new Rng(a.seed) });
}

function dropoutCase(x: number[], a: DropoutAttrs) {
  return { name: `x=[${x.join(',')}] p=${a.p} seed=${a.seed}${a.training === false ? ' eval' : ''}`, shapes: [x], attrs: a };
}

/** dropout in the op registry (input ['x']; seeded, so the mask is the same in every check). */
export const dropoutSpecs: OpSpec<DropoutAttrs>[] = [
  {
    name: 'dropout',
    inputs: ['x'],
    forward: ([x], a) => run(x, a).y,
    backward: (dy, [x], a) => {
      const { mask } = run(x, a);
      if (dy.size !== mask.size) throw opError('dropoutBackward', `dy ${fmtShape(dy.shape)} does not match x ${fmtShape(x.shape)}`);
      return [dropoutBackward(dy, mask)];
    },
    cases: [
      dropoutCase([2, 3, 4, 4], { p: 0.5, seed: 1 }),
      dropoutCase([8, 10], { p: 0.2, seed: 7 }),
      dropoutCase([4, 5], { p: 0.5, seed: 3, training: false }),
    ],
  },
];
