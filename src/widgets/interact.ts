/**
 * `interact(fn, spec)` in the spirit of ipywidgets.interact: one control per argument, chosen
 * from the abbreviation, and `fn(kwargs)` re-run into an Output widget on every change.
 *
 * | abbreviation | control |
 * |---|---|
 * | `[min, max]` / `[min, max, step]` of integers | IntSlider (floats: FloatSlider) |
 * | a list of other values (`['valid', 'same']`) | Dropdown |
 * | `true` / `false` | Checkbox |
 * | a string | Text |
 * | a number `v` | slider over `[-v, 3v]` (ipywidgets' rule; `[0, 1]` for 0) |
 * | a widget | itself |
 * | `fixed(v)` | no control, always `v` |
 */
import { show } from '../display/display';
import { Checkbox, FloatSlider, IntSlider, Text } from './controls';
import { VBox } from './containers';
import { Output } from './output';
import { Dropdown } from './selection';
import { Widget } from './widget';

const FIXED = Symbol('tscnn.widgets.fixed');
/** A value passed to `fn` as is, without a control. */
export function fixed<T>(value: T): { [FIXED]: T } {
  return { [FIXED]: value };
}

export type Abbreviation = readonly unknown[] | boolean | string | number | Widget | { [FIXED]: unknown };

/** The control an abbreviation stands for (`undefined` for `fixed`). */
export function widgetFor(name: string, abbrev: Abbreviation): Widget | undefined {
  if (abbrev instanceof Widget) return abbrev;
  if (typeof abbrev === 'object' && abbrev !== null && FIXED in abbrev) return undefined;
  if (typeof abbrev === 'boolean') return new Checkbox({ value: abbrev, description: name });
  if (typeof abbrev === 'string') return new Text({ value: abbrev, description: name });
  if (typeof abbrev === 'number') {
    if (!Number.isFinite(abbrev)) throw new Error(`interact: ${name} must be a finite number, got ${abbrev}`);
    const [min, max] = abbrev === 0 ? [0, 1] : abbrev > 0 ? [-abbrev, 3 * abbrev] : [3 * abbrev, -abbrev];
    return Number.isInteger(abbrev) ? new IntSlider({ value: abbrev, min, max, description: name }) : new FloatSlider({ value: abbrev, min, max, step: (max - min) / 100, description: name });
  }
  if (Array.isArray(abbrev)) {
    const nums = abbrev.length >= 2 && abbrev.length <= 3 && abbrev.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (nums) {
      const [min, max, step] = abbrev as number[];
      if (min > max) throw new Error(`interact: ${name} = [min, max] needs min ≤ max, got [${abbrev.join(', ')}]`);
      if (abbrev.every(Number.isInteger)) return new IntSlider({ min, max, step: step ?? 1, value: min, description: name });
      return new FloatSlider({ min, max, step: step ?? (max - min) / 100, value: (min + max) / 2, description: name });
    }
    if (abbrev.length === 0) throw new Error(`interact: ${name} has an empty list of options`);
    return new Dropdown({ options: abbrev as unknown[], description: name });
  }
  throw new Error(`interact: cannot make a control for ${name} from ${JSON.stringify(abbrev)}`);
}

/** A VBox of the controls and the Output; `kwargs` are the current arguments, `result` the last return value. */
export class Interactive<K extends Record<string, unknown>> extends VBox {
  readonly controls: Record<string, Widget>;
  readonly out: Output;
  result: unknown;
  private readonly fixedValues: Record<string, unknown> = {};

  constructor(private readonly fn: (kwargs: K) => unknown, spec: Record<keyof K & string, Abbreviation>) {
    const controls: Record<string, Widget> = {};
    const fixedValues: Record<string, unknown> = {};
    for (const [name, abbrev] of Object.entries(spec) as [string, Abbreviation][]) {
      const w = widgetFor(name, abbrev);
      if (w) controls[name] = w;
      else fixedValues[name] = (abbrev as { [FIXED]: unknown })[FIXED];
    }
    const out = new Output();
    super([...Object.values(controls), out]);
    this.controls = controls;
    this.out = out;
    this.fixedValues = fixedValues;
    for (const w of Object.values(controls)) w.observe(() => void this.update());
    this.update();
  }

  get kwargs(): K {
    const k: Record<string, unknown> = { ...this.fixedValues };
    for (const [name, w] of Object.entries(this.controls)) k[name] = w.get('value' as never);
    return k as K;
  }

  /** Re-run `fn` with the current values; its output (and return value, if any) replaces the old. */
  update(): unknown {
    this.out.clear(true);
    const done = (r: unknown) => {
      this.result = r;
      if (r !== undefined) this.out.capture(() => show(r));
      return r;
    };
    const r = this.out.capture(() => this.fn(this.kwargs));
    if (r && typeof (r as Promise<unknown>).then === 'function') return (r as Promise<unknown>).then(done);
    return done(r);
  }
}

/** The controls and output of `fn`, not yet shown (display it, or put it in a box). */
export function interactive<K extends Record<string, unknown>>(fn: (kwargs: K) => unknown, spec: Record<keyof K & string, Abbreviation>): Interactive<K> {
  return new Interactive(fn, spec);
}

/**
 * Show controls for `fn`'s arguments and re-run it on every change (returns the Interactive).
 * @example interact(({ stride, padding }) => show(conv2d(x, w, { stride, padding })), { stride: [1, 3], padding: ['valid', 'same'] })
 */
export function interact<K extends Record<string, unknown>>(fn: (kwargs: K) => unknown, spec: Record<keyof K & string, Abbreviation>): Interactive<K> {
  const w = new Interactive(fn, spec);
  show(w);
  Object.defineProperty(w, Symbol.for('tscnn.noResult'), { value: true, enumerable: false });
  return w;
}
