import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { drawModel, modelGraphDot } from '../../src/graph';
import { Add, Concat, Conv2d, Flatten, Identity, LayerConfig, Linear, MaxPool2d, Module, Parameter, ReLU, Sequential } from '../../src/layers';
import { Tensor, ones, randn, seed, tensor, zeros } from '../../src/tensor';
import { expectDrawnPng } from './helpers';

/** A test-only layer with gradients we choose: ‖∇‖₂ of [3, 4] is exactly 5. */
class Fixed extends Module {
  readonly type = 'Fixed';
  readonly w: Parameter = { name: 'weight', value: zeros([2]), grad: tensor([3, 4]) };
  forward(x: Tensor): Tensor {
    return x;
  }
  backward(dy: Tensor): Tensor {
    return dy;
  }
  outputShape(s: readonly number[]): number[] {
    return [...s];
  }
  config(): LayerConfig {
    return { type: 'Fixed', args: {} };
  }
  override parameters(): Parameter[] {
    return [this.w];
  }
}

function lenet(): Sequential {
  return new Sequential(
    new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(256, 120), new ReLU(), new Linear(120, 10),
  );
}

describe('graph: drawModel', () => {
  it('draws a Sequential layer by layer with output shapes and parameter counts', async () => {
    const view = await drawModel(lenet(), [1, 1, 28, 28], { title: 'LeNet-5' });
    expect(view.text.split('\n')).to.deep.equal([
      'input [1, 1, 28, 28]',
      'Conv2d 1→6 k=5 → [1, 6, 24, 24]  156 params',
      'ReLU → [1, 6, 24, 24]',
      'MaxPool2d k=2 s=2 → [1, 6, 12, 12]',
      'Conv2d 6→16 k=5 → [1, 16, 8, 8]  2,416 params',
      'ReLU → [1, 16, 8, 8]',
      'MaxPool2d k=2 s=2 → [1, 16, 4, 4]',
      'Flatten → [1, 256]',
      'Linear 256→120 → [1, 120]  30,840 params', // 256·120 + 120
      'ReLU → [1, 120]',
      'Linear 120→10 → [1, 10]  1,210 params',
      'output [1, 10], 34,622 parameters',
    ]);
    // 10 layers + input + output, chained by 11 data edges, plus 4 dashed parameter edges.
    expect(view.dot.match(/^\s*m\d+ \[/gm)).to.have.length(10);
    expect(view.dot.match(/ -> m\d+;$/gm)).to.have.length(10);
    expect(view.dot.match(/style=dashed/g)).to.have.length(4);
    expect(view.dot).to.contain('weight [6, 1, 5, 5]').and.contain('bias [120]');
    expect(view.dot).not.to.contain('‖∇‖₂'); // no backward yet
    const bundle = view[DISPLAY]();
    expect(bundle['text/html']).to.match(/<img [^>]*src="data:image\/svg\+xml;base64,/);
    await expectDrawnPng(Buffer.from(bundle['image/png'] as string, 'base64'), 'LeNet drawing');
  });

  it('shows ‖∇W‖₂ after a backward pass', async () => {
    seed(3);
    const net = lenet();
    net.forward(randn([2, 1, 28, 28]));
    net.backward(ones([2, 10]));
    const { dot, text } = modelGraphDot(net, [2, 1, 28, 28]);
    const conv = net.layers[0] as Conv2d;
    let s = 0;
    for (const g of conv.weight.grad.data) s += g * g;
    expect(s).to.be.greaterThan(0);
    expect(dot).to.contain(`‖∇‖₂ = ${Math.sqrt(s).toPrecision(4)}`);
    expect(text).to.contain(`‖∇weight‖₂ = ${Math.sqrt(s).toPrecision(4)}`);
    expect(dot.match(/‖∇‖₂ = /g)).to.have.length(8); // weight and bias of 4 layers

    const fixed = modelGraphDot(new Sequential(new Fixed()), [1, 2], { showGrad: true });
    expect(fixed.dot).to.contain('‖∇‖₂ = 5.000');
    expect(modelGraphDot(new Sequential(new Fixed()), [1, 2], { showGrad: false }).dot).not.to.contain('‖∇‖₂');
  });

  it('draws Concat and Add branches fanning out from one input and merging', async () => {
    const net = new Sequential(
      new Conv2d(3, 8, 3, { padding: 1 }),
      new Concat([new Conv2d(8, 4, 1), new Sequential(new Conv2d(8, 4, 1), new ReLU(), new Conv2d(4, 6, 3, { padding: 1 }))]),
      new Add([new Identity(), new Conv2d(10, 10, 3, { padding: 1 })]),
    );
    const view = await drawModel(net, [1, 3, 8, 8], { rankdir: 'LR' });
    const { dot } = view;
    expect(dot).to.contain('rankdir=LR');
    expect(dot).to.contain('label="Concat"').and.contain('label="Add"').and.contain('label="Sequential"');
    expect(dot).to.contain('Concat (channels)</b><br/>[1, 10, 8, 8]').and.contain('Add (+)</b><br/>[1, 10, 8, 8]');
    // The first conv (m0) feeds both Concat branches; the Concat node feeds both Add branches.
    const from = (id: string) => [...dot.matchAll(new RegExp(`^\\s*${id} -> (m\\d+);$`, 'gm'))].map((m) => m[1]);
    expect(from('m0')).to.have.length(2);
    const concatId = /^\s*(m\d+) \[.*Concat \(channels\)/m.exec(dot)![1];
    expect(from(concatId)).to.have.length(2);
    expect(view.text).to.contain('output [1, 10, 8, 8], 1,428 parameters');
    await expectDrawnPng(view.png, 'Inception/residual drawing');
  });

  it('names itself in errors', () => {
    expect(() => modelGraphDot(lenet(), [1, 1, 0, 28])).to.throw(/^drawModel: inputShape must be a list of positive integers/);
    expect(() => modelGraphDot(lenet(), [1, 3, 28, 28])).to.throw(/conv2d|Conv2d/);
  });
});
