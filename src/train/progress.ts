/**
 * Progress reporting for `fit`. In a notebook: the one training view (src/viz/training-view.ts),
 * shown once and updated in place. On a terminal: a `\r`-updated bar (a line per ~10% when stderr
 * is not a TTY, e.g. CI logs), with the same words as the view (src/viz/training-text.ts).
 *
 *   fit(model, data, { progress: 'auto' })       // the view in a kernel, the bar elsewhere
 *   fit(model, data, { progress: new TrainingView({ throttleMs: 1000 }) })
 */
import { display, isInKernel, type DisplayFn } from '../display';
import { epochLine, progressLine, stopLine, type BatchProgress } from '../viz/training-text';
import { TrainingView } from '../viz/training-view';
import type { EpochRecord, History } from './history';

/** One batch of `fit` as the progress reporters receive it (declared beside the view). */
export type { BatchProgress } from '../viz/training-text';

/** What `fit` calls while it trains; `TrainingView` and `TerminalProgress` are the two there are. */
export interface ProgressReporter {
  batch(p: BatchProgress, history: History): void;
  epoch(rec: EpochRecord, history: History): void;
  end(history: History): void;
}

/** The terminal bar (the CLI's progress): `\r`-redrawn at most every 100 ms on a TTY. */
export class TerminalProgress implements ProgressReporter {
  private lastDraw = 0;
  private lastTenth = -1;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr) {}

  batch(p: BatchProgress): void {
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && p.batch < p.batches) return;
      this.lastDraw = now;
      this.out.write(`\r${progressLine(p)}\x1b[K`);
    } else {
      const tenth = Math.floor((10 * p.batch) / p.batches);
      if (tenth !== this.lastTenth) {
        this.lastTenth = tenth;
        this.out.write(progressLine(p) + '\n');
      }
    }
  }

  epoch(rec: EpochRecord): void {
    this.lastTenth = -1;
    this.out.write(`${this.out.isTTY ? '\r\x1b[K' : ''}${epochLine(rec)}\n`);
  }

  end(history: History): void {
    if (history.stopReason !== 'completed') this.out.write(`${this.out.isTTY ? '\n' : ''}${stopLine(history.stopReason, history.message)}\n`);
  }
}

/** Silent reporter (tests, `progress: false`). */
export const noProgress: ProgressReporter = { batch() {}, epoch() {}, end() {} };

/** src/display's `display` when this code runs inside a kernel (output reaches a notebook), else null. */
export function kernelDisplay(): DisplayFn | null {
  return isInKernel() ? display : null;
}

/** 'auto' (default): the training view inside a kernel, else the terminal bar. */
export function makeProgress(mode: boolean | 'auto' | 'terminal' | 'notebook' | ProgressReporter | undefined): ProgressReporter {
  if (mode && typeof mode === 'object') return mode;
  if (mode === false) return noProgress;
  if (mode === 'notebook' || (mode !== 'terminal' && kernelDisplay())) return new TrainingView();
  return new TerminalProgress();
}
