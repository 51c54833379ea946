/**
 * Receptive field arithmetic for stacks of convolutions and pools, per axis (h, w):
 *
 *   jump  j_out = j_in · s                       (input pixels between neighbouring units)
 *   size  r_out = r_in + (k_eff − 1) · j_in      (k_eff = d·(k − 1) + 1)
 *   start c_out = c_in + ((k_eff − 1)/2 − p) · j_in   (centre of the first unit, input coords)
 *
 * starting from r = 1, j = 1, c = 0.5 (pixel centres at 0.5, 1.5, …). Two stacked 3×3 convs see
 * 5×5 with 2·9 = 18 weights per (in, out) channel pair instead of 25; three see 7×7 with 27 vs 49
 * (VGG's argument).
 */
import { pair, resolvePadding } from '../ops/shape';
import { opError } from '../tensor/errors';
import { Container } from './container';
import { Conv2d } from './conv';
import type { Module } from './module';
import { AvgPool2d, MaxPool2d } from './pool';
import { Sequential } from './sequential';

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

export interface ReceptiveFieldReport {
  rows: ReceptiveFieldRow[];
  /** Of the last layer's units (null = the whole input). */
  receptiveField: [number, number] | null;
  jump: [number, number];
  /** Σ KH·KW over the convolutions: weights per (input channel, output channel) pair. */
  weightsPerChannelPair: number;
  toString(): string;
}

export interface ReceptiveFieldOptions {
  /** [N, C, H, W] or [H, W]: needed to resolve 'same' padding exactly when stride > 1. */
  inputShape?: readonly number[];
}

interface State {
  r: [number, number] | null;
  j: [number, number];
  c: [number, number];
  /** Spatial size [H, W] when known. */
  hw: [number, number] | null;
  weights: number;
}

/** Layers that leave the spatial receptive field unchanged (element-wise or across channels only). */
const PASS_THROUGH = new Set(['ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'BatchNorm2d', 'LocalResponseNorm', 'Dropout', 'Identity']);
/** Layers whose every output sees the whole input. */
const GLOBAL = new Set(['Flatten', 'Linear', 'GlobalAvgPool2d', 'AdaptiveAvgPool2d']);

function window(m: Module, hw: [number, number] | null): { k: [number, number]; s: [number, number]; d: [number, number]; p: [number, number] } | null {
  if (m instanceof Conv2d) {
    let p: [number, number];
    if (m.padding === 'same' || m.padding === 'valid') {
      if (m.padding === 'valid') p = [0, 0];
      else if (hw) {
        const pad = resolvePadding('same', hw, m.kernelSize, m.stride, m.dilation, 'receptiveField');
        p = [pad.top, pad.left];
      } else {
        // Without the input size: TensorFlow's 'same' puts ⌊total/2⌋ before, total = k_eff − 1 at stride 1.
        p = [Math.floor((m.dilation[0] * (m.kernelSize[0] - 1)) / 2), Math.floor((m.dilation[1] * (m.kernelSize[1] - 1)) / 2)];
      }
    } else p = pair(m.padding, 0, 'receptiveField', 'padding', 0);
    return { k: m.kernelSize, s: m.stride, d: m.dilation, p };
  }
  if (m instanceof MaxPool2d || m instanceof AvgPool2d) {
    const o = m.opts;
    return {
      k: pair(o.kernelSize, 1, 'receptiveField', 'kernelSize'),
      s: pair(o.stride, 1, 'receptiveField', 'stride'),
      d: pair(o.dilation, 1, 'receptiveField', 'dilation'),
      p: pair(o.padding, 0, 'receptiveField', 'padding', 0),
    };
  }
  return null;
}

function step(m: Module, name: string, st: State, rows: ReceptiveFieldRow[]): State {
  if (m instanceof Sequential) {
    let s = st;
    m.layers.forEach((l, i) => (s = step(l, name === '' ? String(i) : `${name}.${i}`, s, rows)));
    return s;
  }
  if (m instanceof Container) {
    // Parallel branches from the same input: the merged unit sees the union (the largest field).
    const outs = m.children().map((c, i) => step(c, name === '' ? String(i) : `${name}.${i}`, st, rows));
    const j = outs[0].j;
    for (const o of outs) {
      if (o.j[0] !== j[0] || o.j[1] !== j[1]) throw opError('receptiveField', `${m.type} '${name}' merges branches with different strides (jumps ${JSON.stringify(outs.map((x) => x.j))})`);
    }
    const r = outs.some((o) => o.r === null) ? null : ([Math.max(...outs.map((o) => o.r![0])), Math.max(...outs.map((o) => o.r![1]))] as [number, number]);
    return { r, j, c: outs[0].c, hw: outs[0].hw, weights: outs.reduce((w, o) => w + o.weights - st.weights, st.weights) };
  }
  const win = window(m, st.hw);
  let next: State;
  if (win) {
    const eff = [0, 1].map((a) => win.d[a] * (win.k[a] - 1) + 1) as [number, number];
    next = {
      r: st.r ? [st.r[0] + (eff[0] - 1) * st.j[0], st.r[1] + (eff[1] - 1) * st.j[1]] : null,
      j: [st.j[0] * win.s[0], st.j[1] * win.s[1]],
      c: [st.c[0] + ((eff[0] - 1) / 2 - win.p[0]) * st.j[0], st.c[1] + ((eff[1] - 1) / 2 - win.p[1]) * st.j[1]],
      hw: null,
      weights: st.weights + (m instanceof Conv2d ? win.k[0] * win.k[1] : 0),
    };
    if (st.hw) {
      const n = m.outputShape([1, m instanceof Conv2d ? m.inChannels : 1, st.hw[0], st.hw[1]]);
      next.hw = [n[2], n[3]];
    }
    rows.push({ name, type: m.type, kernel: win.k, stride: win.s, receptiveField: next.r, jump: next.j, start: next.c });
  } else if (PASS_THROUGH.has(m.type) || GLOBAL.has(m.type)) {
    next = { ...st, r: GLOBAL.has(m.type) ? null : st.r };
    rows.push({ name, type: m.type, kernel: [1, 1], stride: [1, 1], receptiveField: next.r, jump: next.j, start: next.c });
  } else {
    throw opError('receptiveField', `does not know how layer '${name}' (${m.type}) changes the receptive field`);
  }
  return next;
}

/**
 * Receptive field of every layer's units in a model (or a list of layers run in order).
 * `receptiveField([conv3, conv3]).receptiveField` → [5, 5].
 */
export function receptiveField(model: Module | Module[], opts: ReceptiveFieldOptions = {}): ReceptiveFieldReport {
  const m = Array.isArray(model) ? new Sequential(...model) : model;
  let hw: [number, number] | null = null;
  if (opts.inputShape) {
    const s = opts.inputShape;
    if (s.length !== 2 && s.length !== 4) throw opError('receptiveField', `inputShape must be [H, W] or [N, C, H, W], got [${s.join(', ')}]`);
    hw = s.length === 2 ? [s[0], s[1]] : [s[2], s[3]];
  }
  const rows: ReceptiveFieldRow[] = [];
  const end = step(m, '', { r: [1, 1], j: [1, 1], c: [0.5, 0.5], hw, weights: 0 }, rows);
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
