/**
 * Value controls: int/float sliders and range sliders, int/float text boxes, checkbox, text.
 * ipywidgets 6 draws range sliders with the slider model and `_range: true`; 7 and 8 have
 * `IntRangeSliderModel` / `FloatRangeSliderModel`.
 */
import { DOM_OPTION_NAMES, domState, type DOMOptions } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend, type Generation } from './protocol';
import { Widget } from './widget';
import { checkOptionNames, optionNames } from '../tensor/options';

interface Described extends DOMOptions {
  description?: string;
  disabled?: boolean;
}

export interface SliderOptions<V> extends Described {
  value?: V;
  min?: number;
  max?: number;
  step?: number;
  /** Send values while dragging (default true), or only on release. */
  continuous_update?: boolean;
  orientation?: 'horizontal' | 'vertical';
  readout?: boolean;
  readout_format?: string;
}

const DESCRIBED = optionNames<Described>()([...DOM_OPTION_NAMES, 'description', 'disabled']);
/** Every key of `SliderOptions` (checked both ways at compile time). */
export const SLIDER_OPTION_NAMES = optionNames<SliderOptions<number>>()([
  ...DESCRIBED, 'value', 'min', 'max', 'step', 'continuous_update', 'orientation', 'readout', 'readout_format',
]);

