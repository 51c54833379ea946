/**
 * The display protocol shared by every module that shows something in a notebook.
 *
 * Any object may implement `[DISPLAY](): MimeBundle`; the tscnn kernel (and `show()`) sends every
 * MIME type of the bundle so each front end or exporter can pick one it renders:
 * - always `text/plain`;
 * - images as `image/png` (base64, no data: prefix, as Jupyter expects);
 * - SVG only inside `text/html` as `<img src="data:image/svg+xml;base64,…">`, because nbconvert 6.5
 *   blanks raw `image/svg+xml` outputs (see docs/measured.md).
 */
export const DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

/** MIME type → payload (strings; JSON types may be objects). */
export type MimeBundle = Record<string, string | object>;

/** Anything the notebook can show: `value[DISPLAY]()` returns its MIME bundle. */
export interface Displayable {
  [DISPLAY](): MimeBundle;
}

/** Whether `value` has a `[DISPLAY]()` method. */
export function isDisplayable(value: unknown): value is Displayable {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[DISPLAY] === 'function';
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An SVG as an `<img>` data URI: shows in the live notebook, nbconvert HTML and slides. */
export function svgImgTag(svg: string, alt = '', style = ''): string {
  const b64 = Buffer.from(svg, 'utf8').toString('base64');
  return `<img alt="${escapeHtml(alt)}"${style ? ` style="${escapeHtml(style)}"` : ''} src="data:image/svg+xml;base64,${b64}">`;
}
