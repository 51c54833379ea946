import { fmtShape, opError } from '../tensor/errors';
import type { Rng } from '../tensor/random';
import { Tensor, zeros } from '../tensor/tensor';
import { expectRank, outputSize, pair, type Pair } from './shape';
import type { OpCase, OpSpec } from './spec';
import { defaultWasm } from './impl';
import type { WasmArena } from './wasm/runtime';

/**
 * Pooling over [N, C, H, W], PyTorch semantics (nn.MaxPool2d / nn.AvgPool2d).
 *
 * Output size per axis: ⌊(H + 2P − D·(F − 1) − 1) / S⌋ + 1, or ⌈…⌉ + 1 under ceilMode (the last
 * window must still start inside the input or the left padding). Padding is implicit: −∞ for max,
 * zeros for avg, and at most half the (effective) kernel size, as PyTorch requires.
 */
export interface Pool2dOptions {
  kernelSize: Pair;
  /** Default: kernelSize (non-overlapping windows). */
  stride?: Pair;
  /** Implicit −∞ for max, zeros for avg; at most half the effective kernel size. */
  padding?: Pair;
  /** Gap between window taps (max pooling only). */
  dilation?: Pair;
  ceilMode?: boolean;
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the full window (padding included) rather than the real pixels. Default true. */
  countIncludePad?: boolean;
}

/** Everything a pooling loop needs, validated once. */
interface Geometry {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number; sh: number; sw: number;
  ph: number; pw: number; dh: number; dw: number;
  oh: number; ow: number;
}

function geometry(op: string, x: Tensor, opts: Pool2dOptions, allowDilation: boolean): Geometry {
  expectRank(op, 'x', x, 4, '[N, C, H, W]');
  if (!opts || opts.kernelSize === undefined) throw opError(op, 'opts.kernelSize is required');
  const [n, c, h, w] = x.shape;
  const [kh, kw] = pair(opts.kernelSize, 1, op, 'kernelSize');
  const [sh, sw] = pair(opts.stride ?? [kh, kw], 1, op, 'stride');
  const [ph, pw] = pair(opts.padding, 0, op, 'padding', 0);
  const [dh, dw] = pair(opts.dilation, 1, op, 'dilation');
  if (!allowDilation && (dh !== 1 || dw !== 1)) {
    throw opError(op, `dilation is only supported by maxPool2d, got ${JSON.stringify(opts.dilation)}`);
  }
  const ceilMode = opts.ceilMode ?? false;
  const axes = [
    ['H', h, kh, ph, dh],
    ['W', w, kw, pw, dw],
  ] as const;
  for (const [axis, size, k, p, d] of axes) {
    const eff = d * (k - 1) + 1;
    const effText = d > 1 ? ` (dilation ${d} → effective ${eff})` : '';
    if (p > Math.floor(eff / 2)) {
      throw opError(op, `padding ${p} along ${axis} must be at most half the kernel size ${k}${effText}, i.e. ≤ ${Math.floor(eff / 2)} (x ${fmtShape(x.shape)})`);
    }
    if (size + 2 * p < eff) {
      throw opError(op, `kernelSize ${k}${effText} is larger than the padded input ${size} + ${p} + ${p} = ${size + 2 * p} along ${axis} of x ${fmtShape(x.shape)}`);
    }
  }
  const oh = outputSize(h, kh, ph, sh, dh, ceilMode);
  const ow = outputSize(w, kw, pw, sw, dw, ceilMode);
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

function expectDy(op: string, dy: Tensor, g: Geometry): void {
  expectRank(op, 'dy', dy, 4, '[N, C, OH, OW]');
  const want = [g.n, g.c, g.oh, g.ow];
  if (dy.shape.some((d, i) => d !== want[i])) {
    throw opError(op, `dy shape ${fmtShape(dy.shape)} does not match the output shape ${fmtShape(want)}`);
  }
}

/**
 * Max pooling with the winners' positions: `indices[i]` is the flat index `iy·W + ix` inside x's
 * H·W plane of the element that produced output i (PyTorch's return_indices). The first maximum
 * wins ties; a NaN wins over numbers (NaN propagates, as in PyTorch).
 */
export function maxPool2dWithIndices(
  x: Tensor,
  opts: Pool2dOptions,
  indicesOut?: Int32Array,
): { y: Tensor; indices: Int32Array } {
  const op = 'maxPool2d';
  const g = geometry(op, x, opts, true);
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const y = zeros([n, c, oh, ow]);
  // A caller that keeps its indices privately (the MaxPool2d layer) may hand back last call's
  // array: a fresh one costs a page fault per 4 KB on first write.
  const indices = indicesOut && indicesOut.length === y.size ? indicesOut : new Int32Array(y.size);
  const xd = x.data;
  const yd = y.data;
  // Fast path: every window lies inside x (no padding, no dilation, no ceilMode overhang), so
  // the bounds tests go away. Same scan order and tie/NaN rule as the general loop below.
  if (ph === 0 && pw === 0 && dh === 1 && dw === 1 && (oh - 1) * sh + kh <= h && (ow - 1) * sw + kw <= w) {
    if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && maxPool2x2InWasm(xd, yd, indices, n * c, h, w, oh, ow)) return { y, indices };
    if (kh === 2 && kw === 2) maxPool2x2(xd, yd, indices, n * c, h, w, sh, sw, oh, ow);
    else maxPoolInside(xd, yd, indices, n * c, h, w, kh, kw, sh, sw, oh, ow);
    return { y, indices };
  }
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * sw - pw;
        let best = -Infinity;
        let arg = -1;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const v = xd[base + iy * w + ix];
            if (v > best || Number.isNaN(v) || arg < 0) {
              best = v;
              arg = iy * w + ix;
            }
          }
        }
        // Only possible with large dilation: every tap falls in padding or past the edge.
        if (arg < 0) throw opError(op, `window at output (${oy}, ${ox}) covers no input pixel of x ${fmtShape(x.shape)}`);
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
  return { y, indices };
}

