/** src/viz against the real src/layers modules (config(), summary). */
import { expect } from 'chai';
import { Conv2d, MaxPool2d, ReLU, Sequential, receptiveField, summary } from '../../src/layers';
import { receptiveFieldOfUnit } from '../../src/viz/receptive';
import { modelSummaryTable } from '../../src/viz/table';

describe('viz with src/layers', () => {
  it('receptive field of real Conv2d/ReLU/MaxPool2d stacks agrees with the layers arithmetic', () => {
    const two = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Conv2d(4, 4, 3));
    const f = receptiveFieldOfUnit(two, 2, [3, 3], [1, 1, 12, 12]);
    expect(f.size).to.deep.equal([5, 5]);
    expect(f.rows).to.deep.equal([3, 7]);
    const deep = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new MaxPool2d(2), new Conv2d(4, 8, 3, { dilation: 2 }), new MaxPool2d(2, { stride: 1 }));
    const g = receptiveFieldOfUnit(deep, 3, [2, 2], [1, 1, 32, 32]);
    expect(g.size).to.deep.equal(receptiveField(deep, { inputShape: [1, 1, 32, 32] }).receptiveField);
  });

  it('modelSummaryTable(model, inputShape) renders summary() rows', () => {
    const m = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2));
    const s = summary(m, [1, 1, 28, 28]);
    const t = modelSummaryTable(m, [1, 1, 28, 28]);
    expect(t.summary.rows.map((r) => r.outputShape)).to.deep.equal(s.rows.map((r) => r.outputShape));
    expect(t.text).to.contain('[1, 6, 24, 24]').and.contain('[1, 6, 12, 12]').and.contain('156');
  });
});
