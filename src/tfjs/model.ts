/**
 * The same model in TensorFlow.js, built from a tscnn module tree, with weights copied both ways.
 *
 * Each leaf layer maps to its op's tfjs counterpart (src/tfjs/counterparts.ts, the table the op
 * parity suite checks), so the model bridge and the op parity agree by construction. Parameters
 * become `tf.Variable`s in tfjs layout, keyed by tscnn's parameter names ('0.weight', …).
 * Activations flow as NHWC; Flatten transposes back to C, H, W order first, so a Linear after it
 * sees features in tscnn's order and the weights copy unchanged.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Module, Parameter } from '../layers/module';
import { layerRole, type LayerType } from '../layers/table';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { loadTf, type TfHandle } from './backend';
import { TF_COUNTERPARTS, type ShapeOnly } from './counterparts';
import { fromTf, toTf, type TfLayoutKind } from './layout';

interface Node {
  module: Module;
  /** Dotted path prefix of this module's parameters ('' at the root, '3.' for child 3). */
  prefix: string;
}

type Args = Record<string, any>;

function paramKind(module: Module, p: Parameter): { kind: TfLayoutKind; multiplier: number } {
  const a = module.config().args as Args;
  if (module.type === 'Conv2d' && p.name === 'weight') {
    const depthwise = a.groups > 1 && a.groups === a.inChannels;
    return { kind: depthwise ? 'depthwise-weight' : 'conv-weight', multiplier: depthwise ? a.outChannels / a.inChannels : 1 };
  }
  if (module.type === 'Linear' && p.name === 'weight') return { kind: 'linear-weight', multiplier: 1 };
  return { kind: 'plain', multiplier: 1 };
}

/** What a leaf layer's tfjs expression gets: NHWC input, config args, its variables by name. */
interface TfLayerCall {
  tf: typeof TF;
  x: TF.Tensor;
  args: Args;
  module: Module;
  inShape: number[];
  out: number[];
  training: boolean;
  v(name: string): TF.Variable;
  has(name: string): boolean;
}

type TfLayer = (c: TfLayerCall) => TF.Tensor;

const shapeOnly = (c: TfLayerCall): ShapeOnly[] => [{ shape: c.inShape }];
const withParams = (op: 'conv2d' | 'linear'): TfLayer => (c) =>
  TF_COUNTERPARTS[op].forward(c.tf, [c.x, c.v('weight'), c.has('bias') ? c.v('bias') : (null as never)], c.args, shapeOnly(c));

/**
 * Every type of the layer table (src/layers/table.ts) → its tfjs expression on NHWC tensors, or
 * null for containers (run by their role: chain or branches). Keyed by `LayerType`, so a layer
 * added to the table does not compile until it has a tfjs mapping here.
 */
const TF_LAYERS: { [T in LayerType]: TfLayer | null } = {
  Conv2d: withParams('conv2d'),
  Linear: withParams('linear'),
  MaxPool2d: (c) => TF_COUNTERPARTS.maxPool2d.forward(c.tf, [c.x], c.args, shapeOnly(c), c.out),
  AvgPool2d: (c) => TF_COUNTERPARTS.avgPool2d.forward(c.tf, [c.x], c.args, shapeOnly(c), c.out),
  AdaptiveAvgPool2d: (c) => {
    const k = [c.inShape[2] / c.out[2], c.inShape[3] / c.out[3]] as [number, number];
    return c.tf.avgPool(c.x as TF.Tensor4D, k, k, 'valid');
  },
  GlobalAvgPool2d: (c) => c.tf.mean(c.x, [1, 2], true),
  ReLU: (c) => c.tf.relu(c.x),
  LeakyReLU: (c) => c.tf.leakyRelu(c.x, c.args.negativeSlope),
  Sigmoid: (c) => c.tf.sigmoid(c.x),
  Tanh: (c) => c.tf.tanh(c.x),
  Flatten: (c) => TF_COUNTERPARTS.flatten.forward(c.tf, [c.x], c.args, shapeOnly(c)),
  Identity: (c) => c.x,
  // Comparisons run deterministic models: Dropout is the identity on the tfjs side.
  Dropout: (c) => c.x,
  LocalResponseNorm: (c) => TF_COUNTERPARTS.localResponseNorm.forward(c.tf, [c.x], c.args, shapeOnly(c)),
  BatchNorm2d: (c) => {
    const bn = c.module as unknown as { runningMean: Tensor; runningVar: Tensor };
    if (c.training) {
      const { mean, variance } = c.tf.moments(c.x, [0, 1, 2]);
      return c.tf.batchNorm(c.x, mean, variance, c.v('bias'), c.v('weight'), c.args.eps);
    }
    return c.tf.batchNorm(c.x, c.tf.tensor1d(bn.runningMean.data), c.tf.tensor1d(bn.runningVar.data), c.v('bias'), c.v('weight'), c.args.eps);
  },
  Sequential: null,
  Concat: null,
  Add: null,
  Frozen: null,
};

/** A tscnn model mirrored in tfjs. Dispose it when done (its variables live in tfjs memory). */
export class TfModel {
  readonly variables = new Map<string, TF.Variable>();
  private readonly kinds = new Map<string, TfLayoutKind>();

