/**
 * Histograms of weights, activations or gradients (`histograms({ 'conv1.weight': w })`): one panel
 * per tensor with its mean and standard deviation, as a plotly chart with its PNG fallback.
 */
import { tr } from '../display/locale';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { CHART_OPTION_NAMES, type ChartOptions } from './charts';
import { PALETTE, drawAxes, finiteRange, niceRange } from './plot2d';
import { font, whiteCanvas } from './raster';
import { PlotlyChart, baseLayout } from './web-chart';
import { checkOptionNames, optionNames } from '../tensor/options';

const COUNT = () => tr({ en: 'count', zh: '个数' });

/** Options of `histograms`. */
export interface HistogramOptions extends ChartOptions {
  /** Bins per histogram (default 30). */
  bins?: number;
  /** Panels per row (default 2). */
  cols?: number;
}

/** Every key of `HistogramOptions` (checked both ways at compile time). */
export const HISTOGRAM_OPTION_NAMES = optionNames<HistogramOptions>()([...CHART_OPTION_NAMES, 'bins', 'cols']);

/** Counts of `values` in `bins` equal bins over [min, max] (the last bin includes max). */
export function histogram(values: ArrayLike<number>, bins: number): { edges: number[]; counts: number[] } {
  if (!Number.isInteger(bins) || bins < 1) throw opError('histogram', `bins must be a positive integer, got ${bins}`);
  const [lo0, hi0] = finiteRange(Array.from(values));
  const [lo, hi] = lo0 === hi0 ? [lo0 - 0.5, hi0 + 0.5] : [lo0, hi0];
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * w), counts };
}

/** Histograms of named tensors (weights, activations, gradients per layer), one panel each: `histograms({ 'conv1.weight': conv1.weight })`. */
export function histograms(named: Record<string, Tensor | ArrayLike<number>> | { name: string; values: Tensor | ArrayLike<number> }[], opts: HistogramOptions = {}): PlotlyChart {
  checkOptionNames('histograms', opts, HISTOGRAM_OPTION_NAMES);
  const list = Array.isArray(named) ? named : Object.entries(named).map(([name, values]) => ({ name, values }));
  if (list.length === 0) throw opError('histograms', 'nothing to plot: pass { name: tensor, … }');
  const bins = opts.bins ?? 30;
  const stats = list.map(({ name, values }) => {
    const data = (values as Tensor).data ?? values;
    if (!data || typeof (data as ArrayLike<number>).length !== 'number') throw opError('histograms', `'${name}' is not a tensor or number array`);
    const arr = Array.from(data as ArrayLike<number>);
    const mean = arr.reduce((a, b) => a + b, 0) / Math.max(1, arr.length);
    const std = Math.sqrt(arr.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, arr.length));
    const shape = (values as Tensor).shape ? ` ${fmtShape((values as Tensor).shape)}` : '';
    return { name, shape, mean, std, n: arr.length, ...histogram(arr, bins) };
  });
  const cols = Math.min(opts.cols ?? 2, stats.length);
  const rows = Math.ceil(stats.length / cols);
  const pw = Math.round((opts.width ?? cols * 520) / cols);
  const ph = 320;
  const width = pw * cols;
  const height = opts.height ?? ph * rows + (opts.title ? 40 : 0);
  const { canvas, ctx } = whiteCanvas(width, height);
  const top = opts.title ? 40 : 0;
  if (opts.title) {
    ctx.font = font(20, true);
    ctx.fillStyle = '#000';
    ctx.fillText(opts.title, 12, 28);
  }
  const panelTitle = (s: (typeof stats)[0]) => `${s.name}: μ ${formatNumber(s.mean)}, σ ${formatNumber(s.std)}`;
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { ...baseLayout(width, height, opts.title), showlegend: false, bargap: 0.05, annotations: [] as unknown[] };
  stats.forEach((s, i) => {
    const box = { x: (i % cols) * pw, y: top + Math.floor(i / cols) * ph, w: pw, h: ph };
    const xr: [number, number] = [s.edges[0], s.edges[s.edges.length - 1]];
    const ax = drawAxes(ctx, box, xr, niceRange(0, Math.max(...s.counts)), { title: panelTitle(s), ylabel: COUNT() });
    ctx.fillStyle = PALETTE[i % PALETTE.length];
    s.counts.forEach((c, b) => {
      const x0 = ax.px(s.edges[b]);
      const x1 = ax.px(s.edges[b + 1]);
      ctx.fillRect(x0 + 0.5, ax.py(c), Math.max(1, x1 - x0 - 1), ax.py(0) - ax.py(c));
    });
    const k = i === 0 ? '' : String(i + 1);
    const centers = s.counts.map((_, b) => (s.edges[b] + s.edges[b + 1]) / 2);
    data.push({ type: 'bar', name: s.name, x: centers, y: s.counts, width: s.edges[1] - s.edges[0], marker: { color: PALETTE[i % PALETTE.length] }, xaxis: `x${k}`, yaxis: `y${k}` });
    const c = i % cols;
    const r = Math.floor(i / cols);
    const gx = cols > 1 ? 0.16 : 0; // room for the next panel's y tick labels and title
    const gy = 0.16 / rows;
    layout[`xaxis${k}`] = { domain: [c / cols + gx / 2, (c + 1) / cols - gx / 2], anchor: `y${k}` };
    layout[`yaxis${k}`] = { domain: [1 - (r + 1) / rows + gy / 2, 1 - r / rows - gy / 2], anchor: `x${k}`, title: { text: COUNT() } };
    (layout.annotations as unknown[]).push({ text: panelTitle(s), showarrow: false, xref: 'paper', yref: 'paper', x: (c + 0.5) / cols, y: 1 - r / rows, xanchor: 'center', yanchor: 'bottom', font: { size: 16 } });
  });
  const text = 'histograms:\n' + stats.map((s) => `  ${s.name}${s.shape}: n ${s.n}, mean ${formatNumber(s.mean)}, std ${formatNumber(s.std)}, range [${formatNumber(s.edges[0])}, ${formatNumber(s.edges[s.edges.length - 1])}]`).join('\n');
  return new PlotlyChart({ data, layout }, canvas.toBuffer('image/png'), width, height, text);
}

