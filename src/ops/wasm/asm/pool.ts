// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * 2×2 max pooling with stride 2 (LeNet, VGG) and its argmax, four outputs at a time.
 *
 * Why SIMD: the scalar loop (src/ops/pool.ts, maxPool2x2) takes three data-dependent branches
 * per output, mispredicted about half the time on real feature maps; here each tap is a
 * compare and two bit-selects on 4 lanes, with the same rule as the scalar loop — taps in
 * row-major order, a tap replaces the running best when it is larger or NaN, so the first
 * maximum wins ties and NaN propagates — hence bit-identical outputs and indices.
 *
 * x [planes, h, w] → y [planes, oh, ow] and idx (the winner's offset iy·w + ix in its plane);
 * every window lies inside the plane (the caller checks 2·oh ≤ h, 2·ow ≤ w).
 */

// @ts-ignore: decorator
@inline function tap(v: v128, best: v128, c: v128): v128 {
  return v128.bitselect(v, best, c);
}

export function maxPool2x2s2(x: usize, y: usize, idx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  const hw = h * w;
  const step = i32x4(0, 2, 4, 6);
  let o: i32 = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = x + <usize>(plane * hw) * 4;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = 2 * oy * w;
      const r0 = base + <usize>row0 * 4;
      const r1 = r0 + <usize>w * 4;
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4, o += 4) {
        const off = <usize>(2 * ox) * 4;
        const a0 = v128.load(r0 + off), a1 = v128.load(r0 + off + 16);
        const b0 = v128.load(r1 + off), b1 = v128.load(r1 + off + 16);
        const k = i32x4.add(i32x4.splat(row0 + 2 * ox), step);
        let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        let arg = k;
        let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        let c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = tap(v, best, c);
        arg = tap(i32x4.add(k, i32x4.splat(1)), arg, c);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = tap(v, best, c);
        arg = tap(i32x4.add(k, i32x4.splat(w)), arg, c);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = tap(v, best, c);
        arg = tap(i32x4.add(k, i32x4.splat(w + 1)), arg, c);
        v128.store(y + <usize>o * 4, best);
        v128.store(idx + <usize>o * 4, arg);
      }
      for (; ox < ow; ox++, o++) {
        const k = row0 + 2 * ox;
        let best = load<f32>(base + <usize>k * 4);
        let arg = k;
        let v = load<f32>(base + <usize>(k + 1) * 4);
        if (v > best || v != v) { best = v; arg = k + 1; }
        v = load<f32>(base + <usize>(k + w) * 4);
        if (v > best || v != v) { best = v; arg = k + w; }
        v = load<f32>(base + <usize>(k + w + 1) * 4);
        if (v > best || v != v) { best = v; arg = k + w + 1; }
        store<f32>(y + <usize>o * 4, best);
        store<i32>(idx + <usize>o * 4, arg);
      }
    }
  }
}

/**
 * Max pooling's backward: dx = 0, then dx[plane, idx[o]] += dy[o] over each plane's perPlane
 * outputs (summed where windows overlap). Returns −1, or the first position o whose index lies
 * outside its hw-pixel plane (nothing is written from there on; the caller throws).
 */
export function maxPoolBackward(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, perPlane: i32): i32 {
  memory.fill(dx, 0, <usize>planes * <usize>hw * 4);
  let o: i32 = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = dx + <usize>(plane * hw) * 4;
    for (const end = o + perPlane; o < end; o++) {
      const k = load<i32>(idx + <usize>o * 4);
      if (<u32>k >= <u32>hw) return o;
      const a = base + <usize>k * 4;
      store<f32>(a, load<f32>(a) + load<f32>(dy + <usize>o * 4));
    }
  }
  return -1;
}

/**
 * The gradient at the input of ReLU → 2×2/2 max pooling, from the gradient dp at the pooled
 * output: at each window's winner idx[o], (0 + dp[o]) · (pooled[o] > 0 ? 1 : 0), and +0 at the
 * window's other 3 pixels and at the row and column a floor-mode pooling leaves out — exactly
 * maxPoolBackward (whose non-overlapping windows add each dp[o] once onto 0) followed by ReLU's
 * backward (whose mask [y > 0] at the winner is [pooled > 0]; src/ops/activations.ts). Each
 * pixel is written once: 4 windows per step, the winner picked by comparing idx with the 4
 * positions of its window. Returns −1, or the first position o whose index is not in its window
 * (the caller throws; the forward never makes one).
 */
