/**
 * Both cores for the conv kernels: the batch is split between the main thread and worker
 * threads that run the same wasm kernels on the same shared memory (src/ops/wasm/worker.cjs).
 *
 * Why across the batch: images are independent, so each thread runs whole per-image loops
 * (no synchronisation inside a GEMM); splitting one small LeNet GEMM between threads was
 * erratic, since waking a thread costs 35–180 µs here. The main thread does its share instead
 * of waiting, then takes over any share a worker has not claimed yet (so a worker whose core is
 * busy never stalls an op), and otherwise waits for the workers (spinning briefly, then
 * Atomics.wait).
 *
 * Workers start lazily on first use and are unref'd (they never keep Node alive). Until they
 * report ready, for jobs too small to be worth a wake-up, and (by default) while the machine
 * has no idle core ('auto'), the main thread does everything. `setWasmThreads(n)` or
 * TSCNN_THREADS=n sets a count that is followed regardless of load; 1 turns the workers off.
 */
import { readFileSync } from 'fs';
import { availableParallelism, loadavg } from 'os';
import { resolve } from 'path';
import { Worker } from 'worker_threads';
import { opError } from '../../tensor/errors';
import { wasmKernels } from './runtime';

/** Kernel numbers understood by worker.cjs. */
export const OP = { convForward: 1, convGradInput: 2, convGradWeight: 3, convBackward: 4 } as const;
export type KernelOp = keyof typeof OP;

/** Below this many FLOPs per call, one thread does it all (a wake-up would cost more). */
const MIN_PARALLEL_FLOPS = 2e6;
/**
 * How long a worker spins for its next job before it sleeps (and the main thread for a worker
 * before it waits). A LeNet-5 step has ~0.5 ms of ReLU/pooling between its conv jobs: spinning
 * 1 ms keeps the worker awake across them instead of paying a 35–180 µs wake-up per job —
 * measured 6.0–6.5 ms per step against 6.0–9.2 ms with 0.2 ms (interleaved runs, batch 64).
 */
const SPIN_MS = 1;
/** Control block ints (layout in worker.cjs): 12 argument slots, then the error flag and the claim. */
const CTL_INTS = 20;
const ARG0 = 4;
const MAX_ARGS = 12;
const ERR = 16;
const CLAIM = 17;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  job: number;
}

let helpers: Helper[] = [];
/** Shares run by workers so far (tests check that the split really happened). */
let workerJobs = 0;

export function wasmWorkerJobs(): number {
  return workerJobs;
}

const AUTO_THREADS = Math.max(1, Math.min(2, availableParallelism()));

/** Thread setting: a count, or 'auto' (both cores, but only while one is idle). */
export type WasmThreads = number | 'auto';

function parseEnv(v: string | undefined): WasmThreads {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n >= 1 && n <= 16 ? n : 'auto';
}

let setting: WasmThreads = parseEnv(process.env.TSCNN_THREADS);
let wanted = setting === 'auto' ? AUTO_THREADS : setting;

/**
 * Threads the conv kernels may use: n (1 = main thread only, followed even on a busy machine)
 * or 'auto' (the default; TSCNN_THREADS=n overrides it). Returns the previous setting.
 */
export function setWasmThreads(n: WasmThreads): WasmThreads {
  if (n !== 'auto' && (!Number.isInteger(n) || n < 1 || n > 16)) throw opError('setWasmThreads', `n must be 'auto' or an integer in 1 … 16, got ${n}`);
  const prev = setting;
  setting = n;
  wanted = n === 'auto' ? AUTO_THREADS : n;
  if (helpers.length > wanted - 1) {
    for (const h of helpers.slice(wanted - 1)) void h.worker.terminate();
    helpers = helpers.slice(0, wanted - 1);
  }
  return prev;
}

let takeover = true;

/**
 * Whether the main thread may take over a share no worker has claimed yet (default true);
 * returns the previous setting. Off, every share waits for its worker (tests use this to check
 * that workers really run).
 */
