// Every op: forward and backward in the same file (see docs/ARCHITECTURE.md).
export * from './shape';
export * from './spec';
export { getOpsImpl, setOpsImpl } from './engine';
export type { Impl } from './engine';
export { gemm, gemmNaive } from './gemm';
export * from './im2col';
export * from './conv2d';
export { conv2dBackwardNaive, conv2dGradInputNaive, conv2dGradWeightNaive, conv2dNaive } from './conv2d-naive';
export * from './linear';
export * from './pool';
export * from './activations';
export * from './batchnorm';
export * from './lrn';
export * from './losses';
export * from './dropout';
export * from './merge';
export * from './slice';
export * from './upsample';
export * from './flatten';
export * from './registry';
// Engine internals that were public before the engine picker; they keep working from here until
// the public API is curated. All internals (these, the picker, the plans) are in ./internals.ts,
// the module for a sub-path such as `tscnn/ops/wasm`.
export { conv2dBackwardFast, conv2dFast, conv2dGradInputFast, conv2dGradWeightFast, conv2dWorkspaceSize } from './conv2d-js';
export { conv2dBackwardWasm, conv2dGradInputWasm, conv2dGradWeightWasm, conv2dWasm } from './conv2d-wasm';
export * from './wasm';
