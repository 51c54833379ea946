/**
 * Every op that takes an options object rejects a misspelt key (the notebook kernel does not
 * type-check cells, so TypeScript cannot catch `{ strid: 2 }` there), and still runs with the
 * right ones.
 */
import { expect } from 'chai';
import {
  avgPool2d, avgPool2dBackward, batchNorm2d, batchNorm2dBackward, conv2d, conv2dBackward, conv2dFlops, conv2dGradBias,
  conv2dGradInput, conv2dGradWeight, conv2dOutputShape, dropout, linear, linearBackward, localResponseNorm,
  localResponseNormBackward, maxPool2d, maxPool2dBackward, slice, sliceBackward,
} from '../../src/ops';
import { conv2dNaive } from '../../src/ops/conv2d-naive';
import { ones, randn, Rng } from '../../src/tensor';

const x = randn([1, 2, 6, 6], { rng: new Rng(1) });
const w = randn([3, 2, 3, 3], { rng: new Rng(2) });
const dy = ones([1, 3, 4, 4]);
const CONV = 'stride, padding, dilation, groups, impl, winograd';
const POOL = 'kernelSize, stride, padding, dilation, ceilMode';
const any = (o: object): never => o as never;

interface Case {
  op: string;
  /** Runs the op with these options. */
  run: (opts: never) => unknown;
  good: object;
  typo: object;
  bad: string;
  known: string;
  guess?: string;
}

