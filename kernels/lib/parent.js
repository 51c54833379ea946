'use strict';
/**
 * Ends the kernel when the process that started it is gone, as ipykernel's ParentPollerUnix does:
 * a Jupyter server killed without shutting its kernels down (a culled or crashed single-user
 * server in a class hub) would otherwise leave them running, holding memory, until the machine
 * restarts. Checked once a second: the parent is gone when this process has been re-parented
 * (process.ppid changed) or when JPY_PARENT_PID, which Jupyter servers set, names a dead process.
 */

/** Whether process `pid` exists (signal 0 checks without sending anything). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM'; // exists, owned by someone else
  }
}

/** Calls `onGone(reason)` once when the parent is gone; returns a stop function. */
function watchParent(onGone, { intervalMs = 1000, env = process.env } = {}) {
  const startPpid = process.ppid;
  const jpy = Number(env.JPY_PARENT_PID) > 1 ? Number(env.JPY_PARENT_PID) : null;
  const timer = setInterval(() => {
    let reason = null;
    if (process.ppid !== startPpid) reason = `its parent process ${startPpid} ended`;
    else if (jpy !== null && !alive(jpy)) reason = `JPY_PARENT_PID ${jpy} ended`;
    if (reason) {
      clearInterval(timer);
      onGone(reason);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

module.exports = { watchParent };
