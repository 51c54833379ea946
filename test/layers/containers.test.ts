import { expect } from 'chai';
import { Add, Concat, Conv2d, Flatten, Identity, Linear, MaxPool2d, ReLU, Sequential, Tanh } from '../../src/layers';
import { add, concat, conv2d, conv2dBackward, flatten, flattenBackward, linear, linearBackward, maxPool2dBackward, maxPool2dWithIndices, relu, reluBackward } from '../../src/ops';
import { Rng, Tensor, randn, zeros } from '../../src/tensor';

function close(a: Tensor, b: Tensor, tol = 1e-5): void {
  expect(a.shape).to.deep.equal(b.shape);
  a.data.forEach((v, i) => expect(v, `element ${i}`).to.be.closeTo(b.data[i], tol * (1 + Math.abs(b.data[i]))));
}

describe('layers/Sequential', () => {
  const rng = new Rng(1);
  const build = () =>
    new Sequential(new Conv2d(2, 3, 3, { padding: 1, rng }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(12, 4, { rng }));

  it('forward equals the ops chained by hand; backward equals their backwards in reverse', () => {
    const net = build();
    const [conv, , , , fc] = net.layers as [Conv2d, ReLU, MaxPool2d, Flatten, Linear];
    const x = randn([2, 2, 4, 4], { rng });
    // Forward by hand.
    const a1 = conv2d(x, conv.weight.value, conv.bias!.value, { padding: 1 });
    const a2 = relu(a1);
    const { y: a3, indices } = maxPool2dWithIndices(a2, { kernelSize: 2 });
    const a4 = flatten(a3);
    const a5 = linear(a4, fc.weight.value, fc.bias!.value);
    const y = net.forward(x);
    expect(y.toList()).to.deep.equal(a5.toList());
    // Backward by hand, in reverse.
    const dy = randn(y.shape, { rng });
    const g5 = linearBackward(dy, a4, fc.weight.value);
    const g4 = flattenBackward(g5.dx, a3);
    const g3 = maxPool2dBackward(g4, a2, { kernelSize: 2 }, indices);
    const g2 = reluBackward(g3, a1);
    const g1 = conv2dBackward(g2, x, conv.weight.value, { padding: 1 });
    const dx = net.backward(dy);
    expect(dx.toList()).to.deep.equal(g1.dx.toList());
    expect(conv.weight.grad.toList()).to.deep.equal(g1.dw.toList());
    expect(fc.weight.grad.toList()).to.deep.equal(g5.dw.toList());
  });

  it("names children '0', '1', … and parameters '0.weight'; the same objects on every call", () => {
    const net = new Sequential(build(), new Tanh(), new Linear(4, 2, { rng }));
    expect(net.parameters().map((p) => p.name)).to.deep.equal(['0.0.weight', '0.0.bias', '0.4.weight', '0.4.bias', '2.weight', '2.bias']);
    expect(net.parameters()[0]).to.equal(net.parameters()[0]);
    expect(net.parameters()[0].value).to.equal((net.layers[0] as Sequential).layers[0].parameters()[0].value);
    expect(net.namedModules().map((e) => e.name)).to.deep.equal(['', '0', '0.0', '0.1', '0.2', '0.3', '0.4', '1', '2']);
    expect(net.numParameters()).to.equal(2 * 3 * 9 + 3 + 12 * 4 + 4 + 4 * 2 + 2);
  });

  it('add() appends and chains; layers is the array; empty Sequential is the identity', () => {
    const net = new Sequential().add(new ReLU()).add(new Tanh());
    expect(net.layers.map((l) => l.type)).to.deep.equal(['ReLU', 'Tanh']);
    const x = randn([3], { rng });
    expect(new Sequential().forward(x)).to.equal(x);
    expect(() => new Sequential().add({} as ReLU)).to.throw(/^Sequential.add: expected a Module/);
  });

  it('zeroGrad clears every parameter; two backward calls double the grads (accumulation)', () => {
    const net = build();
    const x = randn([2, 2, 4, 4], { rng });
    const dy = randn([2, 4], { rng });
    net.forward(x);
    net.backward(dy);
    const once = net.parameters().map((p) => p.grad.clone());
    net.backward(dy);
    net.parameters().forEach((p, i) => {
      const twice = new Tensor(once[i].data.map((v) => 2 * v), once[i].shape);
      close(p.grad, twice);
    });
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad.data.every((v) => v === 0))).to.equal(true);
  });

  it('errors name the layer, the shapes and the position in the model', () => {
    const net = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new Sequential(new Conv2d(6, 16, 5), new Conv2d(8, 4, 3)));
    expect(() => net.outputShape([1, 1, 28, 28])).to.throw(/^Conv2d: Conv2d\(.*\) expects 8 input channels \[N, 8, H, W\], got shape \[1, 16, 20, 20\] \(at layer '2\.1'\)$/);
    expect(() => net.forward(randn([1, 3, 28, 28]))).to.throw(/^Conv2d: .*expects 1 input channels \[N, 1, H, W\], got shape \[1, 3, 28, 28\] \(at layer '0'\)$/);
    expect(() => build().backward(randn([2, 4]))).to.throw(/^Sequential.backward: called before forward/);
  });

  it('config() nests children with type Sequential; flops sum the layers', () => {
    const net = new Sequential(new Conv2d(1, 2, 3), new Sequential(new ReLU()));
    expect(net.config()).to.deep.equal({
      type: 'Sequential',
      args: {},
      children: [new Conv2d(1, 2, 3).config(), { type: 'Sequential', args: {}, children: [{ type: 'ReLU', args: {} }] }],
    });
    expect(net.flops([1, 1, 5, 5])).to.equal(2 * 2 * 9 * 9 + 2 * 9);
    expect(net.toString()).to.match(/^Sequential\(\n  \(0\): Conv2d\(.*\)\n  \(1\): Sequential\(\n    \(0\): ReLU\(\)\n  \)\n\)$/);
  });
});

