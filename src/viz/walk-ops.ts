/**
 * The convolution / pooling / ReLU walkthroughs the course draws by hand, one frame per output
 * position. The numbers come from the ops themselves: the output grid is `conv2d` / `maxPool2d` /
 * `avgPool2d` / ReLU's own result, the grid size and padding come from the ops' shape functions
 * (`conv2dOutputShape`, `resolvePadding`, `pair`); a frame only lists which cells its window reads
 * (row i·S + a·D, column j·S + b·D) and, for conv, their products x·k, to write on the board.
 *
 *   convWalkthrough(x5, k3)                              // the lecture's 5×5 ⊛ 3×3 → 3×3, 9 frames
 *   poolWalkthrough(x4, { kernelSize: 2, mode: 'max' })  // 4×4 → 2×2, 4 frames
 */
import { tr } from '../display/locale';
import { relu } from '../ops/activations';
import { conv2d, conv2dOutputShape } from '../ops/conv2d';
import { avgPool2d, maxPool2d } from '../ops/pool';
import { pair, resolvePadding, type Pad4, type Padding, type Pair } from '../ops/shape';
import { fmtShape, opError } from '../tensor/errors';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor';
import { numberText, type WalkStep } from './walk-types';
import { Walkthrough } from './walkthrough';
import { checkOptionNames, optionNames } from '../tensor/options';

type Grid = Tensor | NestedArray;

/** Accept [H, W] or [1, 1, H, W] (tensor or nested arrays) and return it as a [1, 1, H, W] tensor. */
function plane(op: string, name: string, x: Grid): Tensor {
  const t = x instanceof Tensor ? x : tensor(x as NestedArray);
  const s = t.shape;
  if (!(s.length === 2 || (s.length === 4 && s[0] === 1 && s[1] === 1))) throw opError(op, `${name} must be [H, W] or [1, 1, H, W], got shape ${fmtShape(s)}`);
  const [h, w] = s.slice(-2);
  if (h < 1 || w < 1) throw opError(op, `${name} must not be empty, got shape ${fmtShape(s)}`);
  return t.reshape([1, 1, h, w]);
}

/** The rows of a [1, 1, H, W] tensor. */
function rows(t: Tensor): number[][] {
  const [h, w] = t.shape.slice(-2);
  return Array.from({ length: h }, (_, r) => Array.from(t.data.subarray(r * w, (r + 1) * w)));
}

/** The grid as shown: `value` around it (top/left/bottom/right as given). */
function padGrid(x: number[][], pad: Pad4, value: number): number[][] {
  const w = x[0].length;
  const blank = () => new Array<number>(pad.left + w + pad.right).fill(value);
  return [
    ...Array.from({ length: pad.top }, blank),
    ...x.map((row) => [...new Array<number>(pad.left).fill(value), ...row, ...new Array<number>(pad.right).fill(value)]),
    ...Array.from({ length: pad.bottom }, blank),
  ];
}

/** The padded-grid cells the window of output (i, j) reads, in kernel order. */
function windowTaps(i: number, j: number, window: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number]): [number, number][] {
  const taps: [number, number][] = [];
  for (let a = 0; a < window[0]; a++) for (let b = 0; b < window[1]; b++) taps.push([i * stride[0] + a * dilation[0], j * stride[1] + b * dilation[1]]);
  return taps;
}

function checkFrames(op: string, n: number, max: number): void {
  if (n > max) throw opError(op, `${n} frames (one per output cell) exceed maxFrames ${max}: use a smaller crop of the input, or raise maxFrames`);
}

/** The op's error under the walkthrough's name (the op's own words after its prefix). */
function asOp(op: string, what: string, e: unknown): Error {
  return opError(op, `${what}${(e as Error).message.replace(/^[\w.]+: /, '')}`);
}

function padText(pad: Pad4): string {
  return pad.top === pad.bottom && pad.left === pad.right ? `${pad.top}×${pad.left}` : `${pad.top},${pad.bottom},${pad.left},${pad.right}`;
}

/** Options of `convWalkthrough` (as conv2d's, for one channel). */
export interface ConvWalkOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  /** Added to every sum (default 0). */
  bias?: number;
  /** Decimals for non-integers (default 2). */
  precision?: number;
  /** Refuse to build more frames than this (default 144). */
  maxFrames?: number;
}

/** Every key of `ConvWalkOptions` (checked both ways at compile time). */
export const CONV_WALK_OPTION_NAMES = optionNames<ConvWalkOptions>()(['stride', 'padding', 'dilation', 'bias', 'precision', 'maxFrames']);

