/**
 * The checks a course notebook makes of the numbers it teaches. A notebook is a test: when a value
 * is not what the lesson says, the cell throws, the notebook fails in CI, and the message names
 * the value, what it is and what it should be.
 *
 *   assertEqual('output shape', y.shape, [1, 1, 3, 3]);
 *   assertClose('y[0,0]', y.get(0, 0, 0, 0), 4);
 *   assertAllClose('fast = reference', fast, reference, 1e-5);
 *   check(acc > 0.9, `test accuracy > 90 % (got ${acc})`);
 */
import { opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';

/** Numbers a notebook compares: a tensor, a typed array or a plain array. */
export type Numbers = Tensor | ArrayLike<number>;

function values(x: Numbers): ArrayLike<number> {
  return 'data' in x && 'shape' in x ? (x as Tensor).data : (x as ArrayLike<number>);
}

function isTensor(x: Numbers): x is Tensor {
  return 'shape' in x && Array.isArray((x as Tensor).shape);
}

function shapeOf(x: Numbers): string {
  return isTensor(x) ? `[${x.shape.join(', ')}]` : `(${x.length})`;
}

/**
 * Throws `check failed: <what>` unless `ok`.
 *
 *   check(history.stopReason === 'completed', 'all epochs ran');
 */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
}

/**
 * Deep equality by value (compared as JSON, so shapes, lists and plain objects work; typed arrays
 * are compared as arrays). Throws `<name>: got …, want …`.
 *
 *   assertEqual('pooled shape', pooled.shape, [1, 1, 4, 4]);
 */
export function assertEqual(name: string, got: unknown, want: unknown): void {
  const plain = (v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v);
  const g = JSON.stringify(plain(got));
  const w = JSON.stringify(plain(want));
  if (g !== w) throw new Error(`${name}: got ${g}, want ${w}`);
}

/**
 * |got − want| ≤ tol · max(1, |want|): an absolute tolerance for values near 0 and 1, a relative one
 * for large values. Throws on NaN too.
 *
 *   assertClose('Gaussian centre weight', g.get(0, 0, 1, 1), 0.2042, 1e-3);
 */
export function assertClose(name: string, got: number, want: number, tol = 1e-4): void {
  if (!(tol >= 0)) throw opError('assertClose', `tol must be ≥ 0, got ${tol}`);
  if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) throw new Error(`${name}: got ${got}, want ${want} (tolerance ${tol})`);
}

/**
 * max_i |a_i − b_i| over two equally long tensors or arrays (NaN if any element is NaN).
 *
 *   maxAbsDiff(tensor([1, 2]), [1, 2.5])   // 0.5
 */
export function maxAbsDiff(a: Numbers, b: Numbers): number {
  const x = values(a);
  const y = values(b);
  if (x.length !== y.length) throw opError('maxAbsDiff', `sizes differ: ${shapeOf(a)} has ${x.length} values, ${shapeOf(b)} has ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}

/**
 * Same shape (when both are tensors) and every element within the tolerance of assertClose:
 * |got_i − want_i| ≤ tol · max(1, |want_i|). Throws naming the worst element.
 *
 *   assertAllClose('dX = conv2d(dY, flipped W)', dX, reference, 1e-5);
 */
export function assertAllClose(name: string, got: Numbers, want: Numbers, tol = 1e-5): void {
  if (!(tol >= 0)) throw opError('assertAllClose', `tol must be ≥ 0, got ${tol}`);
  if (isTensor(got) && isTensor(want) && shapeOf(got) !== shapeOf(want)) throw new Error(`${name}: shape ${shapeOf(got)}, want ${shapeOf(want)}`);
  const g = values(got);
  const w = values(want);
  if (g.length !== w.length) throw new Error(`${name}: ${g.length} values, want ${w.length}`);
  let worst = -1;
  let excess = 0;
  for (let i = 0; i < g.length; i++) {
    const over = Math.abs(g[i] - w[i]) / Math.max(1, Math.abs(w[i]));
    if (Number.isNaN(over) || over > excess) {
      worst = i;
      excess = over;
      if (Number.isNaN(over)) break;
    }
  }
  if (worst >= 0 && !(excess <= tol)) throw new Error(`${name}[${worst}]: got ${g[worst]}, want ${w[worst]} (tolerance ${tol})`);
}
