/**
 * Stopping a training loop cleanly at a batch boundary, keeping weights and history.
 *
 * - Terminal: the first Ctrl-C (SIGINT) asks the loop to stop after the current batch; a second
 *   one exits the process as usual (exit code 130).
 * - Notebook: the kernel's interrupt arrives as SIGINT too (interrupt_mode 'signal'); the same
 *   flag is set. If src/display exports an interrupt check (`interrupted()` or
 *   `checkInterrupt()` returning a boolean), it is polled as well.
 * - Code: `stopTraining()` (e.g. from an `onBatch` callback or a timer).
 *
 * The loop awaits a macrotask between batches so the signal handler gets to run.
 */

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

/** Poll the display module's interrupt check, if it has one (optional dependency). */
export function displayInterrupted(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const d = require('../display') as Record<string, unknown>;
    for (const k of ['interrupted', 'checkInterrupt', 'isInterrupted']) {
      const f = d[k];
      if (typeof f === 'function') {
        const r = (f as () => unknown)();
        if (typeof r === 'boolean') return r;
      }
    }
  } catch {
    // src/display not present or failed to load: rely on SIGINT.
  }
  return false;
}

/** Yield to the event loop (signals, timers, display messages) between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
