/**
 * Adam's `'wasm'` engine (asm/optim.ts: float32, four lanes per step, the same bits as the
 * plain-JS loop of src/optim/adam.ts), on JS arrays copied into wasm memory and back.
 */
import { loadedKernels } from './runtime';

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

/** Update p, m and v in place from g (all of one length), as `adamUpdateJs`. */
export function adamInWasm(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): void {
  const a = loadedKernels('Adam');
  const n = p.length;
  const pp = a.copyIn(p, 0, n);
  const pg = a.copyIn(g, 0, n);
  const pm = a.copyIn(m, 0, n);
  const pv = a.copyIn(v, 0, n);
  a.k.adamUpdate(pp, pg, pm, pv, n, s.decoupled ? 1 : 0, s.decay, s.l2, s.b1, s.c1, s.b2, s.c2, s.bc2s, s.eps, s.negStep);
  a.copyBack(pp, p);
  a.copyBack(pm, m);
  a.copyBack(pv, v);
}
