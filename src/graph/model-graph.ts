import type { Module, Parameter } from '../layers/module';
import { fmtShape, opError } from '../tensor/errors';
import { GraphView, dotString, graphHeader, htmlText, renderView } from './render';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Options of `drawModel`: layout direction, grads and parameter counts shown or not, a title, PNG scale. */
export interface DrawModelOptions {
  /** 'TB' (default: networks read top to bottom) or 'LR'. */
  rankdir?: 'LR' | 'TB';
  /** Show ‖∇‖₂ on each parameter; default: whether any parameter has a nonzero gradient. */
  showGrad?: boolean;
  /** Draw each parameter (weight, bias) as its own node beside its layer (default true). */
  showParams?: boolean;
  title?: string;
  /** PNG scale: 1 (default) draws 14 pt text at ~17.5 px. */
  pngScale?: number;
}

/** Every key of `DrawModelOptions` (checked both ways at compile time). */
export const DRAW_MODEL_OPTION_NAMES = optionNames<DrawModelOptions>()(['rankdir', 'showGrad', 'showParams', 'title', 'pngScale']);

/** ‖g‖₂ = sqrt(Σ g²), accumulated in float64. */
export function gradNorm(p: Parameter): number {
  let s = 0;
  for (const g of p.grad.data) s += g * g;
  return Math.sqrt(s);
}

function fmtNorm(x: number): string {
  return x === 0 ? '0' : x >= 1e-3 && x < 1e4 ? x.toPrecision(4) : x.toExponential(3);
}

/** Thousands separators: 61,706. */
function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Arguments worth a glance: "1→6 k=5" (stride 1, padding 0, groups 1, bias on are left out). */
export function layerArgs(args: Record<string, unknown>): string {
  const out: string[] = [];
  const a = { ...args };
  const io = (i: string, o: string) => {
    if (typeof a[i] === 'number' && typeof a[o] === 'number') out.push(`${a[i]}→${a[o]}`), delete a[i], delete a[o];
  };
  io('inChannels', 'outChannels');
  io('inFeatures', 'outFeatures');
  const short: Record<string, string> = { kernelSize: 'k', stride: 's', padding: 'p', dilation: 'd', outputSize: 'out' };
  const boring: Record<string, unknown> = { stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, ceilMode: false };
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null) continue;
    // [a, a] pairs read as a; nested objects are summarized by JSON.
    const val = Array.isArray(v) && v.length === 2 && v[0] === v[1] ? v[0] : v;
    if (k in boring && val === boring[k]) continue;
    if (k === 'padding' && val === 'valid') continue;
    out.push(`${short[k] ?? k}=${typeof val === 'string' ? val : JSON.stringify(val)}`);
  }
  return out.join(' ');
}

/** Builds the DOT for a model, layer by layer, with output shapes, parameter counts and ‖∇‖₂. */
class ModelDot {
  private lines: string[] = [];
  private text: string[] = [];
  private n = 0;

  constructor(private readonly opts: Required<Pick<DrawModelOptions, 'showGrad' | 'showParams'>>) {}

