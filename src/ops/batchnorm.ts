import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import type { Rng } from '../tensor/random';
import { Tensor, zeros } from '../tensor/tensor';
import { expectRank } from './shape';
import type { OpSpec } from './spec';

/**
 * Batch normalisation over [N, C, H, W] (PyTorch's nn.BatchNorm2d), statistics per channel over
 * the M = N·H·W values of that channel:
 *
 *   x̂ = (x − μ) / √(σ² + eps),   y = γ·x̂ + β
 *
 * Training uses the batch mean μ and the biased batch variance σ² (divide by M); eval uses the
 * running statistics.
 */
export interface BatchNorm2dOptions {
  /** Default true. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average. Default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  eps?: number;
  /** [C]; updated in place during training, required in eval. */
  runningMean?: Tensor;
  /** [C]; updated in place (with the unbiased variance) during training, required in eval. */
  runningVar?: Tensor;
}

/** Every key of `BatchNorm2dOptions` (checked both ways at compile time). */
export const BATCH_NORM2D_OPTION_NAMES = optionNames<BatchNorm2dOptions>()(['training', 'momentum', 'eps', 'runningMean', 'runningVar']);

interface Resolved {
  n: number; c: number; hw: number;
  training: boolean; momentum: number; eps: number;
}

function resolve(op: string, x: Tensor, gamma: Tensor, opts: BatchNorm2dOptions): Resolved {
  checkOptionNames(op, opts, BATCH_NORM2D_OPTION_NAMES);
  expectRank(op, 'x', x, 4, '[N, C, H, W]');
  const [n, c, h, w] = x.shape;
  const perChannel = (name: string, t: Tensor | undefined) => {
    if (t === undefined) return;
    if (!t || !(t.shape && t.data)) throw opError(op, `${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    if (t.rank !== 1 || t.shape[0] !== c) {
      throw opError(op, `${name} shape ${fmtShape(t.shape)} does not match ${c} channels of x ${fmtShape(x.shape)}`);
    }
  };
  perChannel('gamma', gamma);
  if (gamma === undefined) throw opError(op, 'gamma is required');
  perChannel('runningMean', opts.runningMean);
  perChannel('runningVar', opts.runningVar);
  const training = opts.training ?? true;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1)) throw opError(op, `momentum must be in [0, 1], got ${momentum}`);
  if (!(eps > 0) || !Number.isFinite(eps)) throw opError(op, `eps must be a positive number, got ${eps}`);
  if (!training && (opts.runningMean === undefined || opts.runningVar === undefined)) {
    throw opError(op, `eval mode (training: false) needs runningMean and runningVar of shape [${c}]`);
  }
  if (training && n * h * w < 2) {
    // The unbiased variance divides by M − 1 and one value has no spread (PyTorch errors too).
    throw opError(op, `training needs more than 1 value per channel, got x ${fmtShape(x.shape)}`);
  }
  return { n, c, hw: h * w, training, momentum, eps };
}

/** Per-channel mean and biased variance, accumulated in float64 (two passes for accuracy). */
function batchStats(x: Tensor, r: Resolved): { mean: Float64Array; variance: Float64Array } {
  const { n, c, hw } = r;
  const m = n * hw;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) {
      const off = (b * c + ch) * hw;
      for (let i = 0; i < hw; i++) s += x.data[off + i];
    }
    const mu = s / m;
    let q = 0;
    for (let b = 0; b < n; b++) {
      const off = (b * c + ch) * hw;
      for (let i = 0; i < hw; i++) {
        const d = x.data[off + i] - mu;
        q += d * d;
      }
    }
    mean[ch] = mu;
    variance[ch] = q / m;
  }
  return { mean, variance };
}

/** The μ and σ² used to normalise: batch statistics when training, running ones in eval. */
function stats(x: Tensor, r: Resolved, opts: BatchNorm2dOptions): { mean: Float64Array; variance: Float64Array } {
  if (r.training) return batchStats(x, r);
  return { mean: Float64Array.from(opts.runningMean!.data), variance: Float64Array.from(opts.runningVar!.data) };
}

/**
 * Forward pass. In training, when runningMean/runningVar are given they are updated IN PLACE:
 * running ← (1 − momentum)·running + momentum·batch, with the unbiased variance σ²·M/(M − 1)
 * for runningVar (PyTorch).
 */
export function batchNorm2d(x: Tensor, gamma: Tensor, beta: Tensor, opts: BatchNorm2dOptions = {}): Tensor {
  const op = 'batchNorm2d';
  const r = resolve(op, x, gamma, opts);
  if (!beta || !(beta.shape && beta.data) || beta.rank !== 1 || beta.shape[0] !== r.c) {
    throw opError(op, `beta shape ${beta && beta.shape ? fmtShape(beta.shape) : String(beta)} does not match ${r.c} channels of x ${fmtShape(x.shape)}`);
  }
  const { n, c, hw } = r;
  const { mean, variance } = stats(x, r, opts);
  const y = zeros(x.shape);
  for (let ch = 0; ch < c; ch++) {
    const scale = gamma.data[ch] / Math.sqrt(variance[ch] + r.eps);
    const shift = beta.data[ch] - mean[ch] * scale;
    for (let b = 0; b < n; b++) {
      const off = (b * c + ch) * hw;
      for (let i = 0; i < hw; i++) y.data[off + i] = x.data[off + i] * scale + shift;
    }
  }
  if (r.training) {
    const m = n * hw;
    const mom = r.momentum;
    if (opts.runningMean) for (let ch = 0; ch < c; ch++) opts.runningMean.data[ch] = (1 - mom) * opts.runningMean.data[ch] + mom * mean[ch];
    if (opts.runningVar) {
      for (let ch = 0; ch < c; ch++) opts.runningVar.data[ch] = (1 - mom) * opts.runningVar.data[ch] + mom * variance[ch] * m / (m - 1);
    }
  }
  return y;
}

/**
 * Gradients of batch normalisation (running statistics are never touched here).
 *
 * dβ = Σ dy,  dγ = Σ dy·x̂  (sums over N, H, W per channel).
 * Training (μ, σ² depend on x):  dx = γ/(M·√(σ²+eps)) · (M·dy − Σdy − x̂·Σ(dy·x̂)).
 * Eval (running stats are constants):  dx = γ·dy / √(var_running + eps).
 */
export function batchNorm2dBackward(
  dy: Tensor,
  x: Tensor,
  gamma: Tensor,
  opts: BatchNorm2dOptions = {},
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const op = 'batchNorm2dBackward';
  const r = resolve(op, x, gamma, opts);
  if (!dy || !(dy.shape && dy.data) || dy.rank !== x.rank || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw opError(op, `dy shape ${dy && dy.shape ? fmtShape(dy.shape) : String(dy)} does not match x ${fmtShape(x.shape)}`);
  }
  const { n, c, hw } = r;
  const m = n * hw;
  const { mean, variance } = stats(x, r, opts);
  const dx = zeros(x.shape);
  const dgamma = zeros([c]);
  const dbeta = zeros([c]);
  for (let ch = 0; ch < c; ch++) {
    const invStd = 1 / Math.sqrt(variance[ch] + r.eps);
    const mu = mean[ch];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let b = 0; b < n; b++) {
      const off = (b * c + ch) * hw;
      for (let i = 0; i < hw; i++) {
        const g = dy.data[off + i];
        sumDy += g;
        sumDyXhat += g * (x.data[off + i] - mu) * invStd;
      }
    }
    dbeta.data[ch] = sumDy;
    dgamma.data[ch] = sumDyXhat;
    const k = gamma.data[ch] * invStd;
    for (let b = 0; b < n; b++) {
      const off = (b * c + ch) * hw;
      for (let i = 0; i < hw; i++) {
        const g = dy.data[off + i];
        if (r.training) {
          const xhat = (x.data[off + i] - mu) * invStd;
          dx.data[off + i] = (k / m) * (m * g - sumDy - xhat * sumDyXhat);
        } else {
          dx.data[off + i] = k * g;
        }
      }
    }
  }
  return { dx, dgamma, dbeta };
}

// ---------------------------------------------------------------------------------------------
// Shape table. Inputs are [x, gamma, beta, runningMean, runningVar]; the running statistics are
// constants (not differentiable). In training cases the spec passes no running stats to the op,
// so repeated forward calls of the gradient checker never mutate its inputs.

interface BnAttrs {
  training: boolean;
  eps?: number;
}

function bnOpts(inputs: Tensor[], a: BnAttrs): BatchNorm2dOptions {
  return a.training ? { training: true, eps: a.eps } : { training: false, eps: a.eps, runningMean: inputs[3], runningVar: inputs[4] };
}

function bnCase(x: number[], training: boolean) {
  const c = x[1];
  return { name: `x=[${x.join(',')}] ${training ? 'train' : 'eval'}`, shapes: [x, [c], [c], [c], [c]], attrs: { training } };
}

/** batchNorm2d in the op registry (inputs ['x', 'gamma', 'beta'], training and eval cases). */
export const batchNormSpecs: OpSpec<BnAttrs>[] = [
  {
    name: 'batchNorm2d',
    inputs: ['x', 'gamma', 'beta', 'runningMean', 'runningVar'],
    differentiable: [true, true, true, false, false],
    forward: (inputs, a) => batchNorm2d(inputs[0], inputs[1], inputs[2], bnOpts(inputs, a)),
    backward: (dy, inputs, a) => {
      const g = batchNorm2dBackward(dy, inputs[0], inputs[1], bnOpts(inputs, a));
      return [g.dx, g.dgamma, g.dbeta, null, null];
    },
    makeInputs: (c, rng: Rng) => {
      const fill = (shape: number[], f: () => number) => {
        const t = zeros(shape);
        for (let i = 0; i < t.size; i++) t.data[i] = f();
        return t;
      };
      return [
        fill(c.shapes[0], () => 1.5 * rng.normal() + 0.5),
        fill(c.shapes[1], () => rng.uniform(0.5, 1.5)),
        fill(c.shapes[2], () => rng.normal()),
        fill(c.shapes[3], () => 0.3 * rng.normal()),
        fill(c.shapes[4], () => rng.uniform(0.5, 2)),
      ];
    },
    cases: [bnCase([4, 3, 3, 3], true), bnCase([2, 2, 4, 5], true), bnCase([3, 4, 2, 2], false), bnCase([8, 2, 1, 1], true)],
  },
];
