/**
 * The kernel's comm layer as this library sees it: the `comms` object the tscnn kernel adds to
 * `globalThis[Symbol.for('tscnn.kernel')]` (kernels/lib, contract in docs/ARCHITECTURE.md), or a
 * stand-in set with `useComms` (tests, or a host other than the kernel).
 */
import { KERNEL_HOOK } from '../display/transport';

/** A message on a comm, as the kernel hands it to a handler. */
export interface CommMsg {
  content: { comm_id: string; data: any; target_name?: string };
  metadata: object;
  buffers: Buffer[];
  header: object;
}

/** One end of a comm (Jupyter messaging spec, "Custom messages"). */
export interface KernelComm {
  readonly commId: string;
  readonly targetName: string;
  readonly closed: boolean;
  send(data: object, metadata?: object, buffers?: ArrayBufferView[]): void;
  close(data?: object, metadata?: object): void;
  onMsg(cb: (msg: CommMsg) => void): void;
  onClose(cb: (msg: CommMsg) => void): void;
}

/** The kernel's comm registry. */
export interface Comms {
  registerTarget(name: string, onOpen: (comm: KernelComm, msg: CommMsg) => void): void;
  unregisterTarget(name: string): void;
  open(targetName: string, data?: object, metadata?: object, buffers?: ArrayBufferView[]): KernelComm;
}

const OVERRIDE = Symbol.for('tscnn.widgets.comms');

/** Use `comms` instead of the kernel's (tests; `null` goes back to the kernel's). */
export function useComms(comms: Comms | null): void {
  (globalThis as Record<symbol, unknown>)[OVERRIDE] = comms ?? undefined;
}

/** The comm registry in effect, or undefined outside a kernel with comms (plain Node, nbclient-less CLI). */
export function currentComms(): Comms | undefined {
  const g = globalThis as Record<symbol, unknown>;
  const override = g[OVERRIDE] as Comms | undefined;
  if (override) return override;
  const hook = g[KERNEL_HOOK] as { comms?: Comms } | undefined;
  return hook?.comms;
}
