/**
 * tscnn ↔ TensorFlow.js's Layers API (the Keras API of tfjs: `tf.sequential`, `tf.layers.conv2d`,
 * `compile`, `fit`). Lecture 000's goal "implement and train a CNN with Keras" in TypeScript is a
 * tfjs LayersModel; these copy the weights of a tscnn model into one built with the same layers in
 * the same order, and back, so both start (or end) with the same numbers.
 *
 * Layouts: conv kernels [Cout, Cin, KH, KW] ↔ Keras [KH, KW, Cin, Cout]; linear weights
 * [out, in] ↔ Keras Dense [in, out]; biases as they are. Build the Keras model with
 * `dataFormat: 'channelsFirst'` convolutions and pooling and a plain `tf.layers.flatten()`, so the
 * flattened features come in C, H, W order, as tscnn's Flatten gives them.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Module, Parameter } from '../layers/module';
import { fmtShape, opError } from '../tensor/errors';
import { Tensor } from '../tensor/tensor';
import { fromTfLayout, toTfLayout, type TfLayoutKind } from './layout';

/** The tfjs layout of each parameter of `model`, in `parameters()` order. */
function kinds(model: Module): { p: Parameter; kind: TfLayoutKind }[] {
  const out: { p: Parameter; kind: TfLayoutKind }[] = [];
  for (const { module } of model.namedModules()) {
    if (module.children().length || module.parameters().length === 0) continue; // containers, parameter-free layers
    if (module.type !== 'Conv2d' && module.type !== 'Linear') throw opError('kerasWeights', `${module.type} has parameters but no Keras counterpart here (only Conv2d and Linear)`);
    for (const p of module.parameters()) {
      const kind: TfLayoutKind = p.name.endsWith('weight') ? (module.type === 'Conv2d' ? 'conv-weight' : 'linear-weight') : 'plain';
      out.push({ p, kind });
    }
  }
  return out;
}

function check(op: string, ours: { p: Parameter; kind: TfLayoutKind }[], theirs: TF.Tensor[] | readonly (readonly number[])[]): void {
  if (ours.length !== theirs.length) throw opError(op, `the tscnn model has ${ours.length} weight tensors, the Keras model ${theirs.length}: build it with the same layers in the same order`);
  ours.forEach(({ p, kind }, i) => {
    const want = toTfLayout(new Tensor(new Float32Array(p.value.size), p.value.shape), kind).shape;
    const got = Array.isArray(theirs[i]) ? (theirs[i] as number[]) : (theirs[i] as TF.Tensor).shape;
    if (want.length !== got.length || want.some((d, k) => d !== got[k])) {
      throw opError(op, `weight ${i} ('${p.name}' ${fmtShape(p.value.shape)}) needs Keras shape ${fmtShape(want)}, the Keras model has ${fmtShape(got)}`);
    }
  });
}

/** Set the Keras model's weights to `model`'s (e.g. the same initial weights for both). */
export function copyWeightsToKeras(tf: typeof TF, model: Module, keras: TF.LayersModel): void {
  const ours = kinds(model);
  check('copyWeightsToKeras', ours, keras.getWeights());
  const values = ours.map(({ p, kind }) => {
    const t = toTfLayout(p.value, kind);
    return tf.tensor(t.data, [...t.shape], 'float32');
  });
  keras.setWeights(values);
  tf.dispose(values);
}

/** Set `model`'s parameters to the Keras model's weights (after training it in tfjs). */
export function copyWeightsFromKeras(keras: TF.LayersModel, model: Module): void {
  const ours = kinds(model);
  const theirs = keras.getWeights();
  check('copyWeightsFromKeras', ours, theirs);
  ours.forEach(({ p, kind }, i) => {
    const t = fromTfLayout(new Tensor(Float32Array.from(theirs[i].dataSync() as Float32Array), theirs[i].shape), kind);
    p.value.data.set(t.data);
  });
}
