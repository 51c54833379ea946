'use strict';
/**
 * Input from the front end (messaging spec "Messages on the stdin ROUTER/DEALER channel"):
 * - `prompt(message?, defaultValue?)`, a global as in browsers and Deno: synchronous; sends
 *   input_request and returns the input_reply's value (`defaultValue` when the answer is empty);
 * - `readline.createInterface({ input: process.stdin, output: process.stdout })` and its
 *   `question()` (callback and `readline/promises`): each question asks the front end for a line.
 * Only a cell whose execute_request has `allow_stdin: true` may ask; otherwise a clear error.
 *
 * Blocking without the event loop: the stdin socket lives in a worker thread (stdin-worker.js)
 * and this thread waits in Atomics.wait for its answer. The worker starts on the first request.
 */
const path = require('path');
const { Readable } = require('stream');

const SAB_BYTES = 1 << 20; // longest answer kept: 1 MiB

function createStdin(kernel) {
  let worker = null;
  let state = null;
  let bytes = null;

  function start() {
    const { Worker } = require('worker_threads');
    const sab = new SharedArrayBuffer(8 + SAB_BYTES);
    state = new Int32Array(sab, 0, 2);
    bytes = new Uint8Array(sab, 8);
    const c = kernel.conn;
    worker = new Worker(path.join(__dirname, 'stdin-worker.js'), {
      workerData: { key: kernel.key, url: `${c.transport}://${c.ip}:${c.stdin_port}`, session: kernel.session, sab },
      stdout: true, stderr: true, // nothing of the worker's may need this (blocked) thread to print
    });
    worker.unref();
  }

  /** The execute_request asking, or an Error saying why it may not. */
  function asker(what) {
    const ctx = kernel.als.getStore();
    const msg = (ctx && ctx.msg) || (kernel.running && kernel.running.msg);
    if (!msg || msg.header.msg_type !== 'execute_request') {
      return new Error(`${what}: input can only be asked for by a running cell, not from ${msg ? `a ${msg.header.msg_type} handler` : 'outside a cell'}`);
    }
    if (!msg.content.allow_stdin) {
      return new Error(`${what}: this front end does not accept input (its execute_request has allow_stdin: false; e.g. nbconvert/nbclient runs, or a client that does not serve the stdin channel)`);
    }
    return msg;
  }

  /** Blocks until the front end answers; returns the text. Throws when input is not allowed. */
  function request(what, promptText, password) {
    const msg = asker(what);
    if (msg instanceof Error) throw msg;
    if (!worker) start();
    Atomics.store(state, 0, 0);
    worker.postMessage({ prompt: String(promptText), password: !!password, parentHeader: msg.header, identities: msg.identities.map((b) => new Uint8Array(b)) });
    while (Atomics.load(state, 0) === 0) Atomics.wait(state, 0, 0, 100);
    const text = Buffer.from(bytes.subarray(0, state[1])).toString('utf8');
    if (state[0] === 2) throw new Error(`${what}: ${text}`);
    return text;
  }

  /** Before the process exits: closes the worker's socket (zeromq aborts on an open one). */
  function stop() {
    if (!worker) return;
    Atomics.store(state, 0, 0);
    worker.postMessage({ close: true });
    const until = Date.now() + 1000;
    while (Atomics.load(state, 0) === 0 && Date.now() < until) Atomics.wait(state, 0, 0, 50);
    worker = null;
  }

  function prompt(message, defaultValue) {
    const answer = request('prompt()', message === undefined ? '' : message, false);
    return answer === '' && defaultValue !== undefined ? String(defaultValue) : answer;
  }

  // process.stdin: lines arrive only when readline's question() asks for one.
  const input = new Readable({ read() {} });
  Object.defineProperty(process, 'stdin', { configurable: true, enumerable: true, get: () => input });

  function patchQuestion(Interface, what) {
    const orig = Interface.prototype.question;
    Interface.prototype.question = function question(query, ...rest) {
      if (this.input !== input) return orig.call(this, query, ...rest);
      const msg = asker(what);
      if (msg instanceof Error) throw msg;
      const r = orig.call(this, query, ...rest); // writes the query to output, waits for a line
      const promptText = this.output ? '' : String(query);
      setImmediate(() => {
        try {
          input.push(request(what, promptText, false) + '\n');
        } catch (e) {
          this.emit('error', e);
        }
      });
      return r;
    };
  }
  patchQuestion(require('readline').Interface, 'readline question()');
  patchQuestion(require('readline/promises').Interface, 'readline/promises question()');

  return { prompt, request, stop };
}

module.exports = { createStdin };
