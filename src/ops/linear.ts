/**
 * Fully-connected layer, forward and backward (PyTorch layout: w is [out, in]).
 *
 * Forward:  y[n,o] = b[o] + Σ_k x[n,k] · w[o,k]            x [N, in], w [out, in] → y [N, out]
 * Backward: dx[n,k] = Σ_o dy[n,o] · w[o,k]                  (dX = dY · W)
 *           dw[o,k] = Σ_n dy[n,o] · x[n,k]                  (dW = dYᵀ · X)
 *           db[o]   = Σ_n dy[n,o]
 *
 * `…Naive` are those sums as loops; `…Fast` are the same three products through a GEMM (the
 * plain-JS `gemm`, or the one the engine picker hands over: `engineGemm`). The wasm engine's
 * backward runs its two GEMMs side by side in one job (src/ops/wasm/linear.ts), the same bits.
 */
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { allocFloat32 } from '../tensor/buffers';
import { Tensor } from '../tensor/tensor';
import { engineGemm, pickEngine, type Impl } from './engine';
import { gemm, type Gemm } from './gemm';
import type { OpCase, OpSpec } from './spec';
import { linearBackwardFitsOneJob, linearBackwardInWasm } from './wasm/linear';

/** Options of `linear` / `linearBackward`. */
export interface LinearOptions {
  /** Force an engine for this call (default: `getOpsImpl()`); see src/ops/engine.ts. */
  impl?: Impl;
}

/** Every key of `LinearOptions` (checked both ways at compile time). */
export const LINEAR_OPTION_NAMES = optionNames<LinearOptions>()(['impl']);

interface LinearParams {
  N: number;
  In: number;
  Out: number;
}

function isTensor(t: unknown): t is Tensor {
  return !!t && !!(t as Tensor).shape && !!(t as Tensor).data;
}

function linearParams(op: string, x: Tensor, w: Tensor): LinearParams {
  for (const [name, t] of [['x', x], ['w', w]] as const) {
    if (!isTensor(t)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  if (x.rank !== 2) throw opError(op, `x must be rank 2 [N, in], got shape ${fmtShape(x.shape)} (flatten conv features first)`);
  if (w.rank !== 2) throw opError(op, `w must be rank 2 [out, in], got shape ${fmtShape(w.shape)}`);
  const [N, In] = x.shape;
  const [Out, wIn] = w.shape;
  if (wIn !== In) throw opError(op, `in-features mismatch: x ${fmtShape(x.shape)} has ${In} features but w ${fmtShape(w.shape)} expects ${wIn}`);
  return { N, In, Out };
}

function forwardParams(op: string, x: Tensor, w: Tensor, b: Tensor | null): LinearParams {
  const p = linearParams(op, x, w);
  if (b !== null && b !== undefined) {
    if (!isTensor(b)) throw opError(op, `b must be a Tensor or null, got ${typeof b}`);
    if (b.rank !== 1 || b.shape[0] !== p.Out) throw opError(op, `b must have shape [out] = [${p.Out}] for w ${fmtShape(w.shape)}, got ${fmtShape(b.shape)}`);
  }
  return p;
}

function backwardParams(op: string, dy: Tensor, x: Tensor, w: Tensor): LinearParams {
  const p = linearParams(op, x, w);
  if (!isTensor(dy)) throw opError(op, `dy must be a Tensor, got ${dy === null ? 'null' : typeof dy}`);
  if (dy.rank !== 2 || dy.shape[0] !== p.N || dy.shape[1] !== p.Out) {
    throw opError(op, `dy must have the output shape [${p.N}, ${p.Out}] of linear(x ${fmtShape(x.shape)}, w ${fmtShape(w.shape)}), got ${fmtShape(dy.shape)}`);
  }
  return p;
}

function biasGrad(dy: Tensor, N: number, Out: number): Tensor {
  const db = new Float32Array(Out);
  for (let o = 0; o < Out; o++) {
    let s = 0;
    for (let n = 0; n < N; n++) s += dy.data[n * Out + o];
    db[o] = s;
  }
  return new Tensor(db, [Out]);
}

/** y[n,o] = b[o] + Σ_k x[n,k]·w[o,k], as three loops: x [N, in], w [out, in], b [out] | null → [N, out]. */
export function linearNaive(x: Tensor, w: Tensor, b: Tensor | null, _opts: LinearOptions = {}): Tensor {
  checkOptionNames('linear', _opts, LINEAR_OPTION_NAMES);
  const { N, In, Out } = forwardParams('linear', x, w, b);
  const y = new Float32Array(N * Out);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < Out; o++) {
      let s = b ? b.data[o] : 0;
      for (let k = 0; k < In; k++) s += x.data[n * In + k] * w.data[o * In + k];
      y[n * Out + o] = s;
    }
  }
  return new Tensor(y, [N, Out]);
}

