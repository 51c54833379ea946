/**
 * The one training view: what `fit` shows in a notebook while it trains, and what a `History`
 * shows afterwards. A progress bar over all batches, the current epoch/batch line (loss, accuracy,
 * images/s), one line per finished epoch (train and validation), the stop reason, and two
 * curves — loss and accuracy against the batch axis, each with the per-batch values smoothed
 * (trailing moving average), the per-epoch training means and the validation values.
 *
 * Live: `new TrainingView()` is a progress reporter for `fit` (`fit(model, data, { progress: view })`,
 * the default inside a kernel): the first draw displays it, later draws replace that output through
 * its display handle, at most once per `throttleMs` (250) except at epoch ends and the end. Static:
 * `renderTrainingView(history)` is the same picture as a MIME bundle (History's `[DISPLAY]()`).
 *
 * Every bundle has text/html (bar + text + the curves as SVG `<img>`s) and text/plain; the static
 * render and the live view's final draw also carry image/png (the whole view
 * rasterised: what exports and front ends without HTML show), so the final state stays in the
 * saved notebook, exported HTML and slides, offline.
 *
 * Hook for controls (pause/stop buttons): `new TrainingView({ controls, display })` — `controls()`
 * returns HTML placed above the bar on every draw, `display` replaces src/display's `display`
 * (e.g. to route each redraw into a widget); `view.render(state)` is the bundle without drawing.
 */
import { randomBytes } from 'crypto';
import { figureBundle } from '../display/bundle';
import { display as showInNotebook, mime, type DisplayFn, type DisplayHandle } from '../display/display';
import { tr } from '../display/locale';
import { escapeHtml, svgImgTag, type MimeBundle } from '../display/mime';
import { svgToPng } from '../display/svg';
import { downsample, lineChartSvg, movingAverage, type ChartSeries } from './line-svg';
import { epochLine, progressLine, stopLine, type BatchProgress, type TrainingEpoch } from './training-text';
import { checkOptionNames, optionNames } from '../tensor/options';

/** What the view draws: src/train's `History` has these fields. */
export interface TrainingState {
  /** Loss / accuracy of every training batch, in order. */
  readonly batchLoss: readonly number[];
  readonly batchAccuracy: readonly number[];
  readonly epochs: readonly TrainingEpoch[];
  /** 'completed', 'interrupted', 'non-finite', 'callback' or 'max-batches'. */
  readonly stopReason: string;
  readonly message: string;
}

/** Options of one rendering. */
export interface RenderTrainingOptions {
  /** The batch running now (live view); null/absent for a finished history. */
  current?: BatchProgress | null;
  /** Training has ended: show the stop reason. Default true when `current` is absent. */
  done?: boolean;
  /** text/plain to use instead of the view's lines (History keeps its `toString()`). */
  text?: string;
  /** HTML placed above the bar (controls). */
  controls?: string;
  /** Include the PNG of the whole view (default true; it costs ~40–120 ms, the rest ~4 ms). */
  png?: boolean;
}

/** Every key of `RenderTrainingOptions` (checked both ways at compile time). */
export const RENDER_TRAINING_OPTION_NAMES = optionNames<RenderTrainingOptions>()(['current', 'done', 'text', 'controls', 'png']);

const CHART_W = 420;
const CHART_H = 220;
const FONT = 12;
const COLORS = { batches: '#1f77b4', epochs: '#ff7f0e', validation: '#d62728' };

function epochXs(state: TrainingState): number[] {
  const n = state.batchLoss.length;
  const e = state.epochs.length;
  let end = 0;
  return state.epochs.map((rec, i) => {
    end = rec.batches !== undefined ? end + rec.batches : ((i + 1) * n) / Math.max(1, e);
    return end - 1;
  });
}

