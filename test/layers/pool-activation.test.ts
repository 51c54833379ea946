import { expect } from 'chai';
import { AdaptiveAvgPool2d, AvgPool2d, Flatten, GlobalAvgPool2d, Identity, LeakyReLU, MaxPool2d, Module, ReLU, Sigmoid, Tanh } from '../../src/layers';
import { avgPool2d, avgPool2dBackward, flatten, leakyRelu, leakyReluBackward, maxPool2d, relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from '../../src/ops';
import { Rng, Tensor, ones, randn, tensor } from '../../src/tensor';

describe('layers/pooling', () => {
  it('MaxPool2d 2×2: forward picks the max, backward routes dy to the winner (worked example)', () => {
    const x = tensor([[[[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 9, 8], [7, 6, 3, 2]]]]);
    const pool = new MaxPool2d(2);
    const y = pool.forward(x);
    expect(y.toArray()).to.deep.equal([[[[4, 5], [7, 9]]]]);
    expect(pool.backward(tensor([[[[10, 20], [30, 40]]]])).toArray()).to.deep.equal([[[[0, 0, 0, 0], [10, 0, 0, 20], [0, 0, 40, 0], [30, 0, 0, 0]]]]);
    expect(y.toList()).to.deep.equal(maxPool2d(x, { kernelSize: 2 }).toList());
  });

  it('MaxPool2d shapes follow PyTorch (stride defaults to kernel; ceilMode)', () => {
    expect(new MaxPool2d(2).outputShape([1, 6, 28, 28])).to.deep.equal([1, 6, 14, 14]);
    expect(new MaxPool2d(3, { stride: 2 }).outputShape([1, 64, 55, 55])).to.deep.equal([1, 64, 27, 27]);
    expect(new MaxPool2d(2, { ceilMode: true }).outputShape([1, 1, 5, 5])).to.deep.equal([1, 1, 3, 3]);
    expect(new MaxPool2d(3, { stride: 2 }).flops([1, 1, 5, 5])).to.equal(2 * 2 * 9);
    expect(new MaxPool2d(3, { stride: 2 }).toString()).to.equal('MaxPool2d(kernel_size=3, stride=2)');
    expect(new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }).toString()).to.equal('AvgPool2d(kernel_size=3, stride=2, padding=1, count_include_pad=false)');
    expect(new MaxPool2d(2).config()).to.deep.equal({ type: 'MaxPool2d', args: { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false } });
  });

  it('AvgPool2d equals the op, forward and backward', () => {
    const rng = new Rng(1);
    const opts = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false };
    const pool = new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    const x = randn([2, 3, 6, 6], { rng });
    const y = pool.forward(x);
    expect(y.toList()).to.deep.equal(avgPool2d(x, opts).toList());
    const dy = randn(y.shape, { rng });
    expect(pool.backward(dy).toList()).to.deep.equal(avgPool2dBackward(dy, x, opts).toList());
  });

  it('GlobalAvgPool2d averages each plane: [N, C, H, W] → [N, C, 1, 1]', () => {
    const x = tensor([[[[1, 2], [3, 6]], [[0, 0], [0, 4]]]]);
    const gap = new GlobalAvgPool2d();
    expect(gap.forward(x).toArray()).to.deep.equal([[[[3]], [[1]]]]);
    expect(gap.outputShape([5, 7, 3, 3])).to.deep.equal([5, 7, 1, 1]);
    expect(gap.backward(tensor([[[[4]], [[8]]]])).toArray()).to.deep.equal([[[[1, 1], [1, 1]], [[2, 2], [2, 2]]]]);
  });

  it('AdaptiveAvgPool2d: identity when sizes match, AvgPool2d(H/out) when divisible, clear error otherwise', () => {
    const rng = new Rng(2);
    const x = randn([1, 2, 6, 6], { rng });
    expect(new AdaptiveAvgPool2d(6).forward(x).toList()).to.deep.equal(x.toList());
    const x12 = randn([1, 2, 12, 12], { rng });
    expect(new AdaptiveAvgPool2d(6).forward(x12).toList()).to.deep.equal(avgPool2d(x12, { kernelSize: 2 }).toList());
    expect(() => new AdaptiveAvgPool2d(6).outputShape([1, 2, 13, 13])).to.throw(/^AdaptiveAvgPool2d: .*supports inputs whose H, W are multiples of 6×6, got shape \[1, 2, 13, 13\]/);
  });

  it('pool errors name the layer and the shape', () => {
    expect(() => new MaxPool2d(2).forward(randn([4, 4]))).to.throw(/^MaxPool2d: .*expects input of rank 4 \[N, C, H, W\], got shape \[4, 4\]/);
    expect(() => new MaxPool2d(5).outputShape([1, 1, 3, 3])).to.throw(/^MaxPool2d: .*does not fit input \[1, 1, 3, 3\]/);
    expect(() => new MaxPool2d(2).backward(randn([1, 1, 1, 1]))).to.throw(/^MaxPool2d.backward: called before forward/);
    expect(() => new MaxPool2d(0)).to.throw(/^MaxPool2d: kernelSize must be a positive integer/);
  });
});

