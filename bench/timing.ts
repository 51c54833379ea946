/**
 * Timing with process.hrtime. Warm-up runs the function a few times (V8 needs several calls
 * before it compiles the hot loops with its optimizing tier; scratch buffers get first-touched),
 * then repetitions run until a minimum count and a minimum total time are reached (slow calls
 * stop after maxTimeMs). The median is reported: the machines are shared and runs get
 * pre-empted. A call slower than maxTimeMs on its own is reported from that single run — its
 * loops were optimized on-stack during the call, so a warm-up would only double the wait.
 * Wall time only: on these VMs process.cpuUsage under-reports badly when the host is loaded
 * (a run at full speed showed 25 % "cpu"), so CPU-time rates would be fiction.
 *
 * A full garbage collection runs before every timed call, outside the timing, for every engine
 * alike: each call returns a new output array, and whether it lands on memory a collection has
 * already freed or on freshly mapped pages (~11 µs per 4 KB page here, shared/FINDINGS.md)
 * depends on when V8 last collected — S1's forward pass (0.9 MB out) flipped between 0.8 and
 * 3 ms in stretches of dozens of calls, for tscnn and tfjs alike, and the median followed the
 * lottery. Collected first, each call pays for its output's allocation but not for the timing
 * of someone else's garbage. Then the main thread sleeps SETTLE_MS: V8 finishes a collection on
 * background threads, which otherwise take the core a worker thread needs (measured: S2's
 * forward 1.36 ms right after the collection, 0.94 ms after a 5 ms pause). Last, one untimed
 * call: after the pause the caches are cold and tscnn's worker thread asleep, which back-to-back
 * calls (a training loop) never see; the call after it is the one timed.
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
export interface TimingOptions {
  /** Warm-up: up to 5 calls while less than this many ms have been spent. */
  warmupMs: number;
  /** Repetitions after warm-up, at least (unless maxTimeMs runs out first; never fewer than 1). */
  minReps: number;
  /** Keep repeating until this much time (ms) has been spent, up to maxReps. */
  minTimeMs: number;
  /** Stop adding repetitions for minReps after this long (slow naive loops). */
  maxTimeMs: number;
  maxReps: number;
}

export interface Timing<T> {
  /** Median wall time per call. */
  medianMs: number;
  reps: number;
  /** The value the last call returned (to check implementations agree, for free). */
  result: T;
}

/** V8's full collection as a function (`--expose-gc` set at run time), or a no-op if refused. */
const collect: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    /* an embedder that forbids it: time without */
  }
  return () => undefined;
})();

const SETTLE_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Collect garbage, let V8's background threads finish (a synchronous sleep), run `fn` once. */
function settle(fn: () => unknown): void {
  collect();
  Atomics.wait(sleeper, 0, 0, SETTLE_MS);
  fn();
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time of `fn` in milliseconds. */
export function timeIt<T>(fn: () => T, opts: TimingOptions): Timing<T> {
  const w0 = nowMs();
  let result = fn();
  const first = nowMs() - w0;
  if (first >= opts.maxTimeMs) return { medianMs: first, reps: 1, result };
  for (let calls = 1; calls < 5 && nowMs() - w0 < opts.warmupMs; calls++) result = fn();
  const times: number[] = [];
  const start = nowMs();
  let idle = 0; // time spent collecting, not counted against the time budget
  for (;;) {
    const spent = nowMs() - start - idle;
    const more = times.length < 1 || spent < opts.minTimeMs || (times.length < opts.minReps && spent < opts.maxTimeMs);
    if (!more || times.length >= opts.maxReps) break;
    const g0 = nowMs();
    settle(fn);
    const t0 = nowMs();
    idle += t0 - g0;
    result = fn();
    times.push(nowMs() - t0);
  }
  return { medianMs: median(times), reps: times.length, result };
}
