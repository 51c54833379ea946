import { fmtShape, opError } from '../tensor/errors';
import { allocFloat32 } from '../tensor/buffers';
import { Tensor } from '../tensor/tensor';
import type { OpSpec } from './spec';

/** A copy of `a` (storage from the recycled-buffer free list when one is free). */
function copyOf(a: Float32Array): Float32Array {
  const out = allocFloat32(a.length, false);
  out.set(a);
  return out;
}

function expectBatched(op: string, name: string, x: Tensor): void {
  if (!x || !(x.shape && x.data)) throw opError(op, `${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.rank < 2) throw opError(op, `${name} must be rank ≥ 2 [N, …], got shape ${fmtShape(x.shape)}`);
}

/**
 * Flatten everything but the batch axis: [N, d1, d2, …] → [N, d1·d2·…] (PyTorch's nn.Flatten),
 * row-major, so a [N, C, H, W] activation becomes C·H·W features in channel-major order.
 * Returns a copy (ops never share storage with their inputs).
 */
export function flatten(x: Tensor): Tensor {
  expectBatched('flatten', 'x', x);
  const n = x.shape[0];
  const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
  return new Tensor(copyOf(x.data), [n, rest]);
}

/** ∂L/∂x is dy reshaped back to x's shape (flattening only renames positions). */
export function flattenBackward(dy: Tensor, x: Tensor): Tensor {
  const op = 'flattenBackward';
  expectBatched(op, 'x', x);
  const want = [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)];
  if (!dy || !(dy.shape && dy.data) || dy.rank !== 2 || dy.shape[0] !== want[0] || dy.shape[1] !== want[1]) {
    throw opError(op, `dy shape ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)} does not match the output shape ${fmtShape(want)} of x ${fmtShape(x.shape)}`);
  }
  return new Tensor(copyOf(dy.data), x.shape);
}

/** flatten in the op registry (input ['x'] [N, …] → [N, ∏…]). */
export const flattenSpecs: OpSpec[] = [
  {
    name: 'flatten',
    inputs: ['x'],
    forward: ([x]) => flatten(x),
    backward: (dy, [x]) => [flattenBackward(dy, x)],
    cases: [
      { name: 'x=[2,3,4,4]', shapes: [[2, 3, 4, 4]], attrs: {} },
      { name: 'x=[3,5]', shapes: [[3, 5]], attrs: {} },
      { name: 'x=[2,2,3]', shapes: [[2, 2, 3]], attrs: {} },
    ],
  },
];
