import type { Rng } from '../tensor/random';
import type { Tensor } from '../tensor/tensor';

/**
 * One row of an op's shape table. Named by its shapes and attributes
 * (`x=[2,3,7,7] w=[4,3,3,3] s=2 p=same`) so a failing check says exactly what broke.
 */
export interface OpCase<A = Record<string, unknown>> {
  name: string;
  /** Shape of each tensor input, in the order of `OpSpec.inputs`. */
  shapes: number[][];
  attrs: A;
}

/**
 * An op as the registry sees it: forward and backward over a list of tensor inputs plus
 * attributes. The gradient checker, the layer tests and the TensorFlow.js parity suite all
 * loop over these, so adding an op here adds it to every check.
 */
export interface OpSpec<A = any> {
  name: string;
  /** Input names, e.g. ['x', 'w', 'b']. */
  inputs: string[];
  /** Which inputs have gradients (default: all). */
  differentiable?: boolean[];
  forward(inputs: Tensor[], attrs: A): Tensor;
  /** Gradient of Σ(dy ⊙ forward(inputs)) with respect to each input (null where not differentiable). */
  backward(dy: Tensor, inputs: Tensor[], attrs: A): (Tensor | null)[];
  cases: OpCase<A>[];
  /** Input values for a case (default: N(0,1) for every input). Use it to keep away from kinks. */
  makeInputs?(c: OpCase<A>, rng: Rng): Tensor[];
  /** Max relative error accepted by the gradient check (default 1e-2; float32 storage). */
  tolerance?: number;
}
