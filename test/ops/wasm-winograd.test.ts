import { expect } from 'chai';
import { gradcheck } from '../../src/check';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { conv2dUsesWinograd } from '../../src/ops/conv2d-wasm';
import { pickEngine } from '../../src/ops/engine';
import { getOp } from '../../src/ops/registry';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';
import { Rng, Tensor, randn } from '../../src/tensor';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

const EPS = 2 ** -24; // float32's unit roundoff
const bits = (t: Tensor) => Array.from(t.data);

/**
 * Winograd's error scale for each output of conv(x, w) with a 3×3 kernel, stride 1 and padding
 * (top, left): S[n, co, i, j] = Σ_ci ‖w[co, ci]‖₁ · max |x[n, ci]| over the 4×4 input patch of
 * the output's 2×2 tile (zeros outside the image). The transforms mix every tap of the kernel
 * with every value of the patch (Bᵀ d B sums 4 values, G g Gᵀ up to 9 taps, Aᵀ M A 9 products),
 * so the rounding of F(2×2, 3×3) scales with these norms, not with the taps that reach one output
 * (at a border only some do: a 1×1 output of a 3×3 input has error ~17 ε·Σ|x||w|).
 */
function winogradScale(x: Tensor, w: Tensor, top: number, left: number, Ho: number, Wo: number): Float64Array {
  const [N, C, H, W] = x.shape;
  const Co = w.shape[0];
  const th = Math.ceil(Ho / 2), tw = Math.ceil(Wo / 2);
  const g1 = new Float64Array(Co * C);
  for (let i = 0; i < Co * C; i++) for (let k = 0; k < 9; k++) g1[i] += Math.abs(w.data[i * 9 + k]);
  const S = new Float64Array(N * Co * Ho * Wo);
  for (let n = 0; n < N; n++) for (let ci = 0; ci < C; ci++) for (let r = 0; r < th; r++) for (let c = 0; c < tw; c++) {
    let m = 0;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
      const iy = 2 * r - top + a, ix = 2 * c - left + b;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) m = Math.max(m, Math.abs(x.data[((n * C + ci) * H + iy) * W + ix]));
    }
    for (let co = 0; co < Co; co++) {
      const v = g1[co * C + ci] * m;
      for (let i = 2 * r; i < Math.min(Ho, 2 * r + 2); i++) for (let j = 2 * c; j < Math.min(Wo, 2 * c + 2); j++) S[((n * Co + co) * Ho + i) * Wo + j] += v;
    }
  }
  return S;
}

/** The scale of dX: the forward's scale of the transposed conv (dY padded 2 − pad; ‖·‖₁ ignores the 180° turn). */
function winogradScaleDx(dy: Tensor, w: Tensor, top: number, left: number, H: number, W: number): Float64Array {
  const [Co, Ci] = w.shape;
  const wt = new Tensor(new Float32Array(w.size), [Ci, Co, 3, 3]);
  for (let co = 0; co < Co; co++) for (let ci = 0; ci < Ci; ci++) for (let k = 0; k < 9; k++) wt.data[(ci * Co + co) * 9 + k] = w.data[(co * Ci + ci) * 9 + k];
  return winogradScale(dy, wt, 2 - top, 2 - left, H, W);
}

/**
 * dW's scale (F(3×3, 2×2): the 2×2 block of dY of each tile against the 4×4 patch of x under
 * it): S[co, ci, ·, ·] = Σ_n Σ_tiles ‖dy_t[n, co]‖₁ · max |x_t[n, ci]|, the same for the 9 taps.
 */
function winogradScaleDw(dy: Tensor, x: Tensor, top: number, left: number): Float64Array {
  const [N, C, H, W] = x.shape;
  const [, Co, Ho, Wo] = dy.shape;
  const S = new Float64Array(Co * C * 9);
  for (let n = 0; n < N; n++) for (let r = 0; r < Math.ceil(Ho / 2); r++) for (let c = 0; c < Math.ceil(Wo / 2); c++) {
    const xm = new Float64Array(C);
    for (let ci = 0; ci < C; ci++) for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
      const iy = 2 * r - top + a, ix = 2 * c - left + b;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) xm[ci] = Math.max(xm[ci], Math.abs(x.data[((n * C + ci) * H + iy) * W + ix]));
    }
    for (let co = 0; co < Co; co++) {
      let g = 0;
      for (let i = 2 * r; i < Math.min(Ho, 2 * r + 2); i++) for (let j = 2 * c; j < Math.min(Wo, 2 * c + 2); j++) g += Math.abs(dy.data[((n * Co + co) * Ho + i) * Wo + j]);
      for (let ci = 0; ci < C; ci++) for (let k = 0; k < 9; k++) S[(co * C + ci) * 9 + k] += g * xm[ci];
    }
  }
  return S;
}

