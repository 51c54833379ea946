import { expect } from 'chai';
import { dropout, dropoutBackward, dropoutSpecs } from '../../src/ops/dropout';
import { Rng, full, seed, tensor, zeros } from '../../src/tensor';
import { describeGradchecks } from './nonlinear-helpers';

describe('ops/dropout', () => {
  it('is reproducible with a seeded Rng and with seed(n), and differs across seeds', () => {
    const x = full([4, 50], 1);
    const a = dropout(x, 0.5, { rng: new Rng(5) });
    const b = dropout(x, 0.5, { rng: new Rng(5) });
    expect(a.mask.toList()).to.deep.equal(b.mask.toList());
    expect(dropout(x, 0.5, { rng: new Rng(6) }).mask.toList()).to.not.deep.equal(a.mask.toList());
    seed(11);
    const c = dropout(x, 0.3).y.toList();
    seed(11);
    expect(dropout(x, 0.3).y.toList()).to.deep.equal(c);
  });

  it('keeps ≈ 1 − p of the units, scales them by 1/(1 − p), so E[y] ≈ x', () => {
    const n = 200_000;
    const x = full([n], 2);
    for (const p of [0.2, 0.5, 0.8]) {
      const { y, mask } = dropout(x, p, { rng: new Rng(42) });
      const scale = Math.fround(1 / (1 - p));
      let kept = 0;
      let odd = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (mask.data[i] === scale) kept++;
        else if (mask.data[i] !== 0) odd++;
        sum += y.data[i];
      }
      expect(odd, 'mask entries other than 0 and 1/(1 − p)').to.equal(0);
      // Binomial std of the kept fraction is √(p(1−p)/n) ≤ 0.0012; allow 4σ.
      expect(kept / n).to.be.closeTo(1 - p, 0.005);
      expect(sum / n).to.be.closeTo(2, 2 * 0.005 / (1 - p));
    }
  });

  it('is the identity in eval mode and for p = 0 (a copy, mask of ones)', () => {
    const x = tensor([1, -2, 3]);
    for (const r of [dropout(x, 0.5, { training: false }), dropout(x, 0)]) {
      expect(r.y.toList()).to.deep.equal([1, -2, 3]);
      expect(r.y.data).to.not.equal(x.data);
      expect(r.mask.toList()).to.deep.equal([1, 1, 1]);
    }
  });

  it('routes gradients through the same mask', () => {
    const { mask } = dropout(full([6], 1), 0.5, { rng: new Rng(3) });
    const dx = dropoutBackward(tensor([1, 2, 3, 4, 5, 6]), mask);
    expect(dx.toList()).to.deep.equal(mask.toList().map((m, i) => m * (i + 1)));
  });

  it('rejects p outside [0, 1) and mismatched shapes', () => {
    expect(() => dropout(zeros([2]), 1)).to.throw(/^dropout: p must be in \[0, 1\), got 1/);
    expect(() => dropout(zeros([2]), -0.1)).to.throw(/^dropout: p must be in \[0, 1\), got -0.1/);
    expect(() => dropout(zeros([2]), NaN)).to.throw(/^dropout: p must be in \[0, 1\), got NaN/);
    expect(() => dropoutBackward(zeros([2]), zeros([3]))).to.throw(/^dropoutBackward: dy \[2\] and mask \[3\] must have the same shape/);
  });

  describe('dropoutSpecs', () => describeGradchecks(dropoutSpecs));
});
