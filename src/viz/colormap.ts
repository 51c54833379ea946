/**
 * Colormaps as plain functions `value → [r, g, b]` (0–255 integers), so tests can check e.g.
 * that 0 maps to the neutral colour, and every image in src/viz uses the same scales.
 *
 * - `diverging(v, vmax)`: signed data (weights, gradients, pre-activation maps). ColorBrewer RdBu
 *   reversed: −vmax → dark blue, 0 → NEUTRAL (near-white), +vmax → dark red. Symmetric around 0 so
 *   the sign of a value is read from its hue alone.
 * - `sequential(v, vmax, vmin = 0)`: non-negative data (post-ReLU maps, counts). Viridis: dark
 *   purple → yellow, perceptually uniform and legible for colour-blind viewers and on projectors.
 * - `grey(v, vmin, vmax)`: input images.
 */
export type RGB = [number, number, number];

/** The colour of 0 under `diverging`: ColorBrewer RdBu's centre (#f7f7f7). */
export const NEUTRAL: RGB = [247, 247, 247];

/** RdBu (11 classes) from −1 (blue) to +1 (red), centre NEUTRAL. */
const RDBU: RGB[] = [
  [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240],
  NEUTRAL,
  [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
];

/** Viridis sampled at 9 evenly spaced points (matplotlib's table), linearly interpolated. */
const VIRIDIS: RGB[] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Piecewise-linear lookup in an anchor table, t ∈ [0, 1]. NaN → mid grey (visible, not silent). */
export function interpolate(table: readonly RGB[], t: number): RGB {
  if (Number.isNaN(t)) return [128, 128, 128];
  const u = clamp01(t) * (table.length - 1);
  const i = Math.min(Math.floor(u), table.length - 2);
  const f = u - i;
  const a = table[i];
  const b = table[i + 1];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Signed value on a scale symmetric around 0: t = (v / vmax + 1) / 2. vmax ≤ 0 → everything neutral. */
export function diverging(v: number, vmax: number): RGB {
  if (!(vmax > 0)) return [...NEUTRAL];
  return interpolate(RDBU, (v / vmax + 1) / 2);
}

/** Non-negative value on [vmin, vmax] (default vmin 0); a constant map draws at the low end. */
export function sequential(v: number, vmax: number, vmin = 0): RGB {
  if (!(vmax > vmin)) return interpolate(VIRIDIS, 0);
  return interpolate(VIRIDIS, (v - vmin) / (vmax - vmin));
}

/** Grey level on [vmin, vmax]: vmin → black, vmax → white. */
export function grey(v: number, vmin: number, vmax: number): RGB {
  const g = vmax > vmin ? Math.round(clamp01((v - vmin) / (vmax - vmin)) * 255) : 0;
  return [g, g, g];
}

/** The three colour maps: diverging (signed, centred on 0), sequential (non-negative), grey (images). */
export type ColormapName = 'diverging' | 'sequential' | 'grey';

/** A colour scale fixed to a range: `scale.color(v)`. Chosen from the data when not forced. */
export interface ColorScale {
  name: ColormapName;
  vmin: number;
  vmax: number;
  color(v: number): RGB;
}

/**
 * The scale a tensor should be drawn with: signed data → diverging, centred on 0 with
 * vmax = max|v|; non-negative → sequential on [0, max]. `force` picks the map explicitly.
 */
export function autoScale(values: ArrayLike<number>, force?: ColormapName): ColorScale {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) {
    lo = 0;
    hi = 0;
  }
  const name: ColormapName = force ?? (lo < 0 ? 'diverging' : 'sequential');
  return scaleFor(name, lo, hi);
}

/** Build a scale for a map and a data range. */
export function scaleFor(name: ColormapName, lo: number, hi: number): ColorScale {
  if (name === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return { name, vmin: -m, vmax: m, color: (v) => diverging(v, m) };
  }
  if (name === 'sequential') {
    const vmin = Math.min(0, lo);
    return { name, vmin, vmax: hi, color: (v) => sequential(v, hi, vmin) };
  }
  return { name, vmin: lo, vmax: hi, color: (v) => grey(v, lo, hi) };
}

/** CSS colour string for an RGB triple. */
export function css(c: RGB): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
