/**
 * A stand-in for the kernel's comms (the contract in docs/ARCHITECTURE.md) that records every
 * message the library sends and lets a test act as the front end.
 */
import type { CommMsg, Comms, KernelComm } from '../../src/widgets/comms';

export interface Sent {
  kind: 'open' | 'msg' | 'close';
  commId: string;
  target: string;
  data: any;
  metadata: any;
  buffers: Buffer[];
}

export class FakeComms implements Comms {
  readonly sent: Sent[] = [];
  readonly targets = new Map<string, (comm: KernelComm, msg: CommMsg) => void>();
  private readonly comms = new Map<string, FakeComm>();
  private next = 0;

  registerTarget(name: string, onOpen: (comm: KernelComm, msg: CommMsg) => void): void {
    this.targets.set(name, onOpen);
  }
  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }
  open(targetName: string, data: object = {}, metadata: object = {}, buffers: ArrayBufferView[] = []): KernelComm {
    const comm = new FakeComm(this, `comm-${++this.next}`, targetName);
    this.comms.set(comm.commId, comm);
    this.record('open', comm, data, metadata, buffers);
    return comm;
  }

  record(kind: Sent['kind'], comm: FakeComm, data: any, metadata: any, buffers: ArrayBufferView[]): void {
    // JSON round trip: what would go over the wire.
    this.sent.push({ kind, commId: comm.commId, target: comm.targetName, data: JSON.parse(JSON.stringify(data ?? {})), metadata: metadata ?? {}, buffers: buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)) });
  }

  /** Messages sent on one comm (after the open). */
  on(commId: string): Sent[] {
    return this.sent.filter((s) => s.commId === commId && s.kind === 'msg');
  }
  openOf(commId: string): Sent {
    const s = this.sent.find((x) => x.commId === commId && x.kind === 'open');
    if (!s) throw new Error(`no open for ${commId}`);
    return s;
  }

  /** The front end sends `data` on an existing comm. */
  fromFrontend(commId: string, data: object, buffers: Buffer[] = []): void {
    const comm = this.comms.get(commId);
    if (!comm) throw new Error(`unknown comm ${commId}`);
    comm.deliver(msg(commId, data, buffers));
  }

  /** The front end opens a comm to a kernel target; returns the kernel end. */
  frontendOpens(target: string, data: object = {}): FakeComm {
    const onOpen = this.targets.get(target);
    if (!onOpen) throw new Error(`no target ${target}`);
    const comm = new FakeComm(this, `fe-${++this.next}`, target);
    this.comms.set(comm.commId, comm);
    onOpen(comm, msg(comm.commId, data, [], target));
    return comm;
  }
}

function msg(commId: string, data: object, buffers: Buffer[], target?: string): CommMsg {
  return { content: { comm_id: commId, data, target_name: target }, metadata: {}, buffers, header: { msg_id: `m-${Math.random()}` } };
}

export class FakeComm implements KernelComm {
  closed = false;
  private readonly msgCbs: ((m: CommMsg) => void)[] = [];
  private readonly closeCbs: ((m: CommMsg) => void)[] = [];
  constructor(private readonly owner: FakeComms, readonly commId: string, readonly targetName: string) {}
  send(data: object, metadata: object = {}, buffers: ArrayBufferView[] = []): void {
    if (this.closed) throw new Error(`comm ${this.commId} is closed`);
    this.owner.record('msg', this, data, metadata, buffers);
  }
  close(data: object = {}, metadata: object = {}): void {
    this.closed = true;
    this.owner.record('close', this, data, metadata, []);
  }
  onMsg(cb: (m: CommMsg) => void): void {
    this.msgCbs.push(cb);
  }
  onClose(cb: (m: CommMsg) => void): void {
    this.closeCbs.push(cb);
  }
  deliver(m: CommMsg): void {
    for (const cb of this.msgCbs) cb(m);
  }
}
