/**
 * Slice (切分层, Caffe's Slice layer): keep `size` entries of one axis starting at `begin`, so a
 * network can learn separate parameters for separate regions (channels, rows, …) of its input.
 *
 *   y[…, i, …] = x[…, begin + i, …]     for i in [0, size) along `axis`
 *   dL/dx[…, j, …] = dy[…, j − begin, …] where begin ≤ j < begin + size, else 0
 *
 * Example: the two groups of AlexNet's two-GPU layers are `slice(x, 0, 48)` and `slice(x, 48, 48)`
 * along the channel axis (axis 1, the default).
 */
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor, zeros } from '../tensor/tensor';
import type { OpSpec } from './spec';

/** Options of `slice`: the axis to cut (default 1, channels; negative counts from the end). */
export interface SliceOptions {
  axis?: number;
}

/** Every key of `SliceOptions` (checked both ways at compile time). */
export const SLICE_OPTION_NAMES = optionNames<SliceOptions>()(['axis']);

interface SlicePlan {
  axis: number;
  outer: number;
  inner: number;
  /** Length of the sliced axis in x. */
  length: number;
  outShape: number[];
}

function plan(op: string, shape: readonly number[], begin: number, size: number, opts: SliceOptions): SlicePlan {
  checkOptionNames(op, opts, SLICE_OPTION_NAMES);
  const rank = shape.length;
  const a = opts.axis ?? 1;
  if (!Number.isInteger(a) || a < -rank || a >= rank) throw opError(op, `axis ${a} is out of range for x ${fmtShape(shape)} (rank ${rank})`);
  const axis = a < 0 ? a + rank : a;
  const length = shape[axis];
  if (!Number.isInteger(begin) || begin < 0 || begin >= length) throw opError(op, `begin must be an integer in [0, ${length}) for axis ${axis} of x ${fmtShape(shape)}, got ${begin}`);
  if (!Number.isInteger(size) || size < 1 || begin + size > length) {
    throw opError(op, `size must be an integer in [1, ${length - begin}] (begin ${begin} + size ≤ ${length} along axis ${axis} of x ${fmtShape(shape)}), got ${size}`);
  }
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outShape = [...shape];
  outShape[axis] = size;
  return { axis, outer, inner, length, outShape };
}

function expectTensor(op: string, name: string, t: Tensor): void {
  if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
}

/** `size` entries of `axis` starting at `begin`: x [.., L, ..] → y [.., size, ..]. */
export function slice(x: Tensor, begin: number, size: number, opts: SliceOptions = {}): Tensor {
  expectTensor('slice', 'x', x);
  const { outer, inner, length, outShape } = plan('slice', x.shape, begin, size, opts);
  const y = zeros(outShape);
  const run = size * inner;
  for (let o = 0; o < outer; o++) {
    const from = (o * length + begin) * inner;
    y.data.set(x.data.subarray(from, from + run), o * run);
  }
  return y;
}

/** dL/dx of `slice`: dy placed back at its position, zeros elsewhere. `x` may be a shape. */
export function sliceBackward(dy: Tensor, x: Tensor | readonly number[], begin: number, size: number, opts: SliceOptions = {}): Tensor {
  const op = 'sliceBackward';
  const shape = Array.isArray(x) ? (x as readonly number[]) : (x as Tensor).shape;
  expectTensor(op, 'dy', dy);
  const { outer, inner, length, outShape } = plan(op, shape, begin, size, opts);
  if (dy.rank !== outShape.length || dy.shape.some((d, i) => d !== outShape[i])) {
    throw opError(op, `dy must have the slice's shape ${fmtShape(outShape)}, got ${fmtShape(dy.shape)}`);
  }
  const dx = zeros(shape);
  const run = size * inner;
  for (let o = 0; o < outer; o++) dx.data.set(dy.data.subarray(o * run, (o + 1) * run), (o * length + begin) * inner);
  return dx;
}

interface SliceAttrs extends SliceOptions {
  begin: number;
  size: number;
}

/** slice in the op registry. */
export const sliceSpecs: OpSpec<SliceAttrs>[] = [
  {
    name: 'slice',
    inputs: ['x'],
    forward: ([x], a) => slice(x, a.begin, a.size, { axis: a.axis }),
    backward: (dy, [x], a) => [sliceBackward(dy, x, a.begin, a.size, { axis: a.axis })],
    cases: [
      { name: 'x=[2,6,3,3] begin=2 size=3 axis=1', shapes: [[2, 6, 3, 3]], attrs: { begin: 2, size: 3, axis: 1 } },
      { name: 'x=[2,4,5,3] begin=1 size=3 axis=2', shapes: [[2, 4, 5, 3]], attrs: { begin: 1, size: 3, axis: 2 } },
      { name: 'x=[3,7] begin=0 size=4 axis=-1', shapes: [[3, 7]], attrs: { begin: 0, size: 4, axis: -1 } },
    ],
  },
];
