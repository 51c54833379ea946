import { expect } from 'chai';
import { flatten, flattenBackward, flattenSpecs } from '../../src/ops/flatten';
import { arange, zeros } from '../../src/tensor';
import { describeGradchecks } from './nonlinear-helpers';

describe('ops/flatten', () => {
  it('flattens [N, C, H, W] to [N, C·H·W] in channel-major order and reshapes dy back', () => {
    const x = arange(24).reshape([2, 3, 2, 2]);
    const y = flatten(x);
    expect(y.shape).to.deep.equal([2, 12]);
    expect(y.toList()).to.deep.equal(x.toList());
    expect(y.data).to.not.equal(x.data); // a copy, not a view
    const dx = flattenBackward(y, x);
    expect(dx.shape).to.deep.equal([2, 3, 2, 2]);
    expect(dx.toList()).to.deep.equal(x.toList());
  });

  it('rejects rank < 2 and a mismatched dy', () => {
    expect(() => flatten(zeros([5]))).to.throw(/^flatten: x must be rank ≥ 2 \[N, …\], got shape \[5\]/);
    expect(() => flattenBackward(zeros([2, 11]), zeros([2, 3, 2, 2]))).to.throw(
      /^flattenBackward: dy shape \[2, 11\] does not match the output shape \[2, 12\] of x \[2, 3, 2, 2\]/,
    );
  });

  describe('flattenSpecs', () => describeGradchecks(flattenSpecs));
});
