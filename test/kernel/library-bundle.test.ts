import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../../src/index';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createLibraryBundle, ensureBundle, bundlePaths } = require('../../kernels/lib/library-bundle.js');

const ROOT = path.resolve(__dirname, '..', '..');

describe('kernel: the library bundle (kernels/lib/library-bundle.js)', function () {
  this.timeout(60000);

  it('exports exactly what src/index.ts exports, and one instance of each module across entries', () => {
    const b = createLibraryBundle(ROOT);
    const index = b.get('src/index.ts');
    expect(Object.keys(index).sort()).to.deep.equal(Object.keys(lib).sort());
    expect(b.get('src/tensor/index.ts').Tensor).to.equal(index.Tensor);
    expect(b.get('src/display/locale.ts').getLocale).to.equal(index.getLocale);
    expect(b.get('src/nope.ts')).to.equal(undefined);
  });

  it('loading it loads no package (tfjs, canvas, plotly, graphviz load at first use)', () => {
    const code = `const b = require(${JSON.stringify(path.join(ROOT, 'kernels', 'lib', 'library-bundle.js'))}).createLibraryBundle(${JSON.stringify(ROOT)});
      const t = b.get('src/index.ts'); t.conv2d(t.randn([1, 1, 5, 5]), t.randn([1, 1, 3, 3]), null);
      console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/node_modules/'))));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const loaded: string[] = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(loaded.filter((f) => /@tensorflow|[/]canvas[/]|plotly|@viz-js/.test(f))).to.deep.equal([]);
  });

  it('computes what the sources compute: conv2d through the WebAssembly engine (its module found from the bundle) equals the naive loops', () => {
    const b = createLibraryBundle(ROOT);
    const t = b.get('src/index.ts');
    const ops = b.get('src/ops/index.ts');
    const wasm = b.get('src/ops/wasm/index.ts');
    expect(wasm.wasmStatus()).to.equal('loaded');
    expect(wasm.WASM_PATH).to.equal(path.join(ROOT, 'src', 'ops', 'wasm', 'tscnn-ops.wasm'));
    const x = t.randn([2, 3, 9, 9], { rng: new t.Rng(1) });
    const w = t.randn([4, 3, 3, 3], { rng: new t.Rng(2) });
    const fast = t.conv2d(x, w, null, { padding: 1, impl: 'wasm' });
    const naive = ops.conv2dNaive(x, w, null, { padding: 1 });
    expect(fast.shape).to.deep.equal([2, 4, 9, 9]);
    let max = 0;
    for (let i = 0; i < fast.data.length; i++) max = Math.max(max, Math.abs(fast.data[i] - naive.data[i]));
    expect(max).to.be.lessThan(1e-4);
  });

  it('its worker threads start from the bundle (worker.cjs found from the checkout) and give the same result', async () => {
    const b = createLibraryBundle(ROOT);
    const t = b.get('src/index.ts');
    const wasm = b.get('src/ops/wasm/index.ts');
    const x = t.randn([8, 4, 12, 12], { rng: new t.Rng(3) });
    const w = t.randn([6, 4, 3, 3], { rng: new t.Rng(4) });
    const prev = wasm.setWasmThreads(1);
    try {
      const one = t.conv2d(x, w, null, { impl: 'wasm' });
      wasm.setWasmThreads(2);
      expect(await wasm.wasmThreadsReady()).to.equal(2); // workers started from the bundle
      const two = t.conv2d(x, w, null, { impl: 'wasm' });
      expect(Array.from(two.data)).to.deep.equal(Array.from(one.data));
    } finally {
      wasm.setWasmThreads(prev);
    }
  });

  it('is rebuilt when a source is newer than it, and refresh() drops the loaded one', () => {
    ensureBundle(ROOT);
    const { meta } = bundlePaths(ROOT);
    const before = JSON.parse(fs.readFileSync(meta, 'utf8')).builtAt;
    const b = createLibraryBundle(ROOT);
    const first = b.get('src/index.ts');
    b.refresh();
    expect(b.get('src/index.ts'), 'fresh: the same instance').to.equal(first);
    const src = path.join(ROOT, 'src', 'ops', 'relu.ts');
    const st = fs.statSync(fs.existsSync(src) ? src : path.join(ROOT, 'src', 'index.ts'));
    const file = fs.existsSync(src) ? src : path.join(ROOT, 'src', 'index.ts');
    while (Date.now() <= before + 5) { /* a source edited after the build, never in the future */ }
    const later = new Date(Date.now());
    fs.utimesSync(file, st.atime, later);
    try {
      b.refresh();
      const second = b.get('src/index.ts');
      expect(second, 'stale: a new instance').to.not.equal(first);
      expect(JSON.parse(fs.readFileSync(meta, 'utf8')).builtAt).to.be.at.least(later.getTime());
    } finally {
      fs.utimesSync(file, st.atime, st.mtime);
    }
  });
});
