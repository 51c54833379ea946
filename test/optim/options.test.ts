/** Optimizers, makeOptimizer and the lr schedules reject misspelt options (`new SGD(p, { momentun: 0.9 })`). */
import { expect } from 'chai';
import { Linear } from '../../src/layers/linear';
import { Adadelta, Adagrad, Adam, SGD, cosineLr, exponentialLr, makeOptimizer, stepLr } from '../../src/optim';

const any = (o: unknown): never => o as never;

describe('optim: options are checked by name', () => {
  const model = new Linear(3, 2);
  const cases: [string, (o: never) => unknown, object, object, string, string, string?][] = [
    ['SGD', (o) => new SGD(model, o), { lr: 0.1, momentum: 0.9, nesterov: true }, { momentun: 0.9 }, 'momentun', 'lr, momentum, dampening, nesterov, weightDecay', 'momentum'],
    ['Adam', (o) => new Adam(model, o), { beta1: 0.8, decoupled: true }, { betas: [0.9, 0.99] }, 'betas', 'lr, beta1, beta2, eps, weightDecay, decoupled', 'beta1'],
    ['Adagrad', (o) => new Adagrad(model, o), { lrDecay: 0.1 }, { lr_decay: 0.1 }, 'lr_decay', 'lr, lrDecay, weightDecay, initialAccumulatorValue, eps', 'lrDecay'],
    ['Adadelta', (o) => new Adadelta(model, o), { rho: 0.95 }, { weight_decay: 0.1 }, 'weight_decay', 'lr, rho, eps, weightDecay', 'weightDecay'],
    ['makeOptimizer', (o) => makeOptimizer('sgd', model, o), { lr: 0.1 }, { learningRate: 0.1 }, 'learningRate', 'lr, weightDecay'],
    ['stepLr', (o) => stepLr(o), { stepSize: 2, gamma: 0.5 }, { step: 2 }, 'step', 'stepSize, gamma', 'stepSize'],
    ['exponentialLr', (o) => exponentialLr(o), { gamma: 0.9 }, { gamma: 0.9, gama: 1 }, 'gama', 'gamma', 'gamma'],
    ['cosineLr', (o) => cosineLr(o), { tMax: 10 }, { tMax: 10, etamin: 0 }, 'etamin', 'tMax, etaMin', 'etaMin'],
  ];
  for (const [op, run, good, typo, bad, known, guess] of cases) {
    it(`${op}: rejects '${bad}' and accepts ${Object.keys(good).join(', ')}`, () => {
      const hint = guess ? `; did you mean '${guess}'?` : '';
      expect(() => run(any(typo))).to.throw(Error).with.property('message', `${op}: unknown option '${bad}' (known: ${known})${hint}`);
      expect(() => run(any(good))).to.not.throw();
    });
  }
});
