import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { tensor, zeros } from '../../src/tensor/tensor';
import '../../src/viz/install';
import { modelSummaryTable, tensorTable } from '../../src/viz/table';

describe('viz/table', () => {
  it('tensorTable: HTML table with the highlighted window, ≥ 16 px cells, text with [brackets]', () => {
    const t = tensorTable(tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), { highlight: { row: 1, col: 1, height: 2, width: 2 } });
    const b = t[DISPLAY]();
    const html = b['text/html'] as string;
    expect(html.match(/<td/g)).to.have.length(9);
    expect(html.match(/background:#ffe066/g)).to.have.length(4);
    expect(html).to.match(/font-size:(1[6-9]|[2-9]\d)px/);
    expect(b['text/plain']).to.contain('[5]').and.contain('[9]').and.not.contain('[1]');
    expect(() => tensorTable(tensor([[1]]), { highlight: { row: 0, col: 0, height: 2, width: 1 } })).to.throw(/^tensorTable: highlight/);
    expect(tensorTable(tensor([[0.123456]]), { precision: 2 }).text).to.contain('0.12');
    expect(tensorTable(zeros([2, 3, 2, 2]), { index: [1, 2] }).rows).to.deep.equal([[0, 0], [0, 0]]);
  });

  it('modelSummaryTable renders summary rows and totals', () => {
    const s = {
      inputShape: [1, 1, 28, 28],
      rows: [
        { name: '0', type: 'Conv2d', outputShape: [1, 6, 24, 24], params: 156, flops: 172800 },
        { name: '1', type: 'ReLU', outputShape: [1, 6, 24, 24], params: 0, flops: 0 },
      ],
      totalParams: 156,
      totalFlops: 172800,
    };
    const m = modelSummaryTable(s);
    expect(m.html).to.contain('<th').and.contain('[1, 6, 24, 24]').and.contain('172,800');
    expect(m.text.split('\n')[0]).to.match(/^layer\s+output shape\s+parameters\s+FLOPs$/);
    expect(m.text).to.match(/total\s+input \[1, 1, 28, 28\]\s+156\s+172,800/);
    expect(() => modelSummaryTable({})).to.throw(/^modelSummaryTable: pass summary/);
  });

  it('Tensor rich display: small 2-D → table, image-like → feature maps, else text', () => {
    const small = tensor([[1, 2], [3, 4]]) as unknown as { [DISPLAY](): Record<string, string> };
    expect(Object.keys(small[DISPLAY]()).sort()).to.deep.equal(['text/html', 'text/plain']);
    const img = zeros([1, 3, 8, 8]) as unknown as { [DISPLAY](): Record<string, string> };
    expect(Object.keys(img[DISPLAY]()).sort()).to.deep.equal(['image/png', 'text/html', 'text/plain']);
    const big = zeros([100]) as unknown as { [DISPLAY](): Record<string, string> };
    expect(Object.keys(big[DISPLAY]())).to.deep.equal(['text/plain']);
  });
});