/**
 * Convolution walkthrough of x [H, W] (or [1, 1, H, W]) with kernel k [KH, KW]: one frame per
 * output cell, y[i, j] = b + Σ_a Σ_b xpad[i·S + a·D, j·S + b·D] · k[a, b] (cross-correlation, as
 * conv2d). The lecture example (5×5 input, 3×3 X-shaped kernel, stride 1) gives 9 frames and the
 * output [[4,3,4],[2,4,3],[2,3,4]].
 */
export function convWalkthrough(x: Grid, k: Grid, opts: ConvWalkOptions = {}): Walkthrough {
  checkOptionNames('convWalkthrough', opts, CONV_WALK_OPTION_NAMES);
  const op = 'convWalkthrough';
  const xt = plane(op, 'x', x);
  const kt = plane(op, 'k', k);
  const [h, w] = xt.shape.slice(2);
  const [kh, kw] = kt.shape.slice(2);
  const convOpts = { stride: opts.stride, padding: opts.padding, dilation: opts.dilation };
  let oh: number;
  let ow: number;
  try {
    [, , oh, ow] = conv2dOutputShape(xt.shape, kt.shape, convOpts);
  } catch (e) {
    throw asOp(op, `x [${h}, ${w}] and k [${kh}, ${kw}] do not fit: `, e);
  }
  const stride = pair(opts.stride, 1, op, 'stride');
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  const pad = resolvePadding(opts.padding, [h, w], [kh, kw], stride, dilation, op);
  checkFrames(op, oh * ow, opts.maxFrames ?? 144);
  const bias = opts.bias ?? 0;
  const output = rows(conv2d(xt, kt, tensor([bias]), convOpts));
  const xp = padGrid(rows(xt), pad, 0);
  const ks = rows(kt).flat();
  const precision = opts.precision ?? 2;
  const f = (v: number) => numberText(v, precision);
  const steps: WalkStep[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const taps = windowTaps(i, j, [kh, kw], stride, dilation);
      const values = taps.map(([r, c]) => xp[r][c]);
      // The products written on the board, in float32 as the op multiplies.
      const terms = values.map((v, t) => Math.fround(v * ks[t]));
      const result = output[i][j];
      const sum = terms.map((t) => (t < 0 ? `(${f(t)})` : f(t))).join(' + ');
      steps.push({ out: [i, j], taps, values, terms, result, equation: `${sum}${bias ? ` + ${f(bias)}` : ''} = ${f(result)}` });
    }
  }
  const settings = tr({
    en: `stride ${stride.join('×')}, padding ${padText(pad)}, dilation ${dilation.join('×')}`,
    zh: `步长 ${stride.join('×')}，填充 ${padText(pad)}，膨胀 ${dilation.join('×')}`,
  });
  const title = tr({ en: `conv2d: x ${h}×${w} ⊛ k ${kh}×${kw} (${settings}) → ${oh}×${ow}`, zh: `卷积 conv2d：x ${h}×${w} ⊛ 卷积核 ${kh}×${kw}（${settings}）→ ${oh}×${ow}` });
  return new Walkthrough('conv', title, xp, pad, rows(kt), [kh, kw], output, steps, precision);
}

/** Options of `poolWalkthrough` (as maxPool2d / avgPool2d, for one channel). */
export interface PoolWalkOptions {
  kernelSize: Pair;
  /** Default: kernelSize. */
  stride?: Pair;
  /** Implicit −∞ (max) or 0 (avg); at most half the kernel size, as PyTorch requires. */
  padding?: Pair;
  /** Max pooling only. */
  dilation?: Pair;
  /** Ceil instead of floor for the output size (the last window may hang over the edge). */
  ceilMode?: boolean;
  mode?: 'max' | 'avg';
  /** Avg pooling: divide by the full window including padding (default true, PyTorch). */
  countIncludePad?: boolean;
  precision?: number;
  maxFrames?: number;
}

