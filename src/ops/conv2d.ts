/**
 * 2-D convolution (cross-correlation, as PyTorch and TensorFlow compute it), forward and backward.
 *
 * Shapes: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], b [Cout] or null → y [N, Cout, Ho, Wo],
 *   Ho = ⌊(H + top + bottom − DH·(KH − 1) − 1) / SH⌋ + 1   (the lecture's (H − F + 2P)/S + 1),
 * and output channel co belongs to group g = ⌊co / (Cout/groups)⌋, which sees input channels
 * g·Cin_g … g·Cin_g + Cin_g − 1 (Cin_g = Cin/groups; depthwise conv is groups = Cin).
 *
 * Forward:   y[n,co,i,j] = b[co] + Σ_{ci,p,q} x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] · w[co,ci,p,q]
 * Backward (each product in that sum hands dy[n,co,i,j] back to both of its factors):
 *   dx[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] += dy[n,co,i,j] · w[co,ci,p,q]
 *   dw[co,ci,p,q]                           += dy[n,co,i,j] · x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D]
 *   db[co]                                  += dy[n,co,i,j]
 *
 * Two implementations of the same formulas: `…Naive` (the loops above, to read) and `…Fast`
 * (im2col + blocked GEMM: Y = W·cols, dW = dY·colsᵀ, dX = col2im(Wᵀ·dY), per group).
 */
import { fmtShape, opError } from '../tensor/errors';
import { allocFloat32 } from '../tensor/buffers';
import { Tensor } from '../tensor/tensor';
import { gemm } from './gemm';
import { col2im, ConvGeometry, im2col } from './im2col';
import { Impl, resolveFastPath, resolveImpl, withFastPath } from './impl';
import { convBackwardInWasm, convForwardInWasm, convGradBiasInWasm, convGradInputInWasm, convGradWeightInWasm } from './wasm/conv';
import { Pad4, Padding, Pair, outputSize, pair, resolvePadding } from './shape';
import type { OpCase, OpSpec } from './spec';

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
  impl?: Impl;
}

/** Every size of one conv call, validated and resolved once. */
export interface Conv2dParams {
  N: number;
  Cin: number;
  H: number;
  W: number;
  Cout: number;
  KH: number;
  KW: number;
  groups: number;
  /** Cin/groups and Cout/groups. */
  CinG: number;
  CoutG: number;
  stride: [number, number];
  dilation: [number, number];
  pad: Pad4;
  Ho: number;
  Wo: number;
}

const X_LAYOUT = '[N, C, H, W]';
const W_LAYOUT = '[Cout, Cin/groups, KH, KW]';

function checkRank4(op: string, name: string, shape: readonly number[], layout: string): void {
  if (!Array.isArray(shape) && !(shape && typeof (shape as readonly number[]).length === 'number')) {
    throw opError(op, `${name} must be a Tensor, got ${shape === null ? 'null' : typeof shape}`);
  }
  if (shape.length !== 4) throw opError(op, `${name} must be rank 4 ${layout}, got shape ${fmtShape(shape)}`);
}

function shapeOf(op: string, name: string, t: Tensor): readonly number[] {
  if (!t || !t.shape || !t.data) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  return t.shape;
}

/** Validate shapes and options and resolve every size (errors start with `op`). */
export function conv2dParams(op: string, xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): Conv2dParams {
  checkRank4(op, 'x', xShape, X_LAYOUT);
  checkRank4(op, 'w', wShape, W_LAYOUT);
  const [N, Cin, H, W] = xShape;
  const [Cout, wCin, KH, KW] = wShape;
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw opError(op, `groups must be a positive integer, got ${groups}`);
  if (Cin % groups !== 0) throw opError(op, `groups = ${groups} must divide the input channels Cin = ${Cin} (x ${fmtShape(xShape)})`);
  if (Cout % groups !== 0) throw opError(op, `groups = ${groups} must divide the output channels Cout = ${Cout} (w ${fmtShape(wShape)})`);
  const CinG = Cin / groups;
  if (wCin !== CinG) {
    throw opError(op, `channel mismatch: x ${fmtShape(xShape)} has Cin = ${Cin}, so with groups = ${groups} w needs Cin/groups = ${CinG} in dimension 1, but w is ${fmtShape(wShape)}`);
  }
  const stride = pair(opts.stride, 1, op, 'stride');
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  const pad = resolvePadding(opts.padding, [H, W], [KH, KW], stride, dilation, op);
  const size = (axis: string, n: number, k: number, before: number, after: number, s: number, d: number): number => {
    try {
      return outputSize(n, k, [before, after], s, d);
    } catch (e) {
      const msg = (e as Error).message.replace(/^outputSize: /, '');
      throw opError(op, `along ${axis}, ${msg} (x ${fmtShape(xShape)}, w ${fmtShape(wShape)})`);
    }
  };
  const Ho = size('H', H, KH, pad.top, pad.bottom, stride[0], dilation[0]);
  const Wo = size('W', W, KW, pad.left, pad.right, stride[1], dilation[1]);
  if (!Number.isInteger(N) || N < 1) throw opError(op, `x ${fmtShape(xShape)} needs a batch size N ≥ 1`);
  return { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG: Cout / groups, stride, dilation, pad, Ho, Wo };
}

