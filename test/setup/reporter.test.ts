import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';

/** The test runner's contract: spec output, then exactly one last line `tests: …`. */
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const MOCHA = path.join(ROOT, 'node_modules/.bin/mocha');
const REPORTER = path.join(ROOT, 'scripts/mocha-reporter.js');
const SUMMARY = /^tests: \d+ passed, \d+ failed(, \d+ skipped)?$/;

/** Run a command in ROOT; stdout+stderr as lines (no trailing empty line), and the status. */
function run(cmd: string, args: string[]): { lines: string[]; status: number | null; out: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.TSCNN_SUMMARY_FILE;
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 30000 });
  const out = r.stdout + r.stderr;
  return { lines: r.stdout.replace(/\n$/, '').split('\n'), status: r.status, out };
}

/** Mocha on one fixture without .mocharc.json (whose spec would add the whole suite). */
function mochaOn(fixture: string) {
  return run(MOCHA, ['--no-config', '--no-color', '--reporter', REPORTER, path.join(FIXTURES, fixture)]);
}

describe('scripts/mocha-reporter.js', function () {
  this.timeout(30000); // spawns bash/node/mocha; slow on a busy 2-core machine
  it('ends with "tests: 2 passed, 1 failed, 2 skipped" for 2 pass / 1 fail / 2 pending, exit 1', () => {
    const r = mochaOn('mixed.fixture.js');
    expect(r.lines[r.lines.length - 1]).to.equal('tests: 2 passed, 1 failed, 2 skipped');
    expect(r.lines.filter((l) => SUMMARY.test(l))).to.have.length(1);
    expect(r.status).to.equal(1);
    // The usual spec output is still there: suite title, ticks, the failure with its diff.
    expect(r.out).to.match(/^ {2}mixed$/m);
    expect(r.out).to.match(/✔ adds/);
    expect(r.out).to.match(/1\) fails on purpose/);
    expect(r.out).to.match(/2 passing/);
    expect(r.out).to.match(/1 failing/);
  });

  it('prints no ", N skipped" when nothing was skipped, exit 0', () => {
    const r = mochaOn('passing.fixture.js');
    expect(r.lines[r.lines.length - 1]).to.equal('tests: 2 passed, 0 failed');
    expect(r.status).to.equal(0);
  });

  it('counts a failing before() hook as one failure; its tests neither pass nor fail', () => {
    const r = mochaOn('hook.fixture.js');
    expect(r.lines[r.lines.length - 1]).to.equal('tests: 1 passed, 1 failed');
    expect(r.status).to.equal(1);
  });

  it('exports the summary format', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const Reporter = require(REPORTER) as { summaryLine(s: object): string };
    expect(Reporter.summaryLine({ passes: 10, failures: 0, pending: 0 })).to.equal('tests: 10 passed, 0 failed');
    expect(Reporter.summaryLine({ passes: 3, failures: 4, pending: 5 })).to.equal('tests: 3 passed, 4 failed, 5 skipped');
  });
});

describe('scripts/test.sh', function () {
  this.timeout(30000); // spawns bash/node/mocha; slow on a busy 2-core machine
  it('prints "tests: 0 passed, 1 failed" and exits non-zero when mocha dies before the run', () => {
    const r = run('bash', ['scripts/test.sh', '--no-config', path.join(FIXTURES, 'broken.fixture.js')]);
    expect(r.lines[r.lines.length - 1]).to.equal('tests: 0 passed, 1 failed');
    expect(r.status).to.not.equal(0);
    expect(r.out).to.match(/no-such-module-on-purpose/);
  });

  it('passes mocha\'s exit status through and leaves the summary last', () => {
    const r = run('bash', ['scripts/test.sh', '--no-config', path.join(FIXTURES, 'mixed.fixture.js')]);
    expect(r.lines[r.lines.length - 1]).to.equal('tests: 2 passed, 1 failed, 2 skipped');
    expect(r.status).to.equal(1);
  });
});
