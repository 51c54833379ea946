import { expect } from 'chai';
import { gradcheck } from '../../src/check';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { getOp } from '../../src/ops/registry';
import { directPasses } from '../../src/ops/wasm/conv';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady } from '../../src/ops/wasm/threads';
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

const bits = (t: Tensor) => Array.from(t.data);

describe('wasm direct convolution (stride 1, few channels): agrees with the naive loops', function () {
  this.timeout(180000);
  before(() => {
    build({ quiet: true });
    reloadWasmKernels();
    expect(fastPathInfo()).to.equal('wasm-simd');
  });

  it('is chosen where it measured faster: LeNet-5 C1 (forward, dW), C3 (forward); not strided, wide or huge', () => {
    expect(directPasses(conv2dParams('t', [64, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }))).to.deep.equal({ forward: true, gradWeight: true });
    expect(directPasses(conv2dParams('t', [64, 6, 14, 14], [16, 6, 5, 5]))).to.deep.equal({ forward: true, gradWeight: false });
    expect(directPasses(conv2dParams('t', [1, 1, 9, 9], [4, 1, 3, 3], { stride: 2 }))).to.deep.equal({ forward: false, gradWeight: false });
    // S3: 64 input channels → im2col + GEMM
    expect(directPasses(conv2dParams('t', [8, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }))).to.deep.equal({ forward: false, gradWeight: false });
    // a 1-channel 512² image: dY of 64 × 512 × 514 floats is over the direct dW's 1 MB
    expect(directPasses(conv2dParams('t', [1, 1, 512, 512], [64, 1, 3, 3], { padding: 1 }))).to.deep.equal({ forward: true, gradWeight: false });
  });

  // Odd sizes: output width below one 8-wide tile, channel counts off the 4-blocks (CoutG 5, 3),
  // odd tap counts (3·3 = 9: 4-tap blocks + a tail; 2 × 3·3 = 18), odd CoutG for dW's channel
  // pairs, groups, dilation, asymmetric and over-wide padding, several row bands.
  const cases: { name: string; x: number[]; w: number[]; opts: Conv2dOptions }[] = [
    { name: 'x=[3,2,9,7] w=[5,2,3,3] (Wo 5, CoutG 5, K 18)', x: [3, 2, 9, 7], w: [5, 2, 3, 3], opts: {} },
    { name: 'x=[3,1,9,7] w=[5,1,3,3] (dW direct: CoutG 5, K 9)', x: [3, 1, 9, 7], w: [5, 1, 3, 3], opts: {} },
    { name: 'x=[2,2,13,11] w=[6,1,3,2] p=same d=2 g=2 (dW direct, grouped)', x: [2, 2, 13, 11], w: [6, 1, 3, 2], opts: { padding: 'same', dilation: 2, groups: 2 } },
    { name: 'x=[2,1,28,28] w=[6,1,5,5] p=2 (LeNet C1)', x: [2, 1, 28, 28], w: [6, 1, 5, 5], opts: { padding: 2 } },
    { name: 'x=[2,6,14,14] w=[16,6,5,5] (LeNet C3)', x: [2, 6, 14, 14], w: [16, 6, 5, 5], opts: {} },
    { name: 'x=[2,6,11,13] w=[9,2,3,3] p=1 g=3', x: [2, 6, 11, 13], w: [9, 2, 3, 3], opts: { padding: 1, groups: 3 } },
    { name: 'x=[1,3,12,11] w=[3,1,3,3] d=2 p=same g=3 (depthwise)', x: [1, 3, 12, 11], w: [3, 1, 3, 3], opts: { padding: 'same', dilation: 2, groups: 3 } },
    { name: 'x=[2,2,9,10] w=[3,2,2,4] p=same (asymmetric pads)', x: [2, 2, 9, 10], w: [3, 2, 2, 4], opts: { padding: 'same' } },
    { name: 'x=[1,2,6,6] w=[4,2,3,3] p=3 (padding wider than the kernel)', x: [1, 2, 6, 6], w: [4, 2, 3, 3], opts: { padding: 3 } },
    { name: 'x=[1,2,70,66] w=[7,2,3,3] p=1 (several row bands)', x: [1, 2, 70, 66], w: [7, 2, 3, 3], opts: { padding: 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = directPasses(conv2dParams('t', c.x, c.w, c.opts));
      expect(d.forward, 'runs the direct forward').to.equal(true);
      const rng = new Rng(5);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = randn([c.w[0]], { rng });
      const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
      const ref = { y: conv2d(x, w, b, { ...c.opts, impl: 'naive' }), ...conv2dBackward(dy, x, w, { ...c.opts, impl: 'naive' }) };
      const o = { ...c.opts, impl: 'wasm' as const };
      // float32 sums of ≤ 150 products against the naive loops' float64: ~1e-7 relative
      expect(rel(conv2d(x, w, b, o), ref.y), 'y').to.be.below(1e-5);
      const dx = conv2dGradInput(dy, x, w, o);
      const dw = conv2dGradWeight(dy, x, w, o);
      expect(rel(dx, ref.dx), 'dx').to.be.below(1e-5);
      expect(rel(dw, ref.dw), 'dw').to.be.below(1e-5);
      const all = conv2dBackward(dy, x, w, o);
      // the fused dX+dW kernel gives the bits of the separate ones (direct dW or not)
      expect(bits(all.dx)).to.deep.equal(bits(dx));
      expect(bits(all.dw)).to.deep.equal(bits(dw));
      expect(rel(all.db, ref.db), 'db').to.be.below(1e-5);
    });
  }

  it('gradchecks through the conv2d spec on a direct case (grouped, padded, odd sizes)', () => {
    const rng = new Rng(11);
    const spec = getOp('conv2d');
    const attrs: Conv2dOptions = { padding: 1, groups: 2, impl: 'wasm' };
    expect(directPasses(conv2dParams('t', [2, 4, 7, 6], [6, 2, 3, 3], attrs)).forward).to.equal(true);
    const rep = gradcheck(spec, [randn([2, 4, 7, 6], { rng }), randn([6, 2, 3, 3], { rng }), randn([6], { rng })], { attrs });
    expect(rep.ok, rep.toString()).to.equal(true);
    for (const i of rep.inputs) expect(i.checked).to.be.greaterThan(0);
  });

  it('gives the same bits on 1 and 2 threads (forward, dX, dW)', async () => {
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(true);
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const rng = new Rng(9);
      const opts: Conv2dOptions = { padding: 2, impl: 'wasm' };
      // 2·16·6·28·28·25 ≈ 3.8 MFLOP per pass: above the split threshold
      const x = randn([16, 1, 28, 28], { rng });
      const w = randn([6, 1, 5, 5], { rng });
      const b = randn([6], { rng });
      const dy = randn([16, 6, 28, 28], { rng });
      const two = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      setWasmThreads(1);
      const one = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      for (const k of ['y', 'dx', 'dw', 'db'] as const) expect(bits(two[k]), k).to.deep.equal(bits(one[k]));
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
