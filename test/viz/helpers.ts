/** Test helpers: decode PNGs and read pixels (canvas loadImage + getImageData). */
import { createCanvas, loadImage } from 'canvas';

export interface Decoded {
  width: number;
  height: number;
  /** [r, g, b, a] at pixel (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

export async function decodePng(png: Buffer | string): Promise<Decoded> {
  const buf = typeof png === 'string' ? Buffer.from(png, 'base64') : png;
  if (buf.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('decodePng: not a PNG');
  const img = await loadImage(buf);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  return {
    width: img.width,
    height: img.height,
    at(x, y) {
      const o = (Math.floor(y) * img.width + Math.floor(x)) * 4;
      return [data[o], data[o + 1], data[o + 2], data[o + 3]];
    },
  };
}
