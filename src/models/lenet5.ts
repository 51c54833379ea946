/**
 * LeNet-5 for MNIST [N, 1, 28, 28] (LeCun et al. 1998, in its modern form: 'same' padding on
 * the first conv so 28×28 inputs give the paper's 32×32 geometry, max pooling, ReLU by default).
 *
 *   Conv2d(1, 6, 5, pad 2)  → [N, 6, 28, 28]   156 params
 *   act, MaxPool2d(2)       → [N, 6, 14, 14]
 *   Conv2d(6, 16, 5)        → [N, 16, 10, 10]  2,416
 *   act, MaxPool2d(2)       → [N, 16, 5, 5]
 *   Flatten                 → [N, 400]
 *   Linear(400, 120), act   48,120
 *   Linear(120, 84), act    10,164
 *   Linear(84, 10)          850                 total 61,706
 */
import { ReLU, Tanh } from '../layers/activation';
import { Conv2d } from '../layers/conv';
import { Linear } from '../layers/linear';
import type { Module } from '../layers/module';
import { MaxPool2d } from '../layers/pool';
import { Flatten } from '../layers/reshape';
import { Sequential } from '../layers/sequential';
import { opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { getRng } from '../tensor/random';
import { MODEL_OPTION_NAMES, type ModelOptions } from './init';

/** Options of `lenet5`: the activation, plus the shared `rng`/`init`. */
export interface LeNet5Options extends ModelOptions {
  /** 'relu' (default) or 'tanh' (the 1998 paper's squashing function). */
  activation?: 'relu' | 'tanh';
}

/** Every key of `LeNet5Options` (checked both ways at compile time). */
export const LENET5_OPTION_NAMES = optionNames<LeNet5Options>()([...MODEL_OPTION_NAMES, 'activation']);

/**
 * LeNet-5 for [N, 1, 28, 28] → [N, 10] logits, 61,706 parameters (layout in the file header).
 *
 * @example summary(lenet5(), [1, 1, 28, 28]).outputShape // [1, 10]
 */
export function lenet5(opts: LeNet5Options = {}): Sequential {
  checkOptionNames('lenet5', opts, LENET5_OPTION_NAMES);
  const activation = opts.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'tanh') throw opError('lenet5', `activation must be 'relu' or 'tanh', got ${JSON.stringify(activation)}`);
  const act = (): Module => (activation === 'relu' ? new ReLU() : new Tanh());
  const p = { rng: opts.rng ?? getRng(), init: opts.init };
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, ...p }),
    act(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, p),
    act(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120, p),
    act(),
    new Linear(120, 84, p),
    act(),
    new Linear(84, 10, p),
  );
}
