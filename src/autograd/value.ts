import { opError } from '../tensor/errors';
import { DISPLAY, MimeBundle, escapeHtml } from '../display/mime';

/** A Value, or a plain number that becomes a constant leaf. */
export type Operand = Value | number;

/** One edge visited by `backward`: `child.grad += local × upstream` (the chain rule). */
export interface BackwardStep {
  /** The node whose gradient is being pushed down (its grad is final). */
  parent: Value;
  /** Which input of `parent`'s op (a·a has the same child at 0 and 1). */
  index: number;
  child: Value;
  /** ∂parent/∂child, evaluated at the forward values. */
  local: number;
  /** ∂root/∂parent. */
  upstream: number;
  /** local × upstream, added into child.grad. */
  contribution: number;
}

/**
 * A scalar that remembers how it was computed, for chain-rule lessons (karpathy/micrograd).
 *
 * Every op computes its output AND its local derivatives ∂out/∂input right beside each other,
 * and stores them on the output node (`locals`, plus `formulas` in words for the step view).
 * `backward()` then needs one rule for every op: `child.grad += local × upstream`.
 * Rendering lives in `src/graph` and only reads `children`, `op`, `locals`, `formulas`.
 */
export class Value {
  data: number;
  /** ∂root/∂this after `root.backward()`; accumulates (+=) like PyTorch leaves. */
  grad = 0;
  /** Name shown in drawings and in "∂f/∂q" ('' = unnamed; a constant shows its number). */
  label: string;
  /** The op that produced this node ('' for leaves), e.g. 'mul', 'exp'. */
  readonly op: string;
  /** Inputs of `op`, in order (micrograd's `_prev`); a node used twice appears twice. */
  readonly children: readonly Value[];
  /** locals[i] = ∂this/∂children[i] at the forward values. */
  readonly locals: readonly number[];
  /** locals[i] in symbols: `{0}`, `{1}` name the inputs, `{out}` this node; e.g. mul → ['{1}', '{0}']. */
  readonly formulas: readonly string[];
  /** The constant exponent of a 'pow' node (drawn as "^n"). */
  readonly exponent?: number;
  /** Made from a plain number inside an op (drawn small, no step of its own). */
  readonly constant: boolean;

  constructor(data: number, label = '', internal?: NodeInit | 'constant') {
    if (typeof data !== 'number' || !Number.isFinite(data)) throw opError('Value', `data must be a finite number, got ${String(data)}`);
    this.data = data;
    this.label = label;
    const node = typeof internal === 'object' ? internal : undefined;
    this.op = node?.op ?? '';
    this.children = node?.children ?? [];
    this.locals = node?.locals ?? [];
    this.formulas = node?.formulas ?? [];
    this.exponent = node?.exponent;
    this.constant = internal === 'constant';
  }

  /** a + b: ∂/∂a = 1, ∂/∂b = 1 */
  add(other: Operand): Value {
    const b = lift(other);
    return node('add', this.data + b.data, [this, b], [1, 1], ['1', '1']);
  }

  /** a − b: ∂/∂a = 1, ∂/∂b = −1 */
  sub(other: Operand): Value {
    const b = lift(other);
    return node('sub', this.data - b.data, [this, b], [1, -1], ['1', '−1']);
  }

  /** a · b: ∂/∂a = b, ∂/∂b = a (the "swap" rule of the multiply gate) */
  mul(other: Operand): Value {
    const b = lift(other);
    return node('mul', this.data * b.data, [this, b], [b.data, this.data], ['{1}', '{0}']);
  }

  /** a / b: ∂/∂a = 1/b, ∂/∂b = −a/b² */
  div(other: Operand): Value {
    const b = lift(other);
    if (b.data === 0) throw opError('div', `division by zero (${this.data} / 0)`);
    return node('div', this.data / b.data, [this, b], [1 / b.data, -this.data / (b.data * b.data)], ['1/{1}', '−{0}/{1}²']);
  }

  /** −a: ∂/∂a = −1 */
  neg(): Value {
    return node('neg', -this.data, [this], [-1], ['−1']);
  }

  /** aⁿ for a constant n: ∂/∂a = n·aⁿ⁻¹ */
  pow(n: number): Value {
    if (typeof n !== 'number') {
      throw opError('pow', 'the exponent must be a plain number, got a Value (for a variable exponent write b.mul(a.log()).exp())');
    }
    const out = Math.pow(this.data, n);
    if (!Number.isFinite(out)) throw opError('pow', `${this.data}^${n} is not a finite real number (${out})`);
    return node('pow', out, [this], [n * Math.pow(this.data, n - 1)], [`${sym(n)}·{0}^${n - 1 < 0 ? `(${sym(n - 1)})` : sym(n - 1)}`], n);
  }

  /** eᵃ: ∂/∂a = eᵃ (the output itself) */
  exp(): Value {
    const out = Math.exp(this.data);
    if (!Number.isFinite(out)) throw opError('exp', `exp(${this.data}) overflows`);
    return node('exp', out, [this], [out], ['{out}']);
  }