describe('layers/Concat and Add', () => {
  const rng = new Rng(2);

  it('Concat runs every branch on x, concatenates channels, splits dy and SUMS the branch dx', () => {
    const a = new Conv2d(2, 3, 1, { rng });
    const b = new Conv2d(2, 4, 3, { padding: 1, rng });
    const cat = new Concat([a, b, new Identity()]);
    const x = randn([2, 2, 4, 4], { rng });
    const y = cat.forward(x);
    expect(y.shape).to.deep.equal([2, 9, 4, 4]);
    expect(cat.outputShape([2, 2, 4, 4])).to.deep.equal([2, 9, 4, 4]);
    const ya = conv2d(x, a.weight.value, a.bias!.value);
    const yb = conv2d(x, b.weight.value, b.bias!.value, { padding: 1 });
    expect(y.toList()).to.deep.equal(concat([ya, yb, x], 1).toList());
    const dy = randn(y.shape, { rng });
    // Slice dy by channels by hand.
    const slice = (c0: number, c1: number) => {
      const t = zeros([2, c1 - c0, 4, 4]);
      for (let n = 0; n < 2; n++) for (let c = c0; c < c1; c++) for (let i = 0; i < 16; i++) t.data[(n * (c1 - c0) + c - c0) * 16 + i] = dy.data[(n * 9 + c) * 16 + i];
      return t;
    };
    const ga = conv2dBackward(slice(0, 3), x, a.weight.value);
    const gb = conv2dBackward(slice(3, 7), x, b.weight.value, { padding: 1 });
    const expected = add(add(ga.dx, gb.dx), slice(7, 9));
    close(cat.backward(dy), expected);
    expect(b.weight.grad.toList()).to.deep.equal(gb.dw.toList());
    expect(cat.config().type).to.equal('Concat');
    expect(cat.config().children!.map((c) => c.type)).to.deep.equal(['Conv2d', 'Conv2d', 'Identity']);
    expect(cat.parameters().map((p) => p.name)).to.deep.equal(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('residual Add([Identity, block]): y = x + block(x), dx = dy + block.backward(dy)', () => {
    const conv = new Conv2d(3, 3, 3, { padding: 'same', rng });
    const res = new Add([new Identity(), conv]);
    const x = randn([1, 3, 5, 5], { rng });
    const y = res.forward(x);
    close(y, add(x, conv2d(x, conv.weight.value, conv.bias!.value, { padding: 'same' })));
    const dy = randn(y.shape, { rng });
    const g = conv2dBackward(dy, x, conv.weight.value, { padding: 'same' });
    close(res.backward(dy), add(dy, g.dx));
    expect(res.config().type).to.equal('Add');
    expect(res.flops([1, 3, 5, 5])).to.equal(conv.flops([1, 3, 5, 5]) + 75);
  });

  it('shape mismatches between branches are clear errors', () => {
    expect(() => new Concat([new Conv2d(2, 3, 1), new Conv2d(2, 3, 3)]).outputShape([1, 2, 5, 5])).to.throw(
      /^Concat: branch outputs must match except in channels \(axis 1\): branch 0 gives \[1, 3, 5, 5\], branch 1 gives \[1, 3, 3, 3\]/,
    );
    expect(() => new Add([new Identity(), new Conv2d(2, 4, 1)]).outputShape([1, 2, 5, 5])).to.throw(/^Add: branch outputs must have the same shape: branch 0 gives \[1, 2, 5, 5\], branch 1 gives \[1, 4, 5, 5\]/);
    expect(() => new Add([])).to.throw(/^Add: needs a non-empty array of branch modules/);
    expect(() => new Concat([new Identity()]).backward(randn([1]))).to.throw(/^Concat.backward: called before forward/);
  });
});
