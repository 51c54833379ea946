/**
 * compareGradients(model, batch): for every parameter tensor, hand-coded gradients vs
 * TensorFlow.js's `tf.grads` on the same model (weights copied) vs central differences.
 *
 * Errors are reported per tensor as max absolute error and relative error
 *   rel = max_i |a_i − b_i| / max(max_i |b_i|, 1e-6)   (normalised by the reference tensor's
 *                                                      scale, so tiny elements do not dominate)
 * Numeric gradients are sampled (default 8 elements per tensor, seeded): a full numeric gradient
 * of LeNet-5 would take 2 × 61,706 forward passes.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Module } from '../layers/module';
import { tr } from '../display/locale';
import { DISPLAY, escapeHtml, type MimeBundle } from '../display/mime';
import { mse, softmaxCrossEntropy } from '../ops/losses';
import { formatNumber } from '../tensor/format';
import { Rng } from '../tensor/random';
import { Tensor } from '../tensor/tensor';
import { featureMaps } from '../viz/images';
import { loadTf, type TfHandle } from './backend';
import { toTf } from './layout';
import { toTfModel } from './model';

/** The batch `compareGradients` runs both models on: inputs, and labels (cross-entropy) or a target (MSE). */
export interface GradientBatch {
  /** Input [N, C, H, W] (or [N, features]). */
  x: Tensor;
  /** Class labels for softmax cross-entropy … */
  labels?: ArrayLike<number>;
  /** … or regression targets for MSE. */
  target?: Tensor;
}

/** Max absolute and max relative difference between two tensors. */
export interface ErrorPair {
  maxAbs: number;
  rel: number;
}

/** One parameter in a gradient comparison: its name, shape and the differences. */
export interface GradientRow {
  name: string;
  shape: number[];
  /** ‖ours‖∞, for scale. */
  scale: number;
  oursVsTfjs: ErrorPair;
  oursVsNumeric: ErrorPair;
  tfjsVsNumeric: ErrorPair;
  /** How many elements the numeric gradient sampled. */
  numericSamples: number;
  /** ours − tfjs, in tscnn layout (for the heatmap). */
  diff: Tensor;
}

function errors(a: ArrayLike<number>, b: ArrayLike<number>, idx?: number[]): ErrorPair {
  let maxAbs = 0;
  let ref = 0;
  const n = idx ? idx.length : a.length;
  for (let k = 0; k < n; k++) {
    const i = idx ? idx[k] : k;
    maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
    ref = Math.max(ref, Math.abs(b[i]));
  }
  // floor: a gradient that is 0 in exact arithmetic (a bias before BatchNorm) is ~1e-9 on both
  // sides, and their ratio says nothing
  return { maxAbs, rel: maxAbs / Math.max(ref, 1e-6) };
}

/** The comparison's HTML text in each language of the course (English unchanged since before `tr`). */
const th = (cells: string[]) => cells.map((c) => `<th>${c}</th>`).join('');
const HTML_TEXT = {
  head: (backend: string) => ({
    en: `<b>Gradient check 梯度检验</b>: hand-coded vs <code>tf.grads</code> (${backend}) vs numeric (central differences).`,
    zh: `<b>梯度检验</b>：手写的反向传播 vs <code>tf.grads</code>（${backend}）vs 数值梯度（中心差分）。`,
  }),
  loss: (ours: string, tfjs: string) => ({ en: `Loss: tscnn ${ours}, tfjs ${tfjs}.`, zh: `损失：tscnn ${ours}，tfjs ${tfjs}。` }),
  cols: {
    en: th(['parameter', 'shape', 'ours vs tfjs', 'ours vs numeric', 'tfjs vs numeric']),
    zh: th(['参数', '形状', '我们的 vs tfjs', '我们的 vs 数值', 'tfjs vs 数值']),
  },
  diff: { en: 'Differences ours − tfjs (diverging colour map, white = 0):', zh: '差值 我们的 − tfjs（发散色图，白色 = 0）：' },
};