  /** ln a for a > 0: ∂/∂a = 1/a */
  log(): Value {
    if (!(this.data > 0)) throw opError('log', `input must be > 0, got ${this.data}`);
    return node('log', Math.log(this.data), [this], [1 / this.data], ['1/{0}']);
  }

  /** max(a, b): the gradient routes to the larger input (to a on a tie). */
  max(other: Operand): Value {
    const b = lift(other);
    const aWins = this.data >= b.data;
    return node('max', aWins ? this.data : b.data, [this, b], aWins ? [1, 0] : [0, 1], aWins ? ['1', '0'] : ['0', '1']);
  }

  /** max(0, a): ∂/∂a = 1 if a > 0 else 0 */
  relu(): Value {
    const on = this.data > 0;
    return node('relu', on ? this.data : 0, [this], [on ? 1 : 0], [on ? '1' : '0']);
  }

  /** σ(a) = 1/(1+e⁻ᵃ): ∂/∂a = σ(a)(1 − σ(a)) */
  sigmoid(): Value {
    // Two branches so that e^{|a|} never overflows.
    const s = this.data >= 0 ? 1 / (1 + Math.exp(-this.data)) : Math.exp(this.data) / (1 + Math.exp(this.data));
    return node('sigmoid', s, [this], [s * (1 - s)], ['{out}(1−{out})']);
  }

  /** tanh a: ∂/∂a = 1 − tanh²a */
  tanh(): Value {
    const t = Math.tanh(this.data);
    return node('tanh', t, [this], [1 - t * t], ['1−{out}²']);
  }

  /** Every node this one depends on, inputs before outputs (each node once). */
  topo(): Value[] {
    const order: Value[] = [];
    const seen = new Set<Value>();
    // Iterative post-order DFS: deep chains (long sums) must not overflow the JS stack.
    const stack: [Value, number][] = [[this, 0]];
    seen.add(this);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < v.children.length) {
        top[1] = i + 1;
        const c = v.children[i];
        if (!seen.has(c)) {
          seen.add(c);
          stack.push([c, 0]);
        }
      } else {
        stack.pop();
        order.push(v);
      }
    }
    return order;
  }

  /**
   * Sets ∂this/∂this = 1 and applies the chain rule in reverse topological order, so each node's
   * grad is complete (all its users have added into it) before it is pushed to its inputs.
   * Interior nodes start from 0 on every call; leaves accumulate (+=) across calls like PyTorch's
   * leaf tensors, so call `zeroGrad()` between two backward passes you do not mean to sum.
   * `onStep` sees every edge as it is applied (the step view records them).
   */
  backward(onStep?: (step: BackwardStep) => void): void {
    const order = this.topo();
    for (const v of order) if (v.op) v.grad = 0;
    this.grad += 1;
    for (let k = order.length - 1; k >= 0; k--) {
      const v = order[k];
      v.children.forEach((child, index) => {
        const contribution = v.locals[index] * v.grad;
        child.grad += contribution;
        onStep?.({ parent: v, index, child, local: v.locals[index], upstream: v.grad, contribution });
      });
    }
  }

  /** Sets grad = 0 on this node and everything it depends on. */
  zeroGrad(): void {
    for (const v of this.topo()) v.grad = 0;
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}, ` : ''}data=${fmt(this.data)}, grad=${fmt(this.grad)}${this.op ? `, op=${this.op}` : ''})`;
  }

  /** A one-line summary; drawing the graph is `await drawGraph(v)` (src/graph). */
  [DISPLAY](): MimeBundle {
    const name = this.label ? `<b>${escapeHtml(this.label)}</b> ` : '';
    const op = this.op ? ` <span style="color:#777">(${escapeHtml(this.op)} of ${this.children.length})</span>` : '';
    return {
      'text/plain': this.toString(),
      'text/html': `<span style="font-family:monospace;font-size:14px">${name}data = ${fmt(this.data)}, grad = ${fmt(this.grad)}${op}</span>`,
    };
  }
}

function lift(x: Operand): Value {
  if (x instanceof Value) return x;
  if (typeof x !== 'number') throw opError('Value', `operand must be a Value or a number, got ${typeof x}`);
  return new Value(x, fmt(x), 'constant');
}

/** What an op stores on its output node. */
interface NodeInit {
  op: string;
  children: Value[];
  locals: number[];
  formulas: string[];
  exponent?: number;
}

function node(op: string, data: number, children: Value[], locals: number[], formulas: string[], exponent?: number): Value {
  if (!Number.isFinite(data)) throw opError(op, `result is ${data} for inputs ${children.map((c) => c.data).join(', ')}`);
  locals.forEach((l, i) => {
    if (!Number.isFinite(l)) throw opError(op, `local derivative for input ${i} is ${l} at inputs ${children.map((c) => c.data).join(', ')}`);
  });
  return new Value(data, '', { op, children, locals, formulas, exponent });
}

/** A constant inside a derivative formula, with a typeset minus: −1, 0.5. */
function sym(n: number): string {
  return fmt(n).replace(/^-/, '−');
}

/** Up to 4 decimals, trailing zeros trimmed: 3, −0.25, 0.1192. */
export function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const s = Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4).replace(/\.?0+$/, '') : x.toExponential(2);
  return s === '-0' ? '0' : s;
}