/** Output shape [N, Cout, Ho, Wo] of conv2d(x, w, …) without computing anything. */
export function conv2dOutputShape(xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): number[] {
  const p = conv2dParams('conv2dOutputShape', xShape, wShape, opts);
  return [p.N, p.Cout, p.Ho, p.Wo];
}

function forwardParams(op: string, x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions): Conv2dParams {
  const p = conv2dParams(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), opts);
  if (b !== null && b !== undefined) {
    const bs = shapeOf(op, 'b', b);
    if (bs.length !== 1 || bs[0] !== p.Cout) {
      throw opError(op, `b must have shape [Cout] = [${p.Cout}] for w ${fmtShape(w.shape)}, got ${fmtShape(bs)}`);
    }
  }
  return p;
}

function backwardParams(op: string, dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions): Conv2dParams {
  const p = conv2dParams(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), opts);
  const ys = [p.N, p.Cout, p.Ho, p.Wo];
  const ds = shapeOf(op, 'dy', dy);
  if (ds.length !== 4 || ds.some((d, i) => d !== ys[i])) {
    throw opError(op, `dy must have the output shape ${fmtShape(ys)} of conv2d(x ${fmtShape(x.shape)}, w ${fmtShape(w.shape)}), got ${fmtShape(ds)}`);
  }
  return p;
}

// ─── naive: the formulas as loops ─────────────────────────────────────────────────────────

/** Forward by the definition: seven nested loops, zero padding by skipping outside pixels. */
export function conv2dNaive(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const { N, Cin, H, W, Cout, KH, KW, CinG, CoutG, stride: [SH, SW], dilation: [DH, DW], pad, Ho, Wo } = forwardParams('conv2d', x, w, b, opts);
  const X = x.data;
  const Wt = w.data;
  const y = new Float32Array(N * Cout * Ho * Wo);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      const g = Math.floor(co / CoutG); // the group this output channel belongs to
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          let s = b ? b.data[co] : 0;
          for (let ci = 0; ci < CinG; ci++) {
            for (let p = 0; p < KH; p++) {
              for (let q = 0; q < KW; q++) {
                const h = i * SH - pad.top + p * DH;
                const c = j * SW - pad.left + q * DW;
                if (h < 0 || h >= H || c < 0 || c >= W) continue; // padding is zero: adds nothing
                s += X[((n * Cin + g * CinG + ci) * H + h) * W + c] * Wt[((co * CinG + ci) * KH + p) * KW + q];
              }
            }
          }
          y[((n * Cout + co) * Ho + i) * Wo + j] = s;
        }
      }
    }
  }
  return new Tensor(y, [N, Cout, Ho, Wo]);
}

/**
 * The forward loops again, handing each dy[n,co,i,j] back to the factors of every product it
 * came from (float64 accumulators: many small contributions per entry).
 */
