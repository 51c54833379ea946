/**
 * Every open widget by model id (shared through globalThis, so a second copy of this module —
 * tsx in tests beside the kernel's compiled copy — sees the same widgets), and the reference
 * encoding ipywidgets uses for a widget inside another's state: `"IPY_MODEL_<model id>"`.
 */
export interface Registered {
  readonly modelId: string;
  /** The full wire state and its buffers, for `request_states` (protocol 2.1). */
  wireState(): { state: Record<string, unknown>; buffers: ArrayBufferView[]; paths: (string | number)[][] };
}

const KEY = Symbol.for('tscnn.widgets.registry');

export function registry(): Map<string, Registered> {
  const g = globalThis as Record<symbol, unknown>;
  if (!g[KEY]) g[KEY] = new Map<string, Registered>();
  return g[KEY] as Map<string, Registered>;
}

export const REF_PREFIX = 'IPY_MODEL_';

export function toRef(w: { modelId: string }): string {
  return REF_PREFIX + w.modelId;
}

/** The widget a reference names; a clear error for an unknown or malformed one. */
export function fromRef(ref: unknown, where: string): Registered {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) {
    throw new Error(`widgets: ${where} expects a widget reference "${REF_PREFIX}<id>", got ${JSON.stringify(ref)}`);
  }
  const w = registry().get(ref.slice(REF_PREFIX.length));
  if (!w) throw new Error(`widgets: ${where} names an unknown widget ${ref}`);
  return w;
}
