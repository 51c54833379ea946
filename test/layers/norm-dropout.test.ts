import { expect } from 'chai';
import { BatchNorm2d, Dropout, LocalResponseNorm, Sequential } from '../../src/layers';
import { batchNorm2dBackward, dropoutBackward, localResponseNorm, localResponseNormBackward } from '../../src/ops';
import { Rng, randn, seed, tensor } from '../../src/tensor';

/** Per-channel mean and biased variance of an [N, C, H, W] tensor (float64). */
function channelStats(x: { shape: readonly number[]; data: Float32Array }, ch: number): { mean: number; variance: number } {
  const [n, c, h, w] = x.shape;
  const vals: number[] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < h * w; i++) vals.push(x.data[(b * c + ch) * h * w + i]);
  const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
  const variance = vals.reduce((a, v) => a + (v - mean) ** 2, 0) / vals.length;
  return { mean, variance };
}

describe('layers/BatchNorm2d', () => {
  it('training: normalises each channel with batch statistics and updates the running ones', () => {
    const rng = new Rng(1);
    const bn = new BatchNorm2d(3);
    const x = randn([4, 3, 5, 5], { rng, mean: 2, std: 3 });
    const y = bn.forward(x);
    for (let ch = 0; ch < 3; ch++) {
      const s = channelStats(y, ch);
      expect(s.mean).to.be.closeTo(0, 1e-5);
      expect(s.variance).to.be.closeTo(1, 1e-3); // σ²/(σ² + eps)
      const xs = channelStats(x, ch);
      // momentum 0.1 from mean 0 / var 1; running var uses the unbiased variance (M = 100).
      expect(bn.runningMean.data[ch]).to.be.closeTo(0.1 * xs.mean, 1e-5);
      expect(bn.runningVar.data[ch]).to.be.closeTo(0.9 + 0.1 * xs.variance * 100 / 99, 1e-4);
    }
  });

  it('eval: uses the running statistics, y = γ(x − μ_run)/√(σ²_run + eps) + β, and leaves them alone', () => {
    const bn = new BatchNorm2d(2, { eps: 1e-3 });
    bn.runningMean.data.set([1, -2]);
    bn.runningVar.data.set([4, 0.25]);
    bn.weight.value.data.set([2, 1]);
    bn.bias.value.data.set([0.5, 0]);
    bn.eval();
    const y = bn.forward(tensor([[[[3]], [[-1]]]]));
    expect(y.data[0]).to.be.closeTo((2 * (3 - 1)) / Math.sqrt(4.001) + 0.5, 1e-6);
    expect(y.data[1]).to.be.closeTo((-1 + 2) / Math.sqrt(0.251), 1e-6);
    expect(bn.runningMean.toList()).to.deep.equal([1, -2]);
  });

  it('backward equals the op in the mode the forward ran in; grads accumulate', () => {
    const rng = new Rng(2);
    const bn = new BatchNorm2d(3);
    bn.weight.value.data.set([1.5, -0.5, 2]);
    const x = randn([2, 3, 4, 4], { rng });
    bn.forward(x);
    const dy = randn([2, 3, 4, 4], { rng });
    bn.eval(); // switching after forward must not change which function backward differentiates
    const ref = batchNorm2dBackward(dy, x, bn.weight.value, { training: true, eps: 1e-5 });
    expect(bn.backward(dy).toList()).to.deep.equal(ref.dx.toList());
    expect(bn.weight.grad.toList()).to.deep.equal(ref.dgamma.toList());
    bn.backward(dy);
    bn.bias.grad.data.forEach((v, i) => expect(v).to.be.closeTo(2 * ref.dbeta.data[i], 1e-5));
  });

  it("keeps running stats as buffers, γ/β as parameters 'weight'/'bias'", () => {
    const net = new Sequential(new BatchNorm2d(4));
    expect(net.parameters().map((p) => p.name)).to.deep.equal(['0.weight', '0.bias']);
    expect(net.buffers().map((b) => b.name)).to.deep.equal(['0.running_mean', '0.running_var']);
    expect(net.numParameters()).to.equal(8);
    expect(net.parameters()[0].value.toList()).to.deep.equal([1, 1, 1, 1]);
    expect(net.buffers()[1].value.toList()).to.deep.equal([1, 1, 1, 1]);
  });

  it('clear errors: wrong channel count, one value per channel in training', () => {
    expect(() => new BatchNorm2d(3).forward(randn([2, 4, 2, 2]))).to.throw(/^BatchNorm2d: .*expects 3 input channels \[N, 3, H, W\], got shape \[2, 4, 2, 2\]/);
    expect(() => new BatchNorm2d(3).forward(randn([1, 3, 1, 1]))).to.throw(/^BatchNorm2d: training needs more than one value per channel/);
    expect(new BatchNorm2d(3).eval().forward(randn([1, 3, 1, 1])).shape).to.deep.equal([1, 3, 1, 1]);
  });
});

