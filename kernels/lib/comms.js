'use strict';
/**
 * Jupyter comms (messaging spec "Custom messages"): comm_open / comm_msg / comm_close both ways,
 * comm_info_request, binary buffers, and the target registry TypeScript code reaches through
 * `globalThis[Symbol.for('tscnn.kernel')].comms`:
 *
 *   comms.registerTarget(name, (comm, msg) => { comm.onMsg((m) => …); })
 *   const comm = comms.open('my.target', { state: 1 }, {}, [new Uint8Array([1, 2])]);
 *   comm.send({ x: 1 }); comm.close();
 *
 * Handlers run inside an AsyncLocalStorage context whose message is the one that triggered them,
 * so their display/console output goes to that message (as ipykernel does). A handler that throws
 * (or rejects) has its error written to stderr with that parent and to the kernel log.
 * Comms opened by a cell publish with the cell's parent. `onMsg`/`onClose` replace the previous
 * callback (ipykernel's on_msg/on_close); `null` removes it.
 */
const crypto = require('crypto');

/** ArrayBufferView | ArrayBuffer → Buffer sharing its memory; anything else is a TypeError. */
function toBuffer(b, where, i) {
  if (Buffer.isBuffer(b)) return b;
  if (ArrayBuffer.isView(b)) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer)) return Buffer.from(b);
  throw new TypeError(`${where}: buffers[${i}] must be an ArrayBufferView (Uint8Array, Float32Array, …) or ArrayBuffer, got ${Object.prototype.toString.call(b)}`);
}

function toBuffers(buffers, where) {
  if (buffers === undefined || buffers === null) return [];
  if (!Array.isArray(buffers)) throw new TypeError(`${where}: buffers must be an array of ArrayBufferViews, got ${typeof buffers}`);
  return buffers.map((b, i) => toBuffer(b, where, i));
}

function checkObject(value, where, name) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${where}: ${name} must be a plain object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

/** The handle TypeScript code holds: see the contract in the module comment. */
class KernelComm {
  constructor(comms, commId, targetName) {
    this._comms = comms;
    this.commId = commId;
    this.targetName = targetName;
    this.closed = false;
    this._msgCb = null;
    this._closeCb = null;
  }

  /** comm_msg to the front end; `buffers` travel as binary frames. */
  send(data, metadata, buffers) {
    const where = `comm ${this.commId} (${this.targetName}).send`;
    if (this.closed) throw new Error(`${where}: the comm is closed`);
    const content = { comm_id: this.commId, data: checkObject(data, where, 'data') };
    this._comms.publish('comm_msg', content, checkObject(metadata, where, 'metadata'), toBuffers(buffers, where));
  }

  /** comm_close to the front end; closing twice does nothing. The onClose callback is for closes
   *  that come from the front end (as in ipykernel). */
  close(data, metadata) {
    if (this.closed) return;
    const where = `comm ${this.commId} (${this.targetName}).close`;
    const content = { comm_id: this.commId, data: checkObject(data, where, 'data') };
    this.closed = true;
    this._comms.comms.delete(this.commId);
    this._comms.publish('comm_close', content, checkObject(metadata, where, 'metadata'), []);
  }

  onMsg(cb) {
    if (cb !== null && typeof cb !== 'function') throw new TypeError(`comm ${this.commId}.onMsg: callback must be a function or null, got ${typeof cb}`);
    this._msgCb = cb;
  }

  onClose(cb) {
    if (cb !== null && typeof cb !== 'function') throw new TypeError(`comm ${this.commId}.onClose: callback must be a function or null, got ${typeof cb}`);
    this._closeCb = cb;
  }
}

class Comms {
  /**
   * @param {object} io { publish(type, content, parent, metadata, buffers), parentForOutput(),
   *   runAs(msg, fn), reportError(msg, what, error), log(...args) } from the kernel.
   */
  constructor(io) {
    this.io = io;
    this.targets = new Map(); // target name → onOpen
    this.comms = new Map(); // comm id → KernelComm
  }

