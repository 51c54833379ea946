import { expect } from 'chai';
import { createCanvas, loadImage } from 'canvas';
import { pngSize } from '../../src/display/svg';

/** Decodes a PNG and asserts its size is sane and some pixel differs from the white background. */
export async function expectDrawnPng(png: Buffer, what: string): Promise<{ width: number; height: number }> {
  const { width, height } = pngSize(png);
  expect(width, `${what}: width`).to.be.within(50, 8000);
  expect(height, `${what}: height`).to.be.within(30, 8000);
  const img = await loadImage(png);
  expect([img.width, img.height]).to.deep.equal([width, height]);
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, width, height).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) ink++;
  // Text and lines cover a few percent of a drawing; a blank or failed render covers nothing.
  expect(ink / (width * height), `${what}: fraction of dark pixels`).to.be.within(0.005, 0.6);
  return { width, height };
}

/** The decoded SVG inside `<img src="data:image/svg+xml;base64,…">` tags of an HTML string. */
export function imgSvgs(html: string): string[] {
  return [...html.matchAll(/<img[^>]*src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
}