export class GradientComparison {
  constructor(readonly rows: GradientRow[], readonly backend: string, readonly loss: { tscnn: number; tfjs: number }) {}

  /** Largest relative error of hand-coded vs tfjs over all tensors. */
  get worstVsTfjs(): number {
    return Math.max(...this.rows.map((r) => r.oursVsTfjs.rel));
  }

  get worstVsNumeric(): number {
    return Math.max(...this.rows.map((r) => r.oursVsNumeric.rel));
  }

  toString(): string {
    const f = (e: ErrorPair) => `${e.maxAbs.toExponential(2)} (${e.rel.toExponential(1)})`;
    const head = `gradients: hand-coded vs tf.grads (${this.backend}) vs numeric — loss tscnn ${formatNumber(this.loss.tscnn)}, tfjs ${formatNumber(this.loss.tfjs)}`;
    const cols = ['parameter', 'shape', 'ours vs tfjs', 'ours vs numeric', 'tfjs vs numeric'];
    const lines = this.rows.map((r) => [r.name, `[${r.shape.join(',')}]`, f(r.oursVsTfjs), f(r.oursVsNumeric), f(r.tfjsVsNumeric)]);
    const w = cols.map((c, i) => Math.max(c.length, ...lines.map((l) => l[i].length)));
    const row = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i])).join('  ');
    return [head, 'max |a − b| (relative to ‖b‖∞)', row(cols), ...lines.map(row)].join('\n');
  }

  /** One diverging heatmap of (ours − tfjs) per parameter tensor, as 2-D [rows, cols]. */
  heatmaps() {
    return this.rows.map((r) => {
      const rows = r.shape.length > 1 ? r.shape[0] : 1;
      const grid = r.diff.reshape([1, rows, r.diff.size / rows]);
      const bias = r.shape.length > 1 ? '' : tr({ en: '(bias) ', zh: '（偏置）' });
      return featureMaps(grid, { labels: [`${r.name} ${bias}${tr({ en: 'ours − tfjs', zh: '我们的 − tfjs' })}`], colormap: 'diverging' });
    });
  }

  [DISPLAY](): MimeBundle {
    const f = (e: ErrorPair) => `${e.maxAbs.toExponential(2)}<br><small>${tr({ en: 'rel', zh: '相对' })} ${e.rel.toExponential(1)}</small>`;
    const body = this.rows
      .map((r) => `<tr><td>${escapeHtml(r.name)}</td><td>[${r.shape.join(', ')}]</td><td>${f(r.oursVsTfjs)}</td><td>${f(r.oursVsNumeric)}</td><td>${f(r.tfjsVsNumeric)}</td></tr>`)
      .join('');
    const imgs = this.heatmaps()
      .map((h) => `<img style="margin:4px;max-width:100%" alt="${escapeHtml(h.text)}" src="data:image/png;base64,${h.png.toString('base64')}">`)
      .join('');
    const html =
      `<div style="font-size:16px"><p>${tr(HTML_TEXT.head(escapeHtml(this.backend)))} ` +
      `${tr(HTML_TEXT.loss(formatNumber(this.loss.tscnn), formatNumber(this.loss.tfjs)))}</p>` +
      `<table style="font-size:16px;border-collapse:collapse" border="1" cellpadding="6"><thead><tr>${tr(HTML_TEXT.cols)}</tr></thead><tbody>${body}</tbody></table>` +
      `<p>${tr(HTML_TEXT.diff)}</p>${imgs}</div>`;
    return { 'text/plain': this.toString(), 'text/html': html };
  }
}

function lossOf(logits: Tensor, batch: GradientBatch) {
  if (batch.labels) return softmaxCrossEntropy(logits, batch.labels);
  if (batch.target) {
    const { loss, dpred } = mse(logits, batch.target);
    return { loss, dlogits: dpred };
  }
  throw new Error('compareGradients: batch needs labels (cross-entropy) or target (MSE)');
}

