'use strict';
/**
 * Runs cells: compiles with tslab's converter (see compiler.js), evaluates the CommonJS output in
 * this context with vm, and reports { ok, value, hasValue } or { ok: false, error } where error is
 * { ename, evalue, traceback } (traceback lines name the cell line that failed).
 *
 * Modules compiled by tslab from local .ts files ("side outputs") are loaded from memory by our
 * own `require`: 'tscnn', its sub-paths and any file under src/ come from the library's bundle
 * (library-bundle.js, one instance of each module), directory imports find index.js, and when
 * any side output changes the whole side-module cache is dropped, so an edited library or
 * notebook file is picked up by re-running the import cell.
 */
const Module = require('module');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createTypeInfo } = require('./type-info');
const { sharedLibrary } = require('./library-bundle');
const util = require('util');

const INTERRUPT_MESSAGE = 'interrupted by the user';

class KeyboardInterrupt extends Error {
  constructor() { super(INTERRUPT_MESSAGE); this.name = 'KeyboardInterrupt'; }
}

function createExecutor(compiler, notebookDir) {
  const { conv, rootDir, paths } = compiler;
  const sideOutputs = new Map(); // absolute .js path → code
  const sideModules = new Map(); // absolute .js path → Module
  const nodeRequire = Module.createRequire(path.join(notebookDir, '__cell__.js'));
  const projectRequire = Module.createRequire(path.join(compiler.projectRoot, '__cell__.js'));
  let prevDecl = '';
  const typeInfo = createTypeInfo(compiler);

  const library = sharedLibrary(compiler.projectRoot);
  const srcDir = path.join(compiler.projectRoot, 'src') + path.sep;
  /** The library source file (relative to the checkout, 'src/ops/conv2d.ts') that `file` names, or null. */
  function librarySource(file) {
    if (!file.startsWith(srcDir)) return null;
    const base = file.replace(/\.(tsx?|js)$/, '');
    for (const cand of [base + '.ts', path.join(base, 'index.ts')]) {
      if (fs.existsSync(cand)) return path.relative(compiler.projectRoot, cand).split(path.sep).join('/');
    }
    return null;
  }

  function sidePath(from, id) {
    let base = null;
    if (paths[id]) return { file: paths[id][0], lib: librarySource(paths[id][0]) };
    else if (/^\.\.?(\/|$)/.test(id) || path.isAbsolute(id)) base = path.resolve(from, id).replace(/\.(tsx?|js)$/, '');
    if (base === null) return null;
    for (const cand of [base + '.js', path.join(base, 'index.js')]) if (sideOutputs.has(cand)) return { side: cand };
    const file = path.resolve(from, id);
    return { file, lib: librarySource(file) };
  }

  // The library loads from its bundle (library-bundle.js). Other local .ts files (a notebook's
  // helpers) load through tsx's require hook, registered on first need; an edit to any of them
  // drops them all from require.cache, so re-running an import cell picks it up.
  let tsxRegistered = false;
  function localRequire(file) {
    if (!tsxRegistered) { require('tsx/cjs/api').register(); tsxRegistered = true; }
    return nodeRequire(file);
  }
  const localMtimes = new Map();
  function isLocalSource(file) {
    return /\.(c|m)?tsx?$/.test(file) && !file.includes(`${path.sep}node_modules${path.sep}`);
  }
  function refreshLocalModules() {
    let changed = false;
    for (const file of Object.keys(require.cache)) {
      if (!isLocalSource(file)) continue;
      let m = -1;
      try { m = fs.statSync(file).mtimeMs; } catch { /* deleted */ }
      const seen = localMtimes.get(file);
      if (seen === undefined) localMtimes.set(file, m);
      else if (seen !== m) changed = true;
    }
    if (!changed) return;
    for (const file of Object.keys(require.cache)) {
      if (isLocalSource(file)) { delete require.cache[file]; localMtimes.delete(file); }
    }
  }

  function makeRequire(dir) {
    const fallback = dir === rootDir ? null : Module.createRequire(path.join(dir, '__mod__.js'));
    const req = (id) => {
      if (id === 'tslab') return tslabModule();
      const target = sidePath(dir, id);
      if (target && target.side) return loadSide(target.side);
      if (target && target.lib) {
        const exports = library.get(target.lib);
        if (exports !== undefined) return exports;
      }
      if (target && target.file) return localRequire(target.file);
      // Cells resolve packages from the notebook's folder first, then from this checkout.
      const tries = fallback ? [fallback] : [nodeRequire, projectRequire];
      let firstErr;
      for (const r of tries) {
        try { return r(id); } catch (e) {
          if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`'${id}'`)) { firstErr = firstErr || e; continue; }
          throw e;
        }
      }
      throw firstErr;
    };
    req.resolve = (id) => nodeRequire.resolve(id);
    return req;
  }

  function loadSide(file) {
    const cached = sideModules.get(file);
    if (cached) return cached.exports;
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file));
    mod.require = makeRequire(path.dirname(file));
    sideModules.set(file, mod); // before compiling: circular imports see the partial exports
    try {
      mod._compile(sideOutputs.get(file), file);
    } catch (e) {
      sideModules.delete(file);
      throw e;
    }
    return mod.exports;
  }

  // tslab's cell output assigns top-level names to `exports`; keep them rewritable like tslab.
  const store = {};
  const exportsProxy = new Proxy(store, {
    defineProperty(_t, prop, attrs) {
      if (prop === '__esModule') return true;
      store[prop] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
  const cellRequire = makeRequire(rootDir);
  const GLOBAL = '__tscnn_cell__';
  vm.runInThisContext(`(x) => { globalThis.${GLOBAL} = x; }`)({ exports: exportsProxy, require: cellRequire });

  /** @returns {Promise<{ok: true, hasValue: boolean, value?: unknown} | {ok: false, error: object}>} */
  async function execute(src, count, interruptPromise) {
    const { code } = compiler.rewrite(src);
    library.refresh(); // once a cell, before it runs: a library edit since the last one is picked up
    refreshLocalModules();
    const converted = conv.convert(prevDecl, code);
    if (converted.sideOutputs) {
      for (const out of converted.sideOutputs) sideOutputs.set(out.path, out.data);
      sideModules.clear();
    }
    if (converted.diagnostics.length > 0) return { ok: false, error: compileError(src, converted.diagnostics, count) };
    if (!converted.output) {
      prevDecl = converted.declOutput || '';
      typeInfo.ran(code, prevDecl);
      return { ok: true, hasValue: false };
    }
    try {
      return await run(converted, code, src, count, interruptPromise);
    } finally {
      refreshLocalModules(); // records the mtimes of local files this cell loaded
    }
  }

  async function run(converted, code, src, count, interruptPromise) {
    const filename = `cell[${count}]`;
    const prefix = converted.hasToplevelAwait ? '(async function(exports, require) { ' : '(function(exports, require) { ';
    const wrapped = prefix + converted.output + `\n})(${GLOBAL}.exports, ${GLOBAL}.require)`;
    try {
      const ret = vm.runInThisContext(wrapped, { filename, breakOnSigint: true });
      if (converted.hasToplevelAwait) await Promise.race([ret, interruptPromise]);
    } catch (e) {
      return { ok: false, error: runtimeError(e, src, converted.output, filename) };
    }
    prevDecl = converted.declOutput || '';
    typeInfo.ran(code, prevDecl);
    const name = converted.lastExpressionVar;
    if (name && Object.prototype.hasOwnProperty.call(store, name)) {
      const value = store[name];
      delete store[name];
      return { ok: true, hasValue: value !== undefined, value };
    }
    return { ok: true, hasValue: false };
  }

  function complete(src, pos) {
    const { code, map } = compiler.rewrite(src);
    const typed = typeInfo.current(prevDecl);
    const info = typed.conv.complete(typed.decl, code, map(pos));
    // Offsets come back in the rewritten text; only edits before the cursor move them.
    const shift = map(pos) - pos;
    return { start: info.start - shift, end: info.end - shift, candidates: info.candidates };
  }

  function inspect(src, pos) {
    const { code, map } = compiler.rewrite(src);
    const typed = typeInfo.current(prevDecl);
    return typed.conv.inspect(typed.decl, code, map(pos));
  }

  return { execute, complete, inspect, locals: store };
}

/**
 * tslab's public module (`tslab.display.*`, `tslab.newDisplay()`) with its display writer pointed
 * at the kernel hook: stock tslab sets that writer only when its own kernel runs, so without this
 * every tslab.display call throws "Not ready".
 */
function tslabModule() {
  const jupyter = require('tslab/dist/jupyter');
  if (!jupyter.lastWriteDisplayData) {
    jupyter.lastWriteDisplayData = (content, update) => {
      const hook = globalThis[Symbol.for('tscnn.kernel')];
      const id = content.transient && content.transient.display_id;
      const shown = hook && hook.display(content.data, { id, update: !!(update && id), metadata: content.metadata });
      if (!shown) throw new Error('tslab.display: no cell or comm message is running to show the output in');
    };
  }
  return require('tslab');
}

function srcLine(src, line) {
  return src.split('\n')[line] ?? '';
}

/** Diagnostics → error with `ename` TSError and one traceback entry per diagnostic. */
function compileError(src, diags, count) {
  const tb = [];
  for (const d of diags) {
    const where = d.fileName ? `${d.fileName}:${d.start.line + 1}:${d.start.character + 1}` : `cell[${count}] line ${d.start.line + 1}:${d.start.character + 1}`;
    tb.push(`${where} - error TS${d.code}: ${d.messageText}`);
    if (!d.fileName) {
      const text = srcLine(src, d.start.line);
      const width = Math.max(1, (d.end.line === d.start.line ? d.end.character : text.length) - d.start.character);
      tb.push(`  ${d.start.line + 1} | ${text}`, `  ${' '.repeat(String(d.start.line + 1).length)} | ${' '.repeat(d.start.character)}${'^'.repeat(width)}`);
    }
  }
  const first = diags[0];
  const evalue = `${first.fileName ? path.basename(first.fileName) + ' ' : ''}line ${first.start.line + 1}: ${first.messageText}`;
  return { ename: 'TSError', evalue, traceback: tb };
}

const norm = (s) => s.replace(/\bexports\./g, '').replace(/[\s;]/g, '');

/**
 * The compiled cell is not line-for-line the source (types and blank lines vanish), so the failing
 * cell line is found by matching the compiled line's text against the source lines.
 */
function sourceLineFor(src, compiled, line) {
  const target = norm(compiled.split('\n')[line - 1] || '');
  if (!target) return -1;
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = norm(lines[i].replace(/:\s*[\w<>[\], .|]+(?=\s*[=,)])/g, '')); // drop simple type annotations
    if (n && (n === target || n.includes(target) || (n.length > 6 && target.includes(n)))) return i;
  }
  return -1;
}

