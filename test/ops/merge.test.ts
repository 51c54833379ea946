import { expect } from 'chai';
import { add, addBackward, concat, concatBackward, mergeSpecs } from '../../src/ops/merge';
import { arange, tensor, zeros } from '../../src/tensor';
import { describeGradchecks } from './nonlinear-helpers';

describe('ops/merge', () => {
  it('concatenates along channels (Inception) and splits dy back', () => {
    const a = arange(4).reshape([1, 1, 2, 2]);
    const b = arange(10, 18).reshape([1, 2, 2, 2]);
    const y = concat([a, b]);
    expect(y.shape).to.deep.equal([1, 3, 2, 2]);
    expect(y.toList()).to.deep.equal([0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17]);
    const [da, db] = concatBackward(y, [a, b]);
    expect(da.toList()).to.deep.equal(a.toList());
    expect(db.toList()).to.deep.equal(b.toList());
    const [sa, sb] = concatBackward(y, [[1, 1, 2, 2], [1, 2, 2, 2]]);
    expect(sa.shape).to.deep.equal([1, 1, 2, 2]);
    expect(sb.toList()).to.deep.equal(b.toList());
  });

  it('concatenates along any axis, negative axes counting from the end', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5], [6]]);
    expect(concat([a, b], -1).toArray()).to.deep.equal([[1, 2, 5], [3, 4, 6]]);
    expect(concat([a, tensor([[7, 8]])], 0).toArray()).to.deep.equal([[1, 2], [3, 4], [7, 8]]);
    const n2 = concat([a, a, a], 0);
    expect(n2.shape).to.deep.equal([6, 2]);
  });

  it('add sums element-wise and passes dy to both inputs (ResNet shortcut)', () => {
    expect(add(tensor([1, 2]), tensor([10, 20])).toList()).to.deep.equal([11, 22]);
    const dy = tensor([3, 4]);
    const [da, db] = addBackward(dy);
    expect(da.toList()).to.deep.equal([3, 4]);
    expect(db.toList()).to.deep.equal([3, 4]);
    expect(da.data).to.not.equal(db.data);
  });

  it('names every shape in errors', () => {
    expect(() => concat([zeros([1, 2, 3, 3]), zeros([1, 2, 4, 3]), zeros([1, 1, 3, 3])])).to.throw(
      /^concat: all dimensions except axis 1 must match, got shapes \[1, 2, 3, 3\], \[1, 2, 4, 3\], \[1, 1, 3, 3\]/,
    );
    expect(() => concat([zeros([1, 2]), zeros([1, 2, 1])])).to.throw(/^concat: all dimensions except axis 1 must match, got shapes \[1, 2\], \[1, 2, 1\]/);
    expect(() => concat([zeros([1, 2])], 2)).to.throw(/^concat: axis 2 is out of range for rank 2/);
    expect(() => concat([])).to.throw(/^concat: needs at least one tensor/);
    expect(() => concatBackward(zeros([1, 4]), [[1, 2], [1, 1]])).to.throw(/^concatBackward: dy shape \[1, 4\] does not match the concatenated shape \[1, 3\]/);
    expect(() => add(zeros([2, 3]), zeros([3, 2]))).to.throw(/^add: a \[2, 3\] and b \[3, 2\] must have the same shape/);
  });

  describe('mergeSpecs', () => describeGradchecks(mergeSpecs));
});
