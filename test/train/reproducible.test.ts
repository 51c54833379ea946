import { expect } from 'chai';
import { loadMnist } from '../../src/data';
import { lenet5 } from '../../src/models';
import { setWasmThreads, wasmThreadsReady } from '../../src/ops/wasm';
import { Rng } from '../../src/tensor';
import { fit } from '../../src/train';

/**
 * Deterministic by default: the same seed gives bit-identical weights, whichever fast path ran
 * and however many threads it used (dW is summed in fixed chunks, see src/ops/wasm/threads.ts).
 */
describe('seeded training is reproducible', function () {
  this.timeout(120000);
  const data = loadMnist({ split: 'train', limit: 640 });

  async function run(threads: number): Promise<Float32Array[]> {
    const prev = setWasmThreads(threads);
    try {
      if (threads > 1) await wasmThreadsReady();
      const model = lenet5({ rng: new Rng(0) });
      await fit(model, data, { epochs: 1, batchSize: 64, seed: 0, lr: 2e-3, progress: false });
      return model.parameters().map((p) => Float32Array.from(p.value.data));
    } finally {
      setWasmThreads(prev);
    }
  }

  it('LeNet-5: 10 Adam steps give identical weights on 1 thread, on 2 threads, and again', async () => {
    const a = await run(1);
    const b = await run(2);
    const c = await run(1);
    for (let i = 0; i < a.length; i++) {
      expect(Buffer.from(b[i].buffer).equals(Buffer.from(a[i].buffer)), `parameter ${i}, 2 threads vs 1`).to.equal(true);
      expect(Buffer.from(c[i].buffer).equals(Buffer.from(a[i].buffer)), `parameter ${i}, rerun`).to.equal(true);
    }
    // and training did move the weights
    const init = lenet5({ rng: new Rng(0) }).parameters()[0].value.data;
    expect(Array.from(a[0]).some((v, j) => v !== init[j])).to.equal(true);
  });
});
