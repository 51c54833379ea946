/**
 * AlexNet as in the paper (Krizhevsky, Sutskever & Hinton 2012, the network lecture 002 draws):
 * 96 kernels in the first layer, local response normalisation, and the two-GPU split kept as
 * convolution groups (conv2, conv4 and conv5 see only their own GPU's half of the channels;
 * conv3 and the fully connected layers see both). Input [N, 3, 227, 227] → [N, 1000].
 *
 *   Conv(3→96, k11, s4)              → 55×55   ((227 − 11)/4 + 1 = 55; a 224 input gives 54)
 *   LRN(n=5, α=1e-4, β=0.75, k=2) MaxPool(3, s2)          → 27×27
 *   Conv(96→256, k5, p2, groups 2) LRN MaxPool(3, s2)      → 13×13
 *   Conv(256→384, k3, p1)  Conv(384→384, k3, p1, groups 2)  Conv(384→256, k3, p1, groups 2)
 *   MaxPool(3, s2)                                          → 6×6, flatten → 9216
 *   Linear(9216→4096) Linear(4096→4096) Linear(4096→1000), dropout 0.5 before the first two
 *
 * ReLU after every convolution and hidden linear layer. The paper's α multiplies the sum of
 * squares itself; PyTorch's LocalResponseNorm divides its alpha by n, so α = 1e-4 is alpha 5e-4
 * here. The torchvision variant (`alexnet()`, 64 kernels, no LRN, no groups) has 61,100,840
 * parameters; this one has 60,965,224 (the paper's "60 million").
 */
import { ReLU } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { LocalResponseNorm } from '../layers/normalization';
import { MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Sequential } from '../layers/sequential';
import { checkOptionNames } from '../tensor/options';
import { getRng } from '../tensor/random';
import { CLASSIFIER_OPTION_NAMES, type ClassifierOptions, alexnetClassifier, checkClasses } from './alexnet';

/** The paper's AlexNet (see the file comment); `numClasses` (default 1000), `dropout` (default 0.5). */
export function alexnetPaper(opts: ClassifierOptions = {}): Sequential {
  checkOptionNames('alexnetPaper', opts, CLASSIFIER_OPTION_NAMES);
  const numClasses = checkClasses('alexnetPaper', opts.numClasses ?? 1000);
  const p = opts.dropout ?? 0.5;
  const rng = opts.rng ?? getRng();
  const w = { rng, init: opts.init };
  const lrn = () => new LocalResponseNorm(5, { alpha: 5e-4, beta: 0.75, k: 2 });
  const features = new Sequential(
    new Conv2d(3, 96, 11, { stride: 4, ...w }),
    new ReLU(),
    lrn(),
    new MaxPool2d(3, { stride: 2 }),
    new Conv2d(96, 256, 5, { padding: 2, groups: 2, ...w }),
    new ReLU(),
    lrn(),
    new MaxPool2d(3, { stride: 2 }),
    new Conv2d(256, 384, 3, { padding: 1, ...w }),
    new ReLU(),
    new Conv2d(384, 384, 3, { padding: 1, groups: 2, ...w }),
    new ReLU(),
    new Conv2d(384, 256, 3, { padding: 1, groups: 2, ...w }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
  );
  return new Sequential(features, new Flatten(), alexnetClassifier(numClasses, p, w));
}
