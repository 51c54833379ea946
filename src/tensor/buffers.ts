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
import { totalmem } from 'os';

/** Below this many floats allocation is cheap (no page faults to speak of): not worth pooling. */
const MIN_POOLED = 1024;
/**
 * Caps, beyond which buffers are left to the GC: bytes in all, and buffers of one length (a
 * step recycles a handful per length; a length nobody allocates again must not pile up).
 * The byte cap is a quarter of the machine's memory (or of the process's cgroup limit), at least
 * 256 MiB: VGG16's training step at batch 8 recycles ~3 GB of 100 MB feature maps, and with the
 * old fixed 256 MiB cap each of them was a fresh array again: 14.3 s a step instead of 7.9
 * (docs/measured.md, Memory). Pooled storage is freed after `idleTrimMs` unused (see `touch`).
 */
const MIN_CAP_BYTES = 256 * 1024 * 1024;
const MAX_PER_LENGTH = 16;
/** A pool untouched this long (ms) is emptied, so an idle notebook kernel gives its peak back. */
let idleTrimMs = 5000;

/** A quarter of the memory this process may use: os.totalmem(), or the cgroup limit when lower. */
export function poolCapBytes(total = totalmem(), constrained = processMemoryLimit()): number {
  const limit = constrained > 0 && constrained < total ? constrained : total;
  return Math.max(MIN_CAP_BYTES, Math.floor(limit / 4));
}

/** process.constrainedMemory() (Node ≥ 19.6: the cgroup limit, 0 or undefined when none). */
function processMemoryLimit(): number {
  const f = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory;
  return typeof f === 'function' ? Number(f()) || 0 : 0;
}

const MAX_POOLED_BYTES = poolCapBytes();

const free = new Map<number, Float32Array[]>();
/** Buffers now in the free list (guards against recycling one twice, which would hand it out twice). */
const pooled = new WeakSet<Float32Array>();
let pooledBytes = 0;
let enabled = true;
let reused = 0;
let lastUse = 0;
let trimTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Mark the pool as used now, and make sure a timer will empty it once it has been idle for
 * idleTrimMs. The timer is unref'd (never keeps a process alive) and only re-armed when it
 * fires, so a training loop pays one performance.now() per call; a synchronous loop never lets
 * it fire, a notebook kernel between cells does.
 */
function touch(): void {
  lastUse = performance.now();
  if (trimTimer === null && pooledBytes > 0) armTrim(idleTrimMs);
}

function armTrim(ms: number): void {
  trimTimer = setTimeout(() => {
    trimTimer = null;
    const idle = performance.now() - lastUse;
    if (idle >= idleTrimMs) trimBufferPool();
    else if (pooledBytes > 0) armTrim(idleTrimMs - idle);
  }, ms);
  trimTimer.unref?.();
}

/** Set how long (ms) the pool may sit unused before it is emptied; returns the previous value (tests). */
export function setPoolIdleTrimMs(ms: number): number {
  const prev = idleTrimMs;
  idleTrimMs = ms;
  if (trimTimer !== null) clearTimeout(trimTimer);
  trimTimer = null;
  if (pooledBytes > 0) armTrim(ms);
  return prev;
}

/** Drop every pooled buffer (the GC frees them); returns the bytes dropped. */
export function trimBufferPool(): number {
  const dropped = pooledBytes;
  free.clear();
  pooledBytes = 0;
  return dropped;
}

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
      touch();
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
  touch();
}

/**
 * Turn recycling on or off (on by default); off also empties the free list. Returns the
 * previous setting. Off is for debugging a suspected aliasing problem: results must not change.
 */
export function setBufferRecycling(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  if (!on) trimBufferPool();
  return prev;
}

/** Free-list state, for tests and reports: bytes held now, how many allocations it served, and its byte cap. */
export function bufferPoolStats(): { pooledBytes: number; reused: number; capBytes: number } {
  return { pooledBytes, reused, capBytes: MAX_POOLED_BYTES };
}
