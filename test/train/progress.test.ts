import { expect } from 'chai';
import { Writable } from 'stream';
import { xoDataset } from '../../src/data';
import { xoNet } from '../../src/models/xonet';
import { Rng } from '../../src/tensor/random';
import { captureDisplays } from '../../src/display';
import { fit, TerminalProgress } from '../../src/train';
import { TrainingView } from '../../src/viz/training-view';

describe('progress reporting', () => {
  it('notebook: one display handle, updated live, ending with bar, text and loss curve', async () => {
    const data = xoDataset({ n: 64, seed: 1 });
    const { outputs } = await captureDisplays(() => fit(xoNet({ rng: new Rng(0) }), data, { epochs: 2, batchSize: 8, progress: new TrainingView() }));
    const shown = outputs.filter((o) => o.type === 'display_data').map((o) => (o as { data: Record<string, string> }).data);
    const updates = outputs.filter((o) => o.type === 'update_display_data').map((o) => (o as { data: Record<string, string> }).data);
    const ids = outputs.map((o) => (o as { id?: string }).id);
    expect(shown).to.have.length(1); // displayed once, then updated in place
    expect(ids[0]).to.match(/^tscnn-fit-/);
    expect(new Set(ids).size).to.equal(1);
    expect(updates.length).to.be.at.least(2); // per epoch + the end
    const last = updates[updates.length - 1];
    expect(last['text/plain']).to.match(/epoch 2: loss/);
    expect(last['text/html']).to.contain('width:100.0%'); // the bar is full at the end
    expect(last['text/html']).to.contain('<img alt="loss curve" src="data:image/svg+xml;base64,');
    expect(last['image/png']).to.be.a('string'); // the final state survives exports without HTML
  });

  it('terminal: \\r-updated bar on a TTY, plain lines otherwise', async () => {
    const capture = (tty: boolean) => {
      let text = '';
      const out = new Writable({ write: (c, _e, cb) => ((text += c), cb()) }) as Writable & { isTTY?: boolean };
      out.isTTY = tty;
      return { out, get: () => text };
    };
    const data = xoDataset({ n: 64, seed: 1 });
    const tty = capture(true);
    await fit(xoNet(), data, { epochs: 1, batchSize: 8, progress: new TerminalProgress(tty.out) });
    expect(tty.get()).to.match(/^\repoch 1\/1 .* 1\/8 loss \d\.\d{4} acc [\d.]+% \d+ img\/s/);
    expect(tty.get()).to.match(/\r\x1b\[Kepoch 1: loss \d\.\d{4} acc [\d.]+% \| [\d.]+ s, \d+ img\/s\n$/);
    const log = capture(false);
    await fit(xoNet(), data, { epochs: 1, batchSize: 8, progress: new TerminalProgress(log.out) });
    expect(log.get()).to.not.contain('\r');
    expect(log.get().trim().split('\n').length).to.equal(9); // 8 batch lines (one per 10%) + the epoch line
  });
});

describe('inside the tscnn kernel (simulated hook)', () => {
  const KEY = Symbol.for('tscnn.kernel');
  afterEach(() => delete (globalThis as Record<symbol, unknown>)[KEY]);

  it('shows live progress through src/display and stops at the batch where the cell was interrupted', async () => {
    const outputs: { bundle: Record<string, unknown>; id?: string; update?: boolean }[] = [];
    let stop = false;
    (globalThis as Record<symbol, unknown>)[KEY] = {
      kind: 'tscnn',
      version: 1,
      display: (bundle: Record<string, unknown>, opts: { id?: string; update?: boolean } = {}) => (outputs.push({ bundle, ...opts }), true),
      clearOutput: () => {},
      interrupted: () => stop,
      checkInterrupt: () => {
        if (stop) throw Object.assign(new Error('interrupted by the user'), { name: 'KeyboardInterrupt' });
      },
    };
    const data = xoDataset({ n: 64, seed: 1 });
    const h = await fit(xoNet({ rng: new Rng(0) }), data, { epochs: 3, batchSize: 8, onBatch: (i) => void (i.step === 3 && (stop = true)) });
    expect([h.stopReason, h.batchLoss.length]).to.deep.equal(['interrupted', 3]);
    expect(outputs.length).to.be.at.least(2);
    expect(outputs[0].update).to.not.equal(true);
    expect(outputs.slice(1).every((o) => o.update === true && o.id === outputs[0].id)).to.equal(true);
    const last = outputs[outputs.length - 1].bundle;
    expect(last['text/html']).to.be.a('string').and.contain('<img alt="loss curve"');
    expect(last['text/plain']).to.contain('stopped (interrupted)');
  });
});
