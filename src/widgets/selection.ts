/**
 * Pick one of several options: Dropdown and ToggleButtons. Only labels reach the front end
 * (`_options_labels`); ipywidgets 7/8 sync the chosen `index`, ipywidgets 6 the chosen label as
 * `value`. Here `value` is the option's value (any type), `label` its label, `index` its position.
 */
import { DOM_OPTION_NAMES, domState, type DOMOptions, type StyleModelName } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend } from './protocol';
import { Widget } from './widget';
import { checkOptionNames, optionNames } from '../tensor/options';

/** Options as labels, `[label, value]` pairs, or any values (labelled by `String(v)`). */
export type Options<V> = readonly (V | readonly [string, V])[];

export interface SelectionOptions<V> extends DOMOptions {
  options: Options<V>;
  value?: V;
  description?: string;
  disabled?: boolean;
}

/** Every key of `SelectionOptions` (checked both ways at compile time). */
export const SELECTION_OPTION_NAMES = optionNames<SelectionOptions<unknown>>()([...DOM_OPTION_NAMES, 'options', 'value', 'description', 'disabled']);

function normalise<V>(op: string, options: Options<V>): { labels: string[]; values: V[] } {
  if (!Array.isArray(options) || options.length === 0) throw new Error(`${op}: options must be a non-empty list, got ${JSON.stringify(options)}`);
  const labels: string[] = [];
  const values: V[] = [];
  for (const o of options) {
    const pair = Array.isArray(o) && o.length === 2 && typeof o[0] === 'string';
    labels.push(pair ? (o as unknown as readonly [string, V])[0] : String(o));
    values.push(pair ? (o as unknown as readonly [string, V])[1] : (o as V));
  }
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw new Error(`${op}: option labels must be unique, "${dup}" appears twice`);
  return { labels, values };
}

function selectionKind(name: string) {
  return defineKind<State>({
    name,
    model: `${name}Model`,
    view: `${name}View`,
    valueKey: 'value',
    rename: { options: { 6: '_options_labels', 7: '_options_labels', 8: '_options_labels' } },
    omit: (k, g) => k === '_values' || k === 'label' || (k === 'value' && g !== 6) || (k === 'index' && g === 6),
    encode: (wire, s, g) => {
      if (g === 6) wire.value = s.label;
    },
    decode: (patch, wire, g, cur) => {
      if (g === 6 && typeof wire.value === 'string') {
        const i = (cur.options as string[]).indexOf(wire.value);
        if (i < 0) throw new Error(`${name}: the front end chose "${wire.value}", which is not an option`);
        patch.index = i;
        delete patch.value;
      }
    },
    validate: (next, prev) => {
      const labels = next.options as string[];
      const values = next._values as unknown[];
      if (next.value !== prev.value || next === prev) {
        const i = values.findIndex((v) => v === next.value);
        if (i < 0) throw new Error(`${name}: value ${JSON.stringify(next.value)} is not one of the options ${JSON.stringify(values)}`);
        next.index = i;
      }
      const i = next.index as number;
      if (!Number.isInteger(i) || i < 0 || i >= labels.length) throw new Error(`${name}: index must be 0…${labels.length - 1}, got ${JSON.stringify(i)}`);
      next.value = values[i];
      next.label = labels[i];
    },
  });
}

const KINDS = { Dropdown: selectionKind('Dropdown'), ToggleButtons: selectionKind('ToggleButtons') };

class Selection<V> extends Widget<State> {
  constructor(kind: keyof typeof KINDS, style: StyleModelName, o: SelectionOptions<V>, extra: State = {}) {
    const g = widgetFrontend();
    const { labels, values } = normalise(kind, o.options);
    super(KINDS[kind], {
      ...domState(g, o, style),
      description: o.description ?? '',
      disabled: o.disabled ?? false,
      options: labels,
      _values: values,
      value: 'value' in o ? o.value : values[0],
      index: 0,
      label: labels[0],
      ...extra,
    }, { generation: g });
  }
  get value(): V {
    return this.state.value as V;
  }
  set value(v: V) {
    this.set({ value: v });
  }
  get label(): string {
    return this.state.label as string;
  }
  get index(): number {
    return this.state.index as number;
  }
}

/** A drop-down list. @example new Dropdown({ options: ['valid', 'same'], description: 'padding' }) */
export class Dropdown<V = string> extends Selection<V> {
  constructor(o: SelectionOptions<V>) {
    checkOptionNames('Dropdown', o, SELECTION_OPTION_NAMES);
    super('Dropdown', 'DescriptionStyleModel', o);
  }
}

/** A row of toggle buttons, one pressed. */
export class ToggleButtons<V = string> extends Selection<V> {
  constructor(o: SelectionOptions<V> & { tooltips?: string[]; button_style?: '' | 'primary' | 'success' | 'info' | 'warning' | 'danger' }) {
    checkOptionNames('ToggleButtons', o, [...SELECTION_OPTION_NAMES, 'tooltips', 'button_style']);
    super('ToggleButtons', 'ToggleButtonsStyleModel', o, { tooltips: o.tooltips ?? [], icons: [], button_style: o.button_style ?? '' });
  }
}
