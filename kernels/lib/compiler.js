'use strict';
/**
 * tslab's converter (`tslab/dist/converter`), set up for this project:
 * - rootDir = the deepest folder holding both the notebook's folder and this checkout, so that
 *   `../src/...` from notebooks/ and `'tscnn'` (→ <checkout>/src/index.ts) are under rootDir;
 * - the project's tsconfig.json checking options (strict, …) and its `paths`, made absolute;
 * - cell sources get their relative import specifiers rewritten from the notebook's folder to
 *   rootDir (where tslab places the cell file), keeping offsets for completion/inspection.
 *
 * tslab creates its compiler host with a literal options object, so the options are merged in by
 * wrapping `ts.createWatchCompilerHost` on tslab's TypeScript module while the converter is built.
 */
const fs = require('fs');
const path = require('path');
const { requireWithCodeCache } = require('./code-cache');

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Options taken from the project's tsconfig; emit/layout options stay tslab's. */
const TAKEN = [
  'strict', 'noImplicitAny', 'strictNullChecks', 'strictFunctionTypes', 'strictBindCallApply',
  'strictPropertyInitialization', 'noImplicitThis', 'useUnknownInCatchVariables', 'alwaysStrict',
  'noImplicitOverride', 'noFallthroughCasesInSwitch', 'noImplicitReturns', 'esModuleInterop',
  'resolveJsonModule', 'experimentalDecorators', 'types', 'useDefineForClassFields',
];

/** Project lib/types entries cells do not get (see hostOptionsHook in createCompiler). */
const CELL_LIBS_DROPPED = ['lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.webworker.d.ts'];
const CELL_TYPES_DROPPED = ['mocha'];

/** tsconfig's parsed lib entries are already file names (lib.es2022.d.ts); keep them so. */
function libFile(l) {
  return l.startsWith('lib.') ? l : `lib.${l.toLowerCase()}.d.ts`;
}

function commonAncestor(a, b) {
  const pa = path.resolve(a).split(path.sep);
  const pb = path.resolve(b).split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(path.sep) || path.sep;
}

/** Project tsconfig options relevant to cells, read with tslab's TypeScript. */
function projectOptions(ts, projectRoot) {
  const file = path.join(projectRoot, 'tsconfig.json');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return { options: {}, paths: {} };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, projectRoot, undefined, file);
  const options = {};
  for (const k of TAKEN) if (parsed.options[k] !== undefined) options[k] = parsed.options[k];
  const baseUrl = parsed.options.baseUrl || projectRoot;
  const paths = {};
  for (const [k, targets] of Object.entries(parsed.options.paths || {})) {
    paths[k] = targets.map((t) => path.resolve(baseUrl, t));
  }
  return { options, paths, lib: parsed.options.lib };
}

let hostOptionsHook = null;

/**
 * tslab type-checks and emits every local .ts file a cell imports (the whole library: tens of
 * seconds on a busy 2-core machine). Here only the cell and tslab's in-memory modules go through
 * tslab; files on disk are loaded at run time by tsx (see executor.js), and the cell is still
 * type-checked against their types.
 */
/**
 * tslab fakes TypeScript's timers with a single slot and throws "Unexpected pending rebuildTimer"
 * when a second timer is set while the slot is taken. The slot is emptied only after a callback
 * returns normally, so it stays taken (1) when TypeScript schedules another rebuild while one runs
 * and (2) forever after a rebuild callback threw — then every later cell of the kernel failed
 * (seen under load in the class hub's load test). Here a new timer first runs the pending one
 * synchronously, and a slot still held by a running or failed callback is freed before the next
 * timer is set.
 */
function serializeTimers(system) {
  const set = system.setTimeout;
  const clear = system.clearTimeout;
  let pending = null; // set, not yet run
  let held = null; // the timer tslab's slot may still hold
  system.setTimeout = function (cb, ms, ...args) {
    if (pending) {
      const p = pending;
      pending = null;
      p.callback();
    }
    if (held) {
      const h = held;
      held = null;
      try { clear.call(this, h); } catch { /* tslab already emptied its slot: the callback returned */ }
    }
    const holder = {};
    holder.timer = set.call(this, () => {
      if (pending === holder.timer) pending = null;
      cb(...args);
    }, ms);
    pending = holder.timer;
    held = holder.timer;
    return holder.timer;
  };
  system.clearTimeout = function (t) {
    if (pending === t) pending = null;
    if (held === t) held = null;
    return clear.call(this, t);
  };
}

