#!/usr/bin/env node
// The `tscnn` command: register tsx so Node can load the TypeScript sources, then run the CLI.
'use strict';
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
