#!/usr/bin/env node
/**
 * Builds notebooks/01…05-*.ipynb from their reviewable sources notebooks/src/0N-*.nb.
 *
 *   node notebooks/src/01-05-build.js            # all sources 01–05
 *   node notebooks/src/01-05-build.js 03         # only 03-*.nb
 *
 * Source format (one cell per block): a line `%% md <slide_type>` or `%% code <slide_type>` starts
 * a cell; slide_type is one of slide, subslide, fragment, -, skip, notes. Everything up to the next
 * `%%` line is the cell's text (leading/trailing blank lines dropped). Notebooks are written
 * without outputs (the course build executes them), kernelspec "tscnn", nbformat 4.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const SLIDE_TYPES = new Set(['slide', 'subslide', 'fragment', '-', 'skip', 'notes']);

function parse(text, file) {
  const cells = [];
  let cur = null;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^%% (md|code)(?: (\S+))?\s*$/.exec(line);
    if (m) {
      const slide = m[2] ?? '-';
      if (!SLIDE_TYPES.has(slide)) throw new Error(`${file}:${i + 1}: unknown slide type '${slide}'`);
      cur = { kind: m[1], slide, lines: [] };
      cells.push(cur);
    } else if (line.startsWith('%%')) {
      throw new Error(`${file}:${i + 1}: malformed cell marker '${line}'`);
    } else if (cur) {
      cur.lines.push(line);
    } else if (line.trim() !== '') {
      throw new Error(`${file}:${i + 1}: text before the first cell marker`);
    }
  });
  return cells.map((c, n) => {
    while (c.lines.length && c.lines[0].trim() === '') c.lines.shift();
    while (c.lines.length && c.lines[c.lines.length - 1].trim() === '') c.lines.pop();
    if (!c.lines.length) throw new Error(`${file}: cell ${n + 1} is empty`);
    const source = c.lines.map((l, k) => (k < c.lines.length - 1 ? l + '\n' : l));
    const metadata = { slideshow: { slide_type: c.slide } };
    return c.kind === 'md'
      ? { cell_type: 'markdown', metadata, source }
      : { cell_type: 'code', execution_count: null, metadata, outputs: [], source };
  });
}

function build(srcFile) {
  const cells = parse(fs.readFileSync(srcFile, 'utf8'), srcFile);
  const nb = {
    cells,
    metadata: {
      kernelspec: { name: 'tscnn', display_name: 'TypeScript (tscnn)', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  // nbformat 4.5 wants ids; derive them from position so rebuilding is deterministic.
  const base = path.basename(srcFile, '.nb');
  nb.cells.forEach((c, i) => (c.id = `${base.slice(0, 2)}-${String(i).padStart(3, '0')}`));
  const out = path.join(__dirname, '..', base + '.ipynb');
  const tmp = out + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify(nb, null, 1) + '\n');
  fs.renameSync(tmp, out);
  return { out, cells: cells.length };
}

const only = process.argv.slice(2);
const sources = fs
  .readdirSync(__dirname)
  .filter((f) => /^0[1-5]-.*\.nb$/.test(f))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();
if (!sources.length) {
  console.error('01-05-build: no matching sources');
  process.exit(1);
}
for (const f of sources) {
  const { out, cells } = build(path.join(__dirname, f));
  console.log(`${path.relative(process.cwd(), out)}: ${cells} cells`);
}
