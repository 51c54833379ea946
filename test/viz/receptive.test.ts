import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { receptiveFieldOfUnit, receptiveFieldView } from '../../src/viz/receptive';
import { decodePng } from './helpers';

describe('viz/receptive', () => {
  it('two stacked 3×3 convs: a unit sees 5×5 input pixels, centre counted 9 times', () => {
    const f = receptiveFieldOfUnit([{ kernelSize: 3 }, { kernelSize: 3 }], 1, [2, 2], [1, 1, 9, 9]);
    expect(f.layerOutput).to.deep.equal([5, 5]);
    expect(f.size).to.deep.equal([5, 5]);
    expect(f.rows).to.deep.equal([2, 6]);
    expect(f.cols).to.deep.equal([2, 6]);
    expect(f.counts[4][4]).to.equal(9); // 3×3 paths through the middle
    expect(f.counts[2][2]).to.equal(1);
    expect(f.counts[1][4]).to.equal(0);
  });

  it('pool stride, padding and dilation compose; borders clip', () => {
    // conv3 → pool2/2 → conv3: field 1 + 2 + 1·2 + 2·2 = 8? r = 3, then +1·1 (pool k2 at jump 1) = 4, then +2·2 = 8.
    const f = receptiveFieldOfUnit([{ kernelSize: 3 }, { kernelSize: 2, type: 'MaxPool2d' }, { kernelSize: 3 }], 2, [1, 1], [16, 16]);
    expect(f.size).to.deep.equal([8, 8]);
    expect(f.rows).to.deep.equal([2, 9]);
    const d = receptiveFieldOfUnit([{ kernelSize: 3, dilation: 2 }], 0, [0, 0], [7, 7]);
    expect(d.size).to.deep.equal([5, 5]);
    expect(d.counts[1][0]).to.equal(0); // dilation hole
    expect(d.counts[2][2]).to.equal(1);
    const p = receptiveFieldOfUnit([{ kernelSize: 3, padding: 1 }], 0, [0, 0], [5, 5]);
    expect(p.rows).to.deep.equal([0, 1]); // padding taps are not pixels
  });

  it('accepts src/layers-style modules through config()', () => {
    const conv = { config: () => ({ type: 'Conv2d', args: { kernelSize: [3, 3], stride: [1, 1], padding: 0, dilation: [1, 1] } }) };
    const relu = { config: () => ({ type: 'ReLU', args: {} }) };
    const seq = { config: () => ({ type: 'Sequential', args: {} }), children: () => [conv, relu, conv] };
    expect(receptiveFieldOfUnit(seq, 2, [0, 0], [1, 1, 8, 8]).size).to.deep.equal([5, 5]);
    const flat = { config: () => ({ type: 'Flatten', args: {} }) };
    expect(() => receptiveFieldOfUnit([conv, flat], 1, [0, 0], [8, 8])).to.throw(/^receptiveFieldOfUnit: layer 1 \(Flatten\) mixes all positions/);
  });

  it('view: PNG with the 5×5 box outlined in red around coloured pixels', async () => {
    const v = receptiveFieldView([{ kernelSize: 3 }, { kernelSize: 3 }], 1, [2, 2], [1, 1, 9, 9]);
    const b = v[DISPLAY]();
    expect(b['text/plain']).to.contain('5×5');
    const png = await decodePng(b['image/png'] as string);
    const [x0, y0] = v.origin;
    const c = v.cell;
    expect(png.at(x0 + 0.5 * c, y0 + 0.5 * c).slice(0, 3)).to.deep.equal([255, 255, 255]); // outside
    expect(png.at(x0 + 4.5 * c + 4, y0 + 4.5 * c + 4).slice(0, 3)).to.not.deep.equal([255, 255, 255]); // inside
    expect(png.at(x0 + 2 * c + 1, y0 + 4.5 * c).slice(0, 3)).to.deep.equal([224, 49, 49]); // red box edge
  });
});
