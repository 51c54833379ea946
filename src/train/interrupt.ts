/**
 * Stopping a training loop cleanly at a batch boundary, keeping weights and history.
 *
 * - Terminal: the first Ctrl-C (SIGINT) asks the loop to stop after the current batch; a second
 *   one exits the process as usual (exit code 130).
 * - Notebook: the stop button sends SIGINT to the tscnn kernel, which ends the cell and marks it
 *   interrupted; the loop polls src/display's `interrupted()` after every batch and stops there,
 *   so the model keeps its weights and `getLastHistory()` / the `history` option keep the record.
 * - Code: `stopTraining()` (e.g. from an `onBatch` callback or a timer).
 *
 * The loop awaits a macrotask between batches so the signal handler gets to run.
 */
import { interrupted } from '../display/interrupt';

/** A flag the training loop checks between batches; `stopTraining()` or a kernel interrupt raises it. */
export class StopFlag {
  requested = false;
  reason: 'interrupted' | 'callback' = 'interrupted';
}

const active = new Set<StopFlag>();

/** Ask every running `fit` to stop after its current batch. */
export function stopTraining(): void {
  for (const f of active) f.requested = true;
}

/** Install the SIGINT handler for one training run; returns the function that removes it. */
export function watchInterrupt(flag: StopFlag, inKernel: boolean): () => void {
  active.add(flag);
  let count = 0;
  const onSigint = () => {
    count++;
    flag.requested = true;
    flag.reason = 'interrupted';
    if (count >= 2 && !inKernel) {
      process.stderr.write('\nsecond interrupt: exiting\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
    active.delete(flag);
  };
}

/** The kernel's stop button: src/display marks the running cell as interrupted. */
export function displayInterrupted(): boolean {
  return interrupted();
}

/** Yield to the event loop (signals, timers, display messages) between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
