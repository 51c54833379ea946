/**
 * Layout and style models, and the base of every widget with a view (ipywidgets' DOMWidget):
 * each gets its own Layout model (CSS sizes) and, for described controls, a style model
 * (`description_width`, `button_color`), as the Python library creates them.
 */
import { defineKind, type State, type WidgetKind } from './kind';
import type { Generation } from './protocol';
import { Widget } from './widget';
import { optionNames } from '../tensor/options';

/** CSS layout of a view (ipywidgets.Layout): `width`, `height`, `margin`, `border`, … */
export type LayoutOptions = Partial<Record<'width' | 'height' | 'max_width' | 'min_width' | 'margin' | 'padding' | 'border' | 'display' | 'flex_flow' | 'align_items' | 'justify_content' | 'overflow' | 'grid_template_columns' | 'visibility', string>>;

const layoutKind = defineKind<State>({ name: 'Layout', model: 'LayoutModel', view: 'LayoutView', module: 'base' });

/** A view's CSS layout model. */
export class Layout extends Widget<LayoutOptions & State> {
  constructor(opts: LayoutOptions = {}, generation?: Generation) {
    super(layoutKind as WidgetKind<LayoutOptions & State>, { ...opts }, { generation });
  }
}

export type StyleModelName = 'DescriptionStyleModel' | 'SliderStyleModel' | 'ButtonStyleModel' | 'ToggleButtonsStyleModel';
/** Style models jupyter-js-widgets 2.1 (ipywidgets 6) has: the others do not exist there. */
const V6_STYLES = new Set<StyleModelName>(['SliderStyleModel', 'ButtonStyleModel']);

const styleKinds = new Map<StyleModelName, WidgetKind>();
function styleKind(name: StyleModelName): WidgetKind {
  if (!styleKinds.has(name)) styleKinds.set(name, defineKind<State>({ name: name.replace(/Model$/, ''), model: name, view: 'StyleView', module: 'controls', viewModule: 'base' }));
  return styleKinds.get(name)!;
}

/** A control's style model (`{ description_width: '120px' }`, `{ button_color: '#eee' }`). */
export class Style extends Widget<State> {
  constructor(model: StyleModelName, opts: State = {}, generation?: Generation) {
    super(styleKind(model), { ...opts }, { generation });
  }
}

/** What every widget with a view accepts. */
export interface DOMOptions {
  layout?: LayoutOptions;
  /** Style attributes (`description_width`, `button_color`, `handle_color`, …). */
  style?: State;
}

/** Every key of `DOMOptions` (checked both ways at compile time). */
export const DOM_OPTION_NAMES = optionNames<DOMOptions>()(['layout', 'style']);

/** The state every DOM widget carries: its layout and (maybe) style references. */
export function domState(generation: Generation, opts: DOMOptions, style?: StyleModelName): State {
  const s: State = { layout: new Layout(opts.layout ?? {}, generation), _dom_classes: [] };
  if (style && (generation !== 6 || V6_STYLES.has(style))) s.style = new Style(style, opts.style ?? {}, generation);
  return s;
}