describe('layers/LocalResponseNorm', () => {
  it('equals the op (AlexNet paper constants) forward and backward', () => {
    const rng = new Rng(3);
    const opts = { size: 5, alpha: 1e-4, beta: 0.75, k: 2 };
    const lrn = new LocalResponseNorm(5, { k: 2 });
    const x = randn([2, 7, 3, 3], { rng, std: 10 });
    expect(lrn.forward(x).toList()).to.deep.equal(localResponseNorm(x, opts).toList());
    const dy = randn(x.shape, { rng });
    expect(lrn.backward(dy).toList()).to.deep.equal(localResponseNormBackward(dy, x, opts).toList());
    expect(lrn.config()).to.deep.equal({ type: 'LocalResponseNorm', args: { size: 5, alpha: 1e-4, beta: 0.75, k: 2 } });
  });
});

describe('layers/Dropout', () => {
  it('training: zeroes about p of the values, scales the rest by 1/(1 − p); backward uses the same mask', () => {
    const d = new Dropout(0.25, { rng: new Rng(4) });
    const x = randn([10, 100], { rng: new Rng(5) });
    const y = d.forward(x);
    let zeros = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.data[i] === 0) zeros++;
      else expect(y.data[i]).to.be.closeTo(x.data[i] / 0.75, 1e-6);
    }
    expect(zeros / x.size).to.be.closeTo(0.25, 0.03);
    const dy = randn([10, 100], { rng: new Rng(6) });
    const dx = d.backward(dy);
    for (let i = 0; i < x.size; i++) expect(dx.data[i]).to.be.closeTo(y.data[i] === 0 ? 0 : dy.data[i] / 0.75, 1e-6);
  });

  it('eval is the identity (values and gradient)', () => {
    const d = new Dropout(0.5).eval();
    const x = randn([3, 4], { rng: new Rng(7) });
    expect(d.forward(x).toList()).to.deep.equal(x.toList());
    expect(d.backward(x).toList()).to.deep.equal(x.toList());
  });

  it('train()/eval() on a container switch its dropout and batch norm', () => {
    const net = new Sequential(new Dropout(0.5), new Sequential(new BatchNorm2d(2)));
    net.eval();
    expect(net.namedModules().map((e) => e.module.training)).to.deep.equal([false, false, false, false]);
    net.train();
    expect(net.namedModules().every((e) => e.module.training)).to.equal(true);
    const x = randn([2, 2, 3, 3], { rng: new Rng(8) });
    net.eval();
    // Eval: dropout identity, BN with fresh running stats (0, 1) ≈ identity.
    net.forward(x).data.forEach((v, i) => expect(v).to.be.closeTo(x.data[i] / Math.sqrt(1 + 1e-5), 1e-6));
  });

  it('is reproducible under seed(n) and matches dropoutBackward', () => {
    seed(11);
    const a = new Dropout(0.5).forward(randn([50])).toList();
    seed(11);
    const d = new Dropout(0.5);
    expect(d.forward(randn([50])).toList()).to.deep.equal(a);
    const mask = tensor(a.map((v) => (v === 0 ? 0 : 2)));
    const dy = randn([50], { rng: new Rng(9) });
    expect(d.backward(dy).toList()).to.deep.equal(dropoutBackward(dy, mask).toList());
    expect(() => new Dropout(1)).to.throw(/^Dropout: p must be in \[0, 1\), got 1/);
  });
});
