#!/usr/bin/env node
/**
 * The course's notebooks, generated from one source per lesson in two languages.
 *
 *   node scripts/course/nbgen.js                  every notebooks/src/*.ts → notebooks/{en,zh}/*.ipynb
 *   node scripts/course/nbgen.js notebooks/src/06-x-vs-o.ts [...]           only these lessons
 *   node scripts/course/nbgen.js --check          exit 1 if any .ipynb differs from its source
 *   node scripts/course/nbgen.js --script notebooks/src/06-x-vs-o.ts OUT.ts
 *       → one plain TypeScript file (imports of 'tscnn' pointed at src/, cells inside an async
 *         function) to run with `npx tsx OUT.ts` while developing without a kernel.
 *
 * Source format (jupytext's "percent" style, readable and diffable as TypeScript):
 *   // %% [markdown] slide      a markdown cell; its lines are "// text" ("//" alone: blank line)
 *   // ::: zh                   inside a markdown cell: the English text above, the Chinese below
 *   // %% subslide              a code cell with slide_type 'subslide' (shared by both languages)
 *   // %%                       a code cell with slide_type '-' (continues the slide)
 * slide_type is one of slide, subslide, fragment, -, skip, notes (default '-'). A trailing
 * `hide-input` (`// %% fragment hide-input`) collapses the cell's code (jupyter.source_hidden, tag
 * hide-input: the course's HTML and slides show only its output), e.g. an exercise's check cell
 * whose explanation gives the answer away.
 * The first code cell calls setLocale('en'); the Chinese notebook gets setLocale('zh') there.
 * Strings printed by code use tr({ en, zh }). A lesson is generated in Chinese when every markdown
 * cell has a `::: zh` block, in English only when none has, and is an error in between.
 * Outputs: notebooks/en/NAME.ipynb, notebooks/zh/NAME.ipynb (nbformat 4.5, kernel "tscnn", no
 * outputs, cell ids from the position, metadata.tscnn = { lang, source }), and notebooks/index.ipynb
 * linking every lesson in each language (the first page `npm start` shows).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const SRC_DIR = path.join(ROOT, 'notebooks', 'src');
const LANGS = ['en', 'zh'];
const TYPES = new Set(['slide', 'subslide', 'fragment', '-', 'skip', 'notes']);
const MARK = /^\/\/ %%(?: \[(markdown)\])?(?: ([^\s]+))?(?: (hide-input))?\s*$/;
const LANG_MARK = /^\/\/ ::: (\S+)\s*$/;
const LOCALE_CALL = "setLocale('en')";

function trim(lines) {
  const out = lines.slice();
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  while (out.length && out[0].trim() === '') out.shift();
  return out;
}

/**
 * Parse a source into cells: markdown `{ kind: 'markdown', slide, text: { en: lines, zh?: lines } }`,
 * code `{ kind: 'code', slide, lines }`.
 */
function parse(text, name) {
  const cells = [];
  let cur = null;
  let lang = 'en';
  const at = (i) => `nbgen: ${name}:${i + 1}`;
  text.split('\n').forEach((line, i) => {
    const m = MARK.exec(line);
    if (m) {
      const slide = m[2] ?? '-';
      if (!TYPES.has(slide)) throw new Error(`${at(i)}: unknown slide_type '${slide}' (one of ${[...TYPES].join(', ')})`);
      cur = m[1] ? { kind: 'markdown', slide, text: { en: [] }, line: i + 1 } : { kind: 'code', slide, lines: [], line: i + 1 };
      if (m[3]) cur.hideInput = true;
      lang = 'en';
      cells.push(cur);
      return;
    }
    if (!cur) {
      if (line.trim() === '') return;
      throw new Error(`${at(i)}: text before the first '// %%' marker`);
    }
    if (cur.kind === 'code') {
      cur.lines.push(line);
      return;
    }
    const l = LANG_MARK.exec(line);
    if (l) {
      if (!LANGS.includes(l[1])) throw new Error(`${at(i)}: unknown language '${l[1]}' (one of ${LANGS.join(', ')})`);
      if (cur.text[l[1]] && (l[1] !== 'en' || cur.text.en.some((s) => s.trim() !== ''))) throw new Error(`${at(i)}: a second '${l[1]}' block in one markdown cell`);
      lang = l[1];
      cur.text[lang] = [];
      return;
    }
    if (line !== '//' && !line.startsWith('// ') && line.trim() !== '') throw new Error(`${at(i)}: markdown lines must start with '// '`);
    cur.text[lang].push(line === '//' ? '' : line.slice(3));
  });
  for (const c of cells) {
    if (c.kind === 'code') {
      c.lines = trim(c.lines);
      if (!c.lines.length) throw new Error(`nbgen: ${name}:${c.line}: empty code cell`);
    } else {
      for (const k of Object.keys(c.text)) {
        c.text[k] = trim(c.text[k]);
        if (!c.text[k].length) throw new Error(`nbgen: ${name}:${c.line}: empty '${k}' text in a markdown cell`);
      }
    }
  }
  const firstCode = cells.find((c) => c.kind === 'code');
  if (!firstCode || !firstCode.lines.some((l) => l.includes(LOCALE_CALL))) throw new Error(`nbgen: ${name}: the first code cell must call ${LOCALE_CALL} (the Chinese notebook gets setLocale('zh'))`);
  return cells;
}

