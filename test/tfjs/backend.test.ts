import { expect } from 'chai';
import { loadTf, setTfBackend } from '../../src/tfjs/backend';

describe('tfjs backend selection', function () {
  this.timeout(60000);
  after(async () => {
    await loadTf('wasm').catch(() => loadTf('cpu'));
  });

  it('picks the first backend that loads and names it (wasm here: tfjs-node cannot install offline)', async () => {
    const h = await loadTf();
    expect(['node-gpu', 'node', 'wasm', 'cpu']).to.include(h.backend);
    expect(h.describe()).to.match(new RegExp(`^tfjs 4\\.\\d+\\.\\d+ · ${h.backend}`));
    if (h.backend === 'wasm') {
      expect(h.addedKernels).to.include('Conv2DBackpropFilter');
      expect(h.describe()).to.contain('tscnn added: Conv2DBackpropFilter');
    }
  });

  it('can be forced to cpu and says so; rejects unknown names', async () => {
    const h = await setTfBackend('cpu');
    expect(h.backend).to.equal('cpu');
    expect(h.tf.getBackend()).to.equal('cpu');
    await setTfBackend('nope' as never).then(
      () => expect.fail('should throw'),
      (e: Error) => expect(e.message).to.match(/^setTfBackend: name must be one of node-gpu, node, wasm, cpu, got 'nope'/),
    );
  });

  it('does not print the "install tfjs-node" banner', async () => {
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (...a: unknown[]) => void warnings.push(a.join(' '));
    try {
      const h = await setTfBackend('cpu');
      h.tf.tensor([1, 2, 3]).dispose();
    } finally {
      console.warn = orig;
    }
    expect(warnings.join('\n')).to.not.match(/looks like you are running TensorFlow\.js in Node/);
  });

  it('wasm: conv2d gradients work (dW kernel added) and match cpu', async () => {
    const grads = async (b: 'wasm' | 'cpu') => {
      const { tf } = await loadTf(b);
      return tf.tidy(() => {
        const x = tf.tensor4d(Array.from({ length: 2 * 6 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 6, 5, 3]);
        const w = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
        const [, dw] = tf.grads((a: any, b2: any) => tf.conv2d(a, b2, 2, 'same').square().sum())([x, w]);
        return Array.from(dw.dataSync());
      });
    };
    const wasm = await grads('wasm');
    const cpu = await grads('cpu');
    expect(wasm.length).to.equal(108);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i])).to.be.below(1e-3 * Math.max(1, Math.abs(cpu[i])));
  });

  it('wasm: max-pool gradient of an all-negative window goes to its max (tfjs-wasm kernel replaced)', async () => {
    const { tf, replacedKernels } = await loadTf('wasm');
    expect(replacedKernels).to.include('MaxPoolGrad');
    const g = tf.tidy(() => {
      const x = tf.tensor4d([-1.15, -0.05, -0.15, -0.7], [1, 2, 2, 1]);
      return Array.from(tf.grad((z: any) => tf.maxPool(z, 2, 2, 'valid').sum())(x).dataSync());
    });
    expect(g).to.deep.equal([0, 1, 0, 0]);
  });
});
