import { allocFloat32 } from './buffers';
import { fmtShape, opError } from './errors';
import { checkOptionNames } from './options';
import { formatTensor } from './format';
import { Rng, getRng } from './random';

/** Nested number arrays as written in a lecture: `[[1, 0, 1], [0, 1, 0]]`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional float32 array, row-major. Activations are NCHW `[N, C, H, W]`, conv weights
 * `[Cout, Cin/groups, KH, KW]`, linear weights `[out, in]` (PyTorch's layouts).
 *
 * `data` is the storage itself (no strides, no views): ops read and write it directly, which
 * keeps every loop in `src/ops` readable as the formula it implements.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: readonly number[]) {
    const size = shapeSize(shape, 'Tensor');
    if (data.length !== size) {
      throw opError('Tensor', `data has ${data.length} elements but shape ${fmtShape(shape)} needs ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Same storage, new shape (one dimension may be -1). */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, inferShape(shape, this.size, 'reshape', this.shape));
  }

  clone(): Tensor {
    return new Tensor(new Float32Array(this.data), this.shape);
  }

  /** Row-major offset of an index tuple, bounds-checked. */
  offset(index: readonly number[]): number {
    if (index.length !== this.rank) {
      throw opError('Tensor.get', `index ${fmtShape(index)} has ${index.length} entries, tensor has rank ${this.rank} ${fmtShape(this.shape)}`);
    }
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) {
        throw opError('Tensor.get', `index ${fmtShape(index)} out of range for shape ${fmtShape(this.shape)}`);
      }
      off = off * this.shape[d] + i;
    }
    return off;
  }

  get(...index: number[]): number {
    return this.data[this.offset(index)];
  }

  set(value: number, ...index: number[]): void {
    this.data[this.offset(index)] = value;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw opError('Tensor.item', `needs exactly one element, shape is ${fmtShape(this.shape)}`);
    return this.data[0];
  }

  /** Nested arrays, e.g. for printing or comparing with lecture tables. */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0];
    const build = (dim: number, off: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.rank - 1 ? this.data[off + i] : build(dim + 1, off + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** Plain `number[]` copy of the storage. */
  toList(): number[] {
    return Array.from(this.data);
  }

  /** Prints 2-D slices like the lecture's number tables. */
  toString(): string {
    return formatTensor(this);
  }

  /** Node's console.log / tslab's fallback use this. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Number of elements of a shape; validates that every dimension is a non-negative integer. */
export function shapeSize(shape: readonly number[], op = 'shape'): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw opError(op, `shape ${fmtShape(shape)} must contain non-negative integers`);
    size *= d;
  }
  return size;
}

function inferShape(shape: readonly number[], size: number, op: string, from?: readonly number[]): number[] {
  const out = [...shape];
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    const rest = out.reduce((a, d, i) => (i === neg ? a : a * d), 1);
    if (rest === 0 || size % rest !== 0) {
      throw opError(op, `cannot infer -1 in ${fmtShape(shape)} for ${size} elements${from ? ` (from ${fmtShape(from)})` : ''}`);
    }
    out[neg] = size / rest;
  }
  if (shapeSize(out, op) !== size) {
    throw opError(op, `cannot reshape ${from ? fmtShape(from) + ' ' : ''}(${size} elements) to ${fmtShape(shape)}`);
  }
  return out;
}

function flattenNested(values: NestedArray, shape: number[], depth: number, out: number[]): void {
  if (typeof values === 'number') {
    if (depth !== shape.length) throw opError('tensor', 'nested arrays are ragged (a number where a list was expected)');
    out.push(values);
    return;
  }
  if (!Array.isArray(values)) throw opError('tensor', `values must be numbers or nested arrays, got ${typeof values}`);
  if (depth === shape.length) shape.push(values.length);
  else if (shape[depth] !== values.length) {
    throw opError('tensor', `nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}, got ${values.length}`);
  }
  for (const v of values) flattenNested(v, shape, depth + 1, out);
}

/**
 * Build a tensor from flat or nested arrays (or a typed array).
 * `tensor([[1, 2], [3, 4]])` has shape [2, 2]; `tensor([1, 2, 3, 4], [2, 2])` too.
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[]): Tensor {
  let flat: Float32Array;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = Float32Array.of(values);
    inferred = [];
  } else if (Array.isArray(values)) {
    const out: number[] = [];
    inferred = [];
    flattenNested(values as NestedArray, inferred, 0, out);
    flat = Float32Array.from(out);
  } else {
    flat = Float32Array.from(values as ArrayLike<number>);
    inferred = [flat.length];
  }
  return new Tensor(flat, shape ? inferShape(shape, flat.length, 'tensor') : inferred);
}

/**
 * A new tensor of `shape` filled with 0 (storage from the recycled free list).
 *
 * @example zeros([1, 1, 2, 2]).toArray() // [[[[0, 0], [0, 0]]]]
 */
export function zeros(shape: readonly number[]): Tensor {
  return new Tensor(allocFloat32(shapeSize(shape, 'zeros')), shape);
}

/**
 * A new tensor of `shape` filled with 1.
 *
 * @example ones([2, 3]).size // 6
 */
export function ones(shape: readonly number[]): Tensor {
  return full(shape, 1);
}

/**
 * A new tensor of `shape` filled with `value`.
 *
 * @example full([2], 0.5).toArray() // [0.5, 0.5]
 */
export function full(shape: readonly number[], value: number): Tensor {
  return new Tensor(new Float32Array(shapeSize(shape, 'full')).fill(value), shape);
}

/** `arange(stop)` or `arange(start, stop, step = 1)`, like NumPy. */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw opError('arange', `step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/** Options of the random constructors (`rand`, `randn`): the generator to draw from (default: the seeded module-level one). */
export interface RandomOptions {
  rng?: Rng;
}

/** Normal samples, mean 0 and std 1 unless given, from the seeded generator. */
export function randn(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  checkOptionNames('randn', opts, ['rng', 'mean', 'std']);
  const rng = opts.rng ?? getRng();
  const { mean = 0, std = 1 } = opts;
  const t = zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

/** Uniform samples in [low, high), default [0, 1), from the seeded generator. */
export function rand(shape: readonly number[], opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  checkOptionNames('rand', opts, ['rng', 'low', 'high']);
  const rng = opts.rng ?? getRng();
  const { low = 0, high = 1 } = opts;
  const t = zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(low, high);
  return t;
}

/** True when both shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
