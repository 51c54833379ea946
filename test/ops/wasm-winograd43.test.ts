/**
 * Winograd F(4×4, 3×3) (src/ops/wasm/asm/winograd43.ts) for the forward and dX: each tile forced
 * through the wasm glue against the naive loops, the engine rule that picks it, ReLU and 2×2
 * pooling fused into it, a gradient check through the registry, and S3 on 1 and 2 threads.
 * Error units and cases: winograd-helpers.ts; F(2×2) through conv2d: wasm-winograd.test.ts.
 */
import { expect } from 'chai';
import { gradcheck } from '../../src/check';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { conv2dBackwardThroughPool, conv2dRelu, conv2dReluPool } from '../../src/ops/conv-fused';
import { conv2dWinogradTile } from '../../src/ops/conv2d-wasm';
import { relu, reluBackward } from '../../src/ops/activations';
import { pickEngine } from '../../src/ops/engine';
import { maxPool2dBackward, maxPool2dWithIndices } from '../../src/ops/pool-max';
import { getOp } from '../../src/ops/registry';
import { convBackwardInWasm, convForwardInWasm, convGradInputInWasm } from '../../src/ops/wasm/conv';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';
import { Rng, randn } from '../../src/tensor';
import { WINOGRAD_CASES, WINOGRAD_UNITS, bits, errorUnits, unitsOf, winogradScale, winogradScaleDw, winogradScaleDx } from './winograd-helpers';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

const print = (s: string) => process.env.TSCNN_PRINT_UNITS && console.log(`      ${s}`);

