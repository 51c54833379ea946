/**
 * Recycled activation/gradient storage (src/tensor/buffers.ts, Sequential) and
 * Sequential.backwardParams: neither may change a single bit of what a model computes, and
 * nothing a caller holds may be overwritten.
 */
import { expect } from 'chai';
import { Add, Conv2d, Flatten, Identity, Linear, MaxPool2d, ReLU, Sequential } from '../../src/layers';
import { lenet5 } from '../../src/models/lenet5';
import { getOpsImpl, setOpsImpl } from '../../src/ops/engine';
import { softmaxCrossEntropy } from '../../src/ops/losses';
import { SGD } from '../../src/optim/sgd';
import { allocFloat32, bufferPoolStats, recycleFloat32, Rng, randn, setBufferRecycling, Tensor } from '../../src/tensor';
import { ModuleTrainable } from '../../src/train/trainable';
import { poolCapBytes, setPoolIdleTrimMs, trimBufferPool } from '../../src/tensor/buffers';
import { totalmem } from 'os';

const labels = Int32Array.from({ length: 8 }, (_, i) => (i * 3) % 10);

function trainWeights(steps: number): Float32Array[] {
  const net = lenet5({ rng: new Rng(5) });
  const tr = new ModuleTrainable(net, new SGD(net, { lr: 0.05, momentum: 0.9 }));
  for (let s = 0; s < steps; s++) tr.trainStep(randn([8, 1, 28, 28], { rng: new Rng(100 + s) }), labels);
  return net.parameters().map((p) => Float32Array.from(p.value.data));
}

function expectSameBits(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).to.equal(b.length);
  a.forEach((v, i) => expect(Buffer.from(v.buffer).equals(Buffer.from(b[i].buffer)), `parameter ${i}`).to.equal(true));
}

