/**
 * The only NCHW ⇄ NHWC and weight-layout bridge in tscnn.
 *
 * tscnn (PyTorch layouts)            TensorFlow.js
 *   activations  [N, C, H, W]   ⇄    [N, H, W, C]
 *   conv weight  [Cout, Cin, KH, KW] ⇄ [KH, KW, Cin, Cout]
 *   depthwise    [C·m, 1, KH, KW]    ⇄ [KH, KW, C, m]
 *   linear       [out, in]      ⇄    [in, out]  (Dense kernel)
 */
import type * as TF from '@tensorflow/tfjs';
import { fmtShape, opError } from '../tensor/errors';
import { Tensor } from '../tensor/tensor';

/** Generic axis permutation: out.shape[i] = t.shape[perm[i]]. */
export function permute(t: Tensor, perm: readonly number[]): Tensor {
  const r = t.rank;
  if (perm.length !== r || [...perm].sort().some((p, i) => p !== i)) {
    throw opError('permute', `perm ${fmtShape(perm)} is not a permutation of ${r} axes of ${fmtShape(t.shape)}`);
  }
  const outShape = perm.map((p) => t.shape[p]);
  const inStrides = new Array<number>(r);
  for (let d = r - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= t.shape[d];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(t.size);
  const idx = new Array<number>(r).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = t.data[src];
    // odometer increment over the output index, tracking the source offset
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      src += strides[d];
      if (idx[d] < outShape[d]) break;
      src -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return new Tensor(out, outShape);
}

/** How a tensor maps between layouts: NCHW ↔ NHWC activations, [Cout, Cin, KH, KW] ↔ [KH, KW, Cin, Cout] conv weights, [out, in] ↔ [in, out] linear weights, or unchanged. */
export type TfLayoutKind = 'activation' | 'conv-weight' | 'depthwise-weight' | 'linear-weight' | 'plain';

const TO_TF: Record<Exclude<TfLayoutKind, 'plain' | 'depthwise-weight'>, number[]> = {
  activation: [0, 2, 3, 1], // NCHW → NHWC
  'conv-weight': [2, 3, 1, 0], // [Cout, Cin, KH, KW] → [KH, KW, Cin, Cout]
  'linear-weight': [1, 0], // [out, in] → [in, out]
};
const FROM_TF: Record<Exclude<TfLayoutKind, 'plain' | 'depthwise-weight'>, number[]> = {
  activation: [0, 3, 1, 2],
  'conv-weight': [3, 2, 0, 1],
  'linear-weight': [1, 0],
};

/** tscnn layout → TensorFlow.js layout (still a tscnn Tensor). Rank-2 activations pass through. */
export function toTfLayout(t: Tensor, kind: TfLayoutKind, depthMultiplier = 1): Tensor {
  if (kind === 'plain' || (kind === 'activation' && t.rank !== 4)) return t;
  if (kind === 'depthwise-weight') {
    // [C·m, 1, KH, KW] → [KH, KW, C·m] → [KH, KW, C, m]  (output channel c·m + j ↔ (c, j))
    if (t.rank !== 4 || t.shape[1] !== 1) throw opError('toTfLayout', `depthwise weight must be [C·m, 1, KH, KW], got ${fmtShape(t.shape)}`);
    const [cm, , kh, kw] = t.shape;
    return permute(t.reshape([cm, kh, kw]), [1, 2, 0]).reshape([kh, kw, cm / depthMultiplier, depthMultiplier]);
  }
  const perm = TO_TF[kind];
  if (t.rank !== perm.length) throw opError('toTfLayout', `${kind} must be rank ${perm.length}, got ${fmtShape(t.shape)}`);
  return permute(t, perm);
}

/** TensorFlow.js layout → tscnn layout. */
export function fromTfLayout(t: Tensor, kind: TfLayoutKind): Tensor {
  if (kind === 'plain' || (kind === 'activation' && t.rank !== 4)) return t;
  if (kind === 'depthwise-weight') {
    if (t.rank !== 4) throw opError('fromTfLayout', `depthwise weight must be [KH, KW, C, m], got ${fmtShape(t.shape)}`);
    const [kh, kw, c, m] = t.shape;
    return permute(t.reshape([kh, kw, c * m]), [2, 0, 1]).reshape([c * m, 1, kh, kw]);
  }
  const perm = FROM_TF[kind];
  if (t.rank !== perm.length) throw opError('fromTfLayout', `${kind} must be rank ${perm.length}, got ${fmtShape(t.shape)}`);
  return permute(t, perm);
}

/** A tfjs tensor holding `t` in tfjs layout. The caller owns (disposes) it. */
export function toTf(tf: typeof TF, t: Tensor, kind: TfLayoutKind = 'activation', depthMultiplier = 1): TF.Tensor {
  const u = toTfLayout(t, kind, depthMultiplier);
  return tf.tensor(u.data, [...u.shape], 'float32');
}

/** Read a tfjs tensor back into tscnn layout (does not dispose it). */
export function fromTf(x: TF.Tensor, kind: TfLayoutKind = 'activation'): Tensor {
  const data = x.dataSync() as Float32Array;
  return fromTfLayout(new Tensor(Float32Array.from(data), x.shape), kind);
}
