// Data sets and image loading (see docs/ARCHITECTURE.md).
export * from './dataset';
export * from './idx';
export * from './mnist';
export * from './cifar';
export * from './xo';
export * from './image';
export * from './augment';
