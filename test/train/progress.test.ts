import { expect } from 'chai';
import { Writable } from 'stream';
import { xoDataset } from '../../src/data';
import { xoNet } from '../../src/models/xonet';
import { Rng } from '../../src/tensor/random';
import { fit, NotebookProgress, TerminalProgress } from '../../src/train';

describe('progress reporting', () => {
  it('notebook: one display handle, updated live, ending with bar, text and loss curve', async () => {
    const shown: Record<string, string>[] = [];
    const updates: Record<string, string>[] = [];
    const ids: (string | undefined)[] = [];
    const show = (bundle: Record<string, string>, opts: { id?: string }) => {
      shown.push(bundle);
      ids.push(opts.id);
      return { update: (b: Record<string, string>) => void updates.push(b) };
    };
    const data = xoDataset({ n: 64, seed: 1 });
    await fit(xoNet({ rng: new Rng(0) }), data, { epochs: 2, batchSize: 8, progress: new NotebookProgress(show) });
    expect(shown).to.have.length(1); // displayed once, then updated in place
    expect(ids[0]).to.match(/^tscnn-fit-/);
    expect(updates.length).to.be.at.least(2); // per epoch + the end
    const last = updates[updates.length - 1];
    expect(last['text/plain']).to.match(/epoch 2: loss/);
    expect(last['text/html']).to.contain('width:100.0%'); // the bar is full at the end
    expect(last['text/html']).to.contain('<img alt="training loss" src="data:image/svg+xml;base64,');
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
