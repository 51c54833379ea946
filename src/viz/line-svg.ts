/**
 * A small SVG line chart (no dependencies) for the training view's loss and accuracy curves:
 * series drawn over their x positions on a shared y range, the y range and x extent written at
 * the axes, the legend top right. SVG so it shows as an `<img>` in notebooks, exported HTML and
 * slides, and rasterises to PNG with src/display's `svgToPng`.
 *
 *   lineChartSvg([{ label: 'train', values: [2.3, 1.1, 0.6], color: '#1f77b4' }], { title: 'loss', xLabel: 'batch' })
 */
import { escapeHtml } from '../display/mime';
import { checkOptionNames, optionNames } from '../tensor/options';

/** One curve: `values[i]` drawn at `xs[i]` (default i); non-finite values leave a gap. */
export interface ChartSeries {
  label: string;
  values: readonly number[];
  color: string;
  /** x position of each value (default: its index). */
  xs?: readonly number[];
  /** Draw a dot at every point (per-epoch points; a single point always gets one). */
  markers?: boolean;
}

/** Size and labels of a chart (pixels). */
export interface LineChartOptions {
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  /** Text size in px (default 10). */
  fontSize?: number;
  /** Legend inside the plot, top right (default), or in a row under the x label (never covers a curve). */
  legend?: 'inside' | 'below';
}

/** Every key of `LineChartOptions` (checked both ways at compile time). */
export const LINE_CHART_SVG_OPTION_NAMES = optionNames<LineChartOptions>()(['width', 'height', 'title', 'xLabel', 'fontSize', 'legend']);

/** An axis label: whole numbers from 100, 3 significant digits, exponent form below 0.01 (fits the margin). */
function fmt(v: number): string {
  if (Math.abs(v) >= 100 || v === 0) return v.toFixed(0);
  if (Math.abs(v) < 0.01) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

/** The SVG document of a line chart (default 360 × 180 px). */
export function lineChartSvg(series: ChartSeries[], opts: LineChartOptions = {}): string {
  checkOptionNames('lineChartSvg', opts, LINE_CHART_SVG_OPTION_NAMES);
  const W = opts.width ?? 360;
  const H = opts.height ?? 180;
  const fs = opts.fontSize ?? 10;
  const below = opts.legend === 'below' && series.length > 0;
  const L = 4.4 * fs, R = 10, T = opts.title ? 2.2 * fs : 10, B = 3 * fs + (below ? 1.6 * fs : 0);
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const xsAll = series.flatMap((s) => (s.xs ? [...s.xs] : s.values.map((_, i) => i)));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  const xMax = Math.max(1, ...xsAll);
  const sx = (x: number) => L + ((W - L - R) * x) / xMax;
  const sy = (y: number) => T + (H - T - B) * (1 - (y - lo) / (hi - lo));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="${fs}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#888"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#888"/>`,
    `<text x="${L - 4}" y="${T + 0.4 * fs}" text-anchor="end">${fmt(hi)}</text>`,
    `<text x="${L - 4}" y="${H - B}" text-anchor="end">${fmt(lo)}</text>`,
    `<text x="${W - R}" y="${H - B + 1.4 * fs}" text-anchor="end">${fmt(xMax)}</text>`,
    `<text x="${L}" y="${H - B + 1.4 * fs}">0</text>`,
  ];
  if (opts.xLabel) parts.push(`<text x="${(L + W - R) / 2}" y="${H - B + 2.4 * fs}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`);
  if (opts.title) parts.push(`<text x="${W / 2}" y="${1.4 * fs}" text-anchor="middle" font-size="${1.2 * fs}">${escapeHtml(opts.title)}</text>`);
  series.forEach((s, k) => {
    const pts: [string, string][] = [];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) pts.push([sx(s.xs ? s.xs[i] : i).toFixed(1), sy(v).toFixed(1)]);
    });
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.map((p) => p.join(',')).join(' ')}"/>`);
    if (pts.length === 1 || s.markers) for (const [x, y] of pts) parts.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${s.color}"/>`);
    if (!below) parts.push(`<text x="${W - R - 4}" y="${T + 1.2 * fs * (k + 1)}" text-anchor="end" fill="${s.color}">${escapeHtml(s.label)}</text>`);
  });
  if (below) {
    // One row left to right from the chart's left edge; a CJK character is ~1 em wide, Latin ~0.55 em.
    let x = 4;
    for (const s of series) {
      parts.push(`<text x="${x.toFixed(1)}" y="${H - 0.5 * fs}" fill="${s.color}">${escapeHtml(s.label)}</text>`);
      x += [...s.label].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? fs : 0.55 * fs), 0) + fs;
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Smooth a noisy per-batch curve by averaging consecutive windows (at most `points` points). */
export function downsample(values: readonly number[], points = 200): { xs: number[]; values: number[] } {
  if (values.length <= points) return { xs: values.map((_, i) => i), values: [...values] };
  const w = values.length / points;
  const xs: number[] = [];
  const out: number[] = [];
  for (let p = 0; p < points; p++) {
    const a = Math.floor(p * w);
    const b = Math.floor((p + 1) * w);
    let s = 0;
    for (let i = a; i < b; i++) s += values[i];
    xs.push((a + b - 1) / 2);
    out.push(s / (b - a));
  }
  return { xs, values: out };
}

/**
 * Trailing moving average over `window` values (fewer at the start): the smoothed per-batch curve,
 * y_i = mean of the finite values among v_{max(0, i−window+1)} … v_i (NaN when there is none, so
 * a non-finite batch leaves a gap instead of poisoning the rest of the curve).
 */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - window + 1); j <= i; j++) {
      if (Number.isFinite(values[j])) {
        sum += values[j];
        n++;
      }
    }
    out.push(n ? sum / n : NaN);
  }
  return out;
}
