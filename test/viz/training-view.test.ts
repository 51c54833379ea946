import { expect } from 'chai';
import { toMimeBundle } from '../../src/display/display';
import type { MimeBundle } from '../../src/display/mime';
import { movingAverage } from '../../src/viz/line-svg';
import { epochLine, progressLine } from '../../src/viz/training-text';
import { TrainingView, renderTrainingView, trainingCharts, type TrainingState } from '../../src/viz/training-view';
import { decodePng } from './helpers';

function state(batches: number[], epochs: TrainingState['epochs'] = [], stopReason = 'completed', message = ''): TrainingState {
  return { batchLoss: batches, batchAccuracy: batches.map((l) => 1 - l / 3), epochs, stopReason, message };
}

const E1 = { epoch: 1, loss: 2, accuracy: 0.25, valLoss: 1.9, valAccuracy: 0.3, batches: 3, seconds: 1.25, imagesPerSec: 96 };

describe('viz/training-view', () => {
  it('moving average: trailing window, fewer values at the start, NaN leaves a gap', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).to.deep.equal([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([1, NaN, 3], 2)).to.deep.equal([1, 1, 3]);
    expect(movingAverage([NaN], 3)[0]).to.be.NaN;
  });

  it('text lines: batch line with bar, epoch line with validation, stop reason', () => {
    const p = { epoch: 1, epochs: 3, batch: 5, batches: 8, loss: 0.41, accuracy: 0.9, imagesPerSec: 812.4 };
    expect(progressLine(p)).to.equal('epoch 1/3 ███████████████░░░░░░░░░ 5/8 loss 0.4100 acc 90.0% 812 img/s');
    expect(epochLine(E1)).to.equal('epoch 1: loss 2.0000 acc 25.00% | val loss 1.9000 val acc 30.00% | 1.3 s, 96 img/s');
    const b = renderTrainingView(state([2.2, 2.0, 1.8], [E1], 'interrupted', 'at batch 3'));
    expect(b['text/plain']).to.equal(`${epochLine(E1)}\nstopped (interrupted): at batch 3`);
  });

  it('bundle: HTML bar + text + two SVG curves, and a PNG of the whole view', async () => {
    const b = renderTrainingView(state([2.2, 2.0, 1.8, 1.5, 1.2, 1.0], [E1, { ...E1, epoch: 2, loss: 1.2 }]));
    expect(Object.keys(b)).to.deep.equal(['text/html', 'image/png', 'text/plain']);
    const html = b['text/html'] as string;
    expect(html).to.contain('width:100.0%');
    expect(html.match(/<img alt="(loss|accuracy) curve" src="data:image\/svg\+xml;base64,/g)).to.have.length(2);
    const png = await decodePng(b['image/png'] as string);
    expect(png.width).to.equal(2 * 420 + 8);
    // The bar is full: its blue reaches the right end of the picture.
    const [r, g, bl] = png.at(png.width - 3, 9);
    expect([r, g, bl]).to.deep.equal([0x1f, 0x77, 0xb4]);
  });

  it('curves: the per-epoch points sit at the last batch of their epoch, validation beside them', () => {
    const { loss } = trainingCharts(state([3, 2, 1, 1, 1, 1], [E1, { ...E1, epoch: 2, loss: 1, valLoss: 1.5 }]));
    expect(loss).to.contain('>train batches (smoothed)<').and.contain('>train epoch mean<').and.contain('>validation<');
    // x axis 0 … 5 over the plot width: epoch 1 ends at batch index 2, epoch 2 at 5 (the right end).
    const circles = [...loss.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    const L = 4.4 * 12, R = 10, W = 420;
    const x = (i: number) => Number((L + ((W - L - R) * i) / 5).toFixed(1));
    expect(circles).to.deep.equal([x(2), x(5), x(2), x(5)]); // train epoch means, then validation
  });

  it('live: displayed once, updated in place under one id, throttled, forced at epoch ends and the end', () => {
    const calls: { kind: string; id?: string; bundle: MimeBundle }[] = [];
    let t = 0;
    const display = (v: unknown, opts?: { id?: string }) => {
      calls.push({ kind: 'display', id: opts?.id, bundle: toMimeBundle(v) });
      return { id: opts?.id ?? '', update: (u: unknown) => void calls.push({ kind: 'update', id: opts?.id, bundle: toMimeBundle(u) }) };
    };
    const view = new TrainingView({ display, throttleMs: 1000, now: () => t, controls: () => '<button>stop</button>' });
    const s = state([]);
    const batch = (i: number) => {
      (s.batchLoss as number[]).push(2 - i / 10);
      (s.batchAccuracy as number[]).push(i / 10);
      view.batch({ epoch: 1, epochs: 1, batch: i, batches: 4, loss: 2 - i / 10, accuracy: i / 10, imagesPerSec: 50 }, s);
    };
    batch(1);
    t = 100;
    batch(2); // throttled
    expect(calls.map((c) => c.kind)).to.deep.equal(['display']);
    t = 1200;
    batch(3);
    batch(4); // throttled again …
    view.epoch({ ...E1, batches: 4 }, { ...s, epochs: [{ ...E1, batches: 4 }] }); // … but an epoch end always draws
    view.end({ ...s, epochs: [{ ...E1, batches: 4 }] });
    expect(calls.map((c) => c.kind)).to.deep.equal(['display', 'update', 'update', 'update']);
    expect(new Set(calls.map((c) => c.id)).size).to.equal(1);
    expect(calls[0].id).to.match(/^tscnn-fit-[0-9a-f]{12}$/);
    expect(view.draws).to.equal(4);
    const last = calls[3].bundle;
    expect(last['text/plain']).to.match(/^epoch 1\/1 █{24} 4\/4 loss 1\.6000 acc 40\.0% 50 img\/s\nepoch 1: loss 2\.0000/);
    expect(last['text/html']).to.match(/^<div class="tscnn-training"[^>]*><button>stop<\/button>/);
    expect(last['image/png']).to.be.a('string');
  });
});
