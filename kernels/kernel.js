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
process.on('SIGINT', () => kernel.interrupt());
process.on('uncaughtException', (e) => console.error('Uncaught exception:', e));
process.on('unhandledRejection', (e) => console.error('Unhandled promise rejection:', e));
kernel.start().catch((e) => {
  process.stderr.write(`tscnn kernel failed to start: ${e && e.stack}\n`);
  process.exit(1);
});
