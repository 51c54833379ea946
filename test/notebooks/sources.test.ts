/**
 * The notebooks are generated from notebooks/src/NN-name.ts (scripts/course/nbgen.js): every
 * committed .ipynb must be exactly what its source generates today, in every language it has.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nbgen = require(path.join(ROOT, 'scripts', 'course', 'nbgen.js'));

interface Generated { lang: string; file: string; text: string }

const SETUP = "// %%\nimport { setLocale } from 'tscnn';\nsetLocale('en');\n";

describe('notebooks: one source per lesson, two languages', () => {
  const sources: string[] = nbgen.sources();
  const all: Generated[] = nbgen.generateAll([]);
  const generated = all.filter((g) => g.lang !== 'index');

  it('has a source for every lesson, 00-welcome included', () => {
    expect(sources.map((s) => path.basename(s))).to.include('00-welcome.ts');
    expect(sources.length).to.be.at.least(10);
  });

  it('every committed .ipynb is what its source generates (run node scripts/course/nbgen.js)', () => {
    const differ = all.filter((g) => !fs.existsSync(g.file) || fs.readFileSync(g.file, 'utf8') !== g.text).map((g) => path.relative(ROOT, g.file));
    expect(differ, 'notebooks that differ from their source').to.deep.equal([]);
    expect(nbgen.stale(generated).map((f: string) => path.relative(ROOT, f)), 'notebooks without a source').to.deep.equal([]);
  });

  it('notebooks/index.ipynb links every generated lesson', () => {
    const index = all.find((g) => g.lang === 'index')!;
    for (const g of generated) expect(index.text, g.file).to.contain(`(${g.lang}/${path.basename(g.file)})`);
  });

  it('every lesson has English; every cell has slide metadata; the first code cell sets the language', () => {
    const en = new Set(generated.filter((g) => g.lang === 'en').map((g) => path.basename(g.file)));
    expect(en.size).to.equal(sources.length);
    for (const g of generated) {
      const nb = JSON.parse(g.text);
      expect(nb.metadata.tscnn.lang).to.equal(g.lang);
      for (const c of nb.cells) expect(c.metadata.slideshow?.slide_type, `${g.file} cell ${c.id}`).to.be.a('string');
      const first = nb.cells.find((c: any) => c.cell_type === 'code');
      expect(first.source.join(''), g.file).to.contain(`setLocale('${g.lang}')`);
      expect(path.basename(path.dirname(g.file))).to.equal(g.lang);
    }
  });

  it('no source redefines the shared check helpers (they come from tscnn: src/check)', () => {
    for (const s of sources) {
      const text = fs.readFileSync(s, 'utf8');
      expect(text, path.basename(s)).to.not.match(/function (check|assertEqual|assertClose|assertAllClose|maxAbsDiff|checkAnswer)\b/);
    }
  });

  it('06 and 07 train with fit’s own live view (progress on, no hand-wired chart)', () => {
    for (const name of ['06-x-vs-o.ts', '07-lenet5-mnist.ts']) {
      const text = fs.readFileSync(path.join(ROOT, 'notebooks', 'src', name), 'utf8');
      expect(text, name).to.match(/await fit\(/);
      expect(text, name).to.not.match(/progress:\s*false|LiveChart|liveChart|lossCurves/);
    }
  });

  it('parses both languages of a markdown cell and shares the code', () => {
    const cells = nbgen.parse(`// %% [markdown] slide\n// # Pooling\n// ::: zh\n// # 池化\n\n${SETUP}`, 't.ts');
    expect(nbgen.languages(cells, 't.ts')).to.deep.equal(['en', 'zh']);
    const zh = nbgen.toNotebook(cells, 'zh', 'notebooks/src/03-t.ts');
    expect(zh.cells[0].source).to.deep.equal(['# 池化']);
    expect(zh.cells[1].source.join('')).to.equal("import { setLocale } from 'tscnn';\nsetLocale('zh');");
    expect(zh.cells[0].metadata.slideshow.slide_type).to.equal('slide');
    const en = nbgen.toNotebook(cells, 'en', 'notebooks/src/03-t.ts');
    expect(en.cells[0].source).to.deep.equal(['# Pooling']);
  });

  it('hide-input collapses a code cell (an exercise check) and tags it for the HTML/slides export', () => {
    const cells = nbgen.parse(`// %% [markdown]\n// # A\n${SETUP}\n// %% fragment hide-input\ncheckAnswer(a, 3, { why: '3' })\n`, 'e.ts');
    const nb = nbgen.toNotebook(cells, 'en', 'notebooks/src/02-e.ts');
    expect(nb.cells[2].metadata).to.deep.equal({ slideshow: { slide_type: 'fragment' }, jupyter: { source_hidden: true }, tags: ['hide-input'] });
    expect(nb.cells[1].metadata).to.deep.equal({ slideshow: { slide_type: '-' } });
  });

  it('rejects a lesson half in Chinese, a missing setLocale, and unknown markers', () => {
    const half = nbgen.parse(`// %% [markdown] slide\n// # A\n// ::: zh\n// # 甲\n\n// %% [markdown]\n// only English\n\n${SETUP}`, 'h.ts');
    expect(() => nbgen.languages(half, 'h.ts')).to.throw(/h.ts: markdown cells at lines 6 have no '::: zh' block/);
    expect(() => nbgen.parse("// %% [markdown]\n// # A\n// %%\nconst x = 1;\n", 'n.ts')).to.throw(/first code cell must call setLocale\('en'\)/);
    expect(() => nbgen.parse(`// %% [markdown] slyde\n// # A\n${SETUP}`, 's.ts')).to.throw(/s.ts:1: unknown slide_type 'slyde'/);
    expect(() => nbgen.parse(`// %% [markdown]\n// # A\n// ::: fr\n${SETUP}`, 'f.ts')).to.throw(/f.ts:3: unknown language 'fr'/);
    expect(() => nbgen.parse(`// %% [markdown]\n// # A\n// ::: zh\n// 甲\n// ::: zh\n// 乙\n${SETUP}`, 'd.ts')).to.throw(/d.ts:5: a second 'zh' block/);
  });
});
