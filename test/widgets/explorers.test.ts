/**
 * Explorers recompute with our ops when a front end moves a control (a comm_msg update from the
 * recording stand-in), and leave a static picture for exports.
 */
import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { xoDataset } from '../../src/data';
import { xoNet } from '../../src/models/xonet';
import { Rng } from '../../src/tensor/random';
import { fit } from '../../src/train';
import { chainRuleStepper, convExplorer, convOutputSize, gaussian3, poolExplorer, trainingDashboard } from '../../src/viz/explorers';
import { resetWidgetFrontend, setWidgetFrontend } from '../../src/widgets/protocol';
import { useComms } from '../../src/widgets';
import { FakeComms } from './fake-comms';

describe('explorers (widgets over the ops)', () => {
  let fc: FakeComms;
  beforeEach(() => {
    fc = new FakeComms();
    useComms(fc);
    resetWidgetFrontend();
  });
  afterEach(() => {
    useComms(null);
    resetWidgetFrontend();
  });

  it('output size (H − F + 2P)/S + 1, dilated kernels, and the impossible case named', () => {
    expect(convOutputSize(5, 3, 0, 1, 1)).to.deep.include({ size: 3, exact: true, text: '(5 − 3 + 2·0) / 1 + 1 = 3' });
    expect(convOutputSize(5, 3, 1, 2, 1)).to.deep.include({ size: 3, exact: true });
    expect(convOutputSize(5, 3, 0, 2, 1)).to.deep.include({ size: 2, exact: true });
    expect(convOutputSize(6, 3, 0, 2, 1)).to.deep.include({ size: 2, exact: false, text: '(6 − 3 + 2·0) / 2 + 1 = 2.50 → 2' });
    expect(convOutputSize(5, 3, 0, 1, 3)).to.deep.equal({ error: 'impossible: the 3×3 kernel dilated to 7×7 does not fit in the 5×5 input padded by 0 (5 − 7 + 2·0 = -2 < 0)' });
    const g = gaussian3(1);
    expect(g.flat().reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-3);
    expect(g[1][1]).to.be.greaterThan(g[0][0]);
  });

  it('conv explorer: the lecture example; a stride update from the front end recomputes the picture', () => {
    const ex = convExplorer();
    expect(ex.kernel).to.deep.equal([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
    expect(ex.formula.value).to.include('(5 − 3 + 2·0) / 1 + 1 = 3').and.include('3×3');
    expect(ex.snapshot().text).to.include('→ 3×3');
    const before = Buffer.from(ex.picture.value);
    const sentBefore = fc.on(ex.picture.modelId).length;
    fc.fromFrontend(ex.padding.modelId, { method: 'update', state: { value: 1 }, buffer_paths: [] });
    expect(ex.formula.value).to.include('(5 − 3 + 2·1) / 1 + 1 = 5');
    const upd = fc.on(ex.picture.modelId).slice(sentBefore);
    expect(upd).to.have.length(1);
    expect(upd[0].data.buffer_paths).to.deep.equal([['value']]);
    expect(upd[0].buffers[0].equals(before)).to.equal(false);
    expect(upd[0].buffers[0].subarray(1, 4).toString()).to.equal('PNG');
    expect(ex.snapshot().text).to.include('→ 5×5');
  });

  it('conv explorer: editing a kernel cell, presets, and an impossible dilation shown in place', () => {
    const ex = convExplorer();
    fc.fromFrontend(ex.cells[4].modelId, { method: 'update', state: { value: 2 }, buffer_paths: [] });
    expect(ex.kernel[1][1]).to.equal(2);
    // centre weight 2: output (0,0) = 4 + 1 (the lecture's 4, plus one more for the centre pixel 1)
    expect(ex.snapshot().text).to.include('→ 3×3');
    fc.fromFrontend(ex.preset.modelId, { method: 'update', state: { index: 1 }, buffer_paths: [] });
    expect(ex.kernel).to.deep.equal([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);
    fc.fromFrontend(ex.dilation.modelId, { method: 'update', state: { value: 3 }, buffer_paths: [] });
    expect(ex.formula.value).to.include('impossible: the 3×3 kernel dilated to 7×7 does not fit');
    expect(ex.snapshot().text).to.include('impossible');
  });

  it('display: widget view plus the static picture (7/8); picture only without a kernel', () => {
    const ex = convExplorer();
    const b = ex[DISPLAY]();
    expect(Object.keys(b).sort()).to.deep.equal(['application/vnd.jupyter.widget-view+json', 'image/png', 'text/html', 'text/plain']);
    expect((b['application/vnd.jupyter.widget-view+json'] as { model_id: string }).model_id).to.equal(ex.root.modelId);
    setWidgetFrontend(6);
    const ex6 = convExplorer();
    expect(Object.keys(ex6[DISPLAY]())).to.not.include('image/png');
    useComms(null);
    const off = convExplorer();
    expect(Object.keys(off[DISPLAY]()).sort()).to.deep.equal(['image/png', 'text/html', 'text/plain']);
  });

  it('pooling explorer: max → avg recomputes; ceil mode changes the output size', () => {
    const ex = poolExplorer();
    expect(ex.formula.value).to.include('⌊(6 − 2)/2⌋ + 1 = 3');
    const n0 = fc.on(ex.picture.modelId).length;
    fc.fromFrontend(ex.mode.modelId, { method: 'update', state: { index: 1 }, buffer_paths: [] });
    expect(ex.snapshot().text).to.match(/avg/i);
    expect(fc.on(ex.picture.modelId).length).to.equal(n0 + 1);
    fc.fromFrontend(ex.kernelSize.modelId, { method: 'update', state: { value: 3 }, buffer_paths: [] });
    expect(ex.formula.value).to.include('⌊(6 − 3)/2⌋ + 1 = 2');
    fc.fromFrontend(ex.ceilMode.modelId, { method: 'update', state: { value: true }, buffer_paths: [] });
    expect(ex.formula.value).to.include('⌈(6 − 3)/2⌉ + 1 = 3');
  });

  it('chain-rule stepper: f = (x + y)·z and its gradients follow the input sliders', () => {
    const ex = chainRuleStepper();
    expect(ex.nodes.f.data).to.equal(-12);
    expect([ex.nodes.x.grad, ex.nodes.y.grad, ex.nodes.z.grad]).to.deep.equal([-4, -4, 3]);
    fc.fromFrontend(ex.z.modelId, { method: 'update', state: { value: 2 }, buffer_paths: [] });
    expect(ex.nodes.f.data).to.equal(6);
    expect([ex.nodes.x.grad, ex.nodes.z.grad]).to.deep.equal([2, 3]);
    fc.fromFrontend(ex.step.modelId, { method: 'update', state: { value: 1 }, buffer_paths: [] });
    expect(ex.text.value).to.include('q = x + y');
    expect(ex.snapshot().text).to.include('step 1');
  });

  it('training dashboard: Pause holds fit at a batch boundary, Resume continues, Stop ends it keeping the model', async () => {
    const dash = trainingDashboard();
    const data = xoDataset({ n: 64, seed: 5 });
    const net = xoNet({ rng: new Rng(1) });
    let pausedAt = -1;
    const run = fit(net, data, { epochs: 3, batchSize: 8, optimizer: 'sgd', lr: 0.1, seed: 0, progress: false, onBatch: (info, h) => {
      if (info.step === 3) fc.fromFrontend(dash.pause.modelId, { method: 'custom', content: { event: 'click' } });
      const r = dash.onBatch(info, h);
      if (r instanceof Promise) pausedAt = info.step;
      return r;
    } });
    await new Promise((r) => setTimeout(r, 50));
    expect(pausedAt).to.equal(3);
    expect(dash.state).to.equal('paused');
    expect(fc.on(dash.pause.modelId).at(-1)!.data.state).to.include({ description: 'Resume' });
    const weights = Float32Array.from(net.parameters()[0].value.data);
    fc.fromFrontend(dash.stop.modelId, { method: 'custom', content: { event: 'click' } });
    const h = await run;
    expect(h.stopReason).to.equal('callback');
    expect(h.batchLoss).to.have.length(3);
    expect(Array.from(net.parameters()[0].value.data)).to.deep.equal(Array.from(weights));
    dash.finish(h);
    expect(dash.status.value).to.include('callback');
  });
});
