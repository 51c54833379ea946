/** A push button; the front end reports clicks as a `custom` message `{event: 'click'}`. */
import { domState, type DOMOptions } from './dom';
import { defineKind, type State } from './kind';
import { widgetFrontend } from './protocol';
import { Widget } from './widget';

const ButtonKind = defineKind<State>({ name: 'Button', model: 'ButtonModel', view: 'ButtonView' });

export interface ButtonOptions extends DOMOptions {
  description?: string;
  tooltip?: string;
  disabled?: boolean;
  /** Font Awesome icon name without `fa-` (`'pause'`, `'stop'`). */
  icon?: string;
  button_style?: '' | 'primary' | 'success' | 'info' | 'warning' | 'danger';
}

/** A button. @example const stop = new Button({ description: 'Stop' }); stop.onClick(() => …) */
export class Button extends Widget<State> {
  private readonly clicks: ((b: Button) => unknown)[] = [];

  constructor(o: ButtonOptions = {}) {
    const g = widgetFrontend();
    super(ButtonKind, {
      ...domState(g, o, 'ButtonStyleModel'),
      description: o.description ?? '',
      tooltip: o.tooltip ?? '',
      disabled: o.disabled ?? false,
      icon: o.icon ?? '',
      button_style: o.button_style ?? '',
    }, { generation: g });
    this.onCustom((content) => {
      if (content?.event === 'click') this.click();
    });
  }

  /** Call `cb` on every click. */
  onClick(cb: (b: Button) => unknown): void {
    this.clicks.push(cb);
  }

  /** Run the click callbacks, as a click in the front end does. */
  click(): void {
    for (const cb of this.clicks) {
      const r = cb(this);
      if (r instanceof Promise) r.catch((e) => console.error('Button click handler failed:', e));
    }
  }
}
