import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BatchNorm2d } from '../../src/layers/normalization';
import { Conv2d } from '../../src/layers/conv';
import { Sequential } from '../../src/layers/sequential';
import { lenet5 } from '../../src/models';
import { Frozen, xoNet } from '../../src/models/xonet';
import { Rng } from '../../src/tensor/random';
import { randn } from '../../src/tensor/tensor';
import { buildFromConfig, loadCheckpoint, readCheckpoint, restoreModel, saveCheckpoint } from '../../src/train';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-ckpt-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const snapshot = (m: { parameters(): { value: { data: Float32Array } }[] }) => m.parameters().map((p) => Array.from(p.value.data));

describe('buildFromConfig', () => {
  it('rebuilds LeNet-5 with the same config and parameter count', () => {
    const net = lenet5({ rng: new Rng(0) });
    const copy = buildFromConfig(net.config());
    expect(copy.config()).to.deep.equal(net.config());
    expect(copy.numParameters()).to.equal(61706);
  });
  it('names unknown types and bad arguments with their path', () => {
    expect(() => buildFromConfig({ type: 'Sequential', args: {}, children: [{ type: 'Warp', args: {} }] })).to.throw(/^buildFromConfig: model\.0: unknown layer type "Warp"/);
    expect(() => buildFromConfig({ type: 'Linear', args: { inFeatures: -1, outFeatures: 2 } })).to.throw(/^buildFromConfig: model \(Linear\): Linear: inFeatures must be a positive integer/);
  });
});

describe('checkpoints', () => {
  it('round-trip LeNet-5: restoreModel gives identical outputs; no temp files left', () => {
    const net = lenet5({ rng: new Rng(0) });
    const file = path.join(tmp, 'sub', 'lenet.ckpt');
    saveCheckpoint(net, file, { epochs: 3, testAccuracy: 0.99 });
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['lenet.ckpt']);
    const { model, header } = restoreModel(file);
    expect(header.meta).to.deep.equal({ epochs: 3, testAccuracy: 0.99 });
    expect(snapshot(model)).to.deep.equal(snapshot(net));
    const x = randn([2, 1, 28, 28], { rng: new Rng(3) });
    net.eval();
    model.eval();
    expect(Array.from(model.forward(x).data)).to.deep.equal(Array.from(net.forward(x).data));
    const other = lenet5({ rng: new Rng(9) });
    expect(snapshot(other)).to.not.deep.equal(snapshot(net));
    loadCheckpoint(other, file);
    expect(snapshot(other)).to.deep.equal(snapshot(net));
  });

  it('saves buffers too: BatchNorm running stats and Frozen xoNet features', () => {
    const bn = new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(0) }), new BatchNorm2d(2));
    bn.forward(randn([4, 1, 5, 5], { rng: new Rng(1) })); // updates running mean/var
    const file = path.join(tmp, 'bn.ckpt');
    saveCheckpoint(bn, file);
    const back = restoreModel(file).model;
    expect(back.buffers().map((b) => Array.from(b.value.data))).to.deep.equal(bn.buffers().map((b) => Array.from(b.value.data)));
    const frozen = xoNet({ trainableFeatures: false, rng: new Rng(0) });
    expect(frozen.layers[0]).to.be.instanceOf(Frozen);
    expect(frozen.parameters().map((p) => p.name)).to.deep.equal(['4.weight', '4.bias']);
    saveCheckpoint(frozen, path.join(tmp, 'xo.ckpt'));
    const xo = restoreModel(path.join(tmp, 'xo.ckpt')).model;
    expect(xo.buffers().map((b) => [b.name, Array.from(b.value.data)])).to.deep.equal(frozen.buffers().map((b) => [b.name, Array.from(b.value.data)]));
  });

  it('a corrupted, truncated or mismatched checkpoint is a clear error and leaves the model untouched', () => {
    const net = lenet5({ rng: new Rng(0) });
    const file = path.join(tmp, 'good.ckpt');
    saveCheckpoint(net, file);
    const bytes = fs.readFileSync(file);
    const target = lenet5({ rng: new Rng(5) });
    const before = snapshot(target);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100] ^= 0xff;
    fs.writeFileSync(path.join(tmp, 'flip.ckpt'), flipped);
    expect(() => loadCheckpoint(target, path.join(tmp, 'flip.ckpt'))).to.throw(/^loadCheckpoint: .*flip\.ckpt: checksum mismatch/);
    fs.writeFileSync(path.join(tmp, 'cut.ckpt'), bytes.subarray(0, bytes.length - 8));
    expect(() => loadCheckpoint(target, path.join(tmp, 'cut.ckpt'))).to.throw(/^loadCheckpoint: .*cut\.ckpt: tensor data is \d+ bytes, header says \d+/);
    fs.writeFileSync(path.join(tmp, 'junk.ckpt'), 'hello');
    expect(() => loadCheckpoint(target, path.join(tmp, 'junk.ckpt'))).to.throw(/not a tscnn checkpoint/);
    // Same parameter shapes, different architecture (Tanh instead of ReLU): strict refuses.
    const tanh = lenet5({ rng: new Rng(5), activation: 'tanh' });
    const tanhBefore = snapshot(tanh);
    expect(() => loadCheckpoint(tanh, file)).to.throw(/^loadCheckpoint: .*good\.ckpt: architecture mismatch at architecture\.children\.\d+\.type: checkpoint has "ReLU", model has "Tanh"/);
    expect(snapshot(tanh)).to.deep.equal(tanhBefore);
    const xo = xoNet();
    expect(() => loadCheckpoint(xo, file)).to.throw(/^loadCheckpoint: .*architecture mismatch/);
    expect(() => loadCheckpoint(xo, file, { strict: false })).to.throw(/^loadCheckpoint: .*(lacks|shape)/);
    expect(snapshot(target)).to.deep.equal(before);
    expect(() => readCheckpoint(path.join(tmp, 'absent.ckpt'))).to.throw(/^loadCheckpoint: cannot read .*absent\.ckpt: ENOENT/);
  });
});
