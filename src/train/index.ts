// Training: trainer, history, metrics, checkpoints, progress (see docs/ARCHITECTURE.md).
export * from './trainable';
export * from './nonfinite';
export * from './metrics';
export * from './history';
export * from './progress';
export * from './interrupt';
export * from './fit';
export * from './build';
export * from './checkpoint';
