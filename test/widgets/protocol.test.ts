/**
 * The ipywidgets messaging protocol as the library speaks it, checked message by message against
 * a recording stand-in for the kernel's comms (test/widgets/fake-comms.ts): protocol 2.1
 * (ipywidgets 8), 2.0 (ipywidgets 7) and 1 (ipywidgets 6 / jupyter-js-widgets 2.1).
 */
import { expect } from 'chai';
import { show } from '../../src/display/display';
import { DISPLAY } from '../../src/display/mime';
import { resetWidgetFrontend, setWidgetFrontend } from '../../src/widgets/protocol';
import { Button, Dropdown, FloatRangeSlider, HBox, Image, IntSlider, Output, Play, Tab, interactive, registerWidgetTargets, useComms, widgetFrontend } from '../../src/widgets';
import { FakeComms } from './fake-comms';

const PNG_A = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const PNG_B = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9, 9]);

describe('widgets: ipywidgets protocol over the comms hook', () => {
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

  describe('protocol 2.1 (ipywidgets 8, the default)', () => {
    it('opens a jupyter.widget comm with the full state, layout and style as model references', () => {
      const s = new IntSlider({ value: 2, min: 1, max: 3, description: 'stride' });
      const open = fc.openOf(s.modelId);
      expect(open.target).to.equal('jupyter.widget');
      expect(open.metadata).to.deep.equal({ version: '2.1.0' });
      const st = open.data.state;
      expect(st).to.include({ _model_name: 'IntSliderModel', _model_module: '@jupyter-widgets/controls', _model_module_version: '2.0.0', _view_name: 'IntSliderView', value: 2, min: 1, max: 3, step: 1, description: 'stride' });
      expect(open.data.buffer_paths).to.deep.equal([]);
      const layoutId = (st.layout as string).replace('IPY_MODEL_', '');
      expect(fc.openOf(layoutId).data.state).to.include({ _model_name: 'LayoutModel', _model_module: '@jupyter-widgets/base', _model_module_version: '2.0.0', _view_name: 'LayoutView' });
      const styleId = (st.style as string).replace('IPY_MODEL_', '');
      expect(fc.openOf(styleId).data.state).to.include({ _model_name: 'SliderStyleModel', _model_module: '@jupyter-widgets/controls', _view_name: 'StyleView', _view_module: '@jupyter-widgets/base' });
      // the references are opened before the widget that names them
      expect(fc.sent.findIndex((m) => m.commId === layoutId)).to.be.lessThan(fc.sent.findIndex((m) => m.commId === s.modelId));
    });

    it('a front-end update changes the state, runs observers, and is echoed (echo_update), not sent back as update', () => {
      const s = new IntSlider({ value: 1, min: 1, max: 3 });
      const seen: unknown[] = [];
      s.observe((c) => seen.push([c.name, c.old, c.new]));
      fc.fromFrontend(s.modelId, { method: 'update', state: { value: 3 }, buffer_paths: [] });
      expect(s.value).to.equal(3);
      expect(seen).to.deep.equal([['value', 1, 3]]);
      const msgs = fc.on(s.modelId);
      expect(msgs.map((m) => m.data)).to.deep.equal([{ method: 'echo_update', state: { value: 3 }, buffer_paths: [] }]);
    });

    it('an observer that changes another widget sends that widget an update (the kernel recomputed)', () => {
      const s = new IntSlider({ value: 1, min: 1, max: 3 });
      const img = new Image({ value: PNG_A });
      s.observe((c) => (img.value = c.new === 3 ? PNG_B : PNG_A));
      fc.fromFrontend(s.modelId, { method: 'update', state: { value: 3 }, buffer_paths: [] });
      const [upd] = fc.on(img.modelId);
      expect(upd.data).to.deep.equal({ method: 'update', state: {}, buffer_paths: [['value']] });
      expect(upd.buffers[0].equals(PNG_B)).to.equal(true);
    });

    it('binary buffers: Image opens with its bytes as a buffer at path ["value"]', () => {
      const img = new Image({ value: PNG_A, width: '120px' });
      const open = fc.openOf(img.modelId);
      expect(open.data.buffer_paths).to.deep.equal([['value']]);
      expect(open.data.state).to.not.have.property('value');
      expect(open.buffers[0].equals(PNG_A)).to.equal(true);
      expect(open.data.state).to.include({ format: 'png', width: '120px' });
    });

    it('kernel-side values are validated: clamped to [min, max], bad bounds named', () => {
      const s = new IntSlider({ value: 2, min: 0, max: 5 });
      s.value = 99;
      expect(s.value).to.equal(5);
      expect(fc.on(s.modelId).at(-1)!.data).to.deep.equal({ method: 'update', state: { value: 5 }, buffer_paths: [] });
      expect(() => s.set({ min: 9 })).to.throw('IntSlider: min must be ≤ max, got min=9, max=5');
      expect(() => new IntSlider({ value: 1.5 })).to.throw('IntSlider: value must be a finite integer, got 1.5');
    });

    it('request_state answers the full state; custom click runs Button callbacks', () => {
      const b = new Button({ description: 'Stop' });
      let clicks = 0;
      b.onClick(() => clicks++);
      fc.fromFrontend(b.modelId, { method: 'custom', content: { event: 'click' } });
      expect(clicks).to.equal(1);
      fc.fromFrontend(b.modelId, { method: 'request_state' });
      const full = fc.on(b.modelId).at(-1)!.data;
      expect(full.method).to.equal('update');
      expect(full.state).to.include({ _model_name: 'ButtonModel', description: 'Stop' });
    });

    it('display: widget-view+json with version 2.0 and the model id, text/plain fallback', () => {
      const s = new IntSlider({ value: 2, description: 'stride' });
      const b = s[DISPLAY]();
      expect(b['application/vnd.jupyter.widget-view+json']).to.deep.equal({ version_major: 2, version_minor: 0, model_id: s.modelId });
      expect(b['text/plain']).to.equal('IntSlider(value=2, description="stride")');
    });

    it('jupyter.widget.control request_states returns every model with buffer paths prefixed by model id', () => {
      const img = new Image({ value: PNG_A });
      const ctl = fc.frontendOpens('jupyter.widget.control');
      expect(widgetFrontend()).to.equal(8);
      ctl.deliver({ content: { comm_id: ctl.commId, data: { method: 'request_states' } }, metadata: {}, buffers: [], header: {} });
      const reply = fc.on(ctl.commId)[0];
      expect(reply.data.method).to.equal('update_states');
      expect(reply.data.states[img.modelId]).to.include({ model_name: 'ImageModel', model_module: '@jupyter-widgets/controls' });
      const i = reply.data.buffer_paths.findIndex((p: unknown[]) => p[0] === img.modelId);
      expect(reply.data.buffer_paths[i]).to.deep.equal([img.modelId, 'state', 'value']);
      expect(reply.buffers[i].equals(PNG_A)).to.equal(true);
    });

    it('Dropdown syncs index and labels; value is the option value', () => {
      const d = new Dropdown({ options: [['valid', 0], ['same', 1]] as const, description: 'padding' });
      expect(fc.openOf(d.modelId).data.state).to.include({ index: 0 }).and.to.deep.include({ _options_labels: ['valid', 'same'] });
      fc.fromFrontend(d.modelId, { method: 'update', state: { index: 1 }, buffer_paths: [] });
      expect([d.value, d.label]).to.deep.equal([1, 'same']);
      expect(() => d.set({ value: 7 })).to.throw('Dropdown: value 7 is not one of the options [0,1]');
    });

    it('Tab titles (8: titles list), Play (8: playing), boxes with children references', () => {
      const a = new IntSlider();
      const b = new Play({ max: 10 });
      const t = new Tab([a, b], { titles: ['slider', 'play'] });
      expect(fc.openOf(t.modelId).data.state).to.deep.include({ titles: ['slider', 'play'], children: [`IPY_MODEL_${a.modelId}`, `IPY_MODEL_${b.modelId}`] });
      expect(fc.openOf(b.modelId).data.state).to.include({ playing: false, repeat: false });
      const h = new HBox([a]);
      fc.fromFrontend(h.modelId, { method: 'update', state: { children: [`IPY_MODEL_${b.modelId}`] }, buffer_paths: [] });
      expect(h.children[0]).to.equal(b);
    });
  });

  describe('protocol 2.0 (ipywidgets 7)', () => {
    it('names controls 1.5.0 / base 1.2.0, _titles as a dict, _playing, and sends no echo_update', () => {
      setWidgetFrontend(7);
      const p = new Play();
      const t = new Tab([p], { titles: ['clock'] });
      const open = fc.openOf(t.modelId);
      expect(open.metadata).to.deep.equal({ version: '2.0.0' });
      expect(open.data.state).to.include({ _model_module_version: '1.5.0' }).and.to.deep.include({ _titles: { 0: 'clock' } });
      expect(fc.openOf(p.modelId).data.state).to.include({ _playing: false, _repeat: false });
      const layout = fc.openOf(open.data.state.layout.slice(10));
      expect(layout.data.state).to.include({ _model_module: '@jupyter-widgets/base', _model_module_version: '1.2.0' });
      fc.fromFrontend(p.modelId, { method: 'update', state: { _playing: true, value: 4 }, buffer_paths: [] });
      expect([p.get('playing'), p.value]).to.deep.equal([true, 4]);
      expect(fc.on(p.modelId)).to.deep.equal([]);
    });
  });

  describe('protocol 1 (ipywidgets 6, jupyter-js-widgets ~2.1.4)', () => {
    it('the version comm: answers {version: "~2.1.4"} and switches new widgets to generation 6', () => {
      expect(registerWidgetTargets()).to.equal(true);
      const v = fc.frontendOpens('jupyter.widget.version');
      expect(fc.on(v.commId)[0].data).to.deep.equal({ version: '~2.1.4' });
      expect(widgetFrontend()).to.equal(6);
    });

    it('opens with the flat state, buffers as a following update, backbone messages in, no echo', () => {
      setWidgetFrontend(6);
      const s = new FloatRangeSlider({ min: 0, max: 1, value: [0.2, 0.8], step: 0.1 });
      const open = fc.openOf(s.modelId);
      expect(open.data).to.include({ _model_name: 'FloatSliderModel', _view_name: 'FloatSliderView', _model_module: 'jupyter-js-widgets', _model_module_version: '~2.1.4', _range: true });
      expect(open.metadata).to.deep.equal({});
      fc.fromFrontend(s.modelId, { method: 'backbone', sync_data: { value: [0.3, 0.5] } });
      expect(s.value).to.deep.equal([0.3, 0.5]);
      expect(fc.on(s.modelId)).to.deep.equal([]);

      const img = new Image({ value: PNG_A });
      expect(fc.openOf(img.modelId).data._b64value).to.equal(PNG_A.toString('base64'));
      img.value = PNG_B;
      expect(fc.on(img.modelId).at(-1)!.data).to.deep.equal({ method: 'update', state: { _b64value: PNG_B.toString('base64') }, buffers: [] });
    });

    it('Dropdown syncs the label as value; display sends the display message and a model_id-only view', () => {
      setWidgetFrontend(6);
      const d = new Dropdown({ options: ['valid', 'same'] });
      expect(fc.openOf(d.modelId).data).to.include({ value: 'valid', _model_name: 'DropdownModel' });
      fc.fromFrontend(d.modelId, { method: 'backbone', sync_data: { value: 'same' } });
      expect(d.index).to.equal(1);
      const bundle = d[DISPLAY]();
      expect(bundle['application/vnd.jupyter.widget-view+json']).to.deep.equal({ model_id: d.modelId });
      expect(fc.on(d.modelId).at(-1)!.data).to.deep.equal({ method: 'display' });
    });
  });

  describe('Output and interact', () => {
    it('capture puts displays, console output and errors into outputs', () => {
      const out = new Output();
      out.capture(() => {
        show('hello');
        console.log('x =', 3);
      });
      expect(out.outputs).to.deep.equal([
        { output_type: 'display_data', data: { 'text/plain': 'hello' }, metadata: {} },
        { output_type: 'stream', name: 'stdout', text: 'x = 3\n' },
      ]);
      expect(fc.on(out.modelId).at(-1)!.data.state.outputs).to.have.length(2);
      expect(() => out.capture(() => { throw new Error('boom'); })).to.throw('boom');
      expect(out.outputs.at(-1)).to.include({ output_type: 'error', ename: 'Error', evalue: 'boom' });
    });

    it('interact: one control per argument; a front-end change re-runs fn with the new kwargs', () => {
      const calls: unknown[] = [];
      const w = interactive(({ stride, padding }: { stride: number; padding: string }) => {
        calls.push([stride, padding]);
        return `out=${(5 - 3 + (padding === 'same' ? 2 : 0)) / stride + 1}`;
      }, { stride: [1, 3], padding: ['valid', 'same'] });
      expect(Object.keys(w.controls)).to.deep.equal(['stride', 'padding']);
      expect(w.controls.stride.kind.name).to.equal('IntSlider');
      expect(w.controls.padding.kind.name).to.equal('Dropdown');
      fc.fromFrontend(w.controls.padding.modelId, { method: 'update', state: { index: 1 }, buffer_paths: [] });
      expect(calls).to.deep.equal([[1, 'valid'], [1, 'same']]);
      expect(w.result).to.equal('out=5');
      expect(w.out.outputs).to.deep.equal([{ output_type: 'display_data', data: { 'text/plain': 'out=5' }, metadata: {} }]);
    });
  });

  it('without a kernel (no comms) widgets still hold state and run observers', () => {
    useComms(null);
    const s = new IntSlider({ value: 1, max: 3 });
    let seen = 0;
    s.observe((c) => (seen = c.new as number));
    s.value = 2;
    expect([s.live, seen]).to.deep.equal([false, 2]);
    expect(s[DISPLAY]()).to.deep.equal({ 'text/plain': 'IntSlider(value=1, description="")'.replace('1', '2').replace(', description=""', '') });
  });
});
