/**
 * Options objects checked by name. The notebook kernel transpiles cells without type-checking
 * them (like `deno run`), so `conv2d(x, w, b, { strid: 2 })` would otherwise be ignored in
 * silence; every public function that takes options calls `checkOptionNames` at its entry.
 *
 * The known names come from one list per options type, built with `optionNames<T>()([...])`:
 * TypeScript rejects the list when it names a key T lacks, or lacks a key T has.
 */
import { opError } from './errors';

type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;
type AllNamed<T, K extends readonly PropertyKey[]> =
  [Missing<T, K>] extends [never] ? unknown : { readonly 'option names missing': Missing<T, K> };

/**
 * The names of every key of an options interface, checked both ways at compile time.
 * @example const POOL_OPTION_NAMES = optionNames<Pool2dOptions>()(['kernelSize', 'stride', 'padding', 'dilation', 'impl']);
 */
export function optionNames<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(names: K & AllNamed<T, K>): K => names;
}

/** Levenshtein distance (insert, delete, substitute each cost 1), two rows of the usual table. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The known name closest to `key`, or null: case-insensitive edit distance ≤ 2 (≤ 1 for keys of
 * up to 4 letters, so 'seed' does not suggest 'std') to the whole name, or, for keys of 4+
 * letters, to the name's start of the same length ('kernal' → 'kernelSize'); a whole-name match
 * wins a tie.
 */
export function closestName(key: string, known: readonly string[]): string | null {
  const k = key.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const name of known) {
    const n = name.toLowerCase();
    const whole = editDistance(k, n);
    const start = k.length >= 4 && n.length > k.length ? editDistance(k, n.slice(0, k.length)) + 0.5 : Infinity;
    const d = Math.min(whole, start);
    if (d < bestD) { best = name; bestD = d; }
  }
  const limit = key.length <= 4 ? 1.5 : 2.5;
  return best !== null && bestD <= limit && bestD < key.length ? best : null;
}

/** The class name of a non-plain object (a Tensor, an Rng…), or null for `{…}` literals from any realm. */
function className(v: object): string | null {
  const proto = Object.getPrototypeOf(v);
  if (proto === null) return null;
  const name = typeof proto.constructor === 'function' ? proto.constructor.name : '';
  return name === 'Object' ? null : name || 'an object with a prototype';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array [${v.slice(0, 4).map(String).join(', ')}${v.length > 4 ? ', …' : ''}]`;
  if (typeof v === 'string') return `string '${v}'`;
  if (typeof v === 'object') return className(v as object) ?? 'object';
  if (typeof v === 'function') return 'a function';
  return `${typeof v} ${String(v)}`;
}

/**
 * Throw `op: unknown option 'strid' (known: stride, padding, …); did you mean 'stride'?` when
 * `opts` has a key outside `known` (keys whose value is undefined count too). undefined and null
 * opts pass; anything else that is not a plain `{…}` object (a number, an array, a Tensor, an
 * Rng…) throws naming the argument `arg`.
 */
export function checkOptionNames(op: string, opts: unknown, known: readonly string[], arg = 'opts'): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== 'object' || Array.isArray(opts) || className(opts) !== null) {
    throw opError(op, `${arg} must be an options object {${known.join(', ')}}, got ${describe(opts)}`);
  }
  const unknown = Object.keys(opts).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const list = unknown.map((k) => `'${k}'`).join(', ');
  const knownText = known.length ? known.join(', ') : 'none';
  const guesses = unknown.map((k) => [k, closestName(k, known)] as const).filter(([, g]) => g !== null);
  let hint = '';
  if (unknown.length === 1 && guesses.length === 1) hint = `; did you mean '${guesses[0][1]}'?`;
  else if (guesses.length) hint = `; did you mean ${guesses.map(([k, g]) => `'${g}' for '${k}'`).join(', ')}?`;
  const where = arg === 'opts' ? '' : ` in ${arg}`;
  throw opError(op, `unknown option${unknown.length > 1 ? 's' : ''} ${list}${where} (known: ${knownText})${hint}`);
}
