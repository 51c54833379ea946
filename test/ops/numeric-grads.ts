import type { Tensor } from '../../src/tensor';

/**
 * Central differences of L = Σ r ⊙ forward(inputs), summed in float64. conv2d and linear are
 * linear in each single input element, so the quotient is exact up to float32 rounding of y;
 * h = 0.1 keeps that rounding noise (~1e-6 in L) far below the tolerance.
 */
export function numericGrads(forward: (inputs: Tensor[]) => Tensor, inputs: Tensor[], r: Tensor, h = 0.1): Float64Array[] {
  const loss = () => {
    const y = forward(inputs);
    let s = 0;
    for (let i = 0; i < y.size; i++) s += r.data[i] * y.data[i];
    return s;
  };
  return inputs.map((t) => {
    const g = new Float64Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const v = t.data[i];
      t.data[i] = v + h;
      const lp = loss();
      t.data[i] = v - h;
      const lm = loss();
      t.data[i] = v;
      g[i] = (lp - lm) / (2 * h);
    }
    return g;
  });
}
