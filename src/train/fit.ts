/**
 * `fit(model, data, opts)`: mini-batch training with seeded shuffling, per-epoch evaluation,
 * a learning-rate schedule, progress display, clean stops (interrupt, callback, non-finite loss)
 * at batch boundaries, and a `History` of everything.
 *
 * Loss: softmax cross-entropy on the model's logits `[N, K]` (labels are class indices), or
 * `loss: 'mse'`, the lecture's mean squared error against one-hot targets.
 * Batches are copied into one reused buffer (the last, shorter batch is a view of it), so an
 * epoch allocates no batch storage (see docs/measured.md: first writes to fresh memory are slow here).
 */
import { AUGMENT_OPTION_NAMES, AugmentOptions, augmentInPlace } from '../data/augment';
import type { Dataset } from '../data/dataset';
import { Module } from '../layers/module';
import { makeOptimizer } from '../optim/factory';
import type { Optimizer } from '../optim/optimizer';
import type { LrSchedule } from '../optim/schedule';
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng } from '../tensor/random';
import { Tensor } from '../tensor/tensor';
import { History, EpochRecord } from './history';
import { StopFlag, displayInterrupted, yieldToEventLoop, watchInterrupt } from './interrupt';
import { evaluateTrainable, EvalResult } from './metrics';
import { BatchProgress, ProgressReporter, kernelDisplay, makeProgress } from './progress';
import { ClassificationLoss, ModuleTrainable, NonFiniteLossError, TrainableModel, isTrainableModel } from './trainable';

/** What `fit`'s per-batch callback gets: the batch progress, the global step and the learning rate. */
export interface BatchInfo extends BatchProgress {
  /** Global step count (1-based). */
  step: number;
  lr: number;
}

/** Options of `fit`: epochs, batch size, optimizer, loss, validation data, progress display, seed. */
export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** An Optimizer over the model's parameters, or a name for `makeOptimizer` (default 'adam'). */
  optimizer?: Optimizer | string;
  /** The training loss: 'crossEntropy' (default) or 'mse' (the lecture's MSE against one-hot targets). */
  loss?: ClassificationLoss;
  /** Learning rate when `optimizer` is a name (default: that optimizer's default). */
  lr?: number;
  weightDecay?: number;
  /** Learning rate from the optimizer's initial lr, as a function of the (0-based) epoch. */
  schedule?: LrSchedule;
  /**
   * 'epoch' (default): set the scheduled lr once per epoch (PyTorch's scheduler.step() per epoch).
   * 'batch': before every batch, with a fractional epoch e + b/batches — a smooth decay that
   * also works inside a single epoch (cosine to 0 over a 1-epoch run).
   */
  scheduleEvery?: 'epoch' | 'batch';
  /**
   * Augment every training batch (ConvNetJS's CIFAR-10 demo: random flips and shifts of up to
   * 2 pixels, `{ flip: true, shift: 2 }`), drawn from a generator seeded by `seed`.
   */
  augment?: AugmentOptions;
  /** Seed of the shuffling order (default 0): the same seed gives the same batches. */
  seed?: number;
  shuffle?: boolean;
  /** Evaluated after each epoch (loss, accuracy, and the confusion matrix after the last). */
  valData?: Dataset;
  evalBatchSize?: number;
  /** Called after every batch; return false to stop after it. A returned Promise is awaited
   *  (a dashboard's pause button holds training at the batch boundary until it resolves). */
  onBatch?: (info: BatchInfo, history: History) => boolean | void | Promise<boolean | void>;
  onEpoch?: (rec: EpochRecord, history: History) => boolean | void;
  /** 'auto' (default): live view in a notebook, a bar on a terminal; false: silent. */
  progress?: boolean | 'auto' | 'terminal' | 'notebook' | ProgressReporter;
  /** Stop after this many batches in total (quick experiments, tests). */
  maxBatches?: number;
  /** Append to this History (keep a reference to read it even if the cell is aborted). */
  history?: History;
}

/** Every key of `FitOptions` (checked both ways at compile time). */
export const FIT_OPTION_NAMES = optionNames<FitOptions>()([
  'epochs', 'batchSize', 'optimizer', 'loss', 'lr', 'weightDecay', 'schedule', 'scheduleEvery', 'augment', 'seed', 'shuffle',
  'valData', 'evalBatchSize', 'onBatch', 'onEpoch', 'progress', 'maxBatches', 'history',
]);

