#!/usr/bin/env node
/**
 * Installs the Jupyter kernel spec "TypeScript (tscnn)" (directory name `tscnn`).
 *
 *   node kernels/install.js [--prefix DIR | --user | --sys-prefix] [--python PY]
 *
 * --prefix DIR   → DIR/share/jupyter/kernels/tscnn   (then JUPYTER_PATH=DIR/share/jupyter)
 * --user         → ~/.local/share/jupyter/kernels/tscnn (default when none is given)
 * --sys-prefix   → <sys.prefix of PY>/share/jupyter/kernels/tscnn (system-wide, e.g. JupyterHub;
 *                  PY defaults to /usr/bin/python3, falling back to python3)
 *
 * kernel.json starts this checkout's kernels/kernel.js (through kernels/launch.sh, which applies
 * TSCNN_KERNEL_MAX_OLD_SPACE_MB) with the absolute path of the node running this installer
 * (process.execPath), so the kernel works without node on PATH. Idempotent: the
 * spec directory is written to a temporary sibling and renamed into place.
 */
'use strict';
const { MALLOC_ENV } = require('../src/util/malloc-env.cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

function usage(msg) {
  if (msg) console.error(`install.js: ${msg}`);
  console.error('usage: node kernels/install.js [--prefix DIR | --user | --sys-prefix] [--python PY]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { where: 'user', prefix: '', python: '' };
  let chosen = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--prefix' || a.startsWith('--prefix=')) { opts.where = 'prefix'; opts.prefix = path.resolve(val()); chosen++; }
    else if (a === '--user') { opts.where = 'user'; chosen++; }
    else if (a === '--sys-prefix') { opts.where = 'sys-prefix'; chosen++; }
    else if (a === '--python' || a.startsWith('--python=')) opts.python = val();
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (chosen > 1) usage('give at most one of --prefix, --user, --sys-prefix');
  return opts;
}

function dataDir(opts) {
  if (opts.where === 'prefix') return path.join(opts.prefix, 'share', 'jupyter');
  if (opts.where === 'user') {
    if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
    return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
  }
  const candidates = opts.python ? [opts.python] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    try {
      const prefix = execFileSync(py, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
      return path.join(prefix, 'share', 'jupyter');
    } catch { /* try the next */ }
  }
  usage(`cannot run ${candidates.join(' or ')} to find sys.prefix`);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const kernelsDir = path.join(dataDir(opts), 'kernels');
  const dest = path.join(kernelsDir, 'tscnn');
  const specSrc = path.join(__dirname, 'spec');
  const spec = {
    // launch.sh turns TSCNN_KERNEL_MAX_OLD_SPACE_MB into node's --max-old-space-size, then execs node.
    argv: ['/bin/sh', path.join(__dirname, 'launch.sh'), process.execPath, '{connection_file}'],
    display_name: 'TypeScript (tscnn)',
    language: 'typescript',
    interrupt_mode: 'signal',
    // glibc malloc keeps freed memory for reuse (src/util/malloc-env.cjs: fewer page faults)
    env: { ...MALLOC_ENV },
    metadata: { tscnn_root: path.dirname(__dirname) },
  };
  fs.mkdirSync(kernelsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(kernelsDir, '.tscnn-'));
  fs.writeFileSync(path.join(tmp, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  for (const f of ['logo-32x32.png', 'logo-64x64.png']) fs.copyFileSync(path.join(specSrc, f), path.join(tmp, f));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
  console.log(`installed kernel spec "TypeScript (tscnn)" in ${dest}`);
  if (opts.where === 'prefix') console.log(`use it with: export JUPYTER_PATH=${path.join(opts.prefix, 'share', 'jupyter')}`);
}

main();
