/**
 * conv2d's fast path with every operand living in wasm memory: the same im2col + GEMM plan as
 * src/ops/conv2d.ts (Y = W·cols, dX = col2im(Wᵀ·dY), dW = Σ_n dY·colsᵀ), but x, w, dy and the
 * result are copied in and out once per call instead of once per GEMM, and im2col / col2im run
 * in wasm too (asm/im2col.ts: contiguous runs copied with memory.copy — the JavaScript element
 * loop cost more than the GEMM on LeNet's layers). Sizes come validated from conv2d.ts.
 */
import type { Conv2dParams } from '../conv2d';
import { WasmArena, wasmKernels } from './runtime';

/** Cap on the cols block in floats (16 MB), as in conv2d.ts: big images go a band of rows at a time. */
const COLS_LIMIT = 1 << 22;

interface Plan {
  m: WasmArena;
  K: number;
  L: number;
  band: number;
  direct: boolean;
  /** im2col / col2im of output rows [i0, i1) of the image (group) at `src` into `dst`. */
  unfold(src: number, i0: number, i1: number, dst: number): void;
  fold(cols: number, i0: number, i1: number, dx: number): void;
}

function plan(p: Conv2dParams): Plan {
  const m = wasmKernels();
  if (!m) throw new Error('conv2d (wasm): the WebAssembly kernels are not loaded (see fastPathInfo())');
  m.reset();
  const K = p.CinG * p.KH * p.KW;
  const { pad } = p;
  const direct = p.KH === 1 && p.KW === 1 && p.stride[0] === 1 && p.stride[1] === 1 && pad.top === 0 && pad.bottom === 0 && pad.left === 0 && pad.right === 0;
  return {
    m, K, L: p.Ho * p.Wo, direct,
    band: Math.max(1, Math.min(p.Ho, Math.floor(COLS_LIMIT / (K * p.Wo)))),
    unfold: (src, i0, i1, dst) => m.k.im2col(src, p.CinG, p.H, p.W, p.KH, p.KW, p.stride[0], p.stride[1], p.dilation[0], p.dilation[1], pad.top, pad.left, p.Ho, p.Wo, i0, i1, dst),
    fold: (cols, i0, i1, dx) => m.k.col2im(cols, p.CinG, p.H, p.W, p.KH, p.KW, p.stride[0], p.stride[1], p.dilation[0], p.dilation[1], pad.top, pad.left, p.Ho, p.Wo, i0, i1, dx),
  };
}

/** y [N, Cout, Ho, Wo] = conv2d(x, w) + b. */
export function convForwardInWasm(p: Conv2dParams, x: Float32Array, w: Float32Array, b: Float32Array | null): Float32Array {
  const { N, Cin, H, W, Cout, groups, CinG, CoutG, Wo, Ho } = p;
  const { m, K, L, band, direct, unfold, fold } = plan(p);
  const px = m.copyIn(x, 0, x.length);
  const pw = m.copyIn(w, 0, w.length);
  const pb = b ? m.copyIn(b, 0, b.length) : 0;
  const py = m.alloc(N * Cout * L * 4);
  const pcols = direct ? 0 : m.alloc(K * band * Wo * 4);
  const work = m.alloc(m.k.workBytes(direct ? L : band * Wo));
  m.k.fillBias(py, pb, N, Cout, L); // the β = 1 GEMMs add onto the bias
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const yAt = py + (n * Cout + g * CoutG) * L * 4;
      const wAt = pw + g * CoutG * K * 4;
      if (direct) {
        m.k.gemm(0, 0, CoutG, L, K, 1, wAt, K, px + xOff * 4, L, 1, yAt, L, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        unfold(px + xOff * 4, i0, i1, pcols);
        m.k.gemm(0, 0, CoutG, Lb, K, 1, wAt, K, pcols, Lb, 1, yAt + i0 * Wo * 4, L, work);
      }
    }
  }
  const y0 = py >> 2;
  return m.f32.slice(y0, y0 + N * Cout * L);
}

/** dx [N, Cin, H, W] = col2im(W_gᵀ · dY[n, g]) per image, group and band. */
export function convGradInputInWasm(p: Conv2dParams, dy: Float32Array, w: Float32Array): Float32Array {
  const { N, Cin, H, W, Cout, groups, CinG, CoutG, Wo, Ho } = p;
  const { m, K, L, band, direct, unfold, fold } = plan(p);
  const pdy = m.copyIn(dy, 0, dy.length);
  const pw = m.copyIn(w, 0, w.length);
  const xLen = N * Cin * H * W;
  const pdx = m.alloc(xLen * 4);
  const pcols = direct ? 0 : m.alloc(K * band * Wo * 4);
  const work = m.alloc(m.k.workBytes(direct ? L : band * Wo));
  const f = m.f32;
  const dx0 = pdx >> 2;
  f.fill(0, dx0, dx0 + xLen); // col2im adds into dx
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyAt = pdy + (n * Cout + g * CoutG) * L * 4;
      const wAt = pw + g * CoutG * K * 4;
      if (direct) {
        m.k.gemm(1, 0, K, L, CoutG, 1, wAt, K, dyAt, L, 1, pdx + xOff * 4, L, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        m.k.gemm(1, 0, K, Lb, CoutG, 1, wAt, K, dyAt + i0 * Wo * 4, L, 0, pcols, Lb, work);
        fold(pcols, i0, i1, pdx + xOff * 4);
      }
    }
  }
  return f.slice(dx0, dx0 + xLen);
}

/** dw [Cout, Cin/groups, KH, KW] = Σ_n dY[n, g] · cols(x[n, g])ᵀ (β = 1 accumulates). */
export function convGradWeightInWasm(p: Conv2dParams, dy: Float32Array, x: Float32Array): Float32Array {
  const { N, Cin, H, W, Cout, groups, CinG, CoutG, Wo, Ho } = p;
  const { m, K, L, band, direct, unfold, fold } = plan(p);
  const pdy = m.copyIn(dy, 0, dy.length);
  const px = m.copyIn(x, 0, x.length);
  const wLen = Cout * K;
  const pdw = m.alloc(wLen * 4);
  const pcols = direct ? 0 : m.alloc(K * band * Wo * 4);
  const work = m.alloc(m.k.workBytes(K));
  const f = m.f32;
  const dw0 = pdw >> 2;
  f.fill(0, dw0, dw0 + wLen);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyAt = pdy + (n * Cout + g * CoutG) * L * 4;
      const dwAt = pdw + g * CoutG * K * 4;
      if (direct) {
        m.k.gemm(0, 1, CoutG, K, L, 1, dyAt, L, px + xOff * 4, L, 1, dwAt, K, work);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        unfold(px + xOff * 4, i0, i1, pcols);
        m.k.gemm(0, 1, CoutG, K, Lb, 1, dyAt + i0 * Wo * 4, L, pcols, Lb, 1, dwAt, K, work);
      }
    }
  }
  return f.slice(dw0, dw0 + wLen);
}
