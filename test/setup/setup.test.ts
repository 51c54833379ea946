import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * scripts/setup.sh on machines it cannot (or must not) install on. Each case runs a copy of
 * scripts/ in a scratch project (no node_modules, no kernels/), with stub commands first on
 * PATH: apt-get, sudo and npm only log that they were called, dpkg-query knows no package.
 * So nothing can be installed, and the log proves nothing was tried.
 */
const ROOT = path.resolve(__dirname, '../..');

function debPackages(): string[] {
  const r = spawnSync('bash', ['scripts/deps.sh'], { cwd: ROOT, encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('debian:'));
  if (!line) throw new Error(`scripts/deps.sh printed no "debian:" line: ${r.stdout}${r.stderr}`);
  return line.slice('debian:'.length).trim().split(/\s+/);
}

interface Scratch { dir: string; bin: string; calls: string }

function scratch(): Scratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-setup-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['setup.sh', 'deps.sh']) {
    fs.copyFileSync(path.join(ROOT, 'scripts', f), path.join(dir, 'scripts', f));
  }
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {}}\n');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(dir, 'calls.log');
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  for (const name of ['apt-get', 'sudo', 'npm']) stub(name, `echo "${name} $*" >> '${calls}'\nexit 1`);
  stub('dpkg-query', 'for p in "$@"; do case "$p" in -*) ;; *) echo "dpkg-query: no packages found matching $p" >&2 ;; esac; done\nexit 1');
  stub('python-without-jupyter', 'exit 1');
  stub('python-with-jupyter', 'exit 0');
  stub('pkg-config-found', 'exit 0');
  stub('pkg-config-missing', 'exit 1');
  return { dir, bin, calls };
}

function setup(s: Scratch, args: string[], env: Record<string, string>) {
  const r = spawnSync('bash', [path.join(s.dir, 'scripts/setup.sh'), ...args], {
    cwd: s.dir,
    encoding: 'utf8',
    timeout: 30000,
    input: '',
    env: { ...process.env, PATH: `${s.bin}:${process.env.PATH}`, TSCNN_PYTHON: '', TSCNN_CHROMIUM: '', ...env },
  });
  const calls = fs.existsSync(s.calls) ? fs.readFileSync(s.calls, 'utf8') : '';
  return { status: r.status, out: r.stdout + r.stderr, calls };
}

