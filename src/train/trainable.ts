/**
 * What the trainer needs from a model, so the same `fit` drives a hand-written `Module` and an
 * adapter around another engine (e.g. a TensorFlow.js model): one optimisation step on a batch,
 * and logits for evaluation.
 */
import type { Module } from '../layers/module';
import { mseOneHot, softmaxCrossEntropy } from '../ops/losses';
import type { Optimizer } from '../optim/optimizer';
import { opError, fmtShape } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { findNonFinite } from './nonfinite';

/** What one training step reports: the batch loss and how many predictions were right. */
export interface StepResult {
  /** Mean loss over the batch (cross-entropy unless the model trains with another loss). */
  loss: number;
  /** Number of examples whose arg-max logit equals the label. */
  correct: number;
}

/** What `fit` trains: a tscnn Module (through ModuleTrainable) or a TensorFlow.js mirror (TfTrainable). */
export interface TrainableModel {
  readonly name: string;
  /** Forward, loss, backward and one optimizer update. Must not update when the loss is non-finite. */
  trainStep(x: Tensor, y: Int32Array): StepResult;
  /** Logits `[N, K]` in evaluation mode (no dropout, running BatchNorm statistics). */
  predict(x: Tensor): Tensor;
  /** Called before each epoch with the scheduled learning rate. */
  setLearningRate(lr: number): void;
  getLearningRate(): number;
  /** Explain a non-finite loss on this batch (which layer first went non-finite). */
  diagnoseNonFinite?(x: Tensor, y: Int32Array): string;
  /** Mean loss of outputs [N, K] against labels, for evaluation (default: softmax cross-entropy). */
  lossOf?(outputs: Tensor, y: ArrayLike<number>): number;
}

/**
 * The training losses `fit` takes: 'crossEntropy' (softmax cross-entropy on logits, the default)
 * or 'mse' (the lecture's mean squared error against one-hot targets, `mseOneHot`).
 */
export type ClassificationLoss = 'crossEntropy' | 'mse';

/** Loss and dL/doutputs of one batch under `kind`. */
export function classificationLoss(kind: ClassificationLoss, outputs: Tensor, y: ArrayLike<number>): { loss: number; grad: Tensor } {
  if (kind === 'mse') {
    const r = mseOneHot(outputs, y);
    return { loss: r.loss, grad: r.doutputs };
  }
  if (kind !== 'crossEntropy') throw opError('fit', `loss must be 'crossEntropy' or 'mse', got ${JSON.stringify(kind)}`);
  const r = softmaxCrossEntropy(outputs, y);
  return { loss: r.loss, grad: r.dlogits };
}

/** Thrown by `trainStep` when the loss is NaN/Inf (no update was applied). */
export class NonFiniteLossError extends Error {
  constructor(readonly loss: number, message: string) {
    super(message);
    this.name = 'NonFiniteLossError';
  }
}

/** Count rows of `logits` [N, K] whose arg-max equals the label. */
export function countCorrect(logits: Tensor, y: ArrayLike<number>): number {
  const [n, k] = logits.shape;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits.data[i * k + j] > logits.data[i * k + best]) best = j;
    if (best === y[i]) correct++;
  }
  return correct;
}

/** A `Module` + an `Optimizer` + a loss (softmax cross-entropy by default) as a TrainableModel. */
export class ModuleTrainable implements TrainableModel {
  readonly name: string;

  constructor(readonly model: Module, readonly optimizer: Optimizer, readonly loss: ClassificationLoss = 'crossEntropy') {
    this.name = model.type;
    if (loss !== 'crossEntropy' && loss !== 'mse') throw opError('fit', `loss must be 'crossEntropy' or 'mse', got ${JSON.stringify(loss)}`);
  }

  lossOf(outputs: Tensor, y: ArrayLike<number>): number {
    return classificationLoss(this.loss, outputs, y).loss;
  }

  private logits(x: Tensor): Tensor {
    const out = this.model.forward(x);
    if (out.rank !== 2 || out.shape[0] !== x.shape[0]) {
      throw opError('fit', `the model must output logits [N, K] for input ${fmtShape(x.shape)}, got ${fmtShape(out.shape)}`);
    }
    return out;
  }

  trainStep(x: Tensor, y: Int32Array): StepResult {
    this.model.train();
    const out = this.logits(x);
    const { loss, grad: dlogits } = classificationLoss(this.loss, out, y);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(loss, this.diagnoseNonFinite(x));
    const correct = countCorrect(out, y);
    this.optimizer.zeroGrad();
    // The model sits on the data: no dL/dx needed (the first conv skips its dX GEMM).
    this.model.backwardParams(dlogits);
    this.optimizer.step();
    return { loss, correct };
  }

  predict(x: Tensor): Tensor {
    const was = this.model.training;
    this.model.eval();
    try {
      return this.logits(x);
    } finally {
      this.model.train(was);
    }
  }

  setLearningRate(lr: number): void {
    this.optimizer.lr = lr;
  }

  getLearningRate(): number {
    return this.optimizer.lr;
  }

  diagnoseNonFinite(x: Tensor): string {
    const src = findNonFinite(this.model, x);
    return src ? src.message : 'every layer output was finite: the loss itself overflowed (huge logits?)';
  }
}

/** True when `m` has the `TrainableModel` methods (`trainStep`, `predict`, …), i.e. `fit` can train it directly. */
export function isTrainableModel(m: unknown): m is TrainableModel {
  return typeof m === 'object' && m !== null && typeof (m as TrainableModel).trainStep === 'function' && typeof (m as TrainableModel).predict === 'function';
}
