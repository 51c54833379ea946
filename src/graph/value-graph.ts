import { Value, fmt } from '../autograd/value';
import { GraphView, dotString, graphHeader, htmlText, renderView } from './render';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Options of `drawGraph`: layout direction ('LR' | 'TB'), whether to show grads, a title, PNG scale. */
export interface DrawGraphOptions {
  /** Layout direction: 'LR' (default, like the lecture diagrams) or 'TB'. */
  rankdir?: 'LR' | 'TB';
  /** Show gradients on nodes and edges; default: whether `backward()` has run (root.grad ≠ 0). */
  showGrad?: boolean;
  /** Caption drawn above the graph. */
  title?: string;
  /** PNG scale: 1 (default) draws 14 pt text at ~17.5 px. */
  pngScale?: number;
}

/** Every key of `DrawGraphOptions` (checked both ways at compile time). */
export const DRAW_GRAPH_OPTION_NAMES = optionNames<DrawGraphOptions>()(['rankdir', 'showGrad', 'title', 'pngScale']);

/** What a single frame of the step view needs beyond the plain drawing. */
export interface Highlight {
  /** The node whose gradient this frame computes. */
  current: Value;
  /** Nodes whose gradient is known at this frame (others show "grad ?"). */
  known: ReadonlySet<Value>;
}

/** Op symbols as drawn in the op circles. */
const OP_SYMBOL: Record<string, string> = {
  add: '+', sub: '-', mul: '×', div: '÷', neg: 'neg', exp: 'exp', log: 'log',
  max: 'max', relu: 'ReLU', sigmoid: 'σ', tanh: 'tanh',
};

export function opSymbol(v: Value): string {
  if (v.op === 'pow') return `^${fmt(v.exponent ?? NaN)}`;
  return OP_SYMBOL[v.op] ?? v.op;
}

/**
 * Names for every node of the graph: its label, a constant's number, else n1, n2, … in
 * topological order (inputs first), so "∂f/∂n3" in the step view matches the drawing.
 */
export function nodeNames(root: Value): Map<Value, string> {
  const names = new Map<Value, string>();
  let k = 0;
  for (const v of root.topo()) names.set(v, v.label || (v.constant ? fmt(v.data) : `n${++k}`));
  if (!root.label) names.set(root, 'f'); // the output is "f" in ∂f/∂x unless it has a name
  return names;
}

const GRAD = '#c0392b';
const FOCUS = '#e67e22';

/**
 * DOT for a Value graph, micrograd style: a box per value (name | data | grad), a circle per op,
 * wires input → op → output. With gradients on, each input wire carries the gradient it sends
 * back (local × upstream); a value used twice has two wires whose labels sum to its grad.
 */
export function valueGraphDot(root: Value, opts: DrawGraphOptions = {}, hl?: Highlight): string {
  checkOptionNames('drawGraph', opts, DRAW_GRAPH_OPTION_NAMES);
  const order = root.topo();
  const id = new Map(order.map((v, i) => [v, i]));
  const names = nodeNames(root);
  const showGrad = opts.showGrad ?? root.grad !== 0;
  const known = (v: Value) => !hl || hl.known.has(v);
  const out = [graphHeader({ rankdir: opts.rankdir ?? 'LR', title: opts.title })];

  for (const v of order) {
    const i = id.get(v)!;
    if (v.constant) {
      out.push(`  v${i} [shape=box, style="rounded,filled", fillcolor="#eeeeee", color="#999999", margin="0.08,0.04", label=${dotString(fmt(v.data))}];`);
    } else {
      const focus = hl?.current === v;
      // Three short rows instead of one long one: long chains stay narrow enough for a slide.
      const head = focus ? '#ffd35c' : v.children.length === 0 ? '#d6e6f7' : '#eeeeee';
      const rows = [`<tr><td bgcolor="${head}"><b>${htmlText(names.get(v)!)}</b></td></tr>`, `<tr><td>data ${htmlText(fmt(v.data))}</td></tr>`];
      if (showGrad) {
        rows.push(known(v) ? `<tr><td><font color="${GRAD}">grad ${htmlText(fmt(v.grad))}</font></td></tr>` : '<tr><td><font color="#999999">grad ?</font></td></tr>');
      }
      const border = focus ? ` color="${FOCUS}"` : '';
      out.push(`  v${i} [shape=plain, label=<<table border="${focus ? 3 : 1}" cellborder="0" cellspacing="0" cellpadding="4" bgcolor="${focus ? '#fff4d0' : '#ffffff'}"${border}>${rows.join('')}</table>>];`);
    }
    if (v.op) {
      out.push(`  o${i} [shape=circle, width=0.5, margin=0.02, style=filled, fillcolor="#f4f4f4", label=${dotString(opSymbol(v))}];`);
      out.push(`  o${i} -> v${i};`);
      v.children.forEach((c, k) => {
        const attrs: string[] = [];
        // A wire's gradient appears once its input has collected it (step view: one node at a time).
        if (showGrad && known(v) && known(c)) attrs.push(`label=${dotString(fmt(v.locals[k] * v.grad))}`, `fontcolor="${GRAD}"`);
        if (hl?.current === c) attrs.push(`color="${FOCUS}"`, 'penwidth=3');
        out.push(`  v${id.get(c)} -> o${i}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
      });
    }
  }
  out.push('}');
  return out.join('\n');
}

/** One line per node, inputs first: `q = x + y = 3   grad −4`. */
export function valueGraphText(root: Value, showGrad: boolean): string {
  const names = nodeNames(root);
  return root
    .topo()
    .filter((v) => !v.constant)
    .map((v) => {
      const def = v.op ? ` = ${opSymbol(v)}(${v.children.map((c) => names.get(c)).join(', ')})` : '';
      return `${names.get(v)}${def} = ${fmt(v.data)}${showGrad ? `   grad ${fmt(v.grad)}` : ''}`;
    })
    .join('\n');
}

/**
 * Draws the graph that computed `root` with graphviz: `await drawGraph(f)` in a notebook cell.
 * Before `f.backward()` it shows the forward values; after, also every gradient.
 */
export async function drawGraph(root: Value, opts: DrawGraphOptions = {}): Promise<GraphView> {
  checkOptionNames('drawGraph', opts, DRAW_GRAPH_OPTION_NAMES);
  const showGrad = opts.showGrad ?? root.grad !== 0;
  const dot = valueGraphDot(root, { ...opts, showGrad });
  return renderView(dot, valueGraphText(root, showGrad), opts.title ?? '', 'drawGraph', opts.pngScale);
}
