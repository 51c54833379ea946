/**
 * The course's plotly charts: line charts, a confusion matrix, benchmark bars (histograms are in
 * src/viz/histograms.ts). Each returns a `PlotlyChart` (interactive plotly in HTML, PNG drawn here
 * with the same numbers, plotly JSON, text). Training curves are not here: they are the training
 * view's (src/viz/training-view.ts), live and static alike.
 */
import { tr } from '../display/locale';
import { fmtShape, opError } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import type { Tensor } from '../tensor/tensor';
import { css, sequential } from './colormap';
import { PALETTE, drawAxes, drawLegend, drawLine, finiteRange, niceRange, type Box } from './plot2d';
import { PlotlyChart, baseLayout, type Figure } from './web-chart';
import { font, whiteCanvas } from './raster';
import { checkOptionNames, optionNames } from '../tensor/options';

/** One line of a `lineChart`: y values, x default 1, 2, 3, …. */
export interface Series {
  name: string;
  /** Default 1, 2, 3, … (epochs / steps counted from 1). */
  x?: number[];
  y: number[];
}

/** Title, axis labels and size (px) of a chart. */
export interface ChartOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  width?: number;
  height?: number;
}

/** Every key of `ChartOptions` (checked both ways at compile time). */
export const CHART_OPTION_NAMES = optionNames<ChartOptions>()(['title', 'xlabel', 'ylabel', 'width', 'height']);

function toSeries(op: string, s: Series[] | Record<string, number[]>): Series[] {
  const list: Series[] = Array.isArray(s) ? s : Object.entries(s).map(([name, y]) => ({ name, y }));
  for (const t of list) {
    if (!t || !Array.isArray(t.y) && !ArrayBuffer.isView(t.y)) throw opError(op, `series ${JSON.stringify(t?.name)} needs y: number[]`);
    if (t.x && t.x.length !== t.y.length) throw opError(op, `series '${t.name}' has ${t.x.length} x values and ${t.y.length} y values`);
  }
  return list.map((t) => ({ name: t.name, y: Array.from(t.y), x: t.x ? Array.from(t.x) : t.y.map((_, i) => i + 1) }));
}


/** Draw several series into one panel of a canvas. */
function linePanel(ctx: Parameters<typeof drawAxes>[0], box: Box, series: Series[], o: ChartOptions, colorOffset = 0): void {
  const xr = finiteRange(series.flatMap((s) => s.x!));
  const yr = niceRange(...finiteRange(series.flatMap((s) => s.y)));
  const ax = drawAxes(ctx, box, xr[0] === xr[1] ? [xr[0] - 1, xr[1] + 1] : xr, yr, o);
  series.forEach((s, i) => drawLine(ctx, ax, s.x!, s.y, PALETTE[(i + colorOffset) % PALETTE.length]));
  drawLegend(ctx, ax, series.map((s, i) => ({ name: s.name, color: PALETTE[(i + colorOffset) % PALETTE.length] })));
}

function lineTraces(series: Series[], axis = '', colorOffset = 0): Record<string, unknown>[] {
  return series.map((s, i) => ({
    type: 'scatter',
    mode: s.y.length <= 60 ? 'lines+markers' : 'lines',
    name: s.name,
    x: s.x,
    y: s.y,
    line: { color: PALETTE[(i + colorOffset) % PALETTE.length], width: 3 },
    ...(axis ? { xaxis: `x${axis}`, yaxis: `y${axis}` } : {}),
  }));
}

function seriesText(title: string, series: Series[]): string {
  const last = series.map((s) => `${s.name}: ${s.y.length ? formatNumber(s.y[s.y.length - 1]) : '—'} (last of ${s.y.length})`).join(', ');
  return `${title}${title ? ' — ' : ''}${last}`;
}

