/**
 * Which implementation the heavy ops (conv2d, linear) run.
 *
 * - `'naive'`: the teaching loops — nested `for`s that read like the formula.
 * - `'fast'`: im2col + cache-blocked, register-blocked GEMM (src/ops/gemm.ts).
 * - `'auto'`: currently the fast path; kept separate so a later heuristic (e.g. tiny shapes
 *   where packing costs more than it saves) can pick per call without changing callers.
 *
 * Each op also takes `opts.impl` to force one path for a single call (tests, benchmarks).
 */
import { opError } from '../tensor/errors';

export type Impl = 'auto' | 'naive' | 'fast';

const IMPLS: readonly Impl[] = ['auto', 'naive', 'fast'];

let globalImpl: Impl = 'auto';

/** Set the default implementation for every op that has several. */
export function setOpsImpl(impl: Impl): void {
  if (!IMPLS.includes(impl)) throw opError('setOpsImpl', `impl must be one of ${IMPLS.join(', ')}, got ${JSON.stringify(impl)}`);
  globalImpl = impl;
}

export function getOpsImpl(): Impl {
  return globalImpl;
}

/** The concrete path for one call: `opts.impl` wins over the global default; auto → fast. */
export function resolveImpl(op: string, impl: Impl | undefined): 'naive' | 'fast' {
  const chosen = impl ?? globalImpl;
  if (!IMPLS.includes(chosen)) throw opError(op, `impl must be one of ${IMPLS.join(', ')}, got ${JSON.stringify(chosen)}`);
  return chosen === 'naive' ? 'naive' : 'fast';
}
