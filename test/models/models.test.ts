import { expect } from 'chai';
import { Conv2d, Dropout, Linear, MaxPool2d, ReLU, Sequential, Tanh, summary } from '../../src/layers';
import { VGG16_CFG, alexnet, initParameters, lenet5, vgg16 } from '../../src/models';
import { Rng, Tensor, randn, seed } from '../../src/tensor';

describe('models/lenet5', () => {
  it('has exactly 61,706 parameters with the per-layer counts of the lecture table', () => {
    const net = lenet5({ rng: new Rng(0) });
    expect(net.numParameters()).to.equal(61706);
    const s = summary(net, [1, 1, 28, 28]);
    expect(s.rows.filter((r) => r.params > 0).map((r) => [r.name, r.type, r.params])).to.deep.equal([
      ['0', 'Conv2d', 156], ['3', 'Conv2d', 2416], ['7', 'Linear', 48120], ['9', 'Linear', 10164], ['11', 'Linear', 850],
    ]);
    expect(s.rows.map((r) => r.outputShape)).to.deep.equal([
      [1, 6, 28, 28], [1, 6, 28, 28], [1, 6, 14, 14], [1, 16, 10, 10], [1, 16, 10, 10], [1, 16, 5, 5],
      [1, 400], [1, 120], [1, 120], [1, 84], [1, 84], [1, 10],
    ]);
    // 2·MACs of conv/linear + one op per activation/pool tap (see each layer's flops()).
    expect(s.totalFlops).to.equal(845852);
  });

  it('runs forward [1, 1, 28, 28] → [1, 10] and backward fills every gradient', () => {
    const net = lenet5({ rng: new Rng(1) });
    const y = net.forward(randn([1, 1, 28, 28], { rng: new Rng(2) }));
    expect(y.shape).to.deep.equal([1, 10]);
    const dx = net.backward(randn([1, 10], { rng: new Rng(3) }));
    expect(dx.shape).to.deep.equal([1, 1, 28, 28]);
    for (const p of net.parameters()) expect(p.grad.data.some((v) => v !== 0), p.name).to.equal(true);
  });

  it("activation 'tanh' swaps every ReLU", () => {
    const net = lenet5({ activation: 'tanh', rng: new Rng(4) });
    expect(net.layers.filter((l) => l instanceof Tanh)).to.have.length(4);
    expect(net.layers.filter((l) => l instanceof ReLU)).to.have.length(0);
    expect(() => lenet5({ activation: 'gelu' as 'relu' })).to.throw(/^lenet5: activation must be 'relu' or 'tanh', got "gelu"/);
  });

  it('forward and backward match PyTorch on a deterministic LeNet-5 (reference numbers from torch 2, float64)', () => {
    // Weights, input and projection follow closed formulas, so the same numbers can be set in
    // PyTorch: parameter k (in parameters() order) = 0.2·sin(0.37·i + k + 1); x = sin(0.11·i);
    // L = Σ r ⊙ y with r = cos(0.5·j). Reference: nn.Sequential of the same layers in torch.
    const net = lenet5({ init: false });
    net.parameters().forEach((p, k) => p.value.data.forEach((_, i) => (p.value.data[i] = 0.2 * Math.sin(0.37 * i + k + 1))));
    const x = new Tensor(Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.sin(0.11 * i)), [2, 1, 28, 28]);
    const y = net.forward(x);
    const torchY = [-0.425786457, -1.009379739, -1.476316035, -1.773657661, -1.86804275, -1.749431294, -1.432158319, -0.9531858108, -0.367768521, 0.2569544622, -0.3821776241, -0.9835202838, -1.47109677, -1.789662046, -1.903481663, -1.800343041, -1.492851504, -1.016875577, -0.4273350268, 0.2081701223];
    y.data.forEach((v, i) => expect(v, `y[${i}]`).to.be.closeTo(torchY[i], 1e-5));
    const r = new Tensor(Float32Array.from({ length: 20 }, (_, j) => Math.cos(0.5 * j)), [2, 10]);
    const dx = net.backward(r);
    // Two numbers per gradient: its sum and its projection on sin(0.7·i).
    const proj = (t: Tensor) => t.data.reduce((s, v, i) => s + v * Math.sin(0.7 * i), 0);
    const sum = (t: Tensor) => t.data.reduce((s, v) => s + v, 0);
    expect(proj(dx)).to.be.closeTo(0.038099855879, 1e-5);
    const torchGrads: [string, number, number][] = [
      ['0.weight', 2.66942343729, 1.55534258039],
      ['0.bias', 0.235143367506, 0.117330282596],
      ['3.weight', 39.0790063332, 3.41913740578],
      ['3.bias', 1.20487498737, -0.418029118445],
      ['7.weight', -7.07435067937, -7.38340543873],
      ['7.bias', 1.59456819142, 8.85328111261],
      ['9.weight', -59.7054616511, -1.18425725799],
      ['9.bias', -4.29685259672, -0.577116990986],
      ['11.weight', -3.35834013111, 0.290131149699],
      ['11.bias', -0.145743897117, 7.14578983369],
    ];
    net.parameters().forEach((p, k) => {
      const [name, s, pr] = torchGrads[k];
      expect(p.name).to.equal(name);
      expect(sum(p.grad), `${name} sum`).to.be.closeTo(s, 1e-4 * (1 + Math.abs(s)));
      expect(proj(p.grad), `${name} projection`).to.be.closeTo(pr, 1e-4 * (1 + Math.abs(pr)));
    });
  });

  it('is reproducible under seed(n); initParameters re-draws the same weights from the same seed', () => {
    seed(3);
    const a = lenet5().parameters().map((p) => p.value.toList());
    seed(3);
    expect(lenet5().parameters().map((p) => p.value.toList())).to.deep.equal(a);
    const z = lenet5({ init: false });
    expect(z.parameters().every((p) => p.value.data.every((v) => v === 0))).to.equal(true);
    initParameters(z, new Rng(3));
    expect(z.parameters().map((p) => p.value.toList())).to.deep.equal(a);
  });
});

