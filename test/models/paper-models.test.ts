import { expect } from 'chai';
import { alexnet, alexnetPaper, convnetjsCifar10 } from '../../src/models';
import { outputSize } from '../../src/ops/shape';
import { randn, seed } from '../../src/tensor';

describe('models: AlexNet as in the paper, and the ConvNetJS CIFAR-10 network', () => {
  it('paper AlexNet: 96 kernels, two-GPU groups, 60,965,224 parameters (torchvision: 61,100,840)', () => {
    const paper = alexnetPaper({ init: false });
    expect(paper.numParameters()).to.equal(60965224);
    expect(alexnet({ init: false }).numParameters()).to.equal(61100840);
    expect(paper.outputShape([2, 3, 227, 227])).to.deep.equal([2, 1000]);
    const conv1 = paper.parameters().find((p) => p.name === '0.0.weight')!;
    expect(conv1.value.shape).to.deep.equal([96, 3, 11, 11]);
    // conv2 sees 48 of the 96 channels: one GPU's half
    expect(paper.parameters().find((p) => p.name === '0.4.weight')!.value.shape).to.deep.equal([256, 48, 5, 5]);
  });

  it('why conv1 gives 55×55: a 227 input, or 224 with padding 2; 224 without padding gives 54', () => {
    expect(outputSize(227, 11, 0, 4)).to.equal(55);
    expect(outputSize(224, 11, 2, 4)).to.equal(55);
    expect(outputSize(224, 11, 0, 4)).to.equal(54);
    expect(() => alexnetPaper({ init: false }).outputShape([1, 3, 224, 224])).to.throw(/expects 9216 input features/);
  });

  it('ConvNetJS CIFAR-10 net: 3 × (5×5 conv p2, ReLU, 2×2 pool) + FC: 32 → 16 → 8 → 4, 22,466 parameters', () => {
    seed(0);
    const net = convnetjsCifar10();
    expect(net.numParameters()).to.equal(3 * 16 * 25 + 16 + 16 * 20 * 25 + 20 + 20 * 20 * 25 + 20 + 320 * 10 + 10);
    expect(net.forward(randn([2, 3, 32, 32])).shape).to.deep.equal([2, 10]);
  });
});
