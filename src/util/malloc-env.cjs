/**
 * glibc malloc settings for processes that run training or benchmarks (the bench runner and
 * the Jupyter kernel set them; plain CommonJS so kernels/install.js can read it without tsx).
 *
 * Why: by default glibc hands large freed blocks back to the OS (munmap, heap trimming), so the
 * next allocation of the same size faults its pages in again — ~11 µs per 4 KB page on these
 * VMs (shared/FINDINGS.md). A conv2d returning a new 0.9 MB tensor each call measured 2–3 ms
 * that way against 0.6 ms with these settings (same kernel). Raising the trim and mmap
 * thresholds keeps freed memory in the process for reuse; peak memory is unchanged, the
 * resident size just does not shrink after a peak. Only affects glibc (Linux); elsewhere the
 * variables are ignored.
 */
'use strict';

const MALLOC_ENV = Object.freeze({
  // keep up to 1 GiB of free heap instead of trimming it
  MALLOC_TRIM_THRESHOLD_: String(1 << 30),
  // serve blocks up to 64 MiB from the heap (reused) instead of fresh mmaps
  MALLOC_MMAP_THRESHOLD_: String(64 << 20),
});

/** Whether `env` already carries these settings. */
function mallocTuned(env = process.env) {
  return Object.entries(MALLOC_ENV).every(([k, v]) => env[k] === v);
}

module.exports = { MALLOC_ENV, mallocTuned };
