import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';

/** A spatial option: one number for both axes, or `[h, w]`. */
export type Pair = number | readonly [number, number];

/** Padding for conv/pool: a number, `[h, w]`, `'valid'` (0) or `'same'` (TensorFlow's rule). */
export type Padding = Pair | 'valid' | 'same';

/** Resolved padding: top/bottom/left/right may differ under 'same' with stride > 1. */
export interface Pad4 {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Expand a `Pair` to `[h, w]`, checking it is an integer ≥ min. */
export function pair(v: Pair | undefined, fallback: number, op: string, name: string, min = 1): [number, number] {
  const p: readonly [number, number] = v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) && typeof v !== 'number' && v !== undefined) {
    throw opError(op, `${name} must be a number or [h, w], got ${JSON.stringify(v)}`);
  }
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw opError(op, `${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or [h, w] of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

/**
 * Output size along one axis: ⌊(H + 2P − D·(F − 1) − 1) / S⌋ + 1, which is the lecture's
 * (H − F + 2P)/S + 1 when dilation D = 1. Throws when the kernel does not fit.
 * `padding` may be a single number (both sides) or `[before, after]`.
 */
export function outputSize(
  inSize: number,
  kernel: number,
  padding: number | readonly [number, number] = 0,
  stride = 1,
  dilation = 1,
  ceilMode = false,
): number {
  const [pb, pa] = typeof padding === 'number' ? [padding, padding] : padding;
  for (const [name, v, min] of [['inSize', inSize, 1], ['kernel', kernel, 1], ['stride', stride, 1], ['dilation', dilation, 1], ['padding', pb, 0], ['padding', pa, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw opError('outputSize', `${name} must be an integer ≥ ${min}, got ${v}`);
  }
  const effective = dilation * (kernel - 1) + 1;
  const span = inSize + pb + pa - effective;
  if (span < 0) {
    throw opError('outputSize', `kernel ${kernel}${dilation > 1 ? ` (dilation ${dilation} → effective ${effective})` : ''} is larger than the padded input ${inSize} + ${pb} + ${pa} = ${inSize + pb + pa}`);
  }
  let out = Math.floor(span / stride) + 1;
  if (ceilMode) {
    out = Math.ceil(span / stride) + 1;
    // PyTorch: the last window must start inside the input or left padding.
    if ((out - 1) * stride >= inSize + pb) out -= 1;
  }
  return out;
}

/**
 * Resolve a padding option for one 2-D op. 'same' follows TensorFlow: output = ⌈in / stride⌉,
 * total padding max((out − 1)·S + D·(F − 1) + 1 − in, 0), the extra pixel at bottom/right.
 */
export function resolvePadding(
  padding: Padding | undefined,
  inHW: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  op: string,
): Pad4 {
  if (padding === 'valid' || padding === undefined) return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === 'same') {
    const total = (i: 0 | 1) => {
      const out = Math.ceil(inHW[i] / stride[i]);
      return Math.max((out - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 - inHW[i], 0);
    };
    const th = total(0);
    const tw = total(1);
    return { top: Math.floor(th / 2), bottom: th - Math.floor(th / 2), left: Math.floor(tw / 2), right: tw - Math.floor(tw / 2) };
  }
  if (typeof padding === 'string') throw opError(op, `padding must be a number, [h, w], 'valid' or 'same', got '${padding}'`);
  const [ph, pw] = pair(padding, 0, op, 'padding', 0);
  return { top: ph, bottom: ph, left: pw, right: pw };
}

/** Throw unless `x` has the given rank; `layout` names the axes for the message. */
export function expectRank(op: string, name: string, x: Tensor, rank: number, layout: string): void {
  if (!x || !(x.shape && x.data)) throw opError(op, `${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.rank !== rank) throw opError(op, `${name} must be rank ${rank} ${layout}, got shape ${fmtShape(x.shape)}`);
}

/** Throw unless two tensors have the same shape. */
export function expectSameShape(op: string, aName: string, a: Tensor, bName: string, b: Tensor): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw opError(op, `${aName} ${fmtShape(a.shape)} and ${bName} ${fmtShape(b.shape)} must have the same shape`);
  }
}
