/**
 * The receptive-field engine: which input pixels feed a unit, per axis (h, w), for stacks of
 * convolutions and pools. Layers are read through the layer table (src/layers/table.ts): a
 * window (kernel K, stride S, padding P, dilation D), a pass-through, a global layer or a
 * container. Sizes use the ops' own `outputSize`/`resolvePadding` (src/ops/shape.ts).
 *
 *   jump  j_out = j_in · S                       (input pixels between neighbouring units)
 *   size  r_out = r_in + (k_eff − 1) · j_in      (k_eff = D·(K − 1) + 1)
 *   start c_out = c_in + ((k_eff − 1)/2 − P) · j_in   (centre of the first unit, input coords)
 *
 * starting from r = 1, j = 1, c = 0.5 (pixel centres at 0.5, 1.5, …). Two stacked 3×3 convs see
 * 5×5 with 2·9 = 18 weights per (in, out) channel pair instead of 25; three see 7×7 with 27 vs 49
 * (VGG's argument). `receptiveFieldOfUnit` (./receptive-unit.ts) counts the exact paths.
 */
import { outputSize, pair, resolvePadding, type Padding, type Pair } from '../ops/shape';
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames, optionNames } from '../tensor/options';
import { layerRole, type Configurable, type LayerRole, type WindowGeometry } from './table';

/** A bare conv/pool window; stride defaults to 1 (or kernelSize when `type` names a pool). */
export interface WindowSpec {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  /** 'MaxPool2d', 'AvgPool2d', … (a name with "pool" in it strides by the kernel by default). */
  type?: string;
}

/** What the engine accepts as a layer: a Module (anything with `config()`, containers with `children()`), or a bare window. */
export type LayerLike = (Configurable & { children?(): LayerLike[] }) | WindowSpec;

/** One layer as the engine sees it: its dotted name, type, and role (from the table). */
export interface LayerStep {
  name: string;
  type: string;
  role: LayerRole;
  children: LayerLike[];
}

/** Read one layer (or a bare window) through the layer table; `op` names the caller in errors. */
export function layerStep(op: string, l: LayerLike, name: string): LayerStep {
  if (l && typeof (l as Configurable).config === 'function') {
    const m = l as Configurable & { children?(): LayerLike[] };
    const { type } = m.config();
    return { name, type, role: layerRole(m, op), children: typeof m.children === 'function' ? m.children() : [] };
  }
  const w = l as WindowSpec;
  if (!w || w.kernelSize === undefined) throw opError(op, `layer ${name} must be a Module or { kernelSize, stride?, padding?, dilation? }, got ${JSON.stringify(l)}`);
  const kernel = pair(w.kernelSize, 1, op, 'kernelSize');
  const isPool = /pool/i.test(w.type ?? '');
  const window: WindowGeometry = { kernel, stride: pair(w.stride ?? (isPool ? kernel : 1), 1, op, 'stride'), padding: w.padding ?? 0, dilation: pair(w.dilation, 1, op, 'dilation'), ceilMode: false };
  return { name, type: w.type ?? 'window', role: { kind: 'window', window, weights: !isPool }, children: [] };
}

/** Dotted child name: '' + 3 → '3', '1' + 0 → '1.0'. */
export function childName(name: string, i: number): string {
  return name === '' ? String(i) : `${name}.${i}`;
}

/** Padding [top, left] and output size [H, W] of one window on an [H, W] input (the ops' arithmetic). */
export function windowOutput(op: string, win: WindowGeometry, hw: [number, number]): { pad: [number, number]; out: [number, number] } {
  const p = resolvePadding(win.padding, hw, win.kernel, win.stride, win.dilation, op);
  const out: [number, number] = [
    outputSize(hw[0], win.kernel[0], [p.top, p.bottom], win.stride[0], win.dilation[0], win.ceilMode),
    outputSize(hw[1], win.kernel[1], [p.left, p.right], win.stride[1], win.dilation[1], win.ceilMode),
  ];
  return { pad: [p.top, p.left], out };
}

/** One layer of a `receptiveField` report: its window and the field of one unit of its output. */
export interface ReceptiveFieldRow {
  name: string;
  type: string;
  kernel: [number, number];
  stride: [number, number];
  /** Receptive field [h, w] of one unit of this layer's output; null = the whole input (after Flatten/Linear/global pooling). */
  receptiveField: [number, number] | null;
  jump: [number, number];
  /** Centre of the first output unit's field in input pixel coordinates. */
  start: [number, number];
}

/** What `receptiveField` returns: one row per layer (field size, jump, start) and the last layer's field. */
export interface ReceptiveFieldReport {
  rows: ReceptiveFieldRow[];
  /** Of the last layer's units (null = the whole input). */
  receptiveField: [number, number] | null;
  jump: [number, number];
  /** Σ KH·KW over the convolutions: weights per (input channel, output channel) pair. */
  weightsPerChannelPair: number;
  toString(): string;
}

/** Options of `receptiveField`. */
export interface ReceptiveFieldOptions {
  /** [N, C, H, W] or [H, W]: needed to resolve 'same' padding exactly when stride > 1. */
  inputShape?: readonly number[];
}

/** Every key of `ReceptiveFieldOptions` (checked both ways at compile time). */
export const RECEPTIVE_FIELD_OPTION_NAMES = optionNames<ReceptiveFieldOptions>()(['inputShape']);

