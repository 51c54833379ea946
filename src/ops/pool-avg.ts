/**
 * Average pooling over [N, C, H, W] (PyTorch's nn.AvgPool2d, nn.AdaptiveAvgPool2d(1)), forward
 * and backward: y = Σ window / divisor, and each dy spread evenly back over its window.
 */
import { fmtShape, opError } from '../tensor/errors';
import { Tensor, zeros } from '../tensor/tensor';
import { type AvgPool2dOptions, expectPoolDy, poolGeometry } from './pool-plan';
import { expectRank } from './shape';

/**
 * The divisor of each avg-pool window, PyTorch's rule: the window is first clipped to the padded
 * input (so a ceilMode window hanging past the padding is not charged for that part); with
 * countIncludePad it divides by that size, otherwise by the number of real pixels.
 */
function avgWindow(start: number, k: number, size: number, pad: number): [lo: number, hi: number, padded: number] {
  const end = Math.min(start + k, size + pad);
  const padded = end - start;
  return [Math.max(start, 0), Math.min(end, size), padded];
}

/** Average pooling: y = Σ window / divisor (see countIncludePad and ceilMode notes above). */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor {
  const op = 'avgPool2d';
  const g = poolGeometry(op, x, opts, false);
  const includePad = opts.countIncludePad ?? true;
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const y = zeros([n, c, oh, ow]);
  const xd = x.data;
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, padH] = avgWindow(oy * sh - ph, kh, h, ph);
      for (let ox = 0; ox < ow; ox++, o++) {
        const [x0, x1, padW] = avgWindow(ox * sw - pw, kw, w, pw);
        let sum = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) sum += xd[base + iy * w + ix];
        y.data[o] = sum / (includePad ? padH * padW : (y1 - y0) * (x1 - x0));
      }
    }
  }
  return y;
}

/** ∂L/∂x of average pooling: each dy is spread evenly (dy / divisor) over its window's pixels. */
export function avgPool2dBackward(dy: Tensor, x: Tensor, opts: AvgPool2dOptions): Tensor {
  const op = 'avgPool2dBackward';
  const g = poolGeometry(op, x, opts, false);
  expectPoolDy(op, dy, g);
  const includePad = opts.countIncludePad ?? true;
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const dx = zeros(x.shape);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, padH] = avgWindow(oy * sh - ph, kh, h, ph);
      for (let ox = 0; ox < ow; ox++, o++) {
        const [x0, x1, padW] = avgWindow(ox * sw - pw, kw, w, pw);
        const share = dy.data[o] / (includePad ? padH * padW : (y1 - y0) * (x1 - x0));
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) dx.data[base + iy * w + ix] += share;
      }
    }
  }
  return dx;
}

/** Global average pooling: [N, C, H, W] → [N, C, 1, 1], the mean of each channel plane. */
export function globalAvgPool2d(x: Tensor): Tensor {
  expectRank('globalAvgPool2d', 'x', x, 4, '[N, C, H, W]');
  const [n, c, h, w] = x.shape;
  const hw = h * w;
  if (hw === 0) throw opError('globalAvgPool2d', `x ${fmtShape(x.shape)} has an empty H×W plane`);
  const y = zeros([n, c, 1, 1]);
  for (let p = 0; p < n * c; p++) {
    let sum = 0;
    for (let i = 0; i < hw; i++) sum += x.data[p * hw + i];
    y.data[p] = sum / hw;
  }
  return y;
}

/** ∂L/∂x of global average pooling: dx[n, c, i, j] = dy[n, c] / (H·W). */
export function globalAvgPool2dBackward(dy: Tensor, x: Tensor): Tensor {
  const op = 'globalAvgPool2dBackward';
  expectRank(op, 'x', x, 4, '[N, C, H, W]');
  const [n, c, h, w] = x.shape;
  if (dy.rank !== 4 || dy.shape[0] !== n || dy.shape[1] !== c || dy.shape[2] !== 1 || dy.shape[3] !== 1) {
    throw opError(op, `dy shape ${fmtShape(dy.shape)} does not match the output shape ${fmtShape([n, c, 1, 1])}`);
  }
  const hw = h * w;
  const dx = zeros(x.shape);
  for (let p = 0; p < n * c; p++) dx.data.fill(dy.data[p] / hw, p * hw, (p + 1) * hw);
  return dx;
}
