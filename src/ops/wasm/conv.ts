/**
 * conv2d's fast path with every operand in wasm memory: the im2col + GEMM plan of
 * src/ops/conv2d.ts (Y = W·cols, dX = col2im(Wᵀ·dY), dW = Σ_n dY·colsᵀ), with the per-image
 * loops themselves in wasm (asm/conv.ts) and the batch split across threads (threads.ts).
 * x, w, dy are copied in and the result out once per call (~30 GB/s here: 0.2 ms for 6.4 MB);
 * each thread gets its own cols and pack scratch, and its own dW partial (summed at the end).
 * Sizes come validated from conv2d.ts (`Conv2dParams`).
 */
import type { Conv2dParams } from '../conv2d';
import { WasmArena, wasmKernels } from './runtime';
import { reductionShares, splitBatch, threadsFor } from './threads';

/** Cap on one cols block in floats (16 MB), as in conv2d.ts: big images go a band of rows at a time. */
const COLS_LIMIT = 1 << 22;

interface Plan {
  m: WasmArena;
  /** Address of the size descriptor (asm/conv.ts lists its 18 fields). */
  desc: number;
  K: number;
  L: number;
  /** Floats of one thread's cols block, and the columns (= output positions) of one band. */
  colsFloats: number;
  gemmN: number;
  threads: number;
  /** Fixed chunks of the batch for dW's sum (see reductionShares): same order on any thread count. */
  shares: number;
}

function plan(p: Conv2dParams): Plan {
  const m = wasmKernels();
  if (!m) throw new Error('conv2d (wasm): the WebAssembly kernels are not loaded (see fastPathInfo())');
  m.reset();
  const K = p.CinG * p.KH * p.KW;
  const L = p.Ho * p.Wo;
  const { pad } = p;
  const direct = p.KH === 1 && p.KW === 1 && p.stride[0] === 1 && p.stride[1] === 1 && pad.top === 0 && pad.bottom === 0 && pad.left === 0 && pad.right === 0;
  const band = Math.max(1, Math.min(p.Ho, Math.floor(COLS_LIMIT / (K * p.Wo))));
  const desc = m.alloc(18 * 4);
  const fields = [p.N, p.Cin, p.H, p.W, p.Cout, p.KH, p.KW, p.stride[0], p.stride[1], p.dilation[0], p.dilation[1], pad.top, pad.left, p.Ho, p.Wo, p.groups, band, direct ? 1 : 0];
  new Int32Array(m.memory.buffer, desc, 18).set(fields);
  const flops = 2 * p.N * p.Cout * L * K;
  const shares = reductionShares(p.N, flops);
  return { m, desc, K, L, colsFloats: direct ? 0 : K * band * p.Wo, gemmN: direct ? L : band * p.Wo, threads: Math.min(threadsFor(p.N, flops), shares), shares };
}

/**
 * Per-chunk cols and GEMM pack scratch (and, for dW, a partial sum for chunks ≥ 1);
 * `work` is the largest GEMM pack scratch among the (N columns, depth K) pairs the op runs.
 */
function scratch(pl: Plan, gemms: [number, number][], partial = 0): { cols: number; work: number; part: number }[] {
  const workBytes = Math.max(...gemms.map(([n, k]) => pl.m.k.workBytes(n, k)));
  const out = [];
  for (let t = 0; t < Math.max(pl.threads, pl.shares); t++) {
    out.push({ cols: pl.m.alloc(pl.colsFloats * 4), work: pl.m.alloc(workBytes), part: t > 0 && partial > 0 ? pl.m.alloc(partial * 4) : 0 });
  }
  return out;
}

/** y [N, Cout, Ho, Wo] = conv2d(x, w) + b. */
export function convForwardInWasm(p: Conv2dParams, x: Float32Array, w: Float32Array, b: Float32Array | null): Float32Array {
  const pl = plan(p);
  const { m } = pl;
  const px = m.copyIn(x, 0, x.length);
  const pw = m.copyIn(w, 0, w.length);
  const pb = b ? m.copyIn(b, 0, b.length) : 0;
  const yLen = p.N * p.Cout * pl.L;
  const py = m.alloc(yLen * 4);
  const s = scratch(pl, [[pl.gemmN, pl.K]]); // Y_band = W (CoutG × K) · cols (K × band)
  splitBatch('convForward', pl.threads, p.N, (t, n0, n1) => [pl.desc, px, pw, pb, py, n0, n1, s[t].cols, s[t].work]);
  return m.copyOut(py, yLen);
}

