/**
 * What `fit` records: per-batch loss/accuracy, per-epoch summaries, why it stopped, and the
 * validation confusion matrix. Shows in a notebook as the training view (src/viz/training-view.ts,
 * the same view `fit` draws live): bar, epoch lines, loss and accuracy curves.
 *
 *   const history = await fit(model, data, { epochs: 3 });
 *   history.last!.valAccuracy   // accuracy on the validation data after the last epoch
 */
import { DISPLAY, MimeBundle } from '../display/mime';
import { renderTrainingView, trainingCharts } from '../viz/training-view';
import type { ConfusionMatrix } from './metrics';

/** The summary of one epoch of `fit`. */
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

/** Why `fit` stopped: all epochs ran, the user interrupted, a loss/gradient went non-finite, a callback returned false, or opts.maxBatches was reached. */
export type StopReason = 'completed' | 'interrupted' | 'non-finite' | 'callback' | 'max-batches';

/** Everything `fit` recorded (also its return value); `JSON.stringify(history)` saves it. */
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

  /** The view's loss and accuracy curves (per batch smoothed, per epoch, validation) as SVG strings. */
  charts(): { loss: string; accuracy: string } {
    return trainingCharts(this);
  }

  [DISPLAY](): MimeBundle {
    return renderTrainingView(this, { text: this.toString() });
  }
}
