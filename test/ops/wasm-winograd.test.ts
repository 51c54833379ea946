import { expect } from 'chai';
import { gradcheck } from '../../src/check';
import { conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dParams, Conv2dOptions } from '../../src/ops/conv2d';
import { conv2dUsesWinograd, conv2dWinogradTile } from '../../src/ops/conv2d-wasm';
import { pickEngine } from '../../src/ops/engine';
import { getOp } from '../../src/ops/registry';
import { fastPathInfo, reloadWasmKernels } from '../../src/ops/wasm/runtime';
import { Rng, randn } from '../../src/tensor';
import { WINOGRAD_CASES, WINOGRAD_UNITS, bits, errorUnits, unitsOf, winogradScale, winogradScaleDw, winogradScaleDx } from './winograd-helpers';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

// F(4×4, 3×3), each tile forced, fused ReLU and pooling, threads: wasm-winograd43.test.ts.
describe('wasm Winograd (forward and dX F(2×2, 3×3) or F(4×4, 3×3), dW F(3×3, 2×2)): agrees with the naive loops', function () {
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

  // through conv2d with winograd: true: the forward and dX by the tile the rule picks (F(4×4) from 144 output pixels an image)
  for (const c of WINOGRAD_CASES) {
    it(c.name, () => {
      const rng = new Rng(7);
      const x = randn(c.x, { rng });
      const w = randn(c.w, { rng });
      const b = c.name.includes('no bias') ? null : randn([c.w[0]], { rng });
      const ref = conv2d(x, w, b, { ...c.opts, impl: 'naive' });
      const p = conv2dParams('t', c.x, c.w, c.opts);
      const o: Conv2dOptions = { ...c.opts, impl: 'wasm', winograd: true };
      const m = conv2dWinogradTile(p, o) as 2 | 4;
      expect(m, 'tile').to.equal(p.Ho * p.Wo >= 144 ? 4 : 2);
      const y = conv2d(x, w, b, o);
      const uy = errorUnits(y, ref, winogradScale(x, w, p.pad.top, p.pad.left, p.Ho, p.Wo, m));
      expect(uy, 'y').to.be.below(unitsOf(m));
      // dX: the Winograd forward of the transposed conv, scale Σ|dy||w|
      const dy = randn(conv2dOutputShape(c.x, c.w, c.opts), { rng });
      const dref = conv2dBackward(dy, x, w, { ...c.opts, impl: 'naive' });
      const mx = conv2dWinogradTile(p, o, 'gradInput') as 2 | 4;
      expect(mx, 'dx tile').to.equal(p.H * p.W >= 144 ? 4 : 2);
      const dx = conv2dGradInput(dy, x, w, o);
      const ux = errorUnits(dx, dref.dx, winogradScaleDx(dy, w, p.pad.top, p.pad.left, p.H, p.W, mx));
      expect(ux, 'dx').to.be.below(unitsOf(mx));
      // dW by F(3×3, 2×2), scale Σ ‖dy_t‖₁·max|x_t|
      const dw = conv2dGradWeight(dy, x, w, o);
      const uw = errorUnits(dw, dref.dw, winogradScaleDw(dy, x, p.pad.top, p.pad.left));
      expect(uw, 'dw').to.be.below(WINOGRAD_UNITS);
      if (process.env.TSCNN_PRINT_UNITS) console.log(`      error units: y ${uy.toFixed(2)} (F(${m}×${m})), dx ${ux.toFixed(2)} (F(${mx}×${mx})), dw ${uw.toFixed(2)}`);
      const all = conv2dBackward(dy, x, w, o);
      expect(bits(all.dx), 'fused dx').to.deep.equal(bits(dx));
      expect(bits(all.dw), 'fused dw').to.deep.equal(bits(dw));
    });
  }

  it('gradchecks through the conv2d spec with Winograd forced (odd sizes, padding 1, Cin 5, Cout 6: F(2×2))', () => {
    const rng = new Rng(11);
    const attrs: Conv2dOptions = { padding: 1, impl: 'wasm', winograd: true };
    expect(conv2dWinogradTile(conv2dParams('t', [2, 5, 7, 6], [6, 5, 3, 3], attrs), attrs)).to.equal(2);
    const rep = gradcheck(getOp('conv2d'), [randn([2, 5, 7, 6], { rng }), randn([6, 5, 3, 3], { rng }), randn([6], { rng })], { attrs });
    expect(rep.ok, rep.toString()).to.equal(true);
    for (const i of rep.inputs) expect(i.checked).to.be.greaterThan(0);
  });
});
