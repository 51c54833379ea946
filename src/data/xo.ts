/**
 * The course's X-vs-O images (after Brandon Rohrer's "How convolutional neural networks work"):
 * 9×9 pictures whose pixels are +1 (white stroke) or −1 (black background).
 *
 * Each image is rendered from geometry, not copied from a template: for every pixel centre p we
 * map p back through a random similarity transform (shift, scale, rotation) and a smooth random
 * deformation into the canonical frame, then light the pixel when that point lies on the stroke:
 * - X: within `STROKE` of one of the two diagonals, arm half-length `ARM` (the lecture's X runs
 *   from pixel (1,1) to (7,7) and (1,7) to (7,1));
 * - O: within `STROKE` of the circle of radius `RADIUS`.
 * Finally each pixel is flipped with probability `noise`. Everything draws from a seeded `Rng`.
 *
 * Labels: 0 = X, 1 = O (`XO_CLASSES`).
 */
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';
import { Tensor } from '../tensor/tensor';
import type { Dataset } from './dataset';

/** Side of an X-vs-O image: 9×9 pixels of ±1. */
export const XO_SIZE = 9;
/** Class names of the X-vs-O data: label 0 is X, 1 is O. */
export const XO_CLASSES = ['X', 'O'];
const ARM = 3;
const RADIUS = 2.8;
const STROKE = 0.5;
// The X strokes get a little more width so rotated diagonals stay connected (canonical X: 0.707 > 0.6, still one pixel wide).
const STROKE_X = 0.6;

/** The random transforms `xoDataset` applies to the X/O templates: shift, scale, rotate, deform, noise. */
export interface XoTransforms {
  /** Max shift in pixels along each axis (uniform in [−shift, shift]). Default 1. */
  shift?: number;
  /** Scale range [min, max]. Default [0.85, 1.15]. */
  scale?: readonly [number, number];
  /** Max rotation in degrees (uniform in [−rotate, rotate]). Default 15. */
  rotate?: number;
  /** Amplitude in pixels of the smooth sinusoidal deformation. Default 0.25. */
  deform?: number;
  /** Probability of flipping each pixel. Default 0.02. */
  noise?: number;
}

/** Every key of `XoTransforms` (checked both ways at compile time). */
export const XO_TRANSFORM_NAMES = optionNames<XoTransforms>()(['shift', 'scale', 'rotate', 'deform', 'noise']);

/** Options of `xoDataset`: how many images `n`, the generator (`rng` or `seed`), the transforms (false: none). */
export interface XoOptions {
  /** Number of images (classes alternate X, O, X, …, so any n ≥ 2 is balanced). */
  n: number;
  rng?: Rng;
  /** Seed for a private generator (instead of `rng`). */
  seed?: number;
  /** Random transforms; `false` draws the canonical, centred shapes. */
  transforms?: XoTransforms | false;
}

/** Every key of `XoOptions` (checked both ways at compile time). */
export const XO_OPTION_NAMES = optionNames<XoOptions>()(['n', 'rng', 'seed', 'transforms']);

const DEFAULTS: Required<XoTransforms> = { shift: 1, scale: [0.85, 1.15], rotate: 15, deform: 0.25, noise: 0.02 };

/** True when the canonical-frame point (u, v) (pixels from the centre) is on the shape's stroke. */
function onStroke(label: number, u: number, v: number): boolean {
  if (label === 0) {
    // Distance to the diagonals v = u and v = −u, limited to the arm's extent.
    const onArm = Math.max(Math.abs(u), Math.abs(v)) <= ARM + STROKE;
    return onArm && Math.min(Math.abs(u - v), Math.abs(u + v)) / Math.SQRT2 <= STROKE_X;
  }
  return Math.abs(Math.hypot(u, v) - RADIUS) <= STROKE;
}

