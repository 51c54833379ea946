/**
 * 2-D convolution (cross-correlation, as PyTorch and TensorFlow compute it), forward and backward.
 *
 * Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], b [Cout] or null → y [N, Cout, Ho, Wo],
 *   Ho = ⌊(H + top + bottom − DH·(KH − 1) − 1) / SH⌋ + 1   (the lecture's (H − F + 2P)/S + 1),
 * and output channel co belongs to group g = ⌊co / (Cout/groups)⌋, which sees input channels
 * g·Cin_g … g·Cin_g + Cin_g − 1 (Cin_g = Cin/groups; depthwise conv is groups = Cin).
 *
 * Forward:   y[n,co,i,j] = b[co] + Σ_{ci,p,q} x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] · w[co,ci,p,q]
 * Backward (each product in that sum hands dy[n,co,i,j] back to both of its factors):
 *   dx[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] += dy[n,co,i,j] · w[co,ci,p,q]
 *   dw[co,ci,p,q]                           += dy[n,co,i,j] · x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D]
 *   db[co]                                  += dy[n,co,i,j]
 *
 * The functions here ask the engine picker (src/ops/engine.ts) and run one of three engines of
 * the same formulas: the loops above (conv2d-naive.ts), im2col + plain-JS GEMM (conv2d-js.ts),
 * and the WebAssembly SIMD kernels (conv2d-wasm.ts); all three share one plan (conv-plan.ts).
 */
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames } from '../tensor/options';
import { Tensor } from '../tensor/tensor';
import { Conv2dOptions, conv2dParams } from './conv-plan';
import { conv2dBackwardFast, conv2dFast, conv2dGradInputFast, conv2dGradWeightFast } from './conv2d-js';
import { conv2dBackwardNaive, conv2dBiasGradLoops, conv2dGradInputNaive, conv2dGradWeightNaive, conv2dNaive } from './conv2d-naive';
import { conv2dBackwardWasm, conv2dGradBiasWasm, conv2dGradInputWasm, conv2dGradWeightWasm, conv2dWasm } from './conv2d-wasm';
import { engineGemm, pickEngine, type Engine, type Impl } from './engine';
import type { Padding, Pair } from './shape';
import type { OpCase, OpSpec } from './spec';

export { conv2dOutputShape, conv2dParams, setConv2dWorkspaceLimit } from './conv-plan';
export type { Conv2dOptions, Conv2dParams } from './conv-plan';

/** `winograd: true` only where the wasm engine runs (the other engines have no Winograd kernels). */
export function checkWinogradEngine(op: string, engine: Engine, opts: Conv2dOptions): void {
  if (opts.winograd === true && engine !== 'wasm') throw opError(op, `winograd: true needs the wasm engine, but this call runs '${engine}' (impl ${JSON.stringify(opts.impl ?? 'default')})`);
}

/**
 * y = conv2d(x, w, b): x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], b [Cout] | null →
 * y [N, Cout, Ho, Wo] (see the file comment for the formula).
 * @example
 * // 1×1×3×3 image ⊛ 2×2 kernel of ones = the sums of each 2×2 window
 * conv2d(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]).reshape([1, 1, 3, 3]), ones([1, 1, 2, 2]), null) // [[[[12, 16], [24, 28]]]]
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const engine = pickEngine('conv2d', opts.impl);
  checkWinogradEngine('conv2d', engine, opts);
  if (engine === 'naive') return conv2dNaive(x, w, b, opts);
  return engine === 'wasm' ? conv2dWasm(x, w, b, opts) : conv2dFast(x, w, b, opts, engineGemm(engine));
}

/**
 * Gradients of L with respect to x, w and b, given dy = dL/dy [N, Cout, Ho, Wo]:
 * dx [N, Cin, H, W], dw [Cout, Cin/groups, KH, KW], db [Cout] (formulas in the file comment).
 */
export function conv2dBackward(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const engine = pickEngine('conv2dBackward', opts.impl);
  checkWinogradEngine('conv2dBackward', engine, opts);
  if (engine === 'naive') return conv2dBackwardNaive(dy, x, w, opts);
  return engine === 'wasm' ? conv2dBackwardWasm(dy, x, w, opts) : conv2dBackwardFast(dy, x, w, opts, engineGemm(engine));
}

/** dL/dx [N, Cin, H, W] only (a frozen layer needs no dw). */
export function conv2dGradInput(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const engine = pickEngine('conv2dBackward', opts.impl);
  checkWinogradEngine('conv2dBackward', engine, opts);
  if (engine === 'naive') return conv2dGradInputNaive(dy, x, w, opts);
  return engine === 'wasm' ? conv2dGradInputWasm(dy, x, w, opts) : conv2dGradInputFast(dy, x, w, opts, engineGemm(engine));
}

/** dL/dw [Cout, Cin/groups, KH, KW] only (a first layer needs no dx). */
export function conv2dGradWeight(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const engine = pickEngine('conv2dBackward', opts.impl);
  if (engine === 'naive') return conv2dGradWeightNaive(dy, x, w, opts);
  return engine === 'wasm' ? conv2dGradWeightWasm(dy, x, w, opts) : conv2dGradWeightFast(dy, x, w, opts, engineGemm(engine));
}

