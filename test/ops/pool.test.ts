import { expect } from 'chai';
import {
  avgPool2d,
  avgPool2dBackward,
  globalAvgPool2d,
  globalAvgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dWithIndices,
  poolSpecs,
  type AvgPool2dOptions,
  type Pool2dOptions,
} from '../../src/ops/pool';
import { getOpsImpl, setOpsImpl } from '../../src/ops/engine';
import { wasmKernels } from '../../src/ops/wasm/runtime';
import { Rng, ones, randn, tensor, zeros } from '../../src/tensor';
import { describeGradchecks, expectClose, fx, torchRef } from './nonlinear-helpers';

describe('ops/pool', () => {
  describe('maxPool2d', () => {
    it('pools the lecture 4×4 example with 2×2 stride 2 to [[6, 8], [3, 4]]', () => {
      const x = tensor([[[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]]]);
      const { y, indices } = maxPool2dWithIndices(x, { kernelSize: 2, stride: 2 });
      expect(y.toArray()).to.deep.equal([[[[6, 8], [3, 4]]]]);
      // Winners: 6 at (1,1), 8 at (1,3), 3 at (2,0), 4 at (3,3) as flat indices into the 4×4 plane.
      expect(Array.from(indices)).to.deep.equal([5, 7, 8, 15]);
      const dx = maxPool2dBackward(tensor([[[[10, 20], [30, 40]]]]), x, { kernelSize: 2 });
      expect(dx.toArray()).to.deep.equal([[[[0, 0, 0, 0], [0, 10, 0, 20], [30, 0, 0, 0], [0, 0, 0, 40]]]]);
    });

    it('lets the first maximum win ties (PyTorch order) and sums gradients of overlapping windows', () => {
      const x = tensor([[[[3, 3, 1], [3, 0, 2], [1, 2, 2]]]]);
      const { y, indices } = maxPool2dWithIndices(x, { kernelSize: 2, stride: 1 });
      expect(y.toList()).to.deep.equal([3, 3, 3, 2]);
      expect(Array.from(indices)).to.deep.equal([0, 1, 3, 5]);
      const dx = maxPool2dBackward(ones([1, 1, 2, 2]), x, { kernelSize: 2, stride: 1 });
      expect(dx.toList()).to.deep.equal([1, 1, 0, 1, 0, 1, 0, 0, 0]);
    });

    it('propagates NaN instead of silently skipping it (PyTorch)', () => {
      const y = maxPool2d(tensor([[[[1, NaN], [5, 2]]]]), { kernelSize: 2 });
      expect(Number.isNaN(y.data[0])).to.equal(true);
    });

    it('the WebAssembly 2×2/stride-2 kernel equals the scalar loop bit for bit (values, ties, NaN, odd sizes)', function () {
      if (!wasmKernels()) this.skip();
      // Rounded values make ties common; NaN in some windows; widths that leave 0–3 outputs
      // for the scalar tail and an odd last row/column the windows never reach.
      // (≥ 4096 input floats: smaller inputs stay in plain JS)
      for (const [n, c, h, w] of [[2, 3, 28, 28], [40, 12, 9, 11], [64, 8, 6, 17], [1024, 4, 2, 2], [128, 8, 5, 8]]) {
        const x = randn([n, c, h, w], { rng: new Rng(h * 100 + w) });
        for (let i = 0; i < x.size; i++) {
          x.data[i] = Math.round(x.data[i] * 2) / 2;
          if (i % 37 === 5) x.data[i] = NaN;
        }
        const opts = { kernelSize: 2, stride: 2 };
        const fast = maxPool2dWithIndices(x, opts);
        const prev = getOpsImpl();
        setOpsImpl('js');
        let ref;
        try {
          ref = maxPool2dWithIndices(x, opts);
        } finally {
          setOpsImpl(prev);
        }
        expect(Array.from(fast.indices), `indices [${n},${c},${h},${w}]`).to.deep.equal(Array.from(ref.indices));
        for (let i = 0; i < ref.y.size; i++) if (!Object.is(fast.y.data[i], ref.y.data[i])) expect.fail(`y[${i}] [${n},${c},${h},${w}]`);
      }
    });

    it('the WebAssembly backward equals the scalar scatter bit for bit, overlapping windows too, and checks indices', function () {
      if (!wasmKernels()) this.skip();
      for (const opts of [{ kernelSize: 2, stride: 2 }, { kernelSize: 3, stride: 1 }, { kernelSize: 3, stride: 2, padding: 1 }]) {
        const x = randn([16, 6, 14, 14], { rng: new Rng(7) });
        const { y, indices } = maxPool2dWithIndices(x, opts);
        const dy = randn(y.shape, { rng: new Rng(8) });
        const fast = maxPool2dBackward(dy, x, opts, indices);
        const prev = getOpsImpl();
        setOpsImpl('js');
        let ref;
        try {
          ref = maxPool2dBackward(dy, x, opts, indices);
        } finally {
          setOpsImpl(prev);
        }
        expect(Buffer.from(fast.data.buffer, fast.data.byteOffset, fast.data.byteLength).equals(Buffer.from(ref.data.buffer, ref.data.byteOffset, ref.data.byteLength)), JSON.stringify(opts)).to.equal(true);
        const bad = Int32Array.from(indices);
        bad[1000] = 14 * 14;
        expect(() => maxPool2dBackward(dy, x, opts, bad)).to.throw(/^maxPool2dBackward: index 196 at position 1000 is outside the 14×14 plane of x/);
      }
    });

    it('treats padding as −∞ (all-negative input keeps negative maxima)', () => {
      const x = tensor([[[[-1, -2], [-3, -4]]]]);
      expect(maxPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).toList()).to.deep.equal([-1, -1, -2, -1, -1, -2, -3, -3, -4]);
    });

    torchRef.maxPool2d.forEach((c: any) => {
      it(`matches PyTorch forward, indices and backward: x=[${c.inputs[0].shape}] ${JSON.stringify(c.opts)}`, () => {
        const x = fx(c.inputs[0]);
        const opts = c.opts as Pool2dOptions;
        const { y, indices } = maxPool2dWithIndices(x, opts);
        expect(y.shape).to.deep.equal(c.y.shape);
        expectClose(y, c.y.data, 'y', 0, 0);
        expect(Array.from(indices)).to.deep.equal(c.indices);
        const dy = tensor(c.dy, c.y.shape);
        expectClose(maxPool2dBackward(dy, x, opts, indices), c.grads[0], 'dx (given indices)');
        expectClose(maxPool2dBackward(dy, x, opts), c.grads[0], 'dx (recomputed indices)');
      });
    });

    it('rejects bad ranks, oversized kernels, too much padding and mismatched dy/indices', () => {
      expect(() => maxPool2d(zeros([3, 3]), { kernelSize: 2 })).to.throw(/^maxPool2d: x must be rank 4 \[N, C, H, W\], got shape \[3, 3\]/);
      expect(() => maxPool2d(zeros([1, 1, 3, 3]), { kernelSize: 5 })).to.throw(
        /^maxPool2d: kernelSize 5 is larger than the padded input 3 \+ 0 \+ 0 = 3 along H of x \[1, 1, 3, 3\]/,
      );
      expect(() => maxPool2d(zeros([1, 1, 3, 3]), { kernelSize: 2, dilation: 3 })).to.throw(/^maxPool2d: kernelSize 2 \(dilation 3 → effective 4\) is larger than the padded input 3/);
      expect(() => maxPool2d(zeros([1, 1, 8, 8]), { kernelSize: 3, padding: 2 })).to.throw(/^maxPool2d: padding 2 along H must be at most half the kernel size 3, i.e. ≤ 1/);
      // Dilation widens the window, so PyTorch (≥ 2) allows more padding: 3 taps at dilation 2 span 5.
      expect(maxPool2d(zeros([1, 1, 8, 8]), { kernelSize: 3, stride: 1, padding: 2, dilation: 2 }).shape).to.deep.equal([1, 1, 8, 8]);
      expect(() => maxPool2d(zeros([1, 1, 4, 4]), { kernelSize: 0 })).to.throw(/^maxPool2d: kernelSize must be a positive integer/);
      expect(() => maxPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2, stride: [1, 0] })).to.throw(/^maxPool2d: stride must be a positive integer/);
      const x = zeros([1, 2, 4, 4]);
      expect(() => maxPool2dBackward(zeros([1, 2, 3, 3]), x, { kernelSize: 2 })).to.throw(
        /^maxPool2dBackward: dy shape \[1, 2, 3, 3\] does not match the output shape \[1, 2, 2, 2\]/,
      );
      expect(() => maxPool2dBackward(zeros([1, 2, 2, 2]), x, { kernelSize: 2 }, new Int32Array(3))).to.throw(
        /^maxPool2dBackward: indices has 3 entries but dy \[1, 2, 2, 2\] has 8/,
      );
      expect(() => maxPool2dBackward(zeros([1, 2, 2, 2]), x, { kernelSize: 2 }, new Int32Array(8).fill(16))).to.throw(/^maxPool2dBackward: index 16 at position 0 is outside the 4×4 plane/);
    });
  });

  describe('avgPool2d', () => {
    it('divides padded windows by the full window, or by the real pixels with countIncludePad: false', () => {
      const x = ones([1, 1, 3, 3]);
      const inc = avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1 });
      expectClose(inc, [4 / 9, 6 / 9, 4 / 9, 6 / 9, 1, 6 / 9, 4 / 9, 6 / 9, 4 / 9], 'countIncludePad true');
      expect(avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }).toList()).to.deep.equal(Array(9).fill(1));
    });

    it('does not charge a ceilMode window for the part hanging past the padded edge (PyTorch rule)', () => {
      // 5 wide, k=2, s=2, ceil → 3 outputs; the last window covers column 4 only, divisor 1 (not 2).
      const x = tensor([[[[1, 2, 3, 4, 5]]]]);
      const y = avgPool2d(x, { kernelSize: [1, 2], stride: [1, 2], ceilMode: true });
      expect(y.toList()).to.deep.equal([1.5, 3.5, 5]);
      const dx = avgPool2dBackward(tensor([[[[2, 4, 6]]]]), x, { kernelSize: [1, 2], stride: [1, 2], ceilMode: true });
      expect(dx.toList()).to.deep.equal([1, 1, 2, 2, 6]);
    });

    torchRef.avgPool2d.forEach((c: any) => {
      it(`matches PyTorch forward and backward: x=[${c.inputs[0].shape}] ${JSON.stringify(c.opts)}`, () => {
        const x = fx(c.inputs[0]);
        const opts = c.opts as AvgPool2dOptions;
        const y = avgPool2d(x, opts);
        expect(y.shape).to.deep.equal(c.y.shape);
        expectClose(y, c.y.data, 'y');
        expectClose(avgPool2dBackward(tensor(c.dy, c.y.shape), x, opts), c.grads[0], 'dx');
      });
    });

    it('rejects dilation, too much padding and a wrong dy', () => {
      expect(() => avgPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2, dilation: 2 })).to.throw(/^avgPool2d: dilation is only supported by maxPool2d/);
      expect(() => avgPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2, padding: 2 })).to.throw(/^avgPool2d: padding 2 along H must be at most half/);
      expect(() => avgPool2d(zeros([1, 1, 4, 2]), { kernelSize: 3 })).to.throw(/^avgPool2d: kernelSize 3 is larger than the padded input 2 \+ 0 \+ 0 = 2 along W/);
      expect(() => avgPool2dBackward(zeros([1, 1, 2]), zeros([1, 1, 4, 4]), { kernelSize: 2 })).to.throw(/^avgPool2dBackward: dy must be rank 4/);
    });
  });

  describe('globalAvgPool2d', () => {
    it('averages each channel plane and spreads dy evenly back', () => {
      const x = tensor([[[[1, 2], [3, 6]], [[0, 0], [0, 4]]]]);
      const y = globalAvgPool2d(x);
      expect(y.shape).to.deep.equal([1, 2, 1, 1]);
      expect(y.toList()).to.deep.equal([3, 1]);
      expect(globalAvgPool2dBackward(tensor([8, 4], [1, 2, 1, 1]), x).toList()).to.deep.equal([2, 2, 2, 2, 1, 1, 1, 1]);
      const c = torchRef.globalAvgPool2d[0];
      expectClose(globalAvgPool2d(fx(c.inputs[0])), c.y.data, 'y vs PyTorch');
      expectClose(globalAvgPool2dBackward(tensor(c.dy, c.y.shape), fx(c.inputs[0])), c.grads[0], 'dx vs PyTorch');
      expect(() => globalAvgPool2dBackward(zeros([1, 2]), x)).to.throw(/^globalAvgPool2dBackward: dy shape \[1, 2\] does not match the output shape \[1, 2, 1, 1\]/);
    });
  });

  describe('poolSpecs', () => describeGradchecks(poolSpecs));
});
