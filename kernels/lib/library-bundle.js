'use strict';
/**
 * The library as the kernel loads it: every module of src/ in one CommonJS bundle built by
 * esbuild (tsx's own transpiler), instead of ~170 files transpiled and loaded one by one through
 * tsx's require hook. Loading the bundle takes ~0.1 s and ~20 MiB; the same modules through tsx
 * ~0.4–1.6 s and ~27 MiB (docs/measured.md, "Kernel memory").
 *
 * The bundle maps each source file (`src/ops/conv2d.ts`, relative to the checkout) to its
 * exports, so `'tscnn'`, every `'tscnn/…'` sub-path and a relative import of a file under src/
 * all get the same module instance (one Tensor class, one locale).
 *
 * Where it lives: build/kernel/tscnn.cjs with its inputs in tscnn.cjs.meta.json. It is fresh
 * while no input is newer than the build; a stale or missing bundle is rebuilt (~0.3 s), written
 * to a temp name and renamed, or, where the checkout is read-only (a class hub's shared course),
 * kept in memory for this kernel. Either way it is compiled under its canonical file name, so
 * `require` and `require.resolve` inside it resolve from the checkout.
 */
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { writeFileAtomic, isReadOnlyError } = require('./write-atomic');

const SELF = __filename;
const ENTRY_NAME = 'tscnn-kernel-entry.js'; // the generated entry (stdin), not a file

function bundlePaths(projectRoot) {
  const file = path.join(projectRoot, 'build', 'kernel', 'tscnn.cjs');
  return { file, meta: `${file}.meta.json` };
}

/** AssemblyScript sources (compiled to src/ops/wasm/tscnn-ops.wasm by build.js), not Node modules. */
const NOT_NODE = ['src/ops/wasm/asm'];

/** Every .ts file under src/ but NOT_NODE (sorted, relative to projectRoot, '/'-separated). */
function sourceFiles(projectRoot) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (!NOT_NODE.includes(path.relative(projectRoot, p).split(path.sep).join('/'))) walk(p); }
      else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path.relative(projectRoot, p).split(path.sep).join('/'));
    }
  };
  walk(path.join(projectRoot, 'src'));
  return out.sort();
}

function mtime(file) {
  try { return fs.statSync(file).mtimeMs; } catch { return Infinity; }
}

/** The meta of the bundle on disk, or null when there is none. */
function readMeta(projectRoot) {
  const { file, meta } = bundlePaths(projectRoot);
  if (!fs.existsSync(file)) return null;
  try { return JSON.parse(fs.readFileSync(meta, 'utf8')); } catch { return null; }
}

/** True when a bundle built with `meta` is newer than its inputs, this file and the list of sources. */
function isFresh(projectRoot, meta) {
  if (!meta || mtime(SELF) > meta.builtAt) return false;
  if (sourceFiles(projectRoot).join('\n') !== meta.sources.join('\n')) return false;
  return meta.inputs.every((rel) => mtime(path.join(projectRoot, rel)) <= meta.builtAt);
}

function esbuild(projectRoot) {
  const tsx = require.resolve('tsx/package.json', { paths: [projectRoot] });
  return require(require.resolve('esbuild', { paths: [path.dirname(tsx)] }));
}

/** Build the bundle text. Returns { code, meta }. */
function build(projectRoot) {
  const sources = sourceFiles(projectRoot);
  const entry = 'module.exports = {\n' +
    sources.map((rel) => `  ${JSON.stringify(rel)}: () => require(${JSON.stringify('./' + rel)}),`).join('\n') + '\n};\n';
  const builtAt = Date.now();
  const result = esbuild(projectRoot).buildSync({
    stdin: { contents: entry, resolveDir: projectRoot, sourcefile: ENTRY_NAME, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { __TSCNN_PACKAGE_ROOT__: JSON.stringify(projectRoot) },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== ENTRY_NAME)
    .map((f) => path.relative(projectRoot, path.resolve(projectRoot, f)).split(path.sep).join('/'));
  return { code: result.outputFiles[0].text, meta: { builtAt, sources, inputs } };
}

/**
 * Make build/kernel/tscnn.cjs fresh (the set-up script runs `node kernels/lib/library-bundle.js`).
 * Returns { meta, code }: code is null when the file on disk is the bundle, else the text to
 * compile (the checkout is read-only).
 */
function ensureBundle(projectRoot) {
  const onDisk = readMeta(projectRoot);
  if (isFresh(projectRoot, onDisk)) return { meta: onDisk, code: null };
  const { file, meta } = bundlePaths(projectRoot);
  const built = build(projectRoot);
  try {
    writeFileAtomic(file, built.code);
    writeFileAtomic(meta, JSON.stringify(built.meta));
    return { meta: built.meta, code: null };
  } catch (e) {
    if (isReadOnlyError(e)) return { meta: built.meta, code: built.code };
    throw e;
  }
}

/**
 * The loader a kernel uses: `get(rel)` gives the exports of source file `rel` ('src/index.ts');
 * `refresh()` (before each cell) drops a bundle whose sources changed since it was built, so
 * re-running an import cell picks up an edit of the library.
 */
function createLibraryBundle(projectRoot) {
  const { file } = bundlePaths(projectRoot);
  let loaded = null; // { table, meta, cache: Map }
  function load() {
    const { meta, code } = ensureBundle(projectRoot);
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file));
    mod._compile(code ?? fs.readFileSync(file, 'utf8'), file);
    loaded = { table: mod.exports, meta, cache: new Map() };
  }
  return {
    /** Exports of the source file `rel`, or undefined when the bundle has no such file. */
    get(rel) {
      if (!loaded) load();
      if (!Object.prototype.hasOwnProperty.call(loaded.table, rel)) return undefined;
      if (!loaded.cache.has(rel)) loaded.cache.set(rel, loaded.table[rel]());
      return loaded.cache.get(rel);
    },
    refresh() {
      if (loaded && !isFresh(projectRoot, loaded.meta)) loaded = null;
    },
  };
}
const shared = new Map();
/** The one bundle loader of this process for `projectRoot` (cells and the kernel share its modules). */
function sharedLibrary(projectRoot) {
  if (!shared.has(projectRoot)) shared.set(projectRoot, createLibraryBundle(projectRoot));
  return shared.get(projectRoot);
}

module.exports = { createLibraryBundle, sharedLibrary, ensureBundle, sourceFiles, bundlePaths };

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const { code } = ensureBundle(root);
  if (code !== null) {
    process.stderr.write(`library bundle: ${bundlePaths(root).file} is not writable\n`);
    process.exit(1);
  }
  process.stdout.write(`library bundle: ${path.relative(root, bundlePaths(root).file)} is up to date\n`);
}
