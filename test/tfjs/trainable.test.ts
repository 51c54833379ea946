import { expect } from 'chai';
import { loadMnist } from '../../src/data';
import { lenet5 } from '../../src/models';
import { Rng } from '../../src/tensor';
import { loadTf } from '../../src/tfjs/backend';
import { tfTrainable } from '../../src/tfjs/trainable';
import { evaluate, fit } from '../../src/train';

describe('the trainer drives a TensorFlow.js model (side by side)', function () {
  this.timeout(180000);

  it('LeNet-5 in tfjs learns MNIST through the same fit(): loss falls, held-out accuracy > 80%', async () => {
    const h = await loadTf();
    const baseline = h.tf.memory().numTensors;
    const train = loadMnist({ split: 'train', limit: 2000 });
    const test = loadMnist({ split: 'test', limit: 500 });
    const model = lenet5({ rng: new Rng(0) });
    const tfModel = await tfTrainable(model, [32, 1, 28, 28], { optimizer: 'adam', lr: 2e-3, handle: h });
    const history = await fit(tfModel, train, { epochs: 1, batchSize: 32, seed: 0, progress: false });
    const losses = history.batchLoss;
    const first = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(last).to.be.below(first / 2);
    const acc = evaluate(tfModel, test).accuracy;
    expect(acc).to.be.above(0.8);
    // the trained tfjs weights come back into tscnn and give the same accuracy there
    tfModel.copyTo(model);
    expect(Math.abs(evaluate(model, test).accuracy - acc)).to.be.below(0.01);
    tfModel.dispose();
    expect(h.tf.memory().numTensors).to.equal(baseline);
  });
});
