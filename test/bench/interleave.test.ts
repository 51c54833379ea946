import { expect } from 'chai';
import { alternate, bestRound, fmtRounds } from '../../bench/interleave';

describe('bench interleaving (ours, PyTorch, ours, PyTorch, …)', () => {
  it('alternates the two sides round by round', async () => {
    const order: string[] = [];
    let n = 0;
    const r = await alternate(3, () => (order.push('ours'), ++n), async () => (order.push('theirs'), 10 * n));
    expect(order).to.deep.equal(['ours', 'theirs', 'ours', 'theirs', 'ours', 'theirs']);
    expect(r).to.deep.equal({ ours: [1, 2, 3], theirs: [10, 20, 30] });
  });

  it('measures ours alone without a peer', async () => {
    expect(await alternate(2, () => 5)).to.deep.equal({ ours: [5, 5], theirs: [] });
  });

  it('picks the shortest time as the best round', () => {
    expect(bestRound([1.2, 0.9, 1.0])).to.equal(1);
    expect(bestRound([0.5])).to.equal(0);
    expect(fmtRounds([1.234, 5])).to.equal('1.23 5.00');
  });
});