function backwardLoops(p: Conv2dParams, dy: Tensor, x: Tensor, w: Tensor, wantDx: boolean, wantDw: boolean): { dx: Float64Array; dw: Float64Array } {
  const { N, Cin, H, W, Cout, KH, KW, CinG, CoutG, stride: [SH, SW], dilation: [DH, DW], pad, Ho, Wo } = p;
  const X = x.data;
  const Wt = w.data;
  const dY = dy.data;
  const dx = new Float64Array(wantDx ? X.length : 0);
  const dw = new Float64Array(wantDw ? Wt.length : 0);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      const g = Math.floor(co / CoutG);
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          const d = dY[((n * Cout + co) * Ho + i) * Wo + j];
          for (let ci = 0; ci < CinG; ci++) {
            for (let r = 0; r < KH; r++) {
              for (let q = 0; q < KW; q++) {
                const h = i * SH - pad.top + r * DH;
                const c = j * SW - pad.left + q * DW;
                if (h < 0 || h >= H || c < 0 || c >= W) continue;
                const xi = ((n * Cin + g * CinG + ci) * H + h) * W + c;
                const wi = ((co * CinG + ci) * KH + r) * KW + q;
                if (wantDx) dx[xi] += d * Wt[wi];
                if (wantDw) dw[wi] += d * X[xi];
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

/** db[co] = Σ_{n,i,j} dy[n,co,i,j]. */
function biasGrad(dy: Tensor, N: number, Cout: number, L: number): Tensor {
  const db = new Float32Array(Cout);
  const d = dy.data;
  for (let co = 0; co < Cout; co++) {
    let s = 0;
    for (let n = 0; n < N; n++) {
      const off = (n * Cout + co) * L;
      for (let k = 0; k < L; k++) s += d[off + k];
    }
    db[co] = s;
  }
  return new Tensor(db, [Cout]);
}

/** dL/dx by the loops (see the file comment). */
export function conv2dGradInputNaive(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(Float32Array.from(backwardLoops(p, dy, x, w, true, false).dx), x.shape);
}

/** dL/dw by the loops (see the file comment). */
export function conv2dGradWeightNaive(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(Float32Array.from(backwardLoops(p, dy, x, w, false, true).dw), w.shape);
}

/** dx, dw and db by the loops, in one pass over the forward's index space. */
export function conv2dBackwardNaive(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  const { dx, dw } = backwardLoops(p, dy, x, w, true, true);
  return {
    dx: new Tensor(Float32Array.from(dx), x.shape),
    dw: new Tensor(Float32Array.from(dw), w.shape),
    db: biasGrad(dy, p.N, p.Cout, p.Ho * p.Wo),
  };
}

// ─── fast: im2col + GEMM ──────────────────────────────────────────────────────────────────

/**
 * One growable scratch buffer for the cols matrix, reused by every call: allocating (and
 * first-touching) a fresh multi-MB array per call would cost more than the GEMM on small
 * layers (FINDINGS.md: ~11 µs per 4 KB page). JavaScript is single-threaded, and no caller
 * keeps a reference past its own call, so sharing it is safe.
 */
let workspace = new Float32Array(0);

/**
 * Cap on the cols block, in floats (default 4M = 16 MB). Larger images are unfolded a band of
 * output rows at a time, so VGG-sized layers (224×224, K = 576: 29M floats) do not need a
 * 115 MB scratch buffer; GEMM efficiency is unchanged because its own blocking is smaller.
 */
let workspaceLimit = 1 << 22;

function scratch(n: number): Float32Array {
  if (workspace.length < n) workspace = new Float32Array(Math.max(n, Math.min(workspaceLimit, Math.ceil(workspace.length * 1.5))));
  return workspace;
}

/** Size of the growable scratch buffer in floats (for tests and memory reports). */
export function conv2dWorkspaceSize(): number {
  return workspace.length;
}

/** Set the cap on the cols block (floats, ≥ 1); returns the previous cap. At least one output row is always unfolded. */
export function setConv2dWorkspaceLimit(floats: number): number {
  if (!Number.isInteger(floats) || floats < 1) throw opError('setConv2dWorkspaceLimit', `floats must be a positive integer, got ${floats}`);
  const prev = workspaceLimit;
  workspaceLimit = floats;
  return prev;
}

/** Output rows per band so that a [K, rows·Wo] cols block stays under the cap. */
function rowsPerBand(K: number, Ho: number, Wo: number): number {
  return Math.max(1, Math.min(Ho, Math.floor(workspaceLimit / (K * Wo))));
}

/** The im2col geometry of one group of one image. */
function geometry(p: Conv2dParams): ConvGeometry {
  return {
    C: p.CinG, H: p.H, W: p.W, KH: p.KH, KW: p.KW,
    strideH: p.stride[0], strideW: p.stride[1], dilationH: p.dilation[0], dilationW: p.dilation[1],
    pad: p.pad, Ho: p.Ho, Wo: p.Wo,
  };
}

/** A 1×1, stride-1, unpadded conv reads x as its own cols matrix (no copy needed). */
function isPointwise(p: Conv2dParams): boolean {
  const { pad } = p;
  return p.KH === 1 && p.KW === 1 && p.stride[0] === 1 && p.stride[1] === 1 && pad.top === 0 && pad.bottom === 0 && pad.left === 0 && pad.right === 0;
}

/**
 * Forward as GEMMs per image and group: Y[n, g] (Cout_g × Ho·Wo) = W_g (Cout_g × K) · cols,
 * K = Cin_g·KH·KW; a band of output rows i0 … i1 − 1 fills columns i0·Wo … i1·Wo − 1 of Y.
 */
export function conv2dFast(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const p = forwardParams('conv2d', x, w, b, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const y = allocFloat32(N * Cout * L);
  if (b) for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) y.fill(b.data[co], (n * Cout + co) * L, (n * Cout + co + 1) * L);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const cols = direct ? x.data : scratch(K * band * Wo);
  const geom = geometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const yOff = (n * Cout + g * CoutG) * L;
      // beta = 1: y already holds the bias (or zeros).
      if (direct) {
        gemm(false, false, CoutG, L, K, 1, w.data, g * CoutG * K, K, x.data, xOff, L, 1, y, yOff, L);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(x.data, xOff, geom, cols, 0, i0, i1);
        gemm(false, false, CoutG, Lb, K, 1, w.data, g * CoutG * K, K, cols, 0, Lb, 1, y, yOff + i0 * Wo, L);
      }
    }
  }
  return new Tensor(y, [N, Cout, Ho, Wo]);
}

/** dX = col2im(W_gᵀ · dY[n, g]) per image, group and band of output rows. */
export function conv2dGradInputFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const dx = allocFloat32(N * Cin * H * W);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const dcols = direct ? dx : scratch(K * band * Wo);
  const geom = geometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyOff = (n * Cout + g * CoutG) * L;
      if (direct) {
        // cols is x itself, so col2im is the identity: write Wᵀ·dY straight into dx.
        gemm(true, false, K, L, CoutG, 1, w.data, g * CoutG * K, K, dy.data, dyOff, L, 1, dx, xOff, L);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        gemm(true, false, K, Lb, CoutG, 1, w.data, g * CoutG * K, K, dy.data, dyOff + i0 * Wo, L, 0, dcols, 0, Lb);
        col2im(dcols, 0, geom, dx, xOff, i0, i1);
      }
    }
  }
  return new Tensor(dx, x.shape);
}

