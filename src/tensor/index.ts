export * from './tensor';
export * from './random';
export * from './errors';
export { formatNumber, formatTensor } from './format';
export { allocFloat32, recycleFloat32, setBufferRecycling, bufferPoolStats } from './buffers';
export { checkOptionNames, optionNames } from './options';