/** Render one 9×9 image into `out` at `offset`. */
function drawXo(label: number, out: Float32Array, offset: number, rng: Rng, t: Required<XoTransforms> | null): void {
  const c = (XO_SIZE - 1) / 2;
  let dx = 0, dy = 0, s = 1, th = 0, amp = 0, kx = 0, ky = 0, px = 0, py = 0;
  if (t) {
    dx = rng.uniform(-t.shift, t.shift);
    dy = rng.uniform(-t.shift, t.shift);
    s = rng.uniform(t.scale[0], t.scale[1]);
    th = (rng.uniform(-t.rotate, t.rotate) * Math.PI) / 180;
    amp = t.deform;
    kx = rng.uniform(0.5, 1.2);
    ky = rng.uniform(0.5, 1.2);
    px = rng.uniform(0, 2 * Math.PI);
    py = rng.uniform(0, 2 * Math.PI);
  }
  const cos = Math.cos(th), sin = Math.sin(th);
  for (let r = 0; r < XO_SIZE; r++) {
    for (let col = 0; col < XO_SIZE; col++) {
      // Inverse map: undo the shift, rotation and scale, then add the deformation.
      const x = col - c - dx;
      const y = r - c - dy;
      let u = (cos * x + sin * y) / s;
      let v = (-sin * x + cos * y) / s;
      if (amp !== 0) {
        const du = amp * Math.sin(ky * v + px);
        const dv = amp * Math.sin(kx * u + py);
        u += du;
        v += dv;
      }
      let on = onStroke(label, u, v);
      if (t && t.noise > 0 && rng.next() < t.noise) on = !on;
      out[offset + r * XO_SIZE + col] = on ? 1 : -1;
    }
  }
}

/** `n` X/O images `[n, 1, 9, 9]` of ±1 pixels with labels 0 (X) / 1 (O). */
export function xoDataset(opts: XoOptions): Dataset {
  const op = 'xoDataset';
  checkOptionNames(op, opts, XO_OPTION_NAMES);
  if (opts && opts.transforms !== false) checkOptionNames(op, opts.transforms, XO_TRANSFORM_NAMES, 'opts.transforms');
  if (!opts || !Number.isInteger(opts.n) || opts.n < 1) throw opError(op, `n must be a positive integer, got ${opts?.n}`);
  const rng = opts.seed !== undefined ? new Rng(opts.seed) : opts.rng ?? getRng();
  let t: Required<XoTransforms> | null = null;
  if (opts.transforms !== false) {
    t = { ...DEFAULTS, ...(opts.transforms ?? {}) };
    const bad = (['shift', 'rotate', 'deform', 'noise'] as const).find((k) => !(Number.isFinite(t![k]) && t![k] >= 0));
    if (bad) throw opError(op, `transforms.${bad} must be a finite number ≥ 0, got ${t[bad]}`);
    if (t.noise > 0.5) throw opError(op, `transforms.noise is a flip probability ≤ 0.5, got ${t.noise}`);
    if (!(t.scale.length === 2 && t.scale[0] > 0 && t.scale[0] <= t.scale[1])) {
      throw opError(op, `transforms.scale must be [min, max] with 0 < min ≤ max, got ${JSON.stringify(t.scale)}`);
    }
  }
  const plane = XO_SIZE * XO_SIZE;
  const x = new Float32Array(opts.n * plane);
  const y = new Int32Array(opts.n);
  for (let i = 0; i < opts.n; i++) {
    y[i] = i % 2;
    drawXo(y[i], x, i * plane, rng, t);
  }
  return { x: new Tensor(x, [opts.n, 1, XO_SIZE, XO_SIZE]), y, classes: XO_CLASSES, name: t ? 'X-vs-O (transformed)' : 'X-vs-O (canonical)' };
}

/**
 * The lecture's three 3×3 features as conv weights `[3, 1, 3, 3]` of ±1:
 * 0 = the "\" diagonal, 1 = the cross "X", 2 = the "/" diagonal.
 */
export function xoFeatures(): Tensor {
  const back = [1, -1, -1, -1, 1, -1, -1, -1, 1];
  const cross = [1, -1, 1, -1, 1, -1, 1, -1, 1];
  const fwd = [-1, -1, 1, -1, 1, -1, 1, -1, -1];
  return new Tensor(Float32Array.from([...back, ...cross, ...fwd]), [3, 1, 3, 3]);
}
