/**
 * `npm run docs` (TypeDoc over src/index.ts, typedoc.json) writes an offline HTML reference:
 * run with every proxy pointed at a closed port, it must still produce pages for key names whose
 * text is their doc comment, and no page may load anything from the network.
 */
import { execFileSync } from 'child_process';
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './graph';

describe('api/docs (TypeDoc reference)', function () {
  this.timeout(300000);
  let out = '';

  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-docs-'));
    const dead = 'http://127.0.0.1:9';
    execFileSync(path.join(ROOT, 'node_modules/.bin/typedoc'), ['--options', 'typedoc.json', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, HTTP_PROXY: dead, HTTPS_PROXY: dead, http_proxy: dead, https_proxy: dead, NO_PROXY: '' },
      stdio: 'pipe',
    });
  });

  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it('has pages for conv2d, Conv2d and fit carrying their doc comments', () => {
    const page = (p: string) => fs.readFileSync(path.join(out, p), 'utf8');
    expect(page('index.html')).to.contain('tscnn');
    expect(page('functions/conv2d.html')).to.contain('conv2d');
    expect(page('classes/Conv2d.html')).to.contain('2-D convolution layer');
    expect(page('functions/fit.html')).to.contain('fit');
    expect(page('functions/summary.html')).to.contain('Keras/torchinfo-style');
    // Engine internals are not in the public reference.
    expect(fs.existsSync(path.join(out, 'functions/conv2dFast.html'))).to.equal(false);
  });

  it('loads nothing from the network (scripts, styles and images are local)', () => {
    const remote: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.html')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)="(https?:)?\/\/[^"]*"/g)) remote.push(`${path.relative(out, p)}: ${m[0]}`);
        }
      }
    };
    walk(out);
    expect(remote).to.deep.equal([]);
  });
});
