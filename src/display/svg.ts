/**
 * The one SVG → PNG rasteriser (the static fallback of every drawing) and the PNG size reader.
 *
 *   const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">…</svg>');
 *   pngSize(png)   // → { width: 40, height: 20 }
 */
import { opError } from '../tensor/errors';
import { canvasLib } from './raster-lib';
import { checkOptionNames } from '../tensor/options';

/**
 * SVG → PNG with node-canvas: an `Image` given SVG bytes hands them to librsvg, which draws
 * vectors at the target size (crisp text at any scale). librsvg reads `pt` sizes at 90 dpi
 * (1 pt = 1.25 px), so graphviz's 14 pt text is ~17.5 px at the default scale 1 (a fallback
 * image: big enough for a projector, small enough to encode in ~0.1 s). Synchronous: node-canvas
 * decodes an in-memory buffer at once, so a `[DISPLAY]()` method can call it.
 *
 * @param opts.scale  output pixels per SVG pixel (default 1)
 * @param opts.background  fill behind the drawing (default white: PNG transparency reads as black in some viewers)
 */
export function svgToPng(svg: string, opts: { scale?: number; background?: string } = {}): Buffer {
  checkOptionNames('svgToPng', opts, ['scale', 'background']);
  const scale = opts.scale ?? 1;
  if (!(scale > 0)) throw opError('svgToPng', `scale must be > 0, got ${scale}`);
  const { Image, createCanvas } = canvasLib();
  const img = new Image();
  let error: Error | null = null;
  img.onerror = (e: Error) => {
    error = e;
  };
  img.src = Buffer.from(svg, 'utf8');
  // node-canvas built without librsvg cannot decode SVG: say so instead of a bare "Unsupported image type".
  if (error) throw opError('svgToPng', `canvas could not decode the SVG (${(error as Error).message}); node-canvas needs librsvg (apt-get install librsvg2-dev, then rebuild canvas)`);
  if (!(img.width > 0 && img.height > 0)) throw opError('svgToPng', `the SVG has no size (width ${img.width}, height ${img.height})`);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = opts.background ?? '#ffffff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(img, 0, 0, w, h);
  return canvas.toBuffer('image/png');
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), checking the signature first. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b) || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw opError('pngSize', `not a PNG (${png.length} bytes, starts ${png.subarray(0, 8).toString('hex')})`);
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