function runtimeError(e, src, compiled, filename) {
  if (e instanceof KeyboardInterrupt || (e && e.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED')) {
    return { ename: 'KeyboardInterrupt', evalue: INTERRUPT_MESSAGE, traceback: [`KeyboardInterrupt: ${INTERRUPT_MESSAGE}`] };
  }
  if (!(e instanceof Error)) {
    const evalue = util.inspect(e);
    return { ename: 'Error', evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = e.name || 'Error';
  const evalue = String(e.message);
  const tb = [`${ename}: ${evalue}`];
  const stack = String(e.stack || '').split('\n').slice(1).filter((l) => /^\s+at /.test(l));
  let marked = false;
  for (const l of stack) {
    if (/\(?node:vm:|runInThisContext/.test(l)) break; // the kernel's own frames follow
    if (/node:internal|kernels\/lib\/executor\.js/.test(l)) continue;
    const m = l.match(new RegExp(`${filename.replace(/[[\]]/g, '\\$&')}:(\\d+):(\\d+)`));
    if (m) {
      const i = sourceLineFor(src, compiled, Number(m[1]));
      if (i >= 0) {
        if (!marked) tb.push(`--> ${filename} line ${i + 1}: ${srcLine(src, i).trim()}`);
        else tb.push(`    at ${filename} line ${i + 1}`);
        marked = true;
      }
      continue; // a cell frame without a matching source line (the cell's wrapper call)
    }
    tb.push(l);
  }
  if (!marked) tb.push(`    in ${filename}`);
  return { ename, evalue, traceback: tb };
}

module.exports = { createExecutor, KeyboardInterrupt, INTERRUPT_MESSAGE };
