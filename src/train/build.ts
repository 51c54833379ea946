/**
 * Rebuild a model from its `config()` JSON (checkpoints, sharing architectures): every layer
 * type in src/layers plus `Frozen` (src/models/xonet.ts). Weights are freshly initialised
 * (seeded) — load a checkpoint to restore trained values.
 */
import * as L from '../layers';
import type { LayerConfig, Module } from '../layers/module';
import { Frozen } from '../models/xonet';
import { opError } from '../tensor/errors';
import type { Rng } from '../tensor/random';

export interface BuildOptions {
  rng?: Rng;
  /** false: skip weight initialisation (they are about to be overwritten by a checkpoint). */
  init?: boolean;
}

type Builder = (a: Record<string, any>, kids: Module[], o: BuildOptions) => Module; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUILDERS: Record<string, Builder> = {
  Conv2d: (a, _, o) =>
    new L.Conv2d(a.inChannels, a.outChannels, a.kernelSize, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups, bias: a.bias, rng: o.rng, init: o.init }),
  Linear: (a, _, o) => new L.Linear(a.inFeatures, a.outFeatures, { bias: a.bias, rng: o.rng, init: o.init }),
  MaxPool2d: (a) => new L.MaxPool2d(a.kernelSize, a),
  AvgPool2d: (a) => new L.AvgPool2d(a.kernelSize, a),
  GlobalAvgPool2d: () => new L.GlobalAvgPool2d(),
  AdaptiveAvgPool2d: (a) => new L.AdaptiveAvgPool2d(a.outputSize),
  ReLU: () => new L.ReLU(),
  LeakyReLU: (a) => new L.LeakyReLU(a.negativeSlope),
  Sigmoid: () => new L.Sigmoid(),
  Tanh: () => new L.Tanh(),
  Flatten: () => new L.Flatten(),
  Identity: () => new L.Identity(),
  Dropout: (a, _, o) => new L.Dropout(a.p, { rng: o.rng }),
  BatchNorm2d: (a) => new L.BatchNorm2d(a.numFeatures, { eps: a.eps, momentum: a.momentum }),
  LocalResponseNorm: (a) => new L.LocalResponseNorm(a.size, { alpha: a.alpha, beta: a.beta, k: a.k }),
  Sequential: (_, kids) => new L.Sequential(...kids),
  Concat: (_, kids) => new L.Concat(kids),
  Add: (_, kids) => new L.Add(kids),
  Frozen: (_, kids) => {
    if (kids.length !== 1) throw opError('buildFromConfig', `Frozen wraps exactly one layer, config has ${kids.length}`);
    return new Frozen(kids[0]);
  },
};

/** Layer types `buildFromConfig` knows. */
export const BUILDABLE_TYPES = Object.keys(BUILDERS);

/** Build a module tree from `config()` output; unknown types and bad arguments name the path. */
export function buildFromConfig(config: LayerConfig, opts: BuildOptions = {}, path = 'model'): Module {
  if (!config || typeof config !== 'object' || typeof config.type !== 'string') {
    throw opError('buildFromConfig', `${path}: expected { type, args, children? }, got ${JSON.stringify(config)?.slice(0, 80)}`);
  }
  const make = BUILDERS[config.type];
  if (!make) throw opError('buildFromConfig', `${path}: unknown layer type ${JSON.stringify(config.type)}; known: ${BUILDABLE_TYPES.join(', ')}`);
  const kids = (config.children ?? []).map((c, i) => buildFromConfig(c, opts, `${path}.${i}`));
  try {
    return make(config.args ?? {}, kids, opts);
  } catch (e) {
    throw opError('buildFromConfig', `${path} (${config.type}): ${(e as Error).message}`);
  }
}
