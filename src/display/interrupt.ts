/**
 * Cooperative interruption for long loops (training, sweeps). The notebook's stop button sends
 * SIGINT to the tscnn kernel, which marks the running cell (and every async continuation it
 * started) as interrupted and ends the cell with "KeyboardInterrupt: interrupted by the user".
 * A loop that keeps running in the background stops where it calls one of these:
 *
 *   for (const batch of batches) {
 *     await yieldToKernel();   // lets outputs/interrupts through, throws KeyboardInterrupt if stopped
 *     …
 *   }
 *
 * Outside the kernel (tests, CLI) they never throw; `yieldToKernel` still yields to the event loop.
 */
import { kernelHook } from './transport';

/** True when the user interrupted the cell that started the calling code. */
export function interrupted(): boolean {
  return kernelHook()?.interrupted() ?? false;
}

/** Throws the kernel's KeyboardInterrupt error (`name === 'KeyboardInterrupt'`) if interrupted. */
export function checkInterrupt(): void {
  kernelHook()?.checkInterrupt();
}

/** Yield to the event loop (so display updates and interrupts are processed), then check. */
export async function yieldToKernel(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  checkInterrupt();
}

/** Whether an error is the kernel's interrupt (to stop cleanly, e.g. keep the best checkpoint). */
export function isKeyboardInterrupt(e: unknown): boolean {
  return e instanceof Error && e.name === 'KeyboardInterrupt';
}
