/**
 * Learning-rate schedules as pure functions of the epoch (0-based) and the base rate, with the
 * closed forms of PyTorch's StepLR, ExponentialLR and CosineAnnealingLR (stepped once per epoch):
 *
 *   step:        lr_e = lr₀ · γ^⌊e / stepSize⌋
 *   exponential: lr_e = lr₀ · γ^e
 *   cosine:      lr_e = η_min + (lr₀ − η_min) · (1 + cos(π · min(e, T) / T)) / 2
 *
 * The trainer sets `optimizer.lr = schedule(epoch, baseLr)` at the start of every epoch, or, with
 * `scheduleEvery: 'batch'`, before every batch with a fractional epoch (e + b/batches), which
 * turns the same formulas into smooth per-step decays (cosine then matches CosineAnnealingLR
 * stepped per iteration with T_max = epochs × batches).
 */
import { opError } from '../tensor/errors';
import { checkOptionNames } from '../tensor/options';

/** A learning-rate schedule: (epoch, base rate) → rate, with a printable `description`. */
export type LrSchedule = ((epoch: number, baseLr: number) => number) & { description: string };

function named(fn: (epoch: number, baseLr: number) => number, description: string): LrSchedule {
  return Object.assign(fn, { description });
}

/**
 * Step decay: lr_e = lr₀ · γ^⌊e / stepSize⌋ (PyTorch StepLR; γ default 0.1).
 *
 * @example stepLr({ stepSize: 10 })(25, 0.1) // 0.001
 */
export function stepLr(opts: { stepSize: number; gamma?: number }): LrSchedule {
  checkOptionNames('stepLr', opts, ['stepSize', 'gamma']);
  const gamma = opts.gamma ?? 0.1;
  if (!Number.isInteger(opts.stepSize) || opts.stepSize < 1) throw opError('stepLr', `stepSize must be a positive integer, got ${opts.stepSize}`);
  if (!(gamma > 0 && Number.isFinite(gamma))) throw opError('stepLr', `gamma must be a positive number, got ${gamma}`);
  return named((e, lr0) => lr0 * gamma ** Math.floor(e / opts.stepSize), `step(stepSize=${opts.stepSize}, gamma=${gamma})`);
}

/**
 * Exponential decay: lr_e = lr₀ · γ^e (PyTorch ExponentialLR).
 *
 * @example exponentialLr({ gamma: 0.5 })(2, 0.1) // 0.025
 */
export function exponentialLr(opts: { gamma: number }): LrSchedule {
  checkOptionNames('exponentialLr', opts, ['gamma']);
  if (!(opts.gamma > 0 && Number.isFinite(opts.gamma))) throw opError('exponentialLr', `gamma must be a positive number, got ${opts.gamma}`);
  return named((e, lr0) => lr0 * opts.gamma ** e, `exponential(gamma=${opts.gamma})`);
}

/**
 * Cosine annealing: lr_e = η_min + (lr₀ − η_min)·(1 + cos(π·e/T_max))/2 (PyTorch CosineAnnealingLR).
 *
 * @example cosineLr({ tMax: 10 })(10, 0.1) // 0
 */
export function cosineLr(opts: { tMax: number; etaMin?: number }): LrSchedule {
  checkOptionNames('cosineLr', opts, ['tMax', 'etaMin']);
  const etaMin = opts.etaMin ?? 0;
  if (!Number.isInteger(opts.tMax) || opts.tMax < 1) throw opError('cosineLr', `tMax must be a positive integer, got ${opts.tMax}`);
  if (!(etaMin >= 0)) throw opError('cosineLr', `etaMin must be ≥ 0, got ${etaMin}`);
  return named(
    (e, lr0) => etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * Math.min(e, opts.tMax)) / opts.tMax))) / 2,
    `cosine(tMax=${opts.tMax}, etaMin=${etaMin})`,
  );
}
