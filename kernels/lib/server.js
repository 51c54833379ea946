'use strict';
/**
 * The kernel process: zeromq sockets, message dispatch, the execution queue, iopub outputs and
 * the global hook that src/display uses (`globalThis[Symbol.for('tscnn.kernel')]`).
 *
 * The stdin channel is bound by a worker thread on the first prompt (see stdin.js).
 * Start-up: sockets are bound and kernel_info is answered at once; tslab's TypeScript compiler
 * (~2–3 s to build) is created right after the first kernel_info reply (or 300 ms after start),
 * and requests that need it wait for it.
 *
 * Errors: an error reply carries ename/evalue/traceback and an iopub `error` output. With
 * stop_on_error, only execute requests already queued behind the failing one are answered
 * 'aborted' (Jupyter's semantics for a batch); a request arriving later runs normally.
 */
const fs = require('fs');
const { AsyncLocalStorage } = require('async_hooks');
const wire = require('./wire');
const { History } = require('./history');

const { installIo, toBundle, log } = require('./io');

const NO_RESULT = Symbol.for('tscnn.noResult');

function versions() {
  const read = (p) => { try { return JSON.parse(fs.readFileSync(require.resolve(p), 'utf8')).version; } catch { return ''; } };
  return { tscnn: read('../../package.json'), ts: read('@tslab/typescript-for-tslab/package.json'), tslab: read('tslab/package.json') };
}

/** The banner's words for typecheckFromEnv (compiler.js), which cells obey. */
function checkingMode() {
  try {
    return require('./compiler').typecheckFromEnv() ? 'cells are type-checked' : 'cells are transpiled, not type-checked (TSCNN_KERNEL_TYPECHECK=1 checks them)';
  } catch (e) {
    return e.message;
  }
}

class Kernel {
  constructor(connectionFile) {
    this.conn = JSON.parse(fs.readFileSync(connectionFile, 'utf8'));
    this.key = this.conn.key || '';
    this.session = require('crypto').randomBytes(16).toString('hex');
    this.execCount = 0;
    this.queue = [];
    this.running = null; // { msg, ctx }
    this.lastParent = null;
    this.lateErrors = []; // stderr texts waiting for the next cell (see io.js reportUncaught)
    this.history = new History();
    this.als = new AsyncLocalStorage();
    this.notebookDir = process.cwd();
    this.compilerPromise = null;
    this.t0 = Date.now();
  }

  async start() {
    const zmq = require('zeromq');
    const url = (port) => `${this.conn.transport}://${this.conn.ip}:${port}`;
    this.iopub = new zmq.Publisher();
    this.shell = new zmq.Router();
    this.control = new zmq.Router();
    this.hb = new zmq.Reply();
    await Promise.all([
      this.iopub.bind(url(this.conn.iopub_port)),
      this.shell.bind(url(this.conn.shell_port)),
      this.control.bind(url(this.conn.control_port)),
      this.hb.bind(url(this.conn.hb_port)),
    ]);
    this.loop(this.hb, (frames) => this.hb.send(frames));
    this.loop(this.shell, (frames) => this.onMessage(this.shell, frames));
    this.loop(this.control, (frames) => this.onMessage(this.control, frames));
    const io = installIo(this);
    this.comms = io.comms;
    this.reportError = io.reportError;
    this.io = io;
    this.registerWidgetTargets();
    this.warmTimer = setTimeout(() => this.compiler(), 300);
    this.publish('status', { execution_state: 'starting' }, null);
  }

  async loop(sock, fn) {
    try {
      for await (const frames of sock) {
        try { await fn(frames); } catch (e) { log('tscnn kernel:', e); }
      }
    } catch (e) {
      if (!this.closing) log('tscnn kernel: socket loop ended:', e);
    }
  }

  /**
   * ipywidgets front ends open `jupyter.widget.version` (6) or `jupyter.widget.control` (8) as
   * soon as they connect, before any cell has imported the widgets: answer them from the start.
   * The first such comm loads src/widgets from the library's bundle, whose own handlers
   * (registerWidgetTargets) replace these and take the comm.
   */
  registerWidgetTargets() {
    const api = this.comms.api();
    for (const target of ['jupyter.widget.version', 'jupyter.widget.control']) {
      const placeholder = (comm, msg) => {
        const { sharedLibrary } = require('./library-bundle');
        const { PROJECT_ROOT } = require('./compiler');
        sharedLibrary(PROJECT_ROOT).get('src/widgets/manager.ts').registerWidgetTargets();
        const onOpen = this.comms.targets.get(target);
        if (!onOpen || onOpen === placeholder) throw new Error(`tscnn kernel: the widgets did not register ${target}`);
        onOpen(comm, msg);
      };
      api.registerTarget(target, placeholder);
    }
  }

