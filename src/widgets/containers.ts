/** Containers: HBox/VBox (flex rows/columns of child widgets) and Tab (one child per page). */
import { domState, type DOMOptions } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend } from './protocol';
import { Widget } from './widget';

function checkChildren(op: string, children: unknown): void {
  if (!Array.isArray(children) || children.some((c) => !(c instanceof Widget))) {
    throw new Error(`${op}: children must be a list of widgets, got ${Array.isArray(children) ? children.map((c) => (c instanceof Widget ? c.kind.name : typeof c)).join(', ') : typeof children}`);
  }
}

function boxKind(name: string) {
  return defineKind<State>({ name, model: `${name}Model`, view: `${name}View`, validate: (next) => checkChildren(name, next.children) });
}
const KINDS = { Box: boxKind('Box'), HBox: boxKind('HBox'), VBox: boxKind('VBox') };

/** A container of widgets. */
export class Box extends Widget<State> {
  constructor(children: Widget[] = [], o: DOMOptions & { box_style?: string } = {}, kind: keyof typeof KINDS = 'Box') {
    const g = widgetFrontend();
    super(KINDS[kind], { ...domState(g, o), children, box_style: o.box_style ?? '' }, { generation: g });
  }
  get children(): Widget[] {
    return this.state.children as Widget[];
  }
  set children(c: Widget[]) {
    this.set({ children: c });
  }
  override describe(): string {
    return `${this.kind.name}(${this.children.map((c) => c.describe()).join(', ')})`;
  }
}

/** Children side by side. */
export class HBox extends Box {
  constructor(children: Widget[] = [], o: DOMOptions = {}) {
    super(children, o, 'HBox');
  }
}

/** Children one under another. */
export class VBox extends Box {
  constructor(children: Widget[] = [], o: DOMOptions = {}) {
    super(children, o, 'VBox');
  }
}

const TabKind = defineKind<State>({
  name: 'Tab',
  model: 'TabModel',
  view: 'TabView',
  valueKey: 'selected_index',
  // ipywidgets 6/7: `_titles: {"0": "…"}`; 8: `titles: ["…"]`.
  omit: (k, g) => k === 'titles' && g !== 8,
  encode: (wire, s, g) => {
    if (g !== 8) wire._titles = Object.fromEntries((s.titles as string[]).map((t, i) => [String(i), t]));
  },
  decode: (patch, wire, g) => {
    if (g !== 8 && wire._titles && typeof wire._titles === 'object') {
      const t = wire._titles as Record<string, string>;
      patch.titles = Object.keys(t).sort((a, b) => +a - +b).map((k) => t[k]);
    }
  },
  validate: (next) => {
    checkChildren('Tab', next.children);
    const n = (next.children as Widget[]).length;
    const titles = next.titles as string[];
    if (titles.length !== n) throw new Error(`Tab: titles must have one entry per child (${n}), got ${titles.length}`);
    const i = next.selected_index;
    if (!(i === null && n === 0) && (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= n)) {
      throw new Error(`Tab: selected_index must be 0…${n - 1}, got ${JSON.stringify(i)}`);
    }
  },
});

/** Pages with titles. @example new Tab([a, b], { titles: ['input', 'output'] }) */
export class Tab extends Widget<State> {
  constructor(children: Widget[], o: DOMOptions & { titles?: string[]; selected_index?: number } = {}) {
    const g = widgetFrontend();
    super(TabKind, {
      ...domState(g, o),
      children,
      titles: o.titles ?? children.map((_, i) => `Page ${i + 1}`),
      selected_index: o.selected_index ?? (children.length ? 0 : null),
      box_style: '',
    }, { generation: g });
  }
  get selectedIndex(): number {
    return this.state.selected_index as number;
  }
}