describe('layers/recycled buffers and backwardParams', () => {
  it('LeNet-5 trains to the same bits with recycling on and off', () => {
    const before = bufferPoolStats().reused;
    const on = trainWeights(4);
    expect(bufferPoolStats().reused, 'the free list served allocations').to.be.greaterThan(before);
    const prev = setBufferRecycling(false);
    try {
      expectSameBits(trainWeights(4), on);
    } finally {
      setBufferRecycling(prev);
    }
  });

  for (const impl of ['wasm', 'js', 'naive'] as const) {
    it(`backwardParams accumulates the same parameter gradients as backward (${impl})`, function () {
      if (impl === 'wasm' && getOpsImpl() !== 'auto') this.skip();
      const prev = getOpsImpl();
      setOpsImpl(impl === 'wasm' ? 'auto' : impl);
      try {
        const x = randn([4, 1, 28, 28], { rng: new Rng(9) });
        const grads = (useParamsOnly: boolean) => {
          const net = lenet5({ rng: new Rng(3) });
          const { dlogits } = softmaxCrossEntropy(net.forward(x), labels.subarray(0, 4));
          if (useParamsOnly) net.backwardParams(dlogits);
          else net.backward(dlogits);
          return net.parameters().map((p) => Float32Array.from(p.grad.data));
        };
        expectSameBits(grads(true), grads(false));
      } finally {
        setOpsImpl(prev);
      }
    });
  }

  it('never recycles what the caller holds: input, output, input gradient, pass-through outputs', () => {
    const rng = new Rng(11);
    // Identity last: the output IS the conv's output; Flatten/Identity first: pass-through of x.
    const net = new Sequential(new Identity(), new Conv2d(2, 3, 3, { rng }), new ReLU(), new MaxPool2d(2), new Identity());
    const x = randn([2, 2, 30, 30], { rng }); // every intermediate ≥ 1024 floats: all recycled
    const xCopy = x.clone();
    const y = net.forward(x);
    const yCopy = y.clone();
    const dy = randn(y.shape, { rng });
    const dyCopy = dy.clone();
    const dx = net.backward(dy);
    const dxCopy = dx.clone();
    // more steps on other data: recycled storage gets reused and overwritten
    for (let s = 0; s < 3; s++) {
      const y2 = net.forward(randn(x.shape, { rng }));
      net.backward(randn(y2.shape, { rng }));
    }
    for (const [got, want, name] of [[x, xCopy, 'x'], [y, yCopy, 'y'], [dy, dyCopy, 'dy'], [dx, dxCopy, 'dx']] as [Tensor, Tensor, string][]) {
      expect(Array.from(got.data), name).to.deep.equal(Array.from(want.data));
    }
  });

  it('a Sequential inside a branch keeps the parent\'s gradient intact (Add of two Sequentials)', () => {
    const rng = new Rng(12);
    const block = () => new Sequential(new Linear(40, 40, { rng }), new ReLU(), new Linear(40, 40, { rng }));
    const net = new Sequential(new Flatten(), new Add([block(), block()]), new ReLU(), new Linear(40, 5, { rng }));
    const x = randn([30, 4, 2, 5], { rng });
    const run = () => {
      const y = net.forward(x);
      net.zeroGrad();
      net.backward(Tensor.prototype.clone.call(y));
      return net.parameters().map((p) => Float32Array.from(p.grad.data));
    };
    const first = run();
    const prev = setBufferRecycling(false);
    try {
      expectSameBits(run(), first);
    } finally {
      setBufferRecycling(prev);
    }
    expectSameBits(run(), first);
  });

  it('the free list hands out a recycled buffer zeroed, and never the same buffer twice', () => {
    const a = allocFloat32(5000);
    a.fill(7);
    recycleFloat32(a);
    recycleFloat32(a); // a second recycle of the same buffer is ignored
    const b = allocFloat32(5000);
    const c = allocFloat32(5000);
    expect(b).to.equal(a);
    expect(c).to.not.equal(a);
    expect(b.every((v) => v === 0)).to.equal(true);
    // views, small arrays and shared memory are never pooled
    const held = bufferPoolStats().pooledBytes;
    const big = new Float32Array(10000);
    recycleFloat32(big.subarray(0, 5000));
    recycleFloat32(new Float32Array(100));
    recycleFloat32(new Float32Array(new SharedArrayBuffer(4 * 5000)));
    expect(bufferPoolStats().pooledBytes).to.equal(held);
  });

  it('caps the pool at a quarter of the memory the process may use (cgroup limit when lower), at least 256 MiB', () => {
    const GiB = 1024 ** 3;
    expect(poolCapBytes(24 * GiB, 0)).to.equal(6 * GiB);
    expect(poolCapBytes(24 * GiB, 2 * GiB)).to.equal(0.5 * GiB);
    expect(poolCapBytes(24 * GiB, 64 * GiB)).to.equal(6 * GiB);
    expect(poolCapBytes(0.5 * GiB, 0)).to.equal(0.25 * GiB);
    expect(bufferPoolStats().capBytes).to.be.at.least(Math.min(totalmem() / 4, 0.25 * GiB));
  });

  it('pools a feature map bigger than the old 256 MiB cap in all (VGG16: 100 MB each)', () => {
    if (bufferPoolStats().capBytes < 512 * 1024 ** 2) return; // a small machine keeps the old cap
    trimBufferPool();
    const n = 40 * 1024 * 1024; // 160 MiB
    const a = allocFloat32(n, false);
    const b = allocFloat32(n, false);
    recycleFloat32(a);
    recycleFloat32(b); // 320 MiB pooled: over the old cap
    expect(bufferPoolStats().pooledBytes).to.equal(8 * n);
    expect(allocFloat32(n, false)).to.equal(b);
    expect(allocFloat32(n, false)).to.equal(a);
  });

  it('an idle pool empties itself, a used one stays', async () => {
    const prev = setPoolIdleTrimMs(60);
    try {
      trimBufferPool();
      recycleFloat32(new Float32Array(4096));
      expect(bufferPoolStats().pooledBytes).to.equal(4 * 4096);
      // keep it busy for 3 idle periods: still there
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 30));
        recycleFloat32(allocFloat32(4096));
      }
      expect(bufferPoolStats().pooledBytes).to.equal(4 * 4096);
      await new Promise((r) => setTimeout(r, 200));
      expect(bufferPoolStats().pooledBytes).to.equal(0);
    } finally {
      setPoolIdleTrimMs(prev);
    }
  });
});
