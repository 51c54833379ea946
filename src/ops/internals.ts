/**
 * The engines' internals, for tests, benchmarks and the performance notebook: each engine's
 * functions called directly (bypassing the picker), the shared conv and pool plans, the picker's
 * table, and the WebAssembly controls. Notebooks and layers call the ops themselves
 * (src/ops/index.ts); this is what a sub-path such as `tscnn/ops/wasm` exports.
 */
export { ENGINE_RULES, engineGemm, pickEngine } from './engine';
export type { Engine, EngineOp, EngineRule } from './engine';
export { checkGemmArgs } from './gemm';
export type { Gemm } from './gemm';
export {
  conv2dBackwardParams, conv2dForwardParams, conv2dWorkspaceLimit, convGeometry, isPointwise, rowsPerBand,
} from './conv-plan';
export { conv2dBiasGradLoops } from './conv2d-naive';
export { conv2dBackwardFast, conv2dFast, conv2dGradInputFast, conv2dGradWeightFast, conv2dWorkspaceSize } from './conv2d-js';
export { conv2dBackwardWasm, conv2dGradBiasWasm, conv2dGradInputWasm, conv2dGradWeightWasm, conv2dWasm } from './conv2d-wasm';
export { linearBackwardFast, linearFast } from './linear';
export { expectPoolDy, poolGeometry } from './pool-plan';
export type { PoolGeometry } from './pool-plan';
export * from './wasm';
