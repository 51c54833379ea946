/**
 * Which implementation the heavy ops (conv2d, linear) run.
 *
 * - `'naive'`: the teaching loops — nested `for`s that read like the formula.
 * - `'fast'`: im2col + cache-blocked, register-blocked GEMM (src/ops/gemm.ts).
 * - `'auto'`: currently the fast path; kept separate so a later heuristic (e.g. tiny shapes
 *   where packing costs more than it saves) can pick per call without changing callers.
 * - `'js'` / `'wasm'`: the fast path with its GEMM forced to plain JavaScript or to the
 *   WebAssembly SIMD kernels (src/ops/wasm/); `'fast'` and `'auto'` take wasm when its module
 *   loaded (`fastPathInfo()`), else plain JS. Forcing `'wasm'` without the module is an error.
 *
 * Each op also takes `opts.impl` to force one path for a single call (tests, benchmarks).
 */
import { opError } from '../tensor/errors';
import { WasmArena, wasmKernels, wasmStatus } from './wasm/runtime';

export type Impl = 'auto' | 'naive' | 'fast' | 'js' | 'wasm';

const IMPLS: readonly Impl[] = ['auto', 'naive', 'fast', 'js', 'wasm'];

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

/** Which engine runs the fast path's GEMMs. */
export type FastPath = 'js' | 'wasm';

/** The fast path for one call: `'js'`/`'wasm'` as forced, otherwise wasm when it loaded. */
export function resolveFastPath(op: string, impl: Impl | undefined): FastPath {
  const chosen = impl ?? globalImpl;
  if (chosen === 'js') return 'js';
  if (chosen === 'wasm') {
    if (!wasmKernels()) throw opError(op, `impl 'wasm' was requested but the WebAssembly kernels are unavailable: ${wasmStatus()}`);
    return 'wasm';
  }
  return wasmKernels() ? 'wasm' : 'js';
}

/**
 * The wasm kernels for the ops that have no `impl` option of their own (ReLU, max pooling):
 * loaded, and the global default not forcing plain JS (`setOpsImpl('js' | 'naive')`); else null.
 */
export function defaultWasm(): WasmArena | null {
  return globalImpl === 'js' || globalImpl === 'naive' ? null : wasmKernels();
}

let scopedFastPath: FastPath | undefined;

/**
 * Run `fn` with every GEMM inside it on `path` (the ops call this around their fast path, so
 * `opts.impl` reaches `gemm` without threading a flag through every call). Synchronous only.
 */
export function withFastPath<T>(path: FastPath, fn: () => T): T {
  const prev = scopedFastPath;
  scopedFastPath = path;
  try {
    return fn();
  } finally {
    scopedFastPath = prev;
  }
}

/** The engine `gemm` uses now: the innermost `withFastPath`, else the global default. */
export function activeFastPath(): FastPath {
  return scopedFastPath ?? resolveFastPath('gemm', undefined);
}

/** `fn` (an op's fast path) with its GEMMs on the engine `impl` asks for (see resolveFastPath). */
export function runFast<T>(op: string, impl: Impl | undefined, fn: () => T): T {
  return withFastPath(resolveFastPath(op, impl), fn);
}
