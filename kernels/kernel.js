#!/usr/bin/env node
/**
 * Entry point of the Jupyter kernel "TypeScript (tscnn)": `node kernels/kernel.js CONNECTION_FILE`
 * (written into kernel.json by kernels/install.js). Plain CommonJS so start-up needs no compiler.
 */
'use strict';
const { Kernel } = require('./lib/server');

const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!file) {
  process.stderr.write('usage: node kernels/kernel.js CONNECTION_FILE\n');
  process.exit(2);
}
const kernel = new Kernel(file);
process.on('SIGINT', () => {
  kernel.interrupt();
  restartEsbuild();
});

/**
 * Jupyter interrupts by signalling the kernel's whole process group, so SIGINT also kills the
 * esbuild service process that tsx uses to load the library's .ts files; every later import
 * would fail with "The service is no longer running". Stopping esbuild's (dead) service makes
 * its next transform start a fresh one. Only if tsx has loaded esbuild at all.
 */
function restartEsbuild() {
  try {
    const path = require('path');
    const id = require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] });
    const esbuild = require.cache[id] && require.cache[id].exports;
    if (esbuild && typeof esbuild.stop === 'function') Promise.resolve(esbuild.stop()).catch(() => {});
  } catch {
    /* no esbuild loaded: nothing to restart */
  }
}
// The kernel lives on; the error is shown with the cell it came from (lib/io.js).
process.on('uncaughtException', (e) => kernel.reportUncaught('Uncaught exception', e));
process.on('unhandledRejection', (e) => kernel.reportUncaught('Unhandled promise rejection', e));
// A kernel whose Jupyter server is gone has nobody to serve: end it (lib/parent.js).
require('./lib/parent').watchParent((reason) => {
  process.stderr.write(`tscnn kernel: ${reason}; the kernel ends.\n`);
  process.exit(0);
});
kernel.start().catch((e) => {
  process.stderr.write(`tscnn kernel failed to start: ${e && e.stack}\n`);
  process.exit(1);
});
