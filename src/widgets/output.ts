/**
 * Output: cell output captured into a widget (ipywidgets' OutputModel, `@jupyter-widgets/output`).
 * While `output.capture(fn)` runs, everything `show`/`display`/`clearOutput` and `console.*`
 * produce goes into the widget's `outputs` state (nbformat output dicts: `display_data`,
 * `stream`, `error`), which the front end renders; `update_display_data` replaces the captured
 * output with that display id. ipywidgets 6's Output model only routes by `msg_id` and has no
 * `outputs`, so for that generation the captured outputs are drawn as an HTML widget.
 */
import { format } from 'util';
import { escapeHtml, type MimeBundle } from '../display/mime';
import { captureStack, type DisplayOutput } from '../display/transport';
import { domState, type DOMOptions } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend } from './protocol';
import { Widget } from './widget';

/** One nbformat output as stored in `outputs`. */
export type NbOutput =
  | { output_type: 'display_data'; data: MimeBundle; metadata: object; transient?: { display_id: string } }
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

/** What an ipywidgets 6 front end shows for captured outputs (no `outputs` in its Output model). */
function outputsHtml(outputs: NbOutput[]): string {
  return outputs.map((o) => {
    if (o.output_type === 'stream') return `<pre style="margin:0${o.name === 'stderr' ? ';background:#fdd' : ''}">${escapeHtml(o.text)}</pre>`;
    if (o.output_type === 'error') return `<pre style="margin:0;color:#b00">${escapeHtml(`${o.ename}: ${o.evalue}`)}</pre>`;
    const d = o.data;
    if (typeof d['text/html'] === 'string') return d['text/html'];
    if (typeof d['image/png'] === 'string') return `<img src="data:image/png;base64,${d['image/png']}">`;
    return `<pre style="margin:0">${escapeHtml(String(d['text/plain'] ?? ''))}</pre>`;
  }).join('\n');
}

const OutputKind = defineKind<State>({
  name: 'Output',
  model: (g) => (g === 6 ? 'HTMLModel' : 'OutputModel'),
  view: (g) => (g === 6 ? 'HTMLView' : 'OutputView'),
  module: 'output',
  omit: (k, g) => g === 6 && (k === 'outputs' || k === 'msg_id'),
  encode: (wire, s, g) => {
    if (g === 6) wire.value = outputsHtml(s.outputs as NbOutput[]);
  },
});

const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error'] as const;

/** A widget holding outputs. @example out.capture(() => show(featureMaps(x))) */
export class Output extends Widget<State> {
  private clearOnNext = false;

  constructor(o: DOMOptions = {}) {
    const g = widgetFrontend();
    super(OutputKind, { ...domState(g, o), outputs: [], msg_id: '' }, { generation: g });
  }

  get outputs(): readonly NbOutput[] {
    return this.state.outputs as NbOutput[];
  }

  /** Remove every output (with `wait`: when the next one arrives, so the view does not flicker). */
  clear(wait = false): void {
    if (wait) this.clearOnNext = true;
    else this.set({ outputs: [] });
  }

  /** Append an output (nbformat dict). */
  append(out: NbOutput): void {
    const base = this.clearOnNext ? [] : (this.state.outputs as NbOutput[]);
    this.clearOnNext = false;
    this.set({ outputs: [...base, out] });
  }

  /**
   * Run `fn` with its display and console output going into this widget. Errors are shown in the
   * widget and thrown on (the kernel reports them too). Async `fn` → a Promise.
   */
  capture<T>(fn: () => T): T {
    const frame: DisplayOutput[] = [];
    const sink = new Proxy(frame, {
      get: (target, prop) => (prop === 'push' ? (...items: DisplayOutput[]) => { items.forEach((d) => this.receive(d)); return target.length; } : Reflect.get(target, prop)),
    });
    const stack = captureStack();
    stack.push(sink);
    const saved = CONSOLE_METHODS.map((m) => console[m]);
    CONSOLE_METHODS.forEach((m) => {
      console[m] = (...args: unknown[]) => this.append({ output_type: 'stream', name: m === 'warn' || m === 'error' ? 'stderr' : 'stdout', text: format(...args) + '\n' });
    });
    const restore = () => {
      const i = stack.lastIndexOf(sink);
      if (i >= 0) stack.splice(i, 1);
      CONSOLE_METHODS.forEach((m, k) => (console[m] = saved[k]));
    };
    const fail = (e: unknown): never => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.append({ output_type: 'error', ename: err.name, evalue: err.message, traceback: (err.stack ?? '').split('\n') });
      throw e;
    };
    let result: T;
    try {
      result = fn();
    } catch (e) {
      restore();
      return fail(e);
    }
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      return (result as unknown as Promise<unknown>).then((v) => { restore(); return v; }, (e) => { restore(); return fail(e); }) as T;
    }
    restore();
    return result;
  }

  private receive(d: DisplayOutput): void {
    if (d.type === 'clear_output') return this.clear(d.wait);
    const out: NbOutput = { output_type: 'display_data', data: d.data, metadata: {}, ...(d.id ? { transient: { display_id: d.id } } : {}) };
    if (d.type === 'update_display_data') {
      const list = this.state.outputs as NbOutput[];
      const i = list.findIndex((o) => o.output_type === 'display_data' && o.transient?.display_id === d.id);
      if (i >= 0) return this.set({ outputs: list.map((o, k) => (k === i ? out : o)) });
    }
    this.append(out);
  }
}