/**
 * Max pooling when every window lies inside the plane. A value replaces the running best when it
 * is larger or NaN, so the first maximum wins ties and the last NaN wins (as the general loop).
 */
function maxPoolInside(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number,
  h: number, w: number, kh: number, kw: number, sh: number, sw: number, oh: number, ow: number,
): void {
  const hw = h * w;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * hw;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = oy * sh * w;
      for (let ox = 0; ox < ow; ox++, o++) {
        const start = row0 + ox * sw;
        let best = xd[base + start];
        let arg = start;
        for (let ky = 0; ky < kh; ky++) {
          const r = start + ky * w;
          for (let kx = ky === 0 ? 1 : 0; kx < kw; kx++) {
            const v = xd[base + r + kx];
            if (v > best || v !== v) {
              best = v;
              arg = r + kx;
            }
          }
        }
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
}

/** maxPoolInside unrolled for the common 2×2 window (LeNet, VGG): taps in row-major order. */
function maxPool2x2(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number,
  h: number, w: number, sh: number, sw: number, oh: number, ow: number,
): void {
  const hw = h * w;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * hw;
    for (let oy = 0; oy < oh; oy++) {
      const row0 = oy * sh * w;
      for (let ox = 0; ox < ow; ox++, o++) {
        const k = row0 + ox * sw;
        const p = base + k;
        let best = xd[p];
        let arg = k;
        let v = xd[p + 1];
        if (v > best || v !== v) { best = v; arg = k + 1; }
        v = xd[p + w];
        if (v > best || v !== v) { best = v; arg = k + w; }
        v = xd[p + w + 1];
        if (v > best || v !== v) { best = v; arg = k + w + 1; }
        yd[o] = best;
        indices[o] = arg;
      }
    }
  }
}

/**
 * The wasm kernels when a max-pool pass over n input floats should use them: loaded, not forced
 * off (`setOpsImpl('js' | 'naive')`), and big enough that copying in and out pays (≥ 4096).
 */
function poolWasm(n: number): WasmArena | null {
  return n < 4096 ? null : defaultWasm();
}

/**
 * The 2×2 stride-2 case in WebAssembly SIMD (src/ops/wasm/asm/pool.ts: same rule, bit-identical,
 * ~5× faster than the branchy scalar loop on real data); false when the wasm kernels are not
 * loaded or the plain-JS path is forced (`setOpsImpl('js' | 'naive')`), and maxPool2x2 runs.
 */
function maxPool2x2InWasm(
  xd: Float32Array, yd: Float32Array, indices: Int32Array, planes: number, h: number, w: number, oh: number, ow: number,
): boolean {
  const m = poolWasm(xd.length);
  if (!m) return false;
  m.reset();
  const px = m.copyIn(xd, 0, xd.length);
  const py = m.alloc(yd.length * 4);
  const pi = m.alloc(indices.length * 4);
  m.k.maxPool2x2s2(px, py, pi, planes, h, w, oh, ow);
  yd.set(m.f32.subarray(py >> 2, (py >> 2) + yd.length));
  indices.set(new Int32Array(m.memory.buffer, pi, indices.length));
  return true;
}