/** dx [N, Cin, H, W] = col2im(W_gᵀ · dY[n, g]) per image, group and band. */
export function convGradInputInWasm(p: Conv2dParams, dy: Float32Array, w: Float32Array): Float32Array {
  const pl = plan(p);
  const { m } = pl;
  const pdy = m.copyIn(dy, 0, dy.length);
  const pw = m.copyIn(w, 0, w.length);
  const xLen = p.N * p.Cin * p.H * p.W;
  const pdx = m.alloc(xLen * 4);
  const s = scratch(pl, [[pl.gemmN, p.CoutG]]); // dcols = Wᵀ (K × CoutG) · dY_band
  splitBatch('convGradInput', pl.threads, p.N, (t, n0, n1) => [pl.desc, pdy, pw, pdx, n0, n1, s[t].cols, s[t].work]);
  return m.copyOut(pdx, xLen);
}

/** dw [Cout, Cin/groups, KH, KW] = Σ_n dY[n, g] · cols(x[n, g])ᵀ; thread t > 0 sums into its own partial. */
export function convGradWeightInWasm(p: Conv2dParams, dy: Float32Array, x: Float32Array): Float32Array {
  const pl = plan(p);
  const { m } = pl;
  const pdy = m.copyIn(dy, 0, dy.length);
  const px = m.copyIn(x, 0, x.length);
  const wLen = p.Cout * pl.K;
  const pdw = m.alloc(wLen * 4);
  const s = scratch(pl, [[pl.K, pl.gemmN]], wLen); // dW += dY_band (CoutG × band) · colsᵀ
  const f = m.f32; // after the last alloc: a view made before a grow is too short
  for (let t = 0; t < pl.shares; t++) {
    const at = t === 0 ? pdw : s[t].part;
    f.fill(0, at >> 2, (at >> 2) + wLen);
  }
  splitBatch('convGradWeight', pl.threads, p.N, (t, n0, n1) => [pl.desc, pdy, px, t === 0 ? pdw : s[t].part, n0, n1, s[t].cols, s[t].work], pl.shares);
  for (let t = 1; t < pl.shares; t++) m.k.addInto(pdw, s[t].part, wLen);
  return m.copyOut(pdw, wLen);
}

/**
 * dx, dw and db in one call: dy, x and w are copied in once (the separate calls above copy dy
 * twice), dX and dW of each image run in one kernel over the batch split, db is summed in wasm.
 */
export function convBackwardInWasm(p: Conv2dParams, dy: Float32Array, x: Float32Array, w: Float32Array): { dx: Float32Array; dw: Float32Array; db: Float32Array } {
  const pl = plan(p);
  const { m } = pl;
  const pdy = m.copyIn(dy, 0, dy.length);
  const px = m.copyIn(x, 0, x.length);
  const pw = m.copyIn(w, 0, w.length);
  const xLen = x.length;
  const wLen = p.Cout * pl.K;
  const pdx = m.alloc(xLen * 4);
  const pdw = m.alloc(wLen * 4);
  const pdb = m.alloc(p.Cout * 4);
  const s = scratch(pl, [[pl.gemmN, p.CoutG], [pl.K, pl.gemmN]], wLen);
  const f = m.f32;
  for (let t = 0; t < pl.shares; t++) {
    const at = t === 0 ? pdw : s[t].part;
    f.fill(0, at >> 2, (at >> 2) + wLen);
  }
  // dX and dW of each image in one kernel (one hand-off per thread), over dW's fixed shares
  splitBatch('convBackward', pl.threads, p.N, (t, n0, n1) => [pl.desc, pdy, px, pw, pdx, t === 0 ? pdw : s[t].part, n0, n1, s[t].cols, s[t].work], pl.shares);
  for (let t = 1; t < pl.shares; t++) m.k.addInto(pdw, s[t].part, wLen);
  m.k.biasGrad(pdy, p.N, p.Cout, pl.L, pdb);
  return { dx: m.copyOut(pdx, xLen), dw: m.copyOut(pdw, wLen), db: m.copyOut(pdb, p.Cout) };
}

/** db [Cout] = Σ_{n, l} dy[n, co, l], by the same kernel convBackwardInWasm uses (same bits). */
export function convGradBiasInWasm(dy: Float32Array, N: number, Cout: number, L: number): Float32Array {
  const m = wasmKernels();
  if (!m) throw new Error('conv2d (wasm): the WebAssembly kernels are not loaded (see fastPathInfo())');
  m.reset();
  const pdy = m.copyIn(dy, 0, dy.length);
  const pdb = m.alloc(Cout * 4);
  m.k.biasGrad(pdy, N, Cout, L, pdb);
  return m.f32.slice(pdb >> 2, (pdb >> 2) + Cout);
}
