import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(ROOT, 'build', 'kernel');

/** Loads `file` through the code cache in a fresh process; returns what it printed. */
function load(file: string): { value: unknown; usedCache: boolean; fromCache: boolean } {
  const code = `const { requireWithCodeCache } = require(${JSON.stringify(path.join(ROOT, 'kernels', 'lib', 'code-cache.js'))});
    const m = requireWithCodeCache(${JSON.stringify(file)});
    const before = require('fs').readdirSync(${JSON.stringify(CACHE_DIR)}).filter((f) => f.startsWith('tscnn-cc-probe')).length;
    m.save();
    console.log(JSON.stringify({ value: m.exports.answer(20), dirname: m.exports.dir, same: require(${JSON.stringify(file)}) === m.exports, before, fromCache: m.fromCache }));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  const out = JSON.parse(r.stdout.trim());
  expect(out.same, 'require() afterwards gives the same module').to.equal(true);
  expect(out.dirname).to.equal(path.dirname(file));
  return { value: out.value, usedCache: out.before > 0, fromCache: out.fromCache };
}

describe('kernel: V8 code cache for TypeScript\'s module (kernels/lib/code-cache.js)', function () {
  this.timeout(30000);

  it('the first load writes a cache, the next load uses it; both give the module with its own __dirname', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-cc-'));
    const file = path.join(dir, 'tscnn-cc-probe.js');
    fs.writeFileSync(file, 'exports.answer = (x) => x * 2 + 2; exports.dir = __dirname;\n');
    const mine = () => fs.existsSync(CACHE_DIR) ? fs.readdirSync(CACHE_DIR).filter((f) => f.startsWith('tscnn-cc-probe')) : [];
    try {
      const first = load(file);
      expect(first).to.deep.equal({ value: 42, usedCache: false, fromCache: false });
      expect(mine().length).to.equal(1);
      const second = load(file);
      expect(second).to.deep.equal({ value: 42, usedCache: true, fromCache: true });
      expect(mine().length).to.equal(1);
    } finally {
      for (const f of mine()) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
