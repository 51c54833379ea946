import { expect } from 'chai';
import { Add, AvgPool2d, BatchNorm2d, Concat, Conv2d, Flatten, Identity, Linear, LayerConfig, MaxPool2d, Module, ReLU, Sequential, receptiveField, summary } from '../../src/layers';
import { Tensor } from '../../src/tensor';

describe('layers/summary', () => {
  const net = () =>
    new Sequential(
      new Conv2d(3, 8, 3, { padding: 1, bias: false }),
      new BatchNorm2d(8),
      new ReLU(),
      new Add([new Identity(), new Sequential(new Conv2d(8, 8, 3, { padding: 1 }), new ReLU())]),
      new Concat([new Conv2d(8, 4, 1), new MaxPool2d(3, { stride: 1, padding: 1 })]),
    );

  it('walks containers with dotted names, shapes, params and FLOPs from shapes alone', () => {
    const s = summary(net(), [2, 3, 8, 8]);
    expect(s.rows.map((r) => [r.name, r.type, r.depth])).to.deep.equal([
      ['0', 'Conv2d', 0], ['1', 'BatchNorm2d', 0], ['2', 'ReLU', 0],
      ['3', 'Add', 0], ['3.0', 'Identity', 1], ['3.1', 'Sequential', 1], ['3.1.0', 'Conv2d', 2], ['3.1.1', 'ReLU', 2],
      ['4', 'Concat', 0], ['4.0', 'Conv2d', 1], ['4.1', 'MaxPool2d', 1],
    ]);
    expect(s.rows.find((r) => r.name === '4')!.outputShape).to.deep.equal([2, 12, 8, 8]);
    expect(s.rows.find((r) => r.name === '3')!.params).to.equal(8 * 8 * 9 + 8);
    expect(s.rows.find((r) => r.name === '3')!.container).to.equal(true);
    expect(s.rows.find((r) => r.name === '0')!.flops).to.equal(2 * 2 * 8 * 64 * 27);
    expect(s.outputShape).to.deep.equal([2, 12, 8, 8]);
    // Parameters vs buffers (BatchNorm running mean/var are not trained).
    expect(s.trainableParams).to.equal(8 * 27 + 16 + 584 + 36);
    expect(s.nonTrainableParams).to.equal(16);
    expect(s.totalParams).to.equal(s.trainableParams + 16);
    // Leaf rows add up to the totals.
    const leaves = s.rows.filter((r) => !r.container);
    expect(leaves.reduce((n, r) => n + r.params, 0)).to.equal(s.trainableParams);
    expect(leaves.reduce((n, r) => n + r.flops, 0) + 2 * 8 * 64 /* Add's sums */).to.equal(s.totalFlops);
  });

  it('never computes activations', () => {
    /** A layer whose forward would fail: summary must only ask for shapes. */
    class NoForward extends Module {
      readonly type = 'NoForward';
      forward(): Tensor { throw new Error('forward called'); }
      backward(): Tensor { throw new Error('backward called'); }
      outputShape(s: readonly number[]) { return [...s]; }
      config(): LayerConfig { return { type: 'NoForward', args: {} }; }
    }
    const s = summary(new Sequential(new Conv2d(3, 4, 3), new NoForward()), [1, 3, 224, 224]);
    expect(s.rows[1].outputShape).to.deep.equal([1, 4, 222, 222]);
  });

  it('prints a readable table with grouped totals', () => {
    const text = summary(net(), [2, 3, 8, 8]).toString();
    expect(text).to.match(/^Sequential on input \[2, 3, 8, 8\] → \[2, 12, 8, 8\]/);
    expect(text).to.contain('3.1.0 (Conv2d)');
    expect(text).to.match(/Total params: +868\n/);
    expect(text).to.match(/Non-trainable params: +16\n/);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Layer (type)'))!;
    // Right-aligned columns: every body row is as wide as the header.
    for (const l of lines.filter((l) => / \(Conv2d\)/.test(l))) expect(l.length).to.equal(header.length);
  });

  it('propagates shape errors with the layer position', () => {
    expect(() => summary(new Sequential(new Conv2d(3, 4, 3), new Conv2d(5, 4, 3)), [1, 3, 8, 8])).to.throw(/^Conv2d: .*expects 5 input channels.*got shape \[1, 4, 6, 6\] \(at layer '1'\)/);
  });
});

describe('layers/receptiveField', () => {
  const conv = (k: number, opts = {}) => new Conv2d(1, 1, k, opts);

  it('two stacked 3×3 convs see 5×5 with 18 weights (vs 25 for one 5×5)', () => {
    const two = receptiveField([conv(3), conv(3)]);
    expect(two.receptiveField).to.deep.equal([5, 5]);
    expect(two.weightsPerChannelPair).to.equal(18);
    const one = receptiveField([conv(5)]);
    expect(one.receptiveField).to.deep.equal([5, 5]);
    expect(one.weightsPerChannelPair).to.equal(25);
  });

  it('three stacked 3×3 convs see 7×7 with 27 weights (vs 49 for one 7×7)', () => {
    const three = receptiveField(new Sequential(conv(3), new ReLU(), conv(3), new ReLU(), conv(3)));
    expect(three.receptiveField).to.deep.equal([7, 7]);
    expect(three.weightsPerChannelPair).to.equal(27);
    expect(receptiveField([conv(7)]).weightsPerChannelPair).to.equal(49);
    expect(three.rows.map((r) => r.receptiveField![0])).to.deep.equal([3, 3, 5, 5, 7]);
  });

  it('strides multiply the jump; dilation widens the kernel; start tracks the first centre', () => {
    // LeNet: conv5, pool2, conv5, pool2 → 16 px, jump 4.
    const r = receptiveField([new Conv2d(1, 6, 5, { padding: 2 }), new MaxPool2d(2), new Conv2d(6, 16, 5), new MaxPool2d(2)]);
    expect(r.rows.map((x) => x.receptiveField![0])).to.deep.equal([5, 6, 14, 16]);
    expect(r.rows.map((x) => x.jump[0])).to.deep.equal([1, 2, 2, 4]);
    // conv pad 2 keeps centre 0.5; pool 2 → 1; conv5 (no pad) → 1 + 2·2 = 5; pool → 6.
    expect(r.rows.map((x) => x.start[0])).to.deep.equal([0.5, 1, 5, 6]);
    expect(receptiveField([conv(3, { dilation: 2 }), conv(3, { dilation: 4 })]).receptiveField).to.deep.equal([13, 13]); // 1 + 4 + 8
    expect(receptiveField([new AvgPool2d([2, 4])]).receptiveField).to.deep.equal([2, 4]);
  });

  it("merge containers take the largest branch field; Linear/Flatten see the whole input", () => {
    const inception = new Concat([conv(1), conv(3, { padding: 1 }), new Sequential(conv(3, { padding: 1 }), conv(3, { padding: 1 }))]);
    expect(receptiveField([conv(3), inception]).receptiveField).to.deep.equal([7, 7]);
    const head = receptiveField([conv(3), new Flatten(), new Linear(4, 2)]);
    expect(head.receptiveField).to.equal(null);
    expect(head.rows.map((x) => x.receptiveField)).to.deep.equal([[3, 3], null, null]);
    expect(head.toString()).to.contain('whole input');
    expect(() => receptiveField([new Add([new Identity(), conv(3, { stride: 2 })])])).to.throw(/^receptiveField: Add '0' merges branches with different strides/);
    const text = receptiveField([conv(3), new MaxPool2d(2)]).toString();
    expect(text.split('\n')[0]).to.match(/^layer +type +kernel +stride +receptive field +jump +start$/);
  });
});