/** Max pooling: y = max over each (dilated) window; padding counts as −∞. */
export function maxPool2d(x: Tensor, opts: Pool2dOptions): Tensor {
  return maxPool2dWithIndices(x, opts).y;
}

/**
 * ∂L/∂x of max pooling: each dy goes to the input element that won its window (summed where
 * windows overlap); every other input gets 0. `indices` from the forward pass saves the search.
 */
export function maxPool2dBackward(dy: Tensor, x: Tensor, opts: Pool2dOptions, indices?: Int32Array): Tensor {
  const op = 'maxPool2dBackward';
  const g = geometry(op, x, opts, true);
  expectDy(op, dy, g);
  const idx = indices ?? maxPool2dWithIndices(x, opts).indices;
  if (idx.length !== dy.size) {
    throw opError(op, `indices has ${idx.length} entries but dy ${fmtShape(dy.shape)} has ${dy.size}`);
  }
  const hw = g.h * g.w;
  const perPlane = g.oh * g.ow;
  const m = poolWasm(x.size);
  if (m) {
    m.reset();
    const pdy = m.copyIn(dy.data, 0, dy.size);
    const pi = m.alloc(idx.length * 4);
    new Int32Array(m.memory.buffer, pi, idx.length).set(idx);
    const pdx = m.alloc(x.size * 4);
    const bad = m.k.maxPoolBackward(pdy, pi, pdx, g.n * g.c, hw, perPlane);
    if (bad >= 0) throw opError(op, `index ${idx[bad]} at position ${bad} is outside the ${g.h}×${g.w} plane of x`);
    return new Tensor(m.copyOut(pdx, x.size), x.shape);
  }
  const dx = zeros(x.shape);
  const dxd = dx.data;
  const dyd = dy.data;
  // Plane by plane, so the plane offset is a running sum instead of a division per element.
  for (let plane = 0, o = 0; plane < g.n * g.c; plane++) {
    const base = plane * hw;
    for (const end = o + perPlane; o < end; o++) {
      const k = idx[o];
      if (k < 0 || k >= hw) throw opError(op, `index ${k} at position ${o} is outside the ${g.h}×${g.w} plane of x`);
      dxd[base + k] += dyd[o];
    }
  }
  return dx;
}

/**
 * The divisor of each avg-pool window, PyTorch's rule: the window is first clipped to the padded
 * input (so a ceilMode window hanging past the padding is not charged for that part); with
 * countIncludePad it divides by that size, otherwise by the number of real pixels.
 */
function avgWindow(start: number, k: number, size: number, pad: number): [lo: number, hi: number, padded: number] {
  const end = Math.min(start + k, size + pad);
  const padded = end - start;
  return [Math.max(start, 0), Math.min(end, size), padded];
}

/** Average pooling: y = Σ window / divisor (see countIncludePad and ceilMode notes above). */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor {
  const op = 'avgPool2d';
  const g = geometry(op, x, opts, false);
  const includePad = opts.countIncludePad ?? true;
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const y = zeros([n, c, oh, ow]);
  const xd = x.data;
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, padH] = avgWindow(oy * sh - ph, kh, h, ph);
      for (let ox = 0; ox < ow; ox++, o++) {
        const [x0, x1, padW] = avgWindow(ox * sw - pw, kw, w, pw);
        let sum = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) sum += xd[base + iy * w + ix];
        y.data[o] = sum / (includePad ? padH * padW : (y1 - y0) * (x1 - x0));
      }
    }
  }
  return y;
}

/** ∂L/∂x of average pooling: each dy is spread evenly (dy / divisor) over its window's pixels. */
export function avgPool2dBackward(dy: Tensor, x: Tensor, opts: AvgPool2dOptions): Tensor {
  const op = 'avgPool2dBackward';
  const g = geometry(op, x, opts, false);
  expectDy(op, dy, g);
  const includePad = opts.countIncludePad ?? true;
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const dx = zeros(x.shape);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, padH] = avgWindow(oy * sh - ph, kh, h, ph);
      for (let ox = 0; ox < ow; ox++, o++) {
        const [x0, x1, padW] = avgWindow(ox * sw - pw, kw, w, pw);
        const share = dy.data[o] / (includePad ? padH * padW : (y1 - y0) * (x1 - x0));
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) dx.data[base + iy * w + ix] += share;
      }
    }
  }
  return dx;
}

