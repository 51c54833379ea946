import { expect } from 'chai';
import { conv2d, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { conv2dUsesWinograd } from '../../src/ops/conv2d-wasm';
import { pickEngine } from '../../src/ops/engine';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';
import { Rng, Tensor, randn } from '../../src/tensor';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

const EPS = 2 ** -24; // float32's unit roundoff
const abs = (t: Tensor) => new Tensor(t.data.map(Math.abs), t.shape);
const bits = (t: Tensor) => Array.from(t.data);

/**
 * Largest |y − ref| / (ε · Σ|b| + Σ|x||w|) over the outputs: the error in units of float32's
 * roundoff times the output's conditioning scale (the same sum with every term made positive),
 * which is what bounds any float32 evaluation order of the sum.
 */
function errorUnits(y: Tensor, ref: Tensor, scale: Tensor): number {
  expect(y.shape).to.deep.equal(ref.shape);
  let r = 0;
  for (let i = 0; i < y.size; i++) r = Math.max(r, Math.abs(y.data[i] - ref.data[i]) / (EPS * Math.max(scale.data[i], 1e-30)));
  return r;
}

/**
 * Winograd's float error. Its transforms are sums with coefficients ±1 and ½ (exact in binary),
 * so F(2×2, 3×3) loses little against the direct sum: measured here (seeded N(0, 1) data, the
 * cases below and S3) at most 2.5 ε·Σ|x||w| per output, the same as im2col + GEMM (≤ 5.0 on
 * the same cases); mean ≈ 0.3 for both. The test allows 16 ε·Σ|x||w| (docs/measured.md,
 * Speed): a wrong transform or index is off by ~Σ|x||w| itself, i.e. ~10⁷ of these units.
 */
const WINOGRAD_UNITS = 16;

describe('wasm Winograd F(2×2, 3×3) forward: agrees with the naive loops', function () {
  this.timeout(180000);
  before(() => {
    build({ quiet: true });
    reloadWasmKernels();
    expect(fastPathInfo()).to.equal('wasm-simd');
  });

  it('is picked by the engine rule where it measured faster: S3 and VGG16, not few channels, 5×5, strides, groups, dilation or a 512-channel 7×7', () => {
    const uses = (x: number[], w: number[], o: Conv2dOptions = {}) => conv2dUsesWinograd(conv2dParams('t', x, w, o), o);
    expect(uses([8, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }), 'S3').to.equal(true);
    expect(uses([8, 64, 224, 224], [64, 64, 3, 3], { padding: 1 }), 'VGG conv1_2').to.equal(true);
    expect(uses([8, 512, 14, 14], [512, 512, 3, 3], { padding: 1 }), 'VGG conv5').to.equal(true);
    expect(uses([8, 3, 224, 224], [64, 3, 3, 3], { padding: 1 }), 'VGG conv1_1: 3 input channels').to.equal(false);
    expect(uses([1, 512, 7, 7], [512, 512, 3, 3], { padding: 1 }), 'N·Ho·Wo 49').to.equal(false);
    expect(uses([4, 8, 32, 32], [8, 8, 3, 3], { padding: 1 }), '8 channels').to.equal(false);
    expect(uses([64, 6, 14, 14], [16, 6, 5, 5]), 'LeNet C3: 5×5').to.equal(false);
    expect(uses([8, 64, 56, 56], [64, 64, 3, 3], { stride: 2, padding: 1 }), 'stride 2').to.equal(false);
    expect(uses([8, 64, 56, 56], [64, 32, 3, 3], { padding: 1, groups: 2 }), 'groups 2').to.equal(false);
    expect(uses([8, 64, 56, 56], [64, 64, 3, 3], { padding: 2, dilation: 2 }), 'dilation 2').to.equal(false);
    expect(uses([8, 64, 56, 56], [64, 64, 3, 3], { padding: 1, winograd: false }), 'forbidden').to.equal(false);
    expect(uses([1, 4, 5, 5], [3, 4, 3, 3], { winograd: true }), 'forced').to.equal(true);
    // the rule itself: size = N·Ho·Wo, channels = min(Cin, Cout)
    expect(pickEngine('conv2dWinograd', undefined, 8 * 56 * 56, 64)).to.equal('wasm');
    expect(pickEngine('conv2dWinograd', undefined, 8 * 56 * 56, 8)).to.equal('js');
    expect(pickEngine('conv2dWinograd', 'js', 8 * 56 * 56, 64)).to.equal('js');
    expect(pickEngine('conv2dWinograd', 'naive', 8 * 56 * 56, 64)).to.equal('js');
  });

  it('refuses winograd: true where it cannot run, naming why', () => {
    const x = randn([1, 2, 6, 6], { rng: new Rng(1) });
    expect(() => conv2d(x, randn([2, 2, 3, 3]), null, { stride: 2, winograd: true })).to.throw(/conv2d: winograd: true needs a 3×3 kernel, stride 1.*stride 2×2/);
    expect(() => conv2d(x, randn([2, 2, 5, 5]), null, { winograd: true })).to.throw(/5×5/);
    expect(() => conv2d(x, randn([2, 2, 3, 3]), null, { winograd: true, impl: 'js' })).to.throw(/conv2d: winograd: true needs the wasm engine, but this call runs 'js'/);
    expect(() => conv2d(x, randn([2, 2, 3, 3]), null, { winograd: 'yes' as unknown as boolean })).to.throw(/conv2d: winograd must be true, false or undefined, got "yes"/);
  });

  // Odd sizes: Ho, Wo odd (ragged edge tiles), Wo below one 4-tile group, tile rows not a
  // multiple of 4 (padded tile grid), Cin and Cout off the 4-blocks, padding 0, 1, 2 and
  // 'same', batch > 1, a 1×1 output, several row blocks with a ragged last one (Cin 40: 2 tile
  // rows per block over 15).
  const cases: { name: string; x: number[]; w: number[]; opts: Conv2dOptions }[] = [
    { name: 'x=[3,5,9,7] w=[7,5,3,3] p=1 (odd Ho, Wo; Cin 5, Cout 7)', x: [3, 5, 9, 7], w: [7, 5, 3, 3], opts: { padding: 1 } },
    { name: 'x=[2,3,11,13] w=[6,3,3,3] p=0', x: [2, 3, 11, 13], w: [6, 3, 3, 3], opts: {} },
    { name: 'x=[2,6,5,4] w=[5,6,3,3] p=2 (padding wider than half the kernel)', x: [2, 6, 5, 4], w: [5, 6, 3, 3], opts: { padding: 2 } },
    { name: 'x=[1,2,3,3] w=[3,2,3,3] p=0 (a 1×1 output)', x: [1, 2, 3, 3], w: [3, 2, 3, 3], opts: {} },
    { name: "x=[2,9,10,21] w=[13,9,3,3] p=same", x: [2, 9, 10, 21], w: [13, 9, 3, 3], opts: { padding: 'same' } },
    { name: 'x=[2,40,29,45] w=[18,40,3,3] p=1 (several row blocks)', x: [2, 40, 29, 45], w: [18, 40, 3, 3], opts: { padding: 1 } },
    { name: 'x=[2,17,12,12] w=[33,17,3,3] p=[0,1] (asymmetric padding), no bias', x: [2, 17, 12, 12], w: [33, 17, 3, 3], opts: { padding: [0, 1] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Rng(7);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = c.name.includes('no bias') ? null : randn([c.w[0]], { rng });
      const ref = conv2d(x, w, b, { ...c.opts, impl: 'naive' });
      const scale = conv2d(abs(x), abs(w), b ? abs(b) : null, { ...c.opts, impl: 'naive' });
      const y = conv2d(x, w, b, { ...c.opts, impl: 'wasm', winograd: true });
      expect(errorUnits(y, ref, scale)).to.be.below(WINOGRAD_UNITS);
    });
  }

  it('S3 [8,64,56,56] → 64@3×3 p1 through the picker: within the bound, and the same bits on 1 and 2 threads', async () => {
    const rng = new Rng(3);
    const x = randn([8, 64, 56, 56], { rng });
    const w = randn([64, 64, 3, 3], { rng, std: 0.05 });
    const b = randn([64], { rng });
    const opts: Conv2dOptions = { padding: 1 };
    const ref = conv2d(x, w, b, { ...opts, impl: 'naive' });
    const scale = conv2d(abs(x), abs(w), abs(b), { ...opts, impl: 'naive' });
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // a worker must run part of it
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      const two = conv2d(x, w, b, opts);
      expect(wasmWorkerJobs(), 'a worker ran chunks').to.be.greaterThan(before);
      setWasmThreads(1);
      const one = conv2d(x, w, b, opts);
      expect(bits(two)).to.deep.equal(bits(one));
      expect(errorUnits(one, ref, scale)).to.be.below(WINOGRAD_UNITS);
      // and it really was Winograd: im2col + GEMM rounds differently
      expect(bits(conv2d(x, w, b, { ...opts, winograd: false }))).to.not.deep.equal(bits(one));
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