describe('models/alexnet (torchvision)', () => {
  const net = alexnet({ init: false });

  it('has exactly 61,100,840 parameters', () => {
    expect(net.numParameters()).to.equal(61100840);
  });

  it('maps [1, 3, 224, 224] → features [1, 256, 6, 6] → [1, 1000]', () => {
    const s = summary(net, [1, 3, 224, 224]);
    const shape = (name: string) => s.rows.find((r) => r.name === name)!.outputShape;
    expect(shape('0.0')).to.deep.equal([1, 64, 55, 55]);
    expect(shape('0.2')).to.deep.equal([1, 64, 27, 27]);
    expect(shape('0.5')).to.deep.equal([1, 192, 13, 13]);
    expect(shape('0')).to.deep.equal([1, 256, 6, 6]);
    expect(shape('2')).to.deep.equal([1, 9216]);
    expect(s.outputShape).to.deep.equal([1, 1000]);
    // torchvision's per-layer counts.
    expect(s.rows.filter((r) => r.params > 0 && !r.container).map((r) => r.params)).to.deep.equal([23296, 307392, 663936, 884992, 590080, 37752832, 16781312, 4097000]);
  });

  it('follows torchvision module order (features.3 ↔ 0.3) with dropout before the first two linears', () => {
    const cls = net.layers[3] as Sequential;
    expect(cls.layers.map((l) => l.type)).to.deep.equal(['Dropout', 'Linear', 'ReLU', 'Dropout', 'Linear', 'ReLU', 'Linear']);
    const first = (net.layers[0] as Sequential).layers[0] as Conv2d;
    expect([first.kernelSize, first.stride, first.padding]).to.deep.equal([[11, 11], [4, 4], 2]);
    expect(alexnet({ init: false, numClasses: 10 }).outputShape([2, 3, 224, 224])).to.deep.equal([2, 10]);
    expect((alexnet({ init: false, dropout: 0.3 }).layers[3] as Sequential).layers[0]).to.have.property('p', 0.3);
  });
});

describe('models/vgg16 (torchvision)', () => {
  const net = vgg16({ init: false });

  it('has exactly 138,357,544 parameters in 13 convs and 3 linears', () => {
    expect(net.numParameters()).to.equal(138357544);
    const leaves = net.namedModules().map((e) => e.module);
    expect(leaves.filter((m) => m instanceof Conv2d)).to.have.length(13);
    expect(leaves.filter((m) => m instanceof Linear)).to.have.length(3);
    expect(leaves.filter((m) => m instanceof MaxPool2d)).to.have.length(5);
    expect(leaves.filter((m) => m instanceof Dropout)).to.have.length(2);
    expect(VGG16_CFG.filter((v) => v !== 'M')).to.have.length(13);
  });

  it('summarises [1, 3, 224, 224] instantly: features [1, 512, 7, 7] → [1, 25088] → [1, 1000]', () => {
    const t = Date.now();
    const s = summary(net, [1, 3, 224, 224]);
    expect(Date.now() - t).to.be.lessThan(1000);
    expect(s.rows.find((r) => r.name === '0')!.outputShape).to.deep.equal([1, 512, 7, 7]);
    expect(s.rows.find((r) => r.name === '2')!.outputShape).to.deep.equal([1, 25088]);
    expect(s.rows.find((r) => r.name === '3.0')!.params).to.equal(25088 * 4096 + 4096);
    expect(s.outputShape).to.deep.equal([1, 1000]);
    expect(s.totalParams).to.equal(138357544);
    // ≈ 15.5 G multiply-adds: the figure usually quoted for VGG16.
    expect(s.totalFlops / 2 / 1e9).to.be.closeTo(15.5, 0.1);
  });
});

describe('models: initialised big models', () => {
  it('alexnet() initialises all 61M weights in a few seconds with bounds 1/√fan_in', function () {
    this.timeout(60000);
    // Timing is reported, not asserted: this machine is shared (≈ 1.3 s alone, 61M uniform draws).
    const net = alexnet({ rng: new Rng(0) });
    const conv1 = (net.layers[0] as Sequential).layers[0] as Conv2d;
    const bound = 1 / Math.sqrt(3 * 11 * 11);
    const w = conv1.weight.value.data;
    expect(Math.max(...w)).to.be.within(0.99 * bound, Math.fround(bound));
    expect(Math.min(...w)).to.be.within(-Math.fround(bound), -0.99 * bound);
    const fc = (net.layers[3] as Sequential).layers[1] as Linear;
    let maxAbs = 0;
    for (const v of fc.weight.value.data) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).to.be.within(0.99 / 96, Math.fround(1 / 96)); // fan_in 9216 = 96²
  });
});
