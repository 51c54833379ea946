/**
 * conv2d's `'wasm'` engine on tensors: the same im2col + GEMM plan (src/ops/conv-plan.ts) with
 * the operands kept in WebAssembly memory and the per-image loops in wasm (src/ops/wasm/conv.ts).
 * Each function throws when the kernels are not loaded; `conv2d` only calls them when the engine
 * picker chose `'wasm'`.
 */
import { opError } from '../tensor/errors';
import { Tensor } from '../tensor/tensor';
import { Conv2dOptions, Conv2dParams, conv2dBackwardParams, conv2dForwardParams } from './conv-plan';
import { pickEngine } from './engine';
import { convBackwardInWasm, convForwardInWasm, convGradBiasInWasm, convGradInputInWasm, convGradWeightInWasm, winogradEligible } from './wasm/conv';

/**
 * Whether this forward, or the dX of this backward, runs Winograd F(2×2, 3×3): `opts.winograd`
 * when given (true on a conv it cannot run is an error naming why), else the picker's rule
 * `conv2dWinograd` on N·Ho·Wo output pixels per channel and min(Cin, Cout) channels (dX is the
 * forward of a conv with in and out swapped: the same channels, and N·H·W ≈ N·Ho·Wo pixels).
 */
export function conv2dUsesWinograd(p: Conv2dParams, opts: Conv2dOptions, op = 'conv2d'): boolean {
  const eligible = winogradEligible(p);
  if (opts.winograd !== undefined && typeof opts.winograd !== 'boolean') throw opError(op, `winograd must be true, false or undefined, got ${JSON.stringify(opts.winograd)}`);
  if (opts.winograd === true && !eligible) {
    throw opError(op, `winograd: true needs a 3×3 kernel, stride 1, dilation 1 and groups 1, got ${p.KH}×${p.KW}, stride ${p.stride.join('×')}, dilation ${p.dilation.join('×')}, groups ${p.groups}`);
  }
  if (opts.winograd !== undefined) return opts.winograd;
  return eligible && pickEngine('conv2dWinograd', opts.impl, p.N * p.Ho * p.Wo, Math.min(p.Cin, p.Cout)) === 'wasm';
}

/** Forward in wasm memory (src/ops/wasm/conv.ts): Winograd where `conv2dUsesWinograd`, else direct or im2col + the SIMD GEMM. */
export function conv2dWasm(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dForwardParams('conv2d', x, w, b, opts);
  return new Tensor(convForwardInWasm(p, x.data, w.data, b ? b.data : null, conv2dUsesWinograd(p, opts)), [p.N, p.Cout, p.Ho, p.Wo]);
}

/** dX in wasm memory: Winograd where `conv2dUsesWinograd` (the transposed conv's forward), else the SIMD GEMM + col2im. */
export function conv2dGradInputWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradInputInWasm(p, dy.data, w.data, conv2dUsesWinograd(p, opts, 'conv2dBackward')), x.shape);
}

/** dW by im2col + the SIMD GEMM in wasm memory. */
export function conv2dGradWeightWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradWeightInWasm(p, dy.data, x.data), w.shape);
}

/** dx, dw, db with the wasm kernels (dx by Winograd where `conv2dUsesWinograd`: the bits of conv2dGradInputWasm). */
export function conv2dBackwardWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  const { dx, dw, db } = convBackwardInWasm(p, dy.data, x.data, w.data, conv2dUsesWinograd(p, opts, 'conv2dBackward'));
  return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: new Tensor(db, [p.Cout]) };
}

/** db [Cout] = Σ_{n,i,j} dy[n, co, i, j] by the wasm kernel conv2dBackwardWasm uses (the same bits). */
export function conv2dGradBiasWasm(dy: Tensor): Tensor {
  const [N, Cout, Ho, Wo] = dy.shape;
  return new Tensor(convGradBiasInWasm(dy.data, N, Cout, Ho * Wo), [Cout]);
}
