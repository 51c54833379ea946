/** House rules the code base keeps: no import circle (type-only imports count), no file over 400 lines. */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, circles, importGraph, sourceFiles } from './graph';

describe('api/import graph', () => {
  const files = sourceFiles(['src', 'kernels']);

  it('the graph is real: src/index.ts reaches the tensor and the ops', () => {
    const g = importGraph(files);
    const deps = g.get(path.join(ROOT, 'src/index.ts'))!.map((f) => path.relative(ROOT, f));
    expect(deps.some((d) => d.startsWith('src/tensor/'))).to.equal(true);
    expect(deps.some((d) => d.startsWith('src/ops/'))).to.equal(true);
    // A circle of two made-up files is found, so the check can fail.
    expect(circles(new Map([['a', ['b']], ['b', ['a']], ['c', ['a']]]))).to.have.length(1);
  });

  it('has no import circle in src/ or kernels/ (type-only imports included)', () => {
    const found = circles(importGraph(files));
    expect(found.map((c) => c.join(' ↔ '))).to.deep.equal([]);
  });

  it('has no file over 400 lines in src/ or kernels/', () => {
    const long = files
      .map((f) => ({ file: path.relative(ROOT, f), lines: fs.readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((r) => r.lines > 400)
      .map((r) => `${r.file} (${r.lines} lines)`);
    expect(long).to.deep.equal([]);
  });
});
