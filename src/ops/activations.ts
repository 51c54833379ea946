import { opError } from '../tensor/errors';
import type { Rng } from '../tensor/random';
import { allocFloat32 } from '../tensor/buffers';
import { Tensor, zeros } from '../tensor/tensor';
import { pickEngine } from './engine';
import { expectSameShape } from './shape';
import type { OpCase, OpSpec } from './spec';
import { reluBackwardInWasm, reluInWasm } from './wasm/elementwise';

/**
 * Element-wise activations, any shape. Backward functions take the forward input `x` (not the
 * output) and recompute what they need, so a layer only has to cache x.
 */

function expectTensor(op: string, name: string, t: Tensor): void {
  if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
}

function map(op: string, x: Tensor, f: (v: number) => number): Tensor {
  expectTensor(op, 'x', x);
  const y = zeros(x.shape);
  // Hoisted locals: property reads inside the loop cost more than the math itself.
  const xd = x.data;
  const yd = y.data;
  const n = xd.length;
  for (let i = 0; i < n; i++) yd[i] = f(xd[i]);
  return y;
}

/** dx[i] = dy[i] · g(x[i]) where g is the local derivative. */
function mapBackward(op: string, dy: Tensor, x: Tensor, g: (v: number) => number): Tensor {
  expectTensor(op, 'dy', dy);
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dy', dy, 'x', x);
  const dx = zeros(x.shape);
  const xd = x.data;
  const dyd = dy.data;
  const dxd = dx.data;
  const n = xd.length;
  for (let i = 0; i < n; i++) dxd[i] = dyd[i] * g(xd[i]);
  return dx;
}

function checkSlope(op: string, s: number): void {
  if (!Number.isFinite(s)) throw opError(op, `negativeSlope must be a finite number, got ${s}`);
}

/**
 * ReLU: y = max(0, x), any shape. From 16,384 elements it runs in WebAssembly SIMD when the
 * kernels loaded (the same bits; the engine picker's table, src/ops/engine.ts).
 * @example relu(tensor([-2, 0, 3])) // [0, 0, 3]
 */
export function relu(x: Tensor): Tensor {
  expectTensor('relu', 'x', x);
  const n = x.data.length;
  if (pickEngine('relu', undefined, n) === 'wasm') return new Tensor(reluInWasm(x.data), x.shape);
  const y = new Tensor(allocFloat32(n, false), x.shape); // every element is written below
  // On the float32 bit patterns (Int32 views of the same memory), with no branch: a branch on
  // the sign of each value is mispredicted half the time on real activations — 2.4 ms instead
  // of 0.3 ms for LeNet's first feature maps. A value b is zeroed when it is negative and not
  // NaN: b < 0 as an int (sign bit set) and b ≤ −8388608 (0xFF800000 = −∞; the ints above it up
  // to −1 are NaNs with the sign bit set). NaN propagates, as in PyTorch; −0 becomes +0.
  const xb = new Int32Array(x.data.buffer, x.data.byteOffset, n);
  const yb = new Int32Array(y.data.buffer, y.data.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = xb[i];
    yb[i] = b & ~((b >> 31) & ((b + 8388607) >> 31));
  }
  return y;
}

/** ∂L/∂x = dy where x > 0, else 0 (PyTorch takes the derivative at 0 to be 0); dy, x, dx same shape. */
export function reluBackward(dy: Tensor, x: Tensor): Tensor {
  const op = 'reluBackward';
  expectTensor(op, 'dy', dy);
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dy', dy, 'x', x);
  const n = x.data.length;
  if (pickEngine('reluBackward', undefined, n) === 'wasm') return new Tensor(reluBackwardInWasm(dy.data, x.data), x.shape);
  const dx = new Tensor(allocFloat32(n, false), x.shape);
  const xd = x.data;
  const dyd = dy.data;
  const dxd = dx.data;
  // dy·1 or dy·0, as a multiply rather than a branch (see relu): the multiply by 0 also keeps a
  // NaN/∞ dy as NaN and turns −dy into −0, as PyTorch does.
  for (let i = 0; i < n; i++) dxd[i] = dyd[i] * +(xd[i] > 0);
  return dx;
}

