#!/usr/bin/env node
/**
 * Compile the AssemblyScript kernels (src/ops/wasm/asm/*.ts) into src/ops/wasm/tscnn-ops.wasm.
 *
 *   node src/ops/wasm/build.js [--force] [--quiet]
 *
 * Skips the compile when the .wasm is newer than every source (use --force to rebuild).
 * Plain JavaScript so scripts/setup.sh can run it before anything else is compiled, and so
 * src/ops/wasm/runtime.ts can call it on first use when the module is missing or out of date.
 * The module sits beside its sources (git-ignored), not under build/, which holds the course's
 * disposable outputs: `rm -rf build` must not drop the ops to plain JS. The output is written
 * to a temp file and renamed, so a loader never sees half a module. Without it the ops fall back
 * to the plain-JS fast path, and say so once (see src/ops/wasm/runtime.ts).
 *
 * asc flags: SIMD on (f32x4), -O3, the stub runtime (no GC: the kernels only use raw memory
 * handed to them by the JS glue), no asserts (the glue checks every bound before calling), and
 * an imported *shared* memory (threads), so worker threads can run the same kernels on the
 * same data (src/ops/wasm/threads.ts).
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const SRC_DIR = path.join(__dirname, 'asm');
const ENTRY = path.join(SRC_DIR, 'index.ts');
const OUT = path.join(__dirname, 'tscnn-ops.wasm');
/** Shared memory limit in 64 KiB pages (2 GiB); only address space is reserved up front. */
const MAX_PAGES = 32768;
const FLAGS = [
  '--enable', 'simd', '--enable', 'threads', '-O3', '--runtime', 'stub', '--noAssert',
  '--importMemory', '--sharedMemory', '--initialMemory', '2', '--maximumMemory', String(MAX_PAGES),
];

/** Whether `out` exists and is newer than every kernel source and this script. */
function upToDate(out = OUT) {
  if (!fs.existsSync(out)) return false;
  const built = fs.statSync(out).mtimeMs;
  const sources = fs.readdirSync(SRC_DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC_DIR, f));
  return sources.every((f) => fs.statSync(f).mtimeMs <= built) && fs.statSync(__filename).mtimeMs <= built;
}

/** Compile into `out` unless it is up to date (or `force`); returns `out`. Throws on failure. */
function build({ force = false, quiet = false, out = OUT } = {}) {
  if (!force && upToDate(out)) {
    if (!quiet) console.log(`wasm: ${path.relative(ROOT, out)} is up to date`);
    return out;
  }
  let asc;
  try {
    asc = require.resolve('assemblyscript/bin/asc.js', { paths: [ROOT] });
  } catch {
    throw new Error('wasm build: assemblyscript is not installed (it is a devDependency: run npm install)');
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [asc, ENTRY, ...FLAGS, '-o', tmp], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    try { fs.unlinkSync(tmp); } catch { /* nothing was written */ }
    throw new Error(`wasm build: asc failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
  }
  fs.renameSync(tmp, out);
  if (!quiet) console.log(`wasm: built ${path.relative(ROOT, out)} (${fs.statSync(out).size} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

module.exports = { build, upToDate, OUT, MAX_PAGES };

if (require.main === module) {
  const args = process.argv.slice(2);
  for (const a of args) {
    if (a !== '--force' && a !== '--quiet') {
      console.error(`wasm build: unknown argument ${JSON.stringify(a)} (usage: node src/ops/wasm/build.js [--force] [--quiet])`);
      process.exit(2);
    }
  }
  try {
    build({ force: args.includes('--force'), quiet: args.includes('--quiet') });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
