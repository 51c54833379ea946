/**
 * Pooling over [N, C, H, W], PyTorch semantics: max pooling (pool-max.ts), average and global
 * average pooling (pool-avg.ts), one plan for both (pool-plan.ts); and their registry entries.
 */
import type { Rng } from '../tensor/random';
import { Tensor, zeros } from '../tensor/tensor';
import { avgPool2d, avgPool2dBackward, globalAvgPool2d, globalAvgPool2dBackward } from './pool-avg';
import { maxPool2d, maxPool2dBackward } from './pool-max';
import type { AvgPool2dOptions, Pool2dOptions } from './pool-plan';
import type { Pair } from './shape';
import type { OpCase, OpSpec } from './spec';

export { avgPool2d, avgPool2dBackward, globalAvgPool2d, globalAvgPool2dBackward } from './pool-avg';
export { maxPool2d, maxPool2dBackward, maxPool2dWithIndices } from './pool-max';
export type { AvgPool2dOptions, Pool2dOptions } from './pool-plan';

// ---------------------------------------------------------------------------------------------
// Shape tables for the gradient checker and parity suites.

function fmtPair(v: Pair | undefined): string {
  return typeof v === 'number' || v === undefined ? String(v) : `[${v.join(',')}]`;
}

function poolCase<A extends AvgPool2dOptions>(x: number[], attrs: A): OpCase<A> {
  let name = `x=[${x.join(',')}] k=${fmtPair(attrs.kernelSize)}`;
  if (attrs.stride !== undefined) name += ` s=${fmtPair(attrs.stride)}`;
  if (attrs.padding !== undefined) name += ` p=${fmtPair(attrs.padding)}`;
  if (attrs.dilation !== undefined) name += ` d=${fmtPair(attrs.dilation)}`;
  if (attrs.ceilMode) name += ' ceil';
  if (attrs.countIncludePad === false) name += ' excludePad';
  return { name, shapes: [x], attrs };
}

/**
 * Distinct values spaced 0.05 apart in random order, so no window has a near-tie and a finite
 * difference step below 0.025 never changes which element wins.
 */
function distinctValues(c: OpCase<Pool2dOptions>, rng: Rng): Tensor[] {
  const x = zeros(c.shapes[0]);
  const order = rng.shuffle(Int32Array.from({ length: x.size }, (_, i) => i)) as Int32Array;
  for (let i = 0; i < x.size; i++) x.data[i] = (order[i] - x.size / 2) * 0.05;
  return [x];
}

/** maxPool2d, avgPool2d and globalAvgPool2d in the op registry (input ['x']). */
export const poolSpecs: OpSpec[] = [
  {
    name: 'maxPool2d',
    inputs: ['x'],
    forward: ([x], a: Pool2dOptions) => maxPool2d(x, a),
    backward: (dy, [x], a: Pool2dOptions) => [maxPool2dBackward(dy, x, a)],
    makeInputs: distinctValues,
    cases: [
      poolCase([1, 1, 4, 4], { kernelSize: 2 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
      poolCase([1, 2, 8, 6], { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0] }),
      poolCase([1, 2, 9, 9], { kernelSize: 3, stride: 2, dilation: 2, padding: 2 }),
      poolCase([2, 2, 6, 6], { kernelSize: 3, stride: 1 }),
      poolCase([1, 2, 5, 5], { kernelSize: 2, stride: 2, ceilMode: true }),
    ],
  },
  {
    name: 'avgPool2d',
    inputs: ['x'],
    forward: ([x], a: AvgPool2dOptions) => avgPool2d(x, a),
    backward: (dy, [x], a: AvgPool2dOptions) => [avgPool2dBackward(dy, x, a)],
    cases: [
      poolCase([1, 1, 4, 4], { kernelSize: 2 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
      poolCase([1, 2, 6, 6], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
      poolCase([1, 2, 6, 6], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      poolCase([1, 2, 8, 5], { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0] }),
    ],
  },
  {
    name: 'globalAvgPool2d',
    inputs: ['x'],
    forward: ([x]) => globalAvgPool2d(x),
    backward: (dy, [x]) => [globalAvgPool2dBackward(dy, x)],
    cases: [
      { name: 'x=[2,3,5,5]', shapes: [[2, 3, 5, 5]], attrs: {} },
      { name: 'x=[1,4,1,1]', shapes: [[1, 4, 1, 1]], attrs: {} },
    ],
  },
];
