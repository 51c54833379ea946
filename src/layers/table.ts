/**
 * The layer table: one entry per layer type, beside the op registry (src/ops/registry.ts). Every
 * place that needs to know what a layer *is* reads it here instead of keeping its own list:
 *
 * - config round trip: `module.config()` → `{ type, args, children }` → `layerFromConfig` (checkpoints,
 *   `buildFromConfig`, the CLI);
 * - spatial role: a conv/pool **window** (kernel, stride, padding, dilation, ceil mode), a
 *   **pass-through** (element-wise or across channels: each pixel stays where it is), a **global**
 *   layer (every output sees the whole input), or a container (**chain** / **branches**). The one
 *   receptive-field engine (src/layers/receptive-field.ts) and the tfjs mirror read it;
 * - parameter count from the config alone (`summary`, checked against `numParameters()` by tests).
 *
 * Shapes and FLOPs stay with the layers, which call the ops' own functions (`outputSize`,
 * `resolvePadding`, `conv2dFlops`).
 */
import { pair, type Padding, type Pair } from '../ops/shape';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import type { Rng } from '../tensor/random';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from './activation';
import { Conv2d } from './conv';
import { Dropout } from './dropout';
import { Frozen } from './frozen';
import { Linear } from './linear';
import { Add, Concat } from './merge';
import type { LayerConfig, Module } from './module';
import { BatchNorm2d, LocalResponseNorm } from './normalization';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d } from './pool';
import { Flatten, Identity } from './reshape';
import { Sequential } from './sequential';

/** Options for rebuilding layers from configs. */
export interface BuildOptions {
  /** Generator for fresh weights (default: the module-level one). */
  rng?: Rng;
  /** false: skip weight initialisation (they are about to be overwritten by a checkpoint). */
  init?: boolean;
}

/** Every key of `BuildOptions` (checked both ways at compile time). */
export const BUILD_OPTION_NAMES = optionNames<BuildOptions>()(['rng', 'init']);

/** A conv or pool window along both axes, every field resolved to `[h, w]` (padding may stay 'same'/'valid'). */
export interface WindowGeometry {
  kernel: [number, number];
  stride: [number, number];
  padding: Padding;
  dilation: [number, number];
  ceilMode: boolean;
}

/**
 * How a layer moves pixels. `window`: output unit (i, j) reads input taps i·S − P + a·D
 * (`weights`: true for convolutions, whose KH·KW taps are weights). `pass`: y[c, i, j] depends on
 * x[·, i, j] only. `global`: every output depends on every input position. `chain`: children run
 * in order. `branches`: every child reads the same input.
 */
export type LayerRole =
  | { kind: 'window'; window: WindowGeometry; weights: boolean }
  | { kind: 'pass' }
  | { kind: 'global' }
  | { kind: 'chain' }
  | { kind: 'branches' };

// Config args are JSON written by `config()`; each entry reads the fields its own layer writes.
type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the table knows about one layer type. */
export interface LayerKind {
  type: string;
  /** Rebuild the layer from its config args and already-built children. */
  fromConfig(args: Args, children: Module[], opts: BuildOptions): Module;
  /** Its spatial role, from the config args alone. */
  role(args: Args): LayerRole;
  /** Trainable parameters from the config args (containers: `childParams` summed, Frozen: 0). */
  params(args: Args, childParams: number[]): number;
}

const PASS: LayerRole = { kind: 'pass' };
const GLOBAL: LayerRole = { kind: 'global' };
const none = () => 0;
const sum = (_: Args, kids: number[]) => kids.reduce((a, b) => a + b, 0);

function poolWindow(args: Args): LayerRole {
  const kernel = pair(args.kernelSize as Pair, 1, 'layerRole', 'kernelSize');
  return {
    kind: 'window',
    weights: false,
    window: {
      kernel,
      stride: pair((args.stride as Pair | undefined) ?? kernel, 1, 'layerRole', 'stride'),
      padding: (args.padding as Pair | undefined) ?? 0,
      dilation: pair(args.dilation as Pair | undefined, 1, 'layerRole', 'dilation'),
      ceilMode: args.ceilMode === true,
    },
  };
}

function one(type: string, kids: Module[]): Module {
  if (kids.length !== 1) throw opError('layerFromConfig', `${type} wraps exactly one layer, config has ${kids.length}`);
  return kids[0];
}

