/**
 * Options shared by the model builders, and re-initialisation of a whole model.
 */
import type { Module } from '../layers/module';
import { optionNames } from '../tensor/options';
import { Rng, getRng } from '../tensor/random';

/** Options every model builder takes: the weights' generator and whether to initialise them. */
export interface ModelOptions {
  /** Generator for the weights (default: the module-level one; `seed(n)` makes it reproducible). */
  rng?: Rng;
  /**
   * false: allocate the parameters as zeros and skip the random draws. For summaries and
   * drawings of big models (VGG16 has 138M weights); train only initialised models.
   */
  init?: boolean;
}

/** Every key of `ModelOptions` (checked both ways at compile time). */
export const MODEL_OPTION_NAMES = optionNames<ModelOptions>()(['rng', 'init']);

/** Layers that know their own default initialisation (Conv2d, Linear, BatchNorm2d). */
interface Resettable {
  resetParameters(rng?: Rng): void;
}

function isResettable(m: unknown): m is Resettable {
  return typeof (m as Resettable).resetParameters === 'function';
}

/**
 * Re-draw every parameter with its layer's default init (PyTorch's), in model order, from `rng`.
 * Same seed, same model → the same weights as building it afresh with that seed.
 */
export function initParameters<M extends Module>(model: M, rng: Rng = getRng()): M {
  for (const { module } of model.namedModules()) if (isResettable(module)) module.resetParameters(rng);
  return model;
}
