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
  // html-manager's loader reads webpack's public path global: none here.
  banner: { js: "var __webpack_public_path__ = '';" },
  logLevel: 'warning',
});
// One self-contained page: the Notebook server answers /files/ subresource requests of a page
// with a redirect, so the bundle and its CSS are inlined (a '</script' inside is escaped).
const js = fs.readFileSync(path.join(out, 'bundle.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
const css = fs.readFileSync(path.join(out, 'bundle.css'), 'utf8').replace(/<\/style/gi, '<\\/style');
const html = fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8')
  .replace('<link rel="stylesheet" href="bundle.css">', () => `<style>${css}</style>`)
  .replace('<script src="bundle.js"></script>', () => `<script>${js}</script>`);
fs.writeFileSync(path.join(out, 'index.html.tmp'), html);
fs.renameSync(path.join(out, 'index.html.tmp'), path.join(out, 'index.html'));