function metricChart(state: TrainingState, batch: readonly number[], train: (e: TrainingEpoch) => number, val: (e: TrainingEpoch) => number | undefined, title: string): string {
  const smooth = downsample(movingAverage(batch, Math.max(1, Math.ceil(batch.length / 25))));
  const xs = epochXs(state);
  const series: ChartSeries[] = [{ label: tr({ en: 'train batches (smoothed)', zh: '训练批次（平滑）' }), values: smooth.values, xs: smooth.xs, color: COLORS.batches }];
  if (state.epochs.length) series.push({ label: tr({ en: 'train epoch mean', zh: '训练每轮平均' }), values: state.epochs.map(train), xs, color: COLORS.epochs, markers: true });
  if (state.epochs.some((e) => val(e) !== undefined)) series.push({ label: tr({ en: 'validation', zh: '验证' }), values: state.epochs.map((e) => val(e) ?? NaN), xs, color: COLORS.validation, markers: true });
  return lineChartSvg(series, { width: CHART_W, height: CHART_H, fontSize: FONT, legend: 'below', title, xLabel: tr({ en: 'batch', zh: '批次' }) });
}

/** The loss and accuracy curves of the view, as SVG documents (420 × 220 px each). */
export function trainingCharts(state: TrainingState): { loss: string; accuracy: string } {
  return {
    loss: metricChart(state, state.batchLoss, (e) => e.loss, (e) => e.valLoss, tr({ en: 'loss', zh: '损失' })),
    accuracy: metricChart(state, state.batchAccuracy, (e) => e.accuracy, (e) => e.valAccuracy, tr({ en: 'accuracy', zh: '准确率' })),
  };
}

/** The view's text lines: the running batch, each finished epoch, and why it stopped early. */
export function trainingLines(state: TrainingState, current: BatchProgress | null, done: boolean): string[] {
  const lines = current ? [progressLine(current)] : [];
  lines.push(...state.epochs.map(epochLine));
  if (done && state.stopReason !== 'completed') lines.push(stopLine(state.stopReason, state.message));
  return lines;
}

/** Fraction of all batches done: ((epoch − 1)·batches + batch) / (epochs·batches); 1 without a current batch. */
function doneFraction(p: BatchProgress | null): number {
  return p ? ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches) : 1;
}

/** The whole view as one SVG (the PNG fallback): bar, text lines, the two charts side by side. */
function viewSvg(frac: number, lines: string[], charts: { loss: string; accuracy: string }): string {
  const W = 2 * CHART_W + 8;
  const lineH = 18;
  const top = 22 + lines.length * lineH + 6;
  const H = top + CHART_H;
  const place = (svg: string, x: number) => svg.replace('<svg ', `<svg x="${x}" y="${top}" `);
  // The text bar (█░) is left out of the picture: the drawn bar above says the same.
  const text = lines.map((l) => l.replace(/ [█░]+ /, ' ')).map((l, i) => `<text x="4" y="${22 + (i + 1) * lineH - 4}" font-family="DejaVu Sans Mono, monospace" font-size="13">${escapeHtml(l)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="white"/><rect x="0" y="4" width="${W}" height="10" rx="3" fill="#eee"/>` +
    `<rect x="0" y="4" width="${(W * frac).toFixed(1)}" height="10" rx="3" fill="${COLORS.batches}"/>${text}` +
    `${place(charts.loss, 0)}${place(charts.accuracy, CHART_W + 8)}</svg>`
  );
}

/**
 * The training view of `state` as a MIME bundle (text/html, image/png, text/plain).
 *
 *   show(mime(renderTrainingView(history)))         // what `history` shows as a cell's value
 */