/**
 * dL/db[co] = Σ_{n,h,w} dy[n, co, h, w] alone (a layer that needs no dX: Conv2d.backwardParams),
 * summed exactly as the same engine's conv2dBackward sums it, so both give the same bits.
 */
export function conv2dGradBias(dy: Tensor, opts: { impl?: Impl } = {}): Tensor {
  checkOptionNames('conv2dGradBias', opts, ['impl']);
  if (!dy || !dy.shape || dy.rank !== 4) throw opError('conv2dGradBias', `dy must have rank 4 [N, Cout, Ho, Wo], got ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)}`);
  const [N, Cout, Ho, Wo] = dy.shape;
  return pickEngine('conv2dGradBias', opts.impl) === 'wasm' ? conv2dGradBiasWasm(dy) : conv2dBiasGradLoops(dy, N, Cout, Ho * Wo);
}

/**
 * Forward multiply-adds × 2: 2·N·Cout·Ho·Wo·(Cin/groups)·KH·KW (dx and dw each cost the same).
 * @example conv2dFlops([1, 1, 28, 28], [6, 1, 5, 5]) // 2·6·24·24·25 = 172800
 */
export function conv2dFlops(xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): number {
  const p = conv2dParams('conv2dFlops', xShape, wShape, opts);
  return 2 * p.N * p.Cout * p.Ho * p.Wo * p.CinG * p.KH * p.KW;
}

// ─── registry entry ───────────────────────────────────────────────────────────────────────

function fmtAttr(v: Pair | Padding): string {
  return Array.isArray(v) ? `[${v.join(',')}]` : String(v);
}

/** `x=[2,3,7,7] w=[4,3,3,3] s=2 p=same` — the case name is generated from what it runs. */
function convCase(x: number[], w: number[], attrs: Omit<Conv2dOptions, 'impl'> = {}, bias = true): OpCase<Conv2dOptions> {
  const parts = [`x=[${x.join(',')}]`, `w=[${w.join(',')}]`];
  if (!bias) parts.push('b=null');
  if (attrs.stride !== undefined) parts.push(`s=${fmtAttr(attrs.stride)}`);
  if (attrs.padding !== undefined) parts.push(`p=${fmtAttr(attrs.padding)}`);
  if (attrs.dilation !== undefined) parts.push(`d=${fmtAttr(attrs.dilation)}`);
  if (attrs.groups !== undefined) parts.push(`g=${attrs.groups}`);
  return { name: parts.join(' '), shapes: bias ? [x, w, [w[0]]] : [x, w], attrs };
}

/**
 * conv2d in the op registry. Inputs ['x', 'w', 'b']; a case with only two shapes runs with
 * b = null (and its backward returns [dx, dw]).
 */
export const conv2dSpecs: OpSpec<Conv2dOptions>[] = [
  {
    name: 'conv2d',
    inputs: ['x', 'w', 'b'],
    forward: (inputs, attrs) => conv2d(inputs[0], inputs[1], inputs[2] ?? null, attrs),
    backward: (dy, inputs, attrs) => {
      const { dx, dw, db } = conv2dBackward(dy, inputs[0], inputs[1], attrs);
      return inputs.length > 2 && inputs[2] ? [dx, dw, db] : [dx, dw];
    },
    cases: [
      convCase([2, 3, 7, 7], [4, 3, 3, 3]),
      convCase([2, 3, 7, 7], [4, 3, 3, 3], { padding: 1 }),
      convCase([1, 2, 7, 7], [3, 2, 3, 3], { stride: 2 }),
      convCase([1, 2, 8, 7], [3, 2, 3, 3], { stride: 2, padding: 1 }),
      convCase([1, 2, 7, 8], [2, 2, 3, 2], { stride: [2, 1], padding: [1, 2] }),
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { padding: 'valid' }),
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { padding: 'same' }),
      convCase([1, 2, 6, 5], [2, 2, 2, 2], { padding: 'same' }), // even kernel: extra pixel bottom/right
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { stride: 2, padding: 'same' }), // total pad 1: asymmetric
      convCase([1, 2, 7, 7], [2, 2, 3, 3], { stride: 2, padding: 'same' }), // total pad 2: symmetric
      convCase([1, 2, 7, 5], [2, 2, 4, 2], { stride: 2, padding: 'same' }),
      convCase([1, 2, 7, 7], [2, 2, 3, 3], { dilation: 2 }),
      convCase([1, 2, 6, 7], [2, 2, 3, 2], { dilation: 2, padding: 'same' }),
      convCase([1, 4, 5, 5], [4, 2, 3, 3], { padding: 1, groups: 2 }),
      convCase([1, 3, 5, 5], [3, 1, 3, 3], { padding: 1, groups: 3 }), // depthwise
      convCase([1, 2, 5, 5], [4, 1, 3, 3], { groups: 2 }), // depthwise, channel multiplier 2
      convCase([1, 2, 5, 5], [3, 2, 3, 3], {}, false),
      convCase([1, 2, 5, 8], [3, 2, 2, 3]),
      convCase([2, 3, 4, 4], [5, 3, 1, 1]),
      convCase([1, 3, 5, 5], [2, 3, 1, 1], { stride: 2 }),
    ],
  },
];
