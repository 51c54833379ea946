/** The layer table (src/layers/table.ts): one entry per layer type, and every reader agrees with the layers. */
import { expect } from 'chai';
import {
  AdaptiveAvgPool2d, Add, AvgPool2d, BatchNorm2d, Concat, Conv2d, Dropout, Flatten, Frozen, GlobalAvgPool2d, Identity,
  LAYER_TYPES, LayerType, LeakyReLU, Linear, LocalResponseNorm, MaxPool2d, Module, ReLU, Sequential, Sigmoid, Tanh,
  layerFromConfig, layerParams, layerRole, receptiveField, summary,
} from '../../src/layers';
import { alexnet, lenet5, vgg16, xoNet } from '../../src/models';
import { randn, seed } from '../../src/tensor';

/** One example of every table type, with non-default arguments where it has any. */
function examples(): Record<LayerType, Module> {
  return {
    Conv2d: new Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }),
    Linear: new Linear(7, 3, { bias: false }),
    MaxPool2d: new MaxPool2d(3, { stride: 2, padding: 1, dilation: 1, ceilMode: true }),
    AvgPool2d: new AvgPool2d([2, 3], { padding: [1, 1], countIncludePad: false }),
    GlobalAvgPool2d: new GlobalAvgPool2d(),
    AdaptiveAvgPool2d: new AdaptiveAvgPool2d(2),
    ReLU: new ReLU(),
    LeakyReLU: new LeakyReLU(0.2),
    Sigmoid: new Sigmoid(),
    Tanh: new Tanh(),
    Flatten: new Flatten(),
    Identity: new Identity(),
    Dropout: new Dropout(0.3),
    BatchNorm2d: new BatchNorm2d(5, { eps: 1e-3, momentum: 0.2 }),
    LocalResponseNorm: new LocalResponseNorm(3, { alpha: 2e-4, beta: 0.5, k: 2 }),
    Sequential: new Sequential(new Conv2d(1, 2, 3), new ReLU()),
    Concat: new Concat([new Conv2d(2, 3, 1), new Identity()]),
    Add: new Add([new Identity(), new Conv2d(2, 2, 3, { padding: 1 })]),
    Frozen: new Frozen(new Conv2d(1, 2, 3)),
  };
}

describe('layers/table', () => {
  it('has an entry for every layer type, and config → layerFromConfig → config is the identity', () => {
    seed(1);
    const ex = examples();
    expect([...LAYER_TYPES].sort()).to.deep.equal(Object.keys(ex).sort());
    for (const [type, m] of Object.entries(ex)) {
      const c = m.config();
      expect(c.type, type).to.equal(type);
      const rebuilt = layerFromConfig(JSON.parse(JSON.stringify(c)));
      expect(rebuilt.type).to.equal(type);
      expect(rebuilt.config(), type).to.deep.equal(c);
      expect(rebuilt.toString(), type).to.equal(m.toString());
    }
  });

  it('parameter counts from the config alone equal numParameters(), for every type and every builder', () => {
    for (const [type, m] of Object.entries(examples())) expect(layerParams(m.config()), type).to.equal(m.numParameters());
    // Conv2d(4, 6, 3×2, groups 2): 6·(4/2)·3·2 + 6 = 78.
    expect(layerParams(new Conv2d(4, 6, [3, 2], { groups: 2 }).config())).to.equal(78);
    expect(layerParams(lenet5({ init: false }).config())).to.equal(61706);
    expect(layerParams(alexnet({ init: false }).config())).to.equal(61100840);
    expect(layerParams(vgg16({ init: false }).config())).to.equal(138357544);
    expect(layerParams(xoNet({ trainableFeatures: false }).config())).to.equal(xoNet({ trainableFeatures: false }).numParameters());
    expect(summary(vgg16({ init: false }), [1, 3, 224, 224]).trainableParams).to.equal(138357544);
  });

  it('roles: windows carry resolved geometry; activations, norms and dropout pass through; heads are global', () => {
    const ex = examples();
    expect(layerRole(ex.Conv2d)).to.deep.equal({ kind: 'window', weights: true, window: { kernel: [3, 2], stride: [2, 1], padding: 1, dilation: [1, 2], ceilMode: false } });
    expect(layerRole(ex.MaxPool2d)).to.deep.equal({ kind: 'window', weights: false, window: { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], ceilMode: true } });
    expect(layerRole(new AvgPool2d(2))).to.deep.include({ kind: 'window' }).and.nested.include({ 'window.stride': [2, 2] });
    for (const t of ['ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'Identity', 'Dropout', 'BatchNorm2d', 'LocalResponseNorm'] as const) expect(layerRole(ex[t]).kind, t).to.equal('pass');
    for (const t of ['Linear', 'Flatten', 'GlobalAvgPool2d', 'AdaptiveAvgPool2d'] as const) expect(layerRole(ex[t]).kind, t).to.equal('global');
    expect(layerRole(ex.Sequential).kind).to.equal('chain');
    expect(layerRole(ex.Frozen).kind).to.equal('chain');
    expect(layerRole(ex.Add).kind).to.equal('branches');
    expect(() => layerRole({ config: () => ({ type: 'Softmax2d', args: {} }) }, 'receptiveField')).to.throw(/^receptiveField: unknown layer type "Softmax2d"; known: Conv2d, /);
  });

  it('MaxPool2d/AvgPool2d reject padding > ⌊k_eff/2⌋ at construction, so outputShape and forward agree', () => {
    expect(() => new MaxPool2d(2, { padding: 2 })).to.throw(/^MaxPool2d: padding 2 along H must be at most half the kernel size 2, i.e. ≤ 1$/);
    expect(() => new AvgPool2d(3, { padding: [1, 2] })).to.throw(/^AvgPool2d: padding 2 along W must be at most half the kernel size 3, i.e. ≤ 1$/);
    // Dilation widens the window: k 2, d 3 → k_eff 4, so padding 2 is allowed.
    const dilated = new MaxPool2d(2, { padding: 2, dilation: 3 });
    expect(dilated.outputShape([1, 1, 8, 8])).to.deep.equal(dilated.forward(randn([1, 1, 8, 8])).shape);
    const ok = new MaxPool2d(2, { padding: 1 });
    expect(ok.outputShape([1, 1, 8, 8])).to.deep.equal([1, 1, 5, 5]);
    expect(ok.forward(randn([1, 1, 8, 8])).shape).to.deep.equal([1, 1, 5, 5]);
    expect(() => layerFromConfig({ type: 'MaxPool2d', args: { kernelSize: 2, padding: 2 } })).to.throw(/^buildFromConfig: model \(MaxPool2d\): MaxPool2d: padding 2/);
  });

  it('Frozen is a chain to the receptive-field engine (its conv counts)', () => {
    expect(receptiveField([new Frozen(new Conv2d(1, 1, 3)), new Conv2d(1, 1, 3)]).receptiveField).to.deep.equal([5, 5]);
  });
});
