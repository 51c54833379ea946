/**
 * Training dashboard (lesson 07): live batch loss/accuracy and Pause / Resume / Stop buttons that
 * act at the next batch boundary through `fit`'s `onBatch` hook, so the model keeps its weights
 * (Stop ends the run with stopReason 'callback'; Pause holds it until Resume). Without a front
 * end (nbclient, CLI) nobody clicks and training runs through.
 * @example const dash = trainingDashboard(); show(dash); await fit(model, data, { onBatch: dash.onBatch, progress: false }); dash.finish()
 */
import { tr } from '../../display/locale';
import { escapeHtml } from '../../display/mime';
import type { BatchInfo } from '../../train/fit';
import type { History } from '../../train/history';
import { drawAxes, drawLine, PALETTE } from '../plot2d';
import { RasterImage, whiteCanvas } from '../raster';
import { Button } from '../../widgets/button';
import { HBox, VBox } from '../../widgets/containers';
import { HTML, Image } from '../../widgets/media';
import { ExplorerView, pngBytes } from './view';

export type DashboardState = 'running' | 'paused' | 'stopped';

export class TrainingDashboard extends ExplorerView {
  readonly root: VBox;
  readonly pause: Button;
  readonly stop: Button;
  readonly status: HTML;
  readonly chart: Image;
  state: DashboardState = 'running';
  private loss: number[] = [];
  private acc: number[] = [];
  private last: BatchInfo | null = null;
  private resume: (() => void) | null = null;
  private lastDraw = 0;
  private still: RasterImage;

  constructor(private readonly redrawMs = 250) {
    super();
    this.pause = new Button({ description: tr({ en: 'Pause', zh: '暂停' }), icon: 'pause' });
    this.stop = new Button({ description: tr({ en: 'Stop', zh: '停止' }), icon: 'stop', button_style: 'danger' });
    this.status = new HTML({ value: tr({ en: 'waiting for the first batch', zh: '等待第一个批次' }) });
    this.chart = new Image();
    this.root = new VBox([new HBox([this.pause, this.stop]), this.status, this.chart]);
    this.pause.onClick(() => (this.state === 'paused' ? this.setState('running') : this.state === 'running' && this.setState('paused')));
    this.stop.onClick(() => this.setState('stopped'));
    this.still = this.draw();
    this.chart.value = pngBytes(this.still);
  }

  snapshot(): RasterImage {
    return this.still;
  }

  /** Pass as `fit(…, { onBatch: dash.onBatch })`. */
  readonly onBatch = (info: BatchInfo, _history: History): boolean | Promise<boolean> => {
    this.loss.push(info.loss);
    this.acc.push(info.accuracy);
    this.last = info;
    if (Date.now() - this.lastDraw >= this.redrawMs || this.state !== 'running') this.refresh();
    if (this.state === 'stopped') return false;
    if (this.state === 'paused') return new Promise<boolean>((ok) => (this.resume = () => ok(this.state !== 'stopped')));
    return true;
  };

  /** Draw the final state (call after fit resolves). */
  finish(history?: History): void {
    this.refresh(history ? ` — ${history.stopReason}${history.message ? `: ${history.message}` : ''}` : '');
    this.pause.set({ disabled: true });
    this.stop.set({ disabled: true });
  }

  private setState(s: DashboardState): void {
    this.state = s;
    this.pause.set({ description: s === 'paused' ? tr({ en: 'Resume', zh: '继续' }) : tr({ en: 'Pause', zh: '暂停' }), icon: s === 'paused' ? 'play' : 'pause' });
    this.refresh();
    if (s !== 'paused' && this.resume) {
      const r = this.resume;
      this.resume = null;
      r();
    }
  }

  private refresh(note = ''): void {
    this.lastDraw = Date.now();
    const i = this.last;
    const where = i ? `epoch ${i.epoch}/${i.epochs}, batch ${i.batch}/${i.batches}, loss ${i.loss.toFixed(4)}, ${tr({ en: 'accuracy', zh: '准确率' })} ${(100 * i.accuracy).toFixed(1)}%` : '';
    this.status.value = `<div style="font-size:16px"><b>${escapeHtml(this.state)}</b> ${escapeHtml(where + note)}</div>`;
    this.still = this.draw();
    this.chart.value = pngBytes(this.still);
  }

  private draw(): RasterImage {
    const { canvas, ctx } = whiteCanvas(640, 300);
    const n = this.loss.length;
    const xs = Array.from({ length: n }, (_, k) => k + 1);
    const ymax = Math.max(1, ...this.loss.filter(Number.isFinite));
    const ax = drawAxes(ctx, { x: 0, y: 0, w: 640, h: 300 }, [0, Math.max(1, n)], [0, ymax], { title: tr({ en: 'batch loss and accuracy', zh: '批次损失与准确率' }), xlabel: tr({ en: 'batch', zh: '批次' }) });
    if (n) {
      drawLine(ctx, ax, xs, this.loss, PALETTE[0]);
      drawLine(ctx, ax, xs, this.acc.map((a) => a * ymax), PALETTE[2]);
    }
    const text = n ? `training ${this.state}: ${n} batches, last loss ${this.loss[n - 1].toFixed(4)}, accuracy ${(100 * this.acc[n - 1]).toFixed(1)}%` : 'training dashboard: no batch yet';
    return new RasterImage(canvas.toBuffer('image/png'), 640, 300, text);
  }
}

/** A training dashboard for `fit`'s onBatch. */
export function trainingDashboard(): TrainingDashboard {
  return new TrainingDashboard();
}
