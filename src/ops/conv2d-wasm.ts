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
import { convBackwardInWasm, convForwardInWasm, convGradBiasInWasm, convGradInputInWasm, convGradWeightInWasm } from './wasm/conv';
import { winogradEligible, type WinogradTile } from './wasm/conv-choice';

/** A pass of conv2d that may run by Winograd, and the engine rule that decides it. */
export type WinogradPass = 'forward' | 'gradInput' | 'gradWeight';

/**
 * Whether `pass` of this conv runs by Winograd: `opts.winograd` when given (true on a conv it
 * cannot run is an error naming why), else the picker's rule on N·Ho·Wo output pixels per
 * channel and [min, max] of (Cin, Cout): `conv2dWinograd` for the forward and dX (dX is the
 * forward of a conv with in and out swapped: the same channels, N·H·W ≈ N·Ho·Wo pixels),
 * `conv2dWinogradDw` for dW.
 */
export function conv2dUsesWinograd(p: Conv2dParams, opts: Conv2dOptions, pass: WinogradPass = 'forward'): boolean {
  const op = pass === 'forward' ? 'conv2d' : 'conv2dBackward';
  const eligible = winogradEligible(p);
  if (opts.winograd !== undefined && typeof opts.winograd !== 'boolean') throw opError(op, `winograd must be true, false or undefined, got ${JSON.stringify(opts.winograd)}`);
  if (opts.winograd === true && !eligible) {
    throw opError(op, `winograd: true needs a 3×3 kernel, stride 1, dilation 1 and groups 1, got ${p.KH}×${p.KW}, stride ${p.stride.join('×')}, dilation ${p.dilation.join('×')}, groups ${p.groups}`);
  }
  if (opts.winograd !== undefined) return opts.winograd;
  const channels = [Math.min(p.Cin, p.Cout), Math.max(p.Cin, p.Cout)] as const;
  return eligible && pickEngine(pass === 'gradWeight' ? 'conv2dWinogradDw' : 'conv2dWinograd', opts.impl, p.N * p.Ho * p.Wo, channels) === 'wasm';
}

/**
 * Which Winograd forward runs the forward or dX of this conv (dX: the forward of the transposed
 * conv): 0 none (`conv2dUsesWinograd` says no), else F(4×4, 3×3) where the picker's rule
 * `conv2dWinograd4x4` says so on the output pixels of one image of that conv (forward Ho·Wo,
 * dX H·W), else F(2×2, 3×3). `winograd: true` forces Winograd; the rule still picks the tile.
 */
export function conv2dWinogradTile(p: Conv2dParams, opts: Conv2dOptions, pass: 'forward' | 'gradInput' = 'forward'): WinogradTile {
  if (!conv2dUsesWinograd(p, opts, pass)) return 0;
  const pixels = pass === 'forward' ? p.Ho * p.Wo : p.H * p.W;
  return pickEngine('conv2dWinograd4x4', opts.impl, pixels) === 'wasm' ? 4 : 2;
}

/**
 * Forward in wasm memory (src/ops/wasm/conv.ts): Winograd where `conv2dUsesWinograd` (F(2×2) or
 * F(4×4): `conv2dWinogradTile`), else direct or im2col + the SIMD GEMM; with `relu`, max(0, ·)
 * of each output as it is stored.
 */
export function conv2dWasm(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}, relu = false): Tensor {
  const p = conv2dForwardParams('conv2d', x, w, b, opts);
  return new Tensor(convForwardInWasm(p, x.data, w.data, b ? b.data : null, conv2dWinogradTile(p, opts), relu), [p.N, p.Cout, p.Ho, p.Wo]);
}

/** dX in wasm memory: Winograd (`conv2dWinogradTile`) where `conv2dUsesWinograd` (the transposed conv's forward), else direct or the SIMD GEMM + col2im. */
export function conv2dGradInputWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradInputInWasm(p, dy.data, w.data, conv2dWinogradTile(p, opts, 'gradInput')), x.shape);
}

/** dW in wasm memory: Winograd F(3×3, 2×2) where `conv2dUsesWinograd`, else direct or im2col + the SIMD GEMM. */
export function conv2dGradWeightWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradWeightInWasm(p, dy.data, x.data, conv2dUsesWinograd(p, opts, 'gradWeight')), w.shape);
}

/** dx, dw, db with the wasm kernels (each of dX and dW by Winograd where `conv2dUsesWinograd`: the bits of the functions above). */
export function conv2dBackwardWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  const { dx, dw, db } = convBackwardInWasm(p, dy.data, x.data, w.data, { gradInput: conv2dWinogradTile(p, opts, 'gradInput'), gradWeight: conv2dUsesWinograd(p, opts, 'gradWeight') });
  return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: new Tensor(db, [p.Cout]) };
}

/** db [Cout] = Σ_{n,i,j} dy[n, co, i, j] by the wasm kernel conv2dBackwardWasm uses (the same bits). */
export function conv2dGradBiasWasm(dy: Tensor): Tensor {
  const [N, Cout, Ho, Wo] = dy.shape;
  return new Tensor(convGradBiasInWasm(dy.data, N, Cout, Ho * Wo), [Cout]);
}
