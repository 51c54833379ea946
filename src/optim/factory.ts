import { opError } from '../tensor/errors';
import { checkOptionNames } from '../tensor/options';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import type { Optimizer, ParamSource } from './optimizer';
import { SGD } from './sgd';

/** The optimizer names `makeOptimizer` (and the CLI's `--optimizer`) accept. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'adagrad', 'adadelta'] as const;
/** One of `OPTIMIZER_NAMES`. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * An optimizer by name (the CLI's `--optimizer`): 'momentum' is SGD with momentum 0.9,
 * 'nesterov' SGD with Nesterov momentum 0.9. `lr` undefined keeps each optimizer's default.
 */
export function makeOptimizer(name: string, params: ParamSource, opts: { lr?: number; weightDecay?: number } = {}): Optimizer {
  checkOptionNames('makeOptimizer', opts, ['lr', 'weightDecay']);
  const o = { lr: opts.lr, weightDecay: opts.weightDecay };
  switch (name) {
    case 'sgd':
      return new SGD(params, o);
    case 'momentum':
      return new SGD(params, { ...o, momentum: 0.9 });
    case 'nesterov':
      return new SGD(params, { ...o, momentum: 0.9, nesterov: true });
    case 'adam':
      return new Adam(params, o);
    case 'adamw':
      return new Adam(params, { ...o, decoupled: true });
    case 'adagrad':
      return new Adagrad(params, o);
    case 'adadelta':
      return new Adadelta(params, o);
    default:
      throw opError('makeOptimizer', `unknown optimizer ${JSON.stringify(name)}; choose one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
