/**
 * A worker thread of src/ops/wasm/threads.ts (plain CommonJS, .cjs: it runs without tsx, and
 * tsx's loader, inherited by workers, would read a .js file as an ES module).
 * It instantiates the kernels on the main thread's shared memory, then loops: wait for a new
 * job number in the control block, run the kernel named there on its arguments, publish the job
 * number as done. Control block (Int32Array over a SharedArrayBuffer), see threads.ts:
 *   0 job   1 done   2 ready   3 op   4 … 15 arguments   16 error flag
 *   17 claim (0 open, 1 taken by this worker, 2 taken over by the main thread)
 */
'use strict';
const { workerData } = require('worker_threads');

const { module, memory, control, spinMs } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
const OPS = [null, k.convForward, k.convGradInput, k.convGradWeight, k.convBackward];

Atomics.store(ctl, 2, 1);
let seen = Atomics.load(ctl, 0);
for (;;) {
  // Spin briefly before sleeping: Atomics.wait wake-ups took 35–180 µs here, a layer's share of
  // work is often less, and jobs come in bursts (forward, then backward, of every layer).
  const until = performance.now() + spinMs;
  while (Atomics.load(ctl, 0) === seen && performance.now() < until);
  if (Atomics.load(ctl, 0) === seen) Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  // Claim the share; if the main thread already took it over (this worker woke late), skip it.
  if (Atomics.compareExchange(ctl, 17, 0, 1) === 0) {
    try {
      const a = ctl;
      OPS[a[3]](a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
    } catch (e) {
      Atomics.store(ctl, 16, 1);
    }
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
