/**
 * Test helper: run `fn` and collect what it would display instead of sending it anywhere.
 *
 *   const { outputs, result } = captureDisplays(() => show(t));
 *   expect(outputs[0]).to.deep.include({ type: 'display_data' });
 *   expect(outputs[0].data['image/png']).to.be.a('string');
 *
 * Works with sync and async functions (an async `fn` gives a Promise of the same shape). Captures
 * nest; the innermost one receives the outputs. Concurrent async captures are not separated.
 */
import { DisplayOutput, captureStack } from './transport';

/** What a capture collected: every output in order, and `fn`'s result. */
export interface Captured<T> {
  outputs: DisplayOutput[];
  result: T;
}

/** Run `fn` (sync or async) and collect its display outputs instead of sending them. */
export function captureDisplays<T>(fn: () => Promise<T>): Promise<Captured<T>>;
export function captureDisplays<T>(fn: () => T): Captured<T>;
export function captureDisplays<T>(fn: () => T | Promise<T>): Captured<T> | Promise<Captured<T>> {
  const stack = captureStack();
  const outputs: DisplayOutput[] = [];
  stack.push(outputs);
  const done = (): void => {
    const i = stack.lastIndexOf(outputs);
    if (i >= 0) stack.splice(i, 1);
  };
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (e) {
    done();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => { done(); return { outputs, result: r }; },
      (e) => { done(); throw e; },
    );
  }
  done();
  return { outputs, result };
}
