/**
 * The network of Karpathy's ConvNetJS CIFAR-10 demo (lecture 002): three 5×5 convolutions with
 * zero padding 2 (so each keeps its size), each followed by ReLU and 2×2 max pooling, then a
 * fully connected layer to the 10 classes. Input [N, 3, 32, 32] → [N, 10].
 *
 *   Conv(3→16, k5, p2) ReLU MaxPool(2, s2)    → [N, 16, 16, 16]
 *   Conv(16→20, k5, p2) ReLU MaxPool(2, s2)   → [N, 20, 8, 8]
 *   Conv(20→20, k5, p2) ReLU MaxPool(2, s2)   → [N, 20, 4, 4]
 *   Flatten Linear(320→10)                    (the demo's softmax is in the loss)
 *
 * The demo trains it with Adadelta (batch 4, weight decay 1e-4) on images randomly flipped and
 * shifted by up to 2 pixels (`fit(..., { optimizer: 'adadelta', augment: { flip: true, shift: 2 } })`).
 */
import { ReLU } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { Linear } from '../layers/linear';
import { MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Sequential } from '../layers/sequential';
import { checkOptionNames } from '../tensor/options';
import { getRng } from '../tensor/random';
import { MODEL_OPTION_NAMES, type ModelOptions } from './init';

/** ConvNetJS's CIFAR-10 demo network (see the file comment): 22,466 parameters. */
export function convnetjsCifar10(opts: ModelOptions = {}): Sequential {
  checkOptionNames('convnetjsCifar10', opts, MODEL_OPTION_NAMES);
  const rng = opts.rng ?? getRng();
  const w = { rng, init: opts.init };
  return new Sequential(
    new Conv2d(3, 16, 5, { padding: 2, ...w }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(16, 20, 5, { padding: 2, ...w }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(20, 20, 5, { padding: 2, ...w }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Flatten(),
    new Linear(20 * 4 * 4, 10, w),
  );
}