const KINDS = {
  Conv2d: {
    fromConfig: (a, _, o) =>
      new Conv2d(a.inChannels, a.outChannels, a.kernelSize, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups, bias: a.bias, rng: o.rng, init: o.init }),
    role: (a) => ({
      kind: 'window',
      weights: true,
      window: {
        kernel: pair(a.kernelSize as Pair, 1, 'layerRole', 'kernelSize'),
        stride: pair(a.stride as Pair | undefined, 1, 'layerRole', 'stride'),
        padding: (a.padding as Padding | undefined) ?? 0,
        dilation: pair(a.dilation as Pair | undefined, 1, 'layerRole', 'dilation'),
        ceilMode: false,
      },
    }),
    // Cout · (Cin/groups) · KH · KW weights, plus Cout biases.
    params: (a) => {
      const [kh, kw] = pair(a.kernelSize as Pair, 1, 'layerParams', 'kernelSize');
      return a.outChannels * (a.inChannels / (a.groups ?? 1)) * kh * kw + (a.bias === false ? 0 : a.outChannels);
    },
  },
  Linear: {
    fromConfig: (a, _, o) => new Linear(a.inFeatures, a.outFeatures, { bias: a.bias, rng: o.rng, init: o.init }),
    role: () => GLOBAL,
    params: (a) => a.outFeatures * a.inFeatures + (a.bias === false ? 0 : a.outFeatures),
  },
  MaxPool2d: { fromConfig: (a) => new MaxPool2d(a.kernelSize, { stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode }), role: poolWindow, params: none },
  AvgPool2d: { fromConfig: (a) => new AvgPool2d(a.kernelSize, { stride: a.stride, padding: a.padding, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad }), role: poolWindow, params: none },
  GlobalAvgPool2d: { fromConfig: () => new GlobalAvgPool2d(), role: () => GLOBAL, params: none },
  AdaptiveAvgPool2d: { fromConfig: (a) => new AdaptiveAvgPool2d(a.outputSize), role: () => GLOBAL, params: none },
  ReLU: { fromConfig: () => new ReLU(), role: () => PASS, params: none },
  LeakyReLU: { fromConfig: (a) => new LeakyReLU(a.negativeSlope), role: () => PASS, params: none },
  Sigmoid: { fromConfig: () => new Sigmoid(), role: () => PASS, params: none },
  Tanh: { fromConfig: () => new Tanh(), role: () => PASS, params: none },
  Flatten: { fromConfig: () => new Flatten(), role: () => GLOBAL, params: none },
  Identity: { fromConfig: () => new Identity(), role: () => PASS, params: none },
  Dropout: { fromConfig: (a, _, o) => new Dropout(a.p, { rng: o.rng }), role: () => PASS, params: none },
  BatchNorm2d: {
    fromConfig: (a) => new BatchNorm2d(a.numFeatures, { eps: a.eps, momentum: a.momentum }),
    role: () => PASS,
    // γ and β per channel (the running statistics are buffers, not parameters).
    params: (a) => 2 * a.numFeatures,
  },
  LocalResponseNorm: { fromConfig: (a) => new LocalResponseNorm(a.size, { alpha: a.alpha, beta: a.beta, k: a.k }), role: () => PASS, params: none },
  Sequential: { fromConfig: (_, kids) => new Sequential(...kids), role: () => ({ kind: 'chain' }), params: sum },
  Concat: { fromConfig: (_, kids) => new Concat(kids), role: () => ({ kind: 'branches' }), params: sum },
  Add: { fromConfig: (_, kids) => new Add(kids), role: () => ({ kind: 'branches' }), params: sum },
  // The inner weights are buffers of Frozen, not parameters.
  Frozen: { fromConfig: (_, kids) => new Frozen(one('Frozen', kids)), role: () => ({ kind: 'chain' }), params: none },
} satisfies Record<string, Omit<LayerKind, 'type'>>;

/** Every layer type the table knows, e.g. 'Conv2d', 'Sequential'. */
export type LayerType = keyof typeof KINDS;

/** The layer table: type → entry. */
export const LAYER_TABLE: Readonly<Record<LayerType, LayerKind>> = Object.fromEntries(
  Object.entries(KINDS).map(([type, k]) => [type, { type, ...k }]),
) as unknown as Record<LayerType, LayerKind>;

/** Layer types in the table (what `layerFromConfig` can build). */
export const LAYER_TYPES = Object.keys(LAYER_TABLE) as LayerType[];

/** The table entry for `type`; unknown types throw, naming `op` and the known types. */
export function layerKind(type: string, op = 'layerKind'): LayerKind {
  const k = (LAYER_TABLE as Record<string, LayerKind>)[type];
  if (!k) throw opError(op, `unknown layer type ${JSON.stringify(type)}; known: ${LAYER_TYPES.join(', ')}`);
  return k;
}

/** Anything with `config()`: a Module, or a duck-typed stand-in (the viz tests use those). */
export interface Configurable {
  config(): { type: string; args: Record<string, unknown> };
}

/** The spatial role of a module (or of a config), from the table. */
export function layerRole(m: Configurable | LayerConfig, op = 'layerRole'): LayerRole {
  const c = 'config' in m && typeof m.config === 'function' ? m.config() : (m as LayerConfig);
  return layerKind(c.type, op).role(c.args ?? {});
}

/** Trainable parameters of a config tree, from the table alone (no weights allocated). */
export function layerParams(config: LayerConfig): number {
  return layerKind(config.type, 'layerParams').params(config.args ?? {}, (config.children ?? []).map(layerParams));
}

/**
 * Build a module tree from `config()` output; unknown types and bad arguments name the path.
 * Weights are freshly initialised (seeded) unless `opts.init` is false.
 *
 * @example layerFromConfig(lenet5().config()) // a fresh LeNet-5, same architecture
 */
export function layerFromConfig(config: LayerConfig, opts: BuildOptions = {}, path = 'model'): Module {
  checkOptionNames('buildFromConfig', opts, BUILD_OPTION_NAMES);
  if (!config || typeof config !== 'object' || typeof config.type !== 'string') {
    throw opError('buildFromConfig', `${path}: expected { type, args, children? }, got ${JSON.stringify(config)?.slice(0, 80)}`);
  }
  const kind = (LAYER_TABLE as Record<string, LayerKind>)[config.type];
  if (!kind) throw opError('buildFromConfig', `${path}: unknown layer type ${JSON.stringify(config.type)}; known: ${LAYER_TYPES.join(', ')}`);
  const kids = (config.children ?? []).map((c, i) => layerFromConfig(c, opts, `${path}.${i}`));
  try {
    return kind.fromConfig(config.args ?? {}, kids, opts);
  } catch (e) {
    throw opError('buildFromConfig', `${path} (${config.type}): ${(e as Error).message}`);
  }
}