const cases: Case[] = [
  { op: 'conv2d', run: (o) => conv2d(x, w, null, o), good: { stride: 1 }, typo: { strid: 2 }, bad: 'strid', known: CONV, guess: 'stride' },
  { op: 'conv2d', run: (o) => conv2dNaive(x, w, null, o), good: { padding: 0 }, typo: { paddin: 2 }, bad: 'paddin', known: CONV, guess: 'padding' },
  { op: 'conv2dBackward', run: (o) => conv2dBackward(dy, x, w, o), good: { dilation: 1 }, typo: { dilaton: 1 }, bad: 'dilaton', known: CONV, guess: 'dilation' },
  { op: 'conv2dBackward', run: (o) => conv2dGradInput(dy, x, w, o), good: { groups: 1 }, typo: { group: 1 }, bad: 'group', known: CONV, guess: 'groups' },
  { op: 'conv2dBackward', run: (o) => conv2dGradWeight(dy, x, w, o), good: { impl: 'js' }, typo: { engine: 'js' }, bad: 'engine', known: CONV },
  { op: 'conv2dGradBias', run: (o) => conv2dGradBias(dy, o), good: { impl: 'naive' }, typo: { impll: 'naive' }, bad: 'impll', known: 'impl', guess: 'impl' },
  { op: 'conv2dFlops', run: (o) => conv2dFlops([1, 2, 6, 6], [3, 2, 3, 3], o), good: { stride: 1 }, typo: { strides: 2 }, bad: 'strides', known: CONV, guess: 'stride' },
  { op: 'conv2dOutputShape', run: (o) => conv2dOutputShape([1, 2, 6, 6], [3, 2, 3, 3], o), good: { padding: 'same' }, typo: { pad: 1 }, bad: 'pad', known: CONV },
  { op: 'maxPool2d', run: (o) => maxPool2d(x, o), good: { kernelSize: 2 }, typo: { kernal: 2 }, bad: 'kernal', known: POOL, guess: 'kernelSize' },
  { op: 'maxPool2dBackward', run: (o) => maxPool2dBackward(ones([1, 2, 3, 3]), x, o), good: { kernelSize: 2 }, typo: { kernelSize: 2, ceil: true }, bad: 'ceil', known: POOL, guess: 'ceilMode' },
  { op: 'maxPool2d', run: (o) => maxPool2d(x, o), good: { kernelSize: 2 }, typo: { kernelSize: 2, countIncludePad: false }, bad: 'countIncludePad', known: POOL },
  { op: 'avgPool2d', run: (o) => avgPool2d(x, o), good: { kernelSize: 2, countIncludePad: false }, typo: { kernelSize: 2, countIncludePads: false }, bad: 'countIncludePads', known: `${POOL}, countIncludePad`, guess: 'countIncludePad' },
  { op: 'avgPool2dBackward', run: (o) => avgPool2dBackward(ones([1, 2, 3, 3]), x, o), good: { kernelSize: 2 }, typo: { kernelsize: 2 }, bad: 'kernelsize', known: `${POOL}, countIncludePad`, guess: 'kernelSize' },
  { op: 'localResponseNorm', run: (o) => localResponseNorm(x, o), good: { size: 2, alpha: 1e-3 }, typo: { size: 2, alpah: 1e-3 }, bad: 'alpah', known: 'size, alpha, beta, k, form', guess: 'alpha' },
  { op: 'localResponseNormBackward', run: (o) => localResponseNormBackward(x, x, o), good: { size: 2 }, typo: { size: 2, K: 2 }, bad: 'K', known: 'size, alpha, beta, k, form', guess: 'k' },
  { op: 'batchNorm2d', run: (o) => batchNorm2d(x, ones([2]), ones([2]), o), good: { eps: 1e-3 }, typo: { epsilon: 1e-3 }, bad: 'epsilon', known: 'training, momentum, eps, runningMean, runningVar' },
  { op: 'batchNorm2dBackward', run: (o) => batchNorm2dBackward(x, x, ones([2]), o), good: { training: true }, typo: { trainig: true }, bad: 'trainig', known: 'training, momentum, eps, runningMean, runningVar', guess: 'training' },
  { op: 'dropout', run: (o) => dropout(x, 0.5, o), good: { training: false }, typo: { train: false }, bad: 'train', known: 'training, rng', guess: 'training' },
  { op: 'linear', run: (o) => linear(ones([2, 3]), ones([4, 3]), null, o), good: { impl: 'naive' }, typo: { imp: 'naive' }, bad: 'imp', known: 'impl', guess: 'impl' },
  { op: 'linearBackward', run: (o) => linearBackward(ones([2, 4]), ones([2, 3]), ones([4, 3]), o), good: {}, typo: { impl: 'js', bias: true }, bad: 'bias', known: 'impl' },
  { op: 'slice', run: (o) => slice(x, 0, 1, o), good: { axis: 1 }, typo: { axes: 1 }, bad: 'axes', known: 'axis', guess: 'axis' },
  { op: 'sliceBackward', run: (o) => sliceBackward(ones([1, 1, 6, 6]), x, 0, 1, o), good: { axis: -3 }, typo: { dim: 1 }, bad: 'dim', known: 'axis' },
];

describe('ops: options are checked by name', () => {
  for (const c of cases) {
    it(`${c.op}: rejects '${c.bad}' and runs with ${JSON.stringify(c.good)}`, () => {
      const hint = c.guess ? `; did you mean '${c.guess}'?` : '';
      expect(() => c.run(any(c.typo))).to.throw(Error).with.property('message', `${c.op}: unknown option '${c.bad}' (known: ${c.known})${hint}`);
      expect(() => c.run(any(c.good))).to.not.throw();
    });
  }

  it('a number where the options go names the argument (maxPool2d(x, 2))', () => {
    expect(() => maxPool2d(x, any(2 as unknown as object))).to.throw(`maxPool2d: opts must be an options object {${POOL}}, got number 2`);
    expect(() => conv2d(x, w, null, any(1 as unknown as object))).to.throw(`conv2d: opts must be an options object {${CONV}}, got number 1`);
  });

  it('a misspelt option whose value is undefined is still reported', () => {
    expect(() => conv2d(x, w, null, any({ strid: undefined }))).to.throw("conv2d: unknown option 'strid'");
  });
});
