/** The value and selection widgets reject misspelt options (`new IntSlider({ mn: 1 })` would start at 0). */
import { expect } from 'chai';
import { Checkbox, Dropdown, FloatRangeSlider, FloatSlider, FloatText, IntRangeSlider, IntSlider, IntText, Text, ToggleButtons, useComms } from '../../src/widgets';
import { resetWidgetFrontend } from '../../src/widgets/protocol';
import { FakeComms } from './fake-comms';

const any = (o: unknown): never => o as never;
const DESCRIBED = 'layout, style, description, disabled';
const SLIDER = `${DESCRIBED}, value, min, max, step, continuous_update, orientation, readout, readout_format`;
const SELECTION = 'layout, style, options, value, description, disabled';

describe('widgets: options are checked by name', () => {
  beforeEach(() => {
    useComms(new FakeComms());
    resetWidgetFrontend();
  });
  afterEach(() => {
    useComms(null);
    resetWidgetFrontend();
  });

  const cases: [string, (o: never) => unknown, object, object, string, string, string?][] = [
    ['IntSlider', (o) => new IntSlider(o), { min: 1, max: 3 }, { mn: 1 }, 'mn', SLIDER, 'min'],
    ['FloatSlider', (o) => new FloatSlider(o), { step: 0.5 }, { continuousUpdate: false }, 'continuousUpdate', SLIDER, 'continuous_update'],
    ['IntRangeSlider', (o) => new IntRangeSlider(o), { value: [2, 5] }, { values: [2, 5] }, 'values', SLIDER, 'value'],
    ['FloatRangeSlider', (o) => new FloatRangeSlider(o), { readout: false }, { readOut: false }, 'readOut', SLIDER, 'readout'],
    ['IntText', (o) => new IntText(o), { value: 3 }, { descripton: 'n' }, 'descripton', `${DESCRIBED}, value, step, continuous_update`, 'description'],
    ['FloatText', (o) => new FloatText(o), { step: 0.5 }, { min: 0 }, 'min', `${DESCRIBED}, value, step, continuous_update`],
    ['Checkbox', (o) => new Checkbox(o), { value: true }, { checked: true }, 'checked', `${DESCRIBED}, value, indent`],
    ['Text', (o) => new Text(o), { placeholder: 'x' }, { placeholer: 'x' }, 'placeholer', `${DESCRIBED}, value, placeholder, continuous_update`, 'placeholder'],
    ['Dropdown', (o) => new Dropdown(o), { options: ['a', 'b'] }, { options: ['a'], disable: true }, 'disable', SELECTION, 'disabled'],
    ['ToggleButtons', (o) => new ToggleButtons(o), { options: ['a'], button_style: 'info' }, { options: ['a'], buttonStyle: 'info' }, 'buttonStyle', `${SELECTION}, tooltips, button_style`, 'button_style'],
  ];
  for (const [op, run, good, typo, bad, known, guess] of cases) {
    it(`${op}: rejects '${bad}' and builds with ${Object.keys(good).join(', ')}`, () => {
      const hint = guess ? `; did you mean '${guess}'?` : '';
      expect(() => run(any(typo))).to.throw(Error).with.property('message', `${op}: unknown option '${bad}' (known: ${known})${hint}`);
      expect(() => run(any(good))).to.not.throw();
    });
  }
});
