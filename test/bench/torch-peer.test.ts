import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CONV_CASES, torchConvRequest } from '../../bench/conv';
import { torchBench } from '../../bench/torch';
import { TorchPeer, TorchSession } from '../../bench/torch-peer';

// Protocol only: no timing is asserted beyond "a positive number of seconds" (shared machines).
// Tiny shapes and windows keep each request to a few milliseconds.
const tiny = { case: 'T1', pass: 'fwd', x: [2, 1, 8, 8], w: [2, 1, 3, 3], padding: 0, minTime: 0.01 } as const;

describe('bench PyTorch peer (torch_bench.py --serve)', function () {
  this.timeout(60000); // importing torch takes seconds
  let peer: TorchPeer | undefined;

  before(async function () {
    const p = await TorchPeer.start();
    if (!(p instanceof TorchPeer)) this.skip(); // PyTorch is optional: nothing to talk to
    peer = p;
  });
  after(() => peer?.close());

  it('says which torch it runs, with 2 threads', () => {
    expect(peer!.torch).to.match(/^\d+\.\d+/);
    expect(peer!.threads).to.equal(2);
  });

  it('answers every conv pass and a LeNet-5 training window with a positive time', async () => {
    for (const pass of ['fwd', 'dx', 'dw', 'bwd'] as const) {
      const t = await peer!.time({ ...tiny, pass, x: [...tiny.x], w: [...tiny.w] });
      expect(t.seconds, pass).to.be.greaterThan(0);
      expect(t.reps, pass).to.be.at.least(5);
    }
    const t = await peer!.time({ case: 'lenet5', pass: 'train', batch: 2, minTime: 0.01 });
    expect(t.seconds).to.be.greaterThan(0);
    expect(t.reps).to.be.at.least(3);
  });

  it('answers a bad request with an error naming the field, and keeps serving', async () => {
    const bad = async (req: object) => {
      try {
        await peer!.time(req as never);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`no error for ${JSON.stringify(req)}`);
    };
    expect(await bad({ ...tiny, pass: 'fwdd' })).to.match(/field 'pass' must be one of fwd, dx, dw, bwd, train; got "fwdd"/);
    expect(await bad({ ...tiny, x: [2, 1, 8] })).to.match(/field 'x' must be 4 positive integers/);
    expect(await bad({ ...tiny, w: [2, 3, 3, 3] })).to.match(/fields 'x' and 'w' disagree on input channels/);
    expect(await bad({ ...tiny, minTime: -1 })).to.match(/field 'minTime'/);
    expect(await bad({ ...tiny, padding: 'same' })).to.match(/field 'padding'/);
    expect(await bad({ case: 'lenet5', pass: 'train', batch: 0, minTime: 0.01 })).to.match(/field 'batch'/);
    expect(await bad({ case: 'vgg16', pass: 'train', batch: 2, minTime: 0.01 })).to.match(/field 'case' must be 'lenet5'/);
    expect((await peer!.time({ ...tiny, x: [...tiny.x], w: [...tiny.w] })).seconds).to.be.greaterThan(0);
  });
});

describe('bench PyTorch peer without PyTorch', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'tscnn-peer-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('skips with the reason a Python without torch gives', async () => {
    const fake = join(dir, 'python-without-torch');
    writeFileSync(fake, '#!/bin/sh\necho \'{"skip": "PyTorch not installed for fake (No module named torch)"}\'\n');
    chmodSync(fake, 0o755);
    const lines: string[] = [];
    const session = new TorchSession((l) => lines.push(l), fake);
    expect(await session.peer()).to.equal(null);
    expect(await session.peer()).to.equal(null); // started once, logged once
    expect(lines).to.deep.equal(['torch: skipped — PyTorch not installed for fake (No module named torch)']);
  });

  it('skips, naming the Python, when there is no such Python', async () => {
    const missing = join(dir, 'no-such-python');
    const p = await TorchPeer.start(missing);
    expect(p).to.have.property('skip').that.contains(missing);
  });

  it('the torch suite returns no rows and says why', async () => {
    const lines: string[] = [];
    const torch = new TorchSession((l) => lines.push(l), join(dir, 'no-such-python'));
    expect(await torchBench({ quick: true, log: (l) => lines.push(l), torch })).to.deep.equal([]);
    expect(lines[0]).to.match(/^torch: skipped — /);
  });

  it('the torch suite measures nothing the conv and train suites measured interleaved', async () => {
    const lines: string[] = [];
    const torch = new TorchSession((l) => lines.push(l), join(dir, 'no-such-python'));
    for (const c of CONV_CASES) for (const p of ['fwd', 'dx', 'dw', 'bwd']) torch.measured.add(`${c.name}-${p}`);
    torch.measured.add('lenet5-train');
    expect(await torchBench({ quick: true, log: (l) => lines.push(l), torch })).to.deep.equal([]);
    expect(lines).to.deep.equal(['torch: every pytorch row was measured interleaved by the conv and train suites']);
  });
});

describe('bench conv requests for the peer', () => {
  it('carries the case, the shapes and the padding', () => {
    const s3 = CONV_CASES.find((c) => c.name === 'S3')!;
    expect(torchConvRequest(s3, [1, 64, 56, 56], 'dw', 0.2)).to.deep.equal({ case: 'S3', pass: 'dw', x: [1, 64, 56, 56], w: [64, 64, 3, 3], padding: 1, minTime: 0.2 });
  });

  it('refuses options the peer does not apply', () => {
    const strided = { name: 'X', x: [1, 1, 8, 8], w: [1, 1, 3, 3], opts: { stride: 2 } };
    expect(() => torchConvRequest(strided, strided.x, 'fwd', 0.1)).to.throw(/^torchConvRequest: X: only a numeric padding/);
  });
});
