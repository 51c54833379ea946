import { expect } from 'chai';
import { slice, sliceBackward, sliceSpecs } from '../../src/ops/slice';
import { upsample2d, upsample2dBackward, upsample2dOutputShape, upsampleSpecs } from '../../src/ops/upsample';
import { arange, tensor, zeros } from '../../src/tensor';
import { describeGradchecks } from './nonlinear-helpers';

describe('ops/slice (切分层)', () => {
  it('keeps channels begin … begin+size−1 of every image; backward puts dy back, zeros elsewhere', () => {
    const x = arange(2 * 4 * 2).reshape([2, 4, 2]); // [N=2, C=4, L=2]
    const y = slice(x, 1, 2);
    expect(y.shape).to.deep.equal([2, 2, 2]);
    expect(y.toList()).to.deep.equal([2, 3, 4, 5, 10, 11, 12, 13]);
    const dx = sliceBackward(tensor([1, 2, 3, 4, 5, 6, 7, 8]).reshape([2, 2, 2]), x, 1, 2);
    expect(dx.toList()).to.deep.equal([0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0]);
  });

  it('slices any axis, negative axes counting from the end', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(slice(x, 1, 2, { axis: -1 }).toArray()).to.deep.equal([[2, 3], [5, 6]]);
    expect(slice(x, 1, 1, { axis: 0 }).toArray()).to.deep.equal([[4, 5, 6]]);
  });

  it('errors name the op, the argument and the shape', () => {
    expect(() => slice(zeros([1, 4, 2, 2]), 3, 2)).to.throw(/^slice: size must be an integer in \[1, 1\] \(begin 3 \+ size ≤ 4 along axis 1 of x \[1, 4, 2, 2\]\), got 2/);
    expect(() => slice(zeros([1, 4]), 4, 1)).to.throw(/^slice: begin must be an integer in \[0, 4\) for axis 1 of x \[1, 4\], got 4/);
    expect(() => slice(zeros([1, 4]), 0, 1, { axis: 2 })).to.throw(/^slice: axis 2 is out of range for x \[1, 4\] \(rank 2\)/);
    expect(() => sliceBackward(zeros([1, 3]), [1, 4], 0, 2)).to.throw(/^sliceBackward: dy must have the slice's shape \[1, 2\], got \[1, 3\]/);
  });

  describe('sliceSpecs', () => describeGradchecks(sliceSpecs));
});

describe('ops/upsample (增维: nearest-neighbour upsampling)', () => {
  it('every pixel becomes an s×s block; backward sums each block', () => {
    const x = tensor([[1, 2], [3, 4]]).reshape([1, 1, 2, 2]);
    const y = upsample2d(x, 2);
    expect(y.reshape([4, 4]).toArray()).to.deep.equal([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    const dy = arange(16).reshape([1, 1, 4, 4]);
    // block (0,0) = 0+1+4+5, (0,1) = 2+3+6+7, (1,0) = 8+9+12+13, (1,1) = 10+11+14+15
    expect(upsample2dBackward(dy, x, 2).toList()).to.deep.equal([10, 18, 42, 50]);
  });

  it('different scales per axis, and the output shape without computing', () => {
    const x = tensor([[1, 2]]).reshape([1, 1, 1, 2]);
    expect(upsample2d(x, [2, 3]).reshape([2, 6]).toArray()).to.deep.equal([[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2]]);
    expect(upsample2dOutputShape([8, 16, 7, 7], 2)).to.deep.equal([8, 16, 14, 14]);
  });

  it('errors name the op and the argument', () => {
    expect(() => upsample2d(zeros([2, 2]))).to.throw(/^upsample2d: x must be rank 4 \[N, C, H, W\], got shape \[2, 2\]/);
    expect(() => upsample2d(zeros([1, 1, 2, 2]), 1.5)).to.throw(/^upsample2d: scale must be a positive integer or \[h, w\] of them, got 1.5/);
    expect(() => upsample2dBackward(zeros([1, 1, 3, 3]), [1, 1, 2, 2], 2)).to.throw(/^upsample2dBackward: dy must have the output shape \[1, 1, 4, 4\], got \[1, 1, 3, 3\]/);
  });

  describe('upsampleSpecs', () => describeGradchecks(upsampleSpecs));
});
