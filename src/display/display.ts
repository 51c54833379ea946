/**
 * The notebook display API (the only library code that emits notebook output):
 *
 *   show(a, b, …)                       one display_data per value, all MIME types of each
 *   const h = display(value, { id? })   → DisplayHandle; h.update(next) replaces it in place
 *   clearOutput(wait = false)           clears the cell's outputs (wait: on the next output)
 *   toMimeBundle(value)                 the value's [DISPLAY]() bundle, else util.inspect text
 *
 * Values are anything implementing `[Symbol.for('Jupyter.display')]()` (Tensor, Value, models,
 * histories), a ready MimeBundle wrapped with `mime(bundle)`, or any other value (text/plain).
 */
import { randomBytes } from 'crypto';
import { inspect } from 'util';
import { DISPLAY, MimeBundle, isDisplayable } from './mime';
import { emit } from './transport';
import { checkOptionNames } from '../tensor/options';

const BUNDLE = Symbol.for('tscnn.display.bundle');
/** The kernel does not echo a cell's last value carrying this symbol (see kernels/lib/server.js). */
const NO_RESULT = Symbol.for('tscnn.noResult');

/** Marks a MIME bundle as a bundle (so `display(mime({...}))` sends it as is). */
export function mime(bundle: MimeBundle): MimeBundle {
  const copy: MimeBundle = { ...bundle };
  Object.defineProperty(copy, BUNDLE, { value: true, enumerable: false });
  return copy;
}

function isMarkedBundle(v: unknown): v is MimeBundle {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BUNDLE] === true;
}

/**
 * A value → MIME bundle. Uses `value[DISPLAY]()` when present (adding text/plain via
 * util.inspect when the bundle lacks it); strings are shown as themselves, other values as
 * util.inspect text.
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if (isMarkedBundle(value)) return withText({ ...value }, value);
  if (isDisplayable(value)) return withText(value[DISPLAY](), value);
  if (typeof value === 'string') return { 'text/plain': value };
  return { 'text/plain': inspect(value, { depth: 4 }) };
}

function withText(bundle: MimeBundle, value: unknown): MimeBundle {
  return 'text/plain' in bundle ? bundle : { ...bundle, 'text/plain': inspect(value, { depth: 2 }) };
}

/** A display output that can be replaced in place (live progress, training curves). */
export interface DisplayHandle {
  readonly id: string;
  /** Replace the output (update_display_data with this handle's display_id). */
  update(value: unknown): void;
}

/** The signature of `display` (views that update in place take one, so a widget can route them). */
export type DisplayFn = (value: unknown, opts?: { id?: string }) => DisplayHandle;

/** Show `value` (bundle via `mime()`, displayable, or any value); returns a handle to update it. */
export function display(value: unknown, opts: { id?: string } = {}): DisplayHandle {
  checkOptionNames('display', opts, ['id']);
  const id = opts.id ?? randomBytes(8).toString('hex');
  emit({ type: 'display_data', data: toMimeBundle(value), id });
  const handle: DisplayHandle = {
    id,
    update(next: unknown): void {
      emit({ type: 'update_display_data', data: toMimeBundle(next), id });
    },
  };
  // `display(x)` as a cell's last line shows x once, not x and then the handle.
  Object.defineProperty(handle, NO_RESULT, { value: true, enumerable: false });
  return handle;
}

/** One display_data output per value, each with every MIME type its bundle has. */
export function show(...values: unknown[]): void {
  for (const v of values) emit({ type: 'display_data', data: toMimeBundle(v) });
}

/** Clear the cell's outputs; with `wait`, only when the next output arrives (no flicker). */
export function clearOutput(wait = false): void {
  emit({ type: 'clear_output', wait });
}
