/**
 * Drawings of computation graphs with graphviz (@viz-js/viz, wasm), for notebooks, exported HTML
 * and slides. Every function is async because graphviz's wasm instance is (started once, cached):
 *
 *   const f = x.add(y).mul(z); f.backward();
 *   await drawGraph(f)                    // values, ops, gradients on nodes and wires
 *   await backwardSteps(f)                // ◀ / ▶ through the chain rule, one node at a time
 *   await drawModel(net, [1, 1, 28, 28])  // layers, output shapes, #params, ‖∇W‖₂ after backward
 *
 * tslab awaits a cell's last expression, so `await drawGraph(f)` displays the drawing directly.
 */
export { drawGraph, valueGraphDot } from './value-graph';
export type { DrawGraphOptions } from './value-graph';
export { backwardSteps, StepView } from './steps';
export type { StepFrame } from './steps';
export { drawModel, modelGraphDot } from './model-graph';
export type { DrawModelOptions } from './model-graph';
export { GraphView } from './render';