export function unpoolRelu(dp: usize, idx: usize, pooled: usize, dy: usize, planes: i32, h: i32, w: i32): i32 {
  const oh = h >> 1, ow = w >> 1;
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const step = i32x4(0, 2, 4, 6);
  let o: i32 = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = dy + <usize>(plane * h * w) * 4;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = 2 * oy * w;
      const r0 = base + <usize>row0 * 4, r1 = r0 + <usize>w * 4;
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4, o += 4) {
        const at = <usize>o * 4;
        const k = v128.load(idx + at);
        const v = f32x4.mul(f32x4.add(zero, v128.load(dp + at)), v128.and(f32x4.gt(v128.load(pooled + at), zero), one));
        const tl = i32x4.add(i32x4.splat(row0 + 2 * ox), step);
        const tr = i32x4.add(tl, i32x4.splat(1)), bl = i32x4.add(tl, i32x4.splat(w)), br = i32x4.add(bl, i32x4.splat(1));
        const e0 = i32x4.eq(k, tl), e1 = i32x4.eq(k, tr), e2 = i32x4.eq(k, bl), e3 = i32x4.eq(k, br);
        if (!i32x4.all_true(v128.or(v128.or(e0, e1), v128.or(e2, e3)))) return o + firstStray(idx + at, tl, w);
        const a = v128.and(v, e0), b = v128.and(v, e1), c = v128.and(v, e2), d = v128.and(v, e3);
        const off = <usize>(2 * ox) * 4;
        v128.store(r0 + off, v128.shuffle<f32>(a, b, 0, 4, 1, 5));
        v128.store(r0 + off + 16, v128.shuffle<f32>(a, b, 2, 6, 3, 7));
        v128.store(r1 + off, v128.shuffle<f32>(c, d, 0, 4, 1, 5));
        v128.store(r1 + off + 16, v128.shuffle<f32>(c, d, 2, 6, 3, 7));
      }
      for (; ox < ow; ox++, o++) {
        const k = load<i32>(idx + <usize>o * 4), t = row0 + 2 * ox;
        if (k != t && k != t + 1 && k != t + w && k != t + w + 1) return o;
        const m: f32 = load<f32>(pooled + <usize>o * 4) > 0 ? 1 : 0;
        const v = (<f32>0 + load<f32>(dp + <usize>o * 4)) * m;
        store<f32>(r0 + <usize>(2 * ox) * 4, k == t ? v : 0);
        store<f32>(r0 + <usize>(2 * ox + 1) * 4, k == t + 1 ? v : 0);
        store<f32>(r1 + <usize>(2 * ox) * 4, k == t + w ? v : 0);
        store<f32>(r1 + <usize>(2 * ox + 1) * 4, k == t + w + 1 ? v : 0);
      }
      // the column floor mode leaves out
      if (w & 1) { store<f32>(r0 + <usize>(w - 1) * 4, 0); store<f32>(r1 + <usize>(w - 1) * 4, 0); }
    }
    // the row floor mode leaves out
    if (h & 1) memory.fill(base + <usize>((h - 1) * w) * 4, 0, <usize>w * 4);
  }
  return -1;
}

/**
 * unpoolRelu for images n0 ≤ n < n1 of a batch (`C` planes an image), one chunk of a job split
 * between threads (src/ops/wasm/threads.ts): the batch's first stray position goes to *bad
 * (−1 when none; the caller reads it).
 */
export function unpoolReluImages(dp: usize, idx: usize, pooled: usize, dy: usize, C: i32, h: i32, w: i32, n0: i32, n1: i32, bad: usize): void {
  const per = C * (h >> 1) * (w >> 1), plane = h * w;
  const at = unpoolRelu(dp + <usize>(n0 * per) * 4, idx + <usize>(n0 * per) * 4, pooled + <usize>(n0 * per) * 4, dy + <usize>(n0 * C * plane) * 4, (n1 - n0) * C, h, w);
  store<i32>(bad, at < 0 ? -1 : n0 * per + at);
}

/** Which of 4 windows (top-left pixels tl, plane width w) holds an index outside itself: 0–3. */
function firstStray(idx: usize, tl: v128, w: i32): i32 {
  for (let q = 0; q < 4; q++) {
    const k = load<i32>(idx + <usize>q * 4), t = i32x4.extract_lane(tl, 0) + 2 * q;
    if (k != t && k != t + 1 && k != t + w && k != t + w + 1) return q;
  }
  return 0;
}
