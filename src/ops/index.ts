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
// The engines' internals (each engine called directly, the plans, wasm controls): a sub-path
// such as `tscnn/ops/wasm` is where they belong once the public API is curated.
export * from './internals';
