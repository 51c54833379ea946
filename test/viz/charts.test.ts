import { expect } from 'chai';
import { DISPLAY, type MimeBundle } from '../../src/display/mime';
import { tensor } from '../../src/tensor/tensor';
import { barChart, confusionMatrix, histogram, histograms, lineChart, lossCurves } from '../../src/viz/charts';
import { LiveChart } from '../../src/viz/live';
import { plotlyLoader, plotlyLoaderEmitted, resetPlotlyLoader } from '../../src/viz/plotly';
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

  it('lossCurves: loss left, accuracy right, epoch on x', () => {
    const c = lossCurves([{ epoch: 1, loss: 2, acc: 0.5 }, { epoch: 2, loss: 1, acc: 0.7 }, { epoch: 3, loss: 0.5, acc: 0.9 }]);
    const names = c.figure.data.map((t) => [t.name, t.xaxis ?? 'x']);
    expect(names).to.deep.equal([['loss', 'x'], ['acc', 'x2']]);
    expect(c.figure.data[0].x).to.deep.equal([1, 2, 3]);
    expect(c.text).to.contain('loss: 0.5').and.contain('acc: 0.9');
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

  it('LiveChart: first push displays (loader in its own output), later pushes update the same id, throttled', () => {
    const calls: { kind: string; id?: string; bundle: MimeBundle }[] = [];
    let t = 0;
    const display = (b: unknown, opts?: { id?: string }) => {
      const bundle = typeof (b as Record<symbol, unknown>)[DISPLAY] === 'function' ? (b as { [DISPLAY](): MimeBundle })[DISPLAY]() : (b as MimeBundle);
      calls.push({ kind: 'display', id: opts?.id, bundle });
      return { id: opts?.id ?? 'x', update: (u: unknown) => calls.push({ kind: 'update', id: opts?.id, bundle: u as MimeBundle }) };
    };
    const live = new LiveChart({ display, throttleMs: 1000, now: () => t });
    live.push({ epoch: 1, loss: 2 });
    expect(calls.map((c) => c.kind)).to.deep.equal(['display', 'display']);
    expect(calls[0].bundle['text/html']).to.contain('plotly-loader');
    expect(calls[1].bundle['text/html']).not.to.contain('plotly-loader');
    t = 100;
    live.push({ epoch: 2, loss: 1.5 }); // throttled
    expect(calls).to.have.length(2);
    t = 1200;
    live.push({ epoch: 3, loss: 1 });
    expect(calls).to.have.length(3);
    expect(calls[2].kind).to.equal('update');
    expect(calls[2].id).to.equal(calls[1].id);
    t = 1300;
    live.push({ epoch: 4, loss: 0.7 });
    live.done();
    expect(calls).to.have.length(4);
    expect(calls[3].bundle['text/plain']).to.contain('loss: 0.7 (last of 4)');
    expect(() => live.push({ loss: 'x' as unknown as number })).to.throw(/^LiveChart.push: 'loss' must be a number/);
  });
});