  private id(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  /** Draws `m` fed by node `from` with shape `inShape`; returns the node holding its output. */
  emit(m: Module, from: string, inShape: readonly number[], depth: number): { id: string; shape: number[] } {
    const kind = m.config().type;
    const kids = m.children();
    if (kind === 'Sequential' && kids.length > 0) {
      const cluster = depth > 0;
      if (cluster) this.open('Sequential');
      let cur = { id: from, shape: [...inShape] };
      for (const c of kids) cur = this.emit(c, cur.id, cur.shape, depth + (cluster ? 1 : 0));
      if (cluster) this.lines.push('  }');
      return cur;
    }
    if ((kind === 'Concat' || kind === 'Add') && kids.length > 0) {
      this.open(kind);
      this.text.push(`${'  '.repeat(depth)}${kind} of ${kids.length} branches:`);
      const outs = kids.map((c) => this.emit(c, from, inShape, depth + 1));
      const shape = m.outputShape(inShape);
      const id = this.id('m');
      const symbol = kind === 'Concat' ? 'Concat (channels)' : 'Add (+)';
      this.lines.push(
        `  ${id} [shape=box, style="rounded,filled", fillcolor="#fdebd0", label=<<b>${htmlText(symbol)}</b><br/>${htmlText(fmtShape(shape))}>];`,
      );
      for (const o of outs) this.lines.push(`  ${o.id} -> ${id};`);
      this.lines.push('  }');
      this.text.push(`${'  '.repeat(depth)}${symbol} → ${fmtShape(shape)}`);
      return { id, shape };
    }
    return this.leaf(m, kind, from, inShape, depth);
  }

  /** A dashed frame around a nested container (closed by the caller with '}'). */
  private open(label: string): void {
    this.lines.push(`  subgraph cluster_${this.n++} {`, `  label=${dotString(label)}; fontsize=14; style="rounded,dashed"; color="#999999"; margin=10;`);
  }

  private leaf(m: Module, kind: string, from: string, inShape: readonly number[], depth: number): { id: string; shape: number[] } {
    const shape = m.outputShape(inShape);
    const params = m.parameters();
    const count = m.numParameters();
    const id = this.id('m');
    const args = layerArgs(m.config().args);
    const rows = [`<tr><td><b>${htmlText(kind)}</b>${args ? ` ${htmlText(args)}` : ''}</td></tr>`, `<tr><td>→ ${htmlText(fmtShape(shape))}</td></tr>`];
    if (count > 0) rows.push(`<tr><td><font color="#555555">${htmlText(fmtCount(count))} params</font></td></tr>`);
    const fill = count > 0 ? '#e8f1fb' : '#f4f4f4';
    this.lines.push(`  ${id} [shape=plain, label=<<table border="1" cellborder="0" cellspacing="0" cellpadding="4" bgcolor="${fill}">${rows.join('')}</table>>];`);
    this.lines.push(`  ${from} -> ${id};`);
    const notes: string[] = [];
    if (this.opts.showParams && params.length > 0) {
      // One note beside the layer, a row per parameter: "weight [6, 1, 5, 5]  ‖∇‖₂ = 0.1234".
      const pid = this.id('p');
      const prow = (p: Parameter) =>
        `<tr><td align="left">${htmlText(p.name)} ${htmlText(fmtShape(p.value.shape))}</td>` +
        (this.opts.showGrad ? `<td align="left"><font color="#c0392b">‖∇‖₂ = ${htmlText(fmtNorm(gradNorm(p)))}</font></td>` : '') +
        '</tr>';
      this.lines.push(`  ${pid} [shape=note, style=filled, fillcolor="#fffbe6", label=<<table border="0" cellspacing="0" cellpadding="3">${params.map(prow).join('')}</table>>];`);
      this.lines.push(`  ${pid} -> ${id} [style=dashed, color="#888888", arrowsize=0.6];`);
      // Parameters sit beside their layer, not in the data path.
      this.lines.push(`  { rank=same; ${id}; ${pid}; }`);
    }
    if (this.opts.showGrad) for (const p of params) notes.push(`‖∇${p.name}‖₂ = ${fmtNorm(gradNorm(p))}`);
    this.text.push(
      `${'  '.repeat(depth)}${kind}${args ? ` ${args}` : ''} → ${fmtShape(shape)}${count > 0 ? `  ${fmtCount(count)} params` : ''}${notes.length ? `  ${notes.join(', ')}` : ''}`,
    );
    return { id, shape };
  }

  build(model: Module, inputShape: readonly number[], title?: string, rankdir: 'LR' | 'TB' = 'TB'): { dot: string; text: string } {
    this.lines.push(`  input [shape=box, style="rounded,filled", fillcolor="#d6e6f7", label=${dotString(`input ${fmtShape(inputShape)}`)}];`);
    this.text.push(`input ${fmtShape(inputShape)}`);
    const out = this.emit(model, 'input', inputShape, 0);
    const total = `output ${fmtShape(out.shape)}, ${fmtCount(model.numParameters())} parameters`;
    this.lines.push(`  output [shape=box, style="rounded,filled", fillcolor="#d6e6f7", label=${dotString(total)}];`, `  ${out.id} -> output;`);
    this.text.push(total);
    return { dot: [graphHeader({ rankdir, title }), ...this.lines, '}'].join('\n'), text: this.text.join('\n') };
  }
}

/** DOT and a text outline of `model` on input shape `inputShape` (e.g. [1, 1, 28, 28]). */
export function modelGraphDot(model: Module, inputShape: readonly number[], opts: DrawModelOptions = {}): { dot: string; text: string } {
  checkOptionNames('drawModel', opts, DRAW_MODEL_OPTION_NAMES);
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw opError('drawModel', `inputShape must be a list of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  const showGrad = opts.showGrad ?? model.parameters().some((p) => p.grad.data.some((g) => g !== 0));
  return new ModelDot({ showGrad, showParams: opts.showParams ?? true }).build(model, inputShape, opts.title, opts.rankdir ?? 'TB');
}

/**
 * Draws a model (Sequential, with Concat/Add merges) layer by layer: `await drawModel(net, [1, 1, 28, 28])`.
 * After a backward pass each parameter shows its gradient norm ‖∇W‖₂.
 */
export async function drawModel(model: Module, inputShape: readonly number[], opts: DrawModelOptions = {}): Promise<GraphView> {
  const { dot, text } = modelGraphDot(model, inputShape, opts);
  return renderView(dot, text, opts.title ?? '', 'drawModel', opts.pngScale);
}
