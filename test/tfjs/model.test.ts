import { expect } from 'chai';
import {
  Add, AvgPool2d, BatchNorm2d, Concat, Conv2d, Flatten, GlobalAvgPool2d, Identity, Linear, LocalResponseNorm, MaxPool2d, ReLU,
  Sequential, Tanh,
} from '../../src/layers';
import { lenet5 } from '../../src/models';
import { randn, Rng } from '../../src/tensor';
import { loadTf, type TfHandle } from '../../src/tfjs/backend';
import { compareGradients } from '../../src/tfjs/compare';
import { fromTf, toTf } from '../../src/tfjs/layout';
import { toTfModel } from '../../src/tfjs/model';

const DISPLAY = Symbol.for('Jupyter.display');

/** A small net touching every mapped layer type: grouped/same conv, merges, BN, LRN, pools. */
function zoo(rng: Rng) {
  return new Sequential(
    new Conv2d(3, 8, 3, { padding: 'same', bias: false, rng }), // no bias before BatchNorm (its gradient is 0)
    new BatchNorm2d(8),
    new Tanh(),
    new Concat([new Conv2d(8, 4, 1, { rng }), new Conv2d(8, 4, 3, { padding: 1, groups: 4, rng })]),
    new Add([new Identity(), new Sequential(new Conv2d(8, 8, 3, { padding: 1, groups: 8, rng }), new Tanh())]),
    new LocalResponseNorm(3, { alpha: 0.1 }),
    new MaxPool2d(2, { ceilMode: true }),
    new AvgPool2d(3, { stride: 1, padding: 1 }),
    new Conv2d(8, 6, 2, { stride: 2, rng }),
    new ReLU(),
    new GlobalAvgPool2d(),
    new Flatten(),
    new Linear(6, 5, { rng }),
  );
}

describe('tfjs model bridge and compareGradients', function () {
  this.timeout(120000);
  let h: TfHandle;
  before(async () => {
    h = await loadTf();
  });

  it('mirrors LeNet-5 in tfjs: same logits for the same weights', async () => {
    const model = lenet5({ rng: new Rng(3) }).eval();
    const x = randn([3, 1, 28, 28], { rng: new Rng(4) });
    const ours = model.forward(x);
    const baseline = h.tf.memory().numTensors;
    const mirror = await toTfModel(model, x.shape, h);
    const xt = toTf(h.tf, x);
    const yt = h.tf.tidy(() => mirror.forward(xt));
    const theirs = fromTf(yt, 'plain');
    xt.dispose();
    yt.dispose();
    mirror.dispose();
    expect(h.tf.memory().numTensors).to.equal(baseline);
    expect(theirs.shape).to.deep.equal([3, 10]);
    for (let i = 0; i < ours.size; i++) expect(Math.abs(ours.data[i] - theirs.data[i])).to.be.below(1e-5);
  });

  it('copies weights both ways (tfjs layout in, tscnn layout out)', async () => {
    const model = new Sequential(new Conv2d(2, 3, [3, 2], { rng: new Rng(5) }), new Flatten(), new Linear(3 * 2 * 3, 4, { rng: new Rng(6) }));
    const mirror = await toTfModel(model, [1, 2, 4, 4], h);
    const w = mirror.variable('0.weight');
    expect(w.shape).to.deep.equal([3, 2, 2, 3]); // [KH, KW, Cin, Cout]
    const conv = model.parameters()[0].value;
    expect((w.arraySync() as number[][][][])[2][1][0][1]).to.be.closeTo(conv.get(1, 0, 2, 1), 1e-7);
    expect(mirror.variable('2.weight').shape).to.deep.equal([18, 4]); // Dense kernel [in, out]
    // change tfjs weights, copy back
    w.assign(h.tf.mul(w, 2));
    const before = conv.clone();
    mirror.copyTo(model);
    for (let i = 0; i < conv.size; i++) expect(conv.data[i]).to.be.closeTo(2 * before.data[i], 1e-6);
    // and forward again
    conv.data.fill(0.5);
    mirror.copyFrom(model);
    expect(Array.from(w.dataSync()).every((v) => v === 0.5)).to.equal(true);
    mirror.dispose();
  });

  it('compareGradients: a model with every mapped layer agrees with tf.grads to 1e-5 and with numeric to 5e-2', async () => {
    const rng = new Rng(11);
    const model = zoo(rng);
    const baseline = h.tf.memory().numTensors;
    const cmp = await compareGradients(model, { x: randn([2, 3, 8, 8], { rng }), labels: [4, 1] }, { handle: h, training: true });
    expect(h.tf.memory().numTensors).to.equal(baseline);
    expect(cmp.rows.map((r) => r.name)).to.deep.equal(model.parameters().map((p) => p.name));
    expect(Math.abs(cmp.loss.tscnn - cmp.loss.tfjs)).to.be.below(1e-5);
    for (const r of cmp.rows) {
      expect(r.oursVsTfjs.rel, `${r.name} vs tfjs`).to.be.below(1e-4);
      expect(r.oursVsNumeric.rel, `${r.name} vs numeric`).to.be.below(5e-2);
      expect(r.numericSamples).to.equal(Math.min(8, r.diff.size));
    }
  });

  it('compareGradients detects a wrong gradient', async () => {
    const model = new Sequential(new Flatten(), new Linear(4, 3, { rng: new Rng(2) }));
    const lin = model.layers[1] as Linear;
    const orig = lin.backward.bind(lin);
    // sabotage: drop the bias gradient's last entry
    lin.backward = (dy) => {
      const dx = orig(dy);
      lin.parameters()[1].grad.data[2] += 0.5;
      return dx;
    };
    const cmp = await compareGradients(model, { x: randn([3, 1, 2, 2], { rng: new Rng(3) }), labels: [0, 1, 2] }, { handle: h });
    const bias = cmp.rows.find((r) => r.name === '1.bias')!;
    expect(bias.oursVsTfjs.maxAbs).to.be.closeTo(0.5, 1e-4);
    expect(bias.tfjsVsNumeric.maxAbs).to.be.below(1e-3);
  });

  it('displays as a table and heatmaps of the differences', async () => {
    const model = new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(1) }), new Flatten(), new Linear(8, 3, { rng: new Rng(2) }));
    const cmp = await compareGradients(model, { x: randn([2, 1, 4, 4], { rng: new Rng(3) }), labels: [0, 2] }, { handle: h });
    const bundle = (cmp as any)[DISPLAY]();
    expect(bundle['text/plain']).to.match(/^gradients: hand-coded vs tf\.grads \(tfjs 4\.\d+\.\d+ · /);
    expect(bundle['text/plain']).to.contain('0.weight');
    expect(bundle['text/html']).to.contain('<table');
    expect((bundle['text/html'].match(/data:image\/png;base64,/g) || []).length).to.equal(4);
    expect(cmp.heatmaps()[0].width).to.be.greaterThan(90);
  });
});