/** Largest |y − ref| / (ε · S) over the outputs: the error in units of float32's roundoff times S. */
function errorUnits(y: Tensor, ref: Tensor, S: Float64Array): number {
  expect(y.shape).to.deep.equal(ref.shape);
  let r = 0;
  for (let i = 0; i < y.size; i++) r = Math.max(r, Math.abs(y.data[i] - ref.data[i]) / (EPS * Math.max(S[i], 1e-30)));
  return r;
}

/**
 * Winograd's float error. Its transforms are sums with coefficients ±1 and ½ (exact in binary),
 * but they mix a whole tile: entries of Bᵀ x B reach 4·max|x|, and Aᵀ M A adds up to 9 entries,
 * so one rounding can cost up to ~36 ε·S. Measured here (seeded N(0, 1) data, the cases below
 * and S3): forward and dX at most 1.1 ε·S per output, dW at most 4.5 ε·S (the 1×1 output: one
 * tile, so no averaging over tiles), typically 0.1–0.9. The test allows 16 ε·S (docs/measured.md,
 * Winograd): a wrong transform or index is off by ~S itself, i.e. ~10⁷ of these units.
 */
const WINOGRAD_UNITS = 16;

describe('wasm Winograd (forward and dX F(2×2, 3×3), dW F(3×3, 2×2)): agrees with the naive loops', function () {
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
    expect(pickEngine('conv2dWinograd', undefined, 8 * 56 * 56, [64, 64])).to.equal('wasm');
    expect(pickEngine('conv2dWinograd', undefined, 8 * 56 * 56, [8, 64])).to.equal('js');
    expect(pickEngine('conv2dWinograd', 'js', 8 * 56 * 56, [64, 64])).to.equal('js');
    expect(pickEngine('conv2dWinograd', 'naive', 8 * 56 * 56, [64, 64])).to.equal('js');
    // dW: up to 256 channels (S3 and VGG's first three blocks), not VGG's 512
    const dw = (x: number[], w: number[]) => conv2dUsesWinograd(conv2dParams('t', x, w, { padding: 1 }), { padding: 1 }, 'gradWeight');
    expect(dw([8, 64, 56, 56], [64, 64, 3, 3]), 'S3 dW').to.equal(true);
    expect(dw([8, 128, 112, 112], [128, 128, 3, 3]), 'VGG conv2_2 dW').to.equal(true);
    expect(dw([8, 128, 56, 56], [256, 128, 3, 3]), 'VGG conv3_1 dW').to.equal(true);
    expect(dw([8, 256, 28, 28], [512, 256, 3, 3]), 'VGG conv4_1 dW').to.equal(false);
    expect(dw([8, 512, 14, 14], [512, 512, 3, 3]), 'VGG conv5 dW').to.equal(false);
    expect(conv2dUsesWinograd(conv2dParams('t', [8, 512, 14, 14], [512, 512, 3, 3], { padding: 1 }), { padding: 1 }, 'gradInput'), 'VGG conv5 dX').to.equal(true);
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
    { name: 'x=[11,5,8,7] w=[6,5,3,3] p=1 (dW: several images per batch of tiles)', x: [11, 5, 8, 7], w: [6, 5, 3, 3], opts: { padding: 1 } },
    { name: 'x=[2,17,12,12] w=[33,17,3,3] p=[0,1] (asymmetric padding), no bias', x: [2, 17, 12, 12], w: [33, 17, 3, 3], opts: { padding: [0, 1] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Rng(7);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = c.name.includes('no bias') ? null : randn([c.w[0]], { rng });
      const ref = conv2d(x, w, b, { ...c.opts, impl: 'naive' });
      const p = conv2dParams('t', c.x, c.w, c.opts);
      const o: Conv2dOptions = { ...c.opts, impl: 'wasm', winograd: true };
      const y = conv2d(x, w, b, o);
      const uy = errorUnits(y, ref, winogradScale(x, w, p.pad.top, p.pad.left, p.Ho, p.Wo));
      expect(uy, 'y').to.be.below(WINOGRAD_UNITS);
      // dX: the Winograd forward of the transposed conv, scale Σ|dy||w|
      const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
      const dref = conv2dBackward(dy, x, w, { ...c.opts, impl: 'naive' });
      const dx = conv2dGradInput(dy, x, w, o);
      const ux = errorUnits(dx, dref.dx, winogradScaleDx(dy, w, p.pad.top, p.pad.left, p.H, p.W));
      expect(ux, 'dx').to.be.below(WINOGRAD_UNITS);
      // dW by F(3×3, 2×2), scale Σ ‖dy_t‖₁·max|x_t|
      const dw = conv2dGradWeight(dy, x, w, o);
      const uw = errorUnits(dw, dref.dw, winogradScaleDw(dy, x, p.pad.top, p.pad.left));
      expect(uw, 'dw').to.be.below(WINOGRAD_UNITS);
      if (process.env.TSCNN_PRINT_UNITS) console.log(`      error units: y ${uy.toFixed(2)}, dx ${ux.toFixed(2)}, dw ${uw.toFixed(2)}`);
      const all = conv2dBackward(dy, x, w, o);
      expect(bits(all.dx), 'fused dx').to.deep.equal(bits(dx));
      expect(bits(all.dw), 'fused dw').to.deep.equal(bits(dw));
    });
  }

  it('gradchecks through the conv2d spec with Winograd forced (odd sizes, padding 1, Cin 5, Cout 6)', () => {
    const rng = new Rng(11);
    const attrs: Conv2dOptions = { padding: 1, impl: 'wasm', winograd: true };
    const rep = gradcheck(getOp('conv2d'), [randn([2, 5, 7, 6], { rng }), randn([6, 5, 3, 3], { rng }), randn([6], { rng })], { attrs });
    expect(rep.ok, rep.toString()).to.equal(true);
    for (const i of rep.inputs) expect(i.checked).to.be.greaterThan(0);
  });

  it('S3 (batch 2) through the picker: forward, dX and dW within the bound, and the same bits on 1 and 2 threads', async () => {
    const rng = new Rng(3);
    const x = randn([2, 64, 56, 56], { rng });
    const w = randn([64, 64, 3, 3], { rng, std: 0.05 });
    const b = randn([64], { rng });
    const dy = randn([2, 64, 56, 56], { rng });
    const opts: Conv2dOptions = { padding: 1 };
    expect(conv2dUsesWinograd(conv2dParams('t', x.shape, w.shape, opts), opts)).to.equal(true);
    const ref = conv2d(x, w, b, { ...opts, impl: 'naive' });
    const dref = conv2dBackward(dy, x, w, { ...opts, impl: 'naive' });
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // a worker must run part of it
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      const two = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      expect(wasmWorkerJobs(), 'a worker ran chunks').to.be.greaterThan(before);
      setWasmThreads(1);
      const one = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      for (const k of ['y', 'dx', 'dw', 'db'] as const) expect(bits(two[k]), k).to.deep.equal(bits(one[k]));
      const uy = errorUnits(one.y, ref, winogradScale(x, w, 1, 1, 56, 56));
      const ux = errorUnits(one.dx, dref.dx, winogradScaleDx(dy, w, 1, 1, 56, 56));
      const uw = errorUnits(one.dw, dref.dw, winogradScaleDw(dy, x, 1, 1));
      expect(uy, 'y').to.be.below(WINOGRAD_UNITS);
      expect(ux, 'dx').to.be.below(WINOGRAD_UNITS);
      expect(uw, 'dw').to.be.below(WINOGRAD_UNITS);
      if (process.env.TSCNN_PRINT_UNITS) console.log(`      error units: y ${uy.toFixed(2)}, dx ${ux.toFixed(2)}, dw ${uw.toFixed(2)}`);
      // and it really was Winograd: im2col + GEMM rounds differently
      expect(bits(conv2d(x, w, b, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.y));
      expect(bits(conv2dGradInput(dy, x, w, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.dx));
      expect(bits(conv2dGradWeight(dy, x, w, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.dw));
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
