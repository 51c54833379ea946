// Mocha's configuration. The whole suite is test/**/*.test.ts; when test files or globs are named on
// the command line (`npm run test:only -- test/ops/conv2d.test.ts`), only those run (a `spec` in the
// configuration would otherwise be added to them, running everything).
'use strict';
const named = process.argv.slice(2).some((a) => !a.startsWith('-') && /(\.test\.ts$|\*)/.test(a));
module.exports = {
  require: ['tsx/cjs'],
  extension: ['ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  timeout: 60000,
};
