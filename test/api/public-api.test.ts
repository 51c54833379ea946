/**
 * The public API: 'tscnn' is a curated list (≤ 200 runtime names), every public name has a doc
 * comment, the sub-paths resolve the same way in tsconfig.json (kernel, tsx) and package.json,
 * and every name a notebook imports exists where it imports it from.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { publicNames } from './exports';
import { ROOT } from './graph';

const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const paths: Record<string, string[]> = tsconfig.compilerOptions.paths;

/** `import { a, type B } from 'tscnn…'` in every notebook (and its source), README and course fixture. */
function notebookImports(): { from: string; name: string; file: string }[] {
  const files = [
    ...fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).map((f) => `notebooks/${f}`),
    ...(fs.existsSync(path.join(ROOT, 'notebooks/src')) ? fs.readdirSync(path.join(ROOT, 'notebooks/src')).map((f) => `notebooks/src/${f}`) : []),
    'README.md',
  ];
  const out: { from: string; name: string; file: string }[] = [];
  for (const file of files) {
    let text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (file.endsWith('.ipynb')) text = (JSON.parse(text).cells as { source: string | string[] }[]).map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
    for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](tscnn[^'"]*)['"]/g)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0].trim();
        if (name) out.push({ from: m[2], name, file });
      }
    }
  }
  return out;
}

describe('api/public names', function () {
  this.timeout(120000);

  it("'tscnn' exports at most 200 runtime names (a curated list, not every engine's internals)", () => {
    const names = Object.keys(require('tscnn'));
    // Engine internals live on sub-paths only.
    for (const internal of ['conv2dFast', 'conv2dNaive', 'conv2dWasm', 'gemmWasm', 'setWasmThreads', 'reloadWasmKernels', 'setConv2dWorkspaceLimit']) {
      expect(names, internal).to.not.include(internal);
      expect(Object.keys(require('tscnn/ops')), internal).to.include(internal);
    }
    expect(names.length).to.be.at.most(200);
    console.log(`      'tscnn': ${names.length} runtime names, ${publicNames('src/index.ts').length} with types`);
  });

  it('every sub-path resolves to the same file in tsconfig.json paths and package.json exports, and loads', () => {
    const fromTs = Object.entries(paths).map(([k, v]) => [k === 'tscnn' ? '.' : `./${k.slice('tscnn/'.length)}`, `./${v[0]}`]);
    expect(Object.fromEntries(fromTs)).to.deep.equal(pkg.exports);
    for (const key of Object.keys(paths)) {
      // Exact keys only: the kernel (kernels/lib/executor.js) looks ids up in `paths` as they are.
      expect(key, key).to.not.contain('*');
      expect(Object.keys(require(key)).length, key).to.be.greaterThan(0);
    }
  });

  it('every name a notebook or the README imports from tscnn exists there', () => {
    const found = notebookImports();
    expect(found.length).to.be.greaterThan(50);
    const missing: string[] = [];
    const cache = new Map<string, Set<string>>();
    for (const { from, name, file } of found) {
      const entry = paths[from]?.[0];
      if (!entry) {
        missing.push(`${file}: '${from}' is not a tscnn entry point`);
        continue;
      }
      if (!cache.has(entry)) cache.set(entry, new Set(publicNames(entry, Object.values(paths).map((v) => v[0])).map((n) => n.name)));
      if (!cache.get(entry)!.has(name)) missing.push(`${file}: ${name} from '${from}'`);
    }
    expect([...new Set(missing)]).to.deep.equal([]);
  });

  it("every public name of 'tscnn' has a doc comment (re-exports followed to the declaration)", () => {
    const undocumented = publicNames('src/index.ts').filter((n) => !n.documented).map((n) => `${n.name} (${n.file})`);
    expect(undocumented).to.deep.equal([]);
  });
});
