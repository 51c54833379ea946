/**
 * Any PNG/JPEG (path or bytes) → a tensor `[1, C, H, W]` in [0, 1], through `canvas` (cairo):
 * C = 3 (RGB) or 1 with `grey: true`. Grey uses ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B
 * (what PIL's `convert('L')` does). Transparent pixels are composited onto black (canvas keeps
 * premultiplied alpha). `size` resizes with cairo's bilinear/box filter: a number gives a square
 * `size × size` image, `[h, w]` gives exactly that.
 */
import * as fs from 'fs';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { Tensor } from '../tensor/tensor';

/** Options of `loadImage`: grey (one channel) or RGB, and a size to resize to. */
export interface LoadImageOptions {
  grey?: boolean;
  size?: number | readonly [number, number];
}

/** Every key of `LoadImageOptions` (checked both ways at compile time). */
export const LOAD_IMAGE_OPTION_NAMES = optionNames<LoadImageOptions>()(['grey', 'size']);

type CanvasModule = typeof import('canvas');

function canvasModule(op: string): CanvasModule {
  try {
    return require('canvas') as CanvasModule;
  } catch (e) {
    throw opError(op, `the 'canvas' package is not available (${(e as Error).message})`);
  }
}

function targetSize(w: number, h: number, size: LoadImageOptions['size'], op: string): [number, number] {
  if (size === undefined) return [h, w];
  const hw = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(hw) || hw.length !== 2 || !hw.every((v) => Number.isInteger(v) && v >= 1 && v <= 8192)) {
    throw opError(op, `size must be a positive integer or [h, w] of them (≤ 8192), got ${JSON.stringify(size)}`);
  }
  return [hw[0], hw[1]];
}

/** RGBA pixels (canvas ImageData layout) → `[1, C, H, W]` in [0, 1]. */
export function rgbaToTensor(rgba: Uint8ClampedArray | Uint8Array, h: number, w: number, grey = false): Tensor {
  if (rgba.length !== 4 * h * w) throw opError('rgbaToTensor', `expected ${4 * h * w} RGBA bytes for ${h}×${w}, got ${rgba.length}`);
  const plane = h * w;
  const c = grey ? 1 : 3;
  const out = new Float32Array(c * plane);
  for (let p = 0; p < plane; p++) {
    const r = rgba[4 * p] / 255;
    const g = rgba[4 * p + 1] / 255;
    const b = rgba[4 * p + 2] / 255;
    if (grey) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      out[p] = r;
      out[plane + p] = g;
      out[2 * plane + p] = b;
    }
  }
  return new Tensor(out, [1, c, h, w]);
}

/** Decode image bytes synchronously (node-canvas decodes a Buffer `src` immediately). */
export function decodeImage(bytes: Uint8Array, opts: LoadImageOptions = {}, name = '<buffer>'): Tensor {
  const op = 'loadImage';
  checkOptionNames(op, opts, LOAD_IMAGE_OPTION_NAMES);
  const { Image, createCanvas } = canvasModule(op);
  const img = new Image();
  let failure: Error | null = null;
  img.onerror = (e: Error) => {
    failure = e;
  };
  try {
    img.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    failure = e as Error;
  }
  if (failure || img.width === 0 || img.height === 0) {
    throw opError(op, `${name}: cannot decode image (${failure ? (failure as Error).message : 'zero size'}); PNG and JPEG are supported`);
  }
  const [h, w] = targetSize(img.width, img.height, opts.size, op);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, w, h);
  return rgbaToTensor(ctx.getImageData(0, 0, w, h).data, h, w, opts.grey ?? false);
}

/** Load a PNG/JPEG file as `[1, C, H, W]` in [0, 1] (see the module comment). */
export function loadImage(path: string, opts: LoadImageOptions = {}): Tensor {
  checkOptionNames('loadImage', opts, LOAD_IMAGE_OPTION_NAMES);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw opError('loadImage', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodeImage(bytes, opts, path);
}
