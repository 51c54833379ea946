/**
 * Gradient checking by central differences.
 *
 * For an op y = f(x₁, …, x_k) pick a fixed random projection r (seeded, r ~ N(0, 1), shape of y)
 * and the scalar L = Σ r ⊙ y. Then
 *   analytic: dL/dx_i = backward(dy = r)                      (what the op claims)
 *   numeric:  dL/dx_i[e] ≈ (L(x_i[e] + ε) − L(x_i[e] − ε)) / 2ε  (what the forward pass says)
 * and each element is compared by relError = |a − n| / max(|a|, |n|, floor·max|grad|). Projecting with a
 * random r (not Σ y) makes every output count with a different weight, so a backward that swaps,
 * drops or mis-scales outputs cannot agree by accident.
 *
 * Why ε = 1e-2 and not 1e-6: storage is float32 (unit roundoff u ≈ 6e-8). The forward pass rounds
 * each affected output by ~u·|y|, so the difference quotient carries a roundoff error ~u·|y|/ε,
 * while the truncation error of central differences is ~ε²·|f'''|/6. ε = 1e-2 balances them near
 * (u)^(1/3) ≈ 4e-3…1e-2 and leaves an error around 1e-4 relative; ε = 1e-6 would make the
 * roundoff term ~6e-2. L itself is summed in float64 (JS numbers) so the sum adds no error of its
 * own. The perturbed value is itself rounded to float32, so the quotient divides by the actual
 * step Math.fround(x + ε) − Math.fround(x − ε), not by 2ε. Ops with kinks (ReLU, max) choose
 * inputs at least ε away from them (OpSpec.makeInputs).
 *
 * The step is ε·min(1, rms(tensor)): a tensor of small values (weights ~ 1/√fan_in ≈ 0.05) gets
 * a proportionally smaller step, so the perturbation stays ~1 % of a typical value (a 0.01 step
 * on a 0.05 weight in front of a BatchNorm is far outside the linear regime). Tensors with
 * rms ≥ 1 use ε itself, which is what the kink margins of OpSpec.makeInputs assume.
 */
import type { Module, Parameter } from '../layers/module';
import { registry } from '../ops/registry';
import type { OpSpec } from '../ops/spec';
import { fmtShape, opError } from '../tensor/errors';
import { GradcheckReport, InputReport, formatReport } from './gradcheck-report';
import { formatNumber } from '../tensor/format';
import { Rng } from '../tensor/random';
import { Tensor, randn } from '../tensor/tensor';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Anything with a forward and a backward over tensor inputs: an OpSpec or a hand-made pair. */
export interface Differentiable<A = any> {
  name?: string;
  forward(inputs: Tensor[], attrs: A): Tensor;
  backward(dy: Tensor, inputs: Tensor[], attrs: A): (Tensor | null)[];
  inputs?: string[];
  differentiable?: boolean[];
}

export interface GradcheckOptions<A = any> {
  attrs?: A;
  /** Finite-difference step ε; each tensor uses ε·min(1, rms(tensor)). Default 1e-2 (see the file comment). */
  eps?: number;
  /** Max accepted relative error. Default: the spec's tolerance, else 1e-2. */
  tolerance?: number;
  /**
   * Denominator floor for relError, as a fraction of the input's largest gradient magnitude:
   * gradients ≈ 0 are judged by their absolute error against that scale. Default 1e-2.
   */
  floor?: number;
  /** Generator for the projection r and the element sample. Default: new Rng(0) (reproducible). */
  rng?: Rng;
  /** Check at most this many elements per input (a seeded random sample). Default 4096. */
  maxElements?: number;
}

/** Every key of `GradcheckOptions` (checked both ways at compile time). */
export const GRADCHECK_OPTION_NAMES = optionNames<GradcheckOptions>()(['attrs', 'eps', 'tolerance', 'floor', 'rng', 'maxElements']);