/** Leaky ReLU: y = x for x > 0, negativeSlope·x otherwise. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkSlope('leakyRelu', negativeSlope);
  return map('leakyRelu', x, (v) => (v > 0 ? v : negativeSlope * v));
}

/** ∂L/∂x = dy for x > 0, negativeSlope·dy otherwise. */
export function leakyReluBackward(dy: Tensor, x: Tensor, negativeSlope = 0.01): Tensor {
  checkSlope('leakyReluBackward', negativeSlope);
  return mapBackward('leakyReluBackward', dy, x, (v) => (v > 0 ? 1 : negativeSlope));
}

/** σ(v) = 1 / (1 + e^−v), written so that e^(large) is never formed (no overflow to NaN). */
function sigma(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Sigmoid: y = 1 / (1 + e^−x). */
export function sigmoid(x: Tensor): Tensor {
  return map('sigmoid', x, sigma);
}

/** ∂L/∂x = dy · σ(x)·(1 − σ(x)). */
export function sigmoidBackward(dy: Tensor, x: Tensor): Tensor {
  return mapBackward('sigmoidBackward', dy, x, (v) => {
    const s = sigma(v);
    return s * (1 - s);
  });
}

/** Hyperbolic tangent: y = (e^x − e^−x) / (e^x + e^−x). */
export function tanh(x: Tensor): Tensor {
  return map('tanh', x, Math.tanh);
}

/** ∂L/∂x = dy · (1 − tanh²(x)). */
export function tanhBackward(dy: Tensor, x: Tensor): Tensor {
  return mapBackward('tanhBackward', dy, x, (v) => {
    const t = Math.tanh(v);
    return 1 - t * t;
  });
}

// ---------------------------------------------------------------------------------------------
// Shape tables.

/** N(0, 1) values pushed out of (−0.05, 0.05), so a finite-difference step never crosses the kink at 0. */
function awayFromZero(c: OpCase, rng: Rng): Tensor[] {
  const x = zeros(c.shapes[0]);
  for (let i = 0; i < x.size; i++) {
    const v = rng.normal();
    x.data[i] = Math.sign(v || 1) * (0.05 + Math.abs(v));
  }
  return [x];
}

const shapes = (s: number[]) => `x=[${s.join(',')}]`;

/** relu, leakyRelu, sigmoid and tanh in the op registry (input ['x'], any shape). */
export const activationSpecs: OpSpec[] = [
  {
    name: 'relu',
    inputs: ['x'],
    forward: ([x]) => relu(x),
    backward: (dy, [x]) => [reluBackward(dy, x)],
    makeInputs: awayFromZero,
    cases: [
      { name: shapes([2, 3, 4, 4]), shapes: [[2, 3, 4, 4]], attrs: {} },
      { name: shapes([5, 7]), shapes: [[5, 7]], attrs: {} },
    ],
  },
  {
    name: 'leakyRelu',
    inputs: ['x'],
    forward: ([x], a: { negativeSlope?: number }) => leakyRelu(x, a.negativeSlope),
    backward: (dy, [x], a: { negativeSlope?: number }) => [leakyReluBackward(dy, x, a.negativeSlope)],
    makeInputs: awayFromZero,
    cases: [
      { name: `${shapes([2, 3, 4, 4])} slope=0.01`, shapes: [[2, 3, 4, 4]], attrs: {} },
      { name: `${shapes([4, 6])} slope=0.2`, shapes: [[4, 6]], attrs: { negativeSlope: 0.2 } },
    ],
  },
  {
    name: 'sigmoid',
    inputs: ['x'],
    forward: ([x]) => sigmoid(x),
    backward: (dy, [x]) => [sigmoidBackward(dy, x)],
    cases: [
      { name: shapes([2, 3, 4, 4]), shapes: [[2, 3, 4, 4]], attrs: {} },
      { name: shapes([3, 5]), shapes: [[3, 5]], attrs: {} },
    ],
  },
  {
    name: 'tanh',
    inputs: ['x'],
    forward: ([x]) => tanh(x),
    backward: (dy, [x]) => [tanhBackward(dy, x)],
    cases: [
      { name: shapes([2, 3, 4, 4]), shapes: [[2, 3, 4, 4]], attrs: {} },
      { name: shapes([3, 5]), shapes: [[3, 5]], attrs: {} },
    ],
  },
];
