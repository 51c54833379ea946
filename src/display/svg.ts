import { createCanvas, loadImage } from 'canvas';
import { opError } from '../tensor/errors';
import { MimeBundle, escapeHtml, svgImgTag } from './mime';

/**
 * SVG → PNG with node-canvas: its `loadImage` hands SVG bytes to librsvg, which draws vectors at
 * the target size (crisp text at any scale). librsvg reads `pt` sizes at 90 dpi (1 pt = 1.25 px),
 * so graphviz's 14 pt text is ~17.5 px at the default scale 1 (a fallback image: big enough for a
 * projector, small enough to encode in ~0.1 s).
 */
export async function svgToPng(svg: string, opts: { scale?: number; background?: string } = {}): Promise<Buffer> {
  const scale = opts.scale ?? 1;
  if (!(scale > 0)) throw opError('svgToPng', `scale must be > 0, got ${scale}`);
  let img;
  try {
    img = await loadImage(Buffer.from(svg, 'utf8'));
  } catch (e) {
    // node-canvas built without librsvg cannot decode SVG: say so instead of a bare "Unsupported image type".
    throw opError('svgToPng', `canvas could not decode the SVG (${(e as Error).message}); node-canvas needs librsvg (apt-get install librsvg2-dev, then rebuild canvas)`);
  }
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

/**
 * The MIME bundle for a drawing: `text/html` with the SVG as an `<img>` data URI (live notebook,
 * nbconvert HTML, slides), `image/png` as the fallback for front ends without HTML, and `text/plain`.
 * Raw `image/svg+xml` is left out on purpose: nbconvert 6.5 blanks it.
 */
export function svgBundle(svg: string, opts: { png?: Buffer; text: string; alt?: string; caption?: string }): MimeBundle {
  const img = svgImgTag(svg, opts.alt ?? opts.text.split('\n')[0], 'max-width:100%;height:auto');
  const caption = opts.caption ? `<div style="font-size:14px;color:#555">${escapeHtml(opts.caption)}</div>` : '';
  const bundle: MimeBundle = { 'text/plain': opts.text, 'text/html': `<div>${img}${caption}</div>` };
  if (opts.png) bundle['image/png'] = opts.png.toString('base64');
  return bundle;
}