/** Global average pooling: [N, C, H, W] → [N, C, 1, 1], the mean of each channel plane. */
export function globalAvgPool2d(x: Tensor): Tensor {
  expectRank('globalAvgPool2d', 'x', x, 4, '[N, C, H, W]');
  const [n, c, h, w] = x.shape;
  const hw = h * w;
  if (hw === 0) throw opError('globalAvgPool2d', `x ${fmtShape(x.shape)} has an empty H×W plane`);
  const y = zeros([n, c, 1, 1]);
  for (let p = 0; p < n * c; p++) {
    let sum = 0;
    for (let i = 0; i < hw; i++) sum += x.data[p * hw + i];
    y.data[p] = sum / hw;
  }
  return y;
}

/** ∂L/∂x of global average pooling: dx[n, c, i, j] = dy[n, c] / (H·W). */
export function globalAvgPool2dBackward(dy: Tensor, x: Tensor): Tensor {
  const op = 'globalAvgPool2dBackward';
  expectRank(op, 'x', x, 4, '[N, C, H, W]');
  const [n, c, h, w] = x.shape;
  if (dy.rank !== 4 || dy.shape[0] !== n || dy.shape[1] !== c || dy.shape[2] !== 1 || dy.shape[3] !== 1) {
    throw opError(op, `dy shape ${fmtShape(dy.shape)} does not match the output shape ${fmtShape([n, c, 1, 1])}`);
  }
  const hw = h * w;
  const dx = zeros(x.shape);
  for (let p = 0; p < n * c; p++) dx.data.fill(dy.data[p] / hw, p * hw, (p + 1) * hw);
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Shape tables for the gradient checker and parity suites.

function fmtPair(v: Pair | undefined): string {
  return typeof v === 'number' || v === undefined ? String(v) : `[${v.join(',')}]`;
}

function poolCase<A extends AvgPool2dOptions>(x: number[], attrs: A): OpCase<A> {
  let name = `x=[${x.join(',')}] k=${fmtPair(attrs.kernelSize)}`;
  if (attrs.stride !== undefined) name += ` s=${fmtPair(attrs.stride)}`;
  if (attrs.padding !== undefined) name += ` p=${fmtPair(attrs.padding)}`;
  if (attrs.dilation !== undefined) name += ` d=${fmtPair(attrs.dilation)}`;
  if (attrs.ceilMode) name += ' ceil';
  if (attrs.countIncludePad === false) name += ' excludePad';
  return { name, shapes: [x], attrs };
}

/**
 * Distinct values spaced 0.05 apart in random order, so no window has a near-tie and a finite
 * difference step below 0.025 never changes which element wins.
 */
function distinctValues(c: OpCase<Pool2dOptions>, rng: Rng): Tensor[] {
  const x = zeros(c.shapes[0]);
  const order = rng.shuffle(Int32Array.from({ length: x.size }, (_, i) => i)) as Int32Array;
  for (let i = 0; i < x.size; i++) x.data[i] = (order[i] - x.size / 2) * 0.05;
  return [x];
}

export const poolSpecs: OpSpec[] = [
  {
    name: 'maxPool2d',
    inputs: ['x'],
    forward: ([x], a: Pool2dOptions) => maxPool2d(x, a),
    backward: (dy, [x], a: Pool2dOptions) => [maxPool2dBackward(dy, x, a)],
    makeInputs: distinctValues,
    cases: [
      poolCase([1, 1, 4, 4], { kernelSize: 2 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
      poolCase([1, 2, 8, 6], { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0] }),
      poolCase([1, 2, 9, 9], { kernelSize: 3, stride: 2, dilation: 2, padding: 2 }),
      poolCase([2, 2, 6, 6], { kernelSize: 3, stride: 1 }),
      poolCase([1, 2, 5, 5], { kernelSize: 2, stride: 2, ceilMode: true }),
    ],
  },
  {
    name: 'avgPool2d',
    inputs: ['x'],
    forward: ([x], a: AvgPool2dOptions) => avgPool2d(x, a),
    backward: (dy, [x], a: AvgPool2dOptions) => [avgPool2dBackward(dy, x, a)],
    cases: [
      poolCase([1, 1, 4, 4], { kernelSize: 2 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1 }),
      poolCase([2, 3, 7, 7], { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
      poolCase([1, 2, 6, 6], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
      poolCase([1, 2, 6, 6], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      poolCase([1, 2, 8, 5], { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0] }),
    ],
  },
  {
    name: 'globalAvgPool2d',
    inputs: ['x'],
    forward: ([x]) => globalAvgPool2d(x),
    backward: (dy, [x]) => [globalAvgPool2dBackward(dy, x)],
    cases: [
      { name: 'x=[2,3,5,5]', shapes: [[2, 3, 5, 5]], attrs: {} },
      { name: 'x=[1,4,1,1]', shapes: [[1, 4, 1, 1]], attrs: {} },
    ],
  },
];