/** The languages a parsed lesson is written in: ['en'] or ['en', 'zh']. */
function languages(cells, name) {
  const md = cells.filter((c) => c.kind === 'markdown');
  const withZh = md.filter((c) => c.text.zh);
  if (withZh.length === 0) return ['en'];
  if (withZh.length === md.length) return ['en', 'zh'];
  const missing = md.filter((c) => !c.text.zh).map((c) => c.line);
  throw new Error(`nbgen: ${name}: markdown cells at lines ${missing.join(', ')} have no '::: zh' block (a lesson is in Chinese everywhere or nowhere)`);
}

/** nbformat 4 JSON for one language (source as a list of lines, like Jupyter writes it). */
function toNotebook(cells, lang, sourceRel) {
  const src = (lines) => lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
  const prefix = path.basename(sourceRel).slice(0, 2);
  let localeSet = false;
  return {
    cells: cells.map((c, i) => {
      const id = `${prefix}-${String(i).padStart(3, '0')}`;
      const metadata = { slideshow: { slide_type: c.slide } };
      if (c.hideInput) Object.assign(metadata, { jupyter: { source_hidden: true }, tags: ['hide-input'] });
      if (c.kind === 'markdown') return { cell_type: 'markdown', id, metadata, source: src(c.text[lang]) };
      let lines = c.lines;
      if (!localeSet) {
        lines = lines.map((l) => l.replace(LOCALE_CALL, `setLocale('${lang}')`));
        localeSet = true;
      }
      return { cell_type: 'code', execution_count: null, id, metadata, outputs: [], source: src(lines) };
    }),
    metadata: {
      kernelspec: { display_name: 'TypeScript (tscnn)', language: 'typescript', name: 'tscnn' },
      language_info: { file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript' },
      tscnn: { lang, source: sourceRel },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Every notebook a source generates: [{ lang, file (absolute), text }]. */
function generate(sourceFile) {
  const rel = path.relative(ROOT, path.resolve(sourceFile)).split(path.sep).join('/');
  const cells = parse(fs.readFileSync(sourceFile, 'utf8'), rel);
  const name = path.basename(sourceFile).replace(/\.ts$/, '');
  return languages(cells, rel).map((lang) => ({
    lang,
    file: path.join(ROOT, 'notebooks', lang, `${name}.ipynb`),
    text: `${JSON.stringify(toNotebook(cells, lang, rel), null, 1)}\n`,
  }));
}

/** Every lesson source, sorted. */
function sources() {
  return fs.readdirSync(SRC_DIR).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort().map((f) => path.join(SRC_DIR, f));
}

/** Generated notebooks on disk that no source writes any more. */
function stale(generated) {
  const want = new Set(generated.map((g) => g.file));
  const found = [];
  for (const lang of LANGS) {
    const dir = path.join(ROOT, 'notebooks', lang);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.ipynb') && !want.has(path.join(dir, f))) found.push(path.join(dir, f));
  }
  return found;
}

/** The first heading of a generated notebook's first markdown cell (the lesson title). */
function titleOf(text) {
  const nb = JSON.parse(text);
  const md = nb.cells.find((c) => c.cell_type === 'markdown');
  const line = md ? md.source.join('').split('\n').find((l) => l.startsWith('#')) : undefined;
  return line ? line.replace(/^#+\s*/, '') : '';
}

/**
 * notebooks/index.ipynb, the page `npm start` opens first: every lesson, linked in each language
 * it has (a markdown-only notebook, so it needs no kernel to read).
 */
function indexNotebook(generated) {
  const rows = (lang) => generated.filter((g) => g.lang === lang).map((g) => `- [${titleOf(g.text)}](${lang}/${path.basename(g.file)})`);
  const zh = rows('zh');
  const intro = [
    '# tscnn — CNNs from scratch in TypeScript / 用 TypeScript 从零实现卷积神经网络',
    '',
    'Choose a language. Each lesson runs on the **TypeScript (tscnn)** kernel; `Kernel → Restart & Run All` executes it top to bottom.',
    '',
    '选择语言。每一课都在 **TypeScript (tscnn)** 内核上运行；选择 `Kernel → Restart & Run All` 从头到尾运行。',
  ];
  const cell = (i, lines) => ({ cell_type: 'markdown', id: `index-${i}`, metadata: { slideshow: { slide_type: 'slide' } }, source: lines.map((l, k) => (k < lines.length - 1 ? `${l}\n` : l)) });
  const cells = [cell(0, intro), cell(1, ['## 简体中文', '', ...(zh.length ? zh : ['(还没有中文课程)'])]), cell(2, ['## English', '', ...rows('en')])];
  const nb = { cells, metadata: { kernelspec: { display_name: 'TypeScript (tscnn)', language: 'typescript', name: 'tscnn' }, tscnn: { lang: 'index' } }, nbformat: 4, nbformat_minor: 5 };
  return { lang: 'index', file: path.join(ROOT, 'notebooks', 'index.ipynb'), text: `${JSON.stringify(nb, null, 1)}\n` };
}

/** Every file the generator writes for these sources (the index only when all lessons are given). */
function generateAll(inputs) {
  const lessons = (inputs && inputs.length ? inputs : sources()).flatMap(generate);
  return inputs && inputs.length ? lessons : [...lessons, indexNotebook(lessons)];
}

/** One runnable .ts file: imports hoisted, 'tscnn' → the checkout's src/, cells in an async main. */
function toScript(cells, srcDir) {
  const imports = [];
  const body = [];
  for (const c of cells.filter((c) => c.kind === 'code')) {
    for (const l of c.lines) {
      if (/^import .* from '[^']+';$/.test(l)) imports.push(l.replace(/from 'tscnn'/, `from '${srcDir}'`));
      else body.push(`  ${l}`);
    }
    body.push('');
  }
  return `${imports.join('\n')}\n\n(async () => {\n${body.join('\n')}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}

function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function main(argv) {
  if (argv[0] === '--script') {
    const [, input, out] = argv;
    if (!input || !out) throw new Error('nbgen: usage: nbgen.js --script SOURCE.ts OUT.ts');
    const srcDir = path.relative(path.dirname(path.resolve(out)), path.join(ROOT, 'src')).split(path.sep).join('/');
    writeAtomic(out, toScript(parse(fs.readFileSync(input, 'utf8'), input), srcDir.startsWith('.') ? srcDir : `./${srcDir}`));
    return 0;
  }
  const checkOnly = argv[0] === '--check';
  const inputs = checkOnly ? argv.slice(1) : argv;
  const all = inputs.length === 0;
  const generated = generateAll(inputs);
  const rel = (f) => path.relative(ROOT, f);
  if (checkOnly) {
    const bad = generated.filter((g) => !fs.existsSync(g.file) || fs.readFileSync(g.file, 'utf8') !== g.text).map((g) => `${rel(g.file)} differs from its source (run node scripts/course/nbgen.js)`);
    if (all) bad.push(...stale(generated).map((f) => `${rel(f)} has no source in notebooks/src/`));
    for (const b of bad) console.error(`nbgen: ${b}`);
    return bad.length ? 1 : 0;
  }
  for (const g of generated) {
    if (fs.existsSync(g.file) && fs.readFileSync(g.file, 'utf8') === g.text) continue; // unchanged: keep its mtime
    writeAtomic(g.file, g.text);
    console.log(`nbgen: ${rel(g.file)}`);
  }
  if (all) for (const f of stale(generated)) {
    fs.rmSync(f);
    console.log(`nbgen: removed ${rel(f)} (no source)`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

module.exports = { parse, languages, toNotebook, generate, generateAll, indexNotebook, sources, stale, toScript, LANGS };
