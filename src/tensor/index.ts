export * from './tensor';
export * from './random';
export * from './errors';
export { formatNumber, formatTensor } from './format';