export type { GradcheckReport, InputReport } from './gradcheck-report';

const DEFAULTS = { eps: 1e-2, tolerance: 1e-2, floor: 1e-2, maxElements: 4096 };

/** Σ r ⊙ y in float64. */
function project(r: Tensor, y: Tensor, who: string): number {
  if (y.size !== r.size) throw opError('gradcheck', `${who}: forward output changed size from ${fmtShape(r.shape)} to ${fmtShape(y.shape)} between calls`);
  let s = 0;
  const a = r.data;
  const b = y.data;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Root mean square of a tensor's values. */
function rms(t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.data[i] * t.data[i];
  return t.size ? Math.sqrt(s / t.size) : 0;
}

/** Indices to check: all of them, or a seeded sample of `max` distinct ones (sorted). */
function sampleIndices(size: number, max: number, rng: Rng): Int32Array {
  const all = Int32Array.from({ length: size }, (_, i) => i);
  if (size <= max) return all;
  rng.shuffle(all);
  return all.slice(0, max).sort();
}

/** A slot whose value the checker may perturb: an op input or a module parameter. */
interface Slot {
  name: string;
  value: Tensor;
  analytic: Tensor | null;
}

/**
 * Compare analytic and numeric gradients for each slot. `loss()` recomputes L = Σ r ⊙ y from the
 * current (perturbed) values.
 */
function compare(slots: Slot[], loss: () => number, o: Required<Omit<GradcheckOptions, 'attrs' | 'rng'>>, rng: Rng, who: string): InputReport[] {
  const reports: InputReport[] = [];
  for (const s of slots) {
    const { value, analytic } = s;
    if (!analytic) continue;
    if (analytic.size !== value.size) {
      throw opError('gradcheck', `${who}: gradient for '${s.name}' has shape ${fmtShape(analytic.shape)}, the input has ${fmtShape(value.shape)}`);
    }
    const idx = sampleIndices(value.size, o.maxElements, rng);
    const numeric = new Float64Array(idx.length);
    const h = o.eps * Math.min(1, Math.max(rms(value), 1e-3));
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      const x0 = value.data[i];
      const xp = Math.fround(x0 + h);
      const xm = Math.fround(x0 - h);
      value.data[i] = xp;
      const lp = loss();
      value.data[i] = xm;
      const lm = loss();
      value.data[i] = x0; // restore exactly (x0 is a float32 value)
      numeric[k] = (lp - lm) / (xp - xm);
    }
    // The floor scales with this input's largest gradient: a gradient 1000× smaller than its
    // neighbours is judged by its absolute error (float32 noise), never by its own tiny size.
    let scale = 0;
    for (let k = 0; k < idx.length; k++) scale = Math.max(scale, Math.abs(analytic.data[idx[k]]), Math.abs(numeric[k]));
    const floor = Math.max(o.floor * scale, 1e-12);
    let worstRel = -1;
    let maxAbs = 0;
    let worst = { index: 0, analytic: 0, numeric: 0 };
    for (let k = 0; k < idx.length; k++) {
      const a = analytic.data[idx[k]];
      const n = numeric[k];
      let abs = Math.abs(a - n);
      let rel = abs / Math.max(Math.abs(a), Math.abs(n), floor);
      // A NaN on either side must fail the check, never compare as "not worse".
      if (Number.isNaN(rel)) rel = abs = Infinity;
      if (rel > worstRel) {
        worstRel = rel;
        worst = { index: idx[k], analytic: a, numeric: n };
      }
      if (abs > maxAbs) maxAbs = abs;
    }
    if (worstRel < 0) worstRel = 0;
    reports.push({ name: s.name, shape: [...value.shape], checked: idx.length, relError: worstRel, maxAbsError: maxAbs, worst });
  }
  return reports;
}

