// Bundle the ipywidgets 8 front end (main.ts) into OUT_DIR/bundle.js + bundle.css with esbuild.
// Usage: node test/widgets/web3/build.js OUT_DIR
'use strict';
const path = require('path');
const fs = require('fs');
const out = process.argv[2];
if (!out) throw new Error('usage: node test/widgets/web3/build.js OUT_DIR');
fs.mkdirSync(out, { recursive: true });
require('esbuild').buildSync({
  entryPoints: [path.join(__dirname, 'main.ts')],
  bundle: true,
  outfile: path.join(out, 'bundle.js'),
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  logLevel: 'warning',
});
fs.copyFileSync(path.join(__dirname, 'index.html'), path.join(out, 'index.html'));
