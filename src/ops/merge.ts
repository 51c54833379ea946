import { fmtShape, opError } from '../tensor/errors';
import { Tensor, randn, zeros } from '../tensor/tensor';
import { expectSameShape } from './shape';
import type { OpSpec } from './spec';

/** Resolve a possibly negative axis (−1 = last) against a rank. */
function resolveAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw opError(op, `axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sizes of the leading block (dims before axis) and trailing block (dims after axis). */
function blocks(shape: readonly number[], axis: number): [outer: number, inner: number] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [outer, inner];
}

function checkConcatShapes(op: string, shapes: readonly (readonly number[])[], axis: number): number {
  if (shapes.length === 0) throw opError(op, 'needs at least one tensor');
  const rank = shapes[0].length;
  const ax = resolveAxis(op, axis, rank);
  const ok = shapes.every((s) => s.length === rank && s.every((d, i) => i === ax || d === shapes[0][i]));
  if (!ok) {
    throw opError(op, `all dimensions except axis ${ax} must match, got shapes ${shapes.map(fmtShape).join(', ')}`);
  }
  return ax;
}

/**
 * Concatenate along `axis` (default 1, the channel axis: Inception's merge). All other
 * dimensions must be equal. Output size along axis = Σ of the inputs' sizes.
 */
export function concat(xs: Tensor[], axis = 1): Tensor {
  const op = 'concat';
  if (!Array.isArray(xs)) throw opError(op, `xs must be an array of Tensors, got ${typeof xs}`);
  xs.forEach((x, i) => {
    if (!x || !(x.shape && x.data)) throw opError(op, `xs[${i}] must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  });
  const ax = checkConcatShapes(op, xs.map((x) => x.shape), axis);
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((a, x) => a + x.shape[ax], 0);
  const y = zeros(shape);
  const [outer, inner] = blocks(shape, ax);
  const rowOut = shape[ax] * inner;
  let start = 0;
  for (const x of xs) {
    const row = x.shape[ax] * inner;
    for (let o = 0; o < outer; o++) y.data.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + start);
    start += row;
  }
  return y;
}

/**
 * ∂L/∂xs of concat: dy cut back into pieces of the inputs' sizes along axis. `xs` may be the
 * forward inputs or just their shapes.
 */
export function concatBackward(dy: Tensor, xs: Tensor[] | number[][], axis = 1): Tensor[] {
  const op = 'concatBackward';
  if (!Array.isArray(xs)) throw opError(op, `xs must be an array of Tensors or shapes, got ${typeof xs}`);
  const shapes = (xs as (Tensor | number[])[]).map((x) => (Array.isArray(x) ? x : x.shape));
  const ax = checkConcatShapes(op, shapes, axis);
  const want = [...shapes[0]];
  want[ax] = shapes.reduce((a, s) => a + s[ax], 0);
  if (!dy || !(dy.shape && dy.data) || dy.rank !== want.length || dy.shape.some((d, i) => d !== want[i])) {
    throw opError(op, `dy shape ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)} does not match the concatenated shape ${fmtShape(want)}`);
  }
  const [outer, inner] = blocks(want, ax);
  const rowOut = want[ax] * inner;
  let start = 0;
  return shapes.map((s) => {
    const g = zeros(s);
    const row = s[ax] * inner;
    for (let o = 0; o < outer; o++) g.data.set(dy.data.subarray(o * rowOut + start, o * rowOut + start + row), o * row);
    start += row;
    return g;
  });
}

/** Element-wise sum of two same-shaped tensors (the ResNet shortcut merge). */
export function add(a: Tensor, b: Tensor): Tensor {
  const op = 'add';
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  expectSameShape(op, 'a', a, 'b', b);
  const y = zeros(a.shape);
  for (let i = 0; i < a.size; i++) y.data[i] = a.data[i] + b.data[i];
  return y;
}

/** ∂L/∂a = ∂L/∂b = dy (returned as two independent copies). */
export function addBackward(dy: Tensor): [Tensor, Tensor] {
  if (!dy || !(dy.shape && dy.data)) throw opError('addBackward', `dy must be a Tensor, got ${dy === null ? 'null' : typeof dy}`);
  return [dy.clone(), dy.clone()];
}

function expectPair(op: string, a: Tensor, b: Tensor): void {
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  expectSameShape(op, 'a', a, 'b', b);
}

function expectGrad(op: string, dy: Tensor, a: Tensor): void {
  if (!dy || !(dy.shape && dy.data)) throw opError(op, `dy must be a Tensor, got ${dy === null ? 'null' : typeof dy}`);
  expectSameShape(op, 'dy', dy, 'a', a);
}

/** Element-wise difference a − b (the lecture's "−" merge of two same-shaped branches). */
export function subtract(a: Tensor, b: Tensor): Tensor {
  expectPair('subtract', a, b);
  const y = zeros(a.shape);
  for (let i = 0; i < a.size; i++) y.data[i] = a.data[i] - b.data[i];
  return y;
}

/** ∂L/∂a = dy, ∂L/∂b = −dy. */
export function subtractBackward(dy: Tensor): [Tensor, Tensor] {
  if (!dy || !(dy.shape && dy.data)) throw opError('subtractBackward', `dy must be a Tensor, got ${dy === null ? 'null' : typeof dy}`);
  const db = zeros(dy.shape);
  for (let i = 0; i < dy.size; i++) db.data[i] = -dy.data[i];
  return [dy.clone(), db];
}

/** Element-wise product a ⊙ b (the "×" merge; a gate when one branch is a sigmoid). */
export function multiply(a: Tensor, b: Tensor): Tensor {
  expectPair('multiply', a, b);
  const y = zeros(a.shape);
  for (let i = 0; i < a.size; i++) y.data[i] = a.data[i] * b.data[i];
  return y;
}

