/**
 * The data of a walkthrough (what src/viz/walk-frame.ts draws and src/viz/walkthrough.ts shows),
 * kept apart from both so neither imports the other.
 */
import type { Pad4 } from '../ops/shape';

/** Which op a walkthrough steps through. */
export type WalkKind = 'conv' | 'maxpool' | 'avgpool' | 'relu';

/** One frame: which cells were read for one output cell, and how they were combined. */
export interface WalkStep {
  /** Output position [row, col]. */
  out: [number, number];
  /** Cells read, as [row, col] in the padded input grid, in kernel order. */
  taps: [number, number][];
  /** Their values (padding: 0, or −∞ for max pooling). */
  values: number[];
  /** The combined terms: products x·k for conv, the window values for pooling, [x] for ReLU. */
  terms: number[];
  /** The output value written at `out` (computed by the op itself). */
  result: number;
  /** The arithmetic as written on the board. */
  equation: string;
}

/** Everything one walkthrough shows. */
export interface WalkData {
  readonly kind: WalkKind;
  readonly title: string;
  /** Input after padding, as shown (rows of numbers). */
  readonly padded: number[][];
  /** Padding added on each side (0 for ReLU); ceil-mode pooling may add extra rows/columns bottom/right. */
  readonly pad: Pad4;
  /** Kernel for conv, null otherwise. */
  readonly kernel: number[][] | null;
  /** Window size [KH, KW] (1×1 for ReLU). */
  readonly window: [number, number];
  /** The full output grid (what the op computes). */
  readonly output: number[][];
  readonly steps: WalkStep[];
  /** Decimals shown for non-integers. */
  readonly precision: number;
}

/** A number as a grid cell shows it: integers as they are, others to `precision` decimals, − for minus. */
export function cellText(v: number, precision: number): string {
  if (v === -Infinity) return '−∞';
  if (v === Infinity) return '∞';
  return numberText(v, precision).replace('-', '−');
}

/** A number as an equation writes it (ASCII minus, so the text can be copied into code). */
export function numberText(v: number, precision: number): string {
  if (v === -Infinity) return '−∞';
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(precision)));
}
