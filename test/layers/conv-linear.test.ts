import { expect } from 'chai';
import { Conv2d, Linear, kaimingUniformBound } from '../../src/layers';
import { conv2d, conv2dBackward, linear, linearBackward } from '../../src/ops';
import { Rng, randn, seed } from '../../src/tensor';

describe('layers/Conv2d', () => {
  it('course quiz: Conv2d(3, 10, 5, padding 2) on [1, 3, 32, 32] → [1, 10, 32, 32] with 760 params', () => {
    const conv = new Conv2d(3, 10, 5, { padding: 2 });
    expect(conv.outputShape([1, 3, 32, 32])).to.deep.equal([1, 10, 32, 32]);
    expect(conv.numParameters()).to.equal(760); // 10·3·5·5 + 10
    expect(conv.forward(randn([1, 3, 32, 32])).shape).to.deep.equal([1, 10, 32, 32]);
  });

  it("course quiz: Conv2d(3, 64, 5, padding 'same') keeps 32×32", () => {
    const conv = new Conv2d(3, 64, 5, { padding: 'same' });
    expect(conv.outputShape([1, 3, 32, 32])).to.deep.equal([1, 64, 32, 32]);
    expect(conv.numParameters()).to.equal(64 * 3 * 25 + 64);
  });

  it('shapes with stride, dilation, groups and no bias', () => {
    expect(new Conv2d(3, 8, 3, { stride: 2 }).outputShape([2, 3, 7, 7])).to.deep.equal([2, 8, 3, 3]);
    expect(new Conv2d(3, 8, 3, { stride: 2, padding: 'same' }).outputShape([2, 3, 7, 7])).to.deep.equal([2, 8, 4, 4]);
    expect(new Conv2d(2, 2, 3, { dilation: 2 }).outputShape([1, 2, 9, 9])).to.deep.equal([1, 2, 5, 5]);
    const g = new Conv2d(4, 6, 3, { groups: 2, bias: false });
    expect(g.weight.value.shape).to.deep.equal([6, 2, 3, 3]);
    expect(g.bias).to.equal(null);
    expect(g.parameters().map((p) => p.name)).to.deep.equal(['weight']);
  });

  it('forward and backward equal the ops called directly; grads accumulate', () => {
    const rng = new Rng(1);
    const opts = { stride: 2, padding: 'same' as const, groups: 2 };
    const conv = new Conv2d(4, 6, 3, { ...opts, rng });
    const x = randn([2, 4, 7, 7], { rng });
    const y = conv.forward(x);
    expect(y.toList()).to.deep.equal(conv2d(x, conv.weight.value, conv.bias!.value, opts).toList());
    const dy = randn(y.shape, { rng });
    const ref = conv2dBackward(dy, x, conv.weight.value, opts);
    const dx = conv.backward(dy);
    expect(dx.toList()).to.deep.equal(ref.dx.toList());
    expect(conv.weight.grad.toList()).to.deep.equal(ref.dw.toList());
    expect(conv.bias!.grad.toList()).to.deep.equal(ref.db.toList());
    conv.backward(dy);
    conv.weight.grad.data.forEach((v, i) => expect(v).to.be.closeTo(2 * ref.dw.data[i], 1e-5 * (1 + Math.abs(v))));
    conv.zeroGrad();
    expect(conv.weight.grad.data.every((v) => v === 0) && conv.bias!.grad.data.every((v) => v === 0)).to.equal(true);
  });

  it("initialises like PyTorch: weight, bias ~ U(−1/√fan_in, 1/√fan_in), fan_in = Cin/groups·KH·KW", () => {
    expect(kaimingUniformBound(75)).to.be.closeTo(1 / Math.sqrt(75), 1e-15);
    const conv = new Conv2d(8, 64, 3, { groups: 2, rng: new Rng(2) });
    const bound = 1 / Math.sqrt(4 * 9);
    const w = conv.weight.value.data;
    let mean = 0;
    for (const v of w) {
      expect(Math.abs(v)).to.be.at.most(bound);
      mean += v / w.length;
    }
    expect(Math.max(...w)).to.be.greaterThan(0.95 * bound);
    expect(Math.min(...w)).to.be.lessThan(-0.95 * bound);
    expect(Math.abs(mean)).to.be.lessThan(0.05 * bound);
    // Variance of U(−b, b) is b²/3.
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).to.be.closeTo((bound * bound) / 3, 0.1 * (bound * bound) / 3);
    for (const v of conv.bias!.value.data) expect(Math.abs(v)).to.be.at.most(bound);
  });

  it('seeded init is reproducible and differs across seeds', () => {
    seed(7);
    const a = new Conv2d(3, 4, 3).weight.value.toList();
    seed(7);
    expect(new Conv2d(3, 4, 3).weight.value.toList()).to.deep.equal(a);
    // seed(7) resets the default generator to new Rng(7): passing one explicitly draws the same weights.
    expect(new Conv2d(3, 4, 3, { rng: new Rng(7) }).weight.value.toList()).to.deep.equal(a);
    seed(8);
    expect(new Conv2d(3, 4, 3).weight.value.toList()).to.not.deep.equal(a);
    expect(new Conv2d(3, 4, 3, { init: false }).weight.value.toList().every((v) => v === 0)).to.equal(true);
  });

  it('counts FLOPs as 2 · output elements · taps per output', () => {
    // LeNet-5's first conv: 2 · 6·28·28 · 1·5·5.
    expect(new Conv2d(1, 6, 5, { padding: 2 }).flops([1, 1, 28, 28])).to.equal(235200);
    expect(new Conv2d(4, 6, 3, { groups: 2 }).flops([2, 4, 5, 5])).to.equal(2 * 2 * 6 * 3 * 3 * 2 * 9);
  });

  it('prints like PyTorch, defaults omitted', () => {
    expect(new Conv2d(3, 10, 5, { padding: 2 }).toString()).to.equal('Conv2d(3, 10, kernel_size=5, padding=2)');
    expect(new Conv2d(4, 6, [3, 2], { stride: 2, padding: 'same', groups: 2, bias: false }).toString()).to.equal("Conv2d(4, 6, kernel_size=(3, 2), stride=2, padding='same', groups=2, bias=false)");
    // Linear keeps Module's generic form (test/train/fit.test.ts matches it in an error message).
    expect(new Linear(400, 120).toString()).to.equal('Linear(inFeatures=400, outFeatures=120, bias=true)');
  });

  it('describes itself for rebuilding and drawing', () => {
    expect(new Conv2d(3, 10, 5, { padding: 2 }).config()).to.deep.equal({
      type: 'Conv2d',
      args: { inChannels: 3, outChannels: 10, kernelSize: [5, 5], stride: [1, 1], padding: 2, dilation: [1, 1], groups: 1, bias: true },
    });
  });

  it('clear errors: wrong channels, backward before forward, bad arguments, kernel too large', () => {
    const conv = new Conv2d(3, 10, 5);
    expect(() => conv.forward(randn([1, 1, 28, 28]))).to.throw(/^Conv2d: Conv2d\(.*\) expects 3 input channels \[N, 3, H, W\], got shape \[1, 1, 28, 28\]/);
    expect(() => conv.outputShape([3, 28, 28])).to.throw(/^Conv2d: .*expects input of rank 4 \[N, 3, H, W\], got shape \[3, 28, 28\]/);
    expect(() => conv.backward(randn([1, 10, 2, 2]))).to.throw(/^Conv2d.backward: called before forward/);
    expect(() => conv.outputShape([1, 3, 4, 4])).to.throw(/^Conv2d: .*does not fit input \[1,3,4,4\]: outputSize: kernel 5 is larger than the padded input 4/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).to.throw(/^Conv2d: groups = 2 must be a positive integer dividing inChannels = 3 and outChannels = 4/);
    expect(() => new Conv2d(0, 4, 3)).to.throw(/^Conv2d: inChannels must be a positive integer, got 0/);
    expect(() => new Conv2d(3, 4, 3, { padding: 'full' as 'same' })).to.throw(/^Conv2d: padding must be a number, \[h, w\], 'valid' or 'same', got 'full'/);
    conv.forward(randn([1, 3, 6, 6]));
    expect(() => conv.backward(randn([1, 10, 3, 3]))).to.throw(/^Conv2d.backward: dy has shape \[1, 10, 3, 3\] but the last forward output had shape \[1, 10, 2, 2\]/);
  });
});

