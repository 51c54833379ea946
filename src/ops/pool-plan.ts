/**
 * Pooling's plan, shared by max and average pooling and by every engine: options, validation
 * and output size.
 */
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import type { Tensor } from '../tensor/tensor';
import { expectRank, outputSize, pair, type Pair } from './shape';

/**
 * Pooling over [N, C, H, W], PyTorch semantics (nn.MaxPool2d / nn.AvgPool2d).
 *
 * Output size per axis: ⌊(H + 2P − D·(F − 1) − 1) / S⌋ + 1, or ⌈…⌉ + 1 under ceilMode (the last
 * window must still start inside the input or the left padding). Padding is implicit: −∞ for max,
 * zeros for avg, and at most half the (effective) kernel size, as PyTorch requires.
 */
export interface Pool2dOptions {
  /** Window size: one number or [h, w]. */
  kernelSize: Pair;
  /** Default: kernelSize (non-overlapping windows). */
  stride?: Pair;
  /** Implicit −∞ for max, zeros for avg; at most half the effective kernel size. */
  padding?: Pair;
  /** Gap between window taps (max pooling only). */
  dilation?: Pair;
  /** Round the output size up (PyTorch's ceil_mode); default false. */
  ceilMode?: boolean;
}

/** Options of average pooling: those of max pooling (no dilation) and the divisor rule. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the full window (padding included) rather than the real pixels. Default true. */
  countIncludePad?: boolean;
}

/** Every key of `Pool2dOptions` (max pooling; checked both ways at compile time). */
export const POOL2D_OPTION_NAMES = optionNames<Pool2dOptions>()(['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode']);
/** Every key of `AvgPool2dOptions` (dilation is named so that its own error explains it). */
export const AVG_POOL2D_OPTION_NAMES = optionNames<AvgPool2dOptions>()([...POOL2D_OPTION_NAMES, 'countIncludePad']);

/** Everything a pooling loop needs, validated once: sizes, kernel, stride, padding, dilation, output. */
export interface PoolGeometry {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number; sh: number; sw: number;
  ph: number; pw: number; dh: number; dw: number;
  oh: number; ow: number;
}

/**
 * Validate x [N, C, H, W] and the options and resolve every size (errors start with `op`);
 * dilation is rejected unless `allowDilation` (max pooling only).
 */
export function poolGeometry(op: string, x: Tensor, opts: Pool2dOptions, allowDilation: boolean): PoolGeometry {
  expectRank(op, 'x', x, 4, '[N, C, H, W]');
  checkOptionNames(op, opts, allowDilation ? POOL2D_OPTION_NAMES : AVG_POOL2D_OPTION_NAMES);
  if (!opts || opts.kernelSize === undefined) throw opError(op, 'opts.kernelSize is required');
  const [n, c, h, w] = x.shape;
  const [kh, kw] = pair(opts.kernelSize, 1, op, 'kernelSize');
  const [sh, sw] = pair(opts.stride ?? [kh, kw], 1, op, 'stride');
  const [ph, pw] = pair(opts.padding, 0, op, 'padding', 0);
  const [dh, dw] = pair(opts.dilation, 1, op, 'dilation');
  if (!allowDilation && (dh !== 1 || dw !== 1)) {
    throw opError(op, `dilation is only supported by maxPool2d, got ${JSON.stringify(opts.dilation)}`);
  }
  const ceilMode = opts.ceilMode ?? false;
  const axes = [
    ['H', h, kh, ph, dh],
    ['W', w, kw, pw, dw],
  ] as const;
  for (const [axis, size, k, p, d] of axes) {
    const eff = d * (k - 1) + 1;
    const effText = d > 1 ? ` (dilation ${d} → effective ${eff})` : '';
    if (p > Math.floor(eff / 2)) {
      throw opError(op, `padding ${p} along ${axis} must be at most half the kernel size ${k}${effText}, i.e. ≤ ${Math.floor(eff / 2)} (x ${fmtShape(x.shape)})`);
    }
    if (size + 2 * p < eff) {
      throw opError(op, `kernelSize ${k}${effText} is larger than the padded input ${size} + ${p} + ${p} = ${size + 2 * p} along ${axis} of x ${fmtShape(x.shape)}`);
    }
  }
  const oh = outputSize(h, kh, ph, sh, dh, ceilMode);
  const ow = outputSize(w, kw, pw, sw, dw, ceilMode);
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Check dy has the pooling output shape [N, C, OH, OW]. */
export function expectPoolDy(op: string, dy: Tensor, g: PoolGeometry): void {
  expectRank(op, 'dy', dy, 4, '[N, C, OH, OW]');
  const want = [g.n, g.c, g.oh, g.ow];
  if (dy.shape.some((d, i) => d !== want[i])) {
    throw opError(op, `dy shape ${fmtShape(dy.shape)} does not match the output shape ${fmtShape(want)}`);
  }
}
