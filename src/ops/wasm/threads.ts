/**
 * Both cores for the conv kernels: the batch is split between the main thread and worker
 * threads that run the same wasm kernels on the same shared memory (src/ops/wasm/worker.cjs).
 *
 * Why across the batch: images are independent, so each thread runs whole per-image loops
 * (no synchronisation inside a GEMM); splitting one small LeNet GEMM between threads was
 * erratic, since waking a thread costs 35–180 µs here.
 *
 * How: the batch is cut into a fixed number of chunks (`chunksFor`: a function of the shape
 * only), and the main thread and the woken workers claim chunks one at a time from a shared
 * counter until none is left. A worker that wakes late, or whose core is busy elsewhere (the
 * machine is shared), simply claims fewer chunks: nobody waits for it except for the chunk it
 * is running. Each chunk is computed whole by whichever thread claimed it, and reductions (dW)
 * keep one partial per chunk, summed in chunk order — so results are bit-identical however
 * many threads ran and whoever ran what.
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
import { PACKAGE_ROOT } from '../../util/package-root';

/** Kernel numbers understood by worker.cjs. */
export const OP = { convForward: 1, convGradInput: 2, convGradWeight: 3, convBackward: 4, gemmPart: 5, unpoolReluImages: 6, adamPart: 7, biasRows: 8 } as const;
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
/** Chunks a parallel job is cut into: enough to even out a late worker, few enough to be cheap. */
const CHUNKS = 8;

/**
 * The shared job table (Int32Array over one SharedArrayBuffer, read by every worker; layout
 * mirrored in worker.cjs): claim word (job generation << 16 | chunk count << 8 | next chunk),
 * chunks finished, kernel, arguments per chunk, error flag, chunks run by workers, then for each of
 * MAX_PRE pre-steps its kernel (0: none) and arguments per chunk; then per thread its scratch
 * (cols, work), then each chunk's arguments (cols and work are appended by the thread that runs
 * it), then pre-step k's arguments for each chunk (taken as they are).
 */
const J = { CLAIM: 0, FINISHED: 1, OP: 2, ARGC: 3, ERR: 4, BY_WORKERS: 5, PRE: 6, SCRATCH: 10 } as const;
const MAX_THREADS = 16;
const MAX_ARGS = 12;
/** Pre-steps a job may carry (J.PRE + 2k: pre-step k's kernel, then its argument count). */
const MAX_PRE = 2;
const ARGS_AT = J.SCRATCH + 2 * MAX_THREADS;
const PRE_ARGS_AT = ARGS_AT + CHUNKS * MAX_ARGS;
const JOB_INTS = PRE_ARGS_AT + MAX_PRE * CHUNKS * MAX_ARGS;
const jobs = new Int32Array(new SharedArrayBuffer(JOB_INTS * 4));
/** Job generation (15 bits, so the claim word stays a positive int32). */
let gen = 0;

interface Helper {
  worker: Worker;
  /** Per worker: 0 generation to run (the wake-up word), 2 ready. */
  ctl: Int32Array;
}

let helpers: Helper[] = [];
/** Chunks run by workers before the current job (tests check that the split really happened). */
let workerChunksBefore = 0;

/** Chunks run by worker threads so far. */
export function wasmWorkerJobs(): number {
  return workerChunksBefore + Atomics.load(jobs, J.BY_WORKERS);
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
 * Whether the main thread may claim chunks before a worker has claimed one (default true);
 * returns the previous setting. Off, the main thread first waits for a worker to start (tests
 * use this to check that workers really run).
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
  source ??= readFileSync(resolve(PACKAGE_ROOT, 'src', 'ops', 'wasm', 'worker.cjs'), 'utf8');
  return source;
}