/** dW_g = Σ_n dY[n, g] · cols(x[n, g])ᵀ, accumulated over images and bands by GEMM's β = 1. */
export function conv2dGradWeightFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  const { N, Cin, H, W, Cout, KH, KW, groups, CinG, CoutG, Ho, Wo } = p;
  const K = CinG * KH * KW;
  const L = Ho * Wo;
  const dw = allocFloat32(w.size);
  const direct = isPointwise(p);
  const band = rowsPerBand(K, Ho, Wo);
  const cols = direct ? x.data : scratch(K * band * Wo);
  const geom = geometry(p);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * H * W;
      const dyOff = (n * Cout + g * CoutG) * L;
      if (direct) {
        gemm(false, true, CoutG, K, L, 1, dy.data, dyOff, L, x.data, xOff, L, 1, dw, g * CoutG * K, K);
        continue;
      }
      for (let i0 = 0; i0 < Ho; i0 += band) {
        const i1 = Math.min(Ho, i0 + band);
        const Lb = (i1 - i0) * Wo;
        im2col(x.data, xOff, geom, cols, 0, i0, i1);
        gemm(false, true, CoutG, K, Lb, 1, dy.data, dyOff + i0 * Wo, L, cols, 0, Lb, 1, dw, g * CoutG * K, K);
      }
    }
  }
  return new Tensor(dw, w.shape);
}

/** dx, dw, db by im2col + GEMM. */
export function conv2dBackwardFast(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  return {
    dx: conv2dGradInputFast(dy, x, w, opts),
    dw: conv2dGradWeightFast(dy, x, w, opts),
    db: biasGrad(dy, p.N, p.Cout, p.Ho * p.Wo),
  };
}

