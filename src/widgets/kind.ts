/**
 * A widget class's description: its model/view names per front-end generation and how its
 * state maps to the front end's (renamed keys, widget references, per-generation encodings).
 */
import type { Generation } from './protocol';
import { fromRef, toRef } from './registry';

export type State = Record<string, unknown>;
export type ModuleKey = 'controls' | 'base' | 'output';

export interface WidgetKind<S extends State = State> {
  /** The class name users see (`IntSlider`). */
  name: string;
  names(g: Generation): { model: string; view: string | null; module: ModuleKey; viewModule: ModuleKey };
  toWire(state: S, g: Generation): State;
  /** Front-end state → a patch of our state (unknown keys are ignored, as ipywidgets does). */
  fromWire(wire: State, g: Generation, current: S): Partial<S>;
  /** Throw a clear error for a bad state; may adjust `next` (clamp a value into [min, max]). */
  validate?(next: S, prev: S): void;
  /** The key `observe` watches by default and text/plain shows (`value`). */
  valueKey?: string;
}

export interface KindSpec<S extends State> {
  name: string;
  model: string | ((g: Generation) => string);
  view: string | null | ((g: Generation) => string | null);
  module?: ModuleKey;
  /** Where the view lives when not in `module` (styles: model in controls, `StyleView` in base). */
  viewModule?: ModuleKey;
  valueKey?: string;
  /** Our key → the front end's key, per generation where it differs (`playing` → `_playing` before 8). */
  rename?: Record<string, Partial<Record<Generation, string>>>;
  /** Keys left out for some generations (`tooltip` does not exist before 8). */
  omit?: (key: string, g: Generation) => boolean;
  /** Extra per-generation encoding after the generic one (and its inverse). */
  encode?: (wire: State, state: S, g: Generation) => void;
  decode?: (patch: State, wire: State, g: Generation, current: S) => void;
  validate?: (next: S, prev: S) => void;
}

const isWidgetLike = (v: unknown): v is { modelId: string } =>
  typeof v === 'object' && v !== null && typeof (v as { modelId?: unknown }).modelId === 'string' && 'kind' in v;

function encodeValue(v: unknown): unknown {
  if (isWidgetLike(v)) return toRef(v);
  if (Array.isArray(v)) return v.map(encodeValue);
  return v;
}

/** A kind whose state travels key by key, with renames, widget references and hooks. */
export function defineKind<S extends State>(spec: KindSpec<S>): WidgetKind<S> {
  const wireName = (key: string, g: Generation) => spec.rename?.[key]?.[g] ?? key;
  return {
    name: spec.name,
    valueKey: spec.valueKey,
    validate: spec.validate,
    names(g) {
      return {
        model: typeof spec.model === 'function' ? spec.model(g) : spec.model,
        view: typeof spec.view === 'function' ? spec.view(g) : spec.view,
        module: spec.module ?? 'controls',
        viewModule: spec.viewModule ?? spec.module ?? 'controls',
      };
    },
    toWire(state, g) {
      const wire: State = {};
      for (const [k, v] of Object.entries(state)) {
        if (v === undefined || spec.omit?.(k, g)) continue;
        wire[wireName(k, g)] = encodeValue(v);
      }
      spec.encode?.(wire, state, g);
      return wire;
    },
    fromWire(wire, g, current) {
      const patch: State = {};
      for (const k of Object.keys(current)) {
        const w = wireName(k, g);
        if (!(w in wire) || spec.omit?.(k, g)) continue;
        const cur = current[k];
        const v = wire[w];
        if (isWidgetLike(cur)) patch[k] = fromRef(v, `${spec.name}.${k}`);
        else if (Array.isArray(cur) && cur.some(isWidgetLike)) patch[k] = (v as unknown[]).map((r, i) => fromRef(r, `${spec.name}.${k}[${i}]`));
        else patch[k] = v;
      }
      spec.decode?.(patch, wire, g, current);
      return patch as Partial<S>;
    },
  };
}
