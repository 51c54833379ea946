/**
 * The op registry: every OpSpec in one list. The gradient checker (src/check), the layer tests and
 * the TensorFlow.js parity suite loop over it, so adding an op's specs here adds it to every check.
 */
import { opError } from '../tensor/errors';
import { activationSpecs } from './activations';
import { batchNormSpecs } from './batchnorm';
import { conv2dSpecs } from './conv2d';
import { dropoutSpecs } from './dropout';
import { flattenSpecs } from './flatten';
import { linearSpecs } from './linear';
import { lossSpecs } from './losses';
import { lrnSpecs } from './lrn';
import { mergeSpecs } from './merge';
import { poolSpecs } from './pool';
import { sliceSpecs } from './slice';
import { upsampleSpecs } from './upsample';
import type { OpSpec } from './spec';

/**
 * Throw unless op names are unique and, within each op, case names are unique (a duplicate
 * would make two test lines indistinguishable). Returns the specs for chaining.
 */
export function checkUniqueNames(specs: readonly OpSpec[]): readonly OpSpec[] {
  const ops = new Set<string>();
  for (const s of specs) {
    if (!s || typeof s.name !== 'string' || s.name === '') throw opError('registry', `every spec needs a non-empty name, got ${JSON.stringify(s && s.name)}`);
    if (ops.has(s.name)) throw opError('registry', `op name '${s.name}' is registered twice`);
    ops.add(s.name);
    const cases = new Set<string>();
    for (const c of s.cases) {
      if (cases.has(c.name)) throw opError('registry', `op '${s.name}' has two cases named '${c.name}'`);
      cases.add(c.name);
    }
  }
  return specs;
}

/** Every op, in teaching order: conv, linear, pooling, reshapes, activations, norms, losses, merges, slice, upsampling. */
export const registry: OpSpec[] = checkUniqueNames([
  ...conv2dSpecs,
  ...linearSpecs,
  ...poolSpecs,
  ...flattenSpecs,
  ...activationSpecs,
  ...batchNormSpecs,
  ...lrnSpecs,
  ...lossSpecs,
  ...dropoutSpecs,
  ...mergeSpecs,
  ...sliceSpecs,
  ...upsampleSpecs,
] as OpSpec[]) as OpSpec[];

/** The spec named `name`, or an error listing the known names. */
export function getOp(name: string): OpSpec {
  const s = registry.find((o) => o.name === name);
  if (!s) throw opError('getOp', `unknown op '${name}'; known ops: ${registry.map((o) => o.name).join(', ')}`);
  return s;
}
