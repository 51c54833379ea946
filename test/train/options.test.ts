/**
 * fit, evaluate, loadCheckpoint and the data functions reject misspelt options (the notebook
 * kernel does not type-check cells: `fit(model, data, { epoch: 3 })` would train one epoch).
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CIFAR10_RECORD_BYTES, augment, decodeImage, loadCifar10, loadFashionMnist, loadImage, loadMnist, parseCifar10, readCifar10Batch, xoDataset } from '../../src/data';
import { xoNet } from '../../src/models/xonet';
import { Rng, ones } from '../../src/tensor';
import { evaluate, fit, loadCheckpoint, saveCheckpoint } from '../../src/train';

const any = (o: unknown): never => o as never;
const FIT = 'epochs, batchSize, optimizer, loss, lr, weightDecay, schedule, scheduleEvery, augment, seed, shuffle, valData, evalBatchSize, onBatch, onEpoch, progress, maxBatches, history';

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('train: options are checked by name', () => {
  const data = xoDataset({ n: 8, seed: 1 });

  it("fit rejects { epoch: 3 } before training, suggesting 'epochs'", async () => {
    const net = xoNet({ rng: new Rng(0) });
    const before = net.parameters().map((p) => Array.from(p.value.data));
    expect(await rejection(fit(net, data, any({ epoch: 3, progress: false })))).to.equal(`fit: unknown option 'epoch' (known: ${FIT}); did you mean 'epochs'?`);
    expect(net.parameters().map((p) => Array.from(p.value.data))).to.deep.equal(before);
  });

  it('fit names opts.augment when a key inside it is misspelt', async () => {
    expect(await rejection(fit(xoNet(), data, any({ augment: { flips: true }, progress: false })))).to.equal("fit: unknown option 'flips' in opts.augment (known: flip, shift); did you mean 'flip'?");
  });

  it('fit still trains with correct options (2 epochs, augmented, silent)', async () => {
    const h = await fit(xoNet({ rng: new Rng(0) }), data, { epochs: 2, batchSize: 4, augment: { flip: true, shift: 1 }, progress: false, seed: 3 });
    expect(h.epochs).to.have.length(2);
  });

  it('evaluate rejects { batchsize }', () => {
    expect(() => evaluate(xoNet(), data, any({ batchsize: 4 }))).to.throw("evaluate: unknown option 'batchsize' (known: batchSize); did you mean 'batchSize'?");
    expect(evaluate(xoNet(), data, { batchSize: 4 }).accuracy).to.be.within(0, 1);
  });

  it('loadCheckpoint rejects { strcit: false }', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-opts-')), 'xo.ckpt');
    const net = xoNet({ rng: new Rng(0) });
    saveCheckpoint(net, file);
    expect(() => loadCheckpoint(xoNet(), file, any({ strcit: false }))).to.throw("loadCheckpoint: unknown option 'strcit' (known: strict); did you mean 'strict'?");
    expect(() => loadCheckpoint(xoNet(), file, { strict: true })).to.not.throw();
  });
});

describe('data: options are checked by name', () => {
  it("augment rejects { shfit: 1 } and accepts { flip, shift, rng }", () => {
    const x = ones([2, 1, 4, 4]);
    expect(() => augment(x, any({ shfit: 1 }))).to.throw("augment: unknown option 'shfit' (known: flip, shift, rng); did you mean 'shift'?");
    expect(augment(x, { flip: false, shift: 0, rng: new Rng(1) }).toArray()).to.deep.equal(x.toArray());
  });

  it('xoDataset rejects a misspelt option and a misspelt transform', () => {
    expect(() => xoDataset(any({ n: 4, sead: 1 }))).to.throw("xoDataset: unknown option 'sead' (known: n, rng, seed, transforms); did you mean 'seed'?");
    expect(() => xoDataset(any({ n: 4, transforms: { rotation: 10 } }))).to.throw("xoDataset: unknown option 'rotation' in opts.transforms (known: shift, scale, rotate, deform, noise)");
    expect(xoDataset({ n: 4, seed: 1, transforms: { rotate: 10 } }).y.length).to.equal(4);
    expect(xoDataset({ n: 4, transforms: false }).y.length).to.equal(4);
  });

  it('loadMnist and loadFashionMnist reject { limt } before looking for files', () => {
    expect(() => loadMnist(any({ limt: 10, dir: '/nonexistent' }))).to.throw("loadMnist: unknown option 'limt' (known: split, limit, normalize, dir); did you mean 'limit'?");
    expect(() => loadFashionMnist(any({ normalise: 'unit', dir: '/nonexistent' }))).to.throw("loadFashionMnist: unknown option 'normalise' (known: split, limit, normalize, dir); did you mean 'normalize'?");
  });

  it('the CIFAR-10 readers reject { limits } and still parse with { limit }', () => {
    const bytes = new Uint8Array(2 * CIFAR10_RECORD_BYTES);
    expect(() => parseCifar10(bytes, 'b', any({ limits: 1 }))).to.throw("parseCifar10: unknown option 'limits' (known: normalize, limit); did you mean 'limit'?");
    expect(parseCifar10(bytes, 'b', { limit: 1 }).y.length).to.equal(1);
    expect(() => readCifar10Batch('/nonexistent', any({ norm: 'unit' }))).to.throw("readCifar10Batch: unknown option 'norm' (known: normalize, limit)");
    expect(() => loadCifar10(any({ dir: '/nonexistent', splt: 'test' }))).to.throw("loadCifar10: unknown option 'splt' (known: normalize, limit, dir, split); did you mean 'split'?");
  });

  it('loadImage and decodeImage reject { gray } (the option is grey)', () => {
    expect(() => loadImage('/nonexistent.png', any({ gray: true }))).to.throw("loadImage: unknown option 'gray' (known: grey, size); did you mean 'grey'?");
    expect(() => decodeImage(new Uint8Array(4), any({ gray: true }))).to.throw("loadImage: unknown option 'gray' (known: grey, size); did you mean 'grey'?");
  });
});
