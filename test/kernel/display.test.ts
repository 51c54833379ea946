import { expect } from 'chai';
import {
  DISPLAY, captureDisplays, checkInterrupt, clearOutput, display, interrupted, isInKernel, isKeyboardInterrupt, mime, show,
  toMimeBundle, yieldToKernel,
} from '../../src/display';

/** A displayable like Tensor/Value: several MIME types. */
const rich = { [DISPLAY]: () => ({ 'image/png': 'iVBORw0KGgo=', 'text/html': '<b>t</b>', 'text/plain': 't' }) };

describe('display: toMimeBundle', () => {
  it('uses the DISPLAY method and keeps every MIME type', () => {
    expect(toMimeBundle(rich)).to.deep.equal({ 'image/png': 'iVBORw0KGgo=', 'text/html': '<b>t</b>', 'text/plain': 't' });
  });
  it('adds text/plain when a bundle lacks it', () => {
    const b = toMimeBundle({ [DISPLAY]: () => ({ 'text/html': '<i>x</i>' }) });
    expect(b['text/html']).to.equal('<i>x</i>');
    expect(b['text/plain']).to.be.a('string');
  });
  it('falls back to util.inspect text, strings as themselves', () => {
    expect(toMimeBundle([1, 2, 3])).to.deep.equal({ 'text/plain': '[ 1, 2, 3 ]' });
    expect(toMimeBundle({ a: 1 })).to.deep.equal({ 'text/plain': '{ a: 1 }' });
    expect(toMimeBundle('hello')).to.deep.equal({ 'text/plain': 'hello' });
  });
  it('sends a mime()-marked bundle as is', () => {
    expect(toMimeBundle(mime({ 'text/markdown': '# hi', 'text/plain': 'hi' }))).to.deep.equal({ 'text/markdown': '# hi', 'text/plain': 'hi' });
  });
});

describe('display: captureDisplays', () => {
  it('records show() as one display_data per value', () => {
    const { outputs } = captureDisplays(() => show(rich, 42));
    expect(outputs).to.deep.equal([
      { type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/html': '<b>t</b>', 'text/plain': 't' } },
      { type: 'display_data', data: { 'text/plain': '42' } },
    ]);
  });
  it('records display handles and their in-place updates with the same id', () => {
    const { outputs, result: h } = captureDisplays(() => {
      const h = display('epoch 1', { id: 'train' });
      h.update('epoch 2');
      clearOutput(true);
      return h;
    });
    expect(h.id).to.equal('train');
    expect(outputs).to.deep.equal([
      { type: 'display_data', data: { 'text/plain': 'epoch 1' }, id: 'train' },
      { type: 'update_display_data', data: { 'text/plain': 'epoch 2' }, id: 'train' },
      { type: 'clear_output', wait: true },
    ]);
  });
  it('gives distinct random ids when none is given', () => {
    const { result } = captureDisplays(() => [display(1).id, display(2).id]);
    expect(result[0]).to.match(/^[0-9a-f]{16}$/);
    expect(result[0]).to.not.equal(result[1]);
  });
  it('captures across awaits and nests (innermost wins)', async () => {
    const outer = await captureDisplays(async () => {
      show('a');
      await new Promise((r) => setTimeout(r, 1));
      const inner = captureDisplays(() => show('b'));
      expect(inner.outputs).to.have.length(1);
      show('c');
      return 'done';
    });
    expect(outer.result).to.equal('done');
    expect(outer.outputs.map((o) => (o.type === 'display_data' ? o.data['text/plain'] : ''))).to.deep.equal(['a', 'c']);
  });
  it('stops capturing when fn throws', () => {
    expect(() => captureDisplays(() => { throw new Error('x'); })).to.throw('x');
    const { outputs } = captureDisplays(() => show(1));
    expect(outputs).to.have.length(1);
  });
});

describe('display: plain Node transport', () => {
  it('is not in a kernel and prints text/plain to stdout', () => {
    expect(isInKernel()).to.equal(false);
    const written: string[] = [];
    const orig = process.stdout.write;
    process.stdout.write = ((s: string) => { written.push(String(s)); return true; }) as typeof process.stdout.write;
    try {
      show(rich);
      display('x', { id: 'p' }).update('y');
      clearOutput();
    } finally {
      process.stdout.write = orig;
    }
    expect(written).to.deep.equal(['t\n', 'x\n', 'y\n']);
  });
  it('interrupt helpers never fire outside the kernel', async () => {
    expect(interrupted()).to.equal(false);
    expect(() => checkInterrupt()).to.not.throw();
    await yieldToKernel();
    const e = new Error('interrupted by the user');
    e.name = 'KeyboardInterrupt';
    expect(isKeyboardInterrupt(e)).to.equal(true);
    expect(isKeyboardInterrupt(new Error('x'))).to.equal(false);
  });
});

describe('display: kernel hook transport', () => {
  const HOOK = Symbol.for('tscnn.kernel');
  it('sends whole bundles with display ids through the hook, and polls interrupts', () => {
    const sent: unknown[] = [];
    let flag = false;
    (globalThis as Record<symbol, unknown>)[HOOK] = {
      kind: 'tscnn',
      version: 1,
      display: (bundle: unknown, opts: unknown) => { sent.push(['display', bundle, opts]); return true; },
      clearOutput: (wait: boolean) => { sent.push(['clear', wait]); },
      interrupted: () => flag,
      checkInterrupt: () => { if (flag) { const e = new Error('interrupted by the user'); e.name = 'KeyboardInterrupt'; throw e; } },
    };
    try {
      expect(isInKernel()).to.equal(true);
      show(rich);
      display('a', { id: 'd1' }).update('b');
      clearOutput();
      expect(sent).to.deep.equal([
        ['display', toMimeBundle(rich), { id: undefined, update: false }],
        ['display', { 'text/plain': 'a' }, { id: 'd1', update: false }],
        ['display', { 'text/plain': 'b' }, { id: 'd1', update: true }],
        ['clear', false],
      ]);
      flag = true;
      expect(interrupted()).to.equal(true);
      expect(() => checkInterrupt()).to.throw('interrupted by the user');
    } finally {
      delete (globalThis as Record<symbol, unknown>)[HOOK];
    }
  });
});
