/**
 * The lecture's number grids as HTML tables (cell text ≥ 18 px, an optional highlighted window),
 * and the model summary table (layer, output shape, parameters, FLOPs).
 */
import { figureBundle } from '../display/bundle';
import { tr } from '../display/locale';
import { DISPLAY, escapeHtml, type MimeBundle } from '../display/mime';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { checkOptionNames, optionNames } from '../tensor/options';

/** A rectangle of cells (top-left row/col, height × width) to highlight. */
export interface Window2d {
  row: number;
  col: number;
  height: number;
  width: number;
}

/** Options of `tensorTable`. */
export interface TensorTableOptions {
  /** Cells to highlight (e.g. the window under a kernel). */
  highlight?: Window2d;
  /** Decimals for non-integers (default: 4 significant digits). */
  precision?: number;
  /** For tensors of rank > 2: the leading indices of the 2-D slice to show (default all 0). */
  index?: number[];
  title?: string;
}

/** Every key of `TensorTableOptions` (checked both ways at compile time). */
export const TENSOR_TABLE_OPTION_NAMES = optionNames<TensorTableOptions>()(['highlight', 'precision', 'index', 'title']);

const TD = 'border:1px solid #5c6370;padding:6px 10px;text-align:right;font-size:18px;font-family:DejaVu Sans Mono,monospace;min-width:2.2em';

/** A 2-D slice of a tensor as the lecture's number grid (HTML table + text). */
export class TensorTable {
  constructor(
    readonly rows: number[][],
    readonly opts: TensorTableOptions,
    readonly shape: readonly number[],
  ) {}

  fmt(v: number): string {
    if (this.opts.precision !== undefined && !Number.isInteger(v) && Number.isFinite(v)) return v.toFixed(this.opts.precision);
    return formatNumber(v);
  }

  inWindow(r: number, c: number): boolean {
    const h = this.opts.highlight;
    return !!h && r >= h.row && r < h.row + h.height && c >= h.col && c < h.col + h.width;
  }

  get html(): string {
    const body = this.rows
      .map((row, r) => `<tr>${row.map((v, c) => {
        const on = this.inWindow(r, c);
        return `<td style="${TD};${on ? 'background:#ffe066;border:3px solid #d9480f;font-weight:bold' : 'background:#fff'}">${escapeHtml(this.fmt(v))}</td>`;
      }).join('')}</tr>`)
      .join('');
    const cap = this.opts.title ? `<caption style="font-size:18px;text-align:left;padding-bottom:4px">${escapeHtml(this.opts.title)}</caption>` : '';
    return `<table class="tscnn-table" style="border-collapse:collapse;margin:4px 0">${cap}<tbody>${body}</tbody></table>`;
  }

  /** Plain-text grid; highlighted cells in [brackets]. */
  get text(): string {
    const cells = this.rows.map((row, r) => row.map((v, c) => (this.inWindow(r, c) ? `[${this.fmt(v)}]` : ` ${this.fmt(v)} `)));
    const w = Math.max(...cells.flat().map((s) => s.length));
    const head = `${this.opts.title ? this.opts.title + ' ' : ''}Tensor ${fmtShape(this.shape)}`;
    return [head, ...cells.map((row) => '  ' + row.map((s) => s.padStart(w)).join(' '))].join('\n');
  }

  [DISPLAY](): MimeBundle {
    return figureBundle({ html: this.html, text: this.text });
  }

  toString(): string {
    return this.text;
  }
}

