import { expect } from 'chai';
import {
  activationSpecs,
  leakyRelu,
  leakyReluBackward,
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
} from '../../src/ops/activations';
import { tensor, zeros } from '../../src/tensor';
import { describeGradchecks, expectClose, fx, gradcheckSpec, torchRef } from './nonlinear-helpers';

describe('ops/activations', () => {
  it('ReLU zeroes the negatives and passes gradients only where x > 0', () => {
    const x = tensor([[-2, -0.5, 0, 0.5, 3]]);
    expect(relu(x).toList()).to.deep.equal([0, 0, 0, 0.5, 3]);
    expect(reluBackward(tensor([[1, 2, 3, 4, 5]]), x).toList()).to.deep.equal([0, 0, 0, 4, 5]);
    expect(x.toList()).to.deep.equal([-2, -0.5, 0, 0.5, 3]); // input untouched
    expect(Number.isNaN(relu(tensor([NaN])).data[0])).to.equal(true); // no silent zeroing of NaN
  });

  // 4,096 random values run the plain-JS loops, 40,000 the wasm SIMD kernels (≥ 16,384) when loaded.
  for (const size of [4096, 40000]) {
    it(`ReLU and its backward equal max(0, x) bit for bit on every kind of float (${size} values)`, () => {
      // Special bit patterns: ±0, ±∞, NaN with and without the sign bit, denormals, extremes.
      const bits = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0xff800001, 0x7f800001, 0xffffffff, 1, 0x80000001, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000];
      const special = new Float32Array(new Uint32Array(bits).buffer);
      const rnd = new Float32Array(size).map((_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 3);
      // the special values at the start (SIMD lanes) and again at the end (scalar tail)
      const x = tensor(Array.from([...special, ...rnd, ...special.subarray(0, 3)]));
      const y = relu(x);
      const dy = tensor(Array.from(x.data, (_, i) => [1.5, -2, Infinity, NaN, -0][i % 5]));
      const dx = reluBackward(dy, x);
      for (let i = 0; i < x.size; i++) {
        const v = x.data[i];
        const want = v > 0 ? v : v !== v ? v : 0;
        if (!Object.is(y.data[i], Math.fround(want))) expect.fail(`relu(${v}) [${i}] = ${y.data[i]}`);
        const g = v > 0 ? dy.data[i] : dy.data[i] * 0;
        if (!Object.is(dx.data[i], g)) expect.fail(`reluBackward at x=${v}, dy=${dy.data[i]} [${i}]: ${dx.data[i]}`);
      }
    });
  }

  it('leaky ReLU scales the negatives by the slope (default 0.01)', () => {
    const x = tensor([-2, 0, 4]);
    expectClose(leakyRelu(x), [-0.02, 0, 4], 'default slope');
    expectClose(leakyRelu(x, 0.2), [-0.4, 0, 4], 'slope 0.2');
    expectClose(leakyReluBackward(tensor([1, 1, 1]), x, 0.2), [0.2, 0.2, 1], 'dx');
    const c = torchRef.leakyRelu[0];
    expectClose(leakyRelu(fx(c.inputs[0]), c.negativeSlope), c.y.data, 'y vs PyTorch');
    expectClose(leakyReluBackward(tensor(c.dy, c.y.shape), fx(c.inputs[0]), c.negativeSlope), c.grads[0], 'dx vs PyTorch');
  });

  it('sigmoid and tanh match PyTorch, forward and backward', () => {
    const s = torchRef.sigmoid[0];
    expectClose(sigmoid(fx(s.inputs[0])), s.y.data, 'sigmoid', 1e-6);
    expectClose(sigmoidBackward(tensor(s.dy, s.y.shape), fx(s.inputs[0])), s.grads[0], 'sigmoid dx', 1e-6);
    const t = torchRef.tanh[0];
    expectClose(tanh(fx(t.inputs[0])), t.y.data, 'tanh', 1e-6);
    expectClose(tanhBackward(tensor(t.dy, t.y.shape), fx(t.inputs[0])), t.grads[0], 'tanh dx', 1e-6);
  });

  it('sigmoid and tanh saturate without NaN at extreme inputs', () => {
    const x = tensor([-1000, -50, 0, 50, 1000]);
    expect(sigmoid(x).toList()).to.deep.equal([0, sigmoid(tensor([-50])).data[0], 0.5, 1, 1]);
    expect(tanh(x).toList()).to.deep.equal([-1, -1, 0, 1, 1]);
    for (const v of sigmoidBackward(tensor([1, 1, 1, 1, 1]), x).toList()) expect(Number.isFinite(v)).to.equal(true);
  });

  it('rejects a dy that does not match x, and a non-finite slope', () => {
    expect(() => reluBackward(zeros([2, 3]), zeros([3, 2]))).to.throw(/^reluBackward: dy \[2, 3\] and x \[3, 2\] must have the same shape/);
    expect(() => sigmoidBackward(zeros([2]), zeros([3]))).to.throw(/^sigmoidBackward: dy \[2\] and x \[3\]/);
    expect(() => tanhBackward(zeros([2]), zeros([2, 1]))).to.throw(/^tanhBackward: dy \[2\] and x \[2, 1\]/);
    expect(() => leakyRelu(zeros([2]), NaN)).to.throw(/^leakyRelu: negativeSlope must be a finite number, got NaN/);
  });

  it('the local gradient check catches a wrong backward (it can fail)', () => {
    const spec = activationSpecs.find((s) => s.name === 'sigmoid')!;
    const broken = { ...spec, backward: (dy: any, xs: any, a: any) => spec.backward(dy, xs, a).map((g) => g && tensor(g.toList().map((v) => v * 1.05), g.shape)) };
    expect(() => gradcheckSpec(broken)).to.throw(/sigmoid .*: dx\[\d+\]: analytic/);
    const relu = activationSpecs.find((s) => s.name === 'relu')!;
    // ReLU is piecewise linear and its inputs stay ≥ 0.05 from the kink, so its check is near exact.
    expect(gradcheckSpec(relu).every((r) => r.error < 1e-3)).to.equal(true);
  });

  describe('activationSpecs', () => describeGradchecks(activationSpecs));
});
