/**
 * Evaluation: loss, accuracy and the confusion matrix of a model on a labelled data set.
 */
import { DISPLAY, MimeBundle, escapeHtml } from '../display/mime';
import { softmaxCrossEntropy } from '../ops/losses';
import type { Dataset } from '../data/dataset';
import { opError } from '../tensor/errors';
import { Tensor } from '../tensor/tensor';
import type { TrainableModel } from './trainable';

/** counts[t * K + p] = number of examples of true class t predicted as p. */
export class ConfusionMatrix {
  readonly counts: Int32Array;

  constructor(readonly classes: string[]) {
    this.counts = new Int32Array(classes.length * classes.length);
  }

  get k(): number {
    return this.classes.length;
  }

  add(trueClass: number, predicted: number): void {
    this.counts[trueClass * this.k + predicted]++;
  }

  get(trueClass: number, predicted: number): number {
    return this.counts[trueClass * this.k + predicted];
  }

  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Trace / total. */
  get accuracy(): number {
    let d = 0;
    for (let i = 0; i < this.k; i++) d += this.get(i, i);
    return this.total ? d / this.total : 0;
  }

  /** Per true class: correct / examples of that class (NaN for an absent class). */
  recall(): number[] {
    return this.classes.map((_, t) => {
      let row = 0;
      for (let p = 0; p < this.k; p++) row += this.get(t, p);
      return row ? this.get(t, t) / row : NaN;
    });
  }

  toJSON(): { classes: string[]; counts: number[][] } {
    return { classes: this.classes, counts: this.classes.map((_, t) => Array.from(this.counts.subarray(t * this.k, (t + 1) * this.k))) };
  }

  /** Rows = true class, columns = predicted class. */
  toString(): string {
    const w = Math.max(5, ...this.classes.map((c) => c.length), ...Array.from(this.counts, (v) => String(v).length)) + 1;
    const head = 'true\\pred'.padEnd(w) + this.classes.map((c) => c.padStart(w)).join('');
    const rows = this.classes.map((c, t) => c.padEnd(w) + this.classes.map((_, p) => String(this.get(t, p)).padStart(w)).join(''));
    return [head, ...rows, `accuracy ${(100 * this.accuracy).toFixed(2)}% of ${this.total}`].join('\n');
  }

  [DISPLAY](): MimeBundle {
    const max = Math.max(1, ...Array.from(this.counts));
    const cell = (t: number, p: number) => {
      const v = this.get(t, p);
      const a = (v / max).toFixed(3);
      const bg = t === p ? `rgba(40,120,200,${a})` : `rgba(220,60,40,${a})`;
      return `<td style="text-align:right;padding:2px 6px;background:${bg}">${v}</td>`;
    };
    const html =
      `<table style="border-collapse:collapse;font-family:monospace;font-size:12px"><tr><th>true \\ pred</th>` +
      this.classes.map((c) => `<th style="padding:2px 6px">${escapeHtml(c)}</th>`).join('') +
      '</tr>' +
      this.classes.map((c, t) => `<tr><th style="text-align:left;padding:2px 6px">${escapeHtml(c)}</th>${this.classes.map((_, p) => cell(t, p)).join('')}</tr>`).join('') +
      `</table><div style="font-family:sans-serif;font-size:12px">accuracy ${(100 * this.accuracy).toFixed(2)}% of ${this.total}</div>`;
    return { 'text/plain': this.toString(), 'text/html': html };
  }
}

/** What `evaluate` returns: mean loss, accuracy, and the confusion matrix. */
export interface EvalResult {
  loss: number;
  accuracy: number;
  confusion: ConfusionMatrix;
}

/**
 * Mean loss (the model's training loss, else cross-entropy), accuracy and confusion matrix of `model` on `data`, in batches of
 * `batchSize` (evaluation mode). One batch buffer is reused across batches.
 */
export function evaluateTrainable(model: TrainableModel, data: Dataset, batchSize = 256): EvalResult {
  const n = data.y.length;
  if (n === 0) throw opError('evaluate', `data set ${data.name} is empty`);
  const per = data.x.size / n;
  const sampleShape = data.x.shape.slice(1);
  const confusion = new ConfusionMatrix(data.classes);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    // A view on the data set's storage: no copy, no allocation beyond the Tensor object.
    const x = new Tensor(data.x.data.subarray(start * per, (start + b) * per), [b, ...sampleShape]);
    const y = data.y.subarray(start, start + b);
    const logits = model.predict(x);
    if (logits.rank !== 2 || logits.shape[0] !== b || logits.shape[1] !== data.classes.length) {
      throw opError('evaluate', `model output [${logits.shape.join(', ')}] does not match ${b} examples of ${data.classes.length} classes`);
    }
    lossSum += (model.lossOf ? model.lossOf(logits, y) : softmaxCrossEntropy(logits, y).loss) * b;
    const k = logits.shape[1];
    for (let i = 0; i < b; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (logits.data[i * k + j] > logits.data[i * k + best]) best = j;
      confusion.add(y[i], best);
    }
  }
  return { loss: lossSum / n, accuracy: confusion.accuracy, confusion };
}

/**
 * Top-k accuracy (ImageNet's metric; AlexNet reports top-1 and top-5 *error* = 1 − this): the
 * fraction of rows of `scores` [N, K] whose true class is among the k highest scores. A class
 * counts as in the top k when fewer than k classes score strictly higher (ties favour the label).
 *
 *   topKAccuracy(tensor([[0.1, 0.7, 0.2]]), [2], 1)  // 0: class 1 scores higher
 *   topKAccuracy(tensor([[0.1, 0.7, 0.2]]), [2], 2)  // 1: class 2 is second
 */
export function topKAccuracy(scores: Tensor, labels: ArrayLike<number>, k: number): number {
  const op = 'topKAccuracy';
  if (!scores || !(scores.shape && scores.data) || scores.rank !== 2) throw opError(op, `scores must be a rank-2 Tensor [N, K], got ${scores && scores.shape ? `shape [${scores.shape.join(', ')}]` : String(scores)}`);
  const [n, classes] = scores.shape;
  if (!labels || labels.length !== n) throw opError(op, `labels must have one entry per row (${n}), got ${labels ? labels.length : labels}`);
  if (!Number.isInteger(k) || k < 1 || k > classes) throw opError(op, `k must be an integer in [1, ${classes}] (the number of classes), got ${k}`);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = labels[i];
    if (!Number.isInteger(t) || t < 0 || t >= classes) throw opError(op, `labels[${i}] = ${t} is not a class index in [0, ${classes})`);
    const s = scores.data[i * classes + t];
    let higher = 0;
    for (let j = 0; j < classes; j++) if (scores.data[i * classes + j] > s) higher++;
    if (higher < k) hits++;
  }
  return n === 0 ? 0 : hits / n;
}
