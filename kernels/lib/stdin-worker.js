'use strict';
/**
 * The stdin channel, in a worker thread (see stdin.js): the main thread is blocked in
 * Atomics.wait while a cell waits for prompt(), so the socket that carries input_request and
 * input_reply lives here, in a thread with its own event loop. Bound on the first request.
 *
 * Shared memory (workerData.sab): Int32 [0] state (0 waiting, 1 answer, 2 error, 3 closed), Int32 [1]
 * byte length, then UTF-8 bytes (the answer, or the error text).
 */
const { parentPort, workerData } = require('worker_threads');
const zmq = require('zeromq');
const wire = require('./wire');

const { key, url, session, sab } = workerData;
const state = new Int32Array(sab, 0, 2);
const bytes = new Uint8Array(sab, 8);
const sock = new zmq.Router({ mandatory: true, sendTimeout: 0 });
const bound = sock.bind(url);

function answer(status, text) {
  const enc = Buffer.from(text, 'utf8');
  const n = Math.min(enc.length, bytes.length);
  bytes.set(enc.subarray(0, n));
  state[1] = n;
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}

/** ROUTER_MANDATORY (with sendTimeout 0): EHOSTUNREACH until the front end's stdin socket has (re)connected. */
async function sendWhenConnected(frames, deadline) {
  for (;;) {
    try {
      await sock.send(frames);
      return;
    } catch (e) {
      if (!['EHOSTUNREACH', 'EAGAIN'].includes(e.code) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

let pendingId = null; // the input_request whose reply the main thread waits for

(async () => {
  await bound;
  for await (const raw of sock) {
    let reply;
    try { reply = wire.parse(key, raw); } catch (e) { process._rawDebug(`tscnn kernel: stdin: bad message: ${e.message}`); continue; }
    // jupyter_client sends input_reply without a parent header (ipykernel takes the next reply);
    // one naming another request (abandoned: its cell was interrupted) is dropped.
    const parentId = reply.parent_header && reply.parent_header.msg_id;
    if (reply.header.msg_type === 'input_reply' && pendingId && (!parentId || parentId === pendingId)) {
      pendingId = null;
      answer(1, String(reply.content.value ?? ''));
    }
  }
})().catch((e) => answer(2, `the stdin channel failed: ${e && e.message}`));

parentPort.on('message', async (req) => {
  if (req.close) { // the process is about to exit: a zeromq socket left open here aborts it
    sock.close();
    answer(3, '');
    return;
  }
  try {
    await bound;
    const parent = { header: req.parentHeader };
    const frames = wire.encode(key, 'input_request', { prompt: req.prompt, password: req.password }, parent, req.identities.map((b) => Buffer.from(b)), session);
    pendingId = JSON.parse(frames[frames.findIndex((f) => Buffer.isBuffer(f) && f.toString() === '<IDS|MSG>') + 2]).msg_id;
    await sendWhenConnected(frames, Date.now() + 5000);
  } catch (e) {
    pendingId = null;
    answer(2, `the stdin channel failed: ${e && e.message}`);
  }
});
