import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { WASM_PATH } from '../../src/ops/wasm/runtime';

const ROOT = resolve(__dirname, '../..');

/** The one line a process prints when it falls back to plain JS. */
const WARNING = /tscnn: the WebAssembly kernels are unavailable, so the ops run the plain-JavaScript fast path/g;

/**
 * Preloaded into a child to make `assemblyscript` unresolvable, as on an install without the
 * devDependency (require.resolve goes through Module._resolveFilename).
 */
const HIDE_ASSEMBLYSCRIPT = [
  "const Module = require('module');",
  'const resolve0 = Module._resolveFilename;',
  'Module._resolveFilename = function (request, ...rest) {',
  "  if (/^assemblyscript(\\/|$)/.test(request)) throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });",
  '  return resolve0.call(this, request, ...rest);',
  '};',
].join('\n');

/** Run `code` in a fresh node (tsx) with the module path at `wasmPath`; its last stdout line as JSON, and stderr. */
function child(code: string, wasmPath: string, hideAssemblyscript: boolean): { out: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', (hideAssemblyscript ? HIDE_ASSEMBLYSCRIPT + '\n' : '') + code], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TSCNN_WASM_PATH: wasmPath },
  });
  expect(r.status, r.stderr).to.equal(0);
  return { out: JSON.parse(r.stdout.trim().split('\n').pop()!), stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tscnn-wasm-'));
}

/** An empty but valid module: no kernels at all. */
function writeStale(path: string): void {
  writeFileSync(path, Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
}

const STATUS = "const r = require('./src/ops/wasm/runtime'); console.log(JSON.stringify({ info: r.fastPathInfo(), status: r.wasmStatus() }));";

describe('wasm runtime: the module is rebuilt when missing, and a fallback says so once', function () {
  this.timeout(180000);

  it('lives beside its sources, not under build/ (rm -rf build must not drop the fast path)', () => {
    expect(relative(ROOT, WASM_PATH)).to.equal(join('src', 'ops', 'wasm', 'tscnn-ops.wasm'));
  });

  it('a missing module is built on first use, silently, and loads', () => {
    const path = join(tempDir(), 'sub', 'tscnn-ops.wasm');
    const { out, stderr } = child(STATUS, path, false);
    expect(out).to.deep.equal({ info: 'wasm-simd', status: 'loaded' });
    expect(existsSync(path), 'the module was written').to.equal(true);
    expect(stderr.match(WARNING), stderr).to.equal(null);
  });

  it('an out-of-date module (kernels missing) is rebuilt on first use', () => {
    const path = join(tempDir(), 'stale.wasm');
    writeStale(path);
    const { out, stderr } = child(STATUS, path, false);
    expect(out).to.deep.equal({ info: 'wasm-simd', status: 'loaded' });
    expect(stderr.match(WARNING), stderr).to.equal(null);
  });

  it('an out-of-date module that cannot be rebuilt falls back to plain JS, and warns once with the reason', () => {
    const stale = join(tempDir(), 'stale.wasm');
    writeStale(stale);
    const { out, stderr } = child(STATUS, stale, true);
    expect(out.info).to.equal('js');
    expect(out.status).to.match(/stale\.wasm is out of date \(no gemm, workBytes, .*; run: node src\/ops\/wasm\/build\.js\)/);
    expect(out.status).to.match(/could not be built on first use: wasm build: assemblyscript is not installed \(it is a devDependency: run npm install\)$/);
    expect(stderr.match(WARNING)).to.have.length(1);
  });

  it('without the .wasm file and without assemblyscript it falls back to plain JS with one warning and no error', () => {
    const code = [
      "const { fastPathInfo, wasmStatus } = require('./src/ops/wasm/runtime');",
      "const { gemm } = require('./src/ops/gemm');",
      "const { pickEngine } = require('./src/ops/engine');",
      "const { conv2d, relu } = require('./src/ops');",
      "const { randn } = require('./src/tensor');",
      'const C = new Float32Array(4);',
      'gemm(false, false, 2, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 0, 2, new Float32Array([5, 6, 7, 8]), 0, 2, 0, C, 0, 2);',
      // several ops that would use wasm, and the status twice: still one warning
      'relu(randn([4, 8, 32, 32])); conv2d(randn([2, 3, 8, 8]), randn([4, 3, 3, 3]), null); fastPathInfo();',
      "let forced = 'no error';",
      "try { pickEngine('conv2d', 'wasm'); } catch (e) { forced = e.message; }",
      'console.log(JSON.stringify({ info: fastPathInfo(), status: wasmStatus(), C: Array.from(C), forced }));',
    ].join('\n');
    const missing = join(tempDir(), 'does-not-exist.wasm');
    const { out, stderr } = child(code, missing, true);
    expect(out.info).to.equal('js');
    expect(out.status).to.match(/does-not-exist\.wasm not found \(run: node src\/ops\/wasm\/build\.js\)/);
    expect(out.C).to.deep.equal([19, 22, 43, 50]);
    expect(out.forced).to.match(/^conv2d: impl 'wasm' was requested but the WebAssembly kernels are unavailable/);
    // one warning line: what happened, why, and how to fix it
    const lines = stderr.split('\n').filter((l) => l.match(WARNING));
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.match(/does-not-exist\.wasm not found \(run: node src\/ops\/wasm\/build\.js\) and could not be built on first use: wasm build: assemblyscript is not installed \(it is a devDependency: run npm install\)$/);
    expect(existsSync(missing)).to.equal(false);
  });
});
