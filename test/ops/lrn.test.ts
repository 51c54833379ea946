import { expect } from 'chai';
import { localResponseNorm, localResponseNormBackward, lrnSpecs, type LrnOptions } from '../../src/ops/lrn';
import { tensor, zeros } from '../../src/tensor';
import { describeGradchecks, expectClose, fx, torchRef } from './nonlinear-helpers';

describe('ops/lrn', () => {
  it('divides by (k + alpha/size · Σ window x²)^beta with the window clipped at the channel edges', () => {
    // One pixel, channels [1, 2, 3], size 3 → windows {0,1}, {0,1,2}, {1,2}.
    const x = tensor([1, 2, 3], [1, 3, 1, 1]);
    const o = { size: 3, alpha: 3, beta: 1, k: 1 }; // alpha/size = 1
    expectClose(localResponseNorm(x, o), [1 / (1 + 5), 2 / (1 + 14), 3 / (1 + 13)], 'odd size');
    // Even size 2: window is [c − 1, c] (size/2 before, (size − 1)/2 = 0 after, PyTorch).
    const e = { size: 2, alpha: 2, beta: 1, k: 1 };
    expectClose(localResponseNorm(x, e), [1 / (1 + 1), 2 / (1 + 5), 3 / (1 + 13)], 'even size');
  });

  torchRef.localResponseNorm.forEach((c: any) => {
    it(`matches PyTorch forward and backward: x=[${c.inputs[0].shape}] ${JSON.stringify(c.opts)}`, () => {
      const x = fx(c.inputs[0]);
      const opts = c.opts as LrnOptions;
      expectClose(localResponseNorm(x, opts), c.y.data, 'y', 1e-6);
      expectClose(localResponseNormBackward(tensor(c.dy, c.y.shape), x, opts), c.grads[0], 'dx', 1e-5);
    });
  });

  it('accepts rank-3 input [N, C, L] and uses the AlexNet defaults (alpha 1e-4, beta 0.75, k 1)', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2]);
    const y = localResponseNorm(x, { size: 2 });
    // channel 0 window {0}: 1 + 0.5e-4·1² ; channel 1 window {0,1} for position 0: 1 + 0.5e-4·(1 + 9)
    expectClose(y, [1 / Math.pow(1 + 0.5e-4, 0.75), 2 / Math.pow(1 + 0.5e-4 * 4, 0.75), 3 / Math.pow(1 + 0.5e-4 * 10, 0.75), 4 / Math.pow(1 + 0.5e-4 * 20, 0.75)], 'y', 1e-7);
  });

  it('rejects bad ranks, sizes and dy shapes', () => {
    expect(() => localResponseNorm(zeros([2, 3]), { size: 3 })).to.throw(/^localResponseNorm: x must be rank ≥ 3 \[N, C, …\], got shape \[2, 3\]/);
    expect(() => localResponseNorm(zeros([1, 3, 2, 2]), { size: 0 })).to.throw(/^localResponseNorm: size must be a positive integer, got 0/);
    expect(() => localResponseNorm(zeros([1, 3, 2, 2]), { size: 2.5 })).to.throw(/^localResponseNorm: size must be a positive integer, got 2.5/);
    expect(() => localResponseNorm(zeros([1, 3, 2, 2]), { size: 3, beta: NaN })).to.throw(/^localResponseNorm: beta must be a finite number/);
    expect(() => localResponseNormBackward(zeros([1, 3, 2]), zeros([1, 3, 2, 2]), { size: 3 })).to.throw(
      /^localResponseNormBackward: dy shape \[1, 3, 2\] does not match x \[1, 3, 2, 2\]/,
    );
  });

  describe('lrnSpecs', () => describeGradchecks(lrnSpecs));
});
