import { expect } from 'chai';
import { Rng, checkOptionNames, optionNames, rand, randn } from '../../src/tensor';
import { closestName, editDistance } from '../../src/tensor/options';

interface DemoOptions { stride?: number; padding?: number; dilation?: number; groups?: number; impl?: string }
const DEMO = optionNames<DemoOptions>()(['stride', 'padding', 'dilation', 'groups', 'impl']);

describe('tensor/options: checkOptionNames', () => {
  it('passes known names, an empty object, undefined and null', () => {
    expect(() => checkOptionNames('conv2d', { stride: 2, padding: 1 }, DEMO)).to.not.throw();
    expect(() => checkOptionNames('conv2d', {}, DEMO)).to.not.throw();
    expect(() => checkOptionNames('conv2d', undefined, DEMO)).to.not.throw();
    expect(() => checkOptionNames('conv2d', null, DEMO)).to.not.throw();
  });

  it("names the op, the bad key, every known key and the closest one: 'strid' → 'stride'", () => {
    expect(() => checkOptionNames('conv2d', { strid: 2 }, DEMO)).to.throw(
      "conv2d: unknown option 'strid' (known: stride, padding, dilation, groups, impl); did you mean 'stride'?",
    );
  });

  it('checks a key whose value is undefined by its name too', () => {
    expect(() => checkOptionNames('conv2d', { paddin: undefined }, DEMO)).to.throw("conv2d: unknown option 'paddin' (known: stride, padding, dilation, groups, impl); did you mean 'padding'?");
  });

  it('gives no suggestion when nothing is within edit distance 2', () => {
    const msg = errorOf(() => checkOptionNames('conv2d', { bias: true }, DEMO));
    expect(msg).to.equal("conv2d: unknown option 'bias' (known: stride, padding, dilation, groups, impl)");
  });

  it('lists every unknown key, with a suggestion for each that has one', () => {
    const msg = errorOf(() => checkOptionNames('conv2d', { strid: 2, paddign: 1, bias: false }, DEMO));
    expect(msg).to.equal("conv2d: unknown options 'strid', 'paddign', 'bias' (known: stride, padding, dilation, groups, impl); did you mean 'stride' for 'strid', 'padding' for 'paddign'?");
  });

  it('matches case-insensitively (Stride → stride)', () => {
    expect(errorOf(() => checkOptionNames('conv2d', { Stride: 2 }, DEMO))).to.match(/did you mean 'stride'\?$/);
  });

  it('rejects options that are not a plain object, naming the argument and the value', () => {
    expect(() => checkOptionNames('maxPool2d', 2, ['kernelSize', 'stride'])).to.throw("maxPool2d: opts must be an options object {kernelSize, stride}, got number 2");
    expect(() => checkOptionNames('maxPool2d', [2, 2], ['kernelSize'])).to.throw('maxPool2d: opts must be an options object {kernelSize}, got an array [2, 2]');
    expect(() => checkOptionNames('fit', 'adam', ['optimizer'], 'fit options')).to.throw("fit: fit options must be an options object {optimizer}, got string 'adam'");
    expect(() => checkOptionNames('x', new Float32Array(2), ['a'])).to.throw('x: opts must be an options object {a}, got Float32Array');
    expect(() => checkOptionNames('randn', new Rng(1), ['rng', 'mean', 'std'])).to.throw('randn: opts must be an options object {rng, mean, std}, got Rng');
    expect(() => checkOptionNames('x', () => 1, ['a'])).to.throw('x: opts must be an options object {a}, got a function');
    // Objects without a prototype are plain options too.
    expect(() => checkOptionNames('x', Object.assign(Object.create(null), { a: 1 }), ['a'])).to.not.throw();
  });

  it('randn and rand check theirs: randn(shape, rng) and rand(shape, { hight: 2 }) throw', () => {
    expect(() => randn([2], new Rng(1) as never)).to.throw('randn: opts must be an options object {rng, mean, std}, got Rng');
    expect(() => rand([2], { hight: 2 } as never)).to.throw("rand: unknown option 'hight' (known: rng, low, high); did you mean 'high'?");
    expect(randn([2], { rng: new Rng(1), std: 2 }).size).to.equal(2);
  });

  it("names the argument when it is not 'opts'", () => {
    expect(() => checkOptionNames('fit', { lrr: 1 }, ['lr'], 'opts.optimizer')).to.throw("fit: unknown option 'lrr' in opts.optimizer (known: lr); did you mean 'lr'?");
  });
});

describe('tensor/options: edit distance and suggestions', () => {
  it('computes Levenshtein distances', () => {
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('strid', 'stride')).to.equal(1);
    expect(editDistance('kernal', 'kernelSize')).to.equal(5);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(editDistance('abc', 'abc')).to.equal(0);
  });

  it('suggests only names within distance 2, never for a key no longer than the distance', () => {
    expect(closestName('epoch', ['epochs', 'batchSize'])).to.equal('epochs');
    expect(closestName('lrate', ['lr', 'momentum'])).to.equal(null);
    expect(closestName('x', ['k', 'size'])).to.equal(null);
    expect(closestName('alpah', ['alpha', 'beta', 'k'])).to.equal('alpha');
    // Short keys get at most one edit: 'seed' is not a typo of 'std', 'alfa' (2 edits) gets no guess.
    expect(closestName('seed', ['rng', 'mean', 'std'])).to.equal(null);
    expect(closestName('alfa', ['alpha', 'beta', 'k'])).to.equal(null);
    expect(closestName('bin', ['bins', 'cols'])).to.equal('bins');
    // A misspelt start of a longer name.
    expect(closestName('kernal', ['kernelSize', 'stride'])).to.equal('kernelSize');
    expect(closestName('batch', ['batchSize', 'epochs'])).to.equal('batchSize');
    // Whole-name matches win over starts; short keys never match a start.
    expect(closestName('rate', ['rate', 'rateDecay'])).to.equal('rate');
    expect(closestName('lr', ['lrSchedule'])).to.equal(null);
  });
});

function errorOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}