describe('layers/Linear', () => {
  it('forward and backward equal the ops; grads accumulate; zeroGrad', () => {
    const rng = new Rng(3);
    const fc = new Linear(5, 3, { rng });
    const x = randn([4, 5], { rng });
    const y = fc.forward(x);
    expect(y.toList()).to.deep.equal(linear(x, fc.weight.value, fc.bias!.value).toList());
    const dy = randn([4, 3], { rng });
    const ref = linearBackward(dy, x, fc.weight.value);
    expect(fc.backward(dy).toList()).to.deep.equal(ref.dx.toList());
    fc.backward(dy);
    fc.weight.grad.data.forEach((v, i) => expect(v).to.be.closeTo(2 * ref.dw.data[i], 1e-5));
    fc.bias!.grad.data.forEach((v, i) => expect(v).to.be.closeTo(2 * ref.db.data[i], 1e-5));
    fc.zeroGrad();
    expect(fc.weight.grad.data.every((v) => v === 0)).to.equal(true);
  });

  it('has PyTorch shapes, init bound 1/√in, FLOPs 2·N·in·out', () => {
    const fc = new Linear(400, 120, { rng: new Rng(4) });
    expect(fc.weight.value.shape).to.deep.equal([120, 400]);
    expect(fc.numParameters()).to.equal(48120);
    for (const v of fc.weight.value.data) expect(Math.abs(v)).to.be.at.most(1 / 20);
    expect(fc.flops([2, 400])).to.equal(2 * 2 * 400 * 120);
    expect(new Linear(3, 2, { bias: false }).numParameters()).to.equal(6);
  });

  it('clear errors: rank 4 input suggests Flatten, wrong features, backward before forward', () => {
    const fc = new Linear(400, 120);
    expect(() => fc.forward(randn([1, 16, 5, 5]))).to.throw(/^Linear: .*expects input of rank 2 \[N, 400\], got shape \[1, 16, 5, 5\] \(put a Flatten\(\) before it\)/);
    expect(() => fc.outputShape([1, 399])).to.throw(/^Linear: .*expects 400 input features \[N, 400\], got shape \[1, 399\]/);
    expect(() => fc.backward(randn([1, 120]))).to.throw(/^Linear.backward: called before forward/);
  });
});