function makeReport(name: string, inputs: InputReport[], tolerance: number): GradcheckReport {
  const relError = inputs.reduce((m, r) => Math.max(m, r.relError), 0);
  const report: GradcheckReport = {
    name,
    ok: inputs.length > 0 && inputs.every((r) => r.relError <= tolerance),
    relError,
    tolerance,
    inputs,
    toString: () => formatReport(report),
  };
  return report;
}

function resolveOpts(opts: GradcheckOptions, specTolerance?: number) {
  const o = {
    eps: opts.eps ?? DEFAULTS.eps,
    tolerance: opts.tolerance ?? specTolerance ?? DEFAULTS.tolerance,
    floor: opts.floor ?? DEFAULTS.floor,
    maxElements: opts.maxElements ?? DEFAULTS.maxElements,
  };
  if (!(o.eps > 0)) throw opError('gradcheck', `eps must be > 0, got ${o.eps}`);
  if (!(o.tolerance > 0)) throw opError('gradcheck', `tolerance must be > 0, got ${o.tolerance}`);
  if (!(o.floor > 0)) throw opError('gradcheck', `floor must be > 0, got ${o.floor}`);
  if (!Number.isInteger(o.maxElements) || o.maxElements < 1) throw opError('gradcheck', `maxElements must be a positive integer, got ${o.maxElements}`);
  return o;
}

/**
 * Check `op.backward` against central differences of `op.forward` at `inputs`.
 * The inputs are perturbed in place and restored bit-exactly; pass copies if they are shared.
 */
export function gradcheck<A = any>(op: Differentiable<A> | OpSpec<A>, inputs: Tensor[], opts: GradcheckOptions<A> = {}): GradcheckReport {
  checkOptionNames('gradcheck', opts, GRADCHECK_OPTION_NAMES);
  if (!op || typeof op.forward !== 'function' || typeof op.backward !== 'function') {
    throw opError('gradcheck', 'op must have forward(inputs, attrs) and backward(dy, inputs, attrs)');
  }
  if (!Array.isArray(inputs) || inputs.some((t) => !(t instanceof Tensor))) throw opError('gradcheck', 'inputs must be an array of Tensors');
  const name = op.name ?? 'op';
  const o = resolveOpts(opts, (op as OpSpec<A>).tolerance);
  const rng = opts.rng ?? new Rng(0);
  const attrs = (opts.attrs ?? {}) as A;
  const y = op.forward(inputs, attrs);
  const r = randn(y.shape, { rng });
  const grads = op.backward(r, inputs, attrs);
  if (!Array.isArray(grads) || grads.length !== inputs.length) {
    throw opError('gradcheck', `${name}: backward returned ${Array.isArray(grads) ? grads.length : typeof grads} gradients for ${inputs.length} inputs`);
  }
  const names = op.inputs ?? inputs.map((_, i) => `input${i}`);
  const slots: Slot[] = inputs.map((value, i) => ({
    name: names[i] ?? `input${i}`,
    value,
    analytic: op.differentiable && op.differentiable[i] === false ? null : grads[i],
  }));
  const reports = compare(slots, () => project(r, op.forward(inputs, attrs), name), o, rng, name);
  return makeReport(name, reports, o.tolerance);
}

/**
 * Check a whole layer: dL/dx and every parameter gradient. Parameters are perturbed in place and
 * restored; grads, buffers (BatchNorm running stats) and train/eval modes are restored afterwards.
 * Stochastic layers (Dropout) run in eval mode (a fresh mask per call would make L noisy); every
 * other layer runs in training mode, so BatchNorm is checked with batch statistics, the case
 * whose backward is non-trivial.
 */
