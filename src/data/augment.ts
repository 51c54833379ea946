/**
 * Data augmentation as in the ConvNetJS CIFAR-10 demo (lecture 002): each training image is
 * flipped left–right with probability ½ and shifted by a random whole number of pixels in
 * [−shift, shift] along each axis (pixels shifted in from outside are 0), freshly for every batch.
 *
 *   out[c, i, j] = src[c, i + dy, j' + dx]   with j' = W − 1 − j when flipped, else j
 *
 * Seeded: the same `rng` state gives the same flips and shifts.
 */
import { opError, fmtShape } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { getRng, Rng } from '../tensor/random';
import { Tensor } from '../tensor/tensor';

/** What to vary: `flip` (default true) and `shift` in pixels (default 2, ConvNetJS's value). */
export interface AugmentOptions {
  flip?: boolean;
  shift?: number;
}

/** Every key of `AugmentOptions` (checked both ways at compile time). */
export const AUGMENT_OPTION_NAMES = optionNames<AugmentOptions>()(['flip', 'shift']);

function checkOptions(op: string, opts: AugmentOptions, known: readonly string[] = AUGMENT_OPTION_NAMES): { flip: boolean; shift: number } {
  checkOptionNames(op, opts, known);
  const flip = opts.flip ?? true;
  const shift = opts.shift ?? 2;
  if (typeof flip !== 'boolean') throw opError(op, `flip must be true or false, got ${JSON.stringify(flip)}`);
  if (!Number.isInteger(shift) || shift < 0) throw opError(op, `shift must be a non-negative integer number of pixels, got ${shift}`);
  return { flip, shift };
}

/**
 * Augment `n` images [C, H, W] stored one after another in `data` (from offset 0), in place,
 * drawing one flip and one (dy, dx) per image from `rng`. `scratch` holds one image.
 */
export function augmentInPlace(data: Float32Array, n: number, shape: readonly number[], opts: AugmentOptions, rng: Rng, scratch = new Float32Array(shape[0] * shape[1] * shape[2])): void {
  const { flip, shift } = checkOptions('augment', opts);
  const [C, H, W] = shape;
  const per = C * H * W;
  for (let k = 0; k < n; k++) {
    const flipped = flip && rng.uniform() < 0.5;
    const dy = shift ? rng.int(2 * shift + 1) - shift : 0;
    const dx = shift ? rng.int(2 * shift + 1) - shift : 0;
    if (!flipped && dy === 0 && dx === 0) continue;
    const img = data.subarray(k * per, (k + 1) * per);
    scratch.set(img);
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < H; i++) {
        const si = i + dy;
        for (let j = 0; j < W; j++) {
          const sj = (flipped ? W - 1 - j : j) + dx;
          img[(c * H + i) * W + j] = si >= 0 && si < H && sj >= 0 && sj < W ? scratch[(c * H + si) * W + sj] : 0;
        }
      }
    }
  }
}

/** A randomly flipped and shifted copy of a batch x [N, C, H, W] (see the file comment). */
export function augment(x: Tensor, opts: AugmentOptions & { rng?: Rng } = {}): Tensor {
  if (!x || !(x.shape && x.data) || x.rank !== 4) throw opError('augment', `x must be a rank-4 Tensor [N, C, H, W], got ${x && x.shape ? fmtShape(x.shape) : String(x)}`);
  const out = new Tensor(x.data.slice(), x.shape);
  checkOptions('augment', opts, [...AUGMENT_OPTION_NAMES, 'rng']);
  augmentInPlace(out.data, x.shape[0], x.shape.slice(1), { flip: opts.flip, shift: opts.shift }, opts.rng ?? getRng());
  return out;
}
