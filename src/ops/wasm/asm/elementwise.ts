// @ts-nocheck
// AssemblyScript (f32x4, v128, load<T>, …), compiled by asc, not by tsc.
/**
 * ReLU and its backward, four lanes at a time, with the same bits as the plain-JS loops in
 * src/ops/activations.ts: y = x where x > 0 or x is NaN, else +0 (a bit-and with the compare
 * mask, so NaN payloads and every positive value pass unchanged); dx = dy · (x > 0 ? 1 : 0)
 * (a multiply, so an ∞/NaN dy still gives NaN and a negative dy gives −0, as PyTorch does).
 */

/** max(0, v) in each lane, NaN kept (−0 → +0); also fused into the conv kernels' outputs. */
// @ts-ignore: decorator
@inline export function reluLanes(v: v128): v128 {
  return v128.and(v, v128.or(f32x4.gt(v, f32x4.splat(0)), f32x4.ne(v, v)));
}

/** reluLanes(v) when `relu` (a conv descriptor's field 22: the ReLU fused into its forward), else v. */
// @ts-ignore: decorator
@inline export function reluIf(v: v128, relu: i32): v128 {
  return relu ? reluLanes(v) : v;
}

export function reluForward(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + <usize>i * 4, reluLanes(v128.load(x + <usize>i * 4)));
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * 4);
    store<f32>(y + <usize>i * 4, v > 0 || v != v ? v : 0);
  }
}

export function reluBackward(dy: usize, x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const m = v128.and(f32x4.gt(v128.load(x + <usize>i * 4), zero), one);
    v128.store(dx + <usize>i * 4, f32x4.mul(v128.load(dy + <usize>i * 4), m));
  }
  for (; i < n; i++) {
    const g = load<f32>(dy + <usize>i * 4);
    store<f32>(dx + <usize>i * 4, load<f32>(x + <usize>i * 4) > 0 ? g : g * 0);
  }
}