// ─── wasm: the same plan with the operands kept in WebAssembly memory ─────────────────────

/** Forward by im2col + the SIMD GEMM in wasm memory (src/ops/wasm/conv.ts). */
export function conv2dWasm(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const p = forwardParams('conv2d', x, w, b, opts);
  return new Tensor(convForwardInWasm(p, x.data, w.data, b ? b.data : null), [p.N, p.Cout, p.Ho, p.Wo]);
}

/** dX by the SIMD GEMM + col2im in wasm memory. */
export function conv2dGradInputWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradInputInWasm(p, dy.data, w.data), x.shape);
}

/** dW by im2col + the SIMD GEMM in wasm memory. */
export function conv2dGradWeightWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(convGradWeightInWasm(p, dy.data, x.data), w.shape);
}

/** dx, dw, db with the wasm kernels. */
export function conv2dBackwardWasm(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = backwardParams('conv2dBackward', dy, x, w, opts);
  const { dx, dw, db } = convBackwardInWasm(p, dy.data, x.data, w.data);
  return { dx: new Tensor(dx, x.shape), dw: new Tensor(dw, w.shape), db: new Tensor(db, [p.Cout]) };
}

/** The fast path `impl` asks for: wasm when it is loaded (or forced), else im2col + plain-JS GEMM. */
function fastPath<T>(op: string, impl: Impl | undefined, wasm: () => T, js: () => T): T {
  return resolveFastPath(op, impl) === 'wasm' ? wasm() : withFastPath('js', js);
}

// ─── dispatch ─────────────────────────────────────────────────────────────────────────────

/** y = conv2d(x, w, b): x [N,Cin,H,W], w [Cout,Cin/groups,KH,KW], b [Cout] | null → [N,Cout,Ho,Wo]. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  return resolveImpl('conv2d', opts.impl) === 'naive' ? conv2dNaive(x, w, b, opts) : fastPath('conv2d', opts.impl, () => conv2dWasm(x, w, b, opts), () => conv2dFast(x, w, b, opts));
}

/** Gradients of L with respect to x, w and b, given dy = dL/dy (shape of conv2d's output). */
export function conv2dBackward(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  return resolveImpl('conv2dBackward', opts.impl) === 'naive' ? conv2dBackwardNaive(dy, x, w, opts) : fastPath('conv2dBackward', opts.impl, () => conv2dBackwardWasm(dy, x, w, opts), () => conv2dBackwardFast(dy, x, w, opts));
}

/** dL/dx only (a first layer needs no dx; a frozen layer needs no dw). */
export function conv2dGradInput(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  return resolveImpl('conv2dBackward', opts.impl) === 'naive' ? conv2dGradInputNaive(dy, x, w, opts) : fastPath('conv2dBackward', opts.impl, () => conv2dGradInputWasm(dy, x, w, opts), () => conv2dGradInputFast(dy, x, w, opts));
}

/** dL/dw only. */
export function conv2dGradWeight(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  return resolveImpl('conv2dBackward', opts.impl) === 'naive' ? conv2dGradWeightNaive(dy, x, w, opts) : fastPath('conv2dBackward', opts.impl, () => conv2dGradWeightWasm(dy, x, w, opts), () => conv2dGradWeightFast(dy, x, w, opts));
}

/**
 * dL/db[co] = Σ_{n,h,w} dy[n, co, h, w] alone (a layer that needs no dX: Conv2d.backwardParams),
 * summed exactly as the same path's conv2dBackward sums it, so both give the same bits.
 */
export function conv2dGradBias(dy: Tensor, opts: { impl?: Impl } = {}): Tensor {
  if (!dy || !dy.shape || dy.rank !== 4) throw opError('conv2dGradBias', `dy must have rank 4 [N, Cout, Ho, Wo], got ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)}`);
  const [N, Cout, Ho, Wo] = dy.shape;
  const js = () => biasGrad(dy, N, Cout, Ho * Wo);
  return resolveImpl('conv2dGradBias', opts.impl) === 'naive' ? js() : fastPath('conv2dGradBias', opts.impl, () => new Tensor(convGradBiasInWasm(dy.data, N, Cout, Ho * Wo), [Cout]), js);
}

