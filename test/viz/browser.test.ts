/**
 * End to end, offline: bundles → .ipynb (nbformat 4) → `nbconvert --to html` → headless Chromium.
 * Checks that plotly charts drew (an SVG of the chart's size inside each div, the loader coming
 * from an earlier output), images decoded at their size, and the walkthrough controls work.
 * Screenshot: test-artifacts/viz/notebook.png (git-ignored).
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { DISPLAY, type MimeBundle } from '../../src/display/mime';
import { tensor, zeros } from '../../src/tensor/tensor';
import { barChart, confusionMatrix } from '../../src/viz/charts';
import { histograms } from '../../src/viz/histograms';
import { featureMaps } from '../../src/viz/images';
import { resetPlotlyLoader } from '../../src/viz/web-chart';
import { receptiveFieldView } from '../../src/viz/receptive';
import { tensorTable } from '../../src/viz/table';
import { renderTrainingView } from '../../src/viz/training-view';
import { convWalkthrough } from '../../src/viz/walk-ops';

const CHROMIUM = '/usr/bin/chromium';
const PYTHON = '/usr/bin/python3';
const OUT = resolve(__dirname, '../../test-artifacts/viz');

function cell(source: string, bundle: MimeBundle) {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bundle)) data[k] = typeof v === 'string' && !k.startsWith('image/') ? v.split(/(?<=\n)/) : v;
  return { cell_type: 'code', execution_count: null, metadata: {}, source: [source], outputs: [{ output_type: 'display_data', data, metadata: {} }] };
}

describe('viz in exported HTML (headless Chromium)', function () {
  this.timeout(400_000);
  let html = '';

  before(function () {
    if (!existsSync(CHROMIUM)) this.skip(); // Debian `chromium` is not installed here
    mkdirSync(OUT, { recursive: true });
    resetPlotlyLoader();
    const x = zeros([1, 4, 8, 8]);
    for (let c = 0; c < 4; c++) for (let i = 0; i < 8; i++) x.set((i - 3.5) * (c + 1), 0, c, i, (i + c) % 8);
    const cells = [
      cell('history', renderTrainingView({
        batchLoss: [2.4, 2.2, 1.5, 1.2, 0.9, 0.8, 0.7, 0.6], batchAccuracy: [0.2, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.82], stopReason: 'completed', message: '',
        epochs: [{ epoch: 1, loss: 1.8, accuracy: 0.4, valLoss: 1.4, valAccuracy: 0.6, batches: 4, seconds: 1, imagesPerSec: 100 }, { epoch: 2, loss: 0.75, accuracy: 0.77, valLoss: 0.9, valAccuracy: 0.8, batches: 4, seconds: 1, imagesPerSec: 100 }],
      })),
      cell('featureMaps(x)', featureMaps(x)[DISPLAY]()),
      cell('confusionMatrix(cm)', confusionMatrix([[50, 2, 3], [4, 40, 6], [1, 2, 45]], ['cat', 'dog', 'frog'])[DISPLAY]()),
      cell('histograms(weights)', histograms({ 'conv1.weight': x, 'conv1.bias': [0.1, -0.2, 0.3, 0.05] }, { bins: 10 })[DISPLAY]()),
      cell('barChart(bench)', barChart([
        { case: 'conv', impl: 'naive', metric: 'time', value: 10, unit: 'ms' },
        { case: 'conv', impl: 'fast', metric: 'time', value: 2, unit: 'ms' },
      ], { baseline: 'naive' })[DISPLAY]()),
      cell('convWalkthrough(X, K)', convWalkthrough([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], [[1, 0, 1], [0, 1, 0], [1, 0, 1]])[DISPLAY]()),
      cell('tensorTable(X)', tensorTable(tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), { highlight: { row: 0, col: 0, height: 2, width: 2 } })[DISPLAY]()),
      cell('receptiveFieldView(...)', receptiveFieldView([{ kernelSize: 3 }, { kernelSize: 3 }], 1, [2, 2], [9, 9])[DISPLAY]()),
    ];
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, language_info: { name: 'typescript' } }, cells };
    cells.forEach((c, i) => Object.assign(c, { id: `cell-${i}` }));
    const ipynb = join(OUT, 'viz-notebook.ipynb');
    writeFileSync(ipynb, JSON.stringify(nb, null, 1));
    execFileSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--output-dir', OUT, ipynb], { stdio: 'pipe', timeout: 90_000 });
    html = join(OUT, 'viz-notebook.html');
  });

  it('charts draw with plotly from the inlined bundle, images and walkthrough render, controls work', async () => {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'tscnn-chromium-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
      offline: true,
    });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto('file://' + html, { timeout: 180_000 });
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.tscnn-plot')).every((el) => el.querySelector('.main-svg') !== null), null, { timeout: 30_000 });
      await page.screenshot({ path: join(OUT, 'notebook.png'), fullPage: true });
      const plots = await page.$$eval('.tscnn-plot', (els) => els.map((el) => {
        const svg = el.querySelector('.main-svg') as SVGSVGElement | null;
        const r = svg?.getBoundingClientRect();
        return { w: r?.width ?? 0, h: r?.height ?? 0, traces: el.querySelectorAll('.scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm, .heatmaplayer image').length, img: el.querySelectorAll('img').length, styleW: parseInt((el as HTMLElement).style.width, 10) };
      }));
      expect(plots).to.have.length(3);
      for (const p of plots) {
        expect(p.w).to.equal(p.styleW); // drawn at the chart's size
        expect(p.h).to.be.greaterThan(300);
        expect(p.traces).to.be.greaterThan(0);
        expect(p.img).to.equal(0); // the PNG placeholder was replaced
      }
      expect(await page.evaluate(() => document.querySelectorAll('script[data-tscnn="plotly-loader"]').length)).to.equal(1);
      // Every image decoded (feature maps, walkthrough frames, receptive field).
      const imgs = await page.$$eval('.jp-OutputArea-output img, .output_area img, img', (els) => (els as HTMLImageElement[]).filter((i) => i.closest('.tscnn-plot') === null).map((i) => ({ ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth, attrW: i.getAttribute('width') })));
      expect(imgs.length).to.be.at.least(13); // 2 training curves + 1 feature map + 9 frames + 1 receptive field
      // The training view's curves (SVG <img>s, no script) decoded at their size.
      expect(await page.$$eval('.tscnn-training img', (els) => (els as HTMLImageElement[]).map((i) => [i.complete, i.naturalWidth]))).to.deep.equal([[true, 420], [true, 420]]);
      for (const i of imgs) {
        expect(i.ok).to.equal(true);
        if (i.attrW) expect(i.w).to.equal(Number(i.attrW));
      }
      // Walkthrough: JS shows frame 1; "next" moves to frame 2.
      const visible = () => page.$$eval('.tscnn-walk img[data-frame]', (els) => els.filter((e) => (e as HTMLElement).style.display !== 'none').map((e) => e.getAttribute('data-frame')));
      expect(await visible()).to.deep.equal(['0']);
      await page.click('.tscnn-walk [data-a=next]');
      expect(await visible()).to.deep.equal(['1']);
      expect(await page.textContent('.tscnn-walk-label')).to.equal('frame 2 / 9');
      expect(errors).to.deep.equal([]);
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
