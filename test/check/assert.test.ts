import { expect } from 'chai';
import { assertAllClose, assertClose, assertEqual, check, checkAnswer, maxAbsDiff, sameAnswer } from '../../src/check';
import { getLocale, setLocale } from '../../src/display/locale';
import { tensor } from '../../src/tensor';

describe('check: the assertions notebooks make', () => {
  it('check throws with the description only when false', () => {
    expect(() => check(true, 'fine')).to.not.throw();
    expect(() => check(false, 'accuracy > 0.9')).to.throw('check failed: accuracy > 0.9');
  });

  it('assertEqual compares by value, typed arrays as arrays', () => {
    assertEqual('shape', [1, 1, 4, 4], [1, 1, 4, 4]);
    assertEqual('typed', new Float32Array([1, 2]), [1, 2]);
    expect(() => assertEqual('pooled shape', [1, 1, 3, 3], [1, 1, 4, 4])).to.throw('pooled shape: got [1,1,3,3], want [1,1,4,4]');
  });

  it('assertClose: absolute near 0, relative for large values, NaN fails', () => {
    assertClose('small', 1e-5, 0);
    expect(() => assertClose('small', 2e-4, 0)).to.throw(/small: got 0.0002, want 0/);
    assertClose('large', 1000.05, 1000, 1e-4); // 0.05 ≤ 1e-4 · 1000
    expect(() => assertClose('large', 1000.2, 1000, 1e-4)).to.throw(/large/);
    expect(() => assertClose('nan', NaN, 0)).to.throw(/nan: got NaN/);
    expect(() => assertClose('t', 1, 1, -1)).to.throw(/assertClose.*tol/);
  });

  it('maxAbsDiff over tensors and arrays; NaN propagates; sizes must match', () => {
    expect(maxAbsDiff(tensor([1, 2]), [1, 2.5])).to.equal(0.5);
    expect(maxAbsDiff([0, -3], [0, 1])).to.equal(4);
    expect(maxAbsDiff([NaN, 0], [0, 0])).to.be.NaN;
    expect(maxAbsDiff([0, 0], [0, NaN])).to.be.NaN;
    expect(() => maxAbsDiff([1, 2], [1])).to.throw(/maxAbsDiff: sizes differ/);
  });

  it('assertAllClose checks tensor shapes and the largest difference', () => {
    assertAllClose('same', tensor([[1, 2]]), tensor([[1, 2.000001]]));
    expect(() => assertAllClose('shape', tensor([[1, 2]]), tensor([1, 2]))).to.throw('shape: shape [1, 2], want [2]');
    expect(() => assertAllClose('diff', [1, 2, 3], [1, 2.1, 3], 0.01)).to.throw(/diff\[1\]: got 2, want 2.1 \(tolerance 0.01\)/);
    assertAllClose('relative for large values', [1000.005], [1000], 1e-5);
    expect(() => assertAllClose('nan', [0, NaN], [0, 0])).to.throw(/nan\[1\]: got NaN/);
  });
});

describe('check: exercises', () => {
  let prev = getLocale();
  beforeEach(() => (prev = setLocale('en')));
  afterEach(() => setLocale(prev));

  it('sameAnswer: numbers (also typed as text), arrays, strings ignoring case and spaces', () => {
    expect(sameAnswer(4, 4)).to.equal(true);
    expect(sameAnswer('4', 4)).to.equal(true);
    expect(sameAnswer(4.1, 4)).to.equal(false);
    expect(sameAnswer([3, 3], [3, 3])).to.equal(true);
    expect(sameAnswer([3, 3, 1], [3, 3])).to.equal(false);
    expect(sameAnswer(' Valid ', 'valid')).to.equal(true);
    expect(sameAnswer(undefined, 4)).to.equal(false);
  });

  it('says right and why, wrong and the hint (never the answer), or not answered yet', () => {
    const explain = { why: '(10 − 1)/3 + 1 = 4', hint: 'use ⌊(n − k)/s⌋ + 1' };
    const right = checkAnswer(4, 4, explain);
    expect(right.ok).to.equal(true);
    expect(right.text).to.contain('Right').and.contain('(10 − 1)/3 + 1 = 4');
    const wrong = checkAnswer(3, 4, explain);
    expect(wrong.ok).to.equal(false);
    expect(wrong.text).to.contain('Not quite').and.contain('⌊(n − k)/s⌋').and.not.contain('= 4');
    const none = checkAnswer(undefined, 4, explain);
    expect(none.ok).to.equal(null);
    expect(none.text).to.contain('No answer yet');
    const bundle = (right as any)[Symbol.for('Jupyter.display')]();
    expect(bundle['text/plain']).to.equal(right.text);
    expect(bundle['text/html']).to.contain('#1a7f37');
  });

  it('speaks the notebook language', () => {
    setLocale('zh');
    expect(checkAnswer(4, 4, { why: { en: 'because', zh: '因为' } }).text).to.equal('✓ 正确： 因为');
    expect(checkAnswer(null, 4, { why: 'x' }).text).to.contain('还没有答案');
  });
});
