// Live views: widget explorers over the library's own ops, each with a static picture for exports.
export { ExplorerView } from './view';
export { ConvExplorer, convExplorer, convOutputSize, gaussian3, LECTURE_INPUT, X_KERNEL, SOBEL_X } from './conv';
export type { ConvExplorerOptions, KernelPreset } from './conv';
