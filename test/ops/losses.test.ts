import { expect } from 'chai';
import {
  logSoftmax,
  logSoftmaxBackward,
  lossSpecs,
  mse,
  softmax,
  softmaxBackward,
  softmaxCrossEntropy,
} from '../../src/ops/losses';
import { tensor, zeros } from '../../src/tensor';
import { describeGradchecks, expectClose, fx, torchRef } from './nonlinear-helpers';

describe('ops/losses', () => {
  it('softmax of equal logits is uniform and each row sums to 1', () => {
    expectClose(softmax(tensor([[0, 0, 0, 0]])), [0.25, 0.25, 0.25, 0.25], 'uniform');
    const p = softmax(tensor([[1, 2, 3], [-1, 0, 5]]));
    for (let i = 0; i < 2; i++) expect(p.data[3 * i] + p.data[3 * i + 1] + p.data[3 * i + 2]).to.be.closeTo(1, 1e-6);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const z = e[0] + e[1] + e[2];
    expectClose(p.data.subarray(0, 3), e.map((v) => v / z), 'row 0', 1e-7);
  });

  it('softmax and logSoftmax match PyTorch (including logits of 1000 and −500), forward and backward', () => {
    const s = torchRef.softmax[0];
    const x = fx(s.inputs[0]);
    const p = softmax(x);
    for (const v of p.toList()) expect(Number.isFinite(v)).to.equal(true);
    expectClose(p, s.y.data, 'softmax', 1e-6);
    expectClose(softmaxBackward(tensor(s.dy, s.y.shape), x), s.grads[0], 'softmax dx', 1e-6);
    const l = torchRef.logSoftmax[0];
    const lp = logSoftmax(x);
    for (const v of lp.toList()) expect(Number.isFinite(v)).to.equal(true);
    expectClose(lp, l.y.data, 'logSoftmax', 1e-5);
    expectClose(logSoftmaxBackward(tensor(l.dy, l.y.shape), x), l.grads[0], 'logSoftmax dx', 1e-6);
  });

  it('softmaxCrossEntropy is −log p(label) averaged over the batch; dlogits = (softmax − onehot)/N', () => {
    // Two classes with equal logits: loss = log 2; dlogits = (0.5 − onehot)/2.
    const { loss, dlogits } = softmaxCrossEntropy(tensor([[3, 3], [0, 0]]), [0, 1]);
    expect(loss).to.be.closeTo(Math.log(2), 1e-7);
    expectClose(dlogits, [-0.25, 0.25, 0.25, -0.25], 'dlogits');
    torchRef.softmaxCrossEntropy.forEach((c: any) => {
      const r = softmaxCrossEntropy(fx(c.logits), c.labels);
      expect(r.loss).to.be.closeTo(c.loss, 1e-5);
      expectClose(r.dlogits, c.dlogits, 'dlogits vs PyTorch', 1e-7);
    });
    // Huge logits stay finite: a confident correct prediction costs ~0.
    const huge = softmaxCrossEntropy(tensor([[1e30, 0, -1e30]]), Int32Array.of(0));
    expect(huge.loss).to.equal(0);
    expect(huge.dlogits.toList()).to.deep.equal([0, 0, 0]);
    expect(softmaxCrossEntropy(tensor([[0, 1e4]]), [0]).loss).to.be.closeTo(1e4, 1e-2);
  });

  it('softmaxCrossEntropy names the bad label, its index and K', () => {
    const logits = zeros([4, 10]);
    expect(() => softmaxCrossEntropy(logits, [0, 1, 2, 10])).to.throw(/^softmaxCrossEntropy: label 10 at index 3 is out of range for 10 classes/);
    expect(() => softmaxCrossEntropy(logits, [0, -1, 2, 3])).to.throw(/^softmaxCrossEntropy: label -1 at index 1 is out of range for 10 classes/);
    expect(() => softmaxCrossEntropy(logits, [0, 1.5, 2, 3])).to.throw(/^softmaxCrossEntropy: label 1.5 at index 1 is not an integer class index/);
    expect(() => softmaxCrossEntropy(logits, [0, 1, 2])).to.throw(/^softmaxCrossEntropy: labels has 3 entries but logits \[4, 10\] has 4 rows/);
    expect(() => softmaxCrossEntropy(zeros([4]), [0, 1, 2, 3])).to.throw(/^softmaxCrossEntropy: logits must be rank 2 \[N, K\], got shape \[4\]/);
    expect(() => softmax(zeros([2, 3, 4]))).to.throw(/^softmax: x must be rank 2 \[N, K\]/);
    expect(() => softmaxBackward(zeros([2, 4]), zeros([2, 3]))).to.throw(/^softmaxBackward: dy \[2, 4\] and x \[2, 3\] must have the same shape/);
  });

  it('mse is the mean of squared differences; dpred = 2(pred − target)/size', () => {
    const { loss, dpred } = mse(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 4]]));
    expect(loss).to.be.closeTo((0 + 4 + 9 + 0) / 4, 1e-7);
    expect(dpred.toList()).to.deep.equal([0, 1, 1.5, 0]);
    const c = torchRef.mse[0];
    const r = mse(fx(c.pred), tensor(c.target, c.pred.shape));
    expect(r.loss).to.be.closeTo(c.loss, 1e-6);
    expectClose(r.dpred, c.dpred, 'dpred vs PyTorch', 1e-7);
    expect(() => mse(zeros([2, 3]), zeros([3, 2]))).to.throw(/^mse: pred \[2, 3\] and target \[3, 2\] must have the same shape/);
  });

  describe('lossSpecs', () => describeGradchecks(lossSpecs));
});
