/**
 * The trainer's `TrainableModel` for a TensorFlow.js mirror of a tscnn model, so the same `fit`
 * (seeded shuffling, batching, history, progress, interrupts) trains both engines side by side.
 *
 *   const tfModel = await tfTrainable(lenet5(), [64, 1, 28, 28], { optimizer: 'adam', lr: 2e-3 });
 *   const history = await fit(tfModel, train, { epochs: 1, batchSize: 64, seed: 0 });
 *   tfModel.copyTo(model)   // the trained tfjs weights back into tscnn
 */
import type * as TF from '@tensorflow/tfjs';
import type { Module } from '../layers/module';
import { opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { NonFiniteLossError, countCorrect, type StepResult, type TrainableModel } from '../train/trainable';
import { loadTf, type TfHandle } from './backend';
import { fromTf, toTf } from './layout';
import { TfModel } from './model';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Optimizers TfTrainable can train with (tfjs's own). */
export type TfOptimizerName = 'sgd' | 'momentum' | 'adam';

/** Options of `tfTrainable`: optimizer, learning rate, momentum, the tfjs handle. */
export interface TfTrainableOptions {
  optimizer?: TfOptimizerName;
  lr?: number;
  /** For 'momentum' (default 0.9). */
  momentum?: number;
  handle?: TfHandle;
}

/** Every key of `TfTrainableOptions` (checked both ways at compile time). */
export const TF_TRAINABLE_OPTION_NAMES = optionNames<TfTrainableOptions>()(['optimizer', 'lr', 'momentum', 'handle']);

/** The tfjs mirror of a tscnn model as a `TrainableModel`, so `fit` can train the same net in TensorFlow.js. */
export class TfTrainable implements TrainableModel {
  readonly name: string;
  private readonly optimizer: TF.Optimizer;
  private lr: number;

  constructor(readonly mirror: TfModel, private readonly opts: TfTrainableOptions = {}) {
    checkOptionNames('TfTrainable', opts, TF_TRAINABLE_OPTION_NAMES);
    const tf = mirror.handle.tf;
    this.name = `tfjs ${mirror.model.type} (${mirror.handle.backend})`;
    this.lr = opts.lr ?? (opts.optimizer === 'adam' || opts.optimizer === undefined ? 1e-3 : 0.01);
    const name = opts.optimizer ?? 'adam';
    if (name === 'adam') this.optimizer = tf.train.adam(this.lr);
    else if (name === 'sgd') this.optimizer = tf.train.sgd(this.lr);
    else if (name === 'momentum') this.optimizer = tf.train.momentum(this.lr, opts.momentum ?? 0.9);
    else throw opError('tfTrainable', `optimizer must be 'sgd', 'momentum' or 'adam', got '${name}'`);
  }

  private get tf(): typeof TF {
    return this.mirror.handle.tf;
  }

  private input(x: Tensor): TF.Tensor {
    return toTf(this.tf, x, x.rank === 4 ? 'activation' : 'plain');
  }

  trainStep(x: Tensor, y: Int32Array): StepResult {
    const tf = this.tf;
    const vars = [...this.mirror.variables.values()];
    let correct = 0;
    let lossValue = NaN;
    tf.tidy(() => {
      const xs = this.input(x);
      const classes = this.mirror.model.outputShape(x.shape)[1];
      const onehot = tf.oneHot(tf.tensor1d(Array.from(y), 'int32'), classes);
      // Check the loss before the update is applied (the trainer's contract: no update on NaN).
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.mirror.forward(xs, true);
        correct = countCorrect(fromTf(logits, 'plain'), y);
        return tf.losses.softmaxCrossEntropy(onehot, logits) as TF.Scalar;
      }, vars);
      lossValue = value.dataSync()[0];
      if (Number.isFinite(lossValue)) this.optimizer.applyGradients(grads);
    });
    if (!Number.isFinite(lossValue)) throw new NonFiniteLossError(lossValue, `tfjs loss is ${lossValue}; no update applied`);
    return { loss: lossValue, correct };
  }

  predict(x: Tensor): Tensor {
    const out = this.tf.tidy(() => this.mirror.forward(this.input(x), false));
    try {
      return fromTf(out, 'plain');
    } finally {
      out.dispose();
    }
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
    // tfjs optimizers read `learningRate` on every step (SGD exposes a setter, Adam a field).
    const o = this.optimizer as unknown as { setLearningRate?: (v: number) => void; learningRate: number };
    if (o.setLearningRate) o.setLearningRate(lr);
    else o.learningRate = lr;
  }

  getLearningRate(): number {
    return this.lr;
  }

  /** Copy the trained tfjs weights into a tscnn model (default: the one mirrored). */
  copyTo(model: Module = this.mirror.model): void {
    this.mirror.copyTo(model);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.mirror.dispose();
  }
}

/** Mirror `model` in tfjs (weights copied) and wrap it for `fit`. */
export async function tfTrainable(model: Module, inputShape: readonly number[], opts: TfTrainableOptions = {}): Promise<TfTrainable> {
  checkOptionNames('tfTrainable', opts, TF_TRAINABLE_OPTION_NAMES);
  const h = opts.handle ?? (await loadTf());
  return new TfTrainable(new TfModel(h, model, inputShape), opts);
}
