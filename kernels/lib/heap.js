'use strict';
/**
 * Says so before the V8 heap cap ends the kernel. The cap is node's --max-old-space-size
 * (TSCNN_KERNEL_MAX_OLD_SPACE_MB through launch.sh; a class hub sets it per student). When the
 * heap is full V8 aborts the process ("FATAL ERROR: … JavaScript heap out of memory" in the
 * server log) and Jupyter restarts the kernel; this watcher warns in the running cell first.
 *
 * It checks after garbage collections (a PerformanceObserver on 'gc' entries), which are
 * delivered when the event loop turns: a cell that awaits sees the warning; one that fills the
 * heap in a single synchronous run dies with V8's message only.
 */
const v8 = require('v8');
const { PerformanceObserver } = require('perf_hooks');

const LEVELS = [0.8, 0.9]; // fractions of the cap that warn, once each until usage drops again

/** `warn(text)` is called with a stderr line when heap use crosses a level. Returns a stop(). */
function watchHeap(warn) {
  let crossed = 0;
  const obs = new PerformanceObserver(() => {
    const { used_heap_size: used, heap_size_limit: limit } = v8.getHeapStatistics();
    const frac = used / limit;
    const level = LEVELS.filter((l) => frac >= l).length;
    if (level > crossed) {
      const capSet = process.env.TSCNN_KERNEL_MAX_OLD_SPACE_MB ? ` (TSCNN_KERNEL_MAX_OLD_SPACE_MB=${process.env.TSCNN_KERNEL_MAX_OLD_SPACE_MB})` : '';
      warn(`tscnn kernel: the JavaScript heap is at ${Math.round(frac * 100)}% of its cap: ${Math.round(used / 2 ** 20)} of ${Math.round(limit / 2 ** 20)} MiB${capSet}. ` +
        'When it is full the kernel process is stopped and Jupyter restarts it (variables are lost): free large values (x = null) or restart the kernel.\n');
    }
    crossed = frac < LEVELS[0] - 0.05 ? 0 : Math.max(crossed, level);
  });
  obs.observe({ entryTypes: ['gc'] });
  return () => obs.disconnect();
}

module.exports = { watchHeap };
