/**
 * `npm run slides` on one small notebook: the page must work from a folder with no internet, so
 * every script/stylesheet/require() URL is relative and names a file that exists on disk.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures', 'slides.ipynb');

/** Every URL the page loads: <script src>, <link href>, and the module list given to require([...]). */
export function loadedUrls(html: string): string[] {
  const urls: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)) urls.push(m[1]);
  // nbconvert's reveal template: require({ config }, [ "module", … ], function (…) {…})
  for (const m of html.matchAll(/require\(\s*(?:\{[^}]*\}\s*,\s*)?\[([^\]]*)\]/g)) for (const s of m[1].matchAll(/"([^"]+)"/g)) urls.push(s[1]);
  return urls;
}

describe('npm run slides (offline reveal.js export)', function () {
  this.timeout(60000);
  let out = '';
  let html = '';

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'tscnn-slides-'));
    execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/course/build.py'), '--slides', '--as-is', '--out', out, FIXTURE], { stdio: 'pipe' });
    html = readFileSync(join(out, 'slides', 'slides.slides.html'), 'utf8');
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('references reveal.js, its notes plugin, require.js, jQuery and MathJax by relative URLs', () => {
    const urls = loadedUrls(html);
    for (const want of ['lib/reveal.js/dist/reveal.js', 'lib/reveal.js/plugin/notes/notes.js', 'lib/reveal.js/dist/reveal.css', 'lib/require.min.js', 'lib/jquery.min.js']) {
      expect(urls, want).to.include(want);
    }
    expect(urls.some((u) => u.startsWith('lib/mathjax/MathJax.js?config='))).to.equal(true);
    const absolute = urls.filter((u) => /^(https?:|file:|\/\/|\/)/.test(u));
    expect(absolute, 'absolute or remote URLs').to.deep.equal([]);
  });

  it('every referenced file exists next to the slides', () => {
    const base = dirname(join(out, 'slides', 'slides.slides.html'));
    const missing = loadedUrls(html)
      .map((u) => u.split('?')[0])
      .map((u) => (/\.(js|css)$/.test(u) ? u : `${u}.js`)) // require() module ids may omit '.js'
      .filter((u) => !existsSync(join(base, u)));
    expect(missing).to.deep.equal([]);
    // MathJax loads its TeX input and CommonHTML output from its own tree at run time.
    expect(existsSync(join(base, 'lib/mathjax/config/TeX-AMS_CHTML-full.js'))).to.equal(true);
    expect(existsSync(join(base, 'lib/mathjax/jax/output/CommonHTML/jax.js'))).to.equal(true);
  });

  it('keeps the slide structure and the stored outputs', () => {
    expect(html).to.contain('Slides fixture');
    expect(html).to.match(/<img src="data:image\/png;base64,/);
    expect(html).to.match(/<aside class="notes">/);
    expect(html).to.not.match(/unpkg\.com|cdnjs|cdn\.jsdelivr/);
  });
});

describe('npm run slides: a lesson in notebooks/<lang>/ (both languages share one lib/)', function () {
  this.timeout(60000);
  let out = '';

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'tscnn-slides-lang-'));
    for (const lang of ['en', 'zh']) {
      mkdirSync(join(out, 'notebooks', lang), { recursive: true });
      copyFileSync(FIXTURE, join(out, 'notebooks', lang, 'lesson.ipynb'));
    }
    const nbs = ['en', 'zh'].map((lang) => join(out, 'notebooks', lang, 'lesson.ipynb'));
    execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/course/build.py'), '--slides', '--html', '--as-is', '--out', join(out, 'build'), ...nbs], { stdio: 'pipe' });
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('writes slides/<lang>/NAME.slides.html whose relative URLs reach slides/lib/', () => {
    for (const lang of ['en', 'zh']) {
      const file = join(out, 'build', 'slides', lang, 'lesson.slides.html');
      const urls = loadedUrls(readFileSync(file, 'utf8'));
      expect(urls, lang).to.include('../lib/reveal.js/dist/reveal.js');
      const missing = urls
        .map((u) => u.split('?')[0])
        .map((u) => (/\.(js|css)$/.test(u) ? u : `${u}.js`))
        .filter((u) => !existsSync(join(dirname(file), u)));
      expect(missing, lang).to.deep.equal([]);
      expect(existsSync(join(out, 'build', 'html', lang, 'lesson.html')), `html/${lang}`).to.equal(true);
    }
  });

  it('writes index.html linking every lesson in both languages', () => {
    const index = readFileSync(join(out, 'build', 'index.html'), 'utf8');
    for (const lang of ['en', 'zh']) {
      expect(index).to.contain(`href="html/${lang}/lesson.html"`);
      expect(index).to.contain(`href="slides/${lang}/lesson.slides.html"`);
    }
    expect(index).to.contain('简体中文');
  });
});
