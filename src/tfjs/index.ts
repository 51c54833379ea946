export * from './backend';
export * from './layout';
export * from './parity';
export { TF_COUNTERPARTS, type TfCounterpart } from './counterparts';
export * from './model';
export * from './compare';
export * from './trainable';
export * from './keras';
