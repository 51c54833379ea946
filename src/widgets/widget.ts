/**
 * The widget model on the kernel side (ipywidgets' `Widget`): state, two-way sync over a comm,
 * `observe` callbacks, binary buffers, `echo_update` (protocol 2.1) and the widget-view display.
 *
 * Messages (ipywidgets packages/schema/messages.md; protocol 1 from ipywidgets 6.0.0's widget.py):
 *   open   kernel → front end  comm_open target `jupyter.widget`;
 *                               p2: data `{state, buffer_paths}`, metadata `{version}`;
 *                               p1: data = the state itself (buffers follow in an `update`)
 *   update kernel → front end  p2 `{method: 'update', state, buffer_paths}`, p1 `{…, buffers: keys}`
 *   update front end → kernel  p2 `{method: 'update', state, buffer_paths}`,
 *                               p1 `{method: 'backbone', sync_data, buffer_keys}`
 *   echo   kernel → front end  p2.1 `{method: 'echo_update', state, buffer_paths}` for what it received
 *   `request_state` → a full `update`; `custom` → `onCustom` callbacks (Button clicks).
 * Outside a kernel with comms (plain Node, CLI) a widget works detached: state and observers
 * behave the same, nothing is sent.
 */
import { randomBytes } from 'crypto';
import { DISPLAY, type MimeBundle } from '../display/mime';
import { removeBuffers, putBuffers, type BufferPath } from './buffers';
import { currentComms, type CommMsg, type KernelComm } from './comms';
import { ensureTargets } from './manager';
import { FLAVORS, widgetFrontend, type Flavor, type Generation } from './protocol';
import { registry, type Registered } from './registry';
import type { WidgetKind } from './kind';

/** What an `observe` callback receives (traitlets' change dict). */
export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}
export type Observer = (change: Change<any>) => unknown;
type State = Record<string, unknown>;

export class Widget<S extends State = State> {
  readonly modelId: string;
  readonly flavor: Flavor;
  protected readonly state: S;
  private comm: KernelComm | undefined;
  private readonly observers = new Map<string, Set<Observer>>();
  private readonly customHandlers: ((content: any, buffers: Buffer[]) => void)[] = [];
  private held = false;
  /** The wire state the front ends have (what we sent or they sent), bytes included. */
  private lastWire: State = {};
  /** Promise chain of async observers, so their errors are reported in order. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    readonly kind: WidgetKind<S>,
    initial: S,
    opts: { generation?: Generation } = {},
  ) {
    this.flavor = FLAVORS[opts.generation ?? widgetFrontend()];
    this.state = { ...initial };
    kind.validate?.(this.state, this.state);
    const comms = currentComms();
    if (!comms) {
      this.modelId = randomBytes(16).toString('hex');
    } else {
      ensureTargets(comms);
      this.lastWire = this.fullWire();
      const { state, paths, buffers } = removeBuffers(this.lastWire);
      const p2 = this.flavor.generation !== 6;
      // Protocol 1 front ends read the model name from the open's data and take no buffers there.
      const data = p2 ? { state, buffer_paths: paths } : state;
      this.comm = comms.open('jupyter.widget', data, p2 ? { version: this.flavor.protocolVersion } : {}, p2 ? buffers : []);
      this.modelId = this.comm.commId;
      if (!p2 && buffers.length) this.sendWire(this.lastWire, paths.map((p) => String(p[0])));
      this.comm.onMsg((msg) => this.handleMsg(msg));
      this.comm.onClose(() => this.detach());
    }
    registry().set(this.modelId, this as unknown as Registered);
  }

  /** True while a comm to a front end is open. */
  get live(): boolean {
    return this.comm !== undefined && !this.comm.closed;
  }

  get<K extends keyof S & string>(key: K): S[K] {
    return this.state[key];
  }

  /** Change state here and in every front end; observers of changed keys run first-to-last. */
  set(patch: Partial<S>): void {
    const next = { ...this.state, ...patch } as S;
    this.kind.validate?.(next, this.state);
    // Keys the validator adjusted (a value clamped to a new max) count as changed too.
    const changed = (Object.keys(next) as (keyof S & string)[]).filter((k) => !sameValue(this.state[k], next[k]));
    const old: Partial<S> = {};
    for (const k of changed) {
      old[k] = this.state[k];
      this.state[k] = next[k];
    }
    if (!this.held) this.sendChanged();
    this.notify(changed, old);
  }

  /** Run `fn`, then send all the state it changed in one update message. */
  holdSync(fn: () => void): void {
    if (this.held) return fn();
    this.held = true;
    try {
      fn();
    } finally {
      this.held = false;
      this.sendChanged();
    }
  }

  /**
   * Call `cb` after `names` change (from the front end or from code); returns a function that
   * removes it. `'*'` observes every key.
   * @example slider.observe((c) => console.log(c.old, '→', c.new))
   */
  observe(cb: Observer, names: string | string[] = this.kind.valueKey ?? '*'): () => void {
    const list = Array.isArray(names) ? names : [names];
    for (const n of list) {
      if (!this.observers.has(n)) this.observers.set(n, new Set());
      this.observers.get(n)!.add(cb);
    }
    return () => list.forEach((n) => this.observers.get(n)?.delete(cb));
  }

  /** Handle `custom` messages from the front end (Button clicks arrive this way). */
  onCustom(cb: (content: any, buffers: Buffer[]) => void): void {
    this.customHandlers.push(cb);
  }

