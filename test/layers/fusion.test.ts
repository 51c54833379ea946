/**
 * Sequential runs a Conv2d followed by a ReLU as one fused op (src/layers/sequential.ts,
 * conv2dRelu): nothing a model computes may change by a single bit.
 */
import { expect } from 'chai';
import { Conv2d, MaxPool2d, ReLU, Sequential } from '../../src/layers';
import { lenet5 } from '../../src/models/lenet5';
import { setLayerFusion } from '../../src/layers/sequential';
import { softmaxCrossEntropy } from '../../src/ops/losses';
import { Rng, randn, Tensor } from '../../src/tensor';

const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function run(fused: boolean, net: Sequential, x: Tensor, labels: Int32Array): { y: Float32Array; grads: Float32Array[] } {
  const prev = setLayerFusion(fused);
  try {
    net.zeroGrad();
    const y = net.forward(x);
    net.backward(softmaxCrossEntropy(y, labels).dlogits);
    return { y: Float32Array.from(y.data), grads: net.parameters().map((p) => Float32Array.from(p.grad.data)) };
  } finally {
    setLayerFusion(prev);
  }
}

describe('layers/conv + ReLU fusion in Sequential', () => {
  it('LeNet-5 (direct convs): same logits and parameter gradients fused and unfused', () => {
    const net = lenet5({ rng: new Rng(4) });
    const x = randn([6, 1, 28, 28], { rng: new Rng(5) });
    const labels = Int32Array.from([3, 1, 4, 1, 5, 9]);
    const a = run(true, net, x, labels);
    const b = run(false, net, x, labels);
    expect(same(a.y, b.y), 'logits').to.equal(true);
    a.grads.forEach((g, i) => expect(same(g, b.grads[i]), `grad ${i}`).to.equal(true));
  });

  it('Winograd and strided GEMM convs, a ReLU last, and the ReLU layer\'s own backward', () => {
    const rng = new Rng(6);
    const net = new Sequential(
      new Conv2d(3, 16, 3, { padding: 1, rng }), new ReLU(), // direct
      new Conv2d(16, 16, 3, { padding: 1, rng }), new ReLU(), // Winograd
      new Conv2d(16, 8, 3, { stride: 2, rng }), new ReLU(), new MaxPool2d(2), // im2col + GEMM
      new Conv2d(8, 10, 1, { rng }), new ReLU(), // 1×1, the model's output after a fused ReLU
    );
    const x = randn([2, 3, 30, 30], { rng });
    const y = net.forward(x);
    expect(y.shape).to.deep.equal([2, 10, 7, 7]);
    const dy = randn(y.shape, { rng });
    const grads = (fused: boolean) => {
      const prev = setLayerFusion(fused);
      try {
        net.zeroGrad();
        const out = net.forward(x);
        const dx = net.backward(dy);
        return [out.data, dx.data, ...net.parameters().map((p) => p.grad.data)].map((a) => Float32Array.from(a));
      } finally {
        setLayerFusion(prev);
      }
    };
    const a = grads(true);
    const b = grads(false);
    a.forEach((g, i) => expect(same(g, b[i]), `array ${i}`).to.equal(true));
  });
});
