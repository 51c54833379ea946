/**
 * A worker thread of src/ops/wasm/threads.ts (plain CommonJS, .cjs: it runs without tsx, and
 * tsx's loader, inherited by workers, would read a .js file as an ES module).
 * It instantiates the kernels on the main thread's shared memory, then loops: wait until its
 * wake-up word holds a new job generation, then claim chunks of that job from the shared job
 * table (threads.ts documents the layout, passed in as `layout`) until none is left, running
 * each (after the job's pre-steps on that chunk, if any) with its own scratch (slot `tid`).
 */
'use strict';
const { workerData } = require('worker_threads');

const { module, memory, control, jobs, tid, spinMs, layout: L } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
const J = new Int32Array(jobs);
const OPS = [null, k.convForward, k.convGradInput, k.convGradWeight, k.convBackward, k.gemmPart, k.unpoolReluImages, k.adamPart, k.biasRows];

/**
 * The next chunk of generation g, or −1 (none left, or the table already holds a newer job). The
 * claim word holds generation << 16 | chunk count << 8 | next chunk (threads.ts `claimWord`).
 */
function claim(g) {
  for (;;) {
    const v = Atomics.load(J, L.CLAIM);
    const c = v & 0xff;
    if (v >>> 16 !== g || c >= ((v >>> 8) & 0xff)) return -1;
    if (Atomics.compareExchange(J, L.CLAIM, v, v + 1) === v) return c;
  }
}

Atomics.store(ctl, 2, 1);
let seen = Atomics.load(ctl, 0);
for (;;) {
  // Spin briefly before sleeping: Atomics.wait wake-ups took 35–180 µs here, a layer's share of
  // work is often less, and jobs come in bursts (forward, then backward, of every layer).
  const until = performance.now() + spinMs;
  while (Atomics.load(ctl, 0) === seen && performance.now() < until);
  if (Atomics.load(ctl, 0) === seen) Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  for (let c; (c = claim(seen)) >= 0; ) {
    try {
      for (let k = 0; k < L.MAX_PRE && J[L.PRE + 2 * k] !== 0; k++) {
        const at = L.PRE_ARGS_AT + (k * L.CHUNKS + c) * L.MAX_ARGS;
        OPS[J[L.PRE + 2 * k]](...J.subarray(at, at + J[L.PRE + 2 * k + 1]));
      }
      const argc = J[L.ARGC];
      const at = L.ARGS_AT + c * L.MAX_ARGS;
      const a = Array.from(J.subarray(at, at + argc));
      a.push(J[L.SCRATCH + 2 * tid], J[L.SCRATCH + 2 * tid + 1]);
      OPS[J[L.OP]](...a);
      Atomics.add(J, L.BY_WORKERS, 1);
    } catch (e) {
      Atomics.store(J, L.ERR, 1);
    }
    Atomics.add(J, L.FINISHED, 1);
    Atomics.notify(J, L.FINISHED);
  }
}
