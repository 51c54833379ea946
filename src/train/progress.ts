/**
 * Progress reporting for `fit`: a `\r`-updated bar on a terminal (a line per ~10% when stderr is
 * not a TTY, e.g. CI logs), or in a notebook a live-updating HTML block (bar + text + loss curve)
 * through src/display's `display(bundle, { id })` handle. Updates are throttled (250 ms).
 */
import { display, isInKernel, mime } from '../display';
import { escapeHtml, svgImgTag } from '../display/mime';
import { downsample, lineChartSvg } from './chart';
import type { EpochRecord, History } from './history';

export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSec: number;
}

export interface ProgressReporter {
  batch(p: BatchProgress, history: History): void;
  epoch(rec: EpochRecord, history: History): void;
  end(history: History): void;
}

function bar(frac: number, width = 24): string {
  const f = Math.max(0, Math.min(1, frac));
  const full = Math.floor(f * width);
  return '█'.repeat(full) + (full < width ? '░'.repeat(width - full) : '');
}

function line(p: BatchProgress): string {
  return (
    `epoch ${p.epoch}/${p.epochs} ${bar(p.batch / p.batches)} ${String(p.batch).padStart(String(p.batches).length)}/${p.batches}` +
    ` loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}% ${Math.round(p.imagesPerSec)} img/s`
  );
}

function epochLine(e: EpochRecord): string {
  return (
    `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${(100 * e.accuracy).toFixed(2)}%` +
    (e.valAccuracy !== undefined ? ` | val loss ${e.valLoss!.toFixed(4)} val acc ${(100 * e.valAccuracy).toFixed(2)}%` : '') +
    ` | ${e.seconds.toFixed(1)} s, ${Math.round(e.imagesPerSec)} img/s`
  );
}

export class TerminalProgress implements ProgressReporter {
  private lastDraw = 0;
  private lastTenth = -1;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr) {}

  batch(p: BatchProgress): void {
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && p.batch < p.batches) return;
      this.lastDraw = now;
      this.out.write(`\r${line(p)}\x1b[K`);
    } else {
      const tenth = Math.floor((10 * p.batch) / p.batches);
      if (tenth !== this.lastTenth) {
        this.lastTenth = tenth;
        this.out.write(line(p) + '\n');
      }
    }
  }

  epoch(rec: EpochRecord): void {
    this.lastTenth = -1;
    this.out.write(`${this.out.isTTY ? '\r\x1b[K' : ''}${epochLine(rec)}\n`);
  }

  end(history: History): void {
    if (history.stopReason !== 'completed') this.out.write(`${this.out.isTTY ? '\n' : ''}stopped (${history.stopReason})${history.message ? `: ${history.message}` : ''}\n`);
  }
}

interface DisplayHandleLike {
  update(bundle: Record<string, string>): void;
}

/** The live notebook view; `show` is src/display's `display(bundle, { id })`. */
export class NotebookProgress implements ProgressReporter {
  private handle: DisplayHandleLike | null = null;
  private lastDraw = 0;
  private current: BatchProgress | null = null;

  constructor(private readonly show: (bundle: Record<string, string>, opts: { id?: string }) => DisplayHandleLike) {}

  private render(history: History, done: boolean): Record<string, string> {
    const p = this.current;
    const frac = p ? ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches) : 1;
    const d = downsample(history.batchLoss);
    const chart = lineChartSvg([{ label: 'train loss', values: d.values, xs: d.xs, color: '#1f77b4' }], { width: 320, height: 150, xLabel: 'batch' });
    const text = [p ? line(p) : '', ...history.epochs.map(epochLine), done && history.stopReason !== 'completed' ? `stopped (${history.stopReason}) ${history.message}` : '']
      .filter(Boolean)
      .join('\n');
    const html =
      `<div style="font-family:sans-serif;font-size:12px">` +
      `<div style="width:320px;height:10px;background:#eee;border-radius:3px"><div style="width:${(100 * frac).toFixed(1)}%;height:10px;background:#1f77b4;border-radius:3px"></div></div>` +
      `<pre style="margin:4px 0">${escapeHtml(text)}</pre>${svgImgTag(chart, 'training loss')}</div>`;
    return { 'text/plain': text, 'text/html': html };
  }

  private draw(history: History, force: boolean, done = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 250) return;
    this.lastDraw = now;
    const bundle = this.render(history, done);
    if (!this.handle) this.handle = this.show(bundle, { id: `tscnn-fit-${now}-${Math.floor(Math.random() * 1e9)}` });
    else this.handle.update(bundle);
  }

  batch(p: BatchProgress, history: History): void {
    this.current = p;
    this.draw(history, false);
  }

  epoch(_rec: EpochRecord, history: History): void {
    this.draw(history, true);
  }

  end(history: History): void {
    this.draw(history, true, true);
  }
}

/** Silent reporter (tests, `progress: false`). */
export const noProgress: ProgressReporter = { batch() {}, epoch() {}, end() {} };

/** src/display's live display (`display(mime(bundle), { id })` + `update`) when inside a kernel. */
export function kernelDisplay(): ((bundle: Record<string, string>, opts: { id?: string }) => DisplayHandleLike) | null {
  if (!isInKernel()) return null;
  return (bundle, opts) => {
    // mime() marks the object as a bundle, so display sends its MIME types as they are.
    const h = display(mime(bundle), opts);
    return { update: (b) => h.update(mime(b)) };
  };
}

/** 'auto': notebook view inside a kernel, else the terminal bar. */
export function makeProgress(mode: boolean | 'auto' | 'terminal' | 'notebook' | ProgressReporter | undefined): ProgressReporter {
  if (mode && typeof mode === 'object') return mode;
  if (mode === false) return noProgress;
  const show = kernelDisplay();
  if (mode === 'notebook' || ((mode === 'auto' || mode === true || mode === undefined) && show)) {
    if (show) return new NotebookProgress(show);
  }
  return new TerminalProgress();
}
