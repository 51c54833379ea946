/**
 * VGG16 as in torchvision (`torchvision.models.vgg16`, configuration "D"): thirteen 3×3 convs
 * (padding 1, ReLU) in five blocks separated by 2×2 max pools, then three linear layers:
 * 138,357,544 parameters for [N, 3, 224, 224] → [N, 1000].
 *
 *   cfg [64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M]
 *   0 features → [N, 512, 7, 7];  1 AdaptiveAvgPool2d(7);  2 Flatten → [N, 25088]
 *   3 classifier: Linear(25088→4096) ReLU Dropout Linear(4096→4096) ReLU Dropout Linear(4096→1000)
 *
 * Why 3×3 stacks: two 3×3 convs see 5×5 with 18 weights per channel pair (vs 25), three see 7×7
 * with 27 (vs 49), with a ReLU between each (see `receptiveField`).
 */
import { ReLU } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { Dropout } from '../layers/dropout';
import { Linear } from '../layers/linear';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Sequential } from '../layers/sequential';
import { checkOptionNames } from '../tensor/options';
import { getRng } from '../tensor/random';
import { CLASSIFIER_OPTION_NAMES, ClassifierOptions, checkClasses } from './alexnet';

/** torchvision's cfgs['D']: channel counts, 'M' = MaxPool2d(2, 2). */
export const VGG16_CFG: readonly (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * VGG16 (configuration D) as in torchvision: [N, 3, 224, 224] → [N, numClasses], 138,357,544
 * parameters at 1000 classes: thirteen 3×3 convs in five blocks, each closed by a 2×2 max pool.
 *
 * @example summary(vgg16({ init: false }), [1, 3, 224, 224]).totalParams // 138357544
 */
export function vgg16(opts: ClassifierOptions = {}): Sequential {
  checkOptionNames('vgg16', opts, CLASSIFIER_OPTION_NAMES);
  const numClasses = checkClasses('vgg16', opts.numClasses ?? 1000);
  const p = opts.dropout ?? 0.5;
  const rng = opts.rng ?? getRng();
  const w = { rng, init: opts.init };
  const features = new Sequential();
  let c = 3;
  for (const v of VGG16_CFG) {
    if (v === 'M') features.add(new MaxPool2d(2, { stride: 2 }));
    else {
      features.add(new Conv2d(c, v, 3, { padding: 1, ...w })).add(new ReLU());
      c = v;
    }
  }
  const classifier = new Sequential(
    new Linear(512 * 7 * 7, 4096, w),
    new ReLU(),
    new Dropout(p, { rng }),
    new Linear(4096, 4096, w),
    new ReLU(),
    new Dropout(p, { rng }),
    new Linear(4096, numClasses, w),
  );
  return new Sequential(features, new AdaptiveAvgPool2d(7), new Flatten(), classifier);
}
