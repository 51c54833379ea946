/**
 * `import { conv2d } from 'tscnn'` must not load TensorFlow.js or graphviz (issue 15's first-cell
 * budget): src/tfjs, src/graph and src/data/image.ts import them as types and `require()` them at
 * first use. Checked in a fresh process, since this one has loaded everything already.
 */
import { execFileSync } from 'child_process';
import { expect } from 'chai';
import { ROOT } from './graph';

describe('api/lazy heavy dependencies', function () {
  this.timeout(120000);

  it("require('tscnn') loads neither @tensorflow/tfjs nor @viz-js/viz; first use does", () => {
    const script = `
      const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(@tensorflow|@viz-js)\\//.test(f)).length;
      const t = require('tscnn');
      const before = loaded();
      t.drawGraph(new t.Value(2).mul(3)).then(() => console.log(JSON.stringify({ before, after: loaded() })));`;
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { before, after } = JSON.parse(out.trim().split('\n').pop()!);
    expect(before).to.equal(0);
    expect(after).to.be.greaterThan(0); // the check can fail: graphviz really is loaded on first use
  });
});
