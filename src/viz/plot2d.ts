/**
 * A small, correct static plotter on node-canvas: axes with "nice" ticks, lines, bars, heatmaps.
 * It draws the PNG fallback of every plotly chart, so a chart still reads where scripts do not run
 * (GitHub's viewer, PDFs, untrusted notebooks). Text ≥ 16 px, high-contrast palette.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import { formatNumber } from '../tensor/format';
import { font } from './raster';

/** Tableau-10 first colours: distinguishable on a projector and for most colour-blind viewers. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** A rectangle on the canvas (px). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Data → pixel mapping of one panel. */
export interface Axes {
  plot: Box;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  px(v: number): number;
  py(v: number): number;
}

/** About `n` round tick values covering [lo, hi] (steps 1, 2, 5 × 10^k). */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Pad a data range a little and round it to ticks; a flat range gets ±1 so it still draws. */
export function niceRange(lo: number, hi: number, includeZero = false): [number, number] {
  if (includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) return [lo - 1, hi + 1];
  const t = niceTicks(lo, hi);
  const step = t.length > 1 ? t[1] - t[0] : (hi - lo) / 5;
  return [Math.min(lo, Math.floor(lo / step) * step), Math.max(hi, Math.ceil(hi / step) * step)];
}

/** Title, axis labels, categories and grid of `drawAxes`. */
export interface AxesOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Category names on x at 0, 1, 2, … (bars, heatmaps). */
  xCategories?: string[];
  yCategories?: string[];
  /** Draw grid lines (default true). */
  grid?: boolean;
}

/** Frame, ticks, labels and title inside `box`; returns the mapping for the plot area. */
export function drawAxes(ctx: CanvasRenderingContext2D, box: Box, xr: [number, number], yr: [number, number], o: AxesOptions = {}): Axes {
  const left = 78 + (o.ylabel ? 26 : 0) + (o.yCategories ? Math.min(120, Math.max(...o.yCategories.map((s) => s.length)) * 9) : 0);
  const top = o.title ? 40 : 16;
  const bottom = 40 + (o.xlabel ? 28 : 0);
  const plot: Box = { x: box.x + left, y: box.y + top, w: box.w - left - 20, h: box.h - top - bottom };
  const [xmin, xmax] = xr;
  const [ymin, ymax] = yr;
  const px = (v: number) => plot.x + ((v - xmin) / (xmax - xmin || 1)) * plot.w;
  const py = (v: number) => plot.y + plot.h - ((v - ymin) / (ymax - ymin || 1)) * plot.h;
  ctx.save();
  ctx.font = font(16);
  ctx.fillStyle = '#000';
  ctx.strokeStyle = '#000';
  if (o.title) {
    ctx.font = font(18, true);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(o.title, box.x + box.w / 2, box.y + 8, box.w - 10);
    ctx.font = font(16);
  }
  // y ticks
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  if (o.yCategories) {
    o.yCategories.forEach((c, i) => ctx.fillText(c, plot.x - 8, py(i), left - 12));
  } else {
    for (const t of niceTicks(ymin, ymax)) {
      const y = Math.round(py(t)) + 0.5;
      if (o.grid !== false) {
        ctx.strokeStyle = '#d0d0d0';
        ctx.beginPath();
        ctx.moveTo(plot.x, y);
        ctx.lineTo(plot.x + plot.w, y);
        ctx.stroke();
      }
      ctx.fillText(formatNumber(t), plot.x - 8, y);
    }
  }
  // x ticks
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  if (o.xCategories) {
    const slot = plot.w / Math.max(1, o.xCategories.length);
    o.xCategories.forEach((c, i) => ctx.fillText(c, px(i), plot.y + plot.h + 8, slot - 4));
  } else {
    for (const t of niceTicks(xmin, xmax, 6)) ctx.fillText(formatNumber(t), px(t), plot.y + plot.h + 8);
  }
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(plot.x, plot.y, plot.w, plot.h);
  if (o.xlabel) ctx.fillText(o.xlabel, plot.x + plot.w / 2, plot.y + plot.h + 36);
  if (o.ylabel) {
    ctx.translate(box.x + 14, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(o.ylabel, 0, 0);
  }
  ctx.restore();
  return { plot, xmin, xmax, ymin, ymax, px, py };
}

/** A polyline (NaN breaks it) with small markers. */
export function drawLine(ctx: CanvasRenderingContext2D, ax: Axes, xs: number[], ys: number[], color: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(ax.plot.x, ax.plot.y, ax.plot.w, ax.plot.h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 3;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < ys.length; i++) {
    if (!Number.isFinite(ys[i])) {
      pen = false;
      continue;
    }
    const X = ax.px(xs[i]);
    const Y = ax.py(ys[i]);
    if (pen) ctx.lineTo(X, Y);
    else ctx.moveTo(X, Y);
    pen = true;
  }
  ctx.stroke();
  if (ys.length <= 60) {
    for (let i = 0; i < ys.length; i++) {
      if (!Number.isFinite(ys[i])) continue;
      ctx.beginPath();
      ctx.arc(ax.px(xs[i]), ax.py(ys[i]), 4, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();
}

/** Legend in the top-right corner of the plot area. */
export function drawLegend(ctx: CanvasRenderingContext2D, ax: Axes, items: { name: string; color: string }[]): void {
  if (items.length === 0) return;
  ctx.save();
  ctx.font = font(16);
  const w = Math.max(...items.map((i) => ctx.measureText(i.name).width)) + 44;
  const h = items.length * 24 + 8;
  const x = ax.plot.x + ax.plot.w - w - 8;
  const y = ax.plot.y + 8;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.strokeRect(x, y, w, h);
  ctx.textBaseline = 'middle';
  items.forEach((it, i) => {
    ctx.fillStyle = it.color;
    ctx.fillRect(x + 8, y + 12 + i * 24 - 3, 24, 6);
    ctx.fillStyle = '#000';
    ctx.fillText(it.name, x + 38, y + 12 + i * 24);
  });
  ctx.restore();
}
