/**
 * Canvas plumbing shared by every static picture: a PNG-backed displayable (`RasterImage`), the
 * projector-size font and a white canvas. node-canvas loads on first use (src/display/raster-lib.ts).
 */
import type { Canvas, CanvasRenderingContext2D } from 'canvas';
import { figureBundle } from '../display/bundle';
import { canvasLib } from '../display/raster-lib';
import { DISPLAY, escapeHtml, type MimeBundle } from '../display/mime';

/** Smallest text anywhere in a picture: legible from the back of a lecture hall. */
export const FONT_PX = 16;
/** The font every picture uses (shipped with Debian's fonts-dejavu, also in librsvg's SVGs). */
export const FONT_FAMILY = 'DejaVu Sans';

/** A canvas font string: `font(20, true)` → `bold 20px "DejaVu Sans"`. */
export function font(px = FONT_PX, bold = false): string {
  return `${bold ? 'bold ' : ''}${px}px "${FONT_FAMILY}"`;
}

/** A canvas with a white background (PNG transparency reads as black in some viewers). */
export function whiteCanvas(width: number, height: number): { canvas: Canvas; ctx: CanvasRenderingContext2D } {
  const canvas = canvasLib().createCanvas(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'alphabetic';
  return { canvas, ctx };
}

/**
 * A picture as a PNG (`width` × `height` pixels). Its bundle carries `image/png`, a `text/html` `<img>` with a caption (what
 * Notebook and nbconvert show first) and a `text/plain` description.
 */
export class RasterImage {
  constructor(
    readonly png: Buffer,
    readonly width: number,
    readonly height: number,
    /** One-line description: the text/plain output and the image's alt text. */
    readonly text: string,
    /** Optional caption under the image in HTML. */
    readonly caption = '',
  ) {}

  get dataUri(): string {
    return `data:image/png;base64,${this.png.toString('base64')}`;
  }

  get html(): string {
    const img = `<img alt="${escapeHtml(this.text)}" width="${this.width}" height="${this.height}" style="max-width:none;image-rendering:pixelated" src="${this.dataUri}">`;
    if (!this.caption) return `<div class="tscnn-image">${img}</div>`;
    return `<figure class="tscnn-image" style="margin:0">${img}<figcaption style="font-size:16px">${escapeHtml(this.caption)}</figcaption></figure>`;
  }

  [DISPLAY](): MimeBundle {
    return figureBundle({ html: this.html, png: this.png, text: this.text });
  }

  toString(): string {
    return this.text;
  }
}

/** FNV-1a 32-bit hash as 8 hex digits: deterministic element ids derived from content. */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const seenIds = new Map<string, number>();

/**
 * A DOM id for an output: `prefix-<hash of content>`, with `-2`, `-3`, … when the same content is
 * shown again in one session, so ids never collide on a page and never depend on time or chance.
 */
export function contentId(prefix: string, content: string): string {
  const base = `${prefix}-${hashString(content)}`;
  const n = (seenIds.get(base) ?? 0) + 1;
  seenIds.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

/** Forget issued ids (tests; a fresh kernel starts empty anyway). */
export function resetContentIds(): void {
  seenIds.clear();
}
