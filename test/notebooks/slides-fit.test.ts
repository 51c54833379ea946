/**
 * Slides a lecturer can present: every slide of every deck (notebooks/en and notebooks/zh, exported
 * by scripts/course/build.py --slides) is shown in headless Chromium at 1280×720 and 1024×768 with
 * all its fragments visible, and must have no code line cut off (each code <pre> as wide as its
 * content) and no output wider than the slide. Decks are exported from the executed notebooks when
 * there are current ones (same cells; build/executed/ from `npm run course`, else
 * test-artifacts/notebooks/ from test/notebooks), so outputs are checked too; otherwise from the notebooks as committed (code only).
 * Screenshots of a few slides: $TSCNN_ARTIFACTS/course/slides/. This file sorts after
 * notebooks.test.ts, so in the suite the decks carry the outputs the notebooks just produced.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BrowserContext } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const CHROMIUM = process.env.TSCNN_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.env.TSCNN_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'course', 'slides');
const LANGS = ['en', 'zh'];
const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 1024, height: 768 }];
/** Slides kept as screenshots (deck, slide index). */
const SHOTS: [string, number][] = [['en/02-padding-stride-channels', 1], ['zh/02-padding-stride-channels', 1], ['zh/06-x-vs-o', 0], ['en/07-lenet5-mnist', 6]];

interface Problem { deck: string; viewport: string; slide: number; what: string }

/** The cells' sources and slide types: an executed copy is current when these equal the notebook's. */
function cellsOf(file: string): string {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  return JSON.stringify(nb.cells.map((c: any) => [c.cell_type, c.metadata?.slideshow?.slide_type, c.metadata?.tags ?? [], [].concat(c.source).join('')]));
}

/** An executed copy of notebooks/<lang>/<name>.ipynb with the same cells, or the notebook itself. */
function bestCopy(lang: string, name: string): { file: string; executed: boolean } {
  const src = join(ROOT, 'notebooks', lang, name);
  const want = cellsOf(src);
  for (const dir of [join(ROOT, 'build', 'executed', lang), join(ROOT, 'test-artifacts', 'notebooks', lang)]) {
    const f = join(dir, name);
    if (existsSync(f) && cellsOf(f) === want) return { file: f, executed: true };
  }
  return { file: src, executed: false };
}

describe('slides: every slide of every deck fits at 1280×720 and 1024×768', function () {
  this.timeout(1_800_000);
  let dir = '';
  let context: BrowserContext | null = null;
  const decks: { deck: string; html: string; executed: boolean }[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // no browser on this machine
    dir = mkdtempSync(join(tmpdir(), 'tscnn-slide-fit-'));
    const copies: string[] = [];
    for (const lang of LANGS) {
      const nbDir = join(ROOT, 'notebooks', lang);
      if (!existsSync(nbDir)) continue;
      mkdirSync(join(dir, 'nb', lang), { recursive: true });
      for (const name of readdirSync(nbDir).filter((f) => f.endsWith('.ipynb')).sort()) {
        const { file, executed } = bestCopy(lang, name);
        const dest = join(dir, 'nb', lang, name);
        copyFileSync(file, dest);
        copies.push(dest);
        const deck = `${lang}/${name.replace(/\.ipynb$/, '')}`;
        decks.push({ deck, html: join(dir, 'build', 'slides', lang, `${name.replace(/\.ipynb$/, '')}.slides.html`), executed });
      }
    }
    execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/course/build.py'), '--slides', '--as-is', '--out', join(dir, 'build'), ...copies], { stdio: 'pipe' });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      timeout: 60_000,
    });
  });

  after(async () => {
    if (context) await context.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports a deck per notebook in each language', () => {
    expect(decks.map((d) => d.deck)).to.include.members(['en/00-welcome', 'zh/00-welcome']);
    expect(decks.filter((d) => d.deck.startsWith('zh/')).length).to.be.at.least(10);
    console.log(`      decks from executed notebooks: ${decks.filter((d) => d.executed).length} of ${decks.length}`);
  });

  it('no code line is cut off and no output is wider than its slide', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const problems: Problem[] = [];
    const page = await context!.newPage();
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      for (const { deck, html } of decks) {
        await page.goto(`file://${html}`, { timeout: 60_000 });
        // nbconvert loads reveal.js through require.js (no global Reveal): drive it by its DOM and URL hash.
        await page.waitForSelector('.reveal.ready', { timeout: 60_000 });
        const slides: [number, number][] = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.reveal .slides > section')).flatMap((top, h) => {
            const inner = top.querySelectorAll(':scope > section');
            return inner.length ? Array.from(inner, (_, v) => [h, v] as [number, number]) : [[h, 0] as [number, number]];
          }));
        // One evaluate per deck (no round trip per slide): show each slide with every fragment, measure.
        const found: [number, string][] = await page.evaluate(async (slides) => {
          const out: [number, string][] = [];
          const tops = document.querySelectorAll('.reveal .slides > section');
          for (let i = 0; i < slides.length; i++) {
            const [h, v] = slides[i];
            location.hash = `#/${h}/${v}`;
            const top = tops[h] as HTMLElement;
            const slide = (top.querySelectorAll(':scope > section')[v] as HTMLElement | undefined) ?? top;
            for (let k = 0; k < 100 && !slide.classList.contains('present'); k++) await new Promise((r) => setTimeout(r, 10));
            slide.querySelectorAll('.fragment').forEach((f) => f.classList.add('visible'));
            await new Promise((r) => requestAnimationFrame(() => r(null)));
            if (!slide.classList.contains('present')) out.push([i, 'slide did not become visible']);
            const right = slide.getBoundingClientRect().right;
            slide.querySelectorAll('.jp-InputArea-editor pre').forEach((pre) => {
              const p = pre as HTMLElement;
              if (p.scrollWidth > p.clientWidth + 1) out.push([i, `code cut off (${p.scrollWidth} > ${p.clientWidth} px): ${(p.textContent ?? '').split('\n').sort((a, b) => b.length - a.length)[0].slice(0, 80)}`]);
            });
            slide.querySelectorAll('.jp-OutputArea-output').forEach((o) => {
              const e = o as HTMLElement;
              const r = e.getBoundingClientRect();
              if (e.scrollWidth > e.clientWidth + 1 || r.right > right + 2) out.push([i, `output wider than the slide (${e.scrollWidth} px in ${e.clientWidth} px): ${(e.textContent ?? '').trim().slice(0, 60)}`]);
            });
          }
          return out;
        }, slides);
        for (const [slide, what] of found) {
          problems.push({ deck, viewport: `${vp.width}×${vp.height}`, slide, what });
          console.log(`      ${deck} @ ${vp.width}×${vp.height}, slide ${slide}: ${what}`);
        }
        for (const [d, i] of SHOTS.filter(([d]) => d === deck)) {
          const [h, v] = slides[i] ?? [0, 0];
          await page.evaluate(([h, v]) => { location.hash = `#/${h}/${v}`; }, [h, v]);
          await page.waitForTimeout(800);
          await page.screenshot({ path: join(ARTIFACTS, `${d.replace('/', '-')}-${i}-${vp.width}x${vp.height}.png`) });
        }
      }
    }
    await page.close();
    const report = problems.map((p) => `${p.deck} @ ${p.viewport}, slide ${p.slide}: ${p.what}`).join('\n');
    expect(problems, `slides that do not fit:\n${report}`).to.deep.equal([]);
  });
});
