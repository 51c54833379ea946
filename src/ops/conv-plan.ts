/**
 * conv2d's plan, shared by every engine (src/ops/conv2d-naive.ts, conv2d-js.ts and the wasm
 * kernels' glue, src/ops/wasm/conv.ts): argument validation, output size, and how the
 * im2col + GEMM engines cut the work (pointwise convs read x as its own cols matrix; bigger
 * images are unfolded a band of output rows at a time, under one workspace cap for both).
 *
 * Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], b [Cout] or null → y [N, Cout, Ho, Wo],
 *   Ho = ⌊(H + top + bottom − DH·(KH − 1) − 1) / SH⌋ + 1   (the lecture's (H − F + 2P)/S + 1).
 */
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import type { Tensor } from '../tensor/tensor';
import type { Impl } from './engine';
import type { ConvGeometry } from './im2col';
import { Pad4, Padding, Pair, outputSize, pair, resolvePadding } from './shape';

/** Options of every conv2d function. */
export interface Conv2dOptions {
  /** Step between windows: one number or [h, w] (default 1). */
  stride?: Pair;
  /** Zero padding: a number, [h, w], 'valid' (0) or 'same' (TensorFlow's rule; default 0). */
  padding?: Padding;
  /** Gap between kernel taps: one number or [h, w] (default 1). */
  dilation?: Pair;
  /** Channel groups: Cin and Cout must divide by it; groups = Cin is depthwise (default 1). */
  groups?: number;
  /** Force an engine for this call (default: `getOpsImpl()`); see src/ops/engine.ts. */
  impl?: Impl;
  /**
   * The algorithm of the wasm engine for a 3×3, stride-1, undilated, ungrouped conv: true forces
   * Winograd — the forward and dX (as the forward of the transposed conv) by F(2×2, 3×3) or
   * F(4×4, 3×3) (src/ops/wasm/asm/winograd.ts, winograd43.ts; which one is the engine picker's
   * rule `conv2dWinograd4x4`), dW by F(3×3, 2×2) — and false forbids it; default: the picker's
   * rules `conv2dWinograd` and `conv2dWinogradDw`.
   */
  winograd?: boolean;
}

/** Every key of `Conv2dOptions` (checked both ways at compile time); conv2dParams rejects others. */
export const CONV2D_OPTION_NAMES = optionNames<Conv2dOptions>()(['stride', 'padding', 'dilation', 'groups', 'impl', 'winograd']);

/** Every size of one conv call, validated and resolved once. */
export interface Conv2dParams {
  N: number;
  Cin: number;
  H: number;
  W: number;
  Cout: number;
  KH: number;
  KW: number;
  groups: number;
  /** Cin/groups and Cout/groups. */
  CinG: number;
  CoutG: number;
  stride: [number, number];
  dilation: [number, number];
  pad: Pad4;
  Ho: number;
  Wo: number;
}

const X_LAYOUT = '[N, C, H, W]';
const W_LAYOUT = '[Cout, Cin/groups, KH, KW]';

function checkRank4(op: string, name: string, shape: readonly number[], layout: string): void {
  if (!Array.isArray(shape) && !(shape && typeof (shape as readonly number[]).length === 'number')) {
    throw opError(op, `${name} must be a Tensor, got ${shape === null ? 'null' : typeof shape}`);
  }
  if (shape.length !== 4) throw opError(op, `${name} must be rank 4 ${layout}, got shape ${fmtShape(shape)}`);
}

function shapeOf(op: string, name: string, t: Tensor): readonly number[] {
  if (!t || !t.shape || !t.data) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  return t.shape;
}

/** Validate shapes and options and resolve every size (errors start with `op`). */
export function conv2dParams(op: string, xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): Conv2dParams {
  checkOptionNames(op, opts, CONV2D_OPTION_NAMES);
  checkRank4(op, 'x', xShape, X_LAYOUT);
  checkRank4(op, 'w', wShape, W_LAYOUT);
  const [N, Cin, H, W] = xShape;
  const [Cout, wCin, KH, KW] = wShape;
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw opError(op, `groups must be a positive integer, got ${groups}`);
  if (Cin % groups !== 0) throw opError(op, `groups = ${groups} must divide the input channels Cin = ${Cin} (x ${fmtShape(xShape)})`);
  if (Cout % groups !== 0) throw opError(op, `groups = ${groups} must divide the output channels Cout = ${Cout} (w ${fmtShape(wShape)})`);
  const CinG = Cin / groups;
  if (wCin !== CinG) {
    throw opError(op, `channel mismatch: x ${fmtShape(xShape)} has Cin = ${Cin}, so with groups = ${groups} w needs Cin/groups = ${CinG} in dimension 1, but w is ${fmtShape(wShape)}`);
  }
  const stride = pair(opts.stride, 1, op, 'stride');
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  const pad = resolvePadding(opts.padding, [H, W], [KH, KW], stride, dilation, op);
  const size = (axis: string, n: number, k: number, before: number, after: number, s: number, d: number): number => {
    try {
      return outputSize(n, k, [before, after], s, d);
    } catch (e) {
      const msg = (e as Error).message.replace(/^outputSize: /, '');
      throw opError(op, `along ${axis}, ${msg} (x ${fmtShape(xShape)}, w ${fmtShape(wShape)})`);
    }
  };
  const Ho = size('H', H, KH, pad.top, pad.bottom, stride[0], dilation[0]);
  const Wo = size('W', W, KW, pad.left, pad.right, stride[1], dilation[1]);
  if (!Number.isInteger(N) || N < 1) throw opError(op, `x ${fmtShape(xShape)} needs a batch size N ≥ 1`);
  return { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG: Cout / groups, stride, dilation, pad, Ho, Wo };
}

