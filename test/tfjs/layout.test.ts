import { expect } from 'chai';
import { arange, randn, Rng } from '../../src/tensor';
import { fromTfLayout, permute, toTfLayout } from '../../src/tfjs/layout';

describe('tfjs layout bridge (NCHW ⇄ NHWC)', () => {
  it('permute moves axes: out.shape[i] = in.shape[perm[i]]', () => {
    const t = arange(24).reshape([2, 3, 4]);
    const p = permute(t, [2, 0, 1]);
    expect(p.shape).to.deep.equal([4, 2, 3]);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) expect(p.get(c, a, b)).to.equal(t.get(a, b, c));
  });

  it('activations: x[n,c,h,w] = nhwc[n,h,w,c], and back', () => {
    const x = randn([2, 3, 4, 5], { rng: new Rng(1) });
    const y = toTfLayout(x, 'activation');
    expect(y.shape).to.deep.equal([2, 4, 5, 3]);
    expect(y.get(1, 3, 2, 0)).to.equal(x.get(1, 0, 3, 2));
    expect(fromTfLayout(y, 'activation').toList()).to.deep.equal(x.toList());
  });

  it('conv weights: w[co,ci,kh,kw] = tf[kh,kw,ci,co], and back', () => {
    const w = randn([6, 2, 5, 3], { rng: new Rng(2) });
    const t = toTfLayout(w, 'conv-weight');
    expect(t.shape).to.deep.equal([5, 3, 2, 6]);
    expect(t.get(4, 1, 1, 5)).to.equal(w.get(5, 1, 4, 1));
    expect(fromTfLayout(t, 'conv-weight').toList()).to.deep.equal(w.toList());
  });

  it('depthwise weights: w[c·m + j, 0, kh, kw] = tf[kh, kw, c, j]', () => {
    const w = randn([6, 1, 3, 2], { rng: new Rng(3) }); // C = 3 channels, multiplier m = 2
    const t = toTfLayout(w, 'depthwise-weight', 2);
    expect(t.shape).to.deep.equal([3, 2, 3, 2]);
    expect(t.get(2, 1, 2, 1)).to.equal(w.get(2 * 2 + 1, 0, 2, 1));
    expect(fromTfLayout(t, 'depthwise-weight').toList()).to.deep.equal(w.toList());
  });

  it('linear weights: w[out,in] = dense kernel[in,out]', () => {
    const w = arange(6).reshape([2, 3]);
    expect(toTfLayout(w, 'linear-weight').toArray()).to.deep.equal([[0, 3], [1, 4], [2, 5]]);
  });

  it('rejects wrong ranks with the function name and shape', () => {
    expect(() => toTfLayout(arange(6).reshape([2, 3]), 'conv-weight')).to.throw(/^toTfLayout: conv-weight must be rank 4, got \[2, 3\]/);
    expect(() => permute(arange(6).reshape([2, 3]), [0, 0])).to.throw(/^permute: perm \[0, 0\] is not a permutation/);
  });
});
