import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CIFAR10_MEAN, CIFAR10_RECORD_BYTES, CIFAR10_STD, decodeImage, loadCifar10, loadImage, parseCifar10, readCifar10Batch, xoDataset, xoFeatures } from '../../src/data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-cifar-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A CIFAR-10 record whose pixel value encodes (channel, row, col): R = row, G = col, B = 200 + label. */
function fixture(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, i) => {
    const r = i * CIFAR10_RECORD_BYTES;
    out[r] = label;
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        out[r + 1 + y * 32 + x] = y;
        out[r + 1 + 1024 + y * 32 + x] = x;
        out[r + 1 + 2048 + y * 32 + x] = 200 + label;
      }
  });
  return out;
}

describe('CIFAR-10 binary reader (generated fixture)', () => {
  it('maps label + R/G/B planes onto [N, 3, 32, 32] in [0, 1]', () => {
    const ds = parseCifar10(fixture([3, 9, 0]), 'fixture');
    expect(ds.x.shape).to.deep.equal([3, 3, 32, 32]);
    expect(Array.from(ds.y)).to.deep.equal([3, 9, 0]);
    expect(ds.x.get(1, 0, 5, 7)).to.be.closeTo(5 / 255, 1e-7); // R = row
    expect(ds.x.get(1, 1, 5, 7)).to.be.closeTo(7 / 255, 1e-7); // G = col
    expect(ds.x.get(1, 2, 5, 7)).to.be.closeTo(209 / 255, 1e-7); // B = 200 + label
    expect(ds.classes[ds.y[0]]).to.equal('cat');
  });

  it('standardises per channel with the CIFAR-10 statistics', () => {
    const ds = parseCifar10(fixture([1]), 'fixture', { normalize: 'standard' });
    expect(ds.x.get(0, 0, 10, 0)).to.be.closeTo((10 / 255 - CIFAR10_MEAN[0]) / CIFAR10_STD[0], 1e-5);
    expect(ds.x.get(0, 2, 0, 0)).to.be.closeTo((201 / 255 - CIFAR10_MEAN[2]) / CIFAR10_STD[2], 1e-5);
  });

  it('reads batch files from a directory, honours limit, and names files in errors', () => {
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(tmp, `data_batch_${i}.bin`), fixture([i, i]));
    fs.writeFileSync(path.join(tmp, 'test_batch.bin'), fixture([7]));
    expect(loadCifar10({ dir: tmp }).y.length).to.equal(10);
    expect(Array.from(loadCifar10({ dir: tmp, limit: 3 }).y)).to.deep.equal([1, 1, 2]);
    expect(Array.from(loadCifar10({ dir: tmp, split: 'test' }).y)).to.deep.equal([7]);
    const bad = path.join(tmp, 'bad.bin');
    fs.writeFileSync(bad, fixture([1]).subarray(0, 3000));
    expect(() => readCifar10Batch(bad)).to.throw(/^parseCifar10: .*bad\.bin: 3000 bytes is not a whole number of 3073-byte records/);
    const lab = fixture([1]);
    lab[0] = 57;
    expect(() => parseCifar10(lab, 'c100.bin')).to.throw(/^parseCifar10: c100.bin: record 0 has label 57/);
    expect(() => loadCifar10({ dir: path.join(tmp, 'missing') })).to.throw(/^loadCifar10: .*data_batch_1\.bin not found/);
  });
});

