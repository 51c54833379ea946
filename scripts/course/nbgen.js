#!/usr/bin/env node
/**
 * Notebook sources → .ipynb (nbformat 4, kernel "tscnn", no outputs).
 *
 *   node scripts/course/nbgen.js notebooks/src/06-x-vs-o.ts [...]      → notebooks/06-x-vs-o.ipynb
 *   node scripts/course/nbgen.js --script notebooks/src/06-x-vs-o.ts OUT.ts
 *       → one plain TypeScript file (imports of 'tscnn' pointed at src/, cells inside an async
 *         function) to run with `npx tsx OUT.ts` while developing without a kernel.
 *
 * Source format (jupytext's "percent" style, readable and diffable as TypeScript):
 *   // %% [markdown] slide        a markdown cell; following lines are "// text"
 *   // %% subslide                a code cell with slide_type 'subslide'
 *   // %%                         a code cell with slide_type '-' (continues the slide)
 * slide_type is one of slide, subslide, fragment, -, skip, notes (default '-').
 */
'use strict';
const fs = require('fs');
const path = require('path');

const TYPES = new Set(['slide', 'subslide', 'fragment', '-', 'skip', 'notes']);
const MARK = /^\/\/ %%(?: \[(markdown)\])?(?: (\S+))?\s*$/;

/** Parse a source file into cells `{ kind: 'markdown'|'code', slide, lines }`. */
function parse(text, name) {
  const cells = [];
  let cur = null;
  text.split('\n').forEach((line, i) => {
    const m = MARK.exec(line);
    if (m) {
      const slide = m[2] ?? '-';
      if (!TYPES.has(slide)) throw new Error(`nbgen: ${name}:${i + 1}: unknown slide_type '${slide}'`);
      cur = { kind: m[1] ? 'markdown' : 'code', slide, lines: [] };
      cells.push(cur);
      return;
    }
    if (!cur) {
      if (line.trim() === '') return;
      throw new Error(`nbgen: ${name}:${i + 1}: text before the first '// %%' marker`);
    }
    if (cur.kind === 'markdown') {
      if (line !== '//' && !line.startsWith('// ') && line.trim() !== '') throw new Error(`nbgen: ${name}:${i + 1}: markdown lines must start with '// '`);
      cur.lines.push(line === '//' ? '' : line.slice(3));
    } else cur.lines.push(line);
  });
  for (const c of cells) {
    while (c.lines.length && c.lines[c.lines.length - 1].trim() === '') c.lines.pop();
    while (c.lines.length && c.lines[0].trim() === '') c.lines.shift();
  }
  const empty = cells.findIndex((c) => c.lines.length === 0);
  if (empty >= 0) throw new Error(`nbgen: ${name}: cell ${empty + 1} is empty`);
  return cells;
}

/** nbformat 4 JSON (source as a list of lines, like Jupyter writes it). */
function toNotebook(cells) {
  const src = (lines) => lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
  return {
    cells: cells.map((c, i) => {
      const base = { cell_type: c.kind, id: `c${String(i + 1).padStart(3, '0')}`, metadata: { slideshow: { slide_type: c.slide } }, source: src(c.lines) };
      return c.kind === 'code' ? { ...base, execution_count: null, outputs: [] } : base;
    }),
    metadata: {
      kernelspec: { display_name: 'TypeScript (tscnn)', language: 'typescript', name: 'tscnn' },
      language_info: { file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
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
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function main(argv) {
  const root = path.resolve(__dirname, '../..');
  if (argv[0] === '--script') {
    const [, input, out] = argv;
    if (!input || !out) throw new Error('nbgen: usage: nbgen.js --script SOURCE.ts OUT.ts');
    const srcDir = path.relative(path.dirname(path.resolve(out)), path.join(root, 'src')).split(path.sep).join('/');
    writeAtomic(out, toScript(parse(fs.readFileSync(input, 'utf8'), input), srcDir.startsWith('.') ? srcDir : `./${srcDir}`));
    return;
  }
  if (argv.length === 0) throw new Error('nbgen: usage: nbgen.js SOURCE.ts... (writes notebooks/<name>.ipynb)');
  for (const input of argv) {
    const out = path.join(root, 'notebooks', `${path.basename(input).replace(/\.ts$/, '')}.ipynb`);
    writeAtomic(out, `${JSON.stringify(toNotebook(parse(fs.readFileSync(input, 'utf8'), input)), null, 1)}\n`);
    console.log(`nbgen: ${path.relative(root, out)}`);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

module.exports = { parse, toNotebook, toScript };