  /** Send a `custom` message to the front-end model. */
  sendCustom(content: object, buffers: ArrayBufferView[] = []): void {
    this.comm?.send({ method: 'custom', content }, {}, buffers);
  }

  /** Close the comm: every view of this widget disappears. */
  close(): void {
    if (this.comm && !this.comm.closed) this.comm.close();
    this.detach();
  }

  /** Settles when every async observer started so far has finished (tests, latency probes). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** State as the front end's model names it, with its binary parts split off. */
  wireState(): { state: State; buffers: ArrayBufferView[]; paths: BufferPath[] } {
    return removeBuffers(this.fullWire());
  }

  private fullWire(): State {
    const { model, view, module, viewModule } = this.kind.names(this.flavor.generation);
    const m = this.flavor[module];
    const v = this.flavor[viewModule];
    return {
      _model_name: model,
      _model_module: m.module,
      _model_module_version: m.version,
      _view_name: view,
      _view_module: view === null ? null : v.module,
      _view_module_version: view === null ? '' : v.version,
      ...this.kind.toWire(this.state, this.flavor.generation),
    };
  }

  /** The widget-view output: rendered by widget front ends, text/plain elsewhere. */
  [DISPLAY](): MimeBundle {
    const text = this.describe();
    if (!this.live) return { 'text/plain': text };
    if (this.flavor.generation === 6) {
      // ipywidgets 6 draws views on this message (in the cell's widget area), not on the MIME output.
      this.comm!.send({ method: 'display' });
      return { 'application/vnd.jupyter.widget-view+json': { model_id: this.modelId }, 'text/plain': '' };
    }
    return { 'application/vnd.jupyter.widget-view+json': { ...this.flavor.viewVersion, model_id: this.modelId }, 'text/plain': text };
  }

  /** One line for text/plain: `IntSlider(value=3, description='stride')`. */
  describe(): string {
    const v = this.kind.valueKey ? this.state[this.kind.valueKey] : undefined;
    const desc = typeof this.state.description === 'string' && this.state.description ? `, description=${JSON.stringify(this.state.description)}` : '';
    return `${this.kind.name}(${v === undefined ? '' : `value=${JSON.stringify(v)}`}${desc})`;
  }

  /** Send the wire keys whose values differ from what the front ends have. */
  private sendChanged(): void {
    const full = this.fullWire();
    const keys = Object.keys(full).filter((k) => !sameValue(full[k], this.lastWire[k]));
    this.lastWire = full;
    if (keys.length) this.sendWire(full, keys);
  }

  private sendWire(full: State, keys: string[]): void {
    if (!this.live) return;
    const { state, paths, buffers } = removeBuffers(Object.fromEntries(keys.map((k) => [k, full[k]])));
    this.comm!.send(this.updateMessage('update', state, paths), {}, buffers);
  }

  private updateMessage(method: string, state: State, paths: BufferPath[]): object {
    if (this.flavor.generation === 6) return { method, state, buffers: paths.map((p) => p[0]) };
    return { method, state, buffer_paths: paths };
  }

  private handleMsg(msg: CommMsg): void {
    const data = msg.content.data ?? {};
    switch (data.method) {
      case 'update':
      case 'backbone':
        return this.receiveState(data, msg.buffers ?? []);
      case 'request_state':
        this.lastWire = this.fullWire();
        return this.sendWire(this.lastWire, Object.keys(this.lastWire));
      case 'custom':
        for (const cb of this.customHandlers) cb(data.content, msg.buffers ?? []);
        return;
      default:
        throw new Error(`widgets: ${this.kind.name} ${this.modelId} got a message with unknown method ${JSON.stringify(data.method)}`);
    }
  }

  private receiveState(data: any, buffers: Buffer[]): void {
    const p1 = data.method === 'backbone';
    const wire: State = { ...(p1 ? data.sync_data : data.state) };
    const paths: BufferPath[] = p1 ? (data.buffer_keys ?? []).map((k: string) => [k]) : data.buffer_paths ?? [];
    putBuffers(wire, paths, buffers, `${this.kind.name} update`);
    if (this.flavor.generation === 8 && !p1) {
      // Protocol 2.1: every front end (the sender included) learns the kernel accepted this state.
      this.comm?.send(this.updateMessage('echo_update', { ...(data.state ?? {}) }, paths), {}, buffers);
    }
    // What the front end sent is what it has: only values the kernel changes go back.
    this.lastWire = { ...this.lastWire, ...wire };
    this.set(this.kind.fromWire(wire, this.flavor.generation, this.state) as Partial<S>);
  }

  private notify(changed: string[], old: State): void {
    const errors: unknown[] = [];
    for (const name of changed) {
      const cbs = [...(this.observers.get(name) ?? []), ...(this.observers.get('*') ?? [])];
      for (const cb of cbs) {
        try {
          const r = cb({ name, old: old[name], new: this.state[name], owner: this as unknown as Widget });
          if (r && typeof (r as Promise<void>).then === 'function') {
            this.pending = this.pending.then(() => r).then(() => undefined).catch((e) => console.error(`${this.kind.name} observer failed:`, e));
          }
        } catch (e) {
          errors.push(e);
        }
      }
    }
    if (errors.length) throw errors[0];
  }

  private detach(): void {
    registry().delete(this.modelId);
    this.comm = undefined;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return false;
}
