import { fmtShape, opError } from '../tensor/errors';
import { Tensor, zeros } from '../tensor/tensor';
import { expectRank, expectSameShape } from './shape';
import type { OpSpec } from './spec';

/**
 * Softmax family over the last axis of logits [N, K], and the two training losses.
 * Every exponential is of (x − row max) ≤ 0, so huge logits never overflow to Infinity/NaN.
 */

/** Row-wise log Σ exp, computed as max + log Σ exp(x − max). */
function rowLogSumExp(x: Float32Array, off: number, k: number): { max: number; lse: number } {
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (x[off + j] > max) max = x[off + j];
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(x[off + j] - max);
  return { max, lse: max + Math.log(sum) };
}

function rows(op: string, x: Tensor): [number, number] {
  expectRank(op, 'x', x, 2, '[N, K]');
  const [n, k] = x.shape;
  if (k === 0) throw opError(op, `x ${fmtShape(x.shape)} has no classes`);
  return [n, k];
}

/**
 * softmax(x)_ij = exp(x_ij − m_i) / Σ_j exp(x_ij − m_i), m_i = max_j x_ij: x [N, K] → [N, K], rows sum to 1.
 * @example softmax(tensor([[0, Math.log(3)]])) // [[0.25, 0.75]]
 */
export function softmax(x: Tensor): Tensor {
  const [n, k] = rows('softmax', x);
  const y = zeros(x.shape);
  for (let i = 0; i < n; i++) {
    const { lse } = rowLogSumExp(x.data, i * k, k);
    for (let j = 0; j < k; j++) y.data[i * k + j] = Math.exp(x.data[i * k + j] - lse);
  }
  return y;
}

/** logSoftmax(x)_ij = x_ij − log Σ_j exp(x_ij) (via the max, so it stays finite): x [N, K] → [N, K]. */
export function logSoftmax(x: Tensor): Tensor {
  const [n, k] = rows('logSoftmax', x);
  const y = zeros(x.shape);
  for (let i = 0; i < n; i++) {
    const { lse } = rowLogSumExp(x.data, i * k, k);
    for (let j = 0; j < k; j++) y.data[i * k + j] = x.data[i * k + j] - lse;
  }
  return y;
}

/** ∂L/∂x_ij = p_ij · (dy_ij − Σ_j dy_ij·p_ij), p = softmax(x). */
export function softmaxBackward(dy: Tensor, x: Tensor): Tensor {
  const [n, k] = rows('softmaxBackward', x);
  expectSameShape('softmaxBackward', 'dy', dy, 'x', x);
  const p = softmax(x);
  const dx = zeros(x.shape);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let j = 0; j < k; j++) dot += dy.data[i * k + j] * p.data[i * k + j];
    for (let j = 0; j < k; j++) dx.data[i * k + j] = p.data[i * k + j] * (dy.data[i * k + j] - dot);
  }
  return dx;
}

/** ∂L/∂x_ij = dy_ij − p_ij · Σ_j dy_ij, p = softmax(x). */
export function logSoftmaxBackward(dy: Tensor, x: Tensor): Tensor {
  const [n, k] = rows('logSoftmaxBackward', x);
  expectSameShape('logSoftmaxBackward', 'dy', dy, 'x', x);
  const p = softmax(x);
  const dx = zeros(x.shape);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += dy.data[i * k + j];
    for (let j = 0; j < k; j++) dx.data[i * k + j] = dy.data[i * k + j] - p.data[i * k + j] * sum;
  }
  return dx;
}

