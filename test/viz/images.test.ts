import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { tensor, zeros } from '../../src/tensor/tensor';
import { NEUTRAL, diverging, grey, sequential } from '../../src/viz/colormap';
import { featureMaps, imageOf } from '../../src/viz/images';
import { filters } from '../../src/viz/filters';
import { WRONG_RGB, batchGrid } from '../../src/viz/batch-grid';
import { decodePng } from './helpers';

describe('viz/colormap', () => {
  it('diverging maps 0 to the neutral colour, ±vmax to opposite hues', () => {
    expect(diverging(0, 3)).to.deep.equal(NEUTRAL);
    expect(diverging(0, 3)).to.deep.equal([247, 247, 247]);
    const [r1, , b1] = diverging(3, 3);
    const [r2, , b2] = diverging(-3, 3);
    expect(r1).to.be.greaterThan(b1 + 50); // positive: red
    expect(b2).to.be.greaterThan(r2 + 50); // negative: blue
    expect(diverging(99, 3)).to.deep.equal(diverging(3, 3)); // clamped
  });
  it('sequential runs dark → bright; grey runs black → white', () => {
    const lum = (c: number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    expect(lum(sequential(1, 1))).to.be.greaterThan(lum(sequential(0, 1)) + 100);
    expect(grey(0, 0, 1)).to.deep.equal([0, 0, 0]);
    expect(grey(1, 0, 1)).to.deep.equal([255, 255, 255]);
  });
});

describe('viz/images', () => {
  it('featureMaps: one tile per channel ≥ 96 px, the max lands in the right tile, 0 is neutral', async () => {
    const x = zeros([1, 4, 8, 8]);
    x.set(5, 0, 2, 3, 6); // channel 2, row 3, col 6: the global max
    x.set(-5, 0, 1, 0, 0);
    const fm = featureMaps(x);
    const b = fm[DISPLAY]();
    expect(Object.keys(b).sort()).to.deep.equal(['image/png', 'text/html', 'text/plain']);
    expect(fm.tiles).to.have.length(4);
    expect(fm.tiles[0].width).to.be.at.least(96);
    expect(fm.colorScale!.name).to.equal('diverging');
    const png = await decodePng(b['image/png'] as string);
    expect([png.width, png.height]).to.deep.equal([fm.width, fm.height]);
    const s = fm.tiles[0].width / 8;
    const t2 = fm.tiles[2];
    const centre = (t: typeof t2, r: number, c: number) => png.at(t.x + (c + 0.5) * s, t.y + (r + 0.5) * s).slice(0, 3);
    expect(centre(t2, 3, 6)).to.deep.equal(diverging(5, 5)); // the max, dark red, in tile 2
    expect(centre(t2, 0, 0)).to.deep.equal(NEUTRAL); // zeros
    expect(centre(fm.tiles[1], 0, 0)).to.deep.equal(diverging(-5, 5));
    for (const t of [0, 1, 3]) for (const [r, c] of [[3, 6]]) expect(centre(fm.tiles[t], r, c)).to.deep.equal(NEUTRAL);
  });

  it('featureMaps: non-negative maps use the sequential scale from 0 to max', async () => {
    const x = tensor([[[0, 1], [2, 4]]]); // [1, 2, 2]
    const fm = featureMaps(x);
    expect(fm.colorScale!.name).to.equal('sequential');
    const png = await decodePng(fm.png);
    const t = fm.tiles[0];
    const s = t.width / 2;
    expect(png.at(t.x + 1.5 * s, t.y + 1.5 * s).slice(0, 3)).to.deep.equal(sequential(4, 4));
    expect(png.at(t.x + 0.5 * s, t.y + 0.5 * s).slice(0, 3)).to.deep.equal(sequential(0, 4));
  });

  it('imageOf: grey and RGB images at ≥ 96 px, [0,1] data drawn 0 → black, 1 → white', async () => {
    const g = imageOf(tensor([[0, 1], [1, 0]]));
    const png = await decodePng(g.png);
    const t = g.tiles[0];
    expect(t.width).to.equal(96);
    expect(png.at(t.x + 10, t.y + 10).slice(0, 3)).to.deep.equal([0, 0, 0]);
    expect(png.at(t.x + 60, t.y + 10).slice(0, 3)).to.deep.equal([255, 255, 255]);
    const rgb = imageOf(tensor([[[1]], [[0]], [[0.5]]]));
    const p2 = await decodePng(rgb.png);
    expect(p2.at(rgb.tiles[0].x + 5, rgb.tiles[0].y + 5).slice(0, 3)).to.deep.equal([255, 0, 128]);
    expect(() => imageOf(zeros([2, 4, 4]))).to.throw(/^imageOf: x must be grey/);
  });

  it('filters: grid per output channel; RGB filters as colour when Cin = 3', async () => {
    const w = zeros([2, 3, 3, 3]);
    w.set(1, 1, 0, 1, 1); // out 1, red channel, centre positive
    const f = filters(w);
    expect(f.tiles).to.have.length(2);
    const png = await decodePng(f.png);
    const t = f.tiles[1];
    const s = t.width / 3;
    expect(png.at(t.x + 1.5 * s, t.y + 1.5 * s).slice(0, 3)).to.deep.equal([255, 128, 128]);
    expect(png.at(t.x + 0.5 * s, t.y + 0.5 * s).slice(0, 3)).to.deep.equal([128, 128, 128]);
    const g = filters(zeros([4, 2, 5, 5]));
    expect(g.tiles).to.have.length(8);
    expect(g.tiles[0].width).to.be.at.least(96);
  });

  it('batchGrid: labels and predictions under tiles, wrong ones marked red', async () => {
    const x = zeros([3, 1, 8, 8]);
    const bg = batchGrid(x, { labels: [1, 2, 3], predictions: [1, 0, 3], classNames: ['zero', 'one', 'two', 'three'] });
    expect(bg.wrong).to.deep.equal([1]);
    expect(bg.text).to.contain('1 wrong: [1]');
    const png = await decodePng(bg.png);
    const t = bg.tiles[1];
    expect(png.at(t.x - 1, t.y + 20).slice(0, 3)).to.deep.equal(WRONG_RGB); // red frame
    expect(png.at(bg.tiles[0].x - 1, bg.tiles[0].y + 20).slice(0, 3)).to.deep.equal([255, 255, 255]);
    expect(() => batchGrid(x, { labels: [1] })).to.throw(/^batchGrid: labels has 1 entries/);
  });
});
