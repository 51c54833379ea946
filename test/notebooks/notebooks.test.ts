/**
 * Executes every notebooks/{en,zh}/*.ipynb (generated from notebooks/src/, see sources.test.ts) top to bottom through the "TypeScript (tscnn)" kernel with
 * nbclient (kernels/tools/execute_notebook.py) and asserts: no error outputs, no failure text on
 * stderr, every code cell got an execution count. One mocha test per notebook. Executed notebooks
 * are kept under test-artifacts/notebooks/{en,zh}/ (git-ignored) for inspection and nbconvert.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PY = '/usr/bin/python3';
const NOTEBOOKS = path.join(ROOT, 'notebooks');
const LANGS = ['en', 'zh'];
const OUT = path.join(ROOT, 'test-artifacts', 'notebooks');

interface Report {
  executed: string;
  errors: { cell: number; ename: string; evalue: string; traceback: string[] }[];
  stderr_failures: { cell: number; text: string }[];
  unexecuted: number[];
  mime_types: Record<string, string[]>;
}

/** Runs the python executor; resolves with its JSON report or rejects with its output. */
export function executeNotebook(file: string, jupyterPath: string, timeoutS = 600, extraEnv: Record<string, string> = {}): Promise<Report> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extraEnv };
    const p = spawn(PY, ['-Xfrozen_modules=off', path.join(ROOT, 'kernels', 'tools', 'execute_notebook.py'), file, path.join(OUT, path.basename(path.dirname(file))), '--timeout', String(timeoutS)], { cwd: ROOT, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() || '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as Report);
      } catch (e) {
        reject(new Error(`execute_notebook.py failed for ${file} (${(e as Error).message}):\n${out}\n${err.slice(-6000)}`));
      }
    });
  });
}

/**
 * The figures each notebook must show, as the number of cells whose output carries a MIME type
 * (images are image/png, tables/walkthroughs/graphs text/html, charts the plotly JSON beside them).
 * A lesson whose pictures silently stopped rendering fails here even if no cell raised. The same
 * for every language of a lesson.
 */
const FIGURES: Record<string, Record<string, number>> = {
  '00-welcome.ipynb': { 'image/png': 1, 'text/html': 3 },
  '01-convolution.ipynb': { 'image/png': 5, 'text/html': 7 },
  '02-padding-stride-channels.ipynb': { 'image/png': 5, 'text/html': 5 },
  '03-relu-pooling-normalization.ipynb': { 'image/png': 5, 'text/html': 9 },
  '04-chain-rule.ipynb': { 'image/png': 3, 'text/html': 4 },
  '05-backprop-convolution.ipynb': { 'image/png': 3, 'text/html': 5 },
  '06-x-vs-o.ipynb': { 'image/png': 10, 'text/html': 12, 'application/vnd.plotly.v1+json': 1 },
  '07-lenet5-mnist.ipynb': { 'image/png': 4, 'text/html': 7, 'application/vnd.plotly.v1+json': 1 },
  '08-architectures.ipynb': { 'image/png': 2, 'text/html': 6 },
  '09-performance.ipynb': { 'image/png': 2, 'text/html': 2, 'application/vnd.plotly.v1+json': 2 },
  '10-keras-tfjs.ipynb': { 'image/png': 2, 'text/html': 2 },
  '11-alexnet-and-function-layers.ipynb': { 'image/png': 1, 'text/html': 2 },
};

describe('notebooks: every notebooks/{en,zh}/*.ipynb runs through the tscnn kernel', function () {
  this.timeout(900_000);
  // 'en/06-x-vs-o.ipynb', …: run one with --grep en/06
  const files = LANGS.flatMap((lang) => {
    const dir = path.join(NOTEBOOKS, lang);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => `${lang}/${f}`) : [];
  });
  const reports = new Map<string, Report>();
  let tmp = '';

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-nb-test-'));
    const inst = spawnSync(process.execPath, [path.join(ROOT, 'kernels', 'install.js'), '--prefix', tmp], { encoding: 'utf8' });
    expect(inst.status, inst.stderr).to.equal(0);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the notebooks', () => {
    expect(files).to.include('en/00-welcome.ipynb');
    expect(files).to.include('zh/00-welcome.ipynb');
  });

  // Both languages share their code: the English copies run type-checked (TSCNN_KERNEL_TYPECHECK=1,
  // so the course's code must type-check), the Chinese ones on the default transpile-only kernel.
  for (const f of files) {
    const typecheck = f.startsWith('en/');
    it(`${f}${typecheck ? ' (type-checked)' : ''}`, async () => {
      const r = await executeNotebook(path.join(NOTEBOOKS, f), path.join(tmp, 'share', 'jupyter'), 600,
        typecheck ? { TSCNN_KERNEL_TYPECHECK: '1' } : {});
      reports.set(f, r);
      const errs = r.errors.map((e) => `cell ${e.cell}: ${e.ename}: ${e.evalue}\n${e.traceback.join('\n')}`).join('\n\n');
      expect(r.errors, `error outputs in ${f}:\n${errs}`).to.deep.equal([]);
      expect(r.stderr_failures, `stderr failures in ${f}`).to.deep.equal([]);
      expect(r.unexecuted, `code cells left without an execution count in ${f}`).to.deep.equal([]);
      const want = FIGURES[path.basename(f)];
      expect(want, `${f} has no entry in FIGURES (say which figures it must show)`).to.not.equal(undefined);
      for (const [mime, n] of Object.entries(want)) {
        const cells = Object.values(r.mime_types).filter((types) => types.includes(mime)).length;
        expect(cells, `${f}: cells showing ${mime}`).to.be.at.least(n);
      }
    });
  }

  it('00-welcome shows a rich (multi-MIME) output', async function () {
    const r = reports.get('en/00-welcome.ipynb');
    if (!r) this.skip(); // not run in this selection (--grep)
    const all = Object.values(r!.mime_types).flat();
    expect(all).to.include('text/html');
    expect(all).to.include('image/png');
  });
});
