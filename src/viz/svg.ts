/**
 * A tiny SVG builder for the number grids the course draws by hand (walkthrough frames, the
 * receptive-field view). Frames are shown as `<img src="data:image/svg+xml;base64,…">` in HTML
 * (works in Notebook, nbconvert and slides) and rasterised to PNG for the static fallback.
 */
import { escapeHtml } from '../display/mime';

/** The font family of every hand-drawn SVG (DejaVu ships with Debian and reads well projected). */
export const SVG_FONT = 'DejaVu Sans, Verdana, sans-serif';
/** Number size inside grid cells: ≥ 16 px so it reads on a projector. */
export const CELL_FONT_PX = 18;

/** How one grid cell is drawn. */
export interface CellStyle {
  text?: string;
  fill?: string;
  textColor?: string;
  /** Thick coloured outline (the sliding window, the current output cell). */
  outline?: string;
  /** Dashed light outline: a padding cell that is not part of the data. */
  dashed?: boolean;
  bold?: boolean;
}

/**
 * An SVG document built part by part: `new SvgDoc(200, 100).grid(0, 0, 2, 2, 44, 44, () => ({ text: "1" })).toString()`.
 */
export class SvgDoc {
  private parts: string[] = [];
  constructor(readonly width: number, readonly height: number) {}

  rect(x: number, y: number, w: number, h: number, fill: string, stroke = 'none', strokeWidth = 1, dash = ''): this {
    this.parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    return this;
  }

  text(x: number, y: number, s: string, opts: { size?: number; anchor?: 'start' | 'middle' | 'end'; color?: string; bold?: boolean } = {}): this {
    const { size = CELL_FONT_PX, anchor = 'start', color = '#000', bold = false } = opts;
    this.parts.push(`<text x="${x}" y="${y}" font-family="${SVG_FONT}" font-size="${size}" text-anchor="${anchor}" dominant-baseline="central" fill="${color}"${bold ? ' font-weight="bold"' : ''}>${escapeHtml(s)}</text>`);
    return this;
  }

  /** A grid of `rows × cols` cells of size `cell` at (x, y); outlines are drawn last so they stay on top. */
  grid(x: number, y: number, rows: number, cols: number, cellW: number, cellH: number, style: (r: number, c: number) => CellStyle): this {
    const outlines: string[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const st = style(r, c);
        const cx = x + c * cellW;
        const cy = y + r * cellH;
        if (st.dashed) this.rect(cx + 1, cy + 1, cellW - 2, cellH - 2, st.fill ?? '#eef0f3', '#8a8f98', 1, '4 3');
        else this.rect(cx, cy, cellW, cellH, st.fill ?? '#ffffff', '#5c6370', 1);
        if (st.text) this.text(cx + cellW / 2, cy + cellH / 2, st.text, { anchor: 'middle', color: st.textColor ?? '#000', bold: st.bold });
        if (st.outline) outlines.push(`<rect x="${cx + 1.5}" y="${cy + 1.5}" width="${cellW - 3}" height="${cellH - 3}" fill="none" stroke="${st.outline}" stroke-width="3"/>`);
      }
    }
    this.parts.push(...outlines);
    return this;
  }

  raw(s: string): this {
    this.parts.push(s);
    return this;
  }

  toString(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}"><rect width="100%" height="100%" fill="#ffffff"/>${this.parts.join('')}</svg>`;
  }
}
