import { expect } from 'chai';
import { maximum, maximumBackward, multiply, multiplyBackward, subtract, subtractBackward } from '../../src/ops/merge';
import { localResponseNorm, localResponseNormBackward } from '../../src/ops/lrn';
import { tensor, zeros, randn, seed } from '../../src/tensor';

describe('ops/merge: the lecture\'s +, −, ×, max merges', () => {
  const a = tensor([[1, -2, 3], [0.5, 4, -1]]);
  const b = tensor([[2, -2, -1], [0.5, 1, 2]]);
  const dy = tensor([[1, 2, 3], [4, 5, 6]]);

  it('subtract: a − b, gradients dy and −dy', () => {
    expect(subtract(a, b).toArray()).to.deep.equal([[-1, 0, 4], [0, 3, -3]]);
    const [da, db] = subtractBackward(dy);
    expect(da.toArray()).to.deep.equal(dy.toArray());
    expect(db.toArray()).to.deep.equal([[-1, -2, -3], [-4, -5, -6]]);
  });

  it('multiply: a ⊙ b, product rule dy ⊙ b and dy ⊙ a', () => {
    expect(multiply(a, b).toArray()).to.deep.equal([[2, 4, -3], [0.25, 4, -2]]);
    const [da, db] = multiplyBackward(dy, a, b);
    expect(da.toArray()).to.deep.equal([[2, -4, -3], [2, 5, 12]]);
    expect(db.toArray()).to.deep.equal([[1, -4, 9], [2, 20, -6]]);
  });

  it('maximum: the larger input gets dy; a tie splits it in halves (PyTorch)', () => {
    expect(maximum(a, b).toArray()).to.deep.equal([[2, -2, 3], [0.5, 4, 2]]);
    const [da, db] = maximumBackward(dy, a, b);
    expect(da.toArray()).to.deep.equal([[0, 1, 3], [2, 5, 0]]);
    expect(db.toArray()).to.deep.equal([[1, 1, 0], [2, 0, 6]]);
  });

  it('errors name the op and both shapes', () => {
    expect(() => subtract(zeros([2, 3]), zeros([3, 2]))).to.throw(/^subtract: a \[2, 3\] and b \[3, 2\] must have the same shape/);
    expect(() => multiplyBackward(zeros([2]), zeros([3]), zeros([3]))).to.throw(/^multiplyBackward: dy \[2\] and a \[3\] must have the same shape/);
    expect(() => maximum(zeros([1]), null as never)).to.throw(/^maximum: b must be a Tensor, got null/);
  });
});

describe('ops/lrn: the lecture\'s (AlexNet paper\'s) form', () => {
  it("form 'paper' uses α·Σx² (PyTorch's alpha = paper α × n), forward and backward", () => {
    seed(3);
    const x = randn([2, 7, 3, 3]);
    const g = randn([2, 7, 3, 3]);
    const paper = { size: 5, alpha: 1e-2, beta: 0.75, k: 2, form: 'paper' as const };
    const torch = { size: 5, alpha: 5e-2, beta: 0.75, k: 2 };
    expect(Array.from(localResponseNorm(x, paper).data)).to.deep.equal(Array.from(localResponseNorm(x, torch).data));
    expect(Array.from(localResponseNormBackward(g, x, paper).data)).to.deep.equal(Array.from(localResponseNormBackward(g, x, torch).data));
  });

  it('worked by hand: one channel window, y = x / (k + α·Σx²)^β', () => {
    const x = tensor([1, 2, 2]).reshape([1, 3, 1, 1]);
    const y = localResponseNorm(x, { size: 3, alpha: 0.1, beta: 1, k: 1, form: 'paper' });
    // channel 1 sees channels 0..2: Σx² = 9 → 2 / (1 + 0.9)
    expect(y.data[1]).to.be.closeTo(2 / 1.9, 1e-6);
    // channel 0 sees channels 0..1 (zero padding before): Σx² = 5 → 1 / 1.5
    expect(y.data[0]).to.be.closeTo(1 / 1.5, 1e-6);
  });

  it("rejects an unknown form", () => {
    expect(() => localResponseNorm(zeros([1, 2, 1, 1]), { size: 2, form: 'tf' as never })).to.throw(/^localResponseNorm: form must be 'pytorch' or 'paper', got "tf"/);
  });
});
