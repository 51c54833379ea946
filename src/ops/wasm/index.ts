/**
 * The WebAssembly SIMD fast path: AssemblyScript kernels (asm/), compiled by build.js into
 * build/wasm/tscnn-ops.wasm, loaded by runtime.ts, called through the glue below.
 */
export { fastPathInfo, wasmStatus, WASM_PATH } from './runtime';
export { gemmWasm } from './gemm';
export { reloadWasmKernels } from './runtime';
export { setWasmThreads, getWasmThreads, wasmThreadsReady } from './threads';
export type { WasmThreads } from './threads';
