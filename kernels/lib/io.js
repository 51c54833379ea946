'use strict';
/**
 * What cells reach of the kernel: stdout/stderr as `stream` outputs, and the global hook
 * `globalThis[Symbol.for('tscnn.kernel')]` that src/display (display, clearOutput, interrupts)
 * and src/widgets (comms) use. Outputs go to the request whose async context wrote them
 * (AsyncLocalStorage): a cell, or the comm message whose handler runs.
 */
const util = require('util');
const { Comms } = require('./comms');

const HOOK = Symbol.for('tscnn.kernel');
const DISPLAY = Symbol.for('Jupyter.display');
const origStdoutWrite = process.stdout.write.bind(process.stdout);
const origStderrWrite = process.stderr.write.bind(process.stderr);
/** The kernel's own log: the process's real stderr (Jupyter's server log). */
const log = (...a) => origStderrWrite(util.format(...a) + '\n');

/** A value → MIME bundle: its DISPLAY method when present, else util.inspect as text/plain. */
function toBundle(value) {
  if (value !== null && typeof value === 'object' && typeof value[DISPLAY] === 'function') {
    try {
      const b = value[DISPLAY]();
      if (b && typeof b === 'object') return { ...b, 'text/plain': b['text/plain'] ?? util.inspect(value) };
    } catch (e) {
      log('tscnn kernel: display method failed:', e);
    }
  }
  return { 'text/plain': typeof value === 'string' ? util.inspect(value) : util.inspect(value, { depth: 4 }) };
}

/** Error → text for a stderr stream (stack when there is one). */
function errorText(e) {
  return e instanceof Error ? String(e.stack || `${e.name}: ${e.message}`) : `Uncaught ${util.inspect(e)}`;
}

/**
 * Patches process.stdout/stderr and installs the hook. `kernel` provides publish(type, content,
 * parent, metadata, buffers), parentForOutput() and als (the AsyncLocalStorage of requests).
 * Returns { comms, reportError(msg, what, error), reportUncaught(kind, error) }.
 */
function installIo(kernel) {
  const stream = (name, orig) => (chunk, encoding, cb) => {
    const parent = kernel.parentForOutput();
    if (!parent) return orig(chunk, encoding, cb);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    kernel.publish('stream', { name, text }, parent);
    if (typeof encoding === 'function') encoding();
    else if (typeof cb === 'function') cb();
    return true;
  };
  process.stdout.write = stream('stdout', origStdoutWrite);
  process.stderr.write = stream('stderr', origStderrWrite);

  /** An error of a handler: stderr with the triggering message as parent, and the kernel log. */
  function reportError(msg, what, e) {
    const text = `${what} failed: ${errorText(e)}\n`;
    log(`tscnn kernel: ${text.trimEnd()}`);
    if (msg) kernel.publish('stream', { name: 'stderr', text }, msg);
  }

  /**
   * An uncaught exception or unhandled rejection (`kind`). It came from the request whose async
   * context was active (a cell's timer, promise or event handler keeps the cell's context): it
   * goes to that request's stderr. When that cell has already finished (a late error), it is also
   * shown in the running cell, or, when none runs, queued for the next one — a front end may no
   * longer show outputs of a finished cell (JupyterLab drops them). Always in the kernel log.
   */
  function reportUncaught(kind, e) {
    const ctx = kernel.als.getStore();
    const origin = ctx && ctx.msg;
    const from = !ctx ? 'outside any cell' : ctx.count ? `from cell[${ctx.count}]` : `from a ${origin.header.msg_type} handler`;
    const late = !ctx || ctx.done || ctx.count === undefined;
    const text = `${kind} ${from}${late && ctx && ctx.count ? ' (after it had finished)' : ''}: ${errorText(e)}\n`;
    log(`tscnn kernel: ${text.trimEnd()}`);
    if (origin) kernel.publish('stream', { name: 'stderr', text }, origin);
    if (!late) return;
    const running = kernel.running && kernel.running.msg;
    if (running && running !== origin) kernel.publish('stream', { name: 'stderr', text }, running);
    else if (!running) kernel.lateErrors.push(text);
  }

  const stdin = require('./stdin').createStdin(kernel);

  // process.exit() in a cell: say so in the cell's output before the process ends (Jupyter then
  // restarts the kernel). libzmq sends from its own thread: a short pause lets the message out.
  const exitNow = process.exit.bind(process);
  process.exit = function exit(code) {
    const ctx = kernel.als.getStore();
    const parent = kernel.parentForOutput();
    const status = code === undefined ? (process.exitCode ?? 0) : code;
    const where = ctx && ctx.count ? ` in cell[${ctx.count}]` : '';
    const text = `process.exit(${util.inspect(status)}) called${where}: the kernel process ends now; Jupyter restarts it (variables are lost).\n`;
    log(`tscnn kernel: ${text.trimEnd()}`);
    if (parent) kernel.publish('stream', { name: 'stderr', text }, parent);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    kernel.exit(status);
  };
  kernel.exit = (status) => {
    stdin.stop();
    exitNow(status);
  };

  const comms = new Comms({
    publish: (type, content, parent, metadata, buffers) => kernel.publish(type, content, parent, metadata, buffers),
    parentForOutput: () => kernel.parentForOutput(),
    runAs: (msg, fn) => kernel.als.run({ msg, interrupted: false, interrupt: () => {} }, fn),
    reportError,
    log,
  });

  const { KeyboardInterrupt } = require('./executor');
  globalThis[HOOK] = {
    kind: 'tscnn',
    version: 1,
    /** Send a bundle as display_data, or update_display_data when opts.update. */
    display(bundle, opts = {}) {
      const parent = kernel.parentForOutput();
      if (!parent) return false;
      const content = { data: bundle, metadata: opts.metadata || {}, transient: opts.id ? { display_id: opts.id } : {} };
      kernel.publish(opts.update ? 'update_display_data' : 'display_data', content, parent);
      return true;
    },
    clearOutput(wait = false) {
      const parent = kernel.parentForOutput();
      if (parent) kernel.publish('clear_output', { wait: !!wait }, parent);
    },
    /** True once the user interrupted the cell that started the calling code. */
    interrupted() {
      const ctx = kernel.als.getStore();
      return !!(ctx && ctx.interrupted);
    },
    checkInterrupt() {
      if (this.interrupted()) throw new KeyboardInterrupt();
    },
    toBundle,
    comms: comms.api(),
  };
  require('./heap').watchHeap((text) => {
    log(text.trimEnd());
    const running = kernel.running && kernel.running.msg;
    if (running) kernel.publish('stream', { name: 'stderr', text }, running);
  });
  Object.defineProperty(globalThis, 'prompt', { configurable: true, writable: true, value: stdin.prompt });
  return { comms, reportError, reportUncaught };
}

module.exports = { installIo, toBundle, errorText, log, origStderrWrite };
