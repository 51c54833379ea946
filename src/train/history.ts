/**
 * What `fit` records: per-batch loss/accuracy, per-epoch summaries, why it stopped, and the
 * validation confusion matrix. Displays in a notebook as a loss/accuracy chart plus a table.
 */
import { DISPLAY, MimeBundle, escapeHtml, svgImgTag } from '../display/mime';
import { downsample, lineChartSvg } from './chart';
import type { ConfusionMatrix } from './metrics';

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean training loss/accuracy over the batches of this epoch (weights changing meanwhile). */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  lr: number;
  /** Batches and examples actually run (fewer when stopped early). */
  batches: number;
  examples: number;
  seconds: number;
  imagesPerSec: number;
}

export type StopReason = 'completed' | 'interrupted' | 'non-finite' | 'callback' | 'max-batches';

export class History {
  /** Loss of every training batch, in order. */
  readonly batchLoss: number[] = [];
  readonly batchAccuracy: number[] = [];
  readonly epochs: EpochRecord[] = [];
  stopReason: StopReason = 'completed';
  /** Human-readable explanation when stopped early (e.g. which layer went non-finite). */
  message = '';
  /** Validation confusion matrix after the last evaluated epoch. */
  confusion: ConfusionMatrix | null = null;
  seconds = 0;

  get last(): EpochRecord | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  toJSON(): object {
    return {
      epochs: this.epochs,
      batchLoss: this.batchLoss,
      batchAccuracy: this.batchAccuracy,
      stopReason: this.stopReason,
      message: this.message,
      seconds: this.seconds,
      confusion: this.confusion ? this.confusion.toJSON() : null,
    };
  }

  toString(): string {
    const lines = this.epochs.map(
      (e) =>
        `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, acc ${(100 * e.accuracy).toFixed(2)}%` +
        (e.valAccuracy !== undefined ? `, val loss ${e.valLoss!.toFixed(4)}, val acc ${(100 * e.valAccuracy).toFixed(2)}%` : '') +
        `, ${e.seconds.toFixed(1)} s, ${Math.round(e.imagesPerSec)} img/s`,
    );
    if (this.epochs.length === 0) lines.push(`no complete epoch (${this.batchLoss.length} batches)`);
    if (this.stopReason !== 'completed') lines.push(`stopped: ${this.stopReason}${this.message ? ` — ${this.message}` : ''}`);
    return `History (${this.batchLoss.length} batches, ${this.seconds.toFixed(1)} s)\n` + lines.join('\n');
  }

  /** Loss (per batch, window-averaged) and accuracy charts as SVG strings. */
  charts(): { loss: string; accuracy: string } {
    const l = downsample(this.batchLoss);
    const a = downsample(this.batchAccuracy);
    const perEpoch = this.batchLoss.length / Math.max(1, this.epochs.length);
    const epochX = this.epochs.map((_, i) => (i + 1) * perEpoch - 1);
    const loss = lineChartSvg(
      [
        { label: 'train (batches)', values: l.values, xs: l.xs, color: '#1f77b4' },
        ...(this.epochs.some((e) => e.valLoss !== undefined) ? [{ label: 'validation', values: this.epochs.map((e) => e.valLoss ?? NaN), xs: epochX, color: '#d62728' }] : []),
      ],
      { title: 'loss', xLabel: 'batch' },
    );
    const accuracy = lineChartSvg(
      [
        { label: 'train (batches)', values: a.values, xs: a.xs, color: '#1f77b4' },
        ...(this.epochs.some((e) => e.valAccuracy !== undefined) ? [{ label: 'validation', values: this.epochs.map((e) => e.valAccuracy ?? NaN), xs: epochX, color: '#d62728' }] : []),
      ],
      { title: 'accuracy', xLabel: 'batch' },
    );
    return { loss, accuracy };
  }

  [DISPLAY](): MimeBundle {
    const { loss, accuracy } = this.charts();
    const text = escapeHtml(this.toString());
    const html =
      `<div style="display:flex;gap:8px;flex-wrap:wrap">${svgImgTag(loss, 'loss curve')}${svgImgTag(accuracy, 'accuracy curve')}</div>` +
      `<pre style="font-size:12px">${text}</pre>`;
    return { 'text/plain': this.toString(), 'text/html': html };
  }
}
