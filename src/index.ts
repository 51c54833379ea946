/**
 * tscnn: every CNN op hand-written in TypeScript (forward and backward), for teaching and research
 * in Jupyter. Folder map: docs/ARCHITECTURE.md.
 */
export * from './tensor';
export * from './ops';
export * from './check';
export * from './layers';
export * from './models';
export * from './autograd';
export * from './graph';
export * from './optim';
export * from './train';
export * from './data';
export * from './display';
export * from './viz';
export * from './tfjs';
