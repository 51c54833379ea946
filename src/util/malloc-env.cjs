/**
 * glibc malloc settings for the Jupyter kernel process (kernels/install.js writes them into the
 * kernel spec's env; plain CommonJS so it loads without tsx).
 *
 * Why: by default glibc hands large freed blocks back to the OS (munmap, heap trimming), so the
 * next allocation of the same size faults its pages in again — ~11 µs per 4 KB page on these
 * VMs (docs/measured.md). Training loops recycle their buffers (src/tensor/buffers.ts), but
 * notebook cells calling ops directly get a new output each time. Raising the trim and mmap
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

module.exports = { MALLOC_ENV };
