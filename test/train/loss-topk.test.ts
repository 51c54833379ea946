import { expect } from 'chai';
import { mseOneHot, softmaxCrossEntropy } from '../../src/ops/losses';
import { topKAccuracy } from '../../src/train/metrics';
import { fit, evaluate } from '../../src/train';
import { Linear, Sequential, Flatten } from '../../src/layers';
import { tensor, randn, seed, Tensor } from '../../src/tensor';
import type { Dataset } from '../../src/data/dataset';

describe('train: MSE as lectured, and top-k accuracy', () => {
  it('mseOneHot is (1/m) Σ_i ‖f(x_i) − onehot(y_i)‖², gradient 2(f − y)/m', () => {
    const out = tensor([[0.8, 0.1], [0.3, 0.4]]);
    const { loss, doutputs } = mseOneHot(out, [0, 1]);
    // row 0: 0.04 + 0.01; row 1: 0.09 + 0.36 → (0.05 + 0.45) / 2
    expect(loss).to.be.closeTo(0.25, 1e-7);
    [-0.2, 0.1, 0.3, -0.6].forEach((g, i) => expect(doutputs.data[i]).to.be.closeTo(g, 1e-7));
    expect(() => mseOneHot(out, [0, 2])).to.throw(/^mseOneHot: labels\[1\] = 2 is not a class index in \[0, 2\)/);
  });

  it('numeric gradient of mseOneHot', () => {
    seed(5);
    const f = randn([3, 4]);
    const y = [1, 0, 3];
    const { doutputs } = mseOneHot(f, y);
    for (let i = 0; i < f.size; i++) {
      const h = 1e-3;
      const p = new Tensor(f.data.slice(), f.shape); p.data[i] += h;
      const m = new Tensor(f.data.slice(), f.shape); m.data[i] -= h;
      const num = (mseOneHot(p, y).loss - mseOneHot(m, y).loss) / (2 * h);
      expect(doutputs.data[i]).to.be.closeTo(num, 2e-3);
    }
  });

  it("fit({ loss: 'mse' }) trains with the MSE and evaluates with it; an unknown loss is refused", async () => {
    seed(1);
    // two separable classes in 4 features
    const n = 64;
    const x = randn([n, 1, 2, 2]);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = x.data[i * 4] + x.data[i * 4 + 1] > 0 ? 1 : 0;
    const data: Dataset = { x, y, classes: ['a', 'b'], name: 'toy' };
    const model = new Sequential(new Flatten(), new Linear(4, 2));
    const before = evaluate(model, data).accuracy;
    const h = await fit(model, data, { epochs: 30, batchSize: 16, loss: 'mse', optimizer: 'sgd', lr: 0.1, progress: false });
    const last = h.epochs[h.epochs.length - 1];
    expect(last.loss).to.be.lessThan(h.epochs[0].loss);
    expect(last.accuracy).to.be.greaterThan(Math.max(0.9, before));
    let err = '';
    await fit(model, data, { loss: 'hinge' as never, progress: false }).catch((e: Error) => { err = e.message; });
    expect(err).to.match(/^fit: loss must be 'crossEntropy' or 'mse', got "hinge"/);
  });

  it('top-1 and top-5 accuracy (AlexNet reports the errors 1 − these)', () => {
    const s = tensor([
      [0.1, 0.7, 0.2, 0.0, 0.0, 0.0],
      [0.5, 0.1, 0.1, 0.1, 0.1, 0.1],
      [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    ]);
    const y = [2, 0, 0];
    expect(topKAccuracy(s, y, 1)).to.be.closeTo(1 / 3, 1e-12); // only row 1
    expect(topKAccuracy(s, y, 2)).to.be.closeTo(2 / 3, 1e-12); // + row 0 (class 2 second)
    expect(topKAccuracy(s, y, 5)).to.be.closeTo(2 / 3, 1e-12); // row 2's class 0 is sixth of six
    expect(topKAccuracy(s, y, 6)).to.equal(1);
    expect(() => topKAccuracy(s, y, 7)).to.throw(/^topKAccuracy: k must be an integer in \[1, 6\] \(the number of classes\), got 7/);
    expect(() => topKAccuracy(s, [1], 1)).to.throw(/^topKAccuracy: labels must have one entry per row \(3\), got 1/);
    void softmaxCrossEntropy;
  });
});