  /** tslab's compiler, built once (blocking ~2–3 s), shared by execute/complete/inspect. */
  compiler() {
    clearTimeout(this.warmTimer);
    if (!this.compilerPromise) {
      this.compilerPromise = new Promise((resolve, reject) => setImmediate(() => {
        try {
          const { createCompiler } = require('./compiler');
          const { createExecutor } = require('./executor');
          const compiler = createCompiler(this.notebookDir);
          resolve({ compiler, executor: createExecutor(compiler, this.notebookDir) });
        } catch (e) { reject(e); }
      }));
    }
    return this.compilerPromise;
  }

  send(sock, msgType, content, parent) {
    return sock.send(wire.encode(this.key, msgType, content, parent, parent && parent.identities, this.session));
  }

  publish(msgType, content, parent, metadata, buffers) {
    return this.iopub.send(wire.encode(this.key, msgType, content, parent, [Buffer.from(`kernel.${msgType}`)], this.session, metadata, buffers));
  }

  /** The request outputs belong to: the cell whose async context (AsyncLocalStorage) wrote them,
   *  so timers and promises a cell started keep writing into that cell. */
  parentForOutput() {
    const ctx = this.als.getStore();
    // Writes from outside any cell (e.g. the compiler's file watcher) go to the kernel log.
    return (ctx && ctx.msg) || (this.running && this.running.msg) || null;
  }

  async onMessage(sock, frames) {
    const msg = wire.parse(this.key, frames);
    const type = msg.header.msg_type;
    if (type === 'execute_request') {
      this.queue.push({ sock, msg });
      if (!this.draining) this.drain();
      return;
    }
    this.publish('status', { execution_state: 'busy' }, msg);
    try {
      await this.handle(sock, msg, type);
    } finally {
      this.publish('status', { execution_state: 'idle' }, msg);
    }
  }

  async handle(sock, msg, type) {
    const c = msg.content;
    switch (type) {
      case 'kernel_info_request': {
        const v = versions();
        this.send(sock, 'kernel_info_reply', {
          status: 'ok',
          protocol_version: wire.PROTOCOL_VERSION,
          implementation: 'tscnn',
          implementation_version: v.tscnn,
          language_info: {
            name: 'typescript', version: v.ts, mimetype: 'text/typescript', file_extension: '.ts',
            codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
          },
          banner: `TypeScript (tscnn) — TypeScript ${v.ts} via tslab ${v.tslab}, Node ${process.version}; ${checkingMode()}`,
          help_links: [],
        }, msg);
        if (!this.compilerPromise) setTimeout(() => this.compiler(), 0);
        return;
      }
      case 'is_complete_request':
        return this.send(sock, 'is_complete_reply', isComplete(c.code), msg);
      case 'complete_request': {
        const { executor } = await this.compiler();
        let r;
        try { r = executor.complete(c.code, c.cursor_pos); } catch (e) { log('complete failed', e); r = { start: c.cursor_pos, end: c.cursor_pos, candidates: [] }; }
        return this.send(sock, 'complete_reply', { status: 'ok', matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {} }, msg);
      }
      case 'inspect_request': {
        const { executor } = await this.compiler();
        let info = null;
        try { info = executor.inspect(c.code, c.cursor_pos); } catch (e) { log('inspect failed', e); }
        const text = info ? require('tslab/dist/inspect').printQuickInfo(info) : '';
        return this.send(sock, 'inspect_reply', { status: 'ok', found: !!info, data: info ? { 'text/plain': text } : {}, metadata: {} }, msg);
      }
      case 'history_request':
        return this.send(sock, 'history_reply', this.history.query(c), msg);
      case 'comm_info_request':
        return this.send(sock, 'comm_info_reply', this.comms.info(c.target_name), msg);
      case 'comm_open':
      case 'comm_msg':
      case 'comm_close':
        // Handled at once, also while a cell awaits (not queued behind execute requests).
        return this.comms.handle(type, msg);
      case 'interrupt_request':
        this.interrupt();
        return this.send(sock, 'interrupt_reply', { status: 'ok' }, msg);
      case 'shutdown_request':
        this.send(sock, 'shutdown_reply', { status: 'ok', restart: !!c.restart }, msg);
        setTimeout(() => this.close(), 50);
        return;
      default:
        log(`tscnn kernel: unknown message type ${type}: ignored`);
        return;
    }
  }

