/**
 * Which input pixels feed one unit of one layer, exactly: walk the unit back through each
 * conv/pool window (taps at o·S − P + a·D), counting paths. A pixel's count is how many ways it
 * reaches the unit (with all weights 1 it is ∂unit/∂pixel), so the centre of a stacked field is
 * "hotter" than its rim, and dilation holes stay at 0. Padding taps are not pixels and are dropped.
 * Layers are read through the layer table, like `receptiveField` (./receptive-field.ts).
 *
 * Two stacked 3×3 convs (stride 1) give a 5×5 field; add a 2×2/2 pool and a third 3×3 conv: 10×10.
 */
import { fmtShape, opError } from '../tensor/errors';
import { childName, layerStep, windowOutput, type LayerLike } from './receptive-field';
import type { WindowGeometry } from './table';

/** What `receptiveFieldOfUnit` returns: path counts per input pixel, the bounding box and the field size. */
export interface ReceptiveFieldResult {
  /** Pixels × paths: count[r][c] = number of paths from input pixel (r, c) to the unit. */
  counts: number[][];
  /** Bounding box of the pixels that feed the unit, clipped to the input: [first, last] (inclusive). */
  rows: [number, number];
  cols: [number, number];
  /** Field size ignoring the border (the textbook number): r = 1 + Σ (k_eff − 1)·jump. */
  size: [number, number];
  /** Output grid size [H, W] of the chosen layer. */
  layerOutput: [number, number];
  layerName: string;
  layerType: string;
}

interface Leaf {
  name: string;
  type: string;
  /** null = pass-through. */
  win: WindowGeometry | null;
  global: boolean;
}

/** The model as a flat list of leaves in run order (chains expanded; branches refused). */
function leaves(op: string, model: LayerLike | LayerLike[]): Leaf[] {
  const out: Leaf[] = [];
  const visit = (l: LayerLike, name: string) => {
    const s = layerStep(op, l, name);
    if (s.role.kind === 'chain') s.children.forEach((k, i) => visit(k, childName(name, i)));
    else if (s.role.kind === 'branches') throw opError(op, `layer ${name} (${s.type}) has branches; pass its branch as a layer list`);
    else out.push({ name, type: s.type, win: s.role.kind === 'window' ? s.role.window : null, global: s.role.kind === 'global' });
  };
  if (Array.isArray(model)) model.forEach((l, i) => visit(l, String(i)));
  else visit(model, '');
  return out;
}

/**
 * Exact receptive field of `unit` [i, j] of the output of layer `layerIndex` (0-based, in the
 * flattened list of leaf layers), for an input of shape [N, C, H, W], [C, H, W] or [H, W].
 *
 * @example receptiveFieldOfUnit([{ kernelSize: 3 }, { kernelSize: 3 }], 1, [2, 2], [9, 9]).size // [5, 5]
 */
export function receptiveFieldOfUnit(model: LayerLike | LayerLike[], layerIndex: number, unit: readonly [number, number], inputShape: readonly number[]): ReceptiveFieldResult {
  const op = 'receptiveFieldOfUnit';
  const steps = leaves(op, model);
  if (!Number.isInteger(layerIndex) || layerIndex < 0 || layerIndex >= steps.length) throw opError(op, `layerIndex must be in [0, ${steps.length - 1}], got ${layerIndex}`);
  if (!inputShape || inputShape.length < 2) throw opError(op, `inputShape must end in [H, W], got ${inputShape ? fmtShape(inputShape) : inputShape}`);
  // Forward: each layer's input size and resolved padding.
  const sizes: [number, number][] = [[inputShape[inputShape.length - 2], inputShape[inputShape.length - 1]]];
  const pads: [number, number][] = [];
  for (let l = 0; l <= layerIndex; l++) {
    const st = steps[l];
    if (st.global) throw opError(op, `layer ${st.name} (${st.type}) mixes all positions: every unit after it sees the whole input`);
    if (!st.win) {
      pads.push([0, 0]);
      sizes.push(sizes[l]);
      continue;
    }
    const { pad, out } = windowOutput(op, st.win, sizes[l]);
    pads.push(pad);
    sizes.push(out);
  }
  const [oh, ow] = sizes[layerIndex + 1];
  const [ui, uj] = unit;
  if (!Number.isInteger(ui) || !Number.isInteger(uj) || ui < 0 || uj < 0 || ui >= oh || uj >= ow) {
    throw opError(op, `unit [${ui}, ${uj}] is outside layer ${steps[layerIndex].name}'s output ${oh}×${ow}`);
  }
  // Backward: spread path counts through each window.
  let counts: number[][] = Array.from({ length: oh }, (_, r) => Array.from({ length: ow }, (_, c) => (r === ui && c === uj ? 1 : 0)));
  let size: [number, number] = [1, 1];
  for (let l = layerIndex; l >= 0; l--) {
    const win = steps[l].win;
    if (!win) continue;
    const [h, w] = sizes[l];
    const { kernel: k, stride: s, dilation: d } = win;
    const [pt, pl] = pads[l];
    const next = Array.from({ length: h }, () => new Array<number>(w).fill(0));
    counts.forEach((row, or) => row.forEach((n, oc) => {
      if (n === 0) return;
      for (let a = 0; a < k[0]; a++) {
        const y = or * s[0] - pt + a * d[0];
        if (y < 0 || y >= h) continue;
        for (let b = 0; b < k[1]; b++) {
          const x = oc * s[1] - pl + b * d[1];
          if (x >= 0 && x < w) next[y][x] += n;
        }
      }
    }));
    counts = next;
    size = [(size[0] - 1) * s[0] + d[0] * (k[0] - 1) + 1, (size[1] - 1) * s[1] + d[1] * (k[1] - 1) + 1];
  }
  const rowsHit = counts.map((r, i) => (r.some((v) => v > 0) ? i : -1)).filter((i) => i >= 0);
  const colsHit = counts[0].map((_, j) => (counts.some((r) => r[j] > 0) ? j : -1)).filter((j) => j >= 0);
  return {
    counts,
    rows: [rowsHit[0], rowsHit[rowsHit.length - 1]],
    cols: [colsHit[0], colsHit[colsHit.length - 1]],
    size,
    layerOutput: [oh, ow],
    layerName: steps[layerIndex].name,
    layerType: steps[layerIndex].type,
  };
}