function cellOnlyDependencies(builder) {
  const all = builder.getAllDependencies.bind(builder);
  builder.getAllDependencies = (sf) => all(sf).filter((dep) => dep === sf.fileName || !fs.existsSync(dep));
  return builder;
}
let converterModule = null;
let saveTsCache = () => {};

/**
 * Transpile-only programs: no lib, no @types, no import followed. The checker still runs (tslab's
 * transforms need its symbols to carry names between cells), over the cell alone: ~0.1 s and a few
 * MiB instead of ~2.5 s and ~150 MiB for lib + @types/node + the library (docs/measured.md,
 * "Kernel memory").
 */
const LIGHT_OPTIONS = Object.freeze({ noLib: true, noResolve: true, types: [], lib: [] });
function isLight(options) {
  return options.noLib === true && options.noResolve === true;
}

/**
 * Whether cells are type-checked: TSCNN_KERNEL_TYPECHECK=1 checks every cell against lib,
 * @types/node and the library's types (tslab's behaviour); unset or 0 transpiles only, as
 * `deno run` and tsx do. Anything else is refused by name.
 */
function typecheckFromEnv(env = process.env) {
  const v = env.TSCNN_KERNEL_TYPECHECK;
  if (v === undefined || v === '' || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`tscnn kernel: TSCNN_KERNEL_TYPECHECK must be 1 (type-check every cell) or 0/unset (transpile only), got '${v}'`);
}

/**
 * tslab's converter module, loaded so that its TypeScript binding is a copy of tslab's TypeScript
 * whose createWatchCompilerHost can be wrapped (TypeScript's own exports are non-configurable
 * getters). Everything else delegates to the real module.
 */
function loadConverter() {
  if (converterModule) return converterModule;
  const convPath = require.resolve('tslab/dist/converter');
  const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [path.dirname(convPath)] });
  const loaded = requireWithCodeCache(tsPath);
  saveTsCache = loaded.save;
  const ts = loaded.exports;
  const wrapper = {};
  const WRAPPED = ['createWatchCompilerHost', 'getPreEmitDiagnosticsOfFiles'];
  for (const k of Object.keys(ts)) {
    if (!WRAPPED.includes(k)) Object.defineProperty(wrapper, k, { enumerable: true, get: () => ts[k] });
  }
  Object.defineProperty(wrapper, 'createWatchCompilerHost', {
    enumerable: true,
    value(rootFiles, options, system, ...rest) {
      if (system && system.setTimeout) serializeTimers(system);
      const host = ts.createWatchCompilerHost(rootFiles, hostOptionsHook ? hostOptionsHook(options) : options, system, ...rest);
      // tslab assigns afterProgramCreate to grab each new builder program: hand it a patched one.
      let cb = host.afterProgramCreate;
      Object.defineProperty(host, 'afterProgramCreate', {
        configurable: true,
        get: () => cb,
        set: (fn) => { cb = (b) => fn(cellOnlyDependencies(b)); },
      });
      return host;
    },
  });
  // A transpile-only program (see LIGHT_OPTIONS) has no lib and resolves no import, so its type
  // errors are noise: keep what the parser and the checker's grammar checks report (TS1xxx codes,
  // including tslab's top-level-await marker 1308), which hold whatever the types are.
  Object.defineProperty(wrapper, 'getPreEmitDiagnosticsOfFiles', {
    enumerable: true,
    value(program, files, ...rest) {
      if (!isLight(program.getCompilerOptions())) return ts.getPreEmitDiagnosticsOfFiles(program, files, ...rest);
      return files.flatMap((f) => [
        ...program.getSyntacticDiagnostics(f),
        ...program.getSemanticDiagnostics(f).filter((d) => d.code < 2000),
      ]);
    },
  });
  const cached = require.cache[tsPath];
  cached.exports = wrapper;
  try {
    converterModule = require(convPath);
  } finally {
    cached.exports = ts;
  }
  return converterModule;
}

/**
 * Build the converter. `notebookDir` is the kernel's working directory (Jupyter starts kernels in
 * the notebook's folder). Returns { conv, ts, rootDir, paths, rewrite(src), typecheck }.
 * `typecheck` false builds a transpile-only converter (LIGHT_OPTIONS).
 */
