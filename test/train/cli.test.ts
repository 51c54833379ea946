import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, UsageError } from '../../src/cli/args';
import { train } from '../../src/cli/main';
import { restoreModel } from '../../src/train';

const root = path.join(__dirname, '../..');
const bin = path.join(root, 'bin/tscnn.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('tscnn CLI', () => {
  it('rejects bad usage with a clear message', async () => {
    const bad: [string[], RegExp][] = [
      [[], /missing <model>/],
      [['resnet'], /unknown model "resnet"/],
      [['lenet5', '--epochs', 'two'], /--epochs must be an integer ≥ 1, got "two"/],
      [['lenet5', '--epochs', '0'], /--epochs must be an integer ≥ 1, got "0"/],
      [['lenet5', '--dataset', 'imagenet'], /--dataset must be one of mnist, fashion-mnist, xo, got "imagenet"/],
      [['lenet5', '--optimizer', 'rmsprop'], /--optimizer must be one of sgd, momentum/],
      [['lenet5', '--frobnicate'], /unknown option --frobnicate/],
      [['lenet5', '--report'], /--report needs a value/],
      [['xonet', '--dataset', 'mnist'], /model xonet does not fit dataset mnist/],
    ];
    for (const [argv, re] of bad) {
      let err: Error | null = null;
      await train(argv, () => {}).catch((e) => (err = e));
      expect(err, argv.join(' ')).to.be.instanceOf(UsageError);
      expect(err!.message).to.match(re);
    }
    expect(parseArgs(['a', '--lr=0.5', '--quiet'], { lr: { kind: 'number' }, quiet: { kind: 'flag' } })).to.deep.equal({ positionals: ['a'], options: { lr: 0.5, quiet: true } });
  });

  it('bin/tscnn.js trains, writes a report and a loadable checkpoint; usage errors exit 2', function () {
    this.timeout(60000);
    const report = path.join(tmp, 'r.json');
    const ckpt = path.join(tmp, 'xo.ckpt');
    const r = spawnSync(process.execPath, [bin, 'train', 'xonet', '--epochs', '2', '--limit', '200', '--test-limit', '100', '--lr', '0.01', '--schedule', 'cosine', '--report', report, '--checkpoint', ckpt], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/epoch 2: loss/);
    const rep = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(rep).to.include({ model: 'xonet', dataset: 'xo', epochs: 2, trainExamples: 200, testExamples: 100, stopReason: 'completed', checkpoint: ckpt });
    expect(rep.testAccuracy).to.be.within(0, 1);
    expect(rep.seconds).to.be.above(0);
    expect(rep.imagesPerSec).to.be.above(0);
    expect(rep.perEpoch).to.have.length(2);
    expect(rep.optimizer).to.include({ type: 'adam', lr: 0.01 }); // the starting lr, not the annealed one
    expect(rep.schedule).to.equal('cosine(tMax=2, etaMin=0) per batch');
    expect(rep.perEpoch[1].lr).to.be.closeTo(0.005, 1e-9); // cos(π/2): half-way through the run
    expect(restoreModel(ckpt).header.meta).to.include({ model: 'xonet', epochs: 2, testAccuracy: rep.testAccuracy });
    const u = spawnSync(process.execPath, [bin, 'train', 'lenet5', '--batch-size', '-3'], { cwd: root, encoding: 'utf8' });
    expect(u.status).to.equal(2);
    expect(u.stderr).to.match(/^tscnn: --batch-size must be an integer ≥ 1, got "-3"\n\nusage: tscnn train/);
  });

  it('the defaults are the best measured recipe: adam at lr 0.002, cosine decay per batch, batch 32', async () => {
    const report = path.join(tmp, 'defaults.json');
    const code = await train(['xonet', '--limit', '64', '--test-limit', '32', '--quiet', '--report', report, '--checkpoint', path.join(tmp, 'd.ckpt')], () => {});
    expect(code).to.equal(0);
    const rep = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(rep.optimizer).to.include({ type: 'adam', lr: 0.002 });
    expect(rep.schedule).to.equal('cosine(tMax=1, etaMin=0) per batch');
    expect(rep.batchSize).to.equal(32);
  });

  it('--compare-tfjs trains the same model in TensorFlow.js in the same run and reports both', async function () {
    this.timeout(120000);
    const report = path.join(tmp, 'cmp.json');
    const code = await train(['xonet', '--epochs', '3', '--limit', '400', '--test-limit', '200', '--lr', '0.01', '--quiet', '--compare-tfjs', '--report', report, '--checkpoint', path.join(tmp, 'c.ckpt')], () => {});
    expect(code).to.equal(0);
    const rep = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(rep.tfjs.backend).to.match(/^tfjs 4\.\d+\.\d+ · /);
    expect(rep.tfjs.perEpoch).to.have.length(3);
    expect(rep.tfjs.imagesPerSec).to.be.above(0);
    // same initial weights, data order and optimizer: both engines learn the toy task
    expect(rep.testAccuracy).to.be.above(0.9);
    expect(rep.tfjs.testAccuracy).to.be.above(0.9);
    let err: Error | null = null;
    await train(['xonet', '--optimizer', 'adagrad', '--compare-tfjs', '--quiet', '--limit', '50', '--test-limit', '10', '--checkpoint', path.join(tmp, 'd.ckpt')], () => {}).catch((e) => (err = e));
    expect(err).to.be.instanceOf(UsageError);
    expect(err!.message).to.match(/--compare-tfjs supports --optimizer adam, sgd or momentum, got adagrad/);
  });

  it('Ctrl-C (SIGINT) stops at a batch boundary and still writes checkpoint and report (exit 130)', function (done) {
    this.timeout(60000);
    const report = path.join(tmp, 'int.json');
    const ckpt = path.join(tmp, 'int.ckpt');
    const child = spawn(process.execPath, [bin, 'train', 'xonet', '--epochs', '100000', '--limit', '64', '--test-limit', '64', '--report', report, '--checkpoint', ckpt], { cwd: root });
    let err = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      err += d;
      if (!sent && /epoch 3: loss/.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => {
      try {
        expect(code, err.slice(-500)).to.equal(130);
        const rep = JSON.parse(fs.readFileSync(report, 'utf8'));
        expect(rep.stopReason).to.equal('interrupted');
        expect(rep.epochs).to.be.at.least(3);
        expect(fs.existsSync(ckpt)).to.equal(true);
        done();
      } catch (e) {
        done(e);
      }
    });
  });
});
