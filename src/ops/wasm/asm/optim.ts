// @ts-nocheck
// AssemblyScript (f32x4, v128, load<T>, …), compiled by asc, not by tsc.
/**
 * Adam's update (src/optim/adam.ts) over n parameters, four lanes at a time, in float32 as
 * PyTorch's torch.optim.Adam computes it on float32 tensors. Every step is one IEEE float32
 * operation (no fused multiply-add), in this order:
 *
 *   p ← p · decay                      (AdamW only: decay = 1 − lr·λ)
 *   g ← g + l2 · p                     (Adam with weight decay λ = l2 only)
 *   m ← m · β₁ + c₁ · g                (c₁ = 1 − β₁)
 *   v ← v · β₂ + (c₂ · g) · g          (c₂ = 1 − β₂)
 *   p ← p + (−stepSize · m) / (√v / √(1 − β₂ᵗ) + ε),   stepSize = lr / (1 − β₁ᵗ)
 *
 * so the plain-JS loop of adam.ts, which rounds each step with Math.fround, gives the same bits.
 * The scalars arrive already rounded to float32.
 */
export function adamUpdate(p: usize, g: usize, m: usize, v: usize, n: i32, decoupled: i32, decay: f32, l2: f32,
  b1: f32, c1: f32, b2: f32, c2: f32, bc2s: f32, eps: f32, negStep: f32): void {
  const vDecay = f32x4.splat(decay), vL2 = f32x4.splat(l2), vB1 = f32x4.splat(b1), vC1 = f32x4.splat(c1);
  const vB2 = f32x4.splat(b2), vC2 = f32x4.splat(c2), vBc = f32x4.splat(bc2s), vEps = f32x4.splat(eps), vStep = f32x4.splat(negStep);
  const useL2 = l2 != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    let pv = v128.load(p + o);
    if (decoupled) pv = f32x4.mul(pv, vDecay);
    let gv = v128.load(g + o);
    if (useL2) gv = f32x4.add(gv, f32x4.mul(vL2, pv));
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vB1), f32x4.mul(vC1, gv));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vB2), f32x4.mul(f32x4.mul(vC2, gv), gv));
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vBc), vEps);
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    v128.store(p + o, f32x4.add(pv, f32x4.div(f32x4.mul(vStep, mv), denom)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    let pv = load<f32>(p + o);
    if (decoupled) pv = pv * decay;
    let gv = load<f32>(g + o);
    if (useL2) gv = gv + l2 * pv;
    const mv = load<f32>(m + o) * b1 + c1 * gv;
    const vv = load<f32>(v + o) * b2 + (c2 * gv) * gv;
    const denom = sqrt<f32>(vv) / bc2s + eps;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(p + o, pv + (negStep * mv) / denom);
  }
}

/**
 * Elements [i0, i1) of one Adam update split between threads (src/ops/wasm/optim.ts): the
 * arguments of adamUpdate in a descriptor at d — p, g, m, v (i32 addresses), decoupled (i32),
 * then decay, l2, b1, c1, b2, c2, bc2s, eps, negStep (f32). Elementwise, so the bits do not
 * depend on the split (i0 a multiple of 4 keeps the lanes as adamUpdate's).
 */
export function adamPart(d: usize, i0: i32, i1: i32, cols: usize, work: usize): void {
  const o = <usize>i0 * 4;
  adamUpdate(<usize>load<i32>(d) + o, <usize>load<i32>(d, 4) + o, <usize>load<i32>(d, 8) + o, <usize>load<i32>(d, 12) + o, i1 - i0, load<i32>(d, 16),
    load<f32>(d, 20), load<f32>(d, 24), load<f32>(d, 28), load<f32>(d, 32), load<f32>(d, 36), load<f32>(d, 40), load<f32>(d, 44), load<f32>(d, 48), load<f32>(d, 52));
}