/** A 2-D tensor (or a 2-D slice of a larger one, picked by `opts.index`) as an HTML table. */
export function tensorTable(x: Tensor | number[][], opts: TensorTableOptions = {}): TensorTable {
  checkOptionNames('tensorTable', opts, TENSOR_TABLE_OPTION_NAMES);
  const op = 'tensorTable';
  if (Array.isArray(x)) {
    if (x.length === 0 || x.some((r) => !Array.isArray(r) || r.length !== x[0].length)) throw opError(op, 'rows must be a non-empty rectangular number[][]');
    return checked(op, x.map((r) => [...r]), opts, [x.length, x[0].length]);
  }
  if (!x?.shape) throw opError(op, `x must be a Tensor or number[][], got ${typeof x}`);
  if (x.rank < 2) throw opError(op, `x must have rank ≥ 2, got shape ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -2);
  const index = opts.index ?? lead.map(() => 0);
  if (index.length !== lead.length || index.some((v, i) => !Number.isInteger(v) || v < 0 || v >= lead[i])) {
    throw opError(op, `index ${JSON.stringify(index)} does not pick a 2-D slice of shape ${fmtShape(x.shape)}`);
  }
  const [h, w] = x.shape.slice(-2);
  const slice = index.reduce((o, v, i) => o * lead[i] + v, 0);
  const rows = Array.from({ length: h }, (_, r) => Array.from(x.data.subarray(slice * h * w + r * w, slice * h * w + (r + 1) * w)));
  return checked(op, rows, opts, x.shape);
}

function checked(op: string, rows: number[][], opts: TensorTableOptions, shape: readonly number[]): TensorTable {
  const hl = opts.highlight;
  if (hl) {
    const h = rows.length;
    const w = rows[0].length;
    const ok = [hl.row, hl.col, hl.height, hl.width].every(Number.isInteger) && hl.row >= 0 && hl.col >= 0 && hl.height >= 1 && hl.width >= 1 && hl.row + hl.height <= h && hl.col + hl.width <= w;
    if (!ok) throw opError(op, `highlight ${JSON.stringify(hl)} does not fit in a ${h}×${w} grid`);
  }
  return new TensorTable(rows, opts, shape);
}

/** What `summary(model, inputShape)` (src/layers/summary.ts) returns; only these fields are read. */
export interface SummaryLike {
  inputShape?: readonly number[];
  rows: { name: string; type: string; outputShape: readonly number[]; params: number; flops: number; depth?: number; container?: boolean }[];
  totalParams: number;
  totalFlops?: number;
  trainableParams?: number;
}

/** Thousands separators: 61,706 parameters read better than 61706. */
export function groupDigits(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The summary table's column headers in the current locale. */
function summaryHeaders(): string[] {
  return [tr({ en: 'layer', zh: '层' }), tr({ en: 'output shape', zh: '输出形状' }), tr({ en: 'parameters', zh: '参数量' }), tr({ en: 'FLOPs', zh: '浮点运算数 FLOPs' })];
}

/** Model summary as an HTML table + text. Pass the object from `summary(model, inputShape)`. */
export class ModelSummaryTable {
  constructor(readonly summary: SummaryLike) {}

  private cells(): string[][] {
    return this.summary.rows.map((r) => [
      `${'  '.repeat(r.depth ?? 0)}${r.name} (${r.type})`,
      fmtShape(r.outputShape),
      groupDigits(r.params),
      r.container ? `(${groupDigits(r.flops)})` : groupDigits(r.flops),
    ]);
  }

  private totals(): string[] {
    const s = this.summary;
    const flops = s.totalFlops ?? s.rows.filter((r) => !r.container).reduce((a, r) => a + r.flops, 0);
    return [tr({ en: 'total', zh: '合计' }), s.inputShape ? `${tr({ en: 'input', zh: '输入' })} ${fmtShape(s.inputShape)}` : '', groupDigits(s.totalParams), groupDigits(flops)];
  }

  get html(): string {
    const th = 'border-bottom:2px solid #000;padding:6px 12px;font-size:18px;text-align:left';
    const td = 'padding:4px 12px;font-size:18px;border-bottom:1px solid #ccc';
    const num = `${td};text-align:right;font-family:DejaVu Sans Mono,monospace`;
    const head = `<tr>${summaryHeaders().map((h) => `<th style="${th}">${escapeHtml(h)}</th>`).join('')}</tr>`;
    const body = this.cells()
      .map((c) => `<tr><td style="${td};white-space:pre">${escapeHtml(c[0])}</td><td style="${td};font-family:DejaVu Sans Mono,monospace">${escapeHtml(c[1])}</td><td style="${num}">${c[2]}</td><td style="${num}">${c[3]}</td></tr>`)
      .join('');
    const t = this.totals();
    const foot = `<tr><td style="${td};font-weight:bold;border-top:2px solid #000">${t[0]}</td><td style="${td};border-top:2px solid #000">${escapeHtml(t[1])}</td><td style="${num};font-weight:bold;border-top:2px solid #000">${t[2]}</td><td style="${num};font-weight:bold;border-top:2px solid #000">${t[3]}</td></tr>`;
    return `<table class="tscnn-summary" style="border-collapse:collapse">${head}${body}${foot}</table>`;
  }

  get text(): string {
    const rows = [summaryHeaders(), ...this.cells(), this.totals()];
    const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((s, i) => (i >= 2 ? s.padStart(w[i]) : s.padEnd(w[i]))).join('  ');
    const rule = '─'.repeat(w.reduce((a, b) => a + b, 6));
    return [line(rows[0]), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1])].join('\n');
  }

  [DISPLAY](): MimeBundle {
    return figureBundle({ html: this.html, text: this.text });
  }

  toString(): string {
    return this.text;
  }
}

/**
 * `modelSummaryTable(summary(model, inputShape))`, or `modelSummaryTable(model, inputShape)` which
 * calls src/layers/summary for you.
 */
export function modelSummaryTable(modelOrSummary: SummaryLike | object, inputShape?: readonly number[]): ModelSummaryTable {
  const op = 'modelSummaryTable';
  const s = modelOrSummary as SummaryLike;
  if (s && Array.isArray(s.rows) && typeof s.totalParams === 'number') return new ModelSummaryTable(s);
  if (!inputShape) throw opError(op, 'pass summary(model, inputShape), or a model and its inputShape');
  // Loaded on demand so src/viz does not depend on src/layers at import time.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { summary } = require('../layers/summary') as { summary(m: unknown, shape: readonly number[]): SummaryLike };
  return new ModelSummaryTable(summary(modelOrSummary, inputShape));
}