function createCompiler(notebookDir, projectRoot = PROJECT_ROOT, { typecheck = typecheckFromEnv() } = {}) {
  const { createConverter } = loadConverter();
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [path.dirname(require.resolve('tslab/dist/converter'))] }));
  const rootDir = commonAncestor(notebookDir, projectRoot);
  const proj = projectOptions(ts, projectRoot);
  const paths = { ...proj.paths };
  // A rootDir above the checkout (a notebook outside it) no longer finds the checkout's
  // node_modules by walking up: fall back to it explicitly.
  if (rootDir !== projectRoot) paths['*'] = ['*', path.join(projectRoot, 'node_modules', '*'), path.join(projectRoot, 'node_modules', '@types', '*')];

  const prevCwd = process.cwd();
  hostOptionsHook = (options) => {
    const merged = { ...options, ...proj.options, baseUrl: rootDir, paths };
    if (proj.lib) merged.lib = [...new Set([...(options.lib || []), ...proj.lib.map(libFile)])];
    // Cells run in Node: no DOM lib (lib.dom.d.ts alone is ~25 MB of the kernel's heap) and no
    // test-runner globals. Library types that mention DOM names are not checked (skipLibCheck).
    merged.lib = (merged.lib || []).filter((l) => !CELL_LIBS_DROPPED.includes(l));
    merged.types = [...(merged.types || []).filter((t) => !CELL_TYPES_DROPPED.includes(t)), 'tscnn-kernel-globals'];
    merged.typeRoots = [path.join(projectRoot, 'node_modules', '@types'), path.join(__dirname, '..', 'types')];
    return typecheck ? merged : { ...merged, ...LIGHT_OPTIONS };
  };
  let conv;
  try {
    process.chdir(rootDir); // tslab takes rootDir (and the cell file's folder) from the cwd
    conv = createConverter({ isJS: false, isBrowser: false });
  } finally {
    process.chdir(prevCwd);
    hostOptionsHook = null;
  }
  saveTsCache(); // once its first program is built (code-cache.js)
  saveTsCache = () => {};

  /**
   * Rewrite relative module specifiers of `src` (written in notebookDir) to rootDir, and expand
   * shorthand properties (see below). Returns { code, map(pos) } where map turns an offset in `src` into one in `code`.
   */
  function rewrite(src) {
    const moved = path.resolve(notebookDir) !== rootDir;
    const sf = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const edits = [];
    const fix = (lit) => {
      if (!lit || !ts.isStringLiteralLike(lit) || !/^\.\.?(\/|$)/.test(lit.text)) return;
      let rel = path.relative(rootDir, path.resolve(notebookDir, lit.text)).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = './' + rel;
      edits.push({ start: lit.getStart(sf) + 1, end: lit.getEnd() - 1, text: rel });
    };
    const visit = (node) => {
      // tslab rewrites a reference to an earlier cell's variable `v` as `exports.v`, but misses
      // shorthand properties: `{ rng }` threw "rng is not defined" (stock tslab 1.0.22 too).
      // `{ rng }` → `{ rng: rng }` means the same everywhere, so expand them all.
      if (ts.isShorthandPropertyAssignment(node) && !node.objectAssignmentInitializer) {
        edits.push({ start: node.name.getEnd(), end: node.name.getEnd(), text: `: ${node.name.text}` });
      }
      if (!moved) {
        ts.forEachChild(node, visit);
        return;
      }
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) fix(node.moduleSpecifier);
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) fix(node.moduleReference.expression);
      else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) && node.arguments.length === 1) fix(node.arguments[0]);
      else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) fix(node.argument.literal);
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (!edits.length) return { code: src, map: (p) => p };
    edits.sort((a, b) => a.start - b.start);
    let code = '';
    let at = 0;
    for (const e of edits) { code += src.slice(at, e.start) + e.text; at = e.end; }
    code += src.slice(at);
    const map = (p) => {
      let delta = 0;
      for (const e of edits) if (e.end <= p) delta += e.text.length - (e.end - e.start);
      return p + delta;
    };
    return { code, map };
  }

  return { conv, ts, rootDir, projectRoot, paths, rewrite, typecheck, notebookDir };
}

module.exports = { createCompiler, loadConverter, commonAncestor, serializeTimers, typecheckFromEnv, PROJECT_ROOT };
