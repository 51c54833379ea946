export { drawGraph, valueGraphDot, nodeNames } from './value-graph';
export type { DrawGraphOptions } from './value-graph';
export { backwardSteps, StepView } from './steps';
export type { StepFrame } from './steps';
export { GraphView, getViz, renderSvg } from './render';
export { drawModel, modelGraphDot, gradNorm } from './model-graph';
export type { DrawModelOptions } from './model-graph';