/** Every key of `PoolWalkOptions` (checked both ways at compile time). */
export const POOL_WALK_OPTION_NAMES = optionNames<PoolWalkOptions>()(['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'mode', 'countIncludePad', 'precision', 'maxFrames']);

/** Max or average pooling walkthrough of x [H, W] (or [1, 1, H, W]): one frame per output cell. */
export function poolWalkthrough(x: Grid, opts: PoolWalkOptions): Walkthrough {
  checkOptionNames('poolWalkthrough', opts, POOL_WALK_OPTION_NAMES);
  const op = 'poolWalkthrough';
  if (!opts || opts.kernelSize === undefined) throw opError(op, 'opts.kernelSize is required');
  const mode = opts.mode ?? 'max';
  if (mode !== 'max' && mode !== 'avg') throw opError(op, `mode must be 'max' or 'avg', got ${JSON.stringify(mode)}`);
  const xt = plane(op, 'x', x);
  const [h, w] = xt.shape.slice(2);
  const poolOpts = { kernelSize: opts.kernelSize, stride: opts.stride, padding: opts.padding, dilation: opts.dilation, ceilMode: opts.ceilMode };
  let y: Tensor;
  try {
    y = mode === 'max' ? maxPool2d(xt, poolOpts) : avgPool2d(xt, { ...poolOpts, countIncludePad: opts.countIncludePad });
  } catch (e) {
    throw asOp(op, '', e);
  }
  const output = rows(y);
  const [oh, ow] = y.shape.slice(2);
  checkFrames(op, oh * ow, opts.maxFrames ?? 144);
  const win = pair(opts.kernelSize, 1, op, 'kernelSize');
  const stride = pair(opts.stride ?? win, 1, op, 'stride');
  const [ph, pw] = pair(opts.padding, 0, op, 'padding', 0);
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  // Ceil mode: the last window may reach past the padding; those cells are shown as padding too.
  const last = windowTaps(oh - 1, ow - 1, win, stride, dilation).pop()!;
  const pad: Pad4 = { top: ph, left: pw, bottom: Math.max(ph, last[0] + 1 - h - ph), right: Math.max(pw, last[1] + 1 - w - pw) };
  const xp = padGrid(rows(xt), pad, mode === 'max' ? -Infinity : 0);
  const precision = opts.precision ?? 2;
  const f = (v: number) => numberText(v, precision);
  const includePad = opts.countIncludePad ?? true;
  const steps: WalkStep[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const taps = windowTaps(i, j, win, stride, dilation);
      const values = taps.map(([r, c]) => xp[r][c]);
      const result = output[i][j];
      let equation: string;
      if (mode === 'max') equation = `max(${values.map(f).join(', ')}) = ${f(result)}`;
      else {
        // PyTorch's divisor: the taps inside the padded input (countIncludePad) or inside x itself.
        const counted = taps.filter(([r, c]) => (includePad ? r < h + 2 * ph && c < w + 2 * pw : r >= ph && r < ph + h && c >= pw && c < pw + w)).length;
        equation = `(${values.map(f).join(' + ')}) / ${counted} = ${f(result)}`;
      }
      steps.push({ out: [i, j], taps, values, terms: values.slice(), result, equation });
    }
  }
  const settings = tr({
    en: `stride ${stride.join('×')}, padding ${ph}×${pw}${mode === 'max' ? `, dilation ${dilation.join('×')}` : ''}${opts.ceilMode ? ', ceil mode' : ''}`,
    zh: `步长 ${stride.join('×')}，填充 ${ph}×${pw}${mode === 'max' ? `，膨胀 ${dilation.join('×')}` : ''}${opts.ceilMode ? '，向上取整' : ''}`,
  });
  const title = tr({
    en: `${mode}Pool2d: x ${h}×${w}, window ${win[0]}×${win[1]} (${settings}) → ${oh}×${ow}`,
    zh: `${mode === 'max' ? '最大' : '平均'}池化 ${mode}Pool2d：x ${h}×${w}，池化窗口 ${win[0]}×${win[1]}（${settings}）→ ${oh}×${ow}`,
  });
  return new Walkthrough(mode === 'max' ? 'maxpool' : 'avgpool', title, xp, pad, null, win, output, steps, precision);
}

/** ReLU walkthrough of x [H, W] (or [1, 1, H, W]): one frame per cell, y = max(0, x). */
export function reluWalkthrough(x: Grid, opts: { precision?: number; maxFrames?: number } = {}): Walkthrough {
  checkOptionNames('reluWalkthrough', opts, ['precision', 'maxFrames']);
  const op = 'reluWalkthrough';
  const xt = plane(op, 'x', x);
  const [h, w] = xt.shape.slice(2);
  checkFrames(op, h * w, opts.maxFrames ?? 144);
  const precision = opts.precision ?? 2;
  const f = (v: number) => numberText(v, precision);
  const xs = rows(xt);
  const output = rows(relu(xt));
  const steps: WalkStep[] = [];
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = xs[i][j];
      steps.push({ out: [i, j], taps: [[i, j]], values: [v], terms: [v], result: output[i][j], equation: `max(0, ${f(v)}) = ${f(output[i][j])}` });
    }
  }
  const title = tr({ en: `ReLU: y = max(0, x) on ${h}×${w}`, zh: `ReLU：y = max(0, x)，输入 ${h}×${w}` });
  return new Walkthrough('relu', title, xs, { top: 0, bottom: 0, left: 0, right: 0 }, null, [1, 1], output, steps, precision);
}
