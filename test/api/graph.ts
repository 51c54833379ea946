/**
 * The import graph of src/ and kernels/, read with TypeScript's own pre-processor: every
 * `import`/`export … from` (type-only ones included), `require('…')` and `import('…')` of a
 * local file is an edge; npm packages are not nodes. 'tscnn' and its sub-paths resolve through
 * tsconfig.json `paths`, as the kernel and tsx do.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../..');
const SOURCE = /\.(ts|cts|mts|js|cjs|mjs)$/;

/** Every source file under `dirs` (relative to the repository root), skipping node_modules. */
export function sourceFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(path.join(ROOT, d));
  return out.sort();
}

function tsconfigPaths(): Record<string, string> {
  const cfg = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((cfg.compilerOptions?.paths ?? {}) as Record<string, string[]>)) out[k] = path.resolve(ROOT, v[0]);
  return out;
}

function resolveLocal(from: string, spec: string, paths: Record<string, string>): string | null {
  let base: string;
  if (paths[spec]) base = paths[spec];
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else return null;
  const stem = base.replace(/\.(ts|js|cjs)$/, '');
  for (const cand of [base, `${stem}.ts`, `${stem}.js`, `${stem}.cjs`, path.join(base, 'index.ts'), path.join(base, 'index.js')]) {
    if (fs.existsSync(cand) && fs.statSync(cand).isFile()) return cand;
  }
  return null;
}

/** file → the local files it imports. */
export function importGraph(files: string[]): Map<string, string[]> {
  const paths = tsconfigPaths();
  const g = new Map<string, string[]>();
  for (const f of files) {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    const deps = new Set<string>();
    for (const imp of info.importedFiles) {
      const r = resolveLocal(f, imp.fileName, paths);
      if (r) deps.add(r);
    }
    g.set(f, [...deps]);
  }
  return g;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function circles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}
