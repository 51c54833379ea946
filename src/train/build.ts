/**
 * Rebuild a model from its `config()` JSON (checkpoints, sharing architectures): every type in
 * the layer table (src/layers/table.ts). Weights are freshly initialised (seeded) — load a
 * checkpoint to restore trained values.
 */
import { LAYER_TYPES, layerFromConfig, type BuildOptions } from '../layers/table';
import type { LayerConfig, Module } from '../layers/module';

export type { BuildOptions };

/** Layer types `buildFromConfig` knows (the layer table's). */
export const BUILDABLE_TYPES: readonly string[] = LAYER_TYPES;

/**
 * Build a module tree from `config()` output; unknown types and bad arguments name the path.
 *
 * @example buildFromConfig(lenet5().config(), { init: false }) // same architecture, zero weights
 */
export function buildFromConfig(config: LayerConfig, opts: BuildOptions = {}, path = 'model'): Module {
  return layerFromConfig(config, opts, path);
}
