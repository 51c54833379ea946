/**
 * For every op in the registry, its TensorFlow.js counterpart: how each input maps to tfjs layout,
 * the tfjs expression, and which configurations tfjs cannot express (with the reason, shown in
 * the parity table instead of silently dropping the case).
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tensor } from '../tensor/tensor';
import type { TfLayoutKind } from './layout';
import { tr } from '../display/locale';

/** Counterparts read only shapes from tscnn's inputs, so the model bridge can pass shapes alone. */
export type ShapeOnly = Pick<Tensor, 'shape'>;
type Pair = number | readonly [number, number];
const pairOf = (v: Pair | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** An op's TensorFlow.js counterpart: the tfjs expression on tfjs-layout inputs, and which cases it cannot run. */
export interface TfCounterpart {
  /** tfjs layout of each input, in the order of OpSpec.inputs (default 'activation'). */
  inputKinds?(attrs: any, inputs: ShapeOnly[]): TfLayoutKind[];
  outputKind?: TfLayoutKind;
  /** The tfjs expression on tfjs-layout inputs. */
  /** The tfjs expression on tfjs-layout inputs; `outShape` is tscnn's output shape (for ceil_mode). */
  forward(tf: typeof TF, xs: TF.Tensor[], attrs: any, inputs: ShapeOnly[], outShape?: readonly number[]): TF.Tensor;
  /** A reason the case cannot be compared at all (tfjs lacks the configuration). */
  unsupported?(attrs: any, inputs: ShapeOnly[]): string | null;
  /** A reason gradients cannot be compared (forward still is). */
  gradUnsupported?(attrs: any, inputs: ShapeOnly[]): string | null;
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
function tfPadding(p: unknown): 'valid' | 'same' | ExplicitPad {
  if (p === undefined || p === 'valid') return 'valid';
  if (p === 'same') return 'same';
  const [ph, pw] = pairOf(p as Pair, 0);
  return [[0, 0], [ph, ph], [pw, pw], [0, 0]];
}

const conv2d: TfCounterpart = {
  inputKinds: (a, [x, w]) => {
    const groups = a.groups ?? 1;
    const depthwise = groups > 1 && groups === x.shape[1];
    return ['activation', depthwise ? 'depthwise-weight' : 'conv-weight', 'plain'];
  },
  unsupported: (a) => {
    const s = pairOf(a.stride, 1);
    const d = pairOf(a.dilation, 1);
    if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) return 'tfjs conv2d: stride > 1 together with dilation > 1 is not supported';
    return null;
  },
  gradUnsupported: (a) => (pairOf(a.dilation, 1).some((d) => d > 1) ? tr({ en: 'tfjs conv2d gradients: dilation > 1 is not supported', zh: 'tfjs 的 conv2d 梯度不支持 dilation > 1' }) : null),
  forward: (tf, [x, w, b], a, inputs) => {
    const strides = pairOf(a.stride, 1);
    const dilations = pairOf(a.dilation, 1);
    const pad = tfPadding(a.padding);
    const groups = a.groups ?? 1;
    const cin = inputs[0].shape[1];
    let y: TF.Tensor4D;
    if (groups === 1) {
      y = tf.conv2d(x as TF.Tensor4D, w as TF.Tensor4D, strides, pad, 'NHWC', dilations);
    } else if (groups === cin) {
      y = tf.depthwiseConv2d(x as TF.Tensor4D, w as TF.Tensor4D, strides, pad, 'NHWC', dilations);
    } else {
      // tfjs has no grouped convolution: split channels, convolve each group, concatenate.
      const xs = tf.split(x, groups, 3);
      const ws = tf.split(w, groups, 3);
      y = tf.concat(xs.map((xg, g) => tf.conv2d(xg as TF.Tensor4D, ws[g] as TF.Tensor4D, strides, pad, 'NHWC', dilations)), 3) as TF.Tensor4D;
    }
    return b ? tf.add(y, b) : y;
  },
};

const linear: TfCounterpart = {
  inputKinds: () => ['plain', 'linear-weight', 'plain'],
  forward: (tf, [x, w, b]) => {
    const y = tf.matMul(x as TF.Tensor2D, w as TF.Tensor2D);
    return b ? tf.add(y, b) : y;
  },
};

const poolArgs = (a: any) => ({ k: pairOf(a.kernelSize, 1), s: pairOf(a.stride ?? a.kernelSize, 1), p: tfPadding(a.padding ?? 0) });
/**
 * PyTorch's ceil_mode = extra bottom/right padding so the last (partial) window exists; with the
 * output size tscnn computed, that padding is (out − 1)·S + K − H − top.
 */
function ceilExtra(inputs: ShapeOnly[], a: any, outShape: readonly number[] | undefined): [number, number] {
  if (!a.ceilMode || !outShape) return [0, 0];
  const k = pairOf(a.kernelSize, 1);
  const s = pairOf(a.stride ?? a.kernelSize, 1);
  const p = pairOf(a.padding, 0);
  const [, , h, w] = inputs[0].shape;
  const extra = (i: 0 | 1, size: number) => Math.max(0, (outShape[2 + i] - 1) * s[i] + k[i] - size - 2 * p[i]);
  return [extra(0, h), extra(1, w)];
}

function poolPad(a: any, inputs: ShapeOnly[], outShape?: readonly number[]): ExplicitPad {
  const p = pairOf(a.padding, 0);
  const [eh, ew] = ceilExtra(inputs, a, outShape);
  return [[0, 0], [p[0], p[0] + eh], [p[1], p[1] + ew], [0, 0]];
}

const maxPool2d: TfCounterpart = {
  unsupported: (a) => (pairOf(a.dilation, 1).some((d) => d > 1) ? 'tfjs maxPool has no dilation' : null),
  forward: (tf, [x], a, inputs, outShape) => {
    const { k, s } = poolArgs(a);
    // Implicit −∞ padding (PyTorch), plus the ceil_mode overhang.
    const pad = poolPad(a, inputs, outShape);
    const xp = pad.some(([b, e]) => b || e) ? tf.pad(x, pad, -3.4e38) : x;
    return tf.maxPool(xp as TF.Tensor4D, k, s, 'valid');
  },
};

const avgPool2d: TfCounterpart = {
  unsupported: (a) => (a.ceilMode ? 'tfjs avgPool has no PyTorch ceil_mode divisor rule' : null),
  forward: (tf, [x], a, inputs) => {
    const { k, s } = poolArgs(a);
    const pad = poolPad(a, inputs);
    const padded = pad.some(([b, e]) => b || e);
    const sum = tf.avgPool((padded ? tf.pad(x, pad, 0) : x) as TF.Tensor4D, k, s, 'valid');
    if (a.countIncludePad !== false || !padded) return sum; // PyTorch default: padded zeros count
    // countIncludePad=false: divide by the fraction of real pixels in each window.
    const real = tf.avgPool(tf.pad(tf.onesLike(x), pad, 0) as TF.Tensor4D, k, s, 'valid');
    return tf.div(sum, real);
  },
};

/** PyTorch LRN with any window size, from tfjs primitives (even sizes are asymmetric). */
function lrnComposed(tf: typeof TF, x: TF.Tensor, a: any): TF.Tensor {
  const n = a.size as number;
  const c = x.shape[3] as number;
  const sq = tf.pad(tf.square(x), [[0, 0], [0, 0], [0, 0], [Math.floor(n / 2), Math.floor((n - 1) / 2)]]);
  let sum = tf.slice(sq, [0, 0, 0, 0], [-1, -1, -1, c]);
  for (let j = 1; j < n; j++) sum = tf.add(sum, tf.slice(sq, [0, 0, 0, j], [-1, -1, -1, c]));
  const div = tf.pow(tf.add(a.k ?? 1, tf.mul((a.alpha ?? 1e-4) / n, sum)), a.beta ?? 0.75);
  return tf.div(x, div);
}

const elementwise = (f: (tf: typeof TF, x: TF.Tensor, a: any) => TF.Tensor): TfCounterpart => ({
  inputKinds: (_a, xs) => xs.map(() => 'plain'),
  outputKind: 'plain',
  forward: (tf, [x], a) => f(tf, x, a),
});

/** Counterparts keyed by OpSpec.name. */
export const TF_COUNTERPARTS: Record<string, TfCounterpart> = {
  conv2d,
  linear,
  maxPool2d,
  avgPool2d,
  globalAvgPool2d: { forward: (tf, [x]) => tf.mean(x, [1, 2], true) },
  flatten: {
    outputKind: 'plain',
    // tscnn flattens in C, H, W order: transpose NHWC back to NCHW first.
    forward: (tf, [x]) => tf.reshape(x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x, [x.shape[0], -1]),
  },
  relu: elementwise((tf, x) => tf.relu(x)),
  leakyRelu: elementwise((tf, x, a) => tf.leakyRelu(x, a.negativeSlope ?? 0.01)),
  sigmoid: elementwise((tf, x) => tf.sigmoid(x)),
  tanh: elementwise((tf, x) => tf.tanh(x)),
  batchNorm2d: {
    inputKinds: () => ['activation', 'plain', 'plain', 'plain', 'plain'],
    forward: (tf, [x, gamma, beta, rm, rv], a) => {
      const eps = a.eps ?? 1e-5;
      if (a.training) {
        const { mean, variance } = tf.moments(x, [0, 1, 2]); // biased batch variance, as in training
        return tf.batchNorm(x, mean, variance, beta, gamma, eps);
      }
      return tf.batchNorm(x, rm, rv, beta, gamma, eps);
    },
  },
  localResponseNorm: {
    // PyTorch: x / (k + α/n · Σ x²)^β over n channels; tfjs's LRN kernel: x / (bias + α' · Σ x²)^β
    // over 2r + 1 channels — the same for odd n. Even n has an asymmetric window: composed.
    forward: (tf, [x], a) =>
      a.size % 2 === 1
        ? tf.localResponseNormalization(x as TF.Tensor4D, (a.size - 1) / 2, a.k ?? 1, a.form === 'paper' ? (a.alpha ?? 1e-4) : (a.alpha ?? 1e-4) / a.size, a.beta ?? 0.75)
        : lrnComposed(tf, x, a),
  },
  softmax: elementwise((tf, x) => tf.softmax(x)),
  logSoftmax: elementwise((tf, x) => tf.logSoftmax(x)),
  softmaxCrossEntropy: {
    inputKinds: () => ['plain'],
    outputKind: 'plain',
    forward: (tf, [logits], a) => {
      const onehot = tf.oneHot(tf.tensor1d(a.labels, 'int32'), logits.shape[1] as number);
      return tf.reshape(tf.losses.softmaxCrossEntropy(onehot, logits), [1]);
    },
  },
  mse: {
    inputKinds: () => ['plain', 'plain'],
    outputKind: 'plain',
    forward: (tf, [p, t]) => tf.reshape(tf.losses.meanSquaredError(t, p), [1]),
  },
  dropout: {
    unsupported: () => 'random masks: tfjs draws from its own generator (tscnn dropout is checked by its seeded mask and gradcheck)',
    forward: (_tf, [x]) => x,
  },
  concat: concatCounterpart(),
  concat3: concatCounterpart(),
  add: { inputKinds: (_a, xs) => xs.map(() => 'plain'), outputKind: 'plain', forward: (tf, [a, b]) => tf.add(a, b) },
  subtract: { inputKinds: (_a, xs) => xs.map(() => 'plain'), outputKind: 'plain', forward: (tf, [a, b]) => tf.sub(a, b) },
  multiply: { inputKinds: (_a, xs) => xs.map(() => 'plain'), outputKind: 'plain', forward: (tf, [a, b]) => tf.mul(a, b) },
  maximum: { inputKinds: (_a, xs) => xs.map(() => 'plain'), outputKind: 'plain', forward: (tf, [a, b]) => tf.maximum(a, b) },
  slice: {
    inputKinds: () => ['plain'],
    outputKind: 'plain',
    forward: (tf, [x], a) => {
      const axis = a.axis === undefined ? 1 : a.axis < 0 ? a.axis + x.rank : a.axis;
      const begin = x.shape.map((_, i) => (i === axis ? a.begin : 0));
      const size = x.shape.map((_, i) => (i === axis ? a.size : -1));
      return tf.slice(x, begin, size);
    },
  },
  // Integer-scale nearest neighbour: source pixel ⌊i/s⌋, as tscnn (no corner alignment, no half-pixel centres).
  upsample2d: {
    forward: (tf, [x], a) => {
      const [sh, sw] = pairOf(a.scale, 2);
      return tf.image.resizeNearestNeighbor(x as TF.Tensor4D, [x.shape[1]! * sh, x.shape[2]! * sw]);
    },
  },
};

function concatCounterpart(): TfCounterpart {
  // Keep tscnn's layout (plain) so the axis means the same on both sides.
  return {
    inputKinds: (_a, xs) => xs.map(() => 'plain'),
    outputKind: 'plain',
    forward: (tf, xs, a) => tf.concat(xs, a.axis ?? 1),
  };
}
