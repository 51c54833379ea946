/**
 * Adam's `'wasm'` engine (asm/optim.ts: float32, four lanes per step, the same bits as the
 * plain-JS loop of src/optim/adam.ts). p and g are copied in and p back; the state m and v can
 * live in wasm memory for good (`adamStateInWasm`), read and written in place. A big parameter is
 * split between the threads.
 */
import { loadedKernels, wasmKernels } from './runtime';
import { runChunks, splitBounds, threadsFor } from './threads';

/** Adam's per-step scalars, each already rounded to float32 (Math.fround). */
export interface AdamScalars {
  decoupled: boolean;
  /** AdamW's 1 − lr·λ (1 for Adam). */
  decay: number;
  /** Adam's L2 weight decay λ (0 for AdamW). */
  l2: number;
  b1: number;
  /** 1 − β₁ */
  c1: number;
  b2: number;
  /** 1 − β₂ */
  c2: number;
  /** √(1 − β₂ᵗ) */
  bc2s: number;
  eps: number;
  /** −lr / (1 − β₁ᵗ) */
  negStep: number;
}

/** Parts a big update is split into between threads (elementwise: the bits do not depend on it). */
const PARTS = 4;

/**
 * n zeros in wasm memory kept across calls (WasmArena.reserve), as a Float32Array view, or null
 * when the kernels are not loaded; `release` hands the block back.
 */
export function adamStateInWasm(n: number): { a: Float32Array; release: () => void } | null {
  const m = wasmKernels();
  if (!m) return null;
  const at = m.reserve(n * 4);
  return { a: new Float32Array(m.memory.buffer, at, n), release: () => m.release(at) };
}

/** Update p, m and v in place from g (all of one length), as `adamUpdateJs`. */
export function adamInWasm(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): void {
  const a = loadedKernels('Adam');
  const n = p.length;
  const pp = a.copyIn(p, 0, n);
  const pg = a.copyIn(g, 0, n);
  const resident = a.holds(m) && a.holds(v);
  const pm = resident ? m.byteOffset : a.copyIn(m, 0, n);
  const pv = resident ? v.byteOffset : a.copyIn(v, 0, n);
  // ~10 flops a value: split from threads.ts's 2 MFLOP, i.e. 200,000 values (VGG16's and
  // AlexNet's big layers; LeNet-5's biggest has 48,000, where the hand-off would cost what it saves)
  const threads = Math.min(threadsFor(PARTS, 10 * n), PARTS);
  if (threads > 1) {
    const d = a.alloc(14 * 4);
    new Int32Array(a.memory.buffer, d, 5).set([pp, pg, pm, pv, s.decoupled ? 1 : 0]);
    new Float32Array(a.memory.buffer, d + 20, 9).set([s.decay, s.l2, s.b1, s.c1, s.b2, s.c2, s.bc2s, s.eps, s.negStep]);
    const slots: [number, number][] = Array.from({ length: threads }, () => [0, 0]);
    runChunks('adamPart', threads, Array.from({ length: PARTS }, (_, k) => [d, ...splitBounds(n, PARTS, k, 4)]), slots);
  } else {
    a.k.adamUpdate(pp, pg, pm, pv, n, s.decoupled ? 1 : 0, s.decay, s.l2, s.b1, s.c1, s.b2, s.c2, s.bc2s, s.eps, s.negStep);
  }
  a.copyBack(pp, p);
  if (!resident) {
    a.copyBack(pm, m);
    a.copyBack(pv, v);
  }
}
