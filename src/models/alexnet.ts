/**
 * AlexNet as in torchvision (`torchvision.models.alexnet`, the "one weird trick" variant without
 * LRN): 61,100,840 parameters for [N, 3, 224, 224] → [N, 1000].
 *
 *   0 features:   Conv(3→64, k11, s4, p2) ReLU MaxPool(3, s2)        → [N, 64, 27, 27]
 *                 Conv(64→192, k5, p2) ReLU MaxPool(3, s2)           → [N, 192, 13, 13]
 *                 Conv(192→384, k3, p1) ReLU Conv(384→256, k3, p1) ReLU
 *                 Conv(256→256, k3, p1) ReLU MaxPool(3, s2)          → [N, 256, 6, 6]
 *   1 avgpool:    AdaptiveAvgPool2d(6) (identity at 224×224)
 *   2 flatten                                                        → [N, 9216]
 *   3 classifier: Dropout Linear(9216→4096) ReLU Dropout Linear(4096→4096) ReLU Linear(4096→1000)
 *
 * Children are numbered like torchvision's modules: `0.3.weight` is torchvision's `features.3.weight`.
 */
import { ReLU } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { Dropout } from '../layers/dropout';
import { Linear } from '../layers/linear';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Sequential } from '../layers/sequential';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { getRng, type Rng } from '../tensor/random';
import { MODEL_OPTION_NAMES, type ModelOptions } from './init';

/** Options of the ImageNet-style builders (`alexnet`, `vgg16`). */
export interface ClassifierOptions extends ModelOptions {
  /** Default 1000 (ImageNet). */
  numClasses?: number;
  /** Dropout probability in the classifier. Default 0.5. */
  dropout?: number;
}

/** Every key of `ClassifierOptions` (checked both ways at compile time). */
export const CLASSIFIER_OPTION_NAMES = optionNames<ClassifierOptions>()([...MODEL_OPTION_NAMES, 'numClasses', 'dropout']);

/** `n` when it is a positive integer class count, else an error naming the builder `op`. */
export function checkClasses(op: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw opError(op, `numClasses must be a positive integer, got ${n}`);
  return n;
}

/**
 * AlexNet as in torchvision: [N, 3, 224, 224] → [N, numClasses], 61,100,840 parameters at 1000
 * classes. Use `{ init: false }` for summaries (skips 61M random draws).
 *
 * @example summary(alexnet({ init: false }), [1, 3, 224, 224]).totalParams // 61100840
 */
export function alexnet(opts: ClassifierOptions = {}): Sequential {
  checkOptionNames('alexnet', opts, CLASSIFIER_OPTION_NAMES);
  const numClasses = checkClasses('alexnet', opts.numClasses ?? 1000);
  const p = opts.dropout ?? 0.5;
  const rng = opts.rng ?? getRng();
  const w = { rng, init: opts.init };
  const features = new Sequential(
    new Conv2d(3, 64, 11, { stride: 4, padding: 2, ...w }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
    new Conv2d(64, 192, 5, { padding: 2, ...w }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
    new Conv2d(192, 384, 3, { padding: 1, ...w }),
    new ReLU(),
    new Conv2d(384, 256, 3, { padding: 1, ...w }),
    new ReLU(),
    new Conv2d(256, 256, 3, { padding: 1, ...w }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
  );
  return new Sequential(features, new AdaptiveAvgPool2d(6), new Flatten(), alexnetClassifier(numClasses, p, w));
}

/**
 * AlexNet's classifier, the same in the paper and in torchvision: Dropout(p) Linear(9216→4096) ReLU
 * Dropout(p) Linear(4096→4096) ReLU Linear(4096→numClasses).
 */
export function alexnetClassifier(numClasses: number, p: number, w: { rng: Rng; init?: boolean }): Sequential {
  return new Sequential(
    new Dropout(p, { rng: w.rng }),
    new Linear(256 * 6 * 6, 4096, w),
    new ReLU(),
    new Dropout(p, { rng: w.rng }),
    new Linear(4096, 4096, w),
    new ReLU(),
    new Linear(4096, numClasses, w),
  );
}