function checkData(op: string, data: Dataset, name: string): number {
  if (!data || !(data.x instanceof Tensor) || !ArrayBuffer.isView(data.y)) {
    throw opError(op, `${name} must be a Dataset { x: Tensor, y: Int32Array, classes }`);
  }
  const n = data.y.length;
  if (n === 0 || data.x.rank < 2 || data.x.shape[0] !== n) {
    throw opError(op, `${name}: x ${fmtShape(data.x.shape)} must hold one example per label (${n} labels)`);
  }
  return n;
}

function positiveInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw opError(op, `${name} must be a positive integer, got ${v}`);
  return v;
}

let lastHistory: History | null = null;

/**
 * The History of the most recent (or still running) `fit`: in a notebook the stop button ends
 * the cell before `fit` resolves, but training stops at the next batch boundary and this keeps
 * the record.
 */
export function getLastHistory(): History | null {
  return lastHistory;
}

/** Train `model` on `data`; resolves with the History when done or stopped. */
export async function fit(model: Module | TrainableModel, data: Dataset, opts: FitOptions = {}): Promise<History> {
  const op = 'fit';
  checkOptionNames(op, opts, FIT_OPTION_NAMES);
  if (opts.augment !== undefined) checkOptionNames(op, opts.augment, AUGMENT_OPTION_NAMES, 'opts.augment');
  const n = checkData(op, data, 'data');
  if (opts.valData) checkData(op, opts.valData, 'valData');
  const epochs = positiveInt(op, 'epochs', opts.epochs ?? 1);
  const batchSize = positiveInt(op, 'batchSize', opts.batchSize ?? 32);
  if (opts.scheduleEvery !== undefined && opts.scheduleEvery !== 'epoch' && opts.scheduleEvery !== 'batch') {
    throw opError(op, `scheduleEvery must be 'epoch' or 'batch', got ${JSON.stringify(opts.scheduleEvery)}`);
  }
  const maxBatches = opts.maxBatches === undefined ? Infinity : positiveInt(op, 'maxBatches', opts.maxBatches);

  let trainable: TrainableModel;
  if (isTrainableModel(model)) {
    if (opts.optimizer !== undefined || opts.lr !== undefined || opts.weightDecay !== undefined) {
      // A TrainableModel brings its own optimizer; these options would be silently ignored.
      throw opError(op, 'a TrainableModel owns its optimizer: pass optimizer/lr/weightDecay to it, not to fit (use schedule to change lr per epoch)');
    }
    if (opts.loss !== undefined) throw opError(op, 'a TrainableModel owns its loss: pass loss to it, not to fit');
    trainable = model;
  } else if (model instanceof Module) {
    const optimizer =
      opts.optimizer === undefined || typeof opts.optimizer === 'string'
        ? makeOptimizer(opts.optimizer ?? 'adam', model, { lr: opts.lr, weightDecay: opts.weightDecay })
        : opts.optimizer;
    trainable = new ModuleTrainable(model, optimizer, opts.loss ?? 'crossEntropy');
  } else {
    throw opError(op, 'model must be a Module or a TrainableModel');
  }

  const history = opts.history ?? new History();
  lastHistory = history;
  // Continuing a stopped run: the new run starts out 'completed' until something stops it.
  history.stopReason = 'completed';
  history.message = '';
  const progress = makeProgress(opts.progress);
  const baseLr = trainable.getLearningRate();
  const rng = new Rng(opts.seed ?? 0);
  // Its own generator: turning augmentation on does not change the shuffling order.
  const augRng = new Rng((opts.seed ?? 0) + 0x9e3779b9);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sampleShape = data.x.shape.slice(1);
  const per = data.x.size / n;
  const cap = Math.min(batchSize, n);
  const xBuf = new Float32Array(cap * per);
  const yBuf = new Int32Array(cap);
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const flag = new StopFlag();
  const unwatch = watchInterrupt(flag, kernelDisplay() !== null);
  const t0 = Date.now();
  let step = history.batchLoss.length;
  let stepsThisRun = 0;

  try {
    for (let epoch = 1; epoch <= epochs && history.stopReason === 'completed'; epoch++) {
      if (opts.schedule) trainable.setLearningRate(opts.schedule(epoch - 1, baseLr));
      const lr = trainable.getLearningRate();
      if (opts.shuffle !== false) rng.shuffle(order);
      const te = Date.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let batches = 0;
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(batchSize, n - start);
        for (let i = 0; i < b; i++) {
          const src = order[start + i];
          xBuf.set(data.x.data.subarray(src * per, (src + 1) * per), i * per);
          yBuf[i] = data.y[src];
        }
        if (opts.augment) augmentInPlace(xBuf, b, sampleShape, opts.augment, augRng);
        if (opts.schedule && opts.scheduleEvery === 'batch') trainable.setLearningRate(opts.schedule(epoch - 1 + batches / batchesPerEpoch, baseLr));
        const x = new Tensor(b === cap ? xBuf : xBuf.subarray(0, b * per), [b, ...sampleShape]);
        const y = b === cap ? yBuf : yBuf.subarray(0, b);
        let res;
        try {
          res = trainable.trainStep(x, y);
          if (!Number.isFinite(res.loss)) {
            throw new NonFiniteLossError(res.loss, trainable.diagnoseNonFinite ? trainable.diagnoseNonFinite(x, y) : 'no diagnosis available for this model');
          }
        } catch (e) {
          if (!(e instanceof NonFiniteLossError)) throw e;
          history.stopReason = 'non-finite';
          history.message = `fit: loss became ${e.loss} at epoch ${epoch}, batch ${batches + 1} (weights kept from before this batch): ${e.message}`;
          break;
        }
        step++;
        stepsThisRun++;
        batches++;
        seen += b;
        lossSum += res.loss * b;
        correct += res.correct;
        history.batchLoss.push(res.loss);
        history.batchAccuracy.push(res.correct / b);
        const secs = (Date.now() - te) / 1000;
        const info: BatchInfo = { epoch, epochs, batch: batches, batches: batchesPerEpoch, loss: res.loss, accuracy: res.correct / b, imagesPerSec: secs > 0 ? seen / secs : 0, step, lr: trainable.getLearningRate() };
        progress.batch(info, history);
        if (opts.onBatch && (await opts.onBatch(info, history)) === false) {
          flag.requested = true;
          flag.reason = 'callback';
        }
        if (stepsThisRun >= maxBatches && !flag.requested) {
          history.stopReason = 'max-batches';
          break;
        }
        await yieldToEventLoop(); // let SIGINT handlers and display messages run
        if (!flag.requested && displayInterrupted()) flag.requested = true;
        if (flag.requested) {
          history.stopReason = flag.reason;
          history.message = flag.reason === 'interrupted' ? `interrupted after batch ${batches} of epoch ${epoch}; weights and history kept` : `stopped by onBatch after batch ${batches} of epoch ${epoch}`;
          break;
        }
      }
      const seconds = (Date.now() - te) / 1000;
      if (batches === 0) break;
      const rec: EpochRecord = { epoch, loss: lossSum / seen, accuracy: correct / seen, lr, batches, examples: seen, seconds, imagesPerSec: seconds > 0 ? seen / seconds : 0 };
      if (opts.valData && history.stopReason === 'completed') {
        const ev: EvalResult = evaluateTrainable(trainable, opts.valData, opts.evalBatchSize ?? 256);
        rec.valLoss = ev.loss;
        rec.valAccuracy = ev.accuracy;
        history.confusion = ev.confusion;
      }
      history.epochs.push(rec);
      progress.epoch(rec, history);
      if (opts.onEpoch && opts.onEpoch(rec, history) === false && history.stopReason === 'completed') {
        history.stopReason = 'callback';
        history.message = `stopped by onEpoch after epoch ${epoch}`;
      }
    }
  } finally {
    unwatch();
    history.seconds += (Date.now() - t0) / 1000;
  }
  progress.end(history);
  return history;
}

/** Loss, accuracy and confusion matrix of a model on a data set (evaluation mode). */
export function evaluate(model: Module | TrainableModel, data: Dataset, opts: { batchSize?: number } = {}): EvalResult {
  checkOptionNames('evaluate', opts, ['batchSize']);
  checkData('evaluate', data, 'data');
  const t = isTrainableModel(model) ? model : new ModuleTrainable(model, makeOptimizer('sgd', [], { lr: 0 }));
  return evaluateTrainable(t, data, opts.batchSize ?? 256);
}
