export { Value } from './value';
export type { Operand, BackwardStep } from './value';