  constructor(readonly handle: TfHandle, readonly model: Module, readonly inputShape: readonly number[]) {
    model.outputShape(inputShape); // validates the whole chain before allocating anything
    this.walk({ module: model, prefix: '' }, (node) => {
      for (const p of node.module.parameters()) {
        const { kind, multiplier } = paramKind(node.module, p);
        const name = node.prefix + p.name;
        const t = toTf(handle.tf, p.value, kind, multiplier);
        this.variables.set(name, handle.tf.variable(t, true, `tscnn/${name}/${Math.random().toString(36).slice(2, 8)}`));
        t.dispose();
        this.kinds.set(name, kind);
      }
    });
  }

  private walk(node: Node, visit: (n: Node) => void): void {
    const kids = node.module.children();
    if (kids.length === 0) visit(node);
    kids.forEach((k, i) => this.walk({ module: k, prefix: `${node.prefix}${i}.` }, visit));
  }

  /** Copy tscnn's current parameter values into the tfjs variables. */
  copyFrom(model: Module = this.model): void {
    for (const p of model.parameters()) {
      const v = this.variable(p.name);
      const kind = this.kinds.get(p.name) as TfLayoutKind;
      const owner = this.ownerOf(model, p.name);
      const t = toTf(this.handle.tf, p.value, kind, paramKind(owner.module, owner.param).multiplier);
      v.assign(t);
      t.dispose();
    }
  }

  /** Copy the tfjs variables back into tscnn's parameters (shapes checked first). */
  copyTo(model: Module = this.model): void {
    const updates: [Parameter, Tensor][] = [];
    for (const p of model.parameters()) {
      const t = fromTf(this.variable(p.name), this.kinds.get(p.name) as TfLayoutKind);
      if (t.size !== p.value.size) throw opError('TfModel.copyTo', `${p.name}: tfjs ${fmtShape(t.shape)} vs tscnn ${fmtShape(p.value.shape)}`);
      updates.push([p, t]);
    }
    for (const [p, t] of updates) p.value.data.set(t.data);
  }

  variable(name: string): TF.Variable {
    const v = this.variables.get(name);
    if (!v) throw opError('TfModel', `no tfjs variable for parameter '${name}' (have ${[...this.variables.keys()].join(', ')})`);
    return v;
  }

  /** Gradient of a tfjs variable, in tscnn layout. */
  toTscnn(name: string, g: TF.Tensor): Tensor {
    return fromTf(g, this.kinds.get(name) as TfLayoutKind);
  }

  private ownerOf(root: Module, name: string): { module: Module; param: Parameter } {
    const parts = name.split('.');
    let m = root;
    for (const idx of parts.slice(0, -1)) m = m.children()[Number(idx)];
    const param = m.parameters().find((p) => p.name === parts[parts.length - 1]);
    if (!param) throw opError('TfModel', `parameter '${name}' not found`);
    return { module: m, param };
  }

  /**
   * Forward pass on an NHWC (or [N, features]) tfjs tensor. `training` selects batch statistics
   * for BatchNorm2d (running statistics are not updated on the tfjs side) and keeps Dropout off
   * (its masks are random; comparisons run deterministic models).
   */
  forward(x: TF.Tensor, training = false): TF.Tensor {
    const nchw = (x.rank === 4 ? [x.shape[0], x.shape[3], x.shape[1], x.shape[2]] : [...x.shape]) as number[];
    return this.run({ module: this.model, prefix: '' }, x, nchw, training).y;
  }

  private run(node: Node, x: TF.Tensor, inShape: number[], training: boolean): { y: TF.Tensor; shape: number[] } {
    const m = node.module;
    const out = m.outputShape(inShape);
    const role = layerRole(m, 'toTfModel');
    const kids = m.children();
    const child = (i: number, xi: TF.Tensor, si: number[]) => this.run({ module: kids[i], prefix: `${node.prefix}${i}.` }, xi, si, training);
    if (role.kind === 'chain') {
      let y = x;
      let shape = inShape;
      kids.forEach((_, i) => ({ y, shape } = child(i, y, shape)));
      return { y, shape };
    }
    if (role.kind === 'branches') {
      const ys = kids.map((_, i) => child(i, x, inShape).y);
      const tf = this.handle.tf;
      const merged = m.type === 'Concat' ? tf.concat(ys, ys[0].rank === 4 ? 3 : 1) : m.type === 'Add' ? tf.addN(ys) : null;
      if (!merged) throw opError('toTfModel', `no tfjs merge for container type '${m.type}' at '${node.prefix || '(root)'}'`);
      return { y: merged, shape: out };
    }
    const leaf = (TF_LAYERS as Record<string, TfLayer | null>)[m.type];
    if (!leaf) throw opError('toTfModel', `no tfjs mapping for layer type '${m.type}' at '${node.prefix || '(root)'}'`);
    const ctx: TfLayerCall = {
      tf: this.handle.tf,
      x,
      args: m.config().args as Args,
      module: m,
      inShape,
      out,
      training,
      v: (n) => this.variable(node.prefix + n),
      has: (n) => this.variables.has(node.prefix + n),
    };
    return { y: leaf(ctx), shape: out };
  }

  /** Free every tfjs variable. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** Build the tfjs mirror of `model` for inputs of `inputShape` (NCHW), weights copied in. */
export async function toTfModel(model: Module, inputShape: readonly number[], handle?: TfHandle): Promise<TfModel> {
  return new TfModel(handle ?? (await loadTf()), model, inputShape);
}
