/**
 * The lecture's toy ConvNet for X vs O (9×9 images of ±1, src/data/xo.ts):
 *
 *   [N,1,9,9] → Conv2d(1→3, 3×3, the three lecture features / 9, no bias) → [N,3,7,7]
 *             → ReLU → MaxPool2d(2) → [N,3,3,3] → Flatten → [N,27]
 *             → Linear(27 → 2): every pooled value "votes" for X (class 0) or O (class 1).
 *
 * The conv weights start as `xoFeatures()` divided by 9, so a filtered pixel is the lecture's
 * "average of the products" in [−1, 1] (1 = perfect match). With `trainableFeatures: false` the
 * conv is wrapped in `Frozen`: its weights are kept (as buffers, so checkpoints save them) but
 * hidden from `parameters()`, so no optimizer changes them.
 */
import { xoFeatures } from '../data/xo';
import { ReLU } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { Linear } from '../layers/linear';
import { MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Frozen } from '../layers/frozen';
import { Sequential } from '../layers/sequential';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng } from '../tensor/random';

export { Frozen };

/** Options of `xoNet`. */
export interface XoNetOptions {
  /** Train the three conv features too (default true); false keeps the lecture's features fixed. */
  trainableFeatures?: boolean;
  rng?: Rng;
}

/** Every key of `XoNetOptions` (checked both ways at compile time). */
export const XONET_OPTION_NAMES = optionNames<XoNetOptions>()(['trainableFeatures', 'rng']);

/**
 * The lecture's X-vs-O ConvNet: [N, 1, 9, 9] → [N, 2] (layout in the file header), its conv
 * starting from the three lecture features / 9.
 *
 * @example xoNet().outputShape([1, 1, 9, 9]) // [1, 2]
 */
export function xoNet(opts: XoNetOptions = {}): Sequential {
  checkOptionNames('xoNet', opts, XONET_OPTION_NAMES);
  const conv = new Conv2d(1, 3, 3, { bias: false, rng: opts.rng });
  const f = xoFeatures();
  for (let i = 0; i < f.size; i++) conv.weight.value.data[i] = f.data[i] / 9;
  return new Sequential(
    opts.trainableFeatures === false ? new Frozen(conv) : conv,
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(27, 2, { rng: opts.rng }),
  );
}
