/** Model builders reject misspelt options (`lenet5({ activaton: 'tanh' })` would build a ReLU net). */
import { expect } from 'chai';
import { alexnet, alexnetPaper, convnetjsCifar10, lenet5, vgg16, xoNet } from '../../src/models';

const any = (o: unknown): never => o as never;
const CLASSIFIER = 'rng, init, numClasses, dropout';

describe('models: options are checked by name', () => {
  const cases: [string, (o: never) => unknown, object, string, string, string?][] = [
    ['lenet5', (o) => lenet5(o), { activaton: 'tanh' }, 'activaton', 'rng, init, activation', 'activation'],
    ['alexnet', (o) => alexnet(o), { numClass: 10, init: false }, 'numClass', CLASSIFIER, 'numClasses'],
    ['alexnetPaper', (o) => alexnetPaper(o), { classes: 10, init: false }, 'classes', CLASSIFIER],
    ['vgg16', (o) => vgg16(o), { dropOut: 0.2, init: false }, 'dropOut', CLASSIFIER, 'dropout'],
    ['convnetjsCifar10', (o) => convnetjsCifar10(o), { initialise: false }, 'initialise', 'rng, init'],
    ['xoNet', (o) => xoNet(o), { trainable: false }, 'trainable', 'trainableFeatures, rng', 'trainableFeatures'],
  ];
  for (const [op, run, typo, bad, known, guess] of cases) {
    it(`${op}: rejects '${bad}'`, () => {
      const hint = guess ? `; did you mean '${guess}'?` : '';
      expect(() => run(any(typo))).to.throw(Error).with.property('message', `${op}: unknown option '${bad}' (known: ${known})${hint}`);
    });
  }

  it('the right options still build (lenet5 tanh, xoNet frozen, small classifiers without init)', () => {
    expect(lenet5({ activation: 'tanh' }).outputShape([1, 1, 28, 28])).to.deep.equal([1, 10]);
    expect(xoNet({ trainableFeatures: false }).outputShape([1, 1, 9, 9])).to.deep.equal([1, 2]);
    expect(alexnet({ numClasses: 10, dropout: 0.2, init: false }).outputShape([1, 3, 224, 224])).to.deep.equal([1, 10]);
    expect(convnetjsCifar10({ init: false }).outputShape([1, 3, 32, 32])).to.deep.equal([1, 10]);
  });
});
