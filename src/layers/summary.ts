/**
 * `summary(model, inputShape)`: a Keras/torchinfo-style table of every layer's output shape,
 * parameter count and FLOPs, from shapes alone (`outputShape`/`flops`, no activations computed),
 * so VGG16 at 224×224 summarises instantly.
 */
import { fmtShape } from '../tensor/errors';
import { formatNumber } from '../tensor/format';
import { Container } from './container';
import type { Module } from './module';
import { LAYER_TABLE, type LayerKind } from './table';

/** One row of `summary`: a layer inside the model, its output shape, parameters and FLOPs. */
export interface SummaryRow {
  /** Dotted path inside the model: '0', '3.1'. */
  name: string;
  type: string;
  /** Nesting level (0 = a direct child of the model). */
  depth: number;
  /** True for Sequential/Concat/Add rows: their params/flops are those of their children (not added twice). */
  container: boolean;
  outputShape: number[];
  /** Parameters of this layer (for a container: of everything inside it). */
  params: number;
  /** FLOPs of one forward pass (2 per multiply-add; for a container: everything inside it). */
  flops: number;
}

/** What `summary` returns: one row per layer, the totals, and `toString()` (the printed table). */
export interface Summary {
  inputShape: number[];
  outputShape: number[];
  rows: SummaryRow[];
  /** Trainable + non-trainable (Keras' convention). */
  totalParams: number;
  /** Entries of `parameters()` (what an optimizer updates). */
  trainableParams: number;
  /** Entries of `buffers()` (BatchNorm running statistics). */
  nonTrainableParams: number;
  totalFlops: number;
  toString(): string;
}

/**
 * Trainable parameters from the layer table (config alone, no weights read); a module type the
 * table does not know (a notebook's own Module subclass) counts its `parameters()`.
 */
function count(m: Module): number {
  const kind = (LAYER_TABLE as Record<string, LayerKind>)[m.type];
  return kind ? kind.params(m.config().args, m.children().map(count)) : m.numParameters();
}

function walk(m: Module, inShape: readonly number[], prefix: string, depth: number, rows: SummaryRow[]): void {
  if (!(m instanceof Container)) return;
  const shapes = m.childInputShapes(inShape);
  m.children().forEach((c, i) => {
    const name = prefix === '' ? String(i) : `${prefix}.${i}`;
    rows.push({
      name,
      type: c.type,
      depth,
      container: c instanceof Container,
      outputShape: c.outputShape(shapes[i]),
      params: count(c),
      flops: c.flops(shapes[i]),
    });
    walk(c, shapes[i], name, depth + 1, rows);
  });
}

/** Group digits: 61706 → '61,706'. */
function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1.55e10 → '15.47 GFLOPs'-style compact numbers for the table. */
function compact(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (n >= v) return `${formatNumber(Number((n / v).toFixed(2)))}${u}`;
  return String(n);
}

/**
 * Keras/torchinfo-style table of a model on `inputShape`: each layer's output shape, parameters
 * (from the layer table) and FLOPs (2 per multiply-add), from shapes alone.
 *
 * @example summary(lenet5(), [1, 1, 28, 28]).totalParams // 61706
 */
export function summary(model: Module, inputShape: readonly number[]): Summary {
  const rows: SummaryRow[] = [];
  if (model instanceof Container) walk(model, inputShape, '', 0, rows);
  else {
    rows.push({ name: '', type: model.type, depth: 0, container: false, outputShape: model.outputShape(inputShape), params: count(model), flops: model.flops(inputShape) });
  }
  const trainableParams = count(model);
  const nonTrainableParams = model.buffers().reduce((n, b) => n + b.value.size, 0);
  const result: Summary = {
    inputShape: [...inputShape],
    outputShape: model.outputShape(inputShape),
    rows,
    totalParams: trainableParams + nonTrainableParams,
    trainableParams,
    nonTrainableParams,
    totalFlops: model.flops(inputShape),
    toString: () => formatSummary(model, result),
  };
  return result;
}

function formatSummary(model: Module, s: Summary): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'FLOPs'];
  const body = s.rows.map((r) => [
    `${'  '.repeat(r.depth)}${r.name === '' ? '' : r.name + ' '}(${r.type})`,
    fmtShape(r.outputShape),
    r.container ? `(${grouped(r.params)})` : grouped(r.params),
    r.container ? `(${compact(r.flops)})` : compact(r.flops),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    `${model.type} on input ${fmtShape(s.inputShape)} → ${fmtShape(s.outputShape)}`,
    rule,
    line(header),
    rule,
    ...body.map(line),
    rule,
    `Total params:         ${grouped(s.totalParams)}`,
    `Trainable params:     ${grouped(s.trainableParams)}`,
    `Non-trainable params: ${grouped(s.nonTrainableParams)}`,
    `Forward FLOPs:        ${grouped(s.totalFlops)} (${compact(s.totalFlops)})`,
    '(container rows in parentheses repeat the totals of the rows nested under them)',
  ].join('\n');
}
