import { expect } from 'chai';
import { Rng, Tensor, randn, tensor, zeros } from '../../src/tensor';
import { numericGrads } from './numeric-grads';
import { engineGemm, type Impl } from '../../src/ops/engine';
import { linear, linearBackward, linearBackwardFast, linearBackwardNaive, linearFast, linearNaive, linearSpecs } from '../../src/ops/linear';
import { fastPathInfo } from '../../src/ops/wasm/runtime';
import { gemmWasm } from '../../src/ops/wasm/gemm';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).to.deep.equal(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** Element i is ((i·a) mod m − s) / d: the inputs of the PyTorch reference script. */
function pattern(shape: number[], a: number, m: number, s: number, d: number): Tensor {
  const n = shape.reduce((p, v) => p * v, 1);
  return tensor(Array.from({ length: n }, (_, i) => (((i * a) % m) - s) / d), shape);
}


/** The fast path's GEMM engines: plain JS always, WebAssembly SIMD where its module loaded. */
const ENGINES: ('js' | 'wasm')[] = fastPathInfo() === 'wasm-simd' ? ['js', 'wasm'] : ['js'];
const IMPLS: Impl[] = ['naive', ...ENGINES];
const spec = linearSpecs[0];

describe('linear', () => {
  for (const impl of IMPLS) {
    it(`computes x·wᵀ + b by hand (${impl})`, () => {
      // [1, 2, 3]·[1, 0, -1] + 0.5 = -1.5; [1, 2, 3]·[2, 2, 2] − 1 = 11; row 2: [0, 1, 0] → 0.5, 1
      const x = tensor([[1, 2, 3], [0, 1, 0]]);
      const w = tensor([[1, 0, -1], [2, 2, 2]]);
      const y = linear(x, w, tensor([0.5, -1]), { impl });
      expect(y.toArray()).to.deep.equal([[-1.5, 11], [0.5, 1]]);
      expect(linear(x, w, null, { impl }).toArray()).to.deep.equal([[-2, 12], [0, 2]]);
    });

    it(`matches PyTorch F.linear and autograd on pattern inputs (${impl})`, () => {
      // /usr/bin/python3: x = ((7i) mod 11 − 5)/4 [3,4], w = ((5i) mod 9 − 4)/3 [2,4], b = (i mod 3 − 1)/2,
      // y = F.linear(x, w, b); (y * dy).sum().backward() with dy = ((3i) mod 7 − 3)/2.
      const x = pattern([3, 4], 7, 11, 5, 4);
      const w = pattern([2, 4], 5, 9, 4, 3);
      const b = tensor([-0.5, 0]);
      const y = linear(x, w, b, { impl });
      const close = (t: Tensor, want: number[]) => want.forEach((v, i) => expect(Math.abs(t.data[i] - v), `${t.data[i]} vs ${v}`).to.be.below(2e-5));
      close(y, [2.66667, 3.16667, -2.08333, -1.25, 0.5, -0.16667]);
      const g = linearBackward(pattern([3, 2], 3, 7, 3, 2), x, w, { impl });
      close(g.dx, [2.0, -0.5, 1.5, -1.0, -1.66667, 0.0, -1.33333, 0.33333, -0.66667, -0.66667, -0.66667, -0.66667]);
      close(g.dw, [1.25, -1.125, 2.0, -3.125, 0.875, -0.375, -0.25, 1.25]);
      close(g.db, [1.0, -1.5]);
    });
  }

  for (const engine of ENGINES) it(`fast agrees with naive on bigger random shapes, crossing GEMM blocks (${engine})`, () => {
    const mm = engineGemm(engine);
    const rng = new Rng(2);
    for (const [n, i, o] of [[1, 1, 1], [7, 300, 70], [130, 33, 5]]) {
      const x = randn([n, i], { rng });
      const w = randn([o, i], { rng });
      const b = randn([o], { rng });
      expect(maxAbsDiff(linearFast(x, w, b, mm), linearNaive(x, w, b))).to.be.below(1e-4);
      const dy = randn([n, o], { rng });
      const gf = linearBackwardFast(dy, x, w, mm);
      const gn = linearBackwardNaive(dy, x, w);
      expect(maxAbsDiff(gf.dx, gn.dx)).to.be.below(1e-4);
      expect(maxAbsDiff(gf.dw, gn.dw)).to.be.below(1e-4);
      expect(maxAbsDiff(gf.db, gn.db)).to.be.below(1e-4);
    }
  });;

  for (const impl of IMPLS) {
    for (const c of spec.cases) {
      it(`backward matches central differences: ${c.name} (${impl})`, () => {
        const rng = new Rng(4);
        const inputs = c.shapes.map((s) => randn(s, { rng }));
        const attrs = { impl };
        const y = spec.forward(inputs, attrs);
        const r = randn(y.shape, { rng });
        const analytic = spec.backward(r, inputs, attrs);
        expect(analytic.length).to.equal(inputs.length);
        const numeric = numericGrads((ins) => spec.forward(ins, attrs), inputs, r);
        numeric.forEach((g, k) => {
          for (let i = 0; i < g.length; i++) {
            expect(Math.abs(analytic[k]!.data[i] - g[i]), `d${spec.inputs[k]}[${i}]`).to.be.below(1e-3 * Math.max(1, Math.abs(g[i])));
          }
        });
      });
    }
  }

  it('rejects bad shapes, naming the op and the shapes', () => {
    const x = zeros([2, 3]);
    const w = zeros([4, 3]);
    expect(() => linear(zeros([2, 3, 1]), w, null)).to.throw(/^linear: x must be rank 2 \[N, in\], got shape \[2, 3, 1\]/);
    expect(() => linear(x, zeros([4]), null)).to.throw(/^linear: w must be rank 2 \[out, in\], got shape \[4\]/);
    expect(() => linear(x, zeros([4, 5]), null)).to.throw(/^linear: in-features mismatch: x \[2, 3\] has 3 features but w \[4, 5\] expects 5/);
    expect(() => linear(x, w, zeros([3]))).to.throw(/^linear: b must have shape \[out\] = \[4\] for w \[4, 3\], got \[3\]/);
    expect(() => linearBackward(zeros([2, 3]), x, w)).to.throw(/^linearBackward: dy must have the output shape \[2, 4\] of linear\(x \[2, 3\], w \[4, 3\]\), got \[2, 3\]/);
    expect(() => linear(x, w, null, { impl: 'gpu' as 'fast' })).to.throw(/^linear: impl must be one of/);
  });
});

describe('linear backward in wasm: dX and dW side by side in one job', function () {
  this.timeout(20000);
  if (fastPathInfo() !== 'wasm-simd') return;

  it('gives the bits of two gemmWasm calls, on 1 and 2 threads, and the worker runs a share', async () => {
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // the main thread waits for the worker to claim a chunk first
    try {
      const before = wasmWorkerJobs();
      // LeNet-5's fc1 / fc2 at batch 32 (2 threads from 2 MFLOP), In < 16 (one part a GEMM),
      // odd sizes crossing the 8-wide panels, one row, and a W over 2²² weights (two gemmWasm calls)
      for (const [n, i, o] of [[32, 400, 120], [32, 120, 84], [64, 1000, 3], [33, 17, 9], [7, 13, 5], [1, 40, 1], [3, 2101, 2000]]) {
        const rng = new Rng(n * i + o);
        const x = randn([n, i], { rng });
        const w = randn([o, i], { rng });
        const dy = randn([n, o], { rng });
        const want = linearBackwardFast(dy, x, w, gemmWasm);
        for (const threads of [1, 2]) {
          setWasmThreads(threads);
          expect(await wasmThreadsReady()).to.equal(threads);
          const got = linearBackward(dy, x, w, { impl: 'wasm' });
          for (const k of ['dx', 'dw', 'db'] as const) {
            expect(Buffer.from(got[k].data.buffer, got[k].data.byteOffset, got[k].data.byteLength).equals(Buffer.from(want[k].data.buffer, want[k].data.byteOffset, want[k].data.byteLength)), `${k} of [${n}, ${i}] → ${o} on ${threads} thread(s)`).to.equal(true);
          }
          expect(maxAbsDiff(got.dw, linearBackwardNaive(dy, x, w).dw)).to.be.below(1e-4);
        }
      }
      expect(wasmWorkerJobs(), 'the worker ran chunks').to.be.greaterThan(before);
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