/** Line chart of one or more series: `lineChart({ loss: [2.3, 1.1, 0.6] }, { xlabel: 'step' })`. */
export function lineChart(series: Series[] | Record<string, number[]>, opts: ChartOptions = {}): PlotlyChart {
  checkOptionNames('lineChart', opts, CHART_OPTION_NAMES);
  const list = toSeries('lineChart', series);
  const width = opts.width ?? 760;
  const height = opts.height ?? 440;
  const { canvas, ctx } = whiteCanvas(width, height);
  linePanel(ctx, { x: 0, y: 0, w: width, h: height }, list, opts);
  const fig: Figure = {
    data: lineTraces(list),
    layout: { ...baseLayout(width, height, opts.title), xaxis: { title: { text: opts.xlabel ?? '' } }, yaxis: { title: { text: opts.ylabel ?? '' } } },
  };
  return new PlotlyChart(fig, canvas.toBuffer('image/png'), width, height, seriesText(opts.title ?? 'line chart', list));
}

/** Axis labels and titles of the charts, in the current locale. */
const T = {
  confusion: () => tr({ en: 'confusion matrix', zh: '混淆矩阵' }),
  predicted: () => tr({ en: 'predicted', zh: '预测类别' }),
  true: () => tr({ en: 'true', zh: '真实类别' }),
};

/** Options of `confusionMatrix`. */
export interface ConfusionOptions extends ChartOptions {
  /** Show row-normalised rates (each true class sums to 1) instead of counts. */
  normalize?: boolean;
}

/** Every key of `ConfusionOptions` (checked both ways at compile time). */
export const CONFUSION_OPTION_NAMES = optionNames<ConfusionOptions>()([...CHART_OPTION_NAMES, 'normalize']);

/** Confusion matrix heatmap [K, K]: rows = true class, columns = predicted class, numbers in cells: `confusionMatrix([[5, 1], [0, 4]], ['X', 'O'])`. */
export function confusionMatrix(matrix: number[][] | Tensor, labels?: string[], opts: ConfusionOptions = {}): PlotlyChart {
  checkOptionNames('confusionMatrix', opts, CONFUSION_OPTION_NAMES);
  const op = 'confusionMatrix';
  let m: number[][];
  if (Array.isArray(matrix)) m = matrix.map((r) => Array.from(r));
  else {
    if (!matrix?.shape || matrix.shape.length !== 2) throw opError(op, `matrix must be [K, K], got ${matrix?.shape ? fmtShape(matrix.shape) : typeof matrix}`);
    const [a, b] = matrix.shape;
    m = Array.from({ length: a }, (_, r) => Array.from(matrix.data.subarray(r * b, (r + 1) * b)));
  }
  const k = m.length;
  if (k === 0 || m.some((r) => r.length !== k)) throw opError(op, `matrix must be square [K, K], got ${k} rows of lengths ${JSON.stringify(m.map((r) => r.length))}`);
  if (labels !== undefined && labels !== null && !Array.isArray(labels)) {
    throw opError(op, `labels must be an array of ${k} class names or undefined, got ${typeof labels}; options go third: confusionMatrix(matrix, labels, { normalize: true })`);
  }
  const names = labels ?? m.map((_, i) => String(i));
  if (names.length !== k) throw opError(op, `labels has ${names.length} names for a ${k}×${k} matrix`);
  const z = opts.normalize ? m.map((r) => { const s = r.reduce((a, b) => a + b, 0); return r.map((v) => (s > 0 ? v / s : 0)); }) : m;
  const zmax = Math.max(...z.flat(), 0);
  const fmt = (v: number) => (opts.normalize ? v.toFixed(2) : formatNumber(v));
  const cell = Math.max(44, Math.min(80, Math.floor(560 / k)));
  const width = opts.width ?? Math.max(480, 120 + Math.min(120, Math.max(...names.map((s) => s.length)) * 9) + k * cell + 40);
  const height = opts.height ?? 40 + 16 + k * cell + 68 + 20;
  const { canvas, ctx } = whiteCanvas(width, height);
  const ax = drawAxes(ctx, { x: 0, y: 0, w: width, h: height }, [-0.5, k - 0.5], [k - 0.5, -0.5], { title: opts.title ?? T.confusion(), xlabel: T.predicted(), ylabel: T.true(), xCategories: names, yCategories: names, grid: false });
  ctx.font = font(16, true);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const col = sequential(z[r][c], zmax);
      ctx.fillStyle = css(col);
      const x0 = ax.px(c - 0.5);
      const y0 = ax.py(r - 0.5);
      ctx.fillRect(x0, y0, ax.px(c + 0.5) - x0, ax.py(r + 0.5) - y0);
      // White text on dark cells, black on light: luminance threshold.
      ctx.fillStyle = 0.299 * col[0] + 0.587 * col[1] + 0.114 * col[2] < 140 ? '#fff' : '#000';
      ctx.fillText(fmt(z[r][c]), ax.px(c), ax.py(r), cell - 4);
    }
  }
  const total = m.flat().reduce((a, b) => a + b, 0);
  const correct = m.reduce((a, r, i) => a + r[i], 0);
  const fig: Figure = {
    data: [{ type: 'heatmap', z, x: names, y: names, colorscale: 'Viridis', zmin: 0, zmax, text: z.map((r) => r.map(fmt)), texttemplate: '%{text}', textfont: { size: 16 }, hovertemplate: 'true %{y}, predicted %{x}: %{text}<extra></extra>' }],
    layout: { ...baseLayout(width, height, opts.title ?? T.confusion()), xaxis: { title: { text: T.predicted() }, type: 'category' }, yaxis: { title: { text: T.true() }, type: 'category', autorange: 'reversed' } },
  };
  const text = `confusion matrix ${k}×${k} (rows true, columns predicted), accuracy ${total > 0 ? formatNumber(correct / total) : '—'} (${correct}/${total})`;
  return new PlotlyChart(fig, canvas.toBuffer('image/png'), width, height, text);
}

