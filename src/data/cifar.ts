/**
 * CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): each batch file
 * (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`) is 10,000 records of 3073 bytes:
 * one label byte (0–9), then 3072 pixel bytes — the 1024 red values of the 32×32 image in
 * row-major order, then the 1024 green, then the 1024 blue. That is already NCHW, so a record
 * maps straight onto `[3, 32, 32]`.
 *
 * The data set is not shipped (163 MB, no npm or Debian package); download it once with
 *   curl -LO https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
 *   tar xzf cifar-10-binary.tar.gz      # → cifar-10-batches-bin/
 * and pass that directory to `loadCifar10({ dir })`.
 *
 * Pixels are scaled to [0, 1] (`normalize: 'unit'`) or standardised per channel with the
 * training-set statistics (`'standard'`, mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616)).
 */
import * as fs from 'fs';
import * as path from 'path';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor } from '../tensor/tensor';
import type { Dataset } from './dataset';

/** CIFAR-10 class names, by label 0–9. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
/** Per-channel (R, G, B) mean of the CIFAR-10 training pixels in [0, 1]. */
export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465] as const;
/** Per-channel (R, G, B) standard deviation of the CIFAR-10 training pixels in [0, 1]. */
export const CIFAR10_STD = [0.247, 0.2435, 0.2616] as const;
/** Bytes per CIFAR-10 binary record: 1 label byte + 3·32·32 pixels. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Options of `loadCifar10`: normalisation and how many images. */
export interface CifarOptions {
  normalize?: 'unit' | 'standard';
  limit?: number;
}

/** Every key of `CifarOptions` (checked both ways at compile time). */
export const CIFAR_OPTION_NAMES = optionNames<CifarOptions>()(['normalize', 'limit']);

/**
 * Parse the bytes of one or more concatenated CIFAR-10 binary batches. The length must be a
 * whole number of 3073-byte records and each label must be 0–9; errors name `name`.
 */
export function parseCifar10(bytes: Uint8Array, name = '<buffer>', opts: CifarOptions = {}): Dataset {
  const op = 'parseCifar10';
  checkOptionNames(op, opts, CIFAR_OPTION_NAMES);
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw opError(op, `${name}: ${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte records (1 label + 3072 pixels)`);
  }
  const normalize = opts.normalize ?? 'unit';
  if (normalize !== 'unit' && normalize !== 'standard') throw opError(op, `normalize must be 'unit' or 'standard', got ${JSON.stringify(normalize)}`);
  let n = bytes.length / CIFAR10_RECORD_BYTES;
  if (opts.limit !== undefined) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw opError(op, `limit must be a positive integer, got ${opts.limit}`);
    n = Math.min(n, opts.limit);
  }
  const plane = 32 * 32;
  const x = new Float32Array(n * 3 * plane);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const rec = i * CIFAR10_RECORD_BYTES;
    const label = bytes[rec];
    if (label > 9) throw opError(op, `${name}: record ${i} has label ${label}, CIFAR-10 labels are 0–9 (is this the CIFAR-100 format?)`);
    y[i] = label;
    for (let c = 0; c < 3; c++) {
      const mean = normalize === 'standard' ? CIFAR10_MEAN[c] : 0;
      const std = normalize === 'standard' ? CIFAR10_STD[c] : 1;
      const a = 1 / (255 * std);
      const b = -mean / std;
      const src = rec + 1 + c * plane;
      const dst = (i * 3 + c) * plane;
      for (let p = 0; p < plane; p++) x[dst + p] = bytes[src + p] * a + b;
    }
  }
  return { x: new Tensor(x, [n, 3, 32, 32]), y, classes: CIFAR10_CLASSES, name };
}

/** Read one batch file. */
export function readCifar10Batch(file: string, opts: CifarOptions = {}): Dataset {
  checkOptionNames('readCifar10Batch', opts, CIFAR_OPTION_NAMES);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw opError('readCifar10Batch', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCifar10(bytes, file, opts);
}

/**
 * The training set (data_batch_1..5, 50,000 images) or the test set (test_batch, 10,000) from
 * the extracted `cifar-10-batches-bin` directory.
 */
export function loadCifar10(opts: CifarOptions & { dir: string; split?: 'train' | 'test' }): Dataset {
  const op = 'loadCifar10';
  checkOptionNames(op, opts, [...CIFAR_OPTION_NAMES, 'dir', 'split']);
  const split = opts.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw opError(op, `split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const files = split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const parts: Buffer[] = [];
  let total = 0;
  for (const f of files) {
    const p = path.join(opts.dir, f);
    if (!fs.existsSync(p)) throw opError(op, `${p} not found (download: see the doc comment of src/data/cifar.ts)`);
    const b = fs.readFileSync(p);
    parts.push(b);
    total += b.length;
    if (opts.limit !== undefined && total >= opts.limit * CIFAR10_RECORD_BYTES) break;
  }
  return parseCifar10(Buffer.concat(parts), `${opts.dir} (${split})`, { normalize: opts.normalize, limit: opts.limit });
}
