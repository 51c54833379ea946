/**
 * Exports stay complete offline: an explorer's output (widget view + static picture, as the
 * kernel sends it when comms are live) → .ipynb without widget state → nbconvert HTML and slides →
 * headless Chromium with the network blocked. The picture must show (decoded at its size) and
 * nothing may try to load a widget manager from a CDN.
 * Screenshot: $TSCNN_ARTIFACTS/widgets/export.png.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { DISPLAY, type MimeBundle } from '../../src/display/mime';
import { chainRuleStepper, convExplorer, poolExplorer } from '../../src/viz/explorers';
import { useComms } from '../../src/widgets';
import { resetWidgetFrontend } from '../../src/widgets/protocol';
import { CHROMIUM, CHROMIUM_ARGS } from './browser-helpers';
import { FakeComms } from './fake-comms';

const ROOT = resolve(__dirname, '../..');
const OUT = join(process.env.TSCNN_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'widgets');

function output(bundle: MimeBundle) {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bundle)) data[k] = typeof v === 'string' && !k.startsWith('image/') ? v.split(/(?<=\n)/) : v;
  return { output_type: 'display_data', data, metadata: {} };
}

describe('explorer exports: nbconvert HTML and slides offline (headless Chromium)', function () {
  this.timeout(120_000);
  let bundles: MimeBundle[] = [];

  before(function () {
    if (!existsSync(CHROMIUM)) this.skip();
    mkdirSync(OUT, { recursive: true });
    useComms(new FakeComms());
    resetWidgetFrontend();
    try {
      bundles = [convExplorer(), poolExplorer(), chainRuleStepper()].map((e) => e[DISPLAY]());
    } finally {
      useComms(null);
    }
  });

  it('each output carries the widget view and a static PNG', () => {
    for (const b of bundles) expect(Object.keys(b)).to.include.members(['application/vnd.jupyter.widget-view+json', 'image/png', 'text/html', 'text/plain']);
  });

  for (const to of ['html', 'slides'] as const) {
    it(`nbconvert --to ${to}: every explorer picture shows, no widget manager fetched`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tscnn-wexport-'));
      try {
        const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tscnn', display_name: 'TypeScript (tscnn)', language: 'typescript' }, language_info: { name: 'typescript' } }, cells: bundles.map((b, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: i + 1, metadata: { slideshow: { slide_type: 'slide' } }, source: ['explorer'], outputs: [output(b)] })) };
        const ipynb = join(dir, 'explorers.ipynb');
        writeFileSync(ipynb, JSON.stringify(nb));
        execFileSync('/usr/bin/python3', ['-m', 'nbconvert', '--to', to, '--output-dir', dir, ipynb], { stdio: 'pipe', timeout: 90_000 });
        const file = join(dir, to === 'html' ? 'explorers.html' : 'explorers.slides.html');
        const html = readFileSync(file, 'utf8');
        expect(html).to.not.include('application/vnd.jupyter.widget-state+json');
        expect(html).to.not.match(/html-manager|embed-amd/);
        const { chromium } = await import('playwright-core');
        const browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 900 } });
        try {
          const page = browser.pages()[0] ?? (await browser.newPage());
          const remote: string[] = [];
          await page.route(/^https?:/, (r) => { remote.push(r.request().url()); return r.abort(); });
          await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 60_000 });
          const imgs = await page.evaluate(() => Array.from(document.querySelectorAll('img')).filter((i) => i.src.startsWith('data:image/png')).map((i) => [i.naturalWidth, i.naturalHeight]));
          if (to === 'html') await page.screenshot({ path: join(OUT, 'export.png'), fullPage: true });
          expect(imgs.length, 'explorer pictures').to.equal(bundles.length);
          for (const [w, h] of imgs) expect(w * h).to.be.greaterThan(0);
          // reveal.js itself comes from a CDN in raw nbconvert slides (npm run slides ships it locally): only widget code is ours to keep offline.
          expect(remote.filter((u) => /jupyter-widgets|html-manager|embed-amd/.test(u))).to.deep.equal([]);
        } finally {
          await browser.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
