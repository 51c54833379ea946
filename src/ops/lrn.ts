import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor, zeros } from '../tensor/tensor';
import type { OpSpec } from './spec';

/**
 * Local response normalisation across channels (AlexNet; PyTorch's nn.LocalResponseNorm).
 * For x of shape [N, C, …] (rank ≥ 3):
 *
 *   s_c = k + (alpha / size) · Σ_{c' = c − ⌊size/2⌋}^{c + ⌊(size−1)/2⌋} x_{c'}²,   y_c = x_c / s_c^beta
 *
 * Channels outside [0, C) count as zeros (PyTorch pads size/2 before and (size−1)/2 after).
 *
 * `form: 'paper'` is the AlexNet paper's (and the lectures', and TensorFlow's) formula, where α
 * multiplies the sum itself: s_c = k + α · Σ x_{c'}². PyTorch divides α by the window size n,
 * so the paper's α = 1e-4 with n = 5 is PyTorch's alpha = 5e-4.
 */
export interface LrnOptions {
  size: number;
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1. */
  k?: number;
  /** 'pytorch' (default): α/size · Σ x²; 'paper' (AlexNet paper, TensorFlow): α · Σ x². */
  form?: 'pytorch' | 'paper';
}

/** Every key of `LrnOptions` (checked both ways at compile time). */
export const LRN_OPTION_NAMES = optionNames<LrnOptions>()(['size', 'alpha', 'beta', 'k', 'form']);

interface Resolved {
  n: number; c: number; inner: number;
  size: number; alpha: number; beta: number; k: number;
  before: number; after: number;
}

function resolve(op: string, x: Tensor, opts: LrnOptions): Resolved {
  if (!x || !(x.shape && x.data)) throw opError(op, `x must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.rank < 3) throw opError(op, `x must be rank ≥ 3 [N, C, …], got shape ${fmtShape(x.shape)}`);
  checkOptionNames(op, opts, LRN_OPTION_NAMES);
  if (!opts || !Number.isInteger(opts.size) || opts.size < 1) {
    throw opError(op, `size must be a positive integer, got ${opts ? opts.size : opts}`);
  }
  const { size, alpha = 1e-4, beta = 0.75, k = 1, form = 'pytorch' } = opts;
  if (form !== 'pytorch' && form !== 'paper') throw opError(op, `form must be 'pytorch' or 'paper', got ${JSON.stringify(form)}`);
  for (const [name, v] of [['alpha', alpha], ['beta', beta], ['k', k]] as const) {
    if (!Number.isFinite(v)) throw opError(op, `${name} must be a finite number, got ${v}`);
  }
  const [n, c] = x.shape;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  // The loops use PyTorch's α/size; the paper's α is that already.
  return { n, c, inner, size, alpha: form === 'paper' ? alpha * size : alpha, beta, k, before: Math.floor(size / 2), after: Math.floor((size - 1) / 2) };
}

/** s[n, c, i] = k + (alpha/size)·Σ window x², as a float64 array shaped like x. */
function scales(x: Tensor, r: Resolved): Float64Array {
  const { n, c, inner, before, after } = r;
  const s = new Float64Array(x.size);
  const a = r.alpha / r.size;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const lo = Math.max(0, ch - before);
      const hi = Math.min(c - 1, ch + after);
      const out = (b * c + ch) * inner;
      for (let i = 0; i < inner; i++) {
        let sum = 0;
        for (let j = lo; j <= hi; j++) {
          const v = x.data[(b * c + j) * inner + i];
          sum += v * v;
        }
        s[out + i] = r.k + a * sum;
      }
    }
  }
  return s;
}

/** y = x / s^beta (see the formula above). */
export function localResponseNorm(x: Tensor, opts: LrnOptions): Tensor {
  const r = resolve('localResponseNorm', x, opts);
  const s = scales(x, r);
  const y = zeros(x.shape);
  for (let i = 0; i < x.size; i++) y.data[i] = x.data[i] * Math.pow(s[i], -r.beta);
  return y;
}

/**
 * ∂L/∂x_j = dy_j·s_j^−β − (2·alpha·beta/size)·x_j · Σ_{c : j ∈ window(c)} dy_c·x_c·s_c^(−β−1).
 * j lies in window(c) exactly when j − ⌊(size−1)/2⌋ ≤ c ≤ j + ⌊size/2⌋.
 */
export function localResponseNormBackward(dy: Tensor, x: Tensor, opts: LrnOptions): Tensor {
  const op = 'localResponseNormBackward';
  const r = resolve(op, x, opts);
  if (!dy || !(dy.shape && dy.data) || dy.rank !== x.rank || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw opError(op, `dy shape ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)} does not match x ${fmtShape(x.shape)}`);
  }
  const { n, c, inner, before, after, beta } = r;
  const s = scales(x, r);
  // t_c = dy_c · x_c · s_c^(−β−1): each channel's contribution to its neighbours' gradients.
  const t = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) t[i] = dy.data[i] * x.data[i] * Math.pow(s[i], -beta - 1);
  const coef = (2 * r.alpha * beta) / r.size;
  const dx = zeros(x.shape);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < c; j++) {
      const lo = Math.max(0, j - after);
      const hi = Math.min(c - 1, j + before);
      const off = (b * c + j) * inner;
      for (let i = 0; i < inner; i++) {
        let sum = 0;
        for (let ch = lo; ch <= hi; ch++) sum += t[(b * c + ch) * inner + i];
        const xi = x.data[off + i];
        dx.data[off + i] = dy.data[off + i] * Math.pow(s[off + i], -beta) - coef * xi * sum;
      }
    }
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Shape table. alpha is raised from 1e-4 so that the cross-channel term is large enough for the
// gradient check to test it (with 1e-4 the op is almost the identity).

function lrnCase(x: number[], o: LrnOptions) {
  const extra = [o.alpha !== undefined ? ` alpha=${o.alpha}` : '', o.beta !== undefined ? ` beta=${o.beta}` : '', o.k !== undefined ? ` k=${o.k}` : '', o.form ? ` form=${o.form}` : ''].join('');
  return { name: `x=[${x.join(',')}] size=${o.size}${extra}`, shapes: [x], attrs: o };
}

/** localResponseNorm in the op registry (input ['x'] [N, C, H, W]). */
export const lrnSpecs: OpSpec<LrnOptions>[] = [
  {
    name: 'localResponseNorm',
    inputs: ['x'],
    forward: ([x], a) => localResponseNorm(x, a),
    backward: (dy, [x], a) => [localResponseNormBackward(dy, x, a)],
    cases: [
      lrnCase([2, 5, 3, 3], { size: 3, alpha: 0.5, beta: 0.75, k: 1 }),
      lrnCase([2, 6, 2, 3], { size: 4, alpha: 0.4, beta: 0.75, k: 2 }),
      lrnCase([1, 7, 2, 2], { size: 5, alpha: 1, beta: 0.5, k: 1 }),
      lrnCase([1, 3, 4, 4], { size: 2 }),
      lrnCase([2, 6, 2, 2], { size: 5, alpha: 0.1, beta: 0.75, k: 2, form: 'paper' }),
    ],
  },
];