/**
 * Cross-entropy of softmax(logits) against integer labels, averaged over the batch
 * (PyTorch's F.cross_entropy, reduction 'mean'):
 *
 *   loss = −(1/N) Σ_i log softmax(logits)_{i, label_i},   dlogits = (softmax − onehot) / N.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: ArrayLike<number>): { loss: number; dlogits: Tensor } {
  const op = 'softmaxCrossEntropy';
  expectRank(op, 'logits', logits, 2, '[N, K]');
  const [n, k] = logits.shape;
  if (n === 0) throw opError(op, `logits ${fmtShape(logits.shape)} has an empty batch`);
  if (!labels || typeof labels.length !== 'number') throw opError(op, `labels must be an array of class indices, got ${typeof labels}`);
  if (labels.length !== n) {
    throw opError(op, `labels has ${labels.length} entries but logits ${fmtShape(logits.shape)} has ${n} rows`);
  }
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!Number.isInteger(l)) throw opError(op, `label ${l} at index ${i} is not an integer class index`);
    if (l < 0 || l >= k) throw opError(op, `label ${l} at index ${i} is out of range for ${k} classes`);
  }
  const dlogits = zeros(logits.shape);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const off = i * k;
    const { lse } = rowLogSumExp(logits.data, off, k);
    total += lse - logits.data[off + labels[i]];
    for (let j = 0; j < k; j++) dlogits.data[off + j] = Math.exp(logits.data[off + j] - lse) / n;
    dlogits.data[off + labels[i]] -= 1 / n;
  }
  return { loss: total / n, dlogits };
}

/** Mean squared error over all elements (PyTorch MSELoss 'mean'): loss = Σ(p − t)²/size, dpred = 2(p − t)/size. */
export function mse(pred: Tensor, target: Tensor): { loss: number; dpred: Tensor } {
  const op = 'mse';
  for (const [name, t] of [['pred', pred], ['target', target]] as const) {
    if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  expectSameShape(op, 'pred', pred, 'target', target);
  const size = pred.size;
  if (size === 0) throw opError(op, `pred ${fmtShape(pred.shape)} is empty`);
  const dpred = zeros(pred.shape);
  let total = 0;
  for (let i = 0; i < size; i++) {
    const d = pred.data[i] - target.data[i];
    total += d * d;
    dpred.data[i] = (2 * d) / size;
  }
  return { loss: total / size, dpred };
}

/**
 * The lecture's mean squared error for classification, E = (1/m) Σ_i ‖f(x_i) − y_i‖² with y_i the
 * one-hot vector of label i (LeNet-5 as lectured): outputs [m, K], labels m class indices.
 * Gradient: dE/df = 2(f − y)/m. (PyTorch's MSELoss 'mean' divides by m·K instead: K times smaller.)
 *
 *   mseOneHot(tensor([[0.8, 0.1]]), [0]).loss   // (0.8 − 1)² + 0.1² = 0.05
 */
export function mseOneHot(outputs: Tensor, labels: ArrayLike<number>): { loss: number; doutputs: Tensor } {
  const op = 'mseOneHot';
  if (!outputs || !(outputs.shape && outputs.data) || outputs.rank !== 2) throw opError(op, `outputs must be a rank-2 Tensor [m, K], got ${outputs && outputs.shape ? fmtShape(outputs.shape) : String(outputs)}`);
  const [m, k] = outputs.shape;
  if (!labels || labels.length !== m) throw opError(op, `labels must have one entry per row (${m}), got ${labels ? labels.length : labels}`);
  if (m === 0) throw opError(op, `outputs ${fmtShape(outputs.shape)} is empty`);
  const doutputs = zeros(outputs.shape);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const t = labels[i];
    if (!Number.isInteger(t) || t < 0 || t >= k) throw opError(op, `labels[${i}] = ${t} is not a class index in [0, ${k})`);
    for (let j = 0; j < k; j++) {
      const d = outputs.data[i * k + j] - (j === t ? 1 : 0);
      total += d * d;
      doutputs.data[i * k + j] = (2 * d) / m;
    }
  }
  return { loss: total / m, doutputs };
}

// ---------------------------------------------------------------------------------------------
// Shape tables. The two losses return a one-element tensor [1] holding the loss, so the gradient
// checker can treat them like any op; backward scales the gradient by that single dy.

function scale(t: Tensor, s: number): Tensor {
  const out = zeros(t.shape);
  for (let i = 0; i < t.size; i++) out.data[i] = t.data[i] * s;
  return out;
}

function lossValue(v: number): Tensor {
  return new Tensor(Float32Array.of(v), [1]);
}

const xName = (s: number[]) => `x=[${s.join(',')}]`;

/** softmax, logSoftmax and the losses in the op registry (logits [N, K]). */
export const lossSpecs: OpSpec[] = [
  {
    name: 'softmax',
    inputs: ['x'],
    forward: ([x]) => softmax(x),
    backward: (dy, [x]) => [softmaxBackward(dy, x)],
    cases: [
      { name: xName([4, 5]), shapes: [[4, 5]], attrs: {} },
      { name: xName([1, 10]), shapes: [[1, 10]], attrs: {} },
    ],
  },
  {
    name: 'logSoftmax',
    inputs: ['x'],
    forward: ([x]) => logSoftmax(x),
    backward: (dy, [x]) => [logSoftmaxBackward(dy, x)],
    cases: [
      { name: xName([4, 5]), shapes: [[4, 5]], attrs: {} },
      { name: xName([3, 2]), shapes: [[3, 2]], attrs: {} },
    ],
  },
  {
    name: 'softmaxCrossEntropy',
    inputs: ['logits'],
    forward: ([x], a: { labels: number[] }) => lossValue(softmaxCrossEntropy(x, a.labels).loss),
    backward: (dy, [x], a: { labels: number[] }) => [scale(softmaxCrossEntropy(x, a.labels).dlogits, dy.data[0])],
    cases: [
      { name: 'logits=[4,5] labels=[0,3,4,1]', shapes: [[4, 5]], attrs: { labels: [0, 3, 4, 1] } },
      { name: 'logits=[3,10] labels=[9,0,9]', shapes: [[3, 10]], attrs: { labels: [9, 0, 9] } },
    ],
  },
  {
    // Both pred and target are differentiable: d/dtarget = −dpred.
    name: 'mse',
    inputs: ['pred', 'target'],
    forward: ([p, t]) => lossValue(mse(p, t).loss),
    backward: (dy, [p, t]) => {
      const g = mse(p, t).dpred;
      return [scale(g, dy.data[0]), scale(g, -dy.data[0])];
    },
    cases: [
      { name: 'pred=[4,3] target=[4,3]', shapes: [[4, 3], [4, 3]], attrs: {} },
      { name: 'pred=[2,3,2,2] target=[2,3,2,2]', shapes: [[2, 3, 2, 2], [2, 3, 2, 2]], attrs: {} },
    ],
  },
];
