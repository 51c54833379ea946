// @ts-nocheck
// AssemblyScript, compiled by asc (src/ops/wasm/build.js), not by tsc.
/**
 * Entry point of the WebAssembly module `build/wasm/tscnn-ops.wasm` (built by
 * `node src/ops/wasm/build.js`): every exported function of the files below.
 */
export { gemm, gemmPart, workBytes, heapBase, MC, KC } from './gemm';
export { im2col, col2im } from './im2col';
export { directBytes, directPackedFloats, directPack } from './direct';
export { winogradBytes, winogradFilter, winogradFilterFloats } from './winograd';
export { winograd43Bytes, winograd43Filter, winograd43FilterFloats } from './winograd43';
export { winogradDwBytes } from './winograd-dw';
export { convForward, convGradInput, convGradWeight, convBackward, addInto, biasGrad, biasRows, biasFromRows, DESC_INTS } from './conv';
export { maxPool2x2s2, maxPoolBackward, unpoolReluImages } from './pool';
export { reluForward, reluBackward } from './elementwise';
export { adamUpdate, adamPart } from './optim';