/** One benchmark measurement, as `npm run bench` writes it. */
export interface BenchRow {
  case: string;
  impl: string;
  metric: string;
  value: number;
  unit: string;
}

/** Options of `barChart`. */
export interface BarChartOptions extends ChartOptions {
  /** The impl every ratio is relative to (required). */
  baseline: string;
  /** Which metric to plot (default: the first in the rows). */
  metric?: string;
  /** 'speedup' = baseline / value (for times), 'ratio' = value / baseline (for rates). Default by unit. */
  mode?: 'speedup' | 'ratio';
}

/** Every key of `BarChartOptions` (checked both ways at compile time). */
export const BAR_CHART_OPTION_NAMES = optionNames<BarChartOptions>()([...CHART_OPTION_NAMES, 'baseline', 'metric', 'mode']);

const TIME_UNITS = new Set(['s', 'ms', 'us', 'µs', 'ns', 'sec', 'seconds']);

/** Grouped bars: per case, each impl's ratio against the baseline impl (baseline = 1): `barChart(rows, { baseline: 'naive' })`. */
export function barChart(rows: BenchRow[], opts: BarChartOptions): PlotlyChart {
  checkOptionNames('barChart', opts, BAR_CHART_OPTION_NAMES);
  const op = 'barChart';
  if (!opts?.baseline) throw opError(op, 'opts.baseline (the impl ratios are relative to) is required');
  if (!Array.isArray(rows) || rows.length === 0) throw opError(op, 'rows must be a non-empty array of {case, impl, metric, value, unit}');
  const metric = opts.metric ?? rows[0].metric;
  const sel = rows.filter((r) => r.metric === metric);
  if (sel.length === 0) throw opError(op, `no rows with metric '${metric}' (have ${[...new Set(rows.map((r) => r.metric))].join(', ')})`);
  const unit = sel[0].unit;
  const mode = opts.mode ?? (TIME_UNITS.has(unit) ? 'speedup' : 'ratio');
  const cases = [...new Set(sel.map((r) => r.case))];
  const impls = [...new Set(sel.map((r) => r.impl))];
  if (!impls.includes(opts.baseline)) throw opError(op, `baseline impl '${opts.baseline}' not among ${impls.join(', ')}`);
  const value = (c: string, i: string) => sel.find((r) => r.case === c && r.impl === i)?.value;
  const ratios = impls.map((impl) => cases.map((c) => {
    const v = value(c, impl);
    const b = value(c, opts.baseline);
    if (v === undefined || b === undefined || !(v > 0) || !(b > 0)) return NaN;
    return mode === 'speedup' ? b / v : v / b;
  }));
  const ylabel = mode === 'speedup' ? tr({ en: `speed-up vs ${opts.baseline} (×, higher is faster)`, zh: `相对 ${opts.baseline} 的加速比（×，越高越快）` }) : `${metric} / ${opts.baseline} (×)`;
  const width = opts.width ?? Math.max(640, 160 + cases.length * (impls.length * 44 + 40));
  const height = opts.height ?? 480;
  const { canvas, ctx } = whiteCanvas(width, height);
  const ymax = Math.max(1, ...ratios.flat().filter(Number.isFinite));
  const ax = drawAxes(ctx, { x: 0, y: 0, w: width, h: height }, [-0.5, cases.length - 0.5], niceRange(0, ymax * 1.1, true), { title: opts.title ?? `${metric}: ${mode} vs ${opts.baseline}`, ylabel: mode === 'speedup' ? tr({ en: 'speed-up (×)', zh: '加速比（×）' }) : tr({ en: 'ratio (×)', zh: '比值（×）' }), xCategories: cases });
  const slot = (ax.px(1) - ax.px(0)) * 0.8;
  const bw = slot / impls.length;
  impls.forEach((impl, i) => {
    ctx.fillStyle = PALETTE[i % PALETTE.length];
    cases.forEach((_, c) => {
      const r = ratios[i][c];
      if (!Number.isFinite(r)) return;
      const x0 = ax.px(c) - slot / 2 + i * bw;
      ctx.fillRect(x0 + 1, ax.py(r), bw - 2, ax.py(0) - ax.py(r));
    });
  });
  ctx.strokeStyle = '#000';
  ctx.setLineDash([6, 4]);
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(ax.plot.x, ax.py(1));
  ctx.lineTo(ax.plot.x + ax.plot.w, ax.py(1));
  ctx.stroke();
  ctx.setLineDash([]);
  drawLegend(ctx, ax, impls.map((n, i) => ({ name: n, color: PALETTE[i % PALETTE.length] })));
  const fig: Figure = {
    data: impls.map((impl, i) => ({
      type: 'bar', name: impl, x: cases, y: ratios[i].map((r) => (Number.isFinite(r) ? r : null)), marker: { color: PALETTE[i % PALETTE.length] },
      customdata: cases.map((c) => value(c, impl) ?? null), hovertemplate: `${impl} %{x}: %{y:.2f}× (%{customdata} ${unit})<extra></extra>`,
    })),
    layout: { ...baseLayout(width, height, opts.title ?? `${metric}: ${mode} vs ${opts.baseline}`), barmode: 'group', yaxis: { title: { text: ylabel }, rangemode: 'tozero' }, shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 1, y1: 1, line: { dash: 'dash', color: '#000', width: 2 } }] },
  };
  const text = [`${metric} (${unit}), ${mode} vs ${opts.baseline}:`, ...cases.map((c, ci) => `  ${c}: ${impls.map((im, i) => `${im} ${Number.isFinite(ratios[i][ci]) ? ratios[i][ci].toFixed(2) + '×' : '—'}`).join(', ')}`)].join('\n');
  return new PlotlyChart(fig, canvas.toBuffer('image/png'), width, height, text);
}
