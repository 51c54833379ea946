/**
 * Linear's backward in wasm as one job: dX = dY·W [N, In] and dW = dYᵀ·X [Out, In] are two
 * GEMMs of the same cost (2·N·In·Out FLOPs each) that do not depend on each other, so the
 * threads run them side by side, each cut in two by columns (In) — four chunks of one job,
 * where `gemmWasm` called twice would copy dY in twice and hand off twice. dY, X and W are
 * copied in once. The bits are those of the two `gemmWasm` calls (a column part of a GEMM is
 * computed exactly as in the whole: asm/gemm.ts `gemmPart`).
 */
import { gemmDescriptor } from './gemm';
import { loadedKernels } from './runtime';
import { runChunks, splitBounds, threadsFor } from './threads';

/**
 * Whether Linear's backward runs as this one job: up to 2²² weights (16 MiB). Above, the caller
 * runs the two GEMMs as two `gemmWasm` calls (src/ops/linear.ts `linearBackwardFast`), each split
 * between the threads on its own: one arena holding W, dW, X, dX and dY at once would need twice
 * W in wasm memory — VGG16's fc6 (25,088 × 4,096) would take 0.8 GB of it, for no speed (a GEMM
 * that size is compute-bound, and its copies are the same either way).
 */
export function linearBackwardFitsOneJob(In: number, Out: number): boolean {
  return Out * In <= 1 << 22;
}

/** dx = dy·w and dw = dyᵀ·x for y = x·wᵀ (+ b): dy [N, Out], x [N, In], w [Out, In]; β = 0 (`linearBackwardFitsOneJob` sizes). */
export function linearBackwardInWasm(dy: Float32Array, x: Float32Array, w: Float32Array, N: number, In: number, Out: number): { dx: Float32Array; dw: Float32Array } {
  const m = loadedKernels('linearBackward');
  const pdy = m.copyIn(dy, 0, N * Out);
  const px = m.copyIn(x, 0, N * In);
  const pw = m.copyIn(w, 0, Out * In);
  const pdx = m.alloc(N * In * 4);
  const pdw = m.alloc(Out * In * 4);
  if (N > 0 && In > 0) {
    const dxD = gemmDescriptor(m, false, false, N, In, Out, 1, pdy, Out, pw, In, 0, pdx, In);
    const dwD = gemmDescriptor(m, true, false, Out, In, N, 1, pdy, Out, px, In, 0, pdw, In);
    // columns in multiples of the kernel's 8-wide B panels
    const halves = In >= 16 ? 2 : 1;
    const threads = Math.min(threadsFor(2 * halves, 4 * N * In * Out), 2 * halves);
    const args: number[][] = [];
    for (let h = 0; h < halves; h++) {
      const [c0, c1] = splitBounds(In, halves, h, 8);
      args.push([dxD, c0, c1, 1], [dwD, c0, c1, 1]);
    }
    const cols = Math.ceil(In / halves) + 8;
    const work = Math.max(m.k.workBytes(cols, Out), m.k.workBytes(cols, N));
    const slots: [number, number][] = Array.from({ length: threads }, () => [0, m.alloc(work)]);
    runChunks('gemmPart', threads, args, slots);
  }
  return { dx: m.copyOut(pdx, N * In), dw: m.copyOut(pdw, Out * In) };
}
