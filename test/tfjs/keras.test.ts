import { expect } from 'chai';
import { copyWeightsFromKeras, copyWeightsToKeras } from '../../src/tfjs/keras';
import { loadTf } from '../../src/tfjs/backend';
import { fromTf, toTf } from '../../src/tfjs/layout';
import { lenet5 } from '../../src/models';
import { randn, seed } from '../../src/tensor';

describe('tfjs/keras: the same LeNet-5 in the Layers (Keras) API', () => {
  it('copies weights into tf.sequential LeNet-5 (channelsFirst): same outputs; and back', async function () {
    this.timeout(60000);
    const { tf } = await loadTf();
    seed(0);
    const ours = lenet5();
    const cf = { dataFormat: 'channelsFirst' as const };
    const keras = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [1, 28, 28], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', ...cf }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 2, ...cf }),
        tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...cf }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 2, ...cf }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 120, activation: 'relu' }),
        tf.layers.dense({ units: 84, activation: 'relu' }),
        tf.layers.dense({ units: 10 }),
      ],
    });
    copyWeightsToKeras(tf, ours, keras);
    const x = randn([3, 1, 28, 28]);
    const xt = toTf(tf, x, 'plain'); // channelsFirst: tscnn's NCHW as it is
    const yk = keras.predict(xt) as import('@tensorflow/tfjs').Tensor;
    const want = ours.forward(x);
    const got = fromTf(yk, 'plain');
    for (let i = 0; i < want.size; i++) expect(got.data[i]).to.be.closeTo(want.data[i], 1e-4 * Math.max(1, Math.abs(want.data[i])));
    // and back: perturb the Keras weights, copy into a fresh model, outputs agree again
    keras.setWeights(keras.getWeights().map((w) => tf.mul(w, 0.5)));
    const other = lenet5();
    copyWeightsFromKeras(keras, other);
    const y2 = fromTf(keras.predict(xt) as import('@tensorflow/tfjs').Tensor, 'plain');
    const w2 = other.forward(x);
    for (let i = 0; i < w2.size; i++) expect(y2.data[i]).to.be.closeTo(w2.data[i], 1e-4 * Math.max(1, Math.abs(w2.data[i])));
    tf.dispose([xt, yk]);
    keras.dispose();
  });

  it('refuses a Keras model with other layers, naming the weight and both shapes', async () => {
    const { tf } = await loadTf();
    const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [400], units: 7 })] });
    expect(() => copyWeightsToKeras(tf, lenet5({ init: false }), keras)).to.throw(/^copyWeightsToKeras: the tscnn model has 10 weight tensors, the Keras model 2/);
    keras.dispose();
  });
});
