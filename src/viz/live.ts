/**
 * Training curves that redraw in place while training runs: `liveChart()` displays once, then
 * `push({ epoch, loss, acc })` replaces that same output through a display handle, at most once
 * per `throttleMs` (a redraw re-sends the figure and its PNG, so every batch would be too much).
 * Call `done()` at the end so the final points are always shown (and saved in the notebook).
 */
import type { Displayable, MimeBundle } from '../display/mime';
import { opError } from '../tensor/errors';
import { lossCurves, type ChartOptions } from './charts';
import { PlotlyChart, plotlyLoader, plotlyLoaderEmitted } from './plotly';
import { hashString } from './raster';

/** The display contract of src/display (`display(bundleOrValue, { id }) → handle`). */
export interface DisplayHandleLike {
  id: string;
  update(bundleOrValue: MimeBundle | Displayable): void;
}
export type DisplayFn = (bundleOrValue: MimeBundle | Displayable, opts?: { id?: string }) => DisplayHandleLike;

export interface LiveChartOptions extends ChartOptions {
  /** Minimum milliseconds between redraws (default 500). */
  throttleMs?: number;
  /** Where to send outputs (default: src/display's `display`). Tests pass a recorder. */
  display?: DisplayFn;
  /** Clock for throttling (default Date.now); never written into an output. */
  now?: () => number;
}

function defaultDisplay(): DisplayFn {
  let mod: { display?: DisplayFn };
  try {
    // Resolved at first use: src/viz stays importable (and testable) without a kernel.
    mod = require('../display') as { display?: DisplayFn };
  } catch (e) {
    throw opError('LiveChart', `no display available (src/display could not be loaded: ${(e as Error).message}); pass opts.display`);
  }
  if (typeof mod.display !== 'function') throw opError('LiveChart', 'src/display does not export display(); pass opts.display');
  return mod.display;
}

let liveCount = 0;

export class LiveChart {
  /** Every point pushed so far, in order. */
  readonly records: Record<string, number>[] = [];
  private handle: DisplayHandleLike | null = null;
  private lastDraw = -Infinity;
  private dirty = false;
  private readonly id: string;
  /** How many times the output was (re)drawn. */
  draws = 0;

  constructor(readonly opts: LiveChartOptions = {}) {
    liveCount += 1;
    // Counter-based id: deterministic for a notebook run, unique on the page.
    this.id = `tscnn-live-${hashString(opts.title ?? '')}-${liveCount}`;
  }

  /** Add one point, e.g. `{ epoch: 3, loss: 0.41, valLoss: 0.52, acc: 0.88 }`; redraws if due. */
  push(point: Record<string, number>): this {
    if (!point || typeof point !== 'object') throw opError('LiveChart.push', `point must be an object of numbers, got ${typeof point}`);
    for (const [k, v] of Object.entries(point)) {
      if (typeof v !== 'number') throw opError('LiveChart.push', `'${k}' must be a number, got ${typeof v}`);
    }
    this.records.push({ ...point });
    this.dirty = true;
    this.update();
    return this;
  }

  /** The chart as it stands (a normal PlotlyChart). */
  chart(): PlotlyChart {
    return lossCurves(this.records, this.opts);
  }

  /** Redraw now if `force` or the throttle interval has passed since the last redraw. */
  update(force = false): this {
    if (this.records.length === 0 || (!this.dirty && this.handle)) return this;
    const now = (this.opts.now ?? Date.now)();
    if (!force && now - this.lastDraw < (this.opts.throttleMs ?? 500)) return this;
    const display = this.opts.display ?? defaultDisplay();
    const bundle = this.chart().bundle({ loader: false, id: this.id });
    if (!this.handle) {
      // plotly.js goes into its own output, once, so redraws never re-send 4.8 MB.
      if (!plotlyLoaderEmitted()) display(plotlyLoader());
      this.handle = display(bundle, { id: this.id });
    } else this.handle.update(bundle);
    this.lastDraw = now;
    this.dirty = false;
    this.draws += 1;
    return this;
  }

  /** Final redraw with every point. */
  done(): this {
    return this.update(true);
  }
}

export function liveChart(opts: LiveChartOptions = {}): LiveChart {
  return new LiveChart(opts);
}
