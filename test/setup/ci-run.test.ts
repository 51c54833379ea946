import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * .ci/run's contract with CI: set-up, then `npm test`; the output's last line is the summary
 * `tests: N passed, N failed[, N skipped]`, or `tests: 0 passed, 1 failed` when the tests never
 * reported. Runs a copy of .ci/run in a scratch project whose scripts/setup.sh and `npm` are stubs.
 */
const ROOT = path.resolve(__dirname, '../..');

function ciRun(setupExit: number, npmTestBody: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-ci-'));
  try {
    fs.mkdirSync(path.join(dir, '.ci'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(path.join(ROOT, '.ci/run'), path.join(dir, '.ci/run'));
    fs.writeFileSync(path.join(dir, 'scripts/setup.sh'), `echo "[setup] stub"\nexit ${setupExit}\n`);
    fs.writeFileSync(path.join(dir, 'bin/npm'), [
      '#!/bin/sh',
      'if [ "$1" = --version ]; then echo 11.0.0; exit 0; fi',
      'if [ "$1" = test ]; then', npmTestBody, 'fi',
      'echo "unexpected npm $*"; exit 99', ''].join('\n'), { mode: 0o755 });
    const r = spawnSync('bash', ['.ci/run'], {
      cwd: dir, encoding: 'utf8', timeout: 20000, input: '',
      env: { ...process.env, CI: 'true', PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
    });
    const out = r.stdout + r.stderr;
    return { status: r.status, out, last: r.stdout.replace(/\n$/, '').split('\n').pop() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('.ci/run', function () {
  this.timeout(30000); // spawns bash; slow on a busy 2-core machine

  it('passes npm test\'s status through and ends with its summary line', () => {
    const r = ciRun(0, '  echo "  1 passing"; echo "tests: 4 passed, 1 failed, 2 skipped"; exit 1');
    expect(r.last).to.equal('tests: 4 passed, 1 failed, 2 skipped');
    expect(r.status).to.equal(1);
    expect(r.out).to.include('[setup] stub');
    expect(r.out).to.include('running: npm test');
  });

  it('repeats the summary last when something printed after it', () => {
    const r = ciRun(0, '  echo "tests: 7 passed, 0 failed"; echo "npm error lifecycle noise"; exit 0');
    expect(r.last).to.equal('tests: 7 passed, 0 failed');
    expect(r.status).to.equal(0);
  });

  it('ends with "tests: 0 passed, 1 failed" and fails when the tests never reported', () => {
    const r = ciRun(0, '  echo "Error: Cannot find module"; exit 0');
    expect(r.last).to.equal('tests: 0 passed, 1 failed');
    expect(r.status).to.not.equal(0);
  });

  it('ends with "tests: 0 passed, 1 failed" and fails when set-up fails, without running npm test', () => {
    const r = ciRun(1, '  echo "tests: 9 passed, 0 failed"; exit 0');
    expect(r.last).to.equal('tests: 0 passed, 1 failed');
    expect(r.status).to.equal(1);
    expect(r.out).to.include('set-up failed');
    expect(r.out).not.to.include('tests: 9 passed');
  });
});