export function setWasmTakeover(on: boolean): boolean {
  const prev = takeover;
  takeover = on;
  return prev;
}

export function getWasmThreads(): WasmThreads {
  return setting;
}

let source: string | undefined;

function workerSource(): string {
  source ??= readFileSync(resolve(__dirname, 'worker.cjs'), 'utf8');
  return source;
}

function spawn(): void {
  const m = wasmKernels();
  if (!m) return;
  while (helpers.length < wanted - 1) {
    const control = new SharedArrayBuffer(CTL_INTS * 4);
    // Started from source (eval): module loader hooks that a parent such as tsx installs are
    // inherited by workers and would load worker.cjs as an ES module.
    const worker = new Worker(workerSource(), { eval: true, workerData: { module: m.module, memory: m.memory, control, spinMs: SPIN_MS } });
    worker.unref();
    // A worker that dies is dropped; its share then runs on the main thread.
    worker.on('error', () => { helpers = helpers.filter((h) => h.worker !== worker); });
    helpers.push({ worker, ctl: new Int32Array(control), job: 0 });
  }
}

function ready(h: Helper): boolean {
  return Atomics.load(h.ctl, 2) === 1;
}

/** Resolves once every wanted worker has started (tests and benchmarks wait for this). */
export async function wasmThreadsReady(timeoutMs = 10000): Promise<number> {
  spawn();
  const t0 = Date.now();
  while (!helpers.every(ready)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`wasmThreadsReady: workers did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return 1 + helpers.length;
}

/**
 * Cores kept busy by other processes over a window, from two readings of the first line of
 * /proc/stat (`busy`, `total`: jiffies summed over all CPUs, steal time counting as busy) and
 * this process's own CPU time over the same window (ownMs, from process.cpuUsage, all threads).
 */
export function othersBusyCores(busyTicks: number, totalTicks: number, ownMs: number, wallMs: number, cores: number): number {
  if (!(totalTicks > 0) || !(wallMs > 0)) return 0;
  return (busyTicks / totalTicks) * cores - ownMs / wallMs;
}

/**
 * Fallback where /proc/stat cannot be read (macOS): the 1-minute load average minus this
 * process's own share of it (a decayed average of its busy cores) is ≥ cores − 0.5.
 */
export function othersBusy(load1: number, ownBusyCores: number, cores: number): boolean {
  return load1 - ownBusyCores >= cores - 0.5;
}

interface CpuReading {
  at: number;
  /** This process's CPU time, ms (all threads). */
  own: number;
  /** /proc/stat totals in jiffies; NaN when unreadable. */
  busy: number;
  total: number;
}

function readCpu(): CpuReading {
  const u = process.cpuUsage();
  const r: CpuReading = { at: performance.now(), own: (u.user + u.system) / 1000, busy: NaN, total: NaN };
  try {
    const text = readFileSync('/proc/stat', 'latin1');
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const f = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length >= 4 && f.every(Number.isFinite)) {
      r.total = f.reduce((a, b) => a + b, 0);
      r.busy = r.total - f[3] - (f[4] ?? 0);
    }
  } catch {
    /* not Linux: the load-average fallback */
  }
  return r;
}

let last = readCpu();
let busy = false;
let decided = false;
/** This process's average busy cores, decayed like the 1-minute load average (fallback only). */
let ownCores = 0;

/**
 * Whether other processes keep the machine's cores busy, re-measured at most every 0.5 s over
 * the time since the last reading. Other work using ≥ cores − 1 (here: one whole core) means a
 * second thread would fight it for a core: measured here with other jobs running, it then only
 * added hand-off cost (LeNet-5 training ~10 % slower), so the batch stays on the main thread.
 * This process's own threads are subtracted, so a long training run never counts itself.
 */
function machineBusy(): boolean {
  const now = performance.now();
  if (decided && now - last.at < 500) return busy;
  const cur = readCpu();
  const wall = cur.at - last.at;
  const cores = availableParallelism();
  if (Number.isFinite(cur.total) && Number.isFinite(last.total) && cur.total > last.total && wall >= 100) {
    busy = othersBusyCores(cur.busy - last.busy, cur.total - last.total, cur.own - last.own, wall, cores) >= cores - 1;
  } else {
    const decay = Math.exp(-wall / 60000); // the load average's 1-minute time constant
    ownCores = ownCores * decay + (wall > 0 ? ((cur.own - last.own) / wall) * (1 - decay) : 0);
    busy = othersBusy(loadavg()[0], ownCores, cores);
  }
  if (wall >= 100 || !decided) last = cur;
  decided = true;
  return busy;
}

/** How many threads a job of `flops` over `N` images should use now (≥ 1). */
export function threadsFor(N: number, flops: number): number {
  if (wanted === 1 || N < 2 || flops < MIN_PARALLEL_FLOPS || (setting === 'auto' && machineBusy())) return 1;
  spawn();
  return Math.min(N, 1 + helpers.filter(ready).length);
}

/**
 * How many fixed shares a reduction over the batch (dW = Σ_n …) is split into: a function of the
 * shape and the thread *setting* only, never of the machine's load, so dW is summed in the same
 * order — bit-identical results — whether the shares then run on one thread or two.
 */
export function reductionShares(N: number, flops: number): number {
  if (N < 2 || flops < MIN_PARALLEL_FLOPS) return 1;
  return Math.min(N, Math.max(2, wanted));
}

/**
 * Run `op` over images [0, N) split into `shares` chunks (default T): chunk t covers images
 * [round(N·t/shares), round(N·(t+1)/shares)) with the arguments `args(t, n0, n1)` (each chunk its
 * own scratch and, for reductions, its own partial). Chunks 1 … T−1 go to ready workers; chunk 0
 * and any chunk without a worker run here, each with its own arguments, so the arithmetic is the
 * same however many threads ran. Returns when all are done.
 */
export function splitBatch(op: KernelOp, T: number, N: number, args: (t: number, n0: number, n1: number) => number[], shares = T): void {
  const m = wasmKernels()!;
  const run = (a: number[]) => (m.k[op] as (...a: number[]) => void)(...a);
  const bounds = (t: number) => Math.round((N * t) / shares);
  const used = helpers.filter(ready).slice(0, Math.max(0, Math.min(T, shares) - 1));
  const posted = used.map((h, i) => {
    const a = args(i + 1, bounds(i + 1), bounds(i + 2));
    h.ctl[3] = OP[op];
    if (a.length > MAX_ARGS) throw new Error(`${op}: ${a.length} kernel arguments, the worker control block holds ${MAX_ARGS}`);
    for (let j = 0; j < a.length; j++) h.ctl[ARG0 + j] = a[j];
    Atomics.store(h.ctl, CLAIM, 0); // unclaimed: after the arguments, before the job number
    h.job++;
    workerJobs++;
    Atomics.store(h.ctl, 0, h.job);
    Atomics.notify(h.ctl, 0);
    return a;
  });
  run(args(0, 0, bounds(1)));
  // chunks with no worker run here, one by one
  for (let t = used.length + 1; t < shares; t++) run(args(t, bounds(t), bounds(t + 1)));
  used.forEach((h, i) => {
    // A worker that has not started its share yet (its core is busy elsewhere: the machine is
    // shared) loses it to this thread instead of stalling the op until it gets scheduled.
    if (takeover && Atomics.compareExchange(h.ctl, CLAIM, 0, 2) === 0) {
      workerJobs--;
      run(posted[i]);
      return;
    }
    const until = performance.now() + SPIN_MS;
    let done: number;
    while ((done = Atomics.load(h.ctl, 1)) < h.job && performance.now() < until);
    while ((done = Atomics.load(h.ctl, 1)) < h.job) Atomics.wait(h.ctl, 1, done, 50);
    if (Atomics.exchange(h.ctl, ERR, 0) !== 0) throw new Error(`${op} (wasm worker): the kernel trapped`);
  });
}
