// Layers: Module subclasses holding parameters; the math is in src/ops.
export * from './module';
export * from './init';
export * from './container';
export * from './conv';
export * from './linear';
export * from './pool';
export * from './activation';
export * from './normalization';
export * from './dropout';
export * from './reshape';
export * from './sequential';
export * from './merge';
export * from './summary';
export * from './receptive-field';
export * from './receptive-unit';
export * from './frozen';
export * from './table';