  publish(type, content, metadata, buffers) {
    this.io.publish(type, content, this.io.parentForOutput(), metadata, buffers);
  }

  /** The object placed on the kernel hook as `comms`. */
  api() {
    const self = this;
    return {
      registerTarget(name, onOpen) {
        if (typeof name !== 'string' || !name) throw new TypeError(`comms.registerTarget: name must be a non-empty string, got ${JSON.stringify(name)}`);
        if (typeof onOpen !== 'function') throw new TypeError(`comms.registerTarget('${name}'): onOpen must be a function, got ${typeof onOpen}`);
        self.targets.set(name, onOpen);
      },
      unregisterTarget(name) {
        self.targets.delete(name);
      },
      open(targetName, data, metadata, buffers) {
        const where = `comms.open('${targetName}')`;
        if (typeof targetName !== 'string' || !targetName) throw new TypeError(`comms.open: targetName must be a non-empty string, got ${JSON.stringify(targetName)}`);
        const content = { comm_id: crypto.randomUUID().replace(/-/g, ''), target_name: targetName, data: checkObject(data, where, 'data') };
        const bufs = toBuffers(buffers, where);
        const comm = new KernelComm(self, content.comm_id, targetName);
        self.comms.set(comm.commId, comm);
        self.publish('comm_open', content, checkObject(metadata, where, 'metadata'), bufs);
        return comm;
      },
    };
  }

  /** comm_info_request: every open comm, or those of `target_name` when given. */
  info(targetName) {
    const comms = {};
    for (const [id, c] of this.comms) if (!targetName || c.targetName === targetName) comms[id] = { target_name: c.targetName };
    return { status: 'ok', comms };
  }

  /** The message as handlers see it (CommMsg of the contract). */
  static view(msg) {
    return { content: msg.content, metadata: msg.metadata, buffers: msg.buffers, header: msg.header, parent_header: msg.parent_header };
  }

  /** comm_open / comm_msg / comm_close from the front end. */
  handle(type, msg) {
    const c = msg.content || {};
    const id = c.comm_id;
    if (type === 'comm_open') return this.handleOpen(msg, id, c.target_name);
    const comm = this.comms.get(id);
    if (!comm) {
      this.io.log(`tscnn kernel: ${type} for unknown comm ${id} (not open in this kernel): ignored`);
      return;
    }
    if (type === 'comm_close') {
      comm.closed = true;
      this.comms.delete(id);
      if (comm._closeCb) this.run(msg, `comm ${id} (${comm.targetName}) close handler`, () => comm._closeCb(Comms.view(msg)));
      return;
    }
    if (comm._msgCb) this.run(msg, `comm ${id} (${comm.targetName}) message handler`, () => comm._msgCb(Comms.view(msg)));
  }

  handleOpen(msg, id, targetName) {
    const onOpen = this.targets.get(targetName);
    if (!onOpen) {
      this.io.log(`tscnn kernel: comm_open for unknown target '${targetName}' (registered: ${[...this.targets.keys()].join(', ') || 'none'}): closing comm ${id}`);
      this.io.publish('comm_close', { comm_id: id, data: {} }, msg, {}, []);
      return;
    }
    const comm = new KernelComm(this, id, targetName);
    this.comms.set(id, comm);
    const ok = this.run(msg, `comm target '${targetName}' onOpen`, () => onOpen(comm, Comms.view(msg)));
    if (!ok) this.io.runAs(msg, () => comm.close()); // as ipykernel: a failed open is closed
  }

  /** Runs a handler as `msg`; errors (thrown or rejected) are reported. Returns false on a throw. */
  run(msg, what, fn) {
    try {
      const r = this.io.runAs(msg, fn);
      if (r && typeof r.then === 'function') r.then(undefined, (e) => this.io.reportError(msg, what, e));
      return true;
    } catch (e) {
      this.io.reportError(msg, what, e);
      return false;
    }
  }
}

module.exports = { Comms, KernelComm, toBuffers };
