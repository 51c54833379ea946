// Every op: forward and backward in the same file (see docs/ARCHITECTURE.md).
export * from './shape';
export * from './spec';
export * from './impl';
export * from './gemm';
export * from './im2col';
export * from './conv2d';
export * from './linear';
export * from './pool';
export * from './activations';
export * from './batchnorm';
export * from './lrn';
export * from './losses';
export * from './dropout';
export * from './merge';
export * from './flatten';
export * from './registry';
export * from './wasm';