describe('X-vs-O data set', () => {
  it('canonical X and O match the lecture pictures', () => {
    const ds = xoDataset({ n: 2, transforms: false });
    expect(ds.x.shape).to.deep.equal([2, 1, 9, 9]);
    expect(Array.from(ds.y)).to.deep.equal([0, 1]);
    const px = (i: number, r: number, c: number) => ds.x.get(i, 0, r, c);
    // X: exactly the two diagonals from (1,1) to (7,7) and (1,7) to (7,1): 13 white pixels.
    let white = 0;
    for (let r = 0; r < 9; r++)
      for (let c = 0; c < 9; c++) {
        const onX = r >= 1 && r <= 7 && (r === c || r + c === 8);
        expect(px(0, r, c)).to.equal(onX ? 1 : -1);
        if (px(1, r, c) === 1) white++;
      }
    // O: a ring, symmetric under both flips, empty centre and border.
    expect(px(1, 4, 4)).to.equal(-1);
    expect(px(1, 0, 4)).to.equal(-1);
    for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) expect(px(1, r, c)).to.equal(px(1, 8 - r, c)).and.to.equal(px(1, r, 8 - c));
    expect(white).to.be.within(12, 24);
  });

  it('transformed sets are ±1, balanced, seeded and varied', () => {
    const a = xoDataset({ n: 200, seed: 3 });
    const b = xoDataset({ n: 200, seed: 3 });
    const c = xoDataset({ n: 200, seed: 4 });
    expect(Array.from(a.x.data).every((v) => v === 1 || v === -1)).to.equal(true);
    expect(Array.from(a.y).filter((v) => v === 0).length).to.equal(100);
    expect(Array.from(a.x.data)).to.deep.equal(Array.from(b.x.data));
    expect(Array.from(a.x.data)).to.not.deep.equal(Array.from(c.x.data));
    const distinct = new Set(Array.from({ length: 200 }, (_, i) => a.x.data.subarray(i * 81, i * 81 + 81).join(',')));
    expect(distinct.size).to.be.greaterThan(190);
    expect(() => xoDataset({ n: 0 })).to.throw(/^xoDataset: n must be a positive integer, got 0/);
    expect(() => xoDataset({ n: 2, transforms: { noise: 0.9 } })).to.throw(/^xoDataset: transforms.noise/);
  });

  it('xoFeatures are the two diagonals and the cross, [3, 1, 3, 3]', () => {
    const f = xoFeatures();
    expect(f.shape).to.deep.equal([3, 1, 3, 3]);
    expect(f.toArray()).to.deep.equal([
      [[[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]],
      [[[1, -1, 1], [-1, 1, -1], [1, -1, 1]]],
      [[[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]],
    ]);
  });
});

describe('loadImage (canvas)', () => {
  it('decodes a generated PNG exactly, RGB and grey', () => {
    const { createCanvas } = require('canvas');
    const cv = createCanvas(3, 2);
    const ctx = cv.getContext('2d');
    const img = ctx.createImageData(3, 2);
    const px = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0], [51, 102, 153]];
    px.forEach(([r, g, b], i) => img.data.set([r, g, b, 255], 4 * i));
    ctx.putImageData(img, 0, 0);
    const file = path.join(tmp, 'px.png');
    fs.writeFileSync(file, cv.toBuffer('image/png'));
    const t = loadImage(file);
    expect(t.shape).to.deep.equal([1, 3, 2, 3]);
    expect(t.get(0, 0, 0, 0)).to.equal(1);
    expect(t.get(0, 1, 0, 1)).to.equal(1);
    expect(t.get(0, 2, 0, 2)).to.equal(1);
    expect(t.get(0, 1, 1, 2)).to.be.closeTo(102 / 255, 1e-7);
    const g = loadImage(file, { grey: true });
    expect(g.shape).to.deep.equal([1, 1, 2, 3]);
    expect(g.get(0, 0, 0, 0)).to.be.closeTo(0.299, 1e-6);
    expect(g.get(0, 0, 0, 1)).to.be.closeTo(0.587, 1e-6);
    expect(g.get(0, 0, 1, 2)).to.be.closeTo((0.299 * 51 + 0.587 * 102 + 0.114 * 153) / 255, 1e-6);
  });

  it('loads the shipped photo (data/chelsea.png, CC0) and resizes it', () => {
    const file = path.join(__dirname, '../../data/chelsea.png');
    const t = loadImage(file);
    expect(t.shape).to.deep.equal([1, 3, 170, 256]);
    const min = t.data.reduce((a, b) => Math.min(a, b), 1);
    const max = t.data.reduce((a, b) => Math.max(a, b), 0);
    expect(min).to.be.at.least(0);
    expect(max).to.be.at.most(1);
    expect(max - min).to.be.greaterThan(0.5); // a real photo, not a flat image
    expect(loadImage(file, { grey: true, size: 64 }).shape).to.deep.equal([1, 1, 64, 64]);
    expect(loadImage(file, { size: [32, 48] }).shape).to.deep.equal([1, 3, 32, 48]);
  });

  it('errors name the file', () => {
    expect(() => loadImage(path.join(tmp, 'none.png'))).to.throw(/^loadImage: cannot read .*none\.png: ENOENT/);
    expect(() => decodeImage(Buffer.from('not an image'), {}, 'junk.png')).to.throw(/^loadImage: junk.png: cannot decode image/);
    expect(() => loadImage(path.join(__dirname, '../../data/chelsea.png'), { size: 0 })).to.throw(/^loadImage: size must be/);
  });
});