describe('layers/activations', () => {
  const rng = new Rng(3);
  const x = randn([2, 3, 4, 4], { rng });
  const dy = randn([2, 3, 4, 4], { rng });
  const cases: [string, () => Module, (x: Tensor) => Tensor, (dy: Tensor, x: Tensor) => Tensor][] = [
    ['ReLU', () => new ReLU(), relu, reluBackward],
    ['LeakyReLU(0.2)', () => new LeakyReLU(0.2), (t) => leakyRelu(t, 0.2), (d, t) => leakyReluBackward(d, t, 0.2)],
    ['Sigmoid', () => new Sigmoid(), sigmoid, sigmoidBackward],
    ['Tanh', () => new Tanh(), tanh, tanhBackward],
  ];
  for (const [name, make, fwd, bwd] of cases) {
    it(`${name} equals its op, forward and backward`, () => {
      const layer = make();
      expect(layer.forward(x).toList()).to.deep.equal(fwd(x).toList());
      expect(layer.backward(dy).toList()).to.deep.equal(bwd(dy, x).toList());
      expect(layer.outputShape([2, 3, 4, 4])).to.deep.equal([2, 3, 4, 4]);
      expect(layer.flops([2, 3, 4, 4])).to.equal(96);
      expect(layer.numParameters()).to.equal(0);
    });
  }

  it('LeakyReLU defaults to slope 0.01 and records it in config', () => {
    expect(new LeakyReLU().forward(tensor([-2, 3])).toList().map((v) => Number(v.toFixed(6)))).to.deep.equal([-0.02, 3]);
    expect(new LeakyReLU(0.3).config()).to.deep.equal({ type: 'LeakyReLU', args: { negativeSlope: 0.3 } });
  });

  it('ReLU backward before forward is a clear error', () => {
    expect(() => new ReLU().backward(ones([2]))).to.throw(/^ReLU.backward: called before forward: ReLU\(\) has no cached input/);
  });
});

describe('layers/Flatten and Identity', () => {
  it('Flatten: [N, C, H, W] → [N, C·H·W] and back', () => {
    const x = randn([2, 16, 5, 5], { rng: new Rng(4) });
    const f = new Flatten();
    const y = f.forward(x);
    expect(y.shape).to.deep.equal([2, 400]);
    expect(y.toList()).to.deep.equal(flatten(x).toList());
    const dx = f.backward(y);
    expect(dx.shape).to.deep.equal([2, 16, 5, 5]);
    expect(dx.toList()).to.deep.equal(x.toList());
    expect(() => f.outputShape([3])).to.throw(/^Flatten: expects input of rank ≥ 2 \[N, …\], got shape \[3\]/);
  });

  it('Identity passes values and gradients through', () => {
    const id = new Identity();
    const x = tensor([1, 2, 3]);
    expect(id.forward(x)).to.equal(x);
    expect(id.backward(x)).to.equal(x);
    expect(() => new Identity().backward(x)).to.throw(/^Identity.backward: called before forward/);
  });
});
