/**
 * The lecturer's path, end to end: start the course server the way `npm start` does (Notebook 6,
 * token auth, the tscnn kernel on JUPYTER_PATH), open a notebook in headless Chromium, Run All,
 * wait for the kernel, and check that a feature map (PNG), a plotly chart (SVG drawn by plotly)
 * and a graph (SVG data-URI image) appeared. Screenshot: $TSCNN_ARTIFACTS/course/e2e.png.
 * Uses its own small fixture (fixtures/e2e.ipynb), independent of the course content.
 */
import { expect } from 'chai';
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BrowserContext, Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const PYTHON = '/usr/bin/python3';
const JUPYTER_PATH = join(ROOT, '.jupyter-local/share/jupyter');
const ARTIFACTS = join(process.env.TSCNN_ARTIFACTS ?? '/work/main/test-artifacts', 'course');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Resolves once GET url answers (any HTTP status), or rejects after timeoutMs. */
async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`Jupyter exited with ${server.exitCode} before answering`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Jupyter did not answer ${url} within ${timeoutMs} ms`);
}

describe('lecturer end to end: Notebook 6 + tscnn kernel + headless Chromium', function () {
  this.timeout(150_000);
  let dir = '';
  let server: ChildProcess | null = null;
  let serverLog = '';
  let context: BrowserContext | null = null;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM) || !existsSync(join(JUPYTER_PATH, 'kernels/tscnn/kernel.json'))) this.skip(); // no browser or kernel spec (npm run setup)
    dir = mkdtempSync(join(tmpdir(), 'tscnn-e2e-'));
    for (const d of ['notebooks', 'runtime', 'data', 'config', 'profile']) mkdirSync(join(dir, d));
    copyFileSync(join(__dirname, 'fixtures/e2e.ipynb'), join(dir, 'notebooks/e2e.ipynb'));
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    // The flags of scripts/serve.sh; runtime/data/config dirs private to this test.
    const args = ['-m', 'notebook', `--notebook-dir=${join(dir, 'notebooks')}`, '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--NotebookApp.port_retries=0', '--MappingKernelManager.default_kernel_name=tscnn'];
    if (process.getuid?.() === 0) args.push('--allow-root');
    server = spawn(PYTHON, args, {
      env: { ...process.env, JUPYTER_PATH, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(dir, 'runtime'), JUPYTER_DATA_DIR: join(dir, 'data'), JUPYTER_CONFIG_DIR: join(dir, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (serverLog += d));
    server.stderr!.on('data', (d) => (serverLog += d));
    await waitForHttp(`http://127.0.0.1:${port}/api`, server, 30_000);

    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1280, height: 1600 },
      timeout: 30_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/notebooks/e2e.ipynb?token=${token}`, { timeout: 30_000 });
    await page.waitForFunction(() => {
      const J = (window as any).Jupyter;
      return J?.notebook?.kernel?.is_connected?.() && J.notebook.kernel_busy !== true && J.notebook.get_cells().length === 5;
    }, undefined, { timeout: 30_000 });
  });

  after(async () => {
    if (context) await context.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Run All executes every cell and draws a feature map, a plotly chart and a graph', async function () {
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    mkdirSync(ARTIFACTS, { recursive: true });
    // Keep a screenshot even when waiting fails: it shows where the run stopped.
    const shoot = () => page.screenshot({ path: join(ARTIFACTS, 'e2e.png'), fullPage: true });
    // Done when every code cell has a number in its prompt (not '*') and the kernel is idle.
    await page.waitForFunction(() => {
      const nb = (window as any).Jupyter.notebook;
      const code = nb.get_cells().filter((c: any) => c.cell_type === 'code');
      return code.every((c: any) => typeof c.input_prompt_number === 'number') && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    }, undefined, { timeout: 90_000, polling: 250 }).catch(async (e) => {
      await shoot().catch(() => undefined);
      throw new Error(`${(e as Error).message}\nserver log:\n${serverLog.slice(-3000)}`);
    });
    const seen = await page.evaluate(() => {
      const imgs = Array.from(document.querySelectorAll('.output_area img')) as HTMLImageElement[];
      const png = imgs.filter((i) => i.src.startsWith('data:image/png') && i.naturalWidth > 0 && i.naturalHeight > 0);
      const svgImg = imgs.filter((i) => i.src.startsWith('data:image/svg+xml') && i.naturalWidth > 0 && i.naturalHeight > 0);
      const plots = Array.from(document.querySelectorAll('.output_area .js-plotly-plot, .output_area .plotly')).filter((p) => p.querySelector('svg') !== null);
      const errors = Array.from(document.querySelectorAll('.output_area .output_error, .output_area .output_stderr')).map((e) => e.textContent ?? '');
      return { png: png.length, svgImg: svgImg.length, plots: plots.length, errors };
    });
    await shoot();
    expect(seen.errors, 'error outputs').to.deep.equal([]);
    expect(seen.png, 'feature-map PNG images with a natural size').to.be.at.least(1);
    expect(seen.plots, 'plotly charts drawn as SVG').to.be.at.least(1);
    expect(seen.svgImg, 'graph drawn as an SVG data-URI image').to.be.at.least(1);
  });
});