/**
 * Compare gradients of `model` on `batch` three ways. The model runs in eval mode unless
 * `training: true` (BatchNorm then uses batch statistics on both sides; Dropout is always off in
 * the tfjs mirror, so leave it out of models compared in training mode).
 */
export async function compareGradients(
  model: Module,
  batch: GradientBatch,
  opts: { handle?: TfHandle; numericSamples?: number; eps?: number; seed?: number; training?: boolean } = {},
): Promise<GradientComparison> {
  const h = opts.handle ?? (await loadTf());
  const tf = h.tf;
  const training = opts.training ?? false;
  const wasTraining = model.training;
  model.train(training);
  try {
    // 1. hand-coded
    model.zeroGrad();
    const { loss, dlogits } = lossOf(model.forward(batch.x), batch);
    model.backward(dlogits);
    const params = model.parameters();

    // 2. tf.grads on the mirrored model
    const baseline = tf.memory().numTensors;
    const mirror = await toTfModel(model, batch.x.shape, h);
    const tfGrads = new Map<string, Tensor>();
    let tfLoss = NaN;
    try {
      const names = params.map((p) => p.name);
      const vars = names.map((n) => mirror.variable(n));
      const x = toTf(tf, batch.x, batch.x.rank === 4 ? 'activation' : 'plain');
      const target = batch.target ? toTf(tf, batch.target, 'plain') : null;
      const classes = model.outputShape(batch.x.shape)[1];
      const onehot = batch.labels ? tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(batch.labels as ArrayLike<number>), 'int32'), classes)) : null;
      const f = () => {
        const y = mirror.forward(x, training);
        return (onehot ? tf.losses.softmaxCrossEntropy(onehot, y) : tf.losses.meanSquaredError(target as TF.Tensor, y)) as TF.Scalar;
      };
      const { value, grads } = tf.variableGrads(f, vars);
      tfLoss = value.dataSync()[0];
      names.forEach((n) => tfGrads.set(n, mirror.toTscnn(n, grads[mirror.variable(n).name])));
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
      x.dispose();
      target?.dispose();
      onehot?.dispose();
    } finally {
      mirror.dispose();
    }
    const leaked = tf.memory().numTensors - baseline;
    if (leaked !== 0) throw new Error(`compareGradients: ${leaked} tfjs tensors leaked`);

    // 3. numeric, sampled
    const rng = new Rng(opts.seed ?? 0);
    // 1e-3: small enough to rarely cross a ReLU or max-pool kink, large enough that float32
    // rounding of the loss (~1e-7 relative) stays near 1e-3 of a typical gradient.
    const eps = opts.eps ?? 1e-3;
    const want = opts.numericSamples ?? 8;
    const L = () => lossOf(model.forward(batch.x), batch).loss;
    const rows: GradientRow[] = params.map((p) => {
      const ours = p.grad.data;
      const theirs = tfGrads.get(p.name) as Tensor;
      const idx = Array.from({ length: Math.min(want, p.value.size) }, () => rng.int(p.value.size));
      const numeric = new Float64Array(p.value.size);
      for (const i of idx) {
        const v0 = p.value.data[i];
        p.value.data[i] = v0 + eps;
        const lp = L();
        p.value.data[i] = v0 - eps;
        const lm = L();
        p.value.data[i] = v0;
        numeric[i] = (lp - lm) / (2 * eps);
      }
      const diff = new Tensor(new Float32Array(p.value.size), p.value.shape);
      for (let i = 0; i < diff.size; i++) diff.data[i] = ours[i] - theirs.data[i];
      return {
        name: p.name,
        shape: [...p.value.shape],
        scale: errors(ours, new Float32Array(ours.length)).maxAbs,
        oursVsTfjs: errors(ours, theirs.data),
        oursVsNumeric: errors(ours, numeric, idx),
        tfjsVsNumeric: errors(theirs.data, numeric, idx),
        numericSamples: idx.length,
        diff,
      };
    });
    return new GradientComparison(rows, h.describe(), { tscnn: loss, tfjs: tfLoss });
  } finally {
    model.train(wasTraining);
  }
}