/** Output shape [N, Cout, Ho, Wo] of conv2d(x, w, …) without computing anything. */
export function conv2dOutputShape(xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): number[] {
  const p = conv2dParams('conv2dOutputShape', xShape, wShape, opts);
  return [p.N, p.Cout, p.Ho, p.Wo];
}

/** `conv2dParams` for a forward call on tensors, also checking b is [Cout] or null. */
export function conv2dForwardParams(op: string, x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions): Conv2dParams {
  const p = conv2dParams(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), opts);
  if (b !== null && b !== undefined) {
    const bs = shapeOf(op, 'b', b);
    if (bs.length !== 1 || bs[0] !== p.Cout) {
      throw opError(op, `b must have shape [Cout] = [${p.Cout}] for w ${fmtShape(w.shape)}, got ${fmtShape(bs)}`);
    }
  }
  return p;
}

/** `conv2dParams` for a backward call, also checking dy has the output shape [N, Cout, Ho, Wo]. */
export function conv2dBackwardParams(op: string, dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions): Conv2dParams {
  const p = conv2dParams(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), opts);
  const ys = [p.N, p.Cout, p.Ho, p.Wo];
  const ds = shapeOf(op, 'dy', dy);
  if (ds.length !== 4 || ds.some((d, i) => d !== ys[i])) {
    throw opError(op, `dy must have the output shape ${fmtShape(ys)} of conv2d(x ${fmtShape(x.shape)}, w ${fmtShape(w.shape)}), got ${fmtShape(ds)}`);
  }
  return p;
}

/**
 * Cap on one cols block, in floats (default 4M = 16 MB), for both im2col engines. Larger images
 * are unfolded a band of output rows at a time, so VGG-sized layers (224×224, K = 576: 29M
 * floats) do not need a 115 MB scratch buffer; GEMM efficiency is unchanged because its own
 * blocking is smaller.
 */
let workspaceLimit = 1 << 22;

/**
 * Set the cap on the cols block (floats, ≥ 1) of the JS and the wasm engine; returns the
 * previous cap. At least one output row is always unfolded.
 * @example const prev = setConv2dWorkspaceLimit(1 << 20); … setConv2dWorkspaceLimit(prev);
 */
export function setConv2dWorkspaceLimit(floats: number): number {
  if (!Number.isInteger(floats) || floats < 1) throw opError('setConv2dWorkspaceLimit', `floats must be a positive integer, got ${floats}`);
  const prev = workspaceLimit;
  workspaceLimit = floats;
  return prev;
}

/** The cap of `setConv2dWorkspaceLimit`, in floats. */
export function conv2dWorkspaceLimit(): number {
  return workspaceLimit;
}

/** Output rows per band so that a [K, rows·Wo] cols block stays under the cap (K = Cin/groups·KH·KW). */
export function rowsPerBand(K: number, Ho: number, Wo: number): number {
  return Math.max(1, Math.min(Ho, Math.floor(workspaceLimit / (K * Wo))));
}

/** A 1×1, stride-1, unpadded conv reads x as its own cols matrix (no copy needed). */
export function isPointwise(p: Conv2dParams): boolean {
  const { pad } = p;
  return p.KH === 1 && p.KW === 1 && p.stride[0] === 1 && p.stride[1] === 1 && pad.top === 0 && pad.bottom === 0 && pad.left === 0 && pad.right === 0;
}

/** The im2col geometry of one group of one image. */
export function convGeometry(p: Conv2dParams): ConvGeometry {
  return {
    C: p.CinG, H: p.H, W: p.W, KH: p.KH, KW: p.KW,
    strideH: p.stride[0], strideW: p.stride[1], dilationH: p.dilation[0], dilationW: p.dilation[1],
    pad: p.pad, Ho: p.Ho, Wo: p.Wo,
  };
}
