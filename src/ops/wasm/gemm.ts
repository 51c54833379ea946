/**
 * `gemmWasm`: the same call as `gemm` in src/ops/gemm.ts (C ← α·op(A)·op(B) + β·C, row-major,
 * BLAS-style offsets and leading dimensions), run by the AssemblyScript SIMD kernel.
 *
 * The operands live in JavaScript Float32Arrays, so each call copies the span of A, B and C it
 * reads into wasm memory and copies C back. That costs one memcpy per operand (~GB/s), small
 * next to the O(M·N·K) multiply for all but tiny shapes; ops that call many GEMMs in a row
 * (src/ops/wasm/conv.ts) keep their data in wasm memory instead.
 */
import { checkGemmArgs } from '../gemm';
import { loadedKernels, type WasmArena } from './runtime';
import { runChunks, splitBounds, threadsFor } from './threads';

/**
 * Parts a big GEMM is split into between threads (src/ops/wasm/threads.ts): each part packs its
 * own share of B (columns) or A (rows), so a few parts keep that overhead small.
 */
const GEMM_PARTS = 4;

/** Floats from `off` to the last element of a rows×cols matrix with row stride ld. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * A GEMM's arguments written into wasm memory for asm/gemm.ts `gemmPart` (13 words: transA,
 * transB, M, N, K, α, A, lda, B, ldb, β, C, ldc; addresses in bytes); returns its address.
 */
export function gemmDescriptor(
  m: WasmArena, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  pa: number, lda: number, pb: number, ldb: number, beta: number, pc: number, ldc: number,
): number {
  const d = m.alloc(13 * 4);
  new Int32Array(m.memory.buffer, d, 13).set([transA ? 1 : 0, transB ? 1 : 0, M, N, K, 0, pa, lda, pb, ldb, 0, pc, ldc]);
  const f32 = new Float32Array(m.memory.buffer, d, 13);
  f32[5] = alpha;
  f32[10] = beta;
  return d;
}

/**
 * C ← α·op(A)·op(B) + β·C by the WebAssembly SIMD kernel; the same arguments, checks and
 * results (to float rounding) as `gemm`. Throws when the kernels are not loaded (`wasmStatus()`).
 */
export function gemmWasm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  checkGemmArgs('gemmWasm', transA, transB, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  if (M === 0 || N === 0) return;
  const m = loadedKernels('gemmWasm');
  const aLen = transA ? span(K, M, lda) : span(M, K, lda);
  const bLen = transB ? span(N, K, ldb) : span(K, N, ldb);
  const cLen = span(M, N, ldc);
  const pa = m.copyIn(A, aOff, aLen);
  const pb = m.copyIn(B, bOff, bLen);
  // β = 0 never reads C: skip copying it in when the window has no gaps to preserve.
  const gaps = ldc !== N && M > 1;
  const pc = beta === 0 && !gaps ? m.alloc(cLen * 4) : m.copyIn(C, cOff, cLen);
  const flops = 2 * M * N * K;
  // Split between threads along the longer side of C (the bits do not depend on it: asm/gemm.ts
  // gemmPart): columns in multiples of the 8-wide B panels, rows in multiples of 4.
  const byCols = N >= M;
  const parts = byCols ? Math.min(GEMM_PARTS, Math.floor(N / 8)) : Math.min(GEMM_PARTS, Math.floor(M / 4));
  const threads = parts > 1 ? Math.min(threadsFor(parts, flops), parts) : 1;
  if (threads > 1) {
    const d = gemmDescriptor(m, transA, transB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    const args = Array.from({ length: parts }, (_, k) => [d, ...splitBounds(byCols ? N : M, parts, k, byCols ? 8 : 4), byCols ? 1 : 0]);
    const slots: [number, number][] = Array.from({ length: threads }, () => [0, m.alloc(m.k.workBytes(byCols ? Math.ceil(N / parts) + 8 : N, K))]);
    runChunks('gemmPart', threads, args, slots);
  } else {
    const work = m.alloc(m.k.workBytes(N, K));
    m.k.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc, work);
  }
  C.set(m.f32.subarray(pc >> 2, (pc >> 2) + cLen), cOff);
}