/** Forward multiply-adds × 2: 2·N·Cout·Ho·Wo·(Cin/groups)·KH·KW (dx and dw each cost the same). */
export function conv2dFlops(xShape: readonly number[], wShape: readonly number[], opts: Conv2dOptions = {}): number {
  const p = conv2dParams('conv2dFlops', xShape, wShape, opts);
  return 2 * p.N * p.Cout * p.Ho * p.Wo * p.CinG * p.KH * p.KW;
}

// ─── registry entry ───────────────────────────────────────────────────────────────────────

function fmtAttr(v: Pair | Padding): string {
  return Array.isArray(v) ? `[${v.join(',')}]` : String(v);
}

/** `x=[2,3,7,7] w=[4,3,3,3] s=2 p=same` — the case name is generated from what it runs. */
function convCase(x: number[], w: number[], attrs: Omit<Conv2dOptions, 'impl'> = {}, bias = true): OpCase<Conv2dOptions> {
  const parts = [`x=[${x.join(',')}]`, `w=[${w.join(',')}]`];
  if (!bias) parts.push('b=null');
  if (attrs.stride !== undefined) parts.push(`s=${fmtAttr(attrs.stride)}`);
  if (attrs.padding !== undefined) parts.push(`p=${fmtAttr(attrs.padding)}`);
  if (attrs.dilation !== undefined) parts.push(`d=${fmtAttr(attrs.dilation)}`);
  if (attrs.groups !== undefined) parts.push(`g=${attrs.groups}`);
  return { name: parts.join(' '), shapes: bias ? [x, w, [w[0]]] : [x, w], attrs };
}

/**
 * conv2d in the op registry. Inputs ['x', 'w', 'b']; a case with only two shapes runs with
 * b = null (and its backward returns [dx, dw]).
 */
export const conv2dSpecs: OpSpec<Conv2dOptions>[] = [
  {
    name: 'conv2d',
    inputs: ['x', 'w', 'b'],
    forward: (inputs, attrs) => conv2d(inputs[0], inputs[1], inputs[2] ?? null, attrs),
    backward: (dy, inputs, attrs) => {
      const { dx, dw, db } = conv2dBackward(dy, inputs[0], inputs[1], attrs);
      return inputs.length > 2 && inputs[2] ? [dx, dw, db] : [dx, dw];
    },
    cases: [
      convCase([2, 3, 7, 7], [4, 3, 3, 3]),
      convCase([2, 3, 7, 7], [4, 3, 3, 3], { padding: 1 }),
      convCase([1, 2, 7, 7], [3, 2, 3, 3], { stride: 2 }),
      convCase([1, 2, 8, 7], [3, 2, 3, 3], { stride: 2, padding: 1 }),
      convCase([1, 2, 7, 8], [2, 2, 3, 2], { stride: [2, 1], padding: [1, 2] }),
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { padding: 'valid' }),
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { padding: 'same' }),
      convCase([1, 2, 6, 5], [2, 2, 2, 2], { padding: 'same' }), // even kernel: extra pixel bottom/right
      convCase([1, 2, 6, 6], [2, 2, 3, 3], { stride: 2, padding: 'same' }), // total pad 1: asymmetric
      convCase([1, 2, 7, 7], [2, 2, 3, 3], { stride: 2, padding: 'same' }), // total pad 2: symmetric
      convCase([1, 2, 7, 5], [2, 2, 4, 2], { stride: 2, padding: 'same' }),
      convCase([1, 2, 7, 7], [2, 2, 3, 3], { dilation: 2 }),
      convCase([1, 2, 6, 7], [2, 2, 3, 2], { dilation: 2, padding: 'same' }),
      convCase([1, 4, 5, 5], [4, 2, 3, 3], { padding: 1, groups: 2 }),
      convCase([1, 3, 5, 5], [3, 1, 3, 3], { padding: 1, groups: 3 }), // depthwise
      convCase([1, 2, 5, 5], [4, 1, 3, 3], { groups: 2 }), // depthwise, channel multiplier 2
      convCase([1, 2, 5, 5], [3, 2, 3, 3], {}, false),
      convCase([1, 2, 5, 8], [3, 2, 2, 3]),
      convCase([2, 3, 4, 4], [5, 3, 1, 1]),
      convCase([1, 3, 5, 5], [2, 3, 1, 1], { stride: 2 }),
    ],
  },
];
