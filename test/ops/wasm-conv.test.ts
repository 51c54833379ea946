import { expect } from 'chai';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, Conv2dOptions, conv2dSpecs } from '../../src/ops/conv2d';
import { gemm, gemmNaive } from '../../src/ops/gemm';
import type { Impl } from '../../src/ops/engine';
import { linear, linearBackward } from '../../src/ops/linear';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { othersBusy, othersBusyCores, setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';
import { Rng, Tensor, randn } from '../../src/tensor';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

/** max |a − b| / max(1, max |b|). */
function rel(a: Tensor, b: Tensor): number {
  expect(a.shape).to.deep.equal(b.shape);
  let d = 0;
  let s = 1;
  for (let i = 0; i < a.size; i++) {
    d = Math.max(d, Math.abs(a.data[i] - b.data[i]));
    s = Math.max(s, Math.abs(b.data[i]));
  }
  return d / s;
}

const FAST: Impl[] = ['wasm', 'js'];

describe('wasm conv2d / linear: both fast engines agree with the naive loops', function () {
  this.timeout(180000);
  before(() => {
    build({ quiet: true });
    reloadWasmKernels(); // an earlier test file may have looked for it before it was built
    expect(fastPathInfo()).to.equal('wasm-simd');
  });

  // Every registry case (padding, stride, dilation, groups, 1×1) plus the LeNet layers.
  const cases: { name: string; x: number[]; w: number[]; opts: Conv2dOptions; bias: boolean }[] = [
    ...conv2dSpecs[0].cases.map((c) => ({ name: c.name, x: c.shapes[0], w: c.shapes[1], opts: c.attrs, bias: c.shapes.length > 2 })),
    { name: 'LeNet C1 x=[4,1,28,28] w=[6,1,5,5]', x: [4, 1, 28, 28], w: [6, 1, 5, 5], opts: {}, bias: true },
    { name: 'LeNet C3 x=[4,6,14,14] w=[16,6,5,5]', x: [4, 6, 14, 14], w: [16, 6, 5, 5], opts: {}, bias: true },
    { name: 'x=[2,20,9,9] w=[12,20,3,3] p=1 (K = 180, ragged tiles)', x: [2, 20, 9, 9], w: [12, 20, 3, 3], opts: { padding: 1 }, bias: true },
    { name: '1×1 x=[2,8,6,6] w=[9,8,1,1]', x: [2, 8, 6, 6], w: [9, 8, 1, 1], opts: {}, bias: false },
    // dW by dot products (CoutG·K ≤ 512): odd rows (5), columns past the 2×4 blocks (K = 18),
    // an odd pixel count per image (7·7 = 49: the scalar tail of each dot)
    { name: 'small dW x=[3,2,9,9] w=[5,2,3,3] (dot-product dW, M and L odd)', x: [3, 2, 9, 9], w: [5, 2, 3, 3], opts: {}, bias: true },
    { name: 'LeNet C1 padded x=[3,1,28,28] w=[6,1,5,5] p=2', x: [3, 1, 28, 28], w: [6, 1, 5, 5], opts: { padding: 2 }, bias: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Rng(42);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = c.bias ? randn([c.w[0]], { rng }) : null;
      const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
      const ref = { y: conv2d(x, w, b, { ...c.opts, impl: 'naive' }), ...conv2dBackward(dy, x, w, { ...c.opts, impl: 'naive' }) };
      for (const impl of FAST) {
        const o = { ...c.opts, impl };
        expect(rel(conv2d(x, w, b, o), ref.y), `${impl} y`).to.be.below(1e-5);
        expect(rel(conv2dGradInput(dy, x, w, o), ref.dx), `${impl} dx`).to.be.below(1e-5);
        expect(rel(conv2dGradWeight(dy, x, w, o), ref.dw), `${impl} dw`).to.be.below(1e-5);
        const all = conv2dBackward(dy, x, w, o);
        expect(rel(all.dx, ref.dx), `${impl} bwd dx`).to.be.below(1e-5);
        expect(rel(all.dw, ref.dw), `${impl} bwd dw`).to.be.below(1e-5);
        expect(rel(all.db, ref.db), `${impl} bwd db`).to.be.below(1e-5);
      }
    });
  }

  it('a worked example: 1×1×3×3 input, 2×2 kernel of ones, bias 0.5 → window sums + 0.5', () => {
    const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
    const w = new Tensor(Float32Array.from([1, 1, 1, 1]), [1, 1, 2, 2]);
    const b = new Tensor(Float32Array.from([0.5]), [1]);
    expect(Array.from(conv2d(x, w, b, { impl: 'wasm' }).data)).to.deep.equal([12.5, 16.5, 24.5, 28.5]);
  });

  it('splits the batch across 2 threads (a worker on the shared memory) and agrees with 1 thread and the loops', async () => {
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // the main thread waits for the worker to claim a chunk first: it must run
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const rng = new Rng(8);
      // 5 images (odd: unequal shares), 2·5·16·16·16·(8·3·3) ≈ 2.9 MFLOP per pass: above the 2 MFLOP split threshold
      const opts: Conv2dOptions = { padding: 1 };
      const x = randn([5, 8, 16, 16], { rng });
      const w = randn([16, 8, 3, 3], { rng });
      const b = randn([16], { rng });
      const dy = randn([5, 16, 16, 16], { rng });
      // each op's chunks are shared out: with takeover off the worker claims the first one
      let jobs = wasmWorkerJobs();
      const ran = (what: string) => {
        const now = wasmWorkerJobs();
        expect(now - jobs, `chunks of ${what} run by the worker`).to.be.greaterThan(0);
        jobs = now;
      };
      const y2 = conv2d(x, w, b, { ...opts, impl: 'wasm' });
      ran('the forward');
      const two = { y: y2, ...conv2dBackward(dy, x, w, { ...opts, impl: 'wasm' }) };
      ran('the backward (dX and dW of an image in one kernel)');
      const dxAlone = conv2dGradInput(dy, x, w, { ...opts, impl: 'wasm' });
      ran('dX alone');
      const dwAlone = conv2dGradWeight(dy, x, w, { ...opts, impl: 'wasm' });
      ran('dW alone');
      setWasmThreads(1);
      const one = { y: conv2d(x, w, b, { ...opts, impl: 'wasm' }), ...conv2dBackward(dy, x, w, { ...opts, impl: 'wasm' }) };
      expect(wasmWorkerJobs()).to.equal(jobs);
      // the fused backward gives the bits of the separate kernels
      expect(Array.from(dxAlone.data)).to.deep.equal(Array.from(one.dx.data));
      expect(Array.from(dwAlone.data)).to.deep.equal(Array.from(one.dw.data));
      const ref = { y: conv2d(x, w, b, { ...opts, impl: 'naive' }), ...conv2dBackward(dy, x, w, { ...opts, impl: 'naive' }) };
      for (const k of ['y', 'dx', 'dw', 'db'] as const) {
        expect(rel(two[k], ref[k]), `2 threads ${k}`).to.be.below(1e-5);
        expect(rel(one[k], ref[k]), `1 thread ${k}`).to.be.below(1e-5);
      }
      // forward and dx: each image is computed by exactly one thread the same way → identical bits
      expect(Array.from(two.y.data)).to.deep.equal(Array.from(one.y.data));
      expect(Array.from(two.dx.data)).to.deep.equal(Array.from(one.dx.data));
      // dW sums over images in fixed chunks whatever the thread count: identical bits too, so a
      // seeded training run is reproducible however busy the machine is
      expect(Array.from(two.dw.data)).to.deep.equal(Array.from(one.dw.data));
      // with takeover on, whoever claims first runs a chunk: same bits however the chunks fell
      setWasmThreads(2);
      setWasmTakeover(true);
      for (let rep = 0; rep < 5; rep++) {
        const again = { y: conv2d(x, w, b, { ...opts, impl: 'wasm' }), ...conv2dBackward(dy, x, w, { ...opts, impl: 'wasm' }) };
        expect(Array.from(again.y.data)).to.deep.equal(Array.from(one.y.data));
        expect(Array.from(again.dx.data)).to.deep.equal(Array.from(one.dx.data));
        expect(Array.from(again.dw.data)).to.deep.equal(Array.from(one.dw.data));
      }
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });

  it('splits the output channels of a batch of 1 or 2 across 2 threads (GEMM, direct and Winograd forwards; Winograd dX): same bits as 1 thread', async () => {
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // the worker claims the first chunk
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const rng = new Rng(12);
      const cases: { x: number[]; w: number[]; opts: Conv2dOptions; what: string }[] = [
        { x: [1, 32, 30, 30], w: [30, 32, 3, 3], opts: { stride: 2 }, what: 'im2col + GEMM, Cout 30 (parts 0–16, 16–30)' },
        { x: [1, 6, 40, 40], w: [22, 6, 5, 5], opts: {}, what: 'direct, Cout 22' },
        { x: [2, 24, 24, 24], w: [20, 24, 3, 3], opts: { padding: 1 }, what: 'Winograd, batch 2, Cout 20' },
      ];
      for (const c of cases) {
        const x = randn(c.x, { rng });
        const w = randn(c.w, { rng });
        const b = randn([c.w[0]], { rng });
        const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
        const o = { ...c.opts, impl: 'wasm' as const };
        setWasmThreads(2);
        expect(await wasmThreadsReady()).to.equal(2); // setWasmThreads(1) below ends the worker
        const jobs = wasmWorkerJobs();
        const two = { y: conv2d(x, w, b, o), dx: conv2dGradInput(dy, x, w, o) };
        expect(wasmWorkerJobs() - jobs, `chunks run by the worker: ${c.what}`).to.be.greaterThan(0);
        setWasmThreads(1);
        const one = { y: conv2d(x, w, b, o), dx: conv2dGradInput(dy, x, w, o) };
        expect(Array.from(two.y.data), `${c.what} y`).to.deep.equal(Array.from(one.y.data));
        expect(Array.from(two.dx.data), `${c.what} dx`).to.deep.equal(Array.from(one.dx.data));
        expect(rel(one.y, conv2d(x, w, b, { ...c.opts, impl: 'naive' })), `${c.what} y`).to.be.below(1e-5);
      }
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });

  it('jobs of 4 and then 8 chunks back to back, 400 times on 2 threads: each chunk runs once, every result has the 1-thread bits', async () => {
    // A LeNet-5 step's order: the 4-part GEMM of a Linear layer, then a conv backward over 8
    // chunks. The claim word carries its job's chunk count: a worker that read the finished
    // job's word must not claim from the next job's count (threads.ts claimWord).
    const prev = setWasmThreads(1);
    try {
      const rng = new Rng(17);
      const x = randn([32, 400], { rng });
      const w = randn([120, 400], { rng });
      const xc = randn([16, 6, 14, 14], { rng });
      const wc = randn([16, 6, 5, 5], { rng });
      const dy = randn([16, 16, 10, 10], { rng });
      const run = () => ({ y: linear(x, w, null, { impl: 'wasm' }), g: conv2dBackward(dy, xc, wc, { impl: 'wasm' }) });
      const one = run();
      setWasmThreads(2);
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      const same = (a: Tensor, b: Tensor) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
      for (let i = 0; i < 400; i++) {
        const r = run();
        expect(same(r.y, one.y) && same(r.g.dx, one.g.dx) && same(r.g.dw, one.g.dw) && same(r.g.db, one.g.db), `round ${i}`).to.equal(true);
      }
      expect(wasmWorkerJobs(), 'the worker ran chunks').to.be.greaterThan(before);
    } finally {
      setWasmThreads(prev);
    }
  });

  it("setWasmThreads takes 'auto' or 1 … 16 and returns the previous setting", () => {
    const prev = setWasmThreads(1);
    try {
      expect(setWasmThreads('auto')).to.equal(1);
      expect(setWasmThreads(2)).to.equal('auto');
      expect(() => setWasmThreads(0)).to.throw(/^setWasmThreads: n must be 'auto' or an integer in 1 … 16, got 0/);
      expect(() => setWasmThreads(1.5)).to.throw(/^setWasmThreads: .*got 1\.5/);
    } finally {
      setWasmThreads(prev);
    }
  });

  it("'auto' threads discount this process's own load: a long training run does not see itself as other work", () => {
    // /proc/stat over 1 s on 2 cores: 150 of 200 jiffies busy (1.5 cores), 1.4 s of it ours → others 0.1
    expect(othersBusyCores(150, 200, 1400, 1000, 2)).to.be.closeTo(0.1, 1e-9);
    // the same machine load with this process idle: someone else keeps 1.5 cores busy
    expect(othersBusyCores(150, 200, 0, 1000, 2)).to.be.closeTo(1.5, 1e-9);
    expect(othersBusyCores(0, 0, 0, 1000, 2)).to.equal(0); // no reading: nobody
    // fallback on the 1-minute load average:
    // 2 cores, load average 1.6: a training run of ours (1.5 busy cores) → others 0.1 → not busy
    expect(othersBusy(1.6, 1.5, 2)).to.equal(false);
    // the same load with this process idle: someone else keeps 1.6 cores busy → one thread
    expect(othersBusy(1.6, 0, 2)).to.equal(true);
    expect(othersBusy(3.1, 1.5, 2)).to.equal(true);
    expect(othersBusy(1.4, 0, 2)).to.equal(false);
  });

  it('linear forward and backward agree on both engines', () => {
    const rng = new Rng(9);
    const x = randn([13, 37], { rng });
    const w = randn([11, 37], { rng });
    const b = randn([11], { rng });
    const dy = randn([13, 11], { rng });
    const y0 = linear(x, w, b, { impl: 'naive' });
    const g0 = linearBackward(dy, x, w, { impl: 'naive' });
    for (const impl of FAST) {
      expect(rel(linear(x, w, b, { impl }), y0), impl).to.be.below(1e-5);
      const g = linearBackward(dy, x, w, { impl });
      expect(rel(g.dx, g0.dx)).to.be.below(1e-5);
      expect(rel(g.dw, g0.dw)).to.be.below(1e-5);
      expect(rel(g.db, g0.db)).to.be.below(1e-5);
    }
  });

  it('the plain-JS gemm (no dispatch inside) still agrees with the triple loop', () => {
    const rng = new Rng(1);
    for (const [M, N, K] of [[5, 7, 3], [67, 1030, 9], [70, 9, 260]] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const A = randn([M * K], { rng }).data;
        const B = randn([K * N], { rng }).data;
        const C1 = randn([M * N], { rng }).data;
        const C2 = new Float32Array(C1);
        gemm(ta, tb, M, N, K, 0.5, A, 0, ta ? M : K, B, 0, tb ? K : N, 2, C1, 0, N);
        gemmNaive(ta, tb, M, N, K, 0.5, A, 0, ta ? M : K, B, 0, tb ? K : N, 2, C2, 0, N);
        expect(rel(new Tensor(C1, [M * N]), new Tensor(C2, [M * N]))).to.be.below(2e-6);
      }
    }
  });
});