interface State {
  r: [number, number] | null;
  j: [number, number];
  c: [number, number];
  /** Spatial size [H, W] when known. */
  hw: [number, number] | null;
  weights: number;
}

/** Padding before the first tap, [top, left]; without the input size, 'same' at stride 1 (⌊(k_eff − 1)/2⌋, TensorFlow's rule). */
function padBefore(win: WindowGeometry, hw: [number, number] | null): [number, number] {
  if (hw) return windowOutput('receptiveField', win, hw).pad;
  if (win.padding === 'valid') return [0, 0];
  if (win.padding === 'same') return [0, 1].map((a) => Math.floor((win.dilation[a] * (win.kernel[a] - 1)) / 2)) as [number, number];
  return pair(win.padding, 0, 'receptiveField', 'padding', 0);
}

function step(l: LayerLike, name: string, st: State, rows: ReceptiveFieldRow[]): State {
  const { type, role, children } = layerStep('receptiveField', l, name);
  if (role.kind === 'chain') {
    let s = st;
    children.forEach((c, i) => (s = step(c, childName(name, i), s, rows)));
    return s;
  }
  if (role.kind === 'branches') {
    // Parallel branches from the same input: the merged unit sees the union (the largest field).
    const outs = children.map((c, i) => step(c, childName(name, i), st, rows));
    const j = outs[0].j;
    for (const o of outs) {
      if (o.j[0] !== j[0] || o.j[1] !== j[1]) throw opError('receptiveField', `${type} '${name}' merges branches with different strides (jumps ${JSON.stringify(outs.map((x) => x.j))})`);
    }
    const r = outs.some((o) => o.r === null) ? null : ([Math.max(...outs.map((o) => o.r![0])), Math.max(...outs.map((o) => o.r![1]))] as [number, number]);
    return { r, j, c: outs[0].c, hw: outs[0].hw, weights: outs.reduce((w, o) => w + o.weights - st.weights, st.weights) };
  }
  if (role.kind === 'window') {
    const win = role.window;
    const p = padBefore(win, st.hw);
    const eff = [0, 1].map((a) => win.dilation[a] * (win.kernel[a] - 1) + 1) as [number, number];
    const next: State = {
      r: st.r ? [st.r[0] + (eff[0] - 1) * st.j[0], st.r[1] + (eff[1] - 1) * st.j[1]] : null,
      j: [st.j[0] * win.stride[0], st.j[1] * win.stride[1]],
      c: [st.c[0] + ((eff[0] - 1) / 2 - p[0]) * st.j[0], st.c[1] + ((eff[1] - 1) / 2 - p[1]) * st.j[1]],
      hw: null,
      weights: st.weights + (role.weights ? win.kernel[0] * win.kernel[1] : 0),
    };
    if (st.hw) {
      try {
        next.hw = windowOutput('receptiveField', win, st.hw).out;
      } catch (e) {
        throw opError('receptiveField', `layer '${name}' (${type}) does not fit its input ${fmtShape(st.hw)}: ${(e as Error).message}`);
      }
    }
    rows.push({ name, type, kernel: win.kernel, stride: win.stride, receptiveField: next.r, jump: next.j, start: next.c });
    return next;
  }
  const next = { ...st, r: role.kind === 'global' ? null : st.r };
  rows.push({ name, type, kernel: [1, 1], stride: [1, 1], receptiveField: next.r, jump: next.j, start: next.c });
  return next;
}

/**
 * Receptive field of every layer's units in a model (or a list of layers run in order).
 *
 * @example receptiveField([new Conv2d(1, 1, 3), new Conv2d(1, 1, 3)]).receptiveField // [5, 5]
 */
export function receptiveField(model: LayerLike | LayerLike[], opts: ReceptiveFieldOptions = {}): ReceptiveFieldReport {
  checkOptionNames('receptiveField', opts, RECEPTIVE_FIELD_OPTION_NAMES);
  let hw: [number, number] | null = null;
  if (opts.inputShape) {
    const s = opts.inputShape;
    if (s.length !== 2 && s.length !== 4) throw opError('receptiveField', `inputShape must be [H, W] or [N, C, H, W], got [${s.join(', ')}]`);
    hw = s.length === 2 ? [s[0], s[1]] : [s[2], s[3]];
  }
  const rows: ReceptiveFieldRow[] = [];
  let end: State = { r: [1, 1], j: [1, 1], c: [0.5, 0.5], hw, weights: 0 };
  if (Array.isArray(model)) model.forEach((l, i) => (end = step(l, String(i), end, rows)));
  else end = step(model, '', end, rows);
  const report: ReceptiveFieldReport = {
    rows,
    receptiveField: end.r,
    jump: end.j,
    weightsPerChannelPair: end.weights,
    toString: () => {
      const fmt = (p: [number, number] | null) => (p === null ? 'whole input' : p[0] === p[1] ? String(p[0]) : `${p[0]}×${p[1]}`);
      const table = [['layer', 'type', 'kernel', 'stride', 'receptive field', 'jump', 'start']].concat(
        rows.map((r) => [r.name, r.type, fmt(r.kernel), fmt(r.stride), fmt(r.receptiveField), fmt(r.jump), fmt(r.start)]),
      );
      const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
      return table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
    },
  };
  return report;
}
