import type { Viz } from '@viz-js/viz';
import { opError } from '../tensor/errors';
import { DISPLAY, MimeBundle } from '../display/mime';
import { figureBundle } from '../display/bundle';
import { svgToPng } from '../display/svg';

let vizPromise: Promise<Viz> | undefined;

/**
 * Graphviz (compiled to wasm by @viz-js/viz), started once per process: the first call takes
 * ~75 ms to instantiate the module, later renders ~1 ms. `instance()` is async, hence every
 * drawing function here is async (`await drawGraph(f)` in a tslab cell).
 */
export function getViz(): Promise<Viz> {
  // Loaded at first use, not at import: `import { conv2d } from 'tscnn'` must not pay for graphviz.
  vizPromise ??= (require('@viz-js/viz') as typeof import('@viz-js/viz')).instance().catch((e: unknown) => {
    vizPromise = undefined; // let a later call retry
    throw e;
  });
  return vizPromise;
}

/** DOT → SVG with the `dot` layout; graphviz's errors become one `op: …` error. */
export async function renderSvg(dot: string, op = 'renderSvg'): Promise<string> {
  const viz = await getViz();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw opError(op, `graphviz failed: ${result.errors.map((e) => e.message.trim()).join('; ')}`);
  }
  // Warnings (e.g. "no value for width of non-ASCII character") only affect box padding: ignored.
  return tidySvg(result.output);
}

/**
 * Drops what a picture does not need: the XML prolog and DOCTYPE (nbconvert chokes on a prolog in
 * raw SVG), comments, and <title>s (tooltips showing internal ids like "v0->o2"). ~20% smaller,
 * which adds up over a step view's frames.
 */
export function tidySvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/, '')
    .replace(/<!DOCTYPE[^>]*>\s*/, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .replace(/<title>[^<]*<\/title>\s*/g, '');
}

/**
 * A laid-out drawing: the DOT source, its SVG and a PNG of it. In a notebook it displays as
 * `text/html` (`<img>` with the SVG as a data URI) + `image/png` + `text/plain`.
 */
export class GraphView {
  constructor(
    readonly dot: string,
    readonly svg: string,
    readonly png: Buffer,
    /** The text/plain form: what the drawing says, in words. */
    readonly text: string,
    readonly title = '',
  ) {}

  toString(): string {
    return this.text;
  }

  [DISPLAY](): MimeBundle {
    return figureBundle({ svg: this.svg, png: this.png, text: this.text, alt: this.title || this.text.split('\n')[0] });
  }
}

/** Lays out `dot` and rasterizes it. */
export async function renderView(dot: string, text: string, title: string, op: string, pngScale?: number): Promise<GraphView> {
  const svg = await renderSvg(dot, op);
  const png = await svgToPng(svg, { scale: pngScale });
  return new GraphView(dot, svg, png, text, title);
}

/** A double-quoted DOT string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Text for graphviz HTML-like labels (<table> labels): only &, <, >, " need escaping. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const MONO = 'Courier'; // graphviz writes font-family="Courier,monospace" in the SVG

/** Graph-wide attributes sized for a projector: 14 pt text (≈ 19 CSS px in the <img>). */
export function graphHeader(opts: { rankdir: 'LR' | 'TB'; title?: string }): string {
  const lines = [
    'digraph G {',
    `  graph [rankdir=${opts.rankdir}, fontname="Helvetica", fontsize=18, bgcolor="white", pad=0.2, nodesep=0.35, ranksep=0.3${
      opts.title ? `, label=${dotString(opts.title)}, labelloc=t` : ''
    }];`,
    // Monospace text: graphviz (no font files in wasm) sizes boxes from Courier's fixed 0.6 em
    // advance, which every monospace font shares, so boxes fit in browsers and in librsvg alike.
    `  node [fontname="${MONO}", fontsize=14];`,
    `  edge [fontname="${MONO}", fontsize=14, arrowsize=0.8];`,
  ];
  return lines.join('\n');
}