/** dx [N, in], dw [out, in], db [out] as loops over the same index space as the forward. */
export function linearBackwardNaive(dy: Tensor, x: Tensor, w: Tensor, _opts: LinearOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkOptionNames('linearBackward', _opts, LINEAR_OPTION_NAMES);
  const { N, In, Out } = backwardParams('linearBackward', dy, x, w);
  const dx = new Float32Array(N * In);
  const dw = new Float32Array(Out * In);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < In; k++) {
      let s = 0;
      for (let o = 0; o < Out; o++) s += dy.data[n * Out + o] * w.data[o * In + k];
      dx[n * In + k] = s;
    }
  }
  for (let o = 0; o < Out; o++) {
    for (let k = 0; k < In; k++) {
      let s = 0;
      for (let n = 0; n < N; n++) s += dy.data[n * Out + o] * x.data[n * In + k];
      dw[o * In + k] = s;
    }
  }
  return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: biasGrad(dy, N, Out) };
}

/** Y = X·Wᵀ (+ b broadcast over rows) by one GEMM (`mm`: plain-JS `gemm` unless given). */
export function linearFast(x: Tensor, w: Tensor, b: Tensor | null, mm: Gemm = gemm): Tensor {
  const { N, In, Out } = forwardParams('linear', x, w, b);
  const y = allocFloat32(N * Out);
  if (b) for (let n = 0; n < N; n++) y.set(b.data, n * Out);
  mm(false, true, N, Out, In, 1, x.data, 0, In, w.data, 0, In, 1, y, 0, Out);
  return new Tensor(y, [N, Out]);
}

/** dX = dY·W, dW = dYᵀ·X by two GEMMs (`mm`: plain-JS `gemm` unless given); db by a loop. */
export function linearBackwardFast(dy: Tensor, x: Tensor, w: Tensor, mm: Gemm = gemm): { dx: Tensor; dw: Tensor; db: Tensor } {
  const { N, In, Out } = backwardParams('linearBackward', dy, x, w);
  // β = 0: every entry is written (the wasm GEMM then copies nothing of dx, dw in)
  const dx = allocFloat32(N * In, false);
  const dw = allocFloat32(Out * In, false);
  mm(false, false, N, In, Out, 1, dy.data, 0, Out, w.data, 0, In, 0, dx, 0, In);
  mm(true, false, Out, In, N, 1, dy.data, 0, Out, x.data, 0, In, 0, dw, 0, In);
  return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: biasGrad(dy, N, Out) };
}

/**
 * y = x·wᵀ + b: x [N, in], w [out, in], b [out] | null → [N, out]; y[n,o] = b[o] + Σ_k x[n,k]·w[o,k].
 * @example linear(tensor([[1, 2]]), tensor([[3, 4], [5, 6]]), tensor([0.5, -1])) // [[11.5, 16]]
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null, opts: LinearOptions = {}): Tensor {
  checkOptionNames('linear', opts, LINEAR_OPTION_NAMES);
  const engine = pickEngine('linear', opts.impl);
  return engine === 'naive' ? linearNaive(x, w, b) : linearFast(x, w, b, engineGemm(engine));
}

/**
 * Gradients with respect to x, w and b, given dy = dL/dy [N, out]: dx = dy·w [N, in],
 * dw = dyᵀ·x [out, in], db = Σ_n dy[n, :] [out].
 */
export function linearBackward(dy: Tensor, x: Tensor, w: Tensor, opts: LinearOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkOptionNames('linearBackward', opts, LINEAR_OPTION_NAMES);
  const engine = pickEngine('linearBackward', opts.impl);
  if (engine === 'naive') return linearBackwardNaive(dy, x, w);
  const { N, In, Out } = backwardParams('linearBackward', dy, x, w);
  if (engine === 'wasm' && linearBackwardFitsOneJob(In, Out)) {
    const { dx, dw } = linearBackwardInWasm(dy.data, x.data, w.data, N, In, Out);
    return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: biasGrad(dy, N, Out) };
  }
  return linearBackwardFast(dy, x, w, engineGemm(engine));
}

function linearCase(x: number[], w: number[], bias = true): OpCase<LinearOptions> {
  return { name: `x=[${x.join(',')}] w=[${w.join(',')}]${bias ? '' : ' b=null'}`, shapes: bias ? [x, w, [w[0]]] : [x, w], attrs: {} };
}

/** linear in the op registry. Inputs ['x', 'w', 'b']; two shapes means b = null. */
export const linearSpecs: OpSpec<LinearOptions>[] = [
  {
    name: 'linear',
    inputs: ['x', 'w', 'b'],
    forward: (inputs, attrs) => linear(inputs[0], inputs[1], inputs[2] ?? null, attrs),
    backward: (dy, inputs, attrs) => {
      const { dx, dw, db } = linearBackward(dy, inputs[0], inputs[1], attrs);
      return inputs.length > 2 && inputs[2] ? [dx, dw, db] : [dx, dw];
    },
    cases: [
      linearCase([1, 3], [2, 3]),
      linearCase([4, 5], [3, 5]),
      linearCase([3, 7], [6, 7]),
      linearCase([2, 9], [5, 9], false),
      linearCase([5, 16], [10, 16]),
    ],
  },
];