export function gradcheckLayer(layer: Module, x: Tensor, opts: Omit<GradcheckOptions, 'attrs'> = {}): GradcheckReport {
  checkOptionNames('gradcheckLayer', opts, GRADCHECK_OPTION_NAMES.filter((k) => k !== 'attrs'));
  const o = resolveOpts(opts);
  const rng = opts.rng ?? new Rng(0);
  return inCheckMode(layer, (params) => {
    const xin = x.clone();
    const y = layer.forward(xin);
    const r = randn(y.shape, { rng });
    const dx = layer.backward(r);
    const slots: Slot[] = [{ name: 'x', value: xin, analytic: dx }];
    for (const p of params) slots.push({ name: p.name, value: p.value, analytic: p.grad.clone() });
    const who = layer.type;
    const reports = compare(slots, () => project(r, layer.forward(xin), who), o, rng, who);
    return makeReport(layer.type, reports, o.tolerance);
  });
}

/**
 * Run `fn` with stochastic layers in eval mode and the rest in training mode, parameter grads
 * zeroed; afterwards restore modes, grads and buffers exactly as they were.
 */
function inCheckMode<T>(layer: Module, fn: (params: Parameter[]) => T): T {
  const modules = layer.namedModules().map((e) => e.module);
  const modes = modules.map((m) => m.training);
  const params: Parameter[] = layer.parameters();
  const savedGrads = params.map((p) => new Float32Array(p.grad.data));
  const savedBuffers = layer.buffers().map((b) => ({ b, data: new Float32Array(b.value.data) }));
  try {
    for (const m of modules) m.training = !(m as { stochastic?: boolean }).stochastic;
    for (const p of params) p.grad.data.fill(0);
    return fn(params);
  } finally {
    modules.forEach((m, i) => (m.training = modes[i]));
    params.forEach((p, i) => p.grad.data.set(savedGrads[i]));
    for (const { b, data } of savedBuffers) b.value.data.set(data);
  }
}

export interface DirectionalReport {
  name: string;
  ok: boolean;
  /** Max over the tensors. */
  relError: number;
  tolerance: number;
  /** One row per moved tensor: x, then every parameter. */
  inputs: {
    name: string;
    /** |a − n| / max(|a|, |n|). */
    relError: number;
    /** ⟨∇L, d⟩ from backward. */
    analytic: number;
    /** (L(θ + εd) − L(θ − εd)) / 2ε from two forward passes. */
    numeric: number;
  }[];
  toString(): string;
}

/**
 * Directional derivatives through a whole model: for x and for each parameter tensor in turn,
 * move the whole tensor along a random direction d (d ~ N(0, 1)·rms(tensor), so it moves by
 * ~ε of its own scale) and compare (L(θ + εd) − L(θ − εd))/2ε with ⟨∇L, d⟩ from one backward.
 *
 * Why for whole models: per-element checks of a deep float32 net drown single tiny gradients
 * in roundoff and cost two passes per weight. Here the change in L sums every element's
 * contribution, far above float32 noise, at two passes per tensor. On smooth networks (tanh,
 * average pooling) it agrees to ~1e-4 at ε = 1e-3.
 *
 * Kinks make it approximate: every max-pool window or ReLU whose winner/sign flips inside ±ε
 * adds an O(1) error for that unit. On LeNet-5 (ReLU + max pool, batch 2) we measured 2–40 %
 * error for ε between 1e-4 and 1e-3 (smaller ε: float32 noise ~1e-7·|L|/ε takes over), so for
 * max-pool networks check the layers one by one (gradcheckLayer) and the whole network against
 * a reference (test/models compares LeNet-5's gradients with PyTorch's).
 * Defaults: ε = 1e-3, tolerance 1e-2 — a wrong gradient is off by O(1).
 */
