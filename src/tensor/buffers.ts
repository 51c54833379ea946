/**
 * Recycled float32 storage for activations and gradients.
 *
 * Why: on these machines the first write to freshly mapped memory costs ~11 µs per 4 KB page
 * (docs/measured.md), so a new 1.2 MB feature map costs ~0.5 ms before any arithmetic —
 * in a LeNet-5 training step that was a quarter of the time. A training step allocates the
 * same sizes every time, so buffers whose tensors are known to be dead go back to a free list
 * (`recycleFloat32`) and the next `allocFloat32` of that length takes one from it.
 *
 * Who recycles: only code that knows nothing else can hold the buffer — `Sequential` hands back
 * its children's intermediate outputs at its next forward and the gradients between children
 * as soon as the next child has consumed them (src/layers/sequential.ts). Anything a caller
 * receives (a model's output, the input gradient, op results) is never recycled.
 */

/** Below this many floats allocation is cheap (no page faults to speak of): not worth pooling. */
const MIN_POOLED = 1024;
/**
 * Caps, beyond which buffers are left to the GC: bytes in all, and buffers of one length (a
 * step recycles a handful per length; a length nobody allocates again must not pile up).
 */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;
const MAX_PER_LENGTH = 16;

const free = new Map<number, Float32Array[]>();
/** Buffers now in the free list (guards against recycling one twice, which would hand it out twice). */
const pooled = new WeakSet<Float32Array>();
let pooledBytes = 0;
let enabled = true;
let reused = 0;

/**
 * A Float32Array of length n: from the free list when one of that length is there (zero-filled
 * unless `zero` is false, for callers that overwrite every element), else a new one.
 */
export function allocFloat32(n: number, zero = true): Float32Array {
  if (n >= MIN_POOLED) {
    const a = free.get(n)?.pop();
    if (a) {
      pooled.delete(a);
      pooledBytes -= n * 4;
      reused++;
      if (zero) a.fill(0);
      return a;
    }
  }
  return new Float32Array(n);
}

/**
 * Give `a` back for reuse. The caller promises that no live tensor uses this storage. Views
 * into a larger buffer, shared memory and small arrays are ignored.
 */
export function recycleFloat32(a: Float32Array): void {
  if (!enabled || a.length < MIN_POOLED || pooled.has(a)) return;
  if (a.byteOffset !== 0 || a.buffer.byteLength !== a.byteLength || !(a.buffer instanceof ArrayBuffer)) return;
  if (pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  let list = free.get(a.length);
  if (!list) free.set(a.length, (list = []));
  if (list.length >= MAX_PER_LENGTH) return;
  list.push(a);
  pooled.add(a);
  pooledBytes += a.byteLength;
}

/**
 * Turn recycling on or off (on by default); off also empties the free list. Returns the
 * previous setting. Off is for debugging a suspected aliasing problem: results must not change.
 */
export function setBufferRecycling(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  if (!on) {
    free.clear();
    pooledBytes = 0;
  }
  return prev;
}

/** Free-list state, for tests and reports: bytes held now, and how many allocations it served. */
export function bufferPoolStats(): { pooledBytes: number; reused: number } {
  return { pooledBytes, reused };
}
