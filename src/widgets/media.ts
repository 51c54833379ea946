/**
 * Pictures, HTML and an animation clock: Image (PNG bytes as a binary buffer; ipywidgets 6's
 * model takes them as base64 `_b64value`), HTML, Play.
 */
import { domState, type DOMOptions } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend } from './protocol';
import { Widget } from './widget';

const ImageKind = defineKind<State>({
  name: 'Image',
  model: 'ImageModel',
  view: 'ImageView',
  valueKey: 'value',
  omit: (k, g) => k === 'value' && g === 6,
  encode: (wire, s, g) => {
    if (g === 6) wire._b64value = Buffer.from(s.value as Uint8Array).toString('base64');
  },
  validate: (next) => {
    if (!(next.value instanceof Uint8Array)) throw new Error(`Image: value must be the image file's bytes (a Uint8Array/Buffer), got ${typeof next.value}`);
  },
});

export interface ImageOptions extends DOMOptions {
  value?: Uint8Array;
  format?: 'png' | 'jpeg' | 'gif' | 'svg+xml';
  /** CSS width/height of the view ('' = natural size). */
  width?: string;
  height?: string;
}

/** An image from file bytes. @example new Image({ value: pngBuffer, width: '280px' }) */
export class Image extends Widget<State> {
  constructor(o: ImageOptions = {}) {
    const g = widgetFrontend();
    super(ImageKind, { ...domState(g, o), value: o.value ?? new Uint8Array(0), format: o.format ?? 'png', width: o.width ?? '', height: o.height ?? '' }, { generation: g });
  }
  get value(): Uint8Array {
    return this.state.value as Uint8Array;
  }
  set value(v: Uint8Array) {
    this.set({ value: v });
  }
  override describe(): string {
    return `Image(${this.state.format}, ${(this.state.value as Uint8Array).length} bytes)`;
  }
}

const HTMLKind = defineKind<State>({
  name: 'HTML',
  model: 'HTMLModel',
  view: 'HTMLView',
  valueKey: 'value',
  validate: (next) => {
    if (typeof next.value !== 'string') throw new Error(`HTML: value must be a string of HTML, got ${typeof next.value}`);
  },
});

/** A piece of HTML (formulas, tables, error messages). */
export class HTML extends Widget<State> {
  constructor(o: DOMOptions & { value?: string; description?: string } = {}) {
    const g = widgetFrontend();
    super(HTMLKind, { ...domState(g, o, 'DescriptionStyleModel'), value: o.value ?? '', description: o.description ?? '', placeholder: '\u200b' }, { generation: g });
  }
  get value(): string {
    return this.state.value as string;
  }
  set value(v: string) {
    this.set({ value: v });
  }
}

const PlayKind = defineKind<State>({
  name: 'Play',
  model: 'PlayModel',
  view: 'PlayView',
  valueKey: 'value',
  // ipywidgets 6/7 name the running state `_playing`/`_repeat`; 8 `playing`/`repeat`.
  rename: { playing: { 6: '_playing', 7: '_playing' }, repeat: { 6: '_repeat', 7: '_repeat' } },
  omit: (k, g) => k === 'show_repeat' && g === 6,
  validate: (next) => {
    for (const k of ['value', 'min', 'max', 'step', 'interval']) {
      if (!Number.isInteger(next[k])) throw new Error(`Play: ${k} must be an integer, got ${JSON.stringify(next[k])}`);
    }
    if ((next.min as number) > (next.max as number)) throw new Error(`Play: min must be ≤ max, got min=${next.min}, max=${next.max}`);
    next.value = Math.min(next.max as number, Math.max(next.min as number, next.value as number));
  },
});

/** A play/pause clock stepping `value` from min to max every `interval` ms (in the front end). */
export class Play extends Widget<State> {
  constructor(o: DOMOptions & { value?: number; min?: number; max?: number; step?: number; interval?: number; repeat?: boolean; description?: string } = {}) {
    const g = widgetFrontend();
    super(PlayKind, {
      ...domState(g, o, 'DescriptionStyleModel'),
      description: o.description ?? '',
      disabled: false,
      value: o.value ?? o.min ?? 0,
      min: o.min ?? 0,
      max: o.max ?? 100,
      step: o.step ?? 1,
      interval: o.interval ?? 100,
      playing: false,
      repeat: o.repeat ?? false,
      show_repeat: true,
    }, { generation: g });
  }
  get value(): number {
    return this.state.value as number;
  }
  set value(v: number) {
    this.set({ value: v });
  }
}