export function gradcheckDirectional(layer: Module, x: Tensor, opts: { eps?: number; tolerance?: number; rng?: Rng } = {}): DirectionalReport {
  checkOptionNames('gradcheckDirectional', opts, ['eps', 'tolerance', 'rng']);
  const eps = opts.eps ?? 1e-3;
  const tolerance = opts.tolerance ?? 1e-2;
  if (!(eps > 0)) throw opError('gradcheckDirectional', `eps must be > 0, got ${eps}`);
  if (!(tolerance > 0)) throw opError('gradcheckDirectional', `tolerance must be > 0, got ${tolerance}`);
  const rng = opts.rng ?? new Rng(0);
  return inCheckMode(layer, (params) => {
    const xin = x.clone();
    const y = layer.forward(xin);
    const r = randn(y.shape, { rng });
    const dx = layer.backward(r);
    const slots = [{ name: 'x', value: xin, grad: dx }, ...params.map((p) => ({ name: p.name, value: p.value, grad: p.grad }))];
    const rows = slots.map(({ name, value, grad }) => {
      const original = new Float32Array(value.data);
      const scale = Math.max(rms(value), 1e-3);
      const plus = new Float32Array(value.size);
      const minus = new Float32Array(value.size);
      let analytic = 0;
      for (let i = 0; i < value.size; i++) {
        const d = rng.normal() * scale;
        plus[i] = original[i] + eps * d;
        minus[i] = original[i] - eps * d;
        // ⟨g, (plus − minus)/2ε⟩: the float32-rounded displacement, not the ideal one.
        analytic += grad.data[i] * ((plus[i] - minus[i]) / (2 * eps));
      }
      let numeric: number;
      try {
        value.data.set(plus);
        const lp = project(r, layer.forward(xin), layer.type);
        value.data.set(minus);
        const lm = project(r, layer.forward(xin), layer.type);
        numeric = (lp - lm) / (2 * eps);
      } finally {
        value.data.set(original);
      }
      let relError = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-12);
      if (Number.isNaN(relError)) relError = Infinity;
      return { name, relError, analytic, numeric };
    });
    const relError = rows.reduce((m, row) => Math.max(m, row.relError), 0);
    const report: DirectionalReport = {
      name: layer.type,
      ok: rows.every((row) => row.relError <= tolerance),
      relError,
      tolerance,
      inputs: rows,
      toString: () =>
        [`gradcheckDirectional ${report.name}: ${report.ok ? 'ok' : 'FAILED'} (max relError ${formatNumber(relError)}, tolerance ${formatNumber(tolerance)}, ε ${formatNumber(eps)})`]
          .concat(rows.map((row) => `  ${row.relError <= tolerance ? 'ok ' : 'BAD'} ${row.name}: relError ${formatNumber(row.relError)} (analytic ${formatNumber(row.analytic)}, numeric ${formatNumber(row.numeric)})`))
          .join('\n'),
    };
    return report;
  });
}

export interface RegistryCheck {
  op: string;
  case: string;
  report: GradcheckReport;
}

/**
 * Run every case of every op (default: the whole registry) through `gradcheck`. Inputs come from
 * the spec's `makeInputs` or N(0, 1), from `new Rng(seed + running case number)`, so each line is reproducible.
 */
export function checkRegistry(opts: Omit<GradcheckOptions, 'attrs'> & { specs?: OpSpec[]; seed?: number; only?: string[] } = {}): RegistryCheck[] {
  checkOptionNames('checkRegistry', opts, [...GRADCHECK_OPTION_NAMES.filter((k) => k !== 'attrs'), 'specs', 'seed', 'only']);
  const specs: OpSpec[] = opts.specs ?? registry;
  const base = opts.seed ?? 0;
  const out: RegistryCheck[] = [];
  for (const spec of specs) {
    if (opts.only && !opts.only.includes(spec.name)) continue;
    spec.cases.forEach((c) => {
      const rng = new Rng(base + out.length);
      const inputs = spec.makeInputs ? spec.makeInputs(c, rng) : c.shapes.map((s) => randn(s, { rng }));
      const report = gradcheck(spec, inputs, { eps: opts.eps, tolerance: opts.tolerance, floor: opts.floor, maxElements: opts.maxElements, attrs: c.attrs, rng });
      report.name = `${spec.name} ${c.name}`;
      out.push({ op: spec.name, case: c.name, report });
    });
  }
  return out;
}
