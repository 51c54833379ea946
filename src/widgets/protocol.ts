/**
 * Which widget front end the kernel talks to, and how each generation names its models.
 *
 * | generation | front end | protocol | controls module@version | base (Layout) | Output |
 * |---|---|---|---|---|---|
 * | 6 | Notebook 5/6 + ipywidgets 6 nbextension (Debian's `jupyter-js-widgets` 2.1.x) | 1 | `jupyter-js-widgets@~2.1.4` | same | same (`msg_id` only) |
 * | 7 | ipywidgets 7 (Notebook 6 pip, JupyterLab 3, old VS Code) | 2.0.0 | `@jupyter-widgets/controls@1.5.0` | `@jupyter-widgets/base@1.2.0` | `@jupyter-widgets/output@1.0.0` |
 * | 8 | ipywidgets 8 (JupyterLab 4, Notebook 7, VS Code) | 2.1.0 | `@jupyter-widgets/controls@2.0.0` | `@jupyter-widgets/base@2.0.0` | `@jupyter-widgets/output@1.0.0` |
 *
 * Negotiation: ipywidgets 6's front end opens a `jupyter.widget.version` comm when it connects
 * (we answer `{version: '~2.1.4'}`, it replies `{validated}`), so that comm means generation 6;
 * ipywidgets 8's managers open `jupyter.widget.control` to fetch every model's state, which
 * means generation 8. Neither seen: generation 8 (what pip installs today). `setWidgetFrontend`
 * or the environment variable `TSCNN_WIDGETS=6|7|8` overrides the detection (ipywidgets 7 has
 * no comm of its own to recognise it by).
 */
export type Generation = 6 | 7 | 8;

export interface ModuleRef {
  module: string;
  version: string;
}

export interface Flavor {
  generation: Generation;
  /** `version` in comm_open metadata (protocol 2), or undefined (protocol 1 sends none). */
  protocolVersion?: string;
  controls: ModuleRef;
  base: ModuleRef;
  output: ModuleRef;
  /** The widget-view MIME payload's version fields (protocol 2), none for protocol 1. */
  viewVersion?: { version_major: number; version_minor: number };
}

/** The semver range ipywidgets 6 (Python 6.0.0) asks the jupyter-js-widgets front end for. */
export const V6_FRONTEND_RANGE = '~2.1.4';

const V6: ModuleRef = { module: 'jupyter-js-widgets', version: V6_FRONTEND_RANGE };
export const FLAVORS: Record<Generation, Flavor> = {
  6: { generation: 6, controls: V6, base: V6, output: V6 },
  7: {
    generation: 7,
    protocolVersion: '2.0.0',
    controls: { module: '@jupyter-widgets/controls', version: '1.5.0' },
    base: { module: '@jupyter-widgets/base', version: '1.2.0' },
    output: { module: '@jupyter-widgets/output', version: '1.0.0' },
    viewVersion: { version_major: 2, version_minor: 0 },
  },
  8: {
    generation: 8,
    protocolVersion: '2.1.0',
    controls: { module: '@jupyter-widgets/controls', version: '2.0.0' },
    base: { module: '@jupyter-widgets/base', version: '2.0.0' },
    output: { module: '@jupyter-widgets/output', version: '1.0.0' },
    viewVersion: { version_major: 2, version_minor: 0 },
  },
};

const STATE = Symbol.for('tscnn.widgets.frontend');
interface FrontendState {
  explicit?: Generation;
  detected?: Generation;
  /** What the ipywidgets 6 front end said about our version range. */
  v6?: { validated: boolean; frontendVersion: string };
}

export function frontendState(): FrontendState {
  const g = globalThis as Record<symbol, unknown>;
  if (!g[STATE]) g[STATE] = {};
  return g[STATE] as FrontendState;
}

function parseGeneration(raw: unknown, where: string): Generation {
  const n = Number(raw);
  if (n === 6 || n === 7 || n === 8) return n;
  throw new Error(`widgets: ${where} must be 6, 7 or 8 (the ipywidgets generation of the front end), got ${JSON.stringify(raw)}`);
}

/**
 * Talk to this front-end generation from now on (widgets already shown keep theirs);
 * `null` goes back to detection.
 * @example setWidgetFrontend(7) // a Notebook 6 with pip's ipywidgets 7
 */
export function setWidgetFrontend(generation: Generation | null): void {
  frontendState().explicit = generation === null ? undefined : parseGeneration(generation, 'setWidgetFrontend(generation)');
}

/** Record what a front end revealed (called by the manager's comm targets). */
export function detectedFrontend(generation: Generation): void {
  frontendState().detected = generation;
}

/** The generation new widgets are created for: explicit setting, `TSCNN_WIDGETS`, detected, else 8. */
export function widgetFrontend(): Generation {
  const s = frontendState();
  if (s.explicit) return s.explicit;
  const env = process.env.TSCNN_WIDGETS;
  if (env) return parseGeneration(env, 'TSCNN_WIDGETS');
  return s.detected ?? 8;
}

/** Forget settings and detections (tests). */
export function resetWidgetFrontend(): void {
  const s = frontendState();
  delete s.explicit;
  delete s.detected;
  delete s.v6;
}
