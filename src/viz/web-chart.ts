/**
 * Plotly charts that survive every way a lecture is shown, offline (see docs/measured.md, "Rendering"):
 * - the plotly.js bundle (node_modules/plotly.js-dist-min, 4.8 MB) is inlined ONCE per notebook,
 *   by `plotlyLoader()` or by the first chart displayed, as a plain <script> in text/html;
 * - each chart is `<div>` + a script that waits for `window.Plotly` (the loader may sit in an
 *   earlier output) and then draws; until then the div holds the static PNG, which is also what
 *   shows when scripts never run;
 * - the bundle also carries image/png (drawn by src/viz/plot2d), application/vnd.plotly.v1+json
 *   (for front ends with a plotly renderer) and text/plain.
 * Element ids come from a hash of the figure (no timestamps, no random ids).
 */
import { readFileSync } from 'fs';
import { figureBundle } from '../display/bundle';
import { DISPLAY, escapeHtml, type MimeBundle } from '../display/mime';
import { opError } from '../tensor/errors';
import { contentId } from './raster';

/** A plotly figure: traces + layout, plain JSON. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

let bundleCache: { version: string; source: string } | null = null;

/** The plotly.js-dist-min source and version, read once. */
export function plotlySource(): { version: string; source: string } {
  if (!bundleCache) {
    let path: string;
    try {
      path = require.resolve('plotly.js-dist-min/plotly.min.js');
    } catch {
      throw opError('plotlyLoader', 'cannot find plotly.js-dist-min (npm install plotly.js-dist-min)');
    }
    const source = readFileSync(path, 'utf8');
    const version = /plotly\.js v([\d.]+)/.exec(source.slice(0, 200))?.[1] ?? 'unknown';
    bundleCache = { version, source };
  }
  return bundleCache;
}

let loaderEmitted = false;

/** True once a loader (explicit or inside a chart) has been emitted in this kernel session. */
export function plotlyLoaderEmitted(): boolean {
  return loaderEmitted;
}

/** Forget that the loader was emitted (tests; "Restart & Run All" restarts the kernel anyway). */
export function resetPlotlyLoader(): void {
  loaderEmitted = false;
}

/** Make a string safe inside an inline <script> element. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The loader's <script>: the bundle runs with `module`/`exports`/`define` shadowed so its UMD
 * wrapper always sets `window.Plotly` (not a CommonJS/AMD export under require.js).
 */
export function plotlyLoaderHtml(): string {
  const { version, source } = plotlySource();
  return `<script data-tscnn="plotly-loader">/* plotly.js ${version} inlined by tscnn (offline) */(function(module,exports,define){${scriptSafe(source)}\n}).call(window);</script>`;
}

/** An output that only loads plotly.js; show it once near the top of a notebook (optional). */
export class PlotlyLoader {
  [DISPLAY](): MimeBundle {
    loaderEmitted = true;
    const { version } = plotlySource();
    return {
      'text/html': `${plotlyLoaderHtml()}<div style="font-size:14px;color:#555">plotly.js ${escapeHtml(version)} loaded (inline, works offline)</div>`,
      'text/plain': `plotly.js ${version} loader (inline, offline)`,
    };
  }
}

/** The loader output: `show(plotlyLoader())` once near the top of a notebook (optional: the first chart inlines it too). */
export function plotlyLoader(): PlotlyLoader {
  return new PlotlyLoader();
}

/** JSON for an inline script: no "</script>" can end it early. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A chart: plotly figure + static PNG fallback + text. */
export class PlotlyChart {
  constructor(
    readonly figure: Figure,
    readonly png: Buffer,
    readonly width: number,
    readonly height: number,
    readonly text: string,
  ) {}

  /**
   * The chart's HTML. `loader` inlines plotly.js before the chart (default: when no loader was
   * emitted yet in this session). `id` fixes the element id (live charts keep theirs).
   */
  html(opts: { loader?: boolean; id?: string } = {}): string {
    const fig = jsonForScript(this.figure);
    const id = opts.id ?? contentId('tscnn-plot', fig);
    const img = `<img alt="${escapeHtml(this.text.split('\n')[0])}" width="${this.width}" height="${this.height}" style="max-width:none" src="data:image/png;base64,${this.png.toString('base64')}">`;
    const script =
      `<script>(function(){var id=${JSON.stringify(id)},fig=${fig},tries=0;` +
      `function draw(){var el=document.getElementById(id);if(!el)return;` +
      `if(!window.Plotly||!window.Plotly.newPlot){if(++tries<600)setTimeout(draw,50);return;}` +
      `el.innerHTML='';window.Plotly.newPlot(el,fig.data,fig.layout,{displaylogo:false,responsive:false});}` +
      `draw();})();</script>`;
    const loader = opts.loader ?? !loaderEmitted;
    if (loader) loaderEmitted = true;
    return `${loader ? plotlyLoaderHtml() : ''}<div id="${id}" class="tscnn-plot" style="width:${this.width}px;height:${this.height}px">${img}</div>${script}`;
  }

  /** text/html (plotly + the PNG until it draws), image/png, the plotly JSON and text/plain. */
  bundle(opts: { loader?: boolean; id?: string } = {}): MimeBundle {
    return figureBundle({ html: this.html(opts), png: this.png, text: this.text, extra: { 'application/vnd.plotly.v1+json': this.figure } });
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }

  toString(): string {
    return this.text;
  }
}

/** Layout defaults: projector-size fonts, fixed size (same as the PNG), white background. */
export function baseLayout(width: number, height: number, title?: string): Record<string, unknown> {
  return {
    width,
    height,
    title: title ? { text: title, font: { size: 20 } } : undefined,
    font: { size: 16, family: 'DejaVu Sans, Arial, sans-serif', color: '#000' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 80, r: 30, t: title ? 60 : 30, b: 70 },
  };
}