describe('scripts/setup.sh with stub apt-get/dpkg-query/npm (nothing really installed)', function () {
  this.timeout(30000); // spawns bash/node/mocha; slow on a busy 2-core machine
  const made: string[] = [];
  const make = () => { const s = scratch(); made.push(s.dir); return s; };
  after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

  it('lists the Debian packages in one place (scripts/deps.sh)', () => {
    const pkgs = debPackages();
    for (const p of ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-jupyter-kernel-test',
      'jupyter-client', 'libcairo2-dev', 'libpango1.0-dev', 'libjpeg-dev', 'libgif-dev', 'librsvg2-dev',
      'chromium', 'dataset-fashion-mnist']) {
      expect(pkgs).to.include(p);
    }
  });

  it('non-root Debian: prints the sudo apt-get line, runs no apt-get/sudo/npm, exits 1 without Jupyter', () => {
    const s = make();
    const r = setup(s, [], {
      TSCNN_FAKE_NONROOT: '1',
      TSCNN_PYTHON: path.join(s.bin, 'python-without-jupyter'),
      TSCNN_PKG_CONFIG: path.join(s.bin, 'pkg-config-found'),
    });
    expect(r.calls).to.equal('');
    expect(r.status).to.equal(1);
    expect(r.out).to.include(
      `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${debPackages().join(' ')}`);
    expect(r.out).to.match(/\(essential\) Jupyter/);
    expect(r.out).to.match(/FAILED: essential dependencies are missing/);
    expect(r.out).not.to.match(/npm ci/); // it stops before the npm phase
  });

  it('--check: installs nothing even where it could, and exits 0 when only optional parts are missing', () => {
    const s = make();
    const r = setup(s, ['--check'], {
      TSCNN_PYTHON: path.join(s.bin, 'python-with-jupyter'),
      TSCNN_PKG_CONFIG: path.join(s.bin, 'pkg-config-found'),
      TSCNN_CHROMIUM: path.join(s.bin, 'no-such-chromium'),
    });
    expect(r.calls).to.equal('');
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.match(/(sudo )?apt-get update && (sudo )?apt-get install -y --no-install-recommends jupyter-notebook/);
    expect(r.out).to.match(/\(optional\) {2}Chromium/);
    expect(r.out).to.include("node_modules is missing or stale: 'npm ci' would run");
    expect(r.out).to.include('kernels/install.js is missing');
    expect(r.out).to.include('check only: nothing installed');
    expect(fs.existsSync(path.join(s.dir, 'node_modules'))).to.equal(false);
  });

  it('non-Debian: prints the pip and brew lines, tries no apt-get, exits 1', () => {
    const s = make();
    const r = setup(s, ['--check'], {
      TSCNN_FAKE_NODEBIAN: '1',
      TSCNN_PYTHON: path.join(s.bin, 'python-without-jupyter'),
      TSCNN_PKG_CONFIG: path.join(s.bin, 'pkg-config-missing'),
      TSCNN_CHROMIUM: path.join(s.bin, 'no-such-chromium'),
    });
    expect(r.calls).to.equal('');
    expect(r.status).to.equal(1);
    expect(r.out).to.include('python3 -m pip install notebook nbconvert nbclient jupyter_client jupyter_kernel_test');
    expect(r.out).to.include('brew install pkg-config cairo pango libpng jpeg giflib librsvg');
    expect(r.out).to.include('TSCNN_PYTHON');
    expect(r.out).to.match(/\(essential\) cairo\/pango/);
    expect(r.out).to.match(/\(optional\) {2}Chromium/);
  });

  it('root on Debian: apt-get update, then installs only the missing packages, non-interactively', function () {
    if (process.getuid?.() !== 0) this.skip(); // the install path is root-only by design
    const s = make();
    // dpkg-query: everything installed except chromium and dataset-fashion-mnist.
    fs.writeFileSync(path.join(s.bin, 'dpkg-query'), [
      '#!/bin/sh',
      'for p in "$@"; do case "$p" in -*) ;; chromium|dataset-fashion-mnist) ;; *) echo "$p install ok installed" ;; esac; done',
      'exit 1', ''].join('\n'), { mode: 0o755 });
    fs.writeFileSync(path.join(s.bin, 'apt-get'), `#!/bin/sh\necho "$DEBIAN_FRONTEND apt-get $*" >> '${s.calls}'\nexit 0\n`, { mode: 0o755 });
    // node_modules already installed from this package-lock.json: no npm ci.
    const lock = fs.readFileSync(path.join(s.dir, 'package-lock.json'));
    fs.mkdirSync(path.join(s.dir, 'node_modules'));
    fs.writeFileSync(path.join(s.dir, 'node_modules/.tscnn-lock-hash'), crypto.createHash('sha256').update(lock).digest('hex') + '\n');
    const r = setup(s, [], {
      TSCNN_PYTHON: path.join(s.bin, 'python-with-jupyter'),
      TSCNN_PKG_CONFIG: path.join(s.bin, 'pkg-config-found'),
    });
    expect(r.calls.trim().split('\n')).to.deep.equal([
      'noninteractive apt-get update',
      'noninteractive apt-get install -y --no-install-recommends chromium dataset-fashion-mnist',
    ]);
    expect(r.out).to.include('node_modules matches package-lock.json');
    // The stub installed nothing, so set-up says so, but the missing parts are optional.
    expect(r.out).to.match(/\(optional\) {2}Debian packages not installed: chromium dataset-fashion-mnist/);
    expect(r.status, r.out).to.equal(0);
  });

  it('rejects unknown options', () => {
    const s = make();
    const r = setup(s, ['--install-everything'], {});
    expect(r.status).to.equal(2);
    expect(r.out).to.include("setup: unknown option '--install-everything'");
    expect(r.calls).to.equal('');
  });
});

describe('environment.md', function () {
  this.timeout(30000); // spawns bash/node/mocha; slow on a busy 2-core machine
  let doc = '';
  before(() => { doc = fs.readFileSync(path.join(ROOT, 'environment.md'), 'utf8'); });

  it('names every Debian package that scripts/deps.sh installs', () => {
    for (const p of debPackages()) expect(doc, p).to.include(p);
  });

  it('names every npm dependency in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies })
      .filter((n) => !n.startsWith('@types/'));
    for (const n of names) expect(doc, n).to.include(n);
  });
});