function checkNumber(op: string, key: string, v: unknown, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new Error(`${op}: ${key} must be a finite ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** min ≤ max, step > 0, and the value(s) clamped into [min, max] as ipywidgets does. */
function boundedValidator(op: string, integer: boolean, range: boolean) {
  return (next: State): void => {
    const min = checkNumber(op, 'min', next.min, integer);
    const max = checkNumber(op, 'max', next.max, integer);
    checkNumber(op, 'step', next.step, integer);
    if (min > max) throw new Error(`${op}: min must be ≤ max, got min=${min}, max=${max}`);
    if ((next.step as number) <= 0) throw new Error(`${op}: step must be > 0, got ${next.step}`);
    const clamp = (v: number) => Math.min(max, Math.max(min, v));
    if (range) {
      const v = next.value;
      if (!Array.isArray(v) || v.length !== 2) throw new Error(`${op}: value must be [lower, upper], got ${JSON.stringify(v)}`);
      const lo = checkNumber(op, 'value[0]', v[0], integer);
      const hi = checkNumber(op, 'value[1]', v[1], integer);
      if (lo > hi) throw new Error(`${op}: value must be [lower, upper] with lower ≤ upper, got ${JSON.stringify(v)}`);
      next.value = [clamp(lo), clamp(hi)];
    } else {
      next.value = clamp(checkNumber(op, 'value', next.value, integer));
    }
  };
}

function sliderKind(name: string, integer: boolean, range: boolean) {
  const base = integer ? 'IntSlider' : 'FloatSlider';
  const own = (g: Generation) => (range && g === 6 ? base : name);
  return defineKind<State>({
    name,
    model: (g) => `${own(g)}Model`,
    view: (g) => `${own(g)}View`,
    valueKey: 'value',
    encode: (wire, _s, g) => {
      if (range && g === 6) wire._range = true;
    },
    validate: boundedValidator(name, integer, range),
  });
}

function sliderState<V>(g: Generation, o: SliderOptions<V>, integer: boolean, value: V): State {
  return {
    ...domState(g, o, 'SliderStyleModel'),
    description: o.description ?? '',
    disabled: o.disabled ?? false,
    value,
    min: o.min ?? 0,
    max: o.max ?? (integer ? 100 : 10),
    step: o.step ?? (integer ? 1 : 0.1),
    continuous_update: o.continuous_update ?? true,
    orientation: o.orientation ?? 'horizontal',
    readout: o.readout ?? true,
    readout_format: o.readout_format ?? (integer ? 'd' : '.2f'),
  };
}

const KINDS = {
  IntSlider: sliderKind('IntSlider', true, false),
  FloatSlider: sliderKind('FloatSlider', false, false),
  IntRangeSlider: sliderKind('IntRangeSlider', true, true),
  FloatRangeSlider: sliderKind('FloatRangeSlider', false, true),
};

/** A value widget: `.value` reads and writes the synced value. */
export class ValueWidget<V> extends Widget<State> {
  get value(): V {
    return this.state.value as V;
  }
  set value(v: V) {
    this.set({ value: v });
  }
}

/** Integer slider. @example const s = new IntSlider({ value: 1, min: 1, max: 3, description: 'stride' }) */
export class IntSlider extends ValueWidget<number> {
  constructor(o: SliderOptions<number> = {}) {
    checkOptionNames('IntSlider', o, SLIDER_OPTION_NAMES);
    const g = widgetFrontend();
    super(KINDS.IntSlider, sliderState(g, o, true, o.value ?? o.min ?? 0), { generation: g });
  }
}

/** Float slider (value rounded by the front end to multiples of `step`). */
export class FloatSlider extends ValueWidget<number> {
  constructor(o: SliderOptions<number> = {}) {
    checkOptionNames('FloatSlider', o, SLIDER_OPTION_NAMES);
    const g = widgetFrontend();
    super(KINDS.FloatSlider, sliderState(g, o, false, o.value ?? o.min ?? 0), { generation: g });
  }
}

/** Integer range slider: value `[lower, upper]`. */
export class IntRangeSlider extends ValueWidget<[number, number]> {
  constructor(o: SliderOptions<[number, number]> = {}) {
    checkOptionNames('IntRangeSlider', o, SLIDER_OPTION_NAMES);
    const g = widgetFrontend();
    const min = o.min ?? 0;
    const max = o.max ?? 100;
    super(KINDS.IntRangeSlider, sliderState(g, { ...o, min, max }, true, o.value ?? [Math.round(min + (max - min) * 0.25), Math.round(min + (max - min) * 0.75)]), { generation: g });
  }
}

/** Float range slider: value `[lower, upper]`. */
export class FloatRangeSlider extends ValueWidget<[number, number]> {
  constructor(o: SliderOptions<[number, number]> = {}) {
    checkOptionNames('FloatRangeSlider', o, SLIDER_OPTION_NAMES);
    const g = widgetFrontend();
    const min = o.min ?? 0;
    const max = o.max ?? 10;
    super(KINDS.FloatRangeSlider, sliderState(g, { ...o, min, max }, false, o.value ?? [min + (max - min) * 0.25, min + (max - min) * 0.75]), { generation: g });
  }
}

function plainKind(name: string, check?: (v: unknown) => void) {
  return defineKind<State>({
    name,
    model: `${name}Model`,
    view: `${name}View`,
    valueKey: 'value',
    validate: check ? (next) => check(next.value) : undefined,
  });
}

const IntTextKind = plainKind('IntText', (v) => checkNumber('IntText', 'value', v, true));
const FloatTextKind = plainKind('FloatText', (v) => checkNumber('FloatText', 'value', v, false));
const CheckboxKind = plainKind('Checkbox', (v) => {
  if (typeof v !== 'boolean') throw new Error(`Checkbox: value must be true or false, got ${JSON.stringify(v)}`);
});
const TextKind = plainKind('Text', (v) => {
  if (typeof v !== 'string') throw new Error(`Text: value must be a string, got ${JSON.stringify(v)}`);
});

function described(g: Generation, o: Described): State {
  return { ...domState(g, o, 'DescriptionStyleModel'), description: o.description ?? '', disabled: o.disabled ?? false };
}

/** Integer text box. */
export class IntText extends ValueWidget<number> {
  constructor(o: Described & { value?: number; step?: number; continuous_update?: boolean } = {}) {
    checkOptionNames('IntText', o, [...DESCRIBED, 'value', 'step', 'continuous_update']);
    const g = widgetFrontend();
    super(IntTextKind, { ...described(g, o), value: o.value ?? 0, step: o.step ?? 1, continuous_update: o.continuous_update ?? false }, { generation: g });
  }
}

/** Number text box. */
export class FloatText extends ValueWidget<number> {
  constructor(o: Described & { value?: number; step?: number; continuous_update?: boolean } = {}) {
    checkOptionNames('FloatText', o, [...DESCRIBED, 'value', 'step', 'continuous_update']);
    const g = widgetFrontend();
    super(FloatTextKind, { ...described(g, o), value: o.value ?? 0, step: o.step ?? 0.1, continuous_update: o.continuous_update ?? false }, { generation: g });
  }
}

/** Checkbox. */
export class Checkbox extends ValueWidget<boolean> {
  constructor(o: Described & { value?: boolean; indent?: boolean } = {}) {
    checkOptionNames('Checkbox', o, [...DESCRIBED, 'value', 'indent']);
    const g = widgetFrontend();
    super(CheckboxKind, { ...described(g, o), value: o.value ?? false, indent: o.indent ?? true }, { generation: g });
  }
}

/** One-line text input. */
export class Text extends ValueWidget<string> {
  constructor(o: Described & { value?: string; placeholder?: string; continuous_update?: boolean } = {}) {
    checkOptionNames('Text', o, [...DESCRIBED, 'value', 'placeholder', 'continuous_update']);
    const g = widgetFrontend();
    super(TextKind, { ...described(g, o), value: o.value ?? '', placeholder: o.placeholder ?? '\u200b', continuous_update: o.continuous_update ?? true }, { generation: g });
  }
}
