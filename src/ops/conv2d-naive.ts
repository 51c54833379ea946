/**
 * conv2d's teaching loops (the `'naive'` engine): the formulas of src/ops/conv2d.ts written as
 * nested `for`s, forward and backward side by side.
 *
 * Forward:   y[n,co,i,j] = b[co] + Σ_{ci,p,q} x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] · w[co,ci,p,q]
 * Backward (each product in that sum hands dy[n,co,i,j] back to both of its factors):
 *   dx[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D] += dy[n,co,i,j] · w[co,ci,p,q]
 *   dw[co,ci,p,q]                           += dy[n,co,i,j] · x[n, g·Cin_g+ci, i·S−P+p·D, j·S−P+q·D]
 *   db[co]                                  += dy[n,co,i,j]
 * (g = ⌊co / (Cout/groups)⌋ is the group of output channel co, Cin_g = Cin/groups.)
 */
import { Tensor } from '../tensor/tensor';
import { Conv2dOptions, Conv2dParams, conv2dBackwardParams, conv2dForwardParams } from './conv-plan';

/** Forward by the definition: seven nested loops, zero padding by skipping outside pixels. */
export function conv2dNaive(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const { N, Cin, H, W, Cout, KH, KW, CinG, CoutG, stride: [SH, SW], dilation: [DH, DW], pad, Ho, Wo } = conv2dForwardParams('conv2d', x, w, b, opts);
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

/**
 * db[co] = Σ_{n,i,j} dy[n,co,i,j] over dy [N, Cout, Ho·Wo] (L = Ho·Wo), summed in float64 per
 * channel; the naive and the plain-JS engine share it, so their db agree bit for bit.
 */
export function conv2dBiasGradLoops(dy: Tensor, N: number, Cout: number, L: number): Tensor {
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
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(Float32Array.from(backwardLoops(p, dy, x, w, true, false).dx), x.shape);
}

/** dL/dw by the loops (see the file comment). */
export function conv2dGradWeightNaive(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  return new Tensor(Float32Array.from(backwardLoops(p, dy, x, w, false, true).dw), w.shape);
}

/** dx, dw and db by the loops, in one pass over the forward's index space. */
export function conv2dBackwardNaive(dy: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): { dx: Tensor; dw: Tensor; db: Tensor } {
  const p = conv2dBackwardParams('conv2dBackward', dy, x, w, opts);
  const { dx, dw } = backwardLoops(p, dy, x, w, true, true);
  return {
    dx: new Tensor(Float32Array.from(dx), x.shape),
    dw: new Tensor(Float32Array.from(dw), w.shape),
    db: conv2dBiasGradLoops(dy, p.N, p.Cout, p.Ho * p.Wo),
  };
}