function spawn(): void {
  const m = wasmKernels();
  if (!m) return;
  while (helpers.length < wanted - 1) {
    const control = new SharedArrayBuffer(4 * 4);
    const tid = helpers.length + 1; // its scratch slot; the main thread is 0
    // Started from source (eval): module loader hooks that a parent such as tsx installs are
    // inherited by workers and would load worker.cjs as an ES module.
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: { module: m.module, memory: m.memory, control, jobs: jobs.buffer, tid, spinMs: SPIN_MS, layout: { ...J, ARGS_AT, PRE_ARGS_AT, MAX_ARGS, MAX_PRE, CHUNKS } },
    });
    worker.unref();
    // A worker that dies is dropped; the other threads claim its chunks.
    worker.on('error', () => { helpers = helpers.filter((h) => h.worker !== worker); });
    helpers.push({ worker, ctl: new Int32Array(control) });
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

/** How many threads a job of `flops` over `N` independent pieces (images, or image × channel part) should use now (≥ 1). */
export function threadsFor(N: number, flops: number): number {
  if (wanted === 1 || N < 2 || flops < MIN_PARALLEL_FLOPS || (setting === 'auto' && machineBusy())) return 1;
  spawn();
  return Math.min(N, 1 + helpers.filter(ready).length);
}

/**
 * How many fixed chunks a job over N images is cut into: a function of the shape only — never
 * of the thread count or the machine's load — so reductions over the batch (dW = Σ_n …) are
 * summed in the same order, giving bit-identical results on one thread or several.
 */
export function chunksFor(N: number, flops: number): number {
  if (N < 2 || flops < MIN_PARALLEL_FLOPS) return 1;
  return Math.min(N, CHUNKS);
}

/**
 * Parts the output channels of a forward are cut into besides the batch, so that both cores
 * get work when the batch is small (one image of VGG16 in a notebook would otherwise run on one
 * core): 2 when the batch gives at most CHUNKS/2 chunks, the job is big enough to split and
 * there are ≥ 8 channels, else 1. A function of the shape only, like chunksFor (a forward's
 * outputs do not depend on the split anyway: each is computed whole by one thread).
 */
export function channelParts(N: number, Cout: number, flops: number): number {
  return flops >= MIN_PARALLEL_FLOPS && 2 * N <= CHUNKS && Cout >= 8 ? 2 : 1;
}

/** Part s of `parts` over [0, len): bounds rounded to multiples of `unit`, the last ending at len. */
export function splitBounds(len: number, parts: number, s: number, unit: number): [number, number] {
  const at = (k: number) => (k >= parts ? len : Math.round((len * k) / parts / unit) * unit);
  return [at(s), at(s + 1)];
}

/** Output channels of part s of `parts` over Cout: multiples of 4 (the kernels' channel blocks), the last ending at Cout. */
export function channelBounds(Cout: number, parts: number, s: number): [number, number] {
  return splitBounds(Cout, parts, s, 4);
}

/** Images of chunk c of `chunks` over N: [round(N·c/chunks), round(N·(c+1)/chunks)). */
export function chunkBounds(N: number, chunks: number, c: number): [number, number] {
  return [Math.round((N * c) / chunks), Math.round((N * (c + 1)) / chunks)];
}

/**
 * The claim word of a job: generation, chunk count and next chunk in one int32, so a claimer
 * compares its chunk with the count of the same job. (With the count in a field of its own, a
 * worker that had read the finished job's word and then the next job's larger count could claim
 * a chunk of the finished job — running one of the next job's chunks early and counting it as
 * finished, so the main thread went on before a chunk was done: seen once here as a garbage
 * pooling index, after a 4-chunk GEMM job and before an 8-chunk conv job.) Mirrored in worker.cjs.
 */
function claimWord(g: number, n: number): number {
  return (g << 16) | (n << 8);
}

/** Claim the next chunk of generation g, or −1 when none is left (or the job is not g's). */
function claim(g: number): number {
  for (;;) {
    const v = Atomics.load(jobs, J.CLAIM);
    const c = v & 0xff;
    if (v >>> 16 !== g || c >= ((v >>> 8) & 0xff)) return -1;
    if (Atomics.compareExchange(jobs, J.CLAIM, v, v + 1) === v) return c;
  }
}

/**
 * A kernel run on each chunk before the job's own, with that chunk's arguments as they are (no
 * scratch): work on the chunk's own images, such as rebuilding their dY or summing their rows
 * for db, done by the same thread in the same hand-off instead of a job of its own.
 */
