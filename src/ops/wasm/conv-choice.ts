/**
 * Which wasm kernel runs each pass of a conv (src/ops/wasm/conv.ts runs them): the direct
 * convolution (asm/direct.ts, asm/direct-dw.ts) where it measured faster than im2col + GEMM,
 * and whether Winograd F(2×2, 3×3) can run at all (whether it *should* is the engine picker's
 * rule, src/ops/engine.ts).
 */
import type { Conv2dParams } from '../conv-plan';

/**
 * Direct convolution (asm/direct.ts) instead of im2col + GEMM, for stride 1 with few channels,
 * where im2col writes as many floats as the GEMM reads (K per output pixel). Measured against
 * im2col + GEMM (+ col2im), 1 thread, both interleaved in one process, best of 10
 * (docs/measured.md, Direct convolution):
 * - forward: LeNet C1 1.44×, S1 1.53×, S2 1.75×, CinG 16 → 32 at 28² 1.24×, 32 → 32 1.19×,
 *   VGG conv1_1 (Cin 3 → 64) 1.08×, AlexNet conv2 (CinG 64, 5×5) 1.02× → on up to CinG 32;
 * - dX, as the direct forward of the transposed conv (dY padded by K − 1 − pad): 16 → 32 at 28²
 *   1.22×, 32 → 32 1.19×, 16 → 16 at 14² with 5×5 'same' 1.59×; but S2 0.67× and 8 → 32 at 14²
 *   0.63× (a valid 5×5 conv of 14² → 10²: the transposed conv runs over (14/10)² ≈ 2× the
 *   outputs, half its taps on padding zeros), Cin 1 or 3 0.24–0.40× (1 or 3 of 4 lanes)
 *   → on for ≥ 8 input channels, Cout ≤ 32 and H·W ≤ 1.25·Ho·Wo;
 * - dW: S2 1.68×, 16 → 32 1.16×, 32 → 32 1.23×, C1/S1 1.00–1.03×, VGG conv1_1 (64 output
 *   channels over 112²: transposing dY per image costs more than 27 taps win) 0.64×
 *   → on up to CinG 32 and CoutG 32.
 */
const DIRECT_MAX_CIN = 32;
const DIRECT_DX_MIN_CIN = 8;
const DIRECT_DX_MAX_COUT = 32;
const DIRECT_DW_MAX_COUT = 32;
/** dX direct only where the transposed conv's outputs (H·W) exceed the forward's (Ho·Wo) by at most this factor. */
const DIRECT_DX_MAX_GROWTH = 1.25;
/** The direct kernels keep one image padded in their scratch: at most this many floats (4 MB). */
const DIRECT_IMAGE_FLOATS = 1 << 20;

/** Which passes of a conv run as direct convolutions (asm/direct.ts) for these sizes. */
export interface DirectPasses {
  forward: boolean;
  /** dX as the direct forward of the transposed conv (stride 1, dilation 1, groups 1). */
  gradInput: boolean;
  gradWeight: boolean;
}

/** Which passes run as direct convolutions for these sizes. */
export function directPasses(p: Conv2dParams): DirectPasses {
  const stride1 = p.stride[0] === 1 && p.stride[1] === 1;
  const padded = (C: number, Ho: number, Wo: number) => C * (Ho + p.dilation[0] * (p.KH - 1)) * (Wo + p.dilation[1] * (p.KW - 1)) <= DIRECT_IMAGE_FLOATS;
  const plain = p.dilation[0] === 1 && p.dilation[1] === 1 && p.groups === 1;
  return {
    forward: stride1 && p.CinG <= DIRECT_MAX_CIN && padded(p.CinG, p.Ho, p.Wo),
    gradInput: stride1 && plain && p.Cin >= DIRECT_DX_MIN_CIN && p.Cin <= DIRECT_MAX_CIN && p.Cout <= DIRECT_DX_MAX_COUT &&
      p.H * p.W <= DIRECT_DX_MAX_GROWTH * p.Ho * p.Wo && padded(p.Cout, p.H, p.W),
    gradWeight: stride1 && p.CinG <= DIRECT_MAX_CIN && p.CoutG <= DIRECT_DW_MAX_COUT && padded(p.CinG, p.Ho, p.Wo),
  };
}

/**
 * Which Winograd forward runs a pass (the side of its output tile; asm/conv.ts descriptor field
 * 20): 0 none, 2 F(2×2, 3×3) (asm/winograd.ts), 4 F(4×4, 3×3) (asm/winograd43.ts).
 */
export type WinogradTile = 0 | 2 | 4;

/**
 * Whether a conv can run the Winograd forwards of asm/winograd.ts and asm/winograd43.ts: a 3×3
 * kernel, stride 1, no dilation, one group (any padding, any channel counts, Wo ≥ 1 … handled
 * by the edge tiles). Whether it *should*, and which, is the engine picker's rules
 * `conv2dWinograd` and `conv2dWinograd4x4` (engine.ts).
 */
export function winogradEligible(p: Conv2dParams): boolean {
  return p.KH === 3 && p.KW === 3 && p.stride[0] === 1 && p.stride[1] === 1 && p.dilation[0] === 1 && p.dilation[1] === 1 && p.groups === 1;
}

export function checkWinograd(p: Conv2dParams, winograd: boolean | WinogradTile): void {
  if (winograd && !winogradEligible(p)) throw new Error(`conv2d (wasm): Winograd needs a 3×3 kernel, stride 1, dilation 1 and groups 1, got ${p.KH}×${p.KW}, stride ${p.stride.join('×')}, dilation ${p.dilation.join('×')}, groups ${p.groups}`);
}
