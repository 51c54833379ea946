import { expect } from 'chai';
import { arange, full, ones, rand, randn, seed, tensor, zeros, Rng } from '../../src/tensor';

describe('tensor core', () => {
  it('builds from nested arrays and infers the shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).to.deep.equal([2, 3]);
    expect(t.get(1, 2)).to.equal(6);
    expect(t.toArray()).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
  });

  it('builds from a flat array with a shape, inferring -1', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [3, -1]);
    expect(t.shape).to.deep.equal([3, 2]);
    expect(t.get(2, 0)).to.equal(5);
  });

  it('rejects ragged arrays and mismatched shapes with the op name', () => {
    expect(() => tensor([[1, 2], [3]])).to.throw(/^tensor: nested arrays are ragged/);
    expect(() => tensor([1, 2, 3], [2, 2])).to.throw(/^tensor: cannot reshape \(3 elements\) to \[2, 2\]/);
    expect(() => zeros([2, 2]).get(2, 0)).to.throw(/out of range for shape \[2, 2\]/);
  });

  it('has zeros, ones, full and arange', () => {
    expect(zeros([2, 2]).toList()).to.deep.equal([0, 0, 0, 0]);
    expect(ones([3]).toList()).to.deep.equal([1, 1, 1]);
    expect(full([2], 7).toList()).to.deep.equal([7, 7]);
    expect(arange(5).toList()).to.deep.equal([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toList()).to.deep.equal([1, 1.25, 1.5, 1.75]);
  });

  it('is reproducible after seed(n) and differs across seeds', () => {
    seed(42);
    const a = randn([100]).toList();
    const u = rand([10]).toList();
    seed(42);
    expect(randn([100]).toList()).to.deep.equal(a);
    expect(rand([10]).toList()).to.deep.equal(u);
    seed(43);
    expect(randn([100]).toList()).to.not.deep.equal(a);
  });

  it('draws normals with mean ≈ 0 and std ≈ 1 and uniforms in range', () => {
    const rng = new Rng(7);
    const x = randn([20000], { rng }).data;
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean)).to.be.below(0.03);
    expect(Math.abs(std - 1)).to.be.below(0.03);
    const u = rand([1000], { rng, low: -2, high: 3 }).data;
    expect(Math.min(...u)).to.be.at.least(-2);
    expect(Math.max(...u)).to.be.below(3);
  });

  it('prints 2-D slices like the lecture tables', () => {
    const t = tensor([[4, 3, 4], [2, 4, 3], [2, 3, 4]], [1, 1, 3, 3]);
    expect(t.toString()).to.equal('Tensor [1, 1, 3, 3]\n[0, 0, :, :] =\n  4  3  4\n  2  4  3\n  2  3  4');
    expect(tensor([[0.5, -1.25]]).toString()).to.equal('Tensor [1, 2]\n    0.5  -1.25');
  });
});
