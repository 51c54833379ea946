import { expect } from 'chai';
import { gradcheck } from '../../src/check';
import { relu } from '../../src/ops/activations';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { conv2dRelu } from '../../src/ops/conv-fused';
import { getOp } from '../../src/ops/registry';
import { directPasses } from '../../src/ops/wasm/conv-choice';
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

  it('is chosen where it measured faster (src/ops/wasm/conv.ts): LeNet C1 and C3 forward and dW; dX only where little of it is padding', () => {
    const d = (x: number[], w: number[], opts: Conv2dOptions = {}) => directPasses(conv2dParams('t', x, w, opts));
    expect(d([64, 1, 28, 28], [6, 1, 5, 5], { padding: 2 })).to.deep.equal({ forward: true, gradInput: false, gradWeight: true });
    // S2 / C3: the transposed conv of a valid 5×5 conv on 14² runs over 14² outputs for 10²
    expect(d([64, 6, 14, 14], [16, 6, 5, 5])).to.deep.equal({ forward: true, gradInput: false, gradWeight: true });
    expect(d([8, 16, 14, 14], [16, 16, 5, 5], { padding: 2 })).to.deep.equal({ forward: true, gradInput: true, gradWeight: true });
    expect(d([1, 1, 9, 9], [4, 1, 3, 3], { stride: 2 })).to.deep.equal({ forward: false, gradInput: false, gradWeight: false });
    // S3: 64 input channels → im2col + GEMM (or Winograd)
    expect(d([8, 64, 56, 56], [64, 64, 3, 3], { padding: 1 })).to.deep.equal({ forward: false, gradInput: false, gradWeight: false });
    // VGG conv1_1: 64 output channels over 112²: dW by the GEMM
    expect(d([2, 3, 112, 112], [64, 3, 3, 3], { padding: 1 })).to.deep.equal({ forward: true, gradInput: false, gradWeight: false });
    // a padded image over 4 MB stays on im2col + GEMM
    expect(d([1, 8, 512, 512], [8, 8, 3, 3], { padding: 1 })).to.deep.equal({ forward: false, gradInput: false, gradWeight: false });
  });

  // Odd sizes: output width below one 8-wide tile, channel counts off the 4-blocks (CoutG 5, 3),
  // odd tap counts (3·3 = 9: 4-tap blocks + a tail; 2 × 3·3 = 18), odd CoutG for dW's channel
  // pairs, groups, dilation, asymmetric and over-wide padding, several row bands.
  const cases: { name: string; x: number[]; w: number[]; opts: Conv2dOptions; dx?: boolean }[] = [
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
    // the direct dX (the transposed conv's forward): 16-, 8- and 4-channel tiles and their tails
    { name: 'x=[2,9,11,13] w=[6,9,3,3] p=1 (dX direct: 9 channels in a 16-channel tile, width 13)', x: [2, 9, 11, 13], w: [6, 9, 3, 3], opts: { padding: 1 }, dx: true },
    { name: 'x=[2,20,9,7] w=[5,20,3,5] p=same (dX direct: 20 = 16 + 4 channels, asymmetric pads)', x: [2, 20, 9, 7], w: [5, 20, 3, 5], opts: { padding: 'same' }, dx: true },
    { name: 'x=[2,17,8,8] w=[12,17,2,2] p=same (dX direct: 17 = 16 + 1 channels, even kernel)', x: [2, 17, 8, 8], w: [12, 17, 2, 2], opts: { padding: 'same' }, dx: true },
    { name: 'x=[3,12,10,10] w=[19,12,5,5] p=2 (19 output channels: 16 + 4 tiles in the forward and dW)', x: [3, 12, 10, 10], w: [19, 12, 5, 5], opts: { padding: 2 }, dx: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = directPasses(conv2dParams('t', c.x, c.w, c.opts));
      expect(d.forward, 'runs the direct forward').to.equal(true);
      if (c.dx) expect(d.gradInput, 'runs the direct dX').to.equal(true);
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

  it('gradchecks through the conv2d spec on a direct dX case (the transposed conv, 9 channels)', () => {
    const rng = new Rng(12);
    const attrs: Conv2dOptions = { padding: 1, impl: 'wasm', winograd: false };
    expect(directPasses(conv2dParams('t', [2, 9, 6, 5], [4, 9, 3, 3], attrs)).gradInput).to.equal(true);
    const rep = gradcheck(getOp('conv2d'), [randn([2, 9, 6, 5], { rng }), randn([4, 9, 3, 3], { rng }), randn([4], { rng })], { attrs });
    expect(rep.ok, rep.toString()).to.equal(true);
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

  it('conv2dRelu gives the bits of relu(conv2d) on every path: direct, im2col + GEMM, 1×1, Winograd, naive, js', () => {
    const rng = new Rng(13);
    const cases: [number[], number[], Conv2dOptions][] = [
      [[2, 6, 14, 14], [16, 6, 5, 5], {}], // direct
      [[2, 40, 9, 9], [8, 40, 3, 3], { stride: 2, padding: 1 }], // im2col + GEMM
      [[2, 40, 9, 9], [12, 40, 1, 1], {}], // 1×1: the GEMM on x itself
      [[2, 16, 12, 12], [16, 16, 3, 3], { padding: 1, winograd: true }], // Winograd
      [[1, 3, 7, 7], [4, 3, 3, 3], { impl: 'naive' }],
      [[1, 3, 7, 7], [4, 3, 3, 3], { impl: 'js' }],
    ];
    for (const [xs, ws, opts] of cases) {
      const x = randn(xs, { rng });
      const w = randn(ws, { rng });
      const b = randn([ws[0]], { rng });
      x.data[3] = NaN; // NaN stays NaN through the fused ReLU, as through relu()
      const want = relu(conv2d(x, w, b, opts));
      const got = conv2dRelu(x, w, b, opts);
      expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength)), `${xs} ${JSON.stringify(opts)}`).to.equal(true);
      expect(got.data.some((v) => v === 0) && got.data.some((v) => v > 0)).to.equal(true);
    }
  });
});
