/**
 * The comm targets a widget kernel answers besides its widgets' own comms:
 * - `jupyter.widget.version` (ipywidgets 6's front end opens it on connect): we send the
 *   version range we speak, it answers `{validated, frontend_version}`; seeing it means
 *   generation 6.
 * - `jupyter.widget.control` (protocol 2.1, ipywidgets 8 managers): `{method: 'request_states'}`
 *   → `{method: 'update_states', states: {id: state}, buffer_paths: {id: paths}}` with every
 *   widget's buffers; seeing it means generation 8.
 * They are registered with the kernel the first time a widget is created, or by
 * `registerWidgetTargets()` (call it early, e.g. from a kernel start-up hook, so a front end that
 * connects before any widget exists is recognised).
 */
import { currentComms, type Comms } from './comms';
import { detectedFrontend, frontendState, V6_FRONTEND_RANGE } from './protocol';
import { registry } from './registry';

const DONE = Symbol.for('tscnn.widgets.targets');

/** Register the version and control targets with the kernel's comms (idempotent). */
export function registerWidgetTargets(): boolean {
  const comms = currentComms();
  if (!comms) return false;
  ensureTargets(comms);
  return true;
}

export function ensureTargets(comms: Comms): void {
  const c = comms as Comms & { [DONE]?: boolean };
  if (c[DONE]) return;
  c[DONE] = true;
  comms.registerTarget('jupyter.widget.version', (comm) => {
    detectedFrontend(6);
    comm.onMsg((msg) => {
      const d = msg.content.data ?? {};
      frontendState().v6 = { validated: d.validated === true, frontendVersion: String(d.frontend_version ?? '') };
      if (d.validated !== true) {
        console.error(`widgets: the front end's jupyter-js-widgets ${d.frontend_version ?? '(unknown version)'} does not satisfy ${V6_FRONTEND_RANGE}`);
      }
    });
    comm.send({ version: V6_FRONTEND_RANGE });
  });
  comms.registerTarget('jupyter.widget.control', (comm) => {
    detectedFrontend(8);
    comm.onMsg((msg) => {
      const method = msg.content.data?.method;
      if (method !== 'request_states') throw new Error(`widgets: jupyter.widget.control got unknown method ${JSON.stringify(method)}`);
      const states: Record<string, unknown> = {};
      const paths: Record<string, unknown> = {};
      const buffers: ArrayBufferView[] = [];
      for (const [id, w] of registry()) {
        const s = w.wireState();
        states[id] = { model_name: s.state._model_name, model_module: s.state._model_module, model_module_version: s.state._model_module_version, state: s.state };
        // Buffers of all widgets travel in one list; each path is prefixed by the model id.
        paths[id] = s.paths;
        buffers.push(...s.buffers);
      }
      const flat = Object.entries(paths).flatMap(([id, ps]) => (ps as (string | number)[][]).map((p) => [id, 'state', ...p]));
      comm.send({ method: 'update_states', states, buffer_paths: flat }, {}, buffers);
    });
  });
}
