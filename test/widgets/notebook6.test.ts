/**
 * Front-end generation 1 of 2: the course server as `npm start` runs it (scripts/serve.sh:
 * Notebook 6, Debian's ipywidgets 6 nbextension, the tscnn kernel), in headless Chromium.
 * A cell shows the convolution explorer; the test drags the padding slider's handle with the
 * mouse and checks that the kernel recomputed the picture: the Image widget's pixels differ
 * (screenshots compared pixel by pixel), and the output-size formula says 7×7.
 * Screenshots: $TSCNN_ARTIFACTS/widgets/nb6-before.png, nb6-after.png, nb6-page.png.
 */
import { expect } from 'chai';
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, pixelDiff, stopProcess, waitForHttp } from './browser-helpers';

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(process.env.TSCNN_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'widgets');
const NB_DIR = join(ROOT, 'test-artifacts', 'widgets', 'nb6-notebooks');

describe('widgets in Notebook 6 + Debian ipywidgets 6 nbextension (npm start server, headless Chromium)', function () {
  this.timeout(150_000);
  let dir = '';
  let server: ChildProcess | null = null;
  let log = '';
  let consoleLog = '';
  let context: BrowserContext | null = null;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM) || !existsSync('/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js')) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'tscnn-nb6-'));
    mkdirSync(NB_DIR, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    // Under the checkout, so `../../../src/...` resolves as it does from notebooks/.
    const cell = ["import { convExplorer } from '../../../src/viz/explorers';", 'const ex = convExplorer();', 'ex'].join('\n');
    writeFileSync(join(NB_DIR, 'widgets.ipynb'), JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tscnn', display_name: 'TypeScript (tscnn)', language: 'typescript' } },
      cells: [{ id: 'c1', cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: [cell] }],
    }));
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    server = spawn('bash', [join(ROOT, 'scripts/serve.sh')], {
      env: { ...process.env, PORT: String(port), TSCNN_TOKEN: token, TSCNN_NOTEBOOK_DIR: NB_DIR, JUPYTER_RUNTIME_DIR: join(dir, 'runtime') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // The server prints its URL with the token: keep the log in memory only, never print it whole.
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    await waitForHttp(`http://127.0.0.1:${port}/api`, server, 60_000);
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 1400 }, timeout: 30_000 });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => (consoleLog += `[${m.type()}] ${m.text()}\n`));
    // Log in through the form (the token stays out of URLs).
    await page.goto(`http://127.0.0.1:${port}/login?next=%2Fnotebooks%2Fwidgets.ipynb`);
    await page.fill('input[name=password]', token);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit], input[type=submit]')]);
    await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.() && (window as any).Jupyter.WidgetManager !== undefined, undefined, { timeout: 60_000 });
  });

  after(async () => {
    if (context) await context.close().catch(() => undefined);
    await stopProcess(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dragging the padding slider with the mouse makes the kernel redraw the conv output', async () => {
    // jupyter-js-widgets logs failures as WrappedError chains: keep the causes for the failure message.
    await page.evaluate(() => {
      const w = window as any;
      const orig = console.error;
      w.__widgetErrors = [];
      console.error = (...args: any[]) => {
        for (const a of args) w.__widgetErrors.push(a?.error_stack ? a.error_stack.map((e: any) => String(e?.stack ?? e?.message ?? e)).join('\n  <- ') : String(a?.stack ?? a));
        orig(...args);
      };
    });
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    const slider = page.locator('.widget-area .widget-hslider', { hasText: 'padding P' });
    const img = page.locator('.widget-area img').first();
    await slider.waitFor({ timeout: 90_000 }).catch(async (e) => {
      await page.screenshot({ path: join(ARTIFACTS, 'nb6-page.png'), fullPage: true }).catch(() => undefined);
      const out = await page.locator('#notebook').innerText().catch(() => '');
      const area = await page.locator('.widget-area').first().innerHTML().catch(() => '(no widget area)');
      const errs: string[] = await page.evaluate(() => (window as any).__widgetErrors);
      console.log(`widget errors:\n${errs.slice(0, 3).join('\n---\n').slice(0, 3000)}`);
      console.log(`browser console:\n${consoleLog.split("\n").filter((l) => !/child view|Promise.all|extension.js/.test(l)).join("\n").slice(0, 4000)}\nwidget area: ${area.slice(0, 1500)}`);
      throw new Error(`${(e as Error).message}\npage:\n${out.slice(-1500)}\nserver log tail:\n${log.slice(-1500).replace(/token=\w+/g, 'token=…')}`);
    });
    await page.waitForFunction(() => {
      const i = document.querySelector('.widget-area img') as HTMLImageElement | null;
      return !!i && i.naturalWidth > 0;
    }, undefined, { timeout: 30_000 });
    const before = await img.screenshot({ path: join(ARTIFACTS, 'nb6-before.png') });
    const srcBefore = await img.getAttribute('src');
    const handle = slider.locator('.ui-slider-handle');
    const track = slider.locator('.ui-slider');
    const hb = (await handle.boundingBox())!;
    const tb = (await track.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width * 0.6, hb.y + hb.height / 2, { steps: 8 });
    await page.mouse.move(tb.x + tb.width + 20, hb.y + hb.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((old) => (document.querySelector('.widget-area img') as HTMLImageElement).src !== old && (document.querySelector('.widget-area img') as HTMLImageElement).naturalWidth > 0, srcBefore, { timeout: 30_000 });
    await page.waitForFunction(() => /= 7\b/.test(document.querySelector('.widget-area')!.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.waitForTimeout(300); // let the last picture decode and paint
    const after = await img.screenshot({ path: join(ARTIFACTS, 'nb6-after.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'nb6-page.png'), fullPage: true });
    const text = await page.locator('.widget-area').innerText();
    expect(text).to.include('(5 − 3 + 2·2) / 1 + 1 = 7');
    const diff = await pixelDiff(before, after);
    expect(diff.sizeChanged || diff.fraction > 0.05, `pixels changed: ${JSON.stringify(diff)}`).to.equal(true);
    const errors = await page.locator('.output_area .output_error, .output_area .output_stderr').allInnerTexts();
    expect(errors).to.deep.equal([]);
  });
});
