// Optimizers over Parameter[] and learning-rate schedules (see docs/ARCHITECTURE.md).
export * from './optimizer';
export * from './sgd';
export * from './adam';
export * from './adagrad';
export * from './adadelta';
export * from './schedule';
export * from './factory';
