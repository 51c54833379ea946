'use strict';
/**
 * Loads a big CommonJS module with a V8 code cache. TypeScript's module (8 MB of JavaScript)
 * takes ~0.38 s to compile at every kernel start and ~0.17 s with a cache (docs/measured.md,
 * "Kernel"): most of a transpile-only kernel's first-cell wait.
 *
 * The cache sits in build/kernel/ beside the library bundle, named after the module's size and
 * mtime and Node's V8 version, so a new TypeScript or Node makes a new file. `save()` (called once
 * the module has done its first real work, so the cache holds the functions that ran) writes it
 * when there was none or V8 rejected it: to a temp name, then renamed. Where the checkout is
 * read-only the module loads without a cache, as plain `require` would.
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const { writeFileAtomic, isReadOnlyError } = require('./write-atomic');

const CACHE_DIR = path.resolve(__dirname, '..', '..', 'build', 'kernel');

function cacheFile(file) {
  const st = fs.statSync(file);
  const tag = `${path.basename(file, '.js')}-${st.size}-${Math.round(st.mtimeMs)}-v8-${process.versions.v8}`;
  return path.join(CACHE_DIR, `${tag.replace(/[^A-Za-z0-9._-]/g, '_')}.v8cache`);
}

/**
 * `require(file)` through a code cache. Returns { exports, fromCache, save() }. A module already
 * required is returned as it is (fromCache false, save() does nothing).
 */
function requireWithCodeCache(file) {
  if (require.cache[file]) return { exports: require.cache[file].exports, fromCache: false, save() {} };
  const cachePath = cacheFile(file);
  let cached;
  try { cached = fs.readFileSync(cachePath); } catch { cached = undefined; }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  const needsSave = cached === undefined || script.cachedDataRejected === true;
  return {
    exports: mod.exports,
    /** True when V8 compiled the module from the cache. */
    fromCache: !needsSave,
    save() {
      if (!needsSave) return;
      try {
        writeFileAtomic(cachePath, script.createCachedData());
      } catch (e) {
        if (!isReadOnlyError(e)) throw e;
      }
    },
  };
}

module.exports = { requireWithCodeCache };
