/**
 * The WebAssembly SIMD fast path: AssemblyScript kernels (asm/), compiled by build.js into
 * src/ops/wasm/tscnn-ops.wasm (rebuilt on first use when missing or stale), loaded by
 * runtime.ts, called through the glue below; its controls and status.
 */
export { fastPathInfo, wasmStatus, WASM_PATH } from './runtime';
export { gemmWasm } from './gemm';
export { reloadWasmKernels } from './runtime';
export { setWasmThreads, getWasmThreads, wasmThreadsReady } from './threads';
export type { WasmThreads } from './threads';