describe('wasm Winograd F(4×4, 3×3) (forward and dX): agrees with the naive loops', function () {
  this.timeout(180000);
  before(() => {
    build({ quiet: true });
    reloadWasmKernels();
    expect(fastPathInfo()).to.equal('wasm-simd');
  });

  it('is picked over F(2×2) by the engine rule from 144 output pixels an image: S3, VGG16 to 14², AlexNet 13², not 10² or 7²', () => {
    const tile = (x: number[], w: number[], o: Conv2dOptions = { padding: 1 }, pass: 'forward' | 'gradInput' = 'forward') => conv2dWinogradTile(conv2dParams('t', x, w, o), o, pass);
    expect(tile([8, 64, 56, 56], [64, 64, 3, 3]), 'S3').to.equal(4);
    expect(tile([8, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }, 'gradInput'), 'S3 dX').to.equal(4);
    expect(tile([1, 64, 224, 224], [64, 64, 3, 3]), 'VGG conv1_2').to.equal(4);
    expect(tile([1, 512, 14, 14], [512, 512, 3, 3]), 'VGG conv5, batch 1').to.equal(4);
    expect(tile([8, 256, 13, 13], [256, 256, 3, 3]), 'AlexNet conv5').to.equal(4);
    expect(tile([8, 256, 12, 12], [256, 256, 3, 3]), '12²').to.equal(4);
    expect(tile([8, 256, 10, 10], [256, 256, 3, 3]), '10²: F(2×2)').to.equal(2);
    expect(tile([8, 512, 7, 7], [512, 512, 3, 3]), '7²: F(2×2)').to.equal(2);
    // dX counts the transposed conv's outputs, H·W: a valid conv of 14² → 12² has dX on 14²
    expect(tile([8, 32, 13, 13], [32, 32, 3, 3], {}), 'valid 13² → 11²').to.equal(2);
    expect(tile([8, 32, 13, 13], [32, 32, 3, 3], {}, 'gradInput'), 'its dX on 13²').to.equal(4);
    // no Winograd at all: tile 0
    expect(tile([8, 8, 56, 56], [8, 8, 3, 3]), '8 channels').to.equal(0);
    expect(tile([8, 64, 56, 56], [64, 64, 3, 3], { padding: 1, winograd: false }), 'forbidden').to.equal(0);
    expect(tile([1, 4, 13, 12], [3, 4, 3, 3], { padding: 1, winograd: true }), 'forced: the rule picks the tile').to.equal(4);
    expect(tile([1, 4, 5, 5], [3, 4, 3, 3], { padding: 1, winograd: true }), 'forced, 25 pixels').to.equal(2);
    expect(pickEngine('conv2dWinograd4x4', undefined, 144)).to.equal('wasm');
    expect(pickEngine('conv2dWinograd4x4', undefined, 143)).to.equal('js');
  });

  // Each tile forced through the glue (the rule would pick F(2×2) for the small ones); dX also
  // through the fused backward, which must give the same bits.
  for (const c of WINOGRAD_CASES) {
    it(`${c.name}: both tiles, forward and dX`, () => {
      const rng = new Rng(7);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = c.name.includes('no bias') ? null : randn([c.w[0]], { rng });
      const p = conv2dParams('t', c.x, c.w, c.opts);
      const ref = conv2d(x, w, b, { ...c.opts, impl: 'naive' });
      const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
      const dref = conv2dBackward(dy, x, w, { ...c.opts, impl: 'naive' });
      for (const m of [2, 4] as const) {
        const y = convForwardInWasm(p, x.data, w.data, b ? b.data : null, m);
        const uy = errorUnits(y, ref, winogradScale(x, w, p.pad.top, p.pad.left, p.Ho, p.Wo, m));
        expect(uy, `F(${m}×${m}) y`).to.be.below(unitsOf(m));
        const dx = convGradInputInWasm(p, dy.data, w.data, m);
        const ux = errorUnits(dx, dref.dx, winogradScaleDx(dy, w, p.pad.top, p.pad.left, p.H, p.W, m));
        expect(ux, `F(${m}×${m}) dx`).to.be.below(unitsOf(m));
        expect(bits(convBackwardInWasm(p, dy.data, x.data, w.data, { gradInput: m }).dx), 'fused dx').to.deep.equal(bits(dx));
        print(`F(${m}×${m}) error units: y ${uy.toFixed(2)}, dx ${ux.toFixed(2)}`);
      }
    });
  }

  it('fuses ReLU and 2×2 max pooling into the F(4×4) forward (descriptor fields 22–24), and its backward: the bits of the ops one by one', () => {
    const rng = new Rng(5);
    const opts: Conv2dOptions = { padding: 1, winograd: true };
    const x = randn([2, 6, 15, 13], { rng }); // 15 × 13 → pooled 7 × 6, the last row and column dropped
    x.data[40] = NaN; // spreads over its tiles, fused or not
    const w = randn([12, 6, 3, 3], { rng });
    const b = randn([12], { rng });
    expect(conv2dWinogradTile(conv2dParams('t', x.shape, w.shape, opts), opts)).to.equal(4);
    const y = relu(conv2d(x, w, b, opts));
    expect(bits(conv2dRelu(x, w, b, opts)), 'conv + ReLU').to.deep.equal(bits(y));
    const pooled = maxPool2dWithIndices(y, { kernelSize: 2, stride: 2 });
    const fused = conv2dReluPool(x, w, b, opts);
    expect(bits(fused.y), 'y').to.deep.equal(bits(y));
    expect(bits(fused.pooled), 'pooled').to.deep.equal(bits(pooled.y));
    expect(Array.from(fused.indices), 'indices').to.deep.equal(Array.from(pooled.indices));
    // backward: dX by F(4×4) from the pooled gradient, as conv2dBackward of the unpooled, masked dy
    const x2 = randn([2, 6, 15, 13], { rng }); // no NaN: the gradients must be finite to compare
    const f2 = conv2dReluPool(x2, w, b, opts);
    const dp = randn(f2.pooled.shape, { rng });
    // the ReLU's input: its sign is all reluBackward reads (y itself where y > 0)
    const dy = reluBackward(maxPool2dBackward(dp, f2.y, { kernelSize: 2, stride: 2 }, f2.indices), f2.y);
    const g = conv2dBackwardThroughPool({ dy: dp, indices: f2.indices, pooled: f2.pooled }, x2, w, opts);
    const plain = conv2dBackward(dy, x2, w, opts);
    expect(bits(g.dx!), 'dx').to.deep.equal(bits(plain.dx));
    expect(bits(g.dw), 'dw').to.deep.equal(bits(plain.dw));
  });

  it('gradchecks through the conv2d spec with Winograd forced, F(4×4) by the rule (13 × 12 output, Cin 5, Cout 6)', () => {
    const rng = new Rng(11);
    const attrs: Conv2dOptions = { padding: 1, impl: 'wasm', winograd: true };
    const inputs = [randn([2, 5, 13, 12], { rng }), randn([6, 5, 3, 3], { rng }), randn([6], { rng })];
    expect(conv2dWinogradTile(conv2dParams('t', inputs[0].shape, inputs[1].shape, attrs), attrs)).to.equal(4);
    expect(conv2dWinogradTile(conv2dParams('t', inputs[0].shape, inputs[1].shape, attrs), attrs, 'gradInput')).to.equal(4);
    // conv is linear, so central differences are exact but for rounding: a step of 0.5 keeps
    // F(4×4)'s ~10⁻⁵ relative rounding far below the tolerance
    const rep = gradcheck(getOp('conv2d'), inputs, { attrs, eps: 0.5 });
    expect(rep.ok, rep.toString()).to.equal(true);
    for (const i of rep.inputs) expect(i.checked).to.be.greaterThan(0);
  });

  it('S3 (batch 2) through the picker: forward and dX by F(4×4), dW by F(3×3, 2×2), within the bounds, and the same bits on 1 and 2 threads', async () => {
    const rng = new Rng(3);
    const x = randn([2, 64, 56, 56], { rng });
    const w = randn([64, 64, 3, 3], { rng, std: 0.05 });
    const b = randn([64], { rng });
    const dy = randn([2, 64, 56, 56], { rng });
    const opts: Conv2dOptions = { padding: 1 };
    const p = conv2dParams('t', x.shape, w.shape, opts);
    expect(conv2dWinogradTile(p, opts)).to.equal(4);
    const ref = conv2d(x, w, b, { ...opts, impl: 'naive' });
    const dref = conv2dBackward(dy, x, w, { ...opts, impl: 'naive' });
    const forced = () => [2, 4].flatMap((m) => [convForwardInWasm(p, x.data, w.data, b.data, m as 2 | 4), convGradInputInWasm(p, dy.data, w.data, m as 2 | 4)]);
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // a worker must run part of it
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      const two = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      const twoForced = forced();
      expect(wasmWorkerJobs(), 'a worker ran chunks').to.be.greaterThan(before);
      setWasmThreads(1);
      const one = { y: conv2d(x, w, b, opts), ...conv2dBackward(dy, x, w, opts) };
      for (const k of ['y', 'dx', 'dw', 'db'] as const) expect(bits(two[k]), k).to.deep.equal(bits(one[k]));
      forced().forEach((a, i) => expect(bits(a), `forced ${['F2 y', 'F2 dx', 'F4 y', 'F4 dx'][i]}`).to.deep.equal(bits(twoForced[i])));
      const uy = errorUnits(one.y, ref, winogradScale(x, w, 1, 1, 56, 56, 4));
      const ux = errorUnits(one.dx, dref.dx, winogradScaleDx(dy, w, 1, 1, 56, 56, 4));
      const uw = errorUnits(one.dw, dref.dw, winogradScaleDw(dy, x, 1, 1));
      expect(uy, 'y').to.be.below(unitsOf(4));
      expect(ux, 'dx').to.be.below(unitsOf(4));
      expect(uw, 'dw').to.be.below(WINOGRAD_UNITS);
      print(`error units: y ${uy.toFixed(2)}, dx ${ux.toFixed(2)}, dw ${uw.toFixed(2)}`);
      // and it really was F(4×4): the forced kernels' bits, not F(2×2)'s or im2col + GEMM's
      expect(bits(one.y)).to.deep.equal(bits(twoForced[2]));
      expect(bits(one.dx)).to.deep.equal(bits(twoForced[3]));
      expect(bits(one.y)).to.not.deep.equal(bits(twoForced[0]));
      expect(bits(conv2d(x, w, b, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.y));
      expect(bits(conv2dGradInput(dy, x, w, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.dx));
      expect(bits(conv2dGradWeight(dy, x, w, { ...opts, winograd: false }))).to.not.deep.equal(bits(one.dw));
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
