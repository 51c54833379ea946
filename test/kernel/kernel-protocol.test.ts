/**
 * Runs jupyter_kernel_test's standard test class (plus our own protocol tests) against the
 * "TypeScript (tscnn)" kernel: kernels/test/test_tscnn_kernel.py under /usr/bin/python3, with the
 * kernel spec installed into a temporary JUPYTER_PATH. Each python test becomes one mocha test.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PY = '/usr/bin/python3';
const MODULE = 'kernels.test.test_tscnn_kernel';

/** Test names, listed without starting a kernel (unittest's loader). */
function listTests(): string[] {
  const r = spawnSync(PY, ['-c', [
    'import unittest',
    `def walk(s):\n    for t in s:\n        yield from (walk(t) if isinstance(t, unittest.TestSuite) else [t])`,
    `for t in walk(unittest.defaultTestLoader.loadTestsFromName('${MODULE}')): print(t.id().split('.')[-1])`,
  ].join('\n')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').filter((l) => l.startsWith('test_'));
}

interface Outcome { status: 'ok' | 'FAIL' | 'ERROR' | 'skipped'; detail: string }

/** Parses `python -m unittest -v` output: "test_x (mod.Class.test_x) ... ok|FAIL|ERROR|skipped '…'". */
export function parseUnittest(out: string): { outcomes: Map<string, Outcome>; ran: number; ok: boolean } {
  const outcomes = new Map<string, Outcome>();
  const line = /^(test_\w+) \([\w.]+\)(?:\n[^\n]*?)? \.\.\. (?:[\s\S]*?)(ok|FAIL|ERROR|skipped(?: '([^']*)')?)$/gm;
  for (const m of out.matchAll(line)) {
    const status = m[2].startsWith('skipped') ? 'skipped' : (m[2] as Outcome['status']);
    if (!outcomes.has(m[1]) || status !== 'ok') outcomes.set(m[1], { status, detail: m[3] ?? '' });
  }
  // Failure sections: "FAIL: test_x (…)" or "ERROR: test_x (…) (subtest)" followed by the traceback.
  const sections = out.split(/^={60,}$/m).slice(1);
  for (const sec of sections) {
    const h = sec.match(/^\n?(FAIL|ERROR): (test_\w+)/);
    if (!h) continue;
    const prev = outcomes.get(h[2]);
    outcomes.set(h[2], { status: h[1] as Outcome['status'], detail: ((prev && prev.status !== 'ok' && prev.status !== 'skipped' ? prev.detail + '\n' : '') + sec.trim()).trim() });
  }
  const ran = Number((out.match(/^Ran (\d+) tests? in/m) || [])[1] ?? NaN);
  return { outcomes, ran, ok: /^OK\b/m.test(out) };
}

describe('kernel: parseUnittest', () => {
  it('reads ok / skipped / FAIL / ERROR lines, failure sections and totals', () => {
    const out = [
      'test_a (m.C.test_a) ... ok',
      'test_b (m.C.test_b)\nA docstring. ... FAIL',
      "test_c (m.C.test_c) ... skipped 'no pager'",
      'test_d (m.C.test_d) ... ERROR',
      '',
      '='.repeat(70),
      'FAIL: test_b (m.C.test_b)',
      'AssertionError: 1 != 2',
      '',
      '-'.repeat(70),
      'Ran 4 tests in 1.000s',
      '',
      'FAILED (failures=1, errors=1, skipped=1)',
    ].join('\n');
    const r = parseUnittest(out);
    expect(r.ran).to.equal(4);
    expect(r.ok).to.equal(false);
    expect(r.outcomes.get('test_a')!.status).to.equal('ok');
    expect(r.outcomes.get('test_b')!.status).to.equal('FAIL');
    expect(r.outcomes.get('test_b')!.detail).to.include('1 != 2');
    expect(r.outcomes.get('test_c')).to.deep.equal({ status: 'skipped', detail: 'no pager' });
    expect(r.outcomes.get('test_d')!.status).to.equal('ERROR');
  });
});

describe('kernel: jupyter_kernel_test protocol suite (tscnn)', function () {
  this.timeout(900_000); // ~40 python tests, 3 kernels; minutes on a loaded 2-core machine
  const names = listTests();
  let output = '';
  let parsed: ReturnType<typeof parseUnittest> | null = null;
  let tmp = '';

  before(async function () {
    if (!names.length) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-kernel-test-'));
    const inst = spawnSync(process.execPath, [path.join(ROOT, 'kernels', 'install.js'), '--prefix', tmp], { encoding: 'utf8' });
    expect(inst.status, inst.stderr).to.equal(0);
    const env = { ...process.env, JUPYTER_PATH: path.join(tmp, 'share', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    output = await new Promise<string>((resolve) => {
      const p = spawn(PY, ['-Xfrozen_modules=off', '-m', 'unittest', '-v', MODULE], { cwd: ROOT, env });
      let buf = '';
      p.stdout.on('data', (d) => { buf += d; });
      p.stderr.on('data', (d) => { buf += d; });
      p.on('close', () => resolve(buf));
    });
    parsed = parseUnittest(output);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the installed spec starts the kernel with the malloc settings of src/util/malloc-env.cjs', function () {
    if (!tmp) this.skip();
    const spec = JSON.parse(fs.readFileSync(path.join(tmp, 'share', 'jupyter', 'kernels', 'tscnn', 'kernel.json'), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MALLOC_ENV } = require('../../src/util/malloc-env.cjs');
    expect(spec.env).to.deep.equal(MALLOC_ENV);
    expect(Number(spec.env.MALLOC_TRIM_THRESHOLD_)).to.equal(2 ** 30);
  });

  it('python3 with jupyter_kernel_test can list the suite', () => {
    expect(names, `${PY} -m unittest ${MODULE} could not be loaded`).to.include('test_kernel_info');
  });

  for (const name of names) {
    it(name, function () {
      expect(parsed, 'the python suite did not run').to.not.equal(null);
      const o = parsed!.outcomes.get(name);
      if (!o) expect.fail(`no result for ${name} in the python output:\n${output.slice(-4000)}`);
      if (o.status === 'skipped') this.skip();
      expect(o.status, o.detail).to.equal('ok');
    });
  }

  it('the python run completes with OK and the expected count', () => {
    expect(parsed!.ran, output.slice(-4000)).to.equal(names.length);
    expect(parsed!.ok, output.slice(-4000)).to.equal(true);
  });
});
