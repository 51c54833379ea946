/**
 * Local helpers for the non-conv op tests: PyTorch fixture loading, closeness checks and a
 * central-difference gradient check over an OpSpec table (the general checker lives in src/check;
 * this one stays local so these tests do not depend on it).
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import type { OpSpec } from '../../src/ops/spec';
import { Rng, Tensor, randn, tensor } from '../../src/tensor';

/** PyTorch reference values (test/fixtures/ops-nonlinear-torch.json; its generator is inside). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const torchRef: any = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ops-nonlinear-torch.json'), 'utf8'));

/** A fixture tensor `{ shape, data }` as a Tensor. */
export function fx(t: { shape: number[]; data: number[] }): Tensor {
  return tensor(t.data, t.shape);
}

/** Assert |actual − expected| ≤ atol + rtol·|expected| element-wise, naming the first bad entry. */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: ArrayLike<number>, what: string, atol = 1e-5, rtol = 1e-4): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  expect(a.length, `${what}: length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(a[i] - expected[i]);
    if (!(err <= atol + rtol * Math.abs(expected[i]))) {
      expect.fail(`${what}: entry ${i} is ${a[i]}, expected ${expected[i]} (|diff| ${err.toExponential(2)})`);
    }
  }
}

export interface GradReport {
  op: string;
  case: string;
  input: string;
  /** max over entries of |analytic − numeric| / max(0.1, |analytic|, |numeric|). */
  error: number;
}

/**
 * For every case of a spec: L(inputs) = Σ r ⊙ forward(inputs) with r ~ N(0, 1), accumulated in
 * float64; the analytic gradient backward(r, …) is compared with central differences
 * (L(x + h) − L(x − h)) / (actual float32 step). Inputs marked non-differentiable must get null.
 * Returns one row per (case, input); throws on the first gradient that is off by more than `tol`.
 */
export function gradcheckSpec(spec: OpSpec, opts: { h?: number; tol?: number; seed?: number } = {}): GradReport[] {
  const h = opts.h ?? 1e-2;
  const tol = opts.tol ?? spec.tolerance ?? 1e-2;
  const rows: GradReport[] = [];
  for (const c of spec.cases) {
    const rng = new Rng(opts.seed ?? 1234);
    const inputs = spec.makeInputs ? spec.makeInputs(c, rng) : c.shapes.map((s) => randn(s, { rng }));
    inputs.forEach((t, k) => expect(t.shape, `${spec.name} ${c.name}: input ${spec.inputs[k]} shape`).to.deep.equal(c.shapes[k]));
    const y0 = spec.forward(inputs, c.attrs);
    const r = randn(y0.shape, { rng });
    const loss = () => {
      const y = spec.forward(inputs, c.attrs);
      let s = 0;
      for (let i = 0; i < y.size; i++) s += r.data[i] * y.data[i];
      return s;
    };
    const grads = spec.backward(r, inputs, c.attrs);
    expect(grads.length, `${spec.name} ${c.name}: number of gradients`).to.equal(inputs.length);
    inputs.forEach((x, k) => {
      const label = `${spec.name} ${c.name}: d${spec.inputs[k]}`;
      if (spec.differentiable && spec.differentiable[k] === false) {
        expect(grads[k], label).to.equal(null);
        return;
      }
      const g = grads[k];
      if (!g) throw new Error(`${label} is missing`);
      expect(g.shape, `${label} shape`).to.deep.equal(x.shape);
      let worst = 0;
      for (let i = 0; i < x.size; i++) {
        const v = x.data[i];
        x.data[i] = v + h;
        const up = x.data[i];
        const lp = loss();
        x.data[i] = v - h;
        const down = x.data[i];
        const lm = loss();
        x.data[i] = v;
        const num: number = (lp - lm) / (up - down);
        const err: number = Math.abs(g.data[i] - num) / Math.max(0.1, Math.abs(g.data[i]), Math.abs(num));
        if (err > tol) expect.fail(`${label}[${i}]: analytic ${g.data[i]} vs numeric ${num} (rel err ${err.toExponential(2)} > ${tol})`);
        worst = Math.max(worst, err);
      }
      rows.push({ op: spec.name, case: c.name, input: spec.inputs[k], error: worst });
    });
  }
  return rows;
}

/** One `it` per case: the gradient check of every case in the given specs. */
export function describeGradchecks(specs: OpSpec[], opts: { h?: number; tol?: number } = {}): void {
  for (const spec of specs) {
    for (const c of spec.cases) {
      it(`gradcheck ${spec.name} ${c.name}`, () => {
        gradcheckSpec({ ...spec, cases: [c] }, opts);
      });
    }
  }
}