export interface PreStep {
  op: KernelOp;
  args: number[][];
}

/**
 * Run `op` on every chunk: `args[c]` are chunk c's kernel arguments without the last two
 * (cols, work), which each thread takes from `scratch[its id]` (0 = this thread; one entry per
 * thread that may take part, `threads` of them); the `pre` steps first, in order, on the same
 * chunk. Returns when every chunk is done.
 */
export function runChunks(op: KernelOp, threads: number, args: number[][], scratch: [cols: number, work: number][], pre: PreStep[] = []): void {
  const m = wasmKernels()!;
  const kernel = m.k[op] as (...a: number[]) => void;
  const preKernels = pre.map((q) => m.k[q.op] as (...a: number[]) => void);
  const n = args.length;
  if (pre.length > MAX_PRE || pre.some((q) => q.args.length !== n)) throw new Error(`${op}: ${pre.length} pre-steps (at most ${MAX_PRE}), each needs ${n} chunks`);
  const runPre = (c: number) => preKernels.forEach((k, i) => k(...pre[i].args[c]));
  const used = threads > 1 ? helpers.filter(ready).slice(0, Math.min(threads, scratch.length) - 1) : [];
  if (used.length === 0) {
    // one thread: no table, no atomics
    args.forEach((a, c) => {
      runPre(c);
      kernel(...a, scratch[0][0], scratch[0][1]);
    });
    return;
  }
  if (n > CHUNKS || args.some((a) => a.length + 2 > MAX_ARGS) || pre.some((q) => q.args.some((a) => a.length > MAX_ARGS))) throw new Error(`${op}: ${n} chunks of ${args[0].length + 2} arguments do not fit the job table`);
  // Publish the job: a worker still finishing the last one cannot claim from it (other generation).
  gen = (gen + 1) & 0x7fff;
  workerChunksBefore += Atomics.exchange(jobs, J.BY_WORKERS, 0);
  jobs[J.OP] = OP[op];
  jobs[J.ARGC] = args[0].length;
  for (let k = 0; k < MAX_PRE; k++) {
    jobs[J.PRE + 2 * k] = k < pre.length ? OP[pre[k].op] : 0;
    jobs[J.PRE + 2 * k + 1] = k < pre.length ? pre[k].args[0].length : 0;
  }
  pre.forEach((q, k) => q.args.forEach((a, c) => jobs.set(a, PRE_ARGS_AT + (k * CHUNKS + c) * MAX_ARGS)));
  scratch.forEach(([cols, work], t) => {
    jobs[J.SCRATCH + 2 * t] = cols;
    jobs[J.SCRATCH + 2 * t + 1] = work;
  });
  args.forEach((a, c) => jobs.set(a, ARGS_AT + c * MAX_ARGS));
  Atomics.store(jobs, J.FINISHED, 0);
  Atomics.store(jobs, J.ERR, 0);
  Atomics.store(jobs, J.CLAIM, claimWord(gen, n)); // seq-cst: the writes above are visible to a claimer
  for (const h of used) {
    Atomics.store(h.ctl, 0, gen);
    Atomics.notify(h.ctl, 0);
  }
  if (!takeover) {
    const until = performance.now() + 10000;
    while (Atomics.load(jobs, J.CLAIM) === claimWord(gen, n) && performance.now() < until);
  }
  for (let c; (c = claim(gen)) >= 0; ) {
    runPre(c);
    kernel(...args[c], scratch[0][0], scratch[0][1]);
    Atomics.add(jobs, J.FINISHED, 1);
  }
  // wait for the chunks workers are still running (spin briefly, then sleep)
  const until = performance.now() + SPIN_MS;
  let done: number;
  while ((done = Atomics.load(jobs, J.FINISHED)) < n && performance.now() < until);
  while ((done = Atomics.load(jobs, J.FINISHED)) < n) Atomics.wait(jobs, J.FINISHED, done, 50);
  if (Atomics.load(jobs, J.ERR) !== 0) throw new Error(`${op} (wasm worker): the kernel trapped`);
}
