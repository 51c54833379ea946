/**
 * Front-end generation 2 of 2: a real ipywidgets 8 front end (npm's @jupyter-widgets/html-manager,
 * base-manager, controls 2.0 and @jupyterlab/services, bundled with esbuild as ipywidgets'
 * examples/web3 does) connected through a Notebook 6 server's REST/websocket API to the live tscnn
 * kernel, in headless Chromium. The test drags the conv explorer's padding slider with the mouse
 * and checks that the kernel recomputed: an `update` of the Image model with new PNG bytes (not
 * the echo of the slider), the formula widget's new text, and changed pixels.
 * Writes $TSCNN_ARTIFACTS/widgets/ipyw8-before.png, ipyw8-after.png and ipyw8-latency.json
 * (drag → first picture update; a measurement, not asserted).
 */
import { expect } from 'chai';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, pixelDiff, stopProcess, waitForHttp } from './browser-helpers';

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(process.env.TSCNN_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'widgets');
const SITE = join(ROOT, 'test-artifacts', 'widgets', 'ipyw8-site');
const JUPYTER_PATH = join(ROOT, '.jupyter-local/share/jupyter');

describe('widgets in a real ipywidgets 8 front end (html-manager + @jupyterlab/services, headless Chromium)', function () {
  this.timeout(180_000);
  let dir = '';
  let server: ChildProcess | null = null;
  let log = '';
  let context: BrowserContext | null = null;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM) || !existsSync(join(ROOT, 'node_modules/@jupyter-widgets/html-manager')) || !existsSync(join(JUPYTER_PATH, 'kernels/tscnn/kernel.json'))) this.skip();
    execFileSync(process.execPath, [join(__dirname, 'web3/build.js'), SITE], { stdio: 'pipe', timeout: 120_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tscnn-ipyw8-'));
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    // serve.sh's flags; no TSCNN_WIDGETS: the kernel speaks protocol 2.1 (ipywidgets 8), its default.
    const args = ['-m', 'notebook', `--notebook-dir=${SITE}`, '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--NotebookApp.port_retries=0', '--MappingKernelManager.default_kernel_name=tscnn'];
    if (process.getuid?.() === 0) args.push('--allow-root');
    const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(dir, 'runtime') };
    delete env.TSCNN_WIDGETS;
    server = spawn('/usr/bin/python3', args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    await waitForHttp(`http://127.0.0.1:${port}/api`, server, 60_000);
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 1300 }, timeout: 30_000 });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/login?next=%2Ffiles%2Findex.html`);
    await page.fill('input[name=password]', token);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit], input[type=submit]')]);
    await page.waitForFunction(() => (window as any).harness !== undefined, undefined, { timeout: 30_000 });
    await page.evaluate(() => (window as any).harness.start('tscnn'));
  });

  after(async () => {
    if (context) await context.close().catch(() => undefined);
    await stopProcess(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dragging a slider makes the kernel send a recomputed Image (update with new bytes) and formula', async () => {
    const code = ["import { convExplorer } from '../../../src/viz/explorers';", 'const ex = convExplorer();', 'ex'].join('\n');
    const status = await page.evaluate((c) => (window as any).harness.run(c), code);
    expect(status, log.slice(-2000).replace(/token=\w+/g, 'token=…')).to.equal('ok');
    const slider = page.locator('.widget-hslider', { hasText: 'padding P' });
    await slider.waitFor({ timeout: 30_000 });
    const img = page.locator('#widgets img').first();
    await page.waitForFunction(() => ((document.querySelector('#widgets img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 30_000 });
    const before = await img.screenshot({ path: join(ARTIFACTS, 'ipyw8-before.png') });
    const srcBefore = await img.getAttribute('src');
    const handle = slider.locator('.noUi-handle');
    const track = slider.locator('.noUi-target');
    const hb = (await handle.boundingBox())!;
    const tb = (await track.boundingBox())!;
    const t0 = await page.evaluate(() => performance.now());
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width * 0.6, hb.y + hb.height / 2, { steps: 6 });
    await page.mouse.move(tb.x + tb.width + 20, hb.y + hb.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForFunction(() => /= 7\b/.test(document.getElementById('widgets')!.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.waitForFunction((old) => {
      const i = document.querySelector('#widgets img') as HTMLImageElement;
      return i.src !== old && i.naturalWidth > 0;
    }, srcBefore, { timeout: 30_000 });
    await page.waitForTimeout(300);
    const after = await img.screenshot({ path: join(ARTIFACTS, 'ipyw8-after.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'ipyw8-page.png'), fullPage: true });
    expect(await page.locator('#widgets').innerText()).to.include('(5 − 3 + 2·2) / 1 + 1 = 7');
    const diff = await pixelDiff(before, after);
    expect(diff.sizeChanged || diff.fraction > 0.05, `pixels changed: ${JSON.stringify(diff)}`).to.equal(true);

    // The protocol seen by the front end: our slider updates went out; the kernel echoed them
    // (echo_update, protocol 2.1) and, separately, sent the Image model new bytes.
    const msgs: any[] = await page.evaluate(() => (window as any).harness.log);
    const after0 = msgs.filter((m) => m.t >= t0 && m.type === 'comm_msg');
    const sent = after0.filter((m) => m.dir === 'send' && m.data?.method === 'update' && 'value' in (m.data.state ?? {}));
    expect(sent.length, 'slider updates sent').to.be.greaterThan(0);
    const echoes = after0.filter((m) => m.dir === 'recv' && m.data?.method === 'echo_update');
    expect(echoes.length, 'echo_update messages').to.be.greaterThan(0);
    const pictures = after0.filter((m) => m.dir === 'recv' && m.data?.method === 'update' && m.buffers === 1 && JSON.stringify(m.data.buffer_paths) === '[["value"]]');
    expect(pictures.length, 'Image updates with new PNG bytes').to.be.greaterThan(0);
    // latency: each slider update → the next picture update after it
    const lat = sent.map((s) => pictures.find((p) => p.t > s.t)).map((p, i) => (p ? p.t - sent[i].t : null)).filter((v): v is number => v !== null);
    writeFileSync(join(ARTIFACTS, 'ipyw8-latency.json'), JSON.stringify({ case: '5x5 conv explorer, padding drag', metric: 'slider comm_msg → Image update received (ms)', samples: lat.map((v) => +v.toFixed(1)), median: lat.length ? +lat.sort((a, b) => a - b)[Math.floor(lat.length / 2)].toFixed(1) : null }, null, 1));
  });
});