/** Product rule: ∂L/∂a = dy ⊙ b, ∂L/∂b = dy ⊙ a. */
export function multiplyBackward(dy: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  expectPair('multiplyBackward', a, b);
  expectGrad('multiplyBackward', dy, a);
  const da = zeros(a.shape);
  const db = zeros(b.shape);
  for (let i = 0; i < a.size; i++) {
    da.data[i] = dy.data[i] * b.data[i];
    db.data[i] = dy.data[i] * a.data[i];
  }
  return [da, db];
}

/** Element-wise maximum max(a, b) (the "max" merge, Maxout's building block). */
export function maximum(a: Tensor, b: Tensor): Tensor {
  expectPair('maximum', a, b);
  const y = zeros(a.shape);
  for (let i = 0; i < a.size; i++) y.data[i] = a.data[i] >= b.data[i] ? a.data[i] : b.data[i];
  return y;
}

/**
 * The larger input gets dy, the other 0; on a tie each gets dy/2 (PyTorch's `torch.maximum`
 * rule; TensorFlow gives the whole dy to a instead).
 */
export function maximumBackward(dy: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  expectPair('maximumBackward', a, b);
  expectGrad('maximumBackward', dy, a);
  const da = zeros(a.shape);
  const db = zeros(b.shape);
  for (let i = 0; i < a.size; i++) {
    const d = dy.data[i];
    if (a.data[i] > b.data[i]) da.data[i] = d;
    else if (a.data[i] < b.data[i]) db.data[i] = d;
    else {
      da.data[i] = d / 2;
      db.data[i] = d / 2;
    }
  }
  return [da, db];
}

// ---------------------------------------------------------------------------------------------
// Shape tables. concat has one spec per input count (the registry's inputs list is fixed).

const shapesName = (names: string[], shapes: number[][], axis: number) =>
  names.map((n, i) => `${n}=[${shapes[i].join(',')}]`).join(' ') + ` axis=${axis}`;

/** The merges (concat, add, subtract, multiply, maximum) in the op registry. */
export const mergeSpecs: OpSpec[] = [
  {
    name: 'concat',
    inputs: ['a', 'b'],
    forward: (xs, a: { axis: number }) => concat(xs, a.axis),
    backward: (dy, xs, a: { axis: number }) => concatBackward(dy, xs, a.axis),
    cases: [
      { shapes: [[2, 3, 4, 4], [2, 5, 4, 4]], attrs: { axis: 1 } },
      { shapes: [[2, 3, 2, 2], [1, 3, 2, 2]], attrs: { axis: 0 } },
      { shapes: [[3, 2], [3, 4]], attrs: { axis: -1 } },
    ].map((c) => ({ ...c, name: shapesName(['a', 'b'], c.shapes, c.attrs.axis) })),
  },
  {
    name: 'concat3',
    inputs: ['a', 'b', 'c'],
    forward: (xs, a: { axis: number }) => concat(xs, a.axis),
    backward: (dy, xs, a: { axis: number }) => concatBackward(dy, xs, a.axis),
    cases: [
      { shapes: [[2, 1, 3, 3], [2, 2, 3, 3], [2, 3, 3, 3]], attrs: { axis: 1 } },
      { shapes: [[1, 2, 2, 3], [1, 2, 2, 1], [1, 2, 2, 2]], attrs: { axis: 3 } },
    ].map((c) => ({ ...c, name: shapesName(['a', 'b', 'c'], c.shapes, c.attrs.axis) })),
  },
  {
    name: 'add',
    inputs: ['a', 'b'],
    forward: ([a, b]) => add(a, b),
    backward: (dy) => addBackward(dy),
    cases: [
      { name: 'a=[2,3,4,4] b=[2,3,4,4]', shapes: [[2, 3, 4, 4], [2, 3, 4, 4]], attrs: {} },
      { name: 'a=[5] b=[5]', shapes: [[5], [5]], attrs: {} },
    ],
  },
  {
    name: 'subtract',
    inputs: ['a', 'b'],
    forward: ([a, b]) => subtract(a, b),
    backward: (dy) => subtractBackward(dy),
    cases: [{ name: 'a=[2,3,4,4] b=[2,3,4,4]', shapes: [[2, 3, 4, 4], [2, 3, 4, 4]], attrs: {} }],
  },
  {
    name: 'multiply',
    inputs: ['a', 'b'],
    forward: ([a, b]) => multiply(a, b),
    backward: (dy, [a, b]) => multiplyBackward(dy, a, b),
    cases: [
      { name: 'a=[2,3,4,4] b=[2,3,4,4]', shapes: [[2, 3, 4, 4], [2, 3, 4, 4]], attrs: {} },
      { name: 'a=[3,5] b=[3,5]', shapes: [[3, 5], [3, 5]], attrs: {} },
    ],
  },
  {
    name: 'maximum',
    inputs: ['a', 'b'],
    forward: ([a, b]) => maximum(a, b),
    backward: (dy, [a, b]) => maximumBackward(dy, a, b),
    // b differs from a by at least 0.1, so a finite-difference step never crosses the kink a = b.
    makeInputs: (c, rng) => {
      const a = randn(c.shapes[0], { rng });
      const b = new Tensor(a.data.map((v) => v + (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + rng.uniform())), a.shape);
      return [a, b];
    },
    cases: [{ name: 'a=[2,3,4,4] b=[2,3,4,4]', shapes: [[2, 3, 4, 4], [2, 3, 4, 4]], attrs: {} }],
  },
];
