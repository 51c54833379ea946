/**
 * Nearest-neighbour upsampling (增维: the lecture's layer that adds spatial resolution back, for
 * image generation and detection): every input pixel becomes an sH×sW block of copies.
 *
 *   x [N, C, H, W] → y [N, C, H·sH, W·sW],   y[n, c, i, j] = x[n, c, ⌊i/sH⌋, ⌊j/sW⌋]
 *   dL/dx[n, c, h, w] = Σ_{a<sH, b<sW} dy[n, c, h·sH + a, w·sW + b]   (each copy hands its gradient back)
 *
 * This is PyTorch's `nn.Upsample(scale_factor=s, mode='nearest')` and TensorFlow's
 * `resizeNearestNeighbor` at an integer scale.
 */
import { fmtShape, opError } from '../tensor/errors';
import { Tensor, zeros } from '../tensor/tensor';
import { Pair, pair } from './shape';
import type { OpSpec } from './spec';

function geometry(op: string, shape: readonly number[], scale: Pair): { N: number; C: number; H: number; W: number; sH: number; sW: number } {
  if (shape.length !== 4) throw opError(op, `x must be rank 4 [N, C, H, W], got shape ${fmtShape(shape)}`);
  const [sH, sW] = pair(scale, 2, op, 'scale');
  const [N, C, H, W] = shape;
  return { N, C, H, W, sH, sW };
}

function expectTensor(op: string, name: string, t: Tensor): void {
  if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
}

/** Output shape [N, C, H·sH, W·sW] of `upsample2d`. */
export function upsample2dOutputShape(xShape: readonly number[], scale: Pair = 2): number[] {
  const { N, C, H, W, sH, sW } = geometry('upsample2d', xShape, scale);
  return [N, C, H * sH, W * sW];
}

/** Nearest-neighbour upsampling by an integer `scale` (default 2): each pixel → an sH×sW block. */
export function upsample2d(x: Tensor, scale: Pair = 2): Tensor {
  expectTensor('upsample2d', 'x', x);
  const { N, C, H, W, sH, sW } = geometry('upsample2d', x.shape, scale);
  const Ho = H * sH;
  const Wo = W * sW;
  const y = zeros([N, C, Ho, Wo]);
  for (let p = 0; p < N * C; p++) {
    for (let i = 0; i < Ho; i++) {
      const src = (p * H + Math.floor(i / sH)) * W;
      const dst = (p * Ho + i) * Wo;
      for (let j = 0; j < Wo; j++) y.data[dst + j] = x.data[src + Math.floor(j / sW)];
    }
  }
  return y;
}

/** dL/dx of `upsample2d`: the sum of dy over each pixel's block. `x` may be the input's shape. */
export function upsample2dBackward(dy: Tensor, x: Tensor | readonly number[], scale: Pair = 2): Tensor {
  const op = 'upsample2dBackward';
  const shape = Array.isArray(x) ? (x as readonly number[]) : (x as Tensor).shape;
  expectTensor(op, 'dy', dy);
  const { N, C, H, W, sH, sW } = geometry(op, shape, scale);
  const Ho = H * sH;
  const Wo = W * sW;
  const want = [N, C, Ho, Wo];
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== want[i])) throw opError(op, `dy must have the output shape ${fmtShape(want)}, got ${fmtShape(dy.shape)}`);
  const dx = zeros(shape);
  for (let p = 0; p < N * C; p++) {
    for (let i = 0; i < Ho; i++) {
      const to = (p * H + Math.floor(i / sH)) * W;
      const from = (p * Ho + i) * Wo;
      for (let j = 0; j < Wo; j++) dx.data[to + Math.floor(j / sW)] += dy.data[from + j];
    }
  }
  return dx;
}

/** upsample2d in the op registry. */
export const upsampleSpecs: OpSpec<{ scale: Pair }>[] = [
  {
    name: 'upsample2d',
    inputs: ['x'],
    forward: ([x], a) => upsample2d(x, a.scale),
    backward: (dy, [x], a) => [upsample2dBackward(dy, x, a.scale)],
    cases: [
      { name: 'x=[2,3,3,4] scale=2', shapes: [[2, 3, 3, 4]], attrs: { scale: 2 } },
      { name: 'x=[1,2,2,3] scale=[3,2]', shapes: [[1, 2, 2, 3]], attrs: { scale: [3, 2] } },
    ],
  },
];
