/**
 * A tiny SVG line chart (no dependencies) for loss/accuracy curves in History displays and the
 * notebook progress view. ChartSeries are drawn over their index (x = 0 … n−1) on a shared y range.
 */
import { escapeHtml } from '../display/mime';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  color: string;
  /** x position of each value (default: its index). */
  xs?: readonly number[];
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

export function lineChartSvg(series: ChartSeries[], opts: { width?: number; height?: number; title?: string; xLabel?: string } = {}): string {
  const W = opts.width ?? 360;
  const H = opts.height ?? 180;
  const L = 44, R = 10, T = opts.title ? 22 : 10, B = 30;
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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#888"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#888"/>`,
    `<text x="${L - 4}" y="${T + 4}" text-anchor="end">${fmt(hi)}</text>`,
    `<text x="${L - 4}" y="${H - B}" text-anchor="end">${fmt(lo)}</text>`,
    `<text x="${W - R}" y="${H - B + 14}" text-anchor="end">${fmt(xMax)}</text>`,
    `<text x="${L}" y="${H - B + 14}">0</text>`,
  ];
  if (opts.xLabel) parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`);
  if (opts.title) parts.push(`<text x="${W / 2}" y="14" text-anchor="middle" font-size="12">${escapeHtml(opts.title)}</text>`);
  series.forEach((s, k) => {
    const pts: string[] = [];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) pts.push(`${sx(s.xs ? s.xs[i] : i).toFixed(1)},${sy(v).toFixed(1)}`);
    });
    if (pts.length === 1) parts.push(`<circle cx="${pts[0].split(',')[0]}" cy="${pts[0].split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    else if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    parts.push(`<text x="${W - R - 4}" y="${T + 12 + 12 * k}" text-anchor="end" fill="${s.color}">${escapeHtml(s.label)}</text>`);
  });
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
