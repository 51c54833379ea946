import { expect } from 'chai';
import { DISPLAY, type MimeBundle } from '../../src/display/mime';
import { tensor } from '../../src/tensor/tensor';
import { barChart, confusionMatrix, lineChart } from '../../src/viz/charts';
import { histogram, histograms } from '../../src/viz/histograms';
import { plotlyLoader, plotlyLoaderEmitted, resetPlotlyLoader } from '../../src/viz/web-chart';
import { resetContentIds } from '../../src/viz/raster';
import { decodePng } from './helpers';

const MIMES = ['application/vnd.plotly.v1+json', 'image/png', 'text/html', 'text/plain'];

describe('viz/charts', () => {
  beforeEach(() => {
    resetPlotlyLoader();
    resetContentIds();
  });

  it('the first chart inlines plotly.js once; later charts only wait for window.Plotly', () => {
    const a = lineChart({ loss: [3, 2, 1] })[DISPLAY]();
    const b = lineChart({ loss: [3, 2, 0.5] })[DISPLAY]();
    expect(Object.keys(a).sort()).to.deep.equal(MIMES);
    const ha = a['text/html'] as string;
    const hb = b['text/html'] as string;
    expect(ha.length).to.be.greaterThan(4_000_000);
    expect(ha).to.contain('data-tscnn="plotly-loader"');
    expect(hb.length).to.be.lessThan(200_000);
    expect(hb).not.to.contain('plotly-loader');
    expect(hb).to.contain('window.Plotly');
    expect(hb).not.to.match(/<script[^>]+src=/);
    expect(plotlyLoaderEmitted()).to.equal(true);
    // The static PNG is inside the div until plotly draws (and when scripts never run).
    expect(hb).to.match(/<div id="tscnn-plot-[0-9a-f]{8}" class="tscnn-plot"[^>]*><img /);
  });

  it('ids come from content: same chart → same id (with -2 when repeated), no randomness', () => {
    resetPlotlyLoader();
    const id = (b: MimeBundle) => /id="(tscnn-plot-[^"]+)"/.exec(b['text/html'] as string)![1];
    const c = lineChart({ loss: [1, 2] });
    const first = id(c.bundle({ loader: false }));
    const second = id(c.bundle({ loader: false }));
    expect(second).to.equal(`${first}-2`);
    resetContentIds();
    expect(id(lineChart({ loss: [1, 2] }).bundle({ loader: false }))).to.equal(first);
  });

  it('explicit plotlyLoader() output: bundle with the script, then charts skip it', () => {
    const l = plotlyLoader()[DISPLAY]();
    expect(l['text/html']).to.contain('window.Plotly = Plotly');
    expect(lineChart({ a: [1] })[DISPLAY]()['text/html']).not.to.contain('plotly-loader');
  });

  it('lineChart PNG: the line passes through its points (data → pixel)', async () => {
    const c = lineChart([{ name: 'y', x: [0, 10], y: [0, 10] }], { width: 600, height: 400 });
    const png = await decodePng(c.png);
    expect([png.width, png.height]).to.deep.equal([600, 400]);
    const fig = c.figure;
    expect(fig.data[0]).to.include({ type: 'scatter', name: 'y' });
    // Mid-point of the diagonal is drawn in the first palette colour (#1f77b4); find it on the middle column.
    let hit = false;
    for (let y = 0; y < 400; y++) {
      const [r, g, b] = png.at(Math.round(png.width / 2 + 29), y);
      if (Math.abs(r - 0x1f) < 40 && Math.abs(g - 0x77) < 40 && Math.abs(b - 0xb4) < 40) hit = true;
    }
    expect(hit).to.equal(true);
  });

  it('histogram counts and histograms panels', () => {
    const h = histogram([0, 0.1, 0.5, 0.9, 1], 2);
    expect(h.counts).to.deep.equal([2, 3]);
    expect(h.edges).to.deep.equal([0, 0.5, 1]);
    const c = histograms({ 'conv1.weight': tensor([1, 2, 3, 4], [2, 2]), 'conv1.grad': [0, 0, 1] }, { bins: 4 });
    expect(c.figure.data).to.have.length(2);
    expect(c.text).to.contain('conv1.weight [2, 2]: n 4, mean 2.5');
  });

  it('confusionMatrix: counts in cells, rows true, dark cells get white text', async () => {
    const c = confusionMatrix([[5, 1], [0, 4]], ['cat', 'dog']);
    expect(c.text).to.contain('accuracy 0.9 (9/10)');
    expect((c.figure.data[0] as { z: number[][] }).z).to.deep.equal([[5, 1], [0, 4]]);
    const png = await decodePng(c.png);
    expect(png.width).to.equal(c.width);
    const n = confusionMatrix([[1, 1], [0, 2]], undefined, { normalize: true });
    expect((n.figure.data[0] as { z: number[][] }).z).to.deep.equal([[0.5, 0.5], [0, 1]]);
    expect(() => confusionMatrix([[1, 2]], ['a'])).to.throw(/^confusionMatrix: matrix must be square/);
  });

  it('barChart: ratios vs the baseline impl (speed-up for times)', () => {
    const rows = [
      { case: 'conv 28x28', impl: 'naive', metric: 'time', value: 10, unit: 'ms' },
      { case: 'conv 28x28', impl: 'fast', metric: 'time', value: 2, unit: 'ms' },
      { case: 'lenet', impl: 'naive', metric: 'time', value: 30, unit: 'ms' },
      { case: 'lenet', impl: 'fast', metric: 'time', value: 10, unit: 'ms' },
    ];
    const c = barChart(rows, { baseline: 'naive' });
    expect(c.figure.data.map((t) => [t.name, t.y])).to.deep.equal([['naive', [1, 1]], ['fast', [5, 3]]]);
    expect(c.text).to.contain('conv 28x28: naive 1.00×, fast 5.00×');
    const r = barChart(rows.map((x) => ({ ...x, unit: 'GFLOP/s' })), { baseline: 'naive' });
    expect(r.figure.data[1].y).to.deep.equal([0.2, 1 / 3]);
    expect(() => barChart(rows, { baseline: 'tfjs' })).to.throw(/^barChart: baseline impl 'tfjs' not among naive, fast/);
  });

});
