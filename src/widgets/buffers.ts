/**
 * Binary parts of widget state (ipywidgets' `_remove_buffers` / `put_buffers`): bytes travel as
 * extra message buffers, and the JSON names where each one belongs. Protocol 2 names nested
 * paths (`buffer_paths: [['value'], ['data', 0]]`); protocol 1 only top-level keys
 * (`buffers: ['value']`).
 */
export type BufferPath = (string | number)[];

function isBytes(v: unknown): v is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

function asView(v: ArrayBufferView | ArrayBuffer): ArrayBufferView {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
}

/** State without its bytes, plus the bytes and their paths (the input is not modified). */
export function removeBuffers(state: Record<string, unknown>): { state: Record<string, unknown>; paths: BufferPath[]; buffers: ArrayBufferView[] } {
  const paths: BufferPath[] = [];
  const buffers: ArrayBufferView[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (isBytes(value)) {
      paths.push(path);
      buffers.push(asView(value));
      return undefined;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]) ?? null);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const w = walk(v, [...path, k]);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    return value;
  };
  return { state: walk(state, []) as Record<string, unknown>, paths, buffers };
}

/** Put received buffers back at their paths (mutates and returns `state`). */
export function putBuffers(state: Record<string, unknown>, paths: BufferPath[], buffers: ArrayBufferView[], where = 'widget message'): Record<string, unknown> {
  if (paths.length !== buffers.length) {
    throw new Error(`widgets: ${where} names ${paths.length} buffer paths but carries ${buffers.length} buffers`);
  }
  paths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0) throw new Error(`widgets: ${where} has a bad buffer path ${JSON.stringify(path)}`);
    let obj: any = state;
    for (const key of path.slice(0, -1)) {
      if (obj[key] === undefined || obj[key] === null) obj[key] = typeof key === 'number' ? [] : {};
      obj = obj[key];
    }
    obj[path[path.length - 1]] = buffers[i];
  });
  return state;
}