export function renderTrainingView(state: TrainingState, opts: RenderTrainingOptions = {}): MimeBundle {
  checkOptionNames('renderTrainingView', opts, RENDER_TRAINING_OPTION_NAMES);
  const current = opts.current ?? null;
  const done = opts.done ?? current === null;
  const lines = trainingLines(state, current, done);
  const frac = Math.max(0, Math.min(1, doneFraction(current)));
  const charts = trainingCharts(state);
  const text = lines.join('\n');
  const html =
    `<div class="tscnn-training" style="font-family:sans-serif;font-size:13px">${opts.controls ?? ''}` +
    `<div style="width:${2 * CHART_W + 8}px;max-width:100%;height:10px;background:#eee;border-radius:3px"><div style="width:${(100 * frac).toFixed(1)}%;height:10px;background:${COLORS.batches};border-radius:3px"></div></div>` +
    `<pre style="margin:4px 0;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(text)}</pre>` +
    `<div style="display:flex;gap:8px;flex-wrap:wrap">${svgImgTag(charts.loss, tr({ en: 'loss curve', zh: '损失曲线' }))}${svgImgTag(charts.accuracy, tr({ en: 'accuracy curve', zh: '准确率曲线' }))}</div></div>`;
  const png = opts.png === false ? undefined : svgToPng(viewSvg(frac, lines, charts));
  return figureBundle({ html, png, text: opts.text ?? (text || tr({ en: 'training: no batch yet', zh: '训练：尚无批次' })) });
}

/** Options of the live view. */
export interface TrainingViewOptions {
  /** Minimum milliseconds between redraws within an epoch (default 250). */
  throttleMs?: number;
  /** Where the view is shown and updated (default src/display's `display`). */
  display?: DisplayFn;
  /** Extra HTML above the bar on every draw (e.g. pause/stop controls). */
  controls?: () => string;
  /** Clock for the throttle (default Date.now). */
  now?: () => number;
}

/** Every key of `TrainingViewOptions` (checked both ways at compile time). */
export const TRAINING_VIEW_OPTION_NAMES = optionNames<TrainingViewOptions>()(['throttleMs', 'display', 'controls', 'now']);

/**
 * The live training view: a progress reporter for `fit` (batch / epoch / end), shown once and
 * then updated in place through one display handle.
 *
 *   const history = await fit(model, data, { epochs: 3, progress: new TrainingView({ throttleMs: 500 }) });
 */
export class TrainingView {
  /** How many times the view was drawn (first display + updates). */
  draws = 0;
  private handle: DisplayHandle | null = null;
  private lastDraw = -Infinity;
  private current: BatchProgress | null = null;

  constructor(readonly opts: TrainingViewOptions = {}) {
    checkOptionNames('TrainingView', opts, TRAINING_VIEW_OPTION_NAMES);
  }

  /** The display id of the view's output, once shown. */
  get id(): string | undefined {
    return this.handle?.id;
  }

  /** The bundle the view would show now for `state` (no output); `png: false` skips the PNG. */
  render(state: TrainingState, done = false, png = true): MimeBundle {
    return renderTrainingView(state, { current: this.current, done, png, controls: this.opts.controls?.() });
  }

  /** One batch finished: redraw when the throttle interval has passed. */
  batch(p: BatchProgress, state: TrainingState): void {
    this.current = p;
    this.draw(state, false, false);
  }

  /** One epoch finished: redraw now. */
  epoch(_rec: TrainingEpoch, state: TrainingState): void {
    this.draw(state, true, false);
  }

  /** Training ended (completed or stopped): the final draw, with the stop reason. */
  end(state: TrainingState): void {
    this.draw(state, true, true);
  }

  private draw(state: TrainingState, force: boolean, done: boolean): void {
    const now = (this.opts.now ?? Date.now)();
    if (!force && now - this.lastDraw < (this.opts.throttleMs ?? 250)) return;
    this.lastDraw = now;
    // The PNG only in the final draw: rasterising costs 10–30× the rest of a draw (~60–120 ms on
    // a busy 2-core machine, vs ~4 ms), and the saved notebook keeps the final output.
    const value = mime(this.render(state, done, done));
    // A random display id: an id reused after a kernel restart would update an old cell's output.
    if (!this.handle) this.handle = (this.opts.display ?? showInNotebook)(value, { id: `tscnn-fit-${randomBytes(6).toString('hex')}` });
    else this.handle.update(value);
    this.draws += 1;
  }
}
