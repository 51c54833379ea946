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
    const tf = this.handle.tf;
    const m = node.module;
    const out = m.outputShape(inShape);
    const a = m.config().args as Args;
    const v = (n: string) => this.variable(node.prefix + n);
    const has = (n: string) => this.variables.has(node.prefix + n);
    const shapeOnly: ShapeOnly[] = [{ shape: inShape }];
    switch (m.type) {
      case 'Sequential': {
        let y = x;
        let shape = inShape;
        m.children().forEach((c, i) => ({ y, shape } = this.run({ module: c, prefix: `${node.prefix}${i}.` }, y, shape, training)));
        return { y, shape };
      }
      case 'Concat':
      case 'Add': {
        const ys = m.children().map((c, i) => this.run({ module: c, prefix: `${node.prefix}${i}.` }, x, inShape, training).y);
        return { y: m.type === 'Concat' ? tf.concat(ys, ys[0].rank === 4 ? 3 : 1) : tf.addN(ys), shape: out };
      }
      case 'Conv2d':
        return { y: TF_COUNTERPARTS.conv2d.forward(tf, [x, v('weight'), has('bias') ? v('bias') : (null as never)], a, shapeOnly), shape: out };
      case 'Linear':
        return { y: TF_COUNTERPARTS.linear.forward(tf, [x, v('weight'), has('bias') ? v('bias') : (null as never)], a, shapeOnly), shape: out };
      case 'MaxPool2d':
        return { y: TF_COUNTERPARTS.maxPool2d.forward(tf, [x], a, shapeOnly, out), shape: out };
      case 'AvgPool2d':
        return { y: TF_COUNTERPARTS.avgPool2d.forward(tf, [x], a, shapeOnly, out), shape: out };
      case 'AdaptiveAvgPool2d': {
        const k = [inShape[2] / out[2], inShape[3] / out[3]] as [number, number];
        return { y: tf.avgPool(x as TF.Tensor4D, k, k, 'valid'), shape: out };
      }
      case 'GlobalAvgPool2d':
        return { y: tf.mean(x, [1, 2], true), shape: out };
      case 'ReLU':
        return { y: tf.relu(x), shape: out };
      case 'LeakyReLU':
        return { y: tf.leakyRelu(x, a.negativeSlope), shape: out };
      case 'Sigmoid':
        return { y: tf.sigmoid(x), shape: out };
      case 'Tanh':
        return { y: tf.tanh(x), shape: out };
      case 'Flatten':
        return { y: TF_COUNTERPARTS.flatten.forward(tf, [x], a, shapeOnly), shape: out };
      case 'Identity':
      case 'Dropout':
        return { y: x, shape: out };
      case 'LocalResponseNorm':
        return { y: TF_COUNTERPARTS.localResponseNorm.forward(tf, [x], a, shapeOnly), shape: out };
      case 'BatchNorm2d': {
        const bn = m as unknown as { runningMean: Tensor; runningVar: Tensor };
        if (training) {
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return { y: tf.batchNorm(x, mean, variance, v('bias'), v('weight'), a.eps), shape: out };
        }
        return { y: tf.batchNorm(x, tf.tensor1d(bn.runningMean.data), tf.tensor1d(bn.runningVar.data), v('bias'), v('weight'), a.eps), shape: out };
      }
      default:
        throw opError('toTfModel', `no tfjs mapping for layer type '${m.type}' at '${node.prefix || '(root)'}'`);
    }
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
