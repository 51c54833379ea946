/**
 * The one function that turns a visible thing into a MIME bundle. Every picture, chart, table,
 * walkthrough, graph and training view of the library builds its `[DISPLAY]()` output here, so
 * every output carries the same set of types:
 * - `text/html`: what Notebook, nbconvert and slides show (an SVG goes in as an `<img>` data URI,
 *   because nbconvert 6.5 blanks raw `image/svg+xml` outputs, see docs/measured.md);
 * - `image/png`: the static fallback (front ends without HTML, exports that drop scripts);
 * - any extra types (e.g. `application/vnd.plotly.v1+json`);
 * - `text/plain`: always.
 *
 *   figureBundle({ text: 'loss 0.41', svg })            // → text/html (<img>), text/plain
 *   figureBundle({ text: 'a 4×4 map', png, html })      // → text/html, image/png, text/plain
 */
import { escapeHtml, svgImgTag, type MimeBundle } from './mime';

/** What a figure has to show; only `text` is required. */
export interface FigureParts {
  /** The text/plain output; its first line is the default alt text. */
  text: string;
  /** The HTML to show; default: `svg` as an `<img>` (with `caption` under it). */
  html?: string;
  /** An SVG drawing, shown as an `<img>` data URI when `html` is not given. */
  svg?: string;
  /** The static PNG fallback (image/png). */
  png?: Buffer;
  /** Alt text of the SVG `<img>` (default: the first line of `text`). */
  alt?: string;
  /** A line under the SVG `<img>`. */
  caption?: string;
  /** More MIME types, e.g. `{ 'application/vnd.plotly.v1+json': figure }`. */
  extra?: MimeBundle;
}

/** The MIME bundle of a figure: text/html, image/png, the extra types, text/plain (in that order). */
export function figureBundle(parts: FigureParts): MimeBundle {
  const bundle: MimeBundle = {};
  const html = parts.html ?? (parts.svg !== undefined ? svgHtml(parts.svg, parts.alt ?? parts.text.split('\n')[0], parts.caption) : undefined);
  if (html !== undefined) bundle['text/html'] = html;
  if (parts.png) bundle['image/png'] = parts.png.toString('base64');
  Object.assign(bundle, parts.extra ?? {});
  bundle['text/plain'] = parts.text;
  return bundle;
}

function svgHtml(svg: string, alt: string, caption?: string): string {
  const img = svgImgTag(svg, alt, 'max-width:100%;height:auto');
  const cap = caption ? `<div style="font-size:14px;color:#555">${escapeHtml(caption)}</div>` : '';
  return `<div>${img}${cap}</div>`;
}