  /** process 'uncaughtException' / 'unhandledRejection' (see io.js); the log before start. */
  reportUncaught(kind, e) {
    if (this.io) this.io.reportUncaught(kind, e);
    else log(`tscnn kernel: ${kind}:`, e);
  }

  /** Runs queued execute requests one at a time. */
  async drain() {
    this.draining = true;
    while (this.queue.length) {
      const { sock, msg } = this.queue.shift();
      this.publish('status', { execution_state: 'busy' }, msg);
      try {
        await this.execute(sock, msg);
      } catch (e) {
        log('tscnn kernel: execute failed:', e);
      } finally {
        this.publish('status', { execution_state: 'idle' }, msg);
      }
    }
    this.draining = false;
  }

  async execute(sock, msg) {
    const c = msg.content;
    const silent = !!c.silent;
    const store = c.store_history !== false && !silent;
    if (store) this.execCount++;
    const count = this.execCount;
    this.lastParent = msg;
    if (!silent) this.publish('execute_input', { code: c.code, execution_count: count }, msg);
    if (store) this.history.add(count, c.code);
    // Errors thrown after earlier cells had finished, while no cell ran: shown here too.
    for (const text of this.lateErrors.splice(0)) this.publish('stream', { name: 'stderr', text }, msg);

    let result;
    let interrupt;
    const interruptPromise = new Promise((_, reject) => { interrupt = reject; });
    interruptPromise.catch(() => {});
    const ctx = { msg, count, interrupted: false, interrupt, done: false };
    this.running = { msg, ctx };
    try {
      const { executor } = await this.compiler();
      result = await this.als.run(ctx, () => executor.execute(c.code, count, interruptPromise));
    } catch (e) {
      result = { ok: false, error: { ename: e.name || 'Error', evalue: String(e.message || e), traceback: [String(e.stack || e)] } };
    } finally {
      this.running = null;
      ctx.done = true;
    }

    if (result.ok) {
      // Values marked Symbol.for('tscnn.noResult') (display handles) are not echoed, like
      // IPython's display() returning None.
      if (result.hasValue && !silent && !(result.value && result.value[NO_RESULT])) {
        // In the cell's context: a display method that talks to the front end (a widget's
        // protocol-1 `display` comm message) must carry this request as parent.
        const data = this.als.run(ctx, () => toBundle(result.value));
        this.publish('execute_result', { execution_count: count, data, metadata: {} }, msg);
        if (store) this.history.setOutput(count, data['text/plain']);
      }
      this.send(sock, 'execute_reply', { status: 'ok', execution_count: count, payload: [], user_expressions: {} }, msg);
      return;
    }
    const { ename, evalue, traceback } = result.error;
    this.publish('error', { ename, evalue, traceback }, msg);
    this.send(sock, 'execute_reply', { status: 'error', execution_count: count, ename, evalue, traceback }, msg);
    if (c.stop_on_error !== false) this.abortQueued();
  }

  /** stop_on_error: answer the execute requests queued behind a failed one with 'aborted'. */
  abortQueued() {
    const queued = this.queue.splice(0);
    for (const { sock, msg } of queued) {
      this.publish('status', { execution_state: 'busy' }, msg);
      this.send(sock, 'execute_reply', { status: 'aborted', execution_count: null }, msg);
      this.publish('status', { execution_state: 'idle' }, msg);
    }
  }

  /** SIGINT or interrupt_request: the running cell stops at its next await point. */
  interrupt() {
    if (!this.running) return;
    const { ctx } = this.running;
    ctx.interrupted = true;
    const { KeyboardInterrupt } = require('./executor');
    ctx.interrupt(new KeyboardInterrupt());
  }

  close() {
    this.closing = true;
    for (const s of [this.iopub, this.shell, this.control, this.hb]) { try { s.close(); } catch { /* already closed */ } }
    (this.exit || process.exit)(0);
  }
}

/** complete / incomplete (with indent) / invalid, from tslab's check plus TypeScript's parser. */
function isComplete(code) {
  const { isCompleteCode } = require('./compiler').loadConverter();
  const r = isCompleteCode(code);
  if (!r.completed) return { status: 'incomplete', indent: r.indent || '' };
  const ts = require('@tslab/typescript-for-tslab');
  const sf = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  if (sf.parseDiagnostics && sf.parseDiagnostics.length) return { status: 'invalid' };
  return { status: 'complete' };
}

module.exports = { Kernel, toBundle, isComplete };
