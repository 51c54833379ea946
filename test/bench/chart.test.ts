import { expect } from 'chai';
import { benchChartsHtml } from '../../bench/chart';
import { parseArgs } from '../../bench/run';
import type { BenchRow } from '../../bench/rows';

describe('bench ratio charts (--html)', () => {
  const rows: BenchRow[] = [
    { case: 'S1-fwd', impl: 'naive', metric: 'gflops', value: 0.5, unit: 'GFLOP/s' },
    { case: 'S1-fwd', impl: 'fast', metric: 'gflops', value: 5, unit: 'GFLOP/s' },
    { case: 'S1-fwd', impl: 'tfjs-wasm', metric: 'gflops', value: 2.5, unit: 'GFLOP/s' },
    { case: 'lenet5-train', impl: 'tscnn', metric: 'imagesPerSec', value: 1000, unit: 'images/s' },
    { case: 'lenet5-train', impl: 'tfjs-wasm', metric: 'imagesPerSec', value: 250, unit: 'images/s' },
  ];

  it('draws conv ratios vs naive and training ratios vs tscnn, plotly inlined once', () => {
    const html = benchChartsHtml(rows);
    expect(html.match(/data-tscnn="plotly-loader"/g)).to.have.length(1);
    expect(html.match(/class="tscnn-plot"/g)).to.have.length(2);
    // the ratios the math demands: fast 5/0.5 = 10×, tfjs-wasm 2.5/0.5 = 5×, tfjs 250/1000 = 0.25×
    expect(html).to.contain('"y":[10]');
    expect(html).to.contain('"y":[5]');
    expect(html).to.contain('"y":[0.25]');
  });

  it('parses --html and rejects a missing value', () => {
    expect(parseArgs(['--html', 'x.html', '--quick']).html).to.equal('x.html');
    expect(() => parseArgs(['--html'])).to.throw(/^bench: --html needs a value/);
  });
});
