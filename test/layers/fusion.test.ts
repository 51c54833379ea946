/**
 * Sequential runs a Conv2d followed by a ReLU as one fused op (src/layers/sequential.ts,
 * conv2dRelu): nothing a model computes may change by a single bit.
 */
import { expect } from 'chai';
import { Conv2d, MaxPool2d, ReLU, Sequential } from '../../src/layers';
import { lenet5 } from '../../src/models/lenet5';
import { setLayerFusion } from '../../src/layers/sequential';
import { softmaxCrossEntropy } from '../../src/ops/losses';
import { conv2dBackwardThroughPool, conv2dReluPool } from '../../src/ops/conv-fused';
import { getOpsImpl, setOpsImpl } from '../../src/ops/engine';
import { Rng, randn, Tensor } from '../../src/tensor';
import { conv2dBackward, conv2dGradBias } from '../../src/ops/conv2d';
import { reluBackward } from '../../src/ops/activations';
import { maxPool2dBackward } from '../../src/ops/pool-max';
import { fastPathInfo } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';

const wasmThreadsUsable = () => fastPathInfo() === 'wasm-simd';

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

  it('conv → ReLU → 2×2 pooling on odd sizes, in every engine, with backwardParams: the same bits', () => {
    for (const impl of ['auto', 'js', 'naive'] as const) {
      const prevImpl = getOpsImpl();
      setOpsImpl(impl);
      try {
        const rng = new Rng(7);
        // 15×13 input, 3×3 valid conv → 13×11 → pooled 6×5 (the last row and column dropped)
        const net = new Sequential(new Conv2d(2, 12, 3, { rng }), new ReLU(), new MaxPool2d(2), new Conv2d(12, 5, 3, { padding: 1, rng }), new ReLU(), new MaxPool2d(2));
        const x = randn([3, 2, 15, 13], { rng });
        x.data[17] = NaN; // a NaN wins its window and propagates, fused or not
        const dyShape = net.outputShape(x.shape);
        const dy = randn(dyShape, { rng });
        const grads = (fused: boolean, paramsOnly: boolean) => {
          const prev = setLayerFusion(fused);
          try {
            net.zeroGrad();
            const out = net.forward(x);
            const dx = paramsOnly ? null : net.backward(dy);
            if (paramsOnly) net.backwardParams(dy);
            return [out.data, ...(dx ? [dx.data] : []), ...net.parameters().map((p) => p.grad.data)].map((a) => Float32Array.from(a));
          } finally {
            setLayerFusion(prev);
          }
        };
        for (const paramsOnly of [false, true]) {
          const a = grads(true, paramsOnly);
          const b = grads(false, paramsOnly);
          a.forEach((g, i) => expect(same(g, b[i]), `${impl}, paramsOnly ${paramsOnly}, array ${i}`).to.equal(true));
        }
      } finally {
        setOpsImpl(prevImpl);
      }
    }
  });

  it('after a fused forward, the ReLU and pooling layers still run their own backward (their caches are whole)', () => {
    const rng = new Rng(8);
    const conv = new Conv2d(1, 4, 3, { rng });
    const act = new ReLU();
    const pool = new MaxPool2d(2);
    const net = new Sequential(conv, act, pool);
    const x = randn([2, 1, 10, 10], { rng });
    const y = net.forward(x);
    const dy = randn(y.shape, { rng });
    const viaLayers = conv.backward(act.backward(pool.backward(dy)));
    const prev = setLayerFusion(false);
    try {
      const ref = new Sequential(conv, act, pool);
      const y2 = ref.forward(x);
      expect(same(y.data, y2.data)).to.equal(true);
      const want = conv.backward(act.backward(pool.backward(dy)));
      expect(same(viaLayers.data, want.data)).to.equal(true);
    } finally {
      setLayerFusion(prev);
    }
  });

  it('a pooling that does not fit reports itself, as unfused', () => {
    const net = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2));
    const msg = (fused: boolean) => {
      const prev = setLayerFusion(fused);
      try {
        net.forward(randn([1, 1, 3, 3], { rng: new Rng(1) }));
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      } finally {
        setLayerFusion(prev);
      }
    };
    expect(msg(true)).to.equal(msg(false));
    expect(msg(true)).to.match(/MaxPool2d/);
  });

  it('the fused backward refuses an index outside its pooling window, naming it (wasm and JS)', () => {
    for (const impl of ['wasm', 'js'] as const) {
      const rng = new Rng(9);
      const x = randn([1, 2, 6, 6], { rng });
      const w = randn([4, 2, 3, 3], { rng });
      const opts = { padding: 1, impl };
      const r = conv2dReluPool(x, w, null, opts);
      const indices = Int32Array.from(r.indices);
      indices[5] = 0; // window 5 of plane 0 is at (0, 4)…(1, 5): pixel 0 is not in it
      const g = { dy: randn(r.pooled.shape, { rng }), indices, pooled: r.pooled };
      expect(() => conv2dBackwardThroughPool(g, x, w, opts), impl).to.throw(/conv2dBackward: pooling index 0 at position 5 is not in its 2×2 window of the 6×6 plane/);
      expect(conv2dBackwardThroughPool({ ...g, indices: r.indices }, x, w, opts).dx?.shape).to.deep.equal([1, 2, 6, 6]);
    }
  });

  it('the fused backward rebuilds dy inside the conv backward\'s own chunks: the bits of 1 thread on 2, each path, a stray index still caught', async function () {
    this.timeout(20000);
    if (getOpsImpl() === 'naive' || !wasmThreadsUsable()) this.skip();
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // the main thread waits for the worker to claim a chunk first
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      // LeNet-5's C3 (dX by GEMM and dW direct in one job), its C1 without dX (dW job),
      // a direct dX (8 channels, padded: dy rebuilt in a job of its own), a Winograd one
      for (const [xs, ws, padding, gradInput] of [[[16, 6, 14, 14], [16, 6, 5, 5], 0, true], [[16, 1, 28, 28], [6, 1, 5, 5], 2, false], [[16, 8, 12, 12], [16, 8, 3, 3], 1, true], [[8, 16, 16, 16], [16, 16, 3, 3], 1, true]] as const) {
        const rng = new Rng(xs[1] * 31 + ws[0]);
        const x = randn([...xs], { rng });
        const w = randn([...ws], { rng });
        const opts = { padding, impl: 'wasm' as const };
        const r = conv2dReluPool(x, w, null, opts);
        const g = { dy: randn(r.pooled.shape, { rng }), indices: r.indices, pooled: r.pooled };
        const at = async (threads: number) => {
          setWasmThreads(threads);
          expect(await wasmThreadsReady()).to.equal(threads);
          return conv2dBackwardThroughPool(g, x, w, opts, gradInput);
        };
        const one = await at(1);
        // another dy through the same arena first, so a chunk whose dy were not rebuilt would show
        conv2dBackwardThroughPool({ ...g, dy: randn(r.pooled.shape, { rng }) }, x, w, opts, gradInput);
        const two = await at(2);
        const name = `x [${xs.join(', ')}] w [${ws.join(', ')}]`;
        expect(same(two.dw.data, one.dw.data), `${name}: dw`).to.equal(true);
        expect(same(two.db.data, one.db.data), `${name}: db`).to.equal(true);
        if (gradInput) expect(same(two.dx!.data, one.dx!.data), `${name}: dx`).to.equal(true);
        else expect(two.dx).to.equal(null);
        // the same bits as ReLU and pooling backward unfused, then the conv's backward
        const dyConv = reluBackward(maxPool2dBackward(g.dy, r.y, { kernelSize: 2, stride: 2 }, r.indices), r.y);
        const ref = conv2dBackward(dyConv, x, w, opts);
        expect(same(two.dw.data, ref.dw.data), `${name}: dw as unfused`).to.equal(true);
        // db from each chunk's row sums: the bits of the one-call conv2dGradBias
        expect(same(two.db.data, conv2dGradBias(dyConv, { impl: 'wasm' }).data), `${name}: db as conv2dGradBias`).to.equal(true);
        // a stray index in the last image's last plane: found by whichever thread rebuilt that chunk
        const indices = Int32Array.from(r.indices);
        const k = indices.length - 1;
        indices[k] = 0;
        expect(() => conv2dBackwardThroughPool({ ...g, indices }, x, w, opts, gradInput), name).to.throw(new RegExp(`conv2dBackward: pooling index 0 at position ${k} is not in its 2×2 window`));
      }
      expect(wasmWorkerJobs(), 'the worker ran chunks').to.be.greaterThan(before);
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
