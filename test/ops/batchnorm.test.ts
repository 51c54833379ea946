import { expect } from 'chai';
import { batchNorm2d, batchNorm2dBackward, batchNormSpecs } from '../../src/ops/batchnorm';
import { ones, tensor, zeros } from '../../src/tensor';
import { describeGradchecks, expectClose, fx, torchRef } from './nonlinear-helpers';

describe('ops/batchnorm', () => {
  it('normalises each channel to mean 0 and (biased) variance 1, applies γ and β, and updates the running stats', () => {
    // Channel 0 holds 1..4 (mean 2.5, biased var 1.25), channel 1 is constant 7.
    const x = tensor([[[[1, 2]], [[7, 7]]], [[[3, 4]], [[7, 7]]]]);
    const runningMean = zeros([2]);
    const runningVar = ones([2]);
    const y = batchNorm2d(x, tensor([2, 1]), tensor([0.5, -1]), { eps: 1e-12, runningMean, runningVar });
    const s = 2 / Math.sqrt(1.25);
    expectClose(y, [0.5 - 1.5 * s, 0.5 - 0.5 * s, -1, -1, 0.5 + 0.5 * s, 0.5 + 1.5 * s, -1, -1], 'y');
    // running ← 0.9·running + 0.1·batch, with the unbiased variance 5/3 (= 1.25·4/3) for channel 0.
    expectClose(runningMean, [0.25, 0.7], 'runningMean', 1e-7);
    expectClose(runningVar, [0.9 + 0.1 * (5 / 3), 0.9], 'runningVar', 1e-7);
  });

  torchRef.batchNorm2d.forEach((c: any) => {
    const name = `x=[${c.inputs[0].shape}] ${c.training ? 'training' : 'eval'} momentum=${c.momentum}`;
    it(`matches PyTorch forward, backward and running statistics: ${name}`, () => {
      const [x, gamma, beta] = c.inputs.map(fx);
      const C = x.shape[1];
      const runningMean = tensor(c.runningMean0, [C]);
      const runningVar = tensor(c.runningVar0, [C]);
      const opts = { training: c.training, momentum: c.momentum, runningMean, runningVar };
      const y = batchNorm2d(x, gamma, beta, opts);
      expectClose(y, c.y.data, 'y', 1e-5, 1e-4);
      // Training updates the running stats in place (unbiased variance); eval leaves them alone.
      expectClose(runningMean, c.runningMean1, 'runningMean after forward', 1e-6);
      expectClose(runningVar, c.runningVar1, 'runningVar after forward', 1e-6);
      // Backward recomputes the batch statistics (training) or reads the running ones (eval) and
      // must never update them.
      const before = [...runningMean.toList(), ...runningVar.toList()];
      const g = batchNorm2dBackward(tensor(c.dy, c.y.shape), x, gamma, opts);
      expect([...runningMean.toList(), ...runningVar.toList()]).to.deep.equal(before);
      expectClose(g.dx, c.grads[0], 'dx', 1e-5, 1e-3);
      expectClose(g.dgamma, c.grads[1], 'dgamma', 1e-5, 1e-4);
      expectClose(g.dbeta, c.grads[2], 'dbeta', 1e-5, 1e-4);
    });
  });

  it('training without running stats works; the training dx sums to zero per channel', () => {
    const x = tensor(Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => Math.sin(i) * 3), [2, 3, 2, 2]);
    const dy = tensor(Array.from({ length: x.size }, (_, i) => Math.cos(i * 1.7)), x.shape);
    const { dx, dbeta } = batchNorm2dBackward(dy, x, ones([3]));
    for (let ch = 0; ch < 3; ch++) {
      let s = 0;
      for (let n = 0; n < 2; n++) for (let i = 0; i < 4; i++) s += dx.data[(n * 3 + ch) * 4 + i];
      expect(Math.abs(s)).to.be.below(1e-5); // shifting x by a constant does not change y
    }
    expect(dbeta.shape).to.deep.equal([3]);
  });

  it('rejects bad shapes, eval without running stats and single-value channels', () => {
    const x = zeros([2, 3, 5, 5]);
    expect(() => batchNorm2d(x, zeros([4]), zeros([3]))).to.throw(/^batchNorm2d: gamma shape \[4\] does not match 3 channels of x \[2, 3, 5, 5\]/);
    expect(() => batchNorm2d(x, zeros([3]), zeros([2]))).to.throw(/^batchNorm2d: beta shape \[2\] does not match 3 channels of x \[2, 3, 5, 5\]/);
    expect(() => batchNorm2d(zeros([2, 3]), zeros([3]), zeros([3]))).to.throw(/^batchNorm2d: x must be rank 4 \[N, C, H, W\], got shape \[2, 3\]/);
    expect(() => batchNorm2d(x, zeros([3]), zeros([3]), { runningMean: zeros([2]) })).to.throw(/^batchNorm2d: runningMean shape \[2\] does not match 3 channels/);
    expect(() => batchNorm2d(x, zeros([3]), zeros([3]), { training: false })).to.throw(/^batchNorm2d: eval mode \(training: false\) needs runningMean and runningVar of shape \[3\]/);
    expect(() => batchNorm2d(zeros([1, 3, 1, 1]), zeros([3]), zeros([3]))).to.throw(/^batchNorm2d: training needs more than 1 value per channel, got x \[1, 3, 1, 1\]/);
    expect(() => batchNorm2d(x, zeros([3]), zeros([3]), { momentum: 2 })).to.throw(/^batchNorm2d: momentum must be in \[0, 1\], got 2/);
    expect(() => batchNorm2dBackward(zeros([2, 3, 5, 4]), x, zeros([3]))).to.throw(/^batchNorm2dBackward: dy shape \[2, 3, 5, 4\] does not match x \[2, 3, 5, 5\]/);
  });

  describe('batchNormSpecs', () => describeGradchecks(batchNormSpecs));
});
