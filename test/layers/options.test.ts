/**
 * Layer constructors, buildFromConfig and receptiveField reject misspelt options (the notebook
 * kernel does not type-check cells), and still build with the right ones.
 */
import { expect } from 'chai';
import {
  AvgPool2d, BatchNorm2d, Conv2d, Dropout, Linear, LocalResponseNorm, MaxPool2d, Sequential, layerFromConfig, receptiveField,
} from '../../src/layers';
import { Rng } from '../../src/tensor';

const any = (o: unknown): never => o as never;

interface Case {
  op: string;
  run: (opts: never) => unknown;
  good: object;
  typo: object;
  bad: string;
  known: string;
  guess?: string;
}

const cases: Case[] = [
  { op: 'Conv2d', run: (o) => new Conv2d(1, 6, 5, o), good: { padding: 2, bias: false }, typo: { paddin: 2 }, bad: 'paddin', known: 'stride, padding, dilation, groups, bias, rng, init', guess: 'padding' },
  { op: 'Linear', run: (o) => new Linear(4, 2, o), good: { bias: false, rng: new Rng(1) }, typo: { biass: false }, bad: 'biass', known: 'bias, rng, init', guess: 'bias' },
  { op: 'Dropout', run: (o) => new Dropout(0.5, o), good: { rng: new Rng(1) }, typo: { seed: 1 }, bad: 'seed', known: 'rng' },
  { op: 'BatchNorm2d', run: (o) => new BatchNorm2d(3, o), good: { eps: 1e-3, momentum: 0.2 }, typo: { momentun: 0.2 }, bad: 'momentun', known: 'eps, momentum', guess: 'momentum' },
  { op: 'LocalResponseNorm', run: (o) => new LocalResponseNorm(5, o), good: { alpha: 1e-4, k: 2 }, typo: { bata: 0.75 }, bad: 'bata', known: 'alpha, beta, k', guess: 'beta' },
  { op: 'MaxPool2d', run: (o) => new MaxPool2d(2, o), good: { stride: 2, ceilMode: true }, typo: { kernelSize: 2 }, bad: 'kernelSize', known: 'stride, padding, dilation, ceilMode' },
  { op: 'AvgPool2d', run: (o) => new AvgPool2d(2, o), good: { countIncludePad: false }, typo: { dilation: 2 }, bad: 'dilation', known: 'stride, padding, ceilMode, countIncludePad' },
  { op: 'receptiveField', run: (o) => receptiveField([new Conv2d(1, 1, 3)], o), good: { inputShape: [8, 8] }, typo: { inputshape: [8, 8] }, bad: 'inputshape', known: 'inputShape', guess: 'inputShape' },
  { op: 'buildFromConfig', run: (o) => layerFromConfig(new Conv2d(1, 1, 3).config(), o), good: { init: false }, typo: { initialize: false }, bad: 'initialize', known: 'rng, init' },
];

describe('layers: options are checked by name', () => {
  for (const c of cases) {
    it(`${c.op}: rejects '${c.bad}' and builds with ${Object.keys(c.good).join(', ')}`, () => {
      const hint = c.guess ? `; did you mean '${c.guess}'?` : '';
      expect(() => c.run(any(c.typo))).to.throw(Error).with.property('message', `${c.op}: unknown option '${c.bad}' (known: ${c.known})${hint}`);
      expect(() => c.run(any(c.good))).to.not.throw();
    });
  }

  it("PyTorch's positional style new MaxPool2d(2, 2) names the options argument", () => {
    expect(() => new MaxPool2d(2, any(2))).to.throw('MaxPool2d: opts must be an options object {stride, padding, dilation, ceilMode}, got number 2');
    expect(() => new Conv2d(1, 6, 5, any(1))).to.throw('Conv2d: opts must be an options object {stride, padding, dilation, groups, bias, rng, init}, got number 1');
  });

  it('pools rebuilt from their configs keep every option (MaxPool2d and AvgPool2d)', () => {
    const m = new Sequential(new MaxPool2d(3, { stride: 2, padding: 1, dilation: 1, ceilMode: true }), new AvgPool2d([2, 3], { stride: 1, countIncludePad: false }));
    const rebuilt = layerFromConfig(m.config());
    expect(rebuilt.config()).to.deep.equal(m.config());
  });
});
