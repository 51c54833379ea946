// Live views: widget explorers over the library's own ops, each with a static picture for exports.
export { ExplorerView } from './view';
export { ConvExplorer, convExplorer, convOutputSize, gaussian3, LECTURE_INPUT, X_KERNEL, SOBEL_X } from './conv';
export type { ConvExplorerOptions, KernelPreset } from './conv';
export { PoolExplorer, poolExplorer, POOL_INPUT } from './pool';
export type { PoolMode } from './pool';
export { ChainRuleStepper, chainRuleStepper } from './chain';
export { TrainingDashboard, trainingDashboard } from './dashboard';
export type { DashboardState } from './dashboard';
