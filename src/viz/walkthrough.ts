/**
 * The convolution / pooling / ReLU walkthroughs the course draws by hand, one frame per output
 * position: the (padded) input grid with the window highlighted, the kernel, the element-wise
 * products (or the pooled window), the sum written into the output grid, which fills up frame
 * by frame.
 *
 * The numbers are computed here with the textbook loop (cross-correlation, as PyTorch's conv2d):
 *   y[i, j] = b + Σ_a Σ_b xpad[i·S + a·D, j·S + b·D] · k[a, b]
 * and the tests assert they equal src/ops conv2d / maxPool2d / avgPool2d.
 *
 * Output bundle: text/html (frames as SVG-in-<img>, previous/next/play controls in inline JS;
 * with JS off the final frame and all numbers stay visible), image/png (the final frame),
 * text/plain (the output grid).
 */
import { DISPLAY, escapeHtml, svgImgTag, type MimeBundle } from '../display/mime';
import { pair, outputSize, resolvePadding, type Pad4, type Padding, type Pair } from '../ops/shape';
import { fmtShape, opError } from '../tensor/errors';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor';
import { svgToPng } from '../display/svg';
import { contentId } from './raster';
import { CELL_FONT_PX, SvgDoc, type CellStyle } from './svg';

export type WalkKind = 'conv' | 'maxpool' | 'avgpool' | 'relu';

/** One frame: which cells were read for one output cell, and how they were combined. */
export interface WalkStep {
  /** Output position [row, col]. */
  out: [number, number];
  /** Cells read, as [row, col] in the padded input grid, in kernel order. */
  taps: [number, number][];
  /** Their values (padding: 0, or −∞ for max pooling). */
  values: number[];
  /** The combined terms: products x·k for conv, the window values for pooling, [x] for ReLU. */
  terms: number[];
  /** The output value written at `out`. */
  result: number;
  /** The arithmetic as written on the board. */
  equation: string;
}

/** A finished walkthrough: data, frames and the notebook bundle. */
export class Walkthrough {
  private svgCache = new Map<number, string>();
  private pngCache: Buffer | null = null;

  constructor(
    readonly kind: WalkKind,
    readonly title: string,
    /** Input after padding, as shown (rows of numbers). */
    readonly padded: number[][],
    /** Padding added on each side (0 for ReLU). */
    readonly pad: Pad4,
    /** Kernel for conv, null otherwise. */
    readonly kernel: number[][] | null,
    /** Window size [KH, KW] (1×1 for ReLU). */
    readonly window: [number, number],
    /** The full output grid (what the op computes). */
    readonly output: number[][],
    readonly steps: WalkStep[],
    /** Decimals shown for non-integers. */
    readonly precision: number,
  ) {}

  get frameCount(): number {
    return this.steps.length;
  }

  /** Output as a [1, 1, OH, OW] tensor, to compare with the op. */
  outputTensor(): Tensor {
    return tensor(this.output).reshape([1, 1, this.output.length, this.output[0].length]);
  }

  fmt(v: number): string {
    if (v === -Infinity) return '−∞';
    if (v === Infinity) return '∞';
    const s = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(this.precision)));
    return s.replace('-', '−');
  }

  /** SVG of frame `i` (0-based). */
  frameSvg(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.steps.length) {
      throw opError('Walkthrough.frameSvg', `frame must be an integer in [0, ${this.steps.length - 1}], got ${i}`);
    }
    let svg = this.svgCache.get(i);
    if (!svg) {
      svg = drawFrame(this, i).toString();
      this.svgCache.set(i, svg);
    }
    return svg;
  }

  frameSize(): { width: number; height: number } {
    const d = drawFrame(this, 0);
    return { width: d.width, height: d.height };
  }

  /** The final frame as PNG (the static fallback). */
  get png(): Buffer {
    if (!this.pngCache) {
      this.pngCache = svgToPng(this.frameSvg(this.steps.length - 1));
    }
    return this.pngCache;
  }

  get text(): string {
    const w = Math.max(...this.output.flat().map((v) => this.fmt(v).length));
    const grid = this.output.map((row) => '  ' + row.map((v) => this.fmt(v).padStart(w)).join('  ')).join('\n');
    return `${this.title} — ${this.steps.length} frames, output ${this.output.length}×${this.output[0].length}:\n${grid}`;
  }

  get html(): string {
    const n = this.steps.length;
    const frames = this.steps
      .map((_, i) => {
        const img = svgImgTag(this.frameSvg(i), `${this.title}, frame ${i + 1} of ${n}: ${this.steps[i].equation}`);
        // Without JS only the last frame is visible (all numbers of the output are in it).
        return img.replace('<img ', `<img data-frame="${i}" style="max-width:none;display:${i === n - 1 ? 'block' : 'none'}" `);
      })
      .join('');
    const id = contentId('tscnn-walk', this.title + JSON.stringify(this.output) + JSON.stringify(this.padded));
    const btn = 'font-size:18px;padding:4px 12px;margin-right:6px;cursor:pointer';
    const controls =
      `<div class="tscnn-walk-controls" style="display:none;align-items:center;gap:4px;margin:6px 0;font-size:18px">` +
      `<button type="button" data-a="first" style="${btn}">◀◀ first</button>` +
      `<button type="button" data-a="prev" style="${btn}">◀ previous</button>` +
      `<button type="button" data-a="play" style="${btn}">▶ play</button>` +
      `<button type="button" data-a="next" style="${btn}">next ▶</button>` +
      `<input type="range" min="0" max="${n - 1}" value="${n - 1}" style="width:200px;margin:0 10px">` +
      `<span class="tscnn-walk-label">frame ${n} / ${n}</span></div>`;
    const script = `<script>(function(){var root=document.getElementById(${JSON.stringify(id)});if(!root)return;` +
      `var imgs=root.querySelectorAll('img[data-frame]'),n=imgs.length,cur=n-1,timer=null;` +
      `var q=function(s){return root.querySelector(s)};var label=q('.tscnn-walk-label'),slider=q('input[type=range]'),play=q('[data-a=play]');` +
      `function show(k){cur=Math.max(0,Math.min(n-1,k));for(var i=0;i<n;i++)imgs[i].style.display=i===cur?'block':'none';label.textContent='frame '+(cur+1)+' / '+n;slider.value=String(cur);}` +
      `function stop(){if(timer){clearInterval(timer);timer=null;}play.textContent='▶ play';}` +
      `q('[data-a=first]').onclick=function(){stop();show(0)};` +
      `q('[data-a=prev]').onclick=function(){stop();show(cur-1)};` +
      `q('[data-a=next]').onclick=function(){stop();show(cur+1)};` +
      `play.onclick=function(){if(timer){stop();return;}if(cur===n-1)show(0);play.textContent='■ pause';timer=setInterval(function(){if(cur>=n-1){stop();return;}show(cur+1);},900);};` +
      `slider.oninput=function(){stop();show(+slider.value)};` +
      `q('.tscnn-walk-controls').style.display='flex';show(0);})();</script>`;
    return `<div id="${id}" class="tscnn-walk" style="font-family:sans-serif"><div style="font-size:18px;font-weight:bold">${escapeHtml(this.title)}</div>${controls}<div class="tscnn-walk-frames">${frames}</div></div>${script}`;
  }

  [DISPLAY](): MimeBundle {
    return { 'text/html': this.html, 'image/png': this.png.toString('base64'), 'text/plain': this.text };
  }

  toString(): string {
    return this.text;
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

type Grid = Tensor | NestedArray;

/** Accept [H, W] or [1, 1, H, W] (tensor or nested arrays) and return rows of numbers. */
function grid2d(op: string, name: string, x: Grid): number[][] {
  const t = x instanceof Tensor ? x : tensor(x as NestedArray);
  const s = t.shape;
  let h: number;
  let w: number;
  if (s.length === 2) [h, w] = s;
  else if (s.length === 4 && s[0] === 1 && s[1] === 1) [, , h, w] = s;
  else throw opError(op, `${name} must be [H, W] or [1, 1, H, W], got shape ${fmtShape(s)}`);
  if (h < 1 || w < 1) throw opError(op, `${name} must not be empty, got shape ${fmtShape(s)}`);
  const rows: number[][] = [];
  for (let r = 0; r < h; r++) rows.push(Array.from(t.data.subarray(r * w, (r + 1) * w)));
  return rows;
}

function padGrid(x: number[][], pad: Pad4, value: number): number[][] {
  const w = x[0].length;
  const out: number[][] = [];
  const blank = () => new Array(pad.left + w + pad.right).fill(value);
  for (let i = 0; i < pad.top; i++) out.push(blank());
  for (const row of x) out.push([...new Array(pad.left).fill(value), ...row, ...new Array(pad.right).fill(value)]);
  for (let i = 0; i < pad.bottom; i++) out.push(blank());
  return out;
}

function checkFrames(op: string, n: number, max: number): void {
  if (n > max) throw opError(op, `${n} frames (one per output cell) exceed maxFrames ${max}: use a smaller crop of the input, or raise maxFrames`);
}

// ---------------------------------------------------------------------------------------------
// Convolution

export interface ConvWalkOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  /** Added to every sum (default 0). */
  bias?: number;
  /** Decimals for non-integers (default 2). */
  precision?: number;
  /** Refuse to build more frames than this (default 144). */
  maxFrames?: number;
}

/**
 * Convolution walkthrough of x [H, W] (or [1, 1, H, W]) with kernel k [KH, KW]: one frame per
 * output cell. The lecture example (5×5 input, 3×3 X-shaped kernel, stride 1) gives 9 frames
 * and the output [[4,3,4],[2,4,3],[2,3,4]].
 */
export function convWalkthrough(x: Grid, k: Grid, opts: ConvWalkOptions = {}): Walkthrough {
  const op = 'convWalkthrough';
  const xs = grid2d(op, 'x', x);
  const ks = grid2d(op, 'k', k);
  const [h, w] = [xs.length, xs[0].length];
  const [kh, kw] = [ks.length, ks[0].length];
  const stride = pair(opts.stride, 1, op, 'stride');
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  const pad = resolvePadding(opts.padding, [h, w], [kh, kw], stride, dilation, op);
  const bias = opts.bias ?? 0;
  let oh: number;
  let ow: number;
  try {
    oh = outputSize(h, kh, [pad.top, pad.bottom], stride[0], dilation[0]);
    ow = outputSize(w, kw, [pad.left, pad.right], stride[1], dilation[1]);
  } catch (e) {
    throw opError(op, `x [${h}, ${w}] and k [${kh}, ${kw}] do not fit: ${(e as Error).message}`);
  }
  checkFrames(op, oh * ow, opts.maxFrames ?? 144);
  const xp = padGrid(xs, pad, 0);
  const output = Array.from({ length: oh }, () => new Array<number>(ow).fill(0));
  const steps: WalkStep[] = [];
  const precision = opts.precision ?? 2;
  const f = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(precision))));
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const taps: [number, number][] = [];
      const values: number[] = [];
      const terms: number[] = [];
      let sum = 0;
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          const r = i * stride[0] + a * dilation[0];
          const c = j * stride[1] + b * dilation[1];
          taps.push([r, c]);
          values.push(xp[r][c]);
          const p = Math.fround(xp[r][c] * ks[a][b]);
          terms.push(p);
          sum += p;
        }
      }
      const result = Math.fround(sum + bias);
      output[i][j] = result;
      const terms9 = terms.map((t) => (t < 0 ? `(${f(t)})` : f(t))).join(' + ');
      steps.push({ out: [i, j], taps, values, terms, result, equation: `${terms9}${bias ? ` + ${f(bias)}` : ''} = ${f(result)}` });
    }
  }
  const optsText = `stride ${stride.join('×')}, padding ${pad.top === pad.bottom && pad.left === pad.right ? `${pad.top}×${pad.left}` : `${pad.top},${pad.bottom},${pad.left},${pad.right}`}, dilation ${dilation.join('×')}`;
  const title = `conv2d: x ${h}×${w} ⊛ k ${kh}×${kw} (${optsText}) → ${oh}×${ow}`;
  return new Walkthrough('conv', title, xp, pad, ks, [kh, kw], output, steps, precision);
}

// ---------------------------------------------------------------------------------------------
// Pooling

export interface PoolWalkOptions {
  kernelSize: Pair;
  /** Default: kernelSize. */
  stride?: Pair;
  /** Implicit −∞ (max) or 0 (avg); at most half the kernel size, as PyTorch requires. */
  padding?: Pair;
  /** Max pooling only. */
  dilation?: Pair;
  mode?: 'max' | 'avg';
  /** Avg pooling: divide by the full window including padding (default true, PyTorch). */
  countIncludePad?: boolean;
  precision?: number;
  maxFrames?: number;
}

/** Max or average pooling walkthrough of x [H, W] (or [1, 1, H, W]): one frame per output cell. */
export function poolWalkthrough(x: Grid, opts: PoolWalkOptions): Walkthrough {
  const op = 'poolWalkthrough';
  if (!opts || opts.kernelSize === undefined) throw opError(op, 'opts.kernelSize is required');
  const mode = opts.mode ?? 'max';
  if (mode !== 'max' && mode !== 'avg') throw opError(op, `mode must be 'max' or 'avg', got ${JSON.stringify(mode)}`);
  const xs = grid2d(op, 'x', x);
  const [h, w] = [xs.length, xs[0].length];
  const [kh, kw] = pair(opts.kernelSize, 1, op, 'kernelSize');
  const stride = pair(opts.stride ?? [kh, kw], 1, op, 'stride');
  const [ph, pw] = pair(opts.padding, 0, op, 'padding', 0);
  const dilation = pair(opts.dilation, 1, op, 'dilation');
  if (mode === 'avg' && (dilation[0] !== 1 || dilation[1] !== 1)) throw opError(op, `dilation is only supported for mode 'max', got ${JSON.stringify(opts.dilation)}`);
  for (const [axis, k, p, d] of [['H', kh, ph, dilation[0]], ['W', kw, pw, dilation[1]]] as const) {
    const eff = d * (k - 1) + 1;
    if (p > Math.floor(eff / 2)) throw opError(op, `padding ${p} along ${axis} must be at most half the kernel size ${k}, i.e. ≤ ${Math.floor(eff / 2)}`);
  }
  let oh: number;
  let ow: number;
  try {
    oh = outputSize(h, kh, ph, stride[0], dilation[0]);
    ow = outputSize(w, kw, pw, stride[1], dilation[1]);
  } catch (e) {
    throw opError(op, `x [${h}, ${w}] and kernelSize [${kh}, ${kw}] do not fit: ${(e as Error).message}`);
  }
  checkFrames(op, oh * ow, opts.maxFrames ?? 144);
  const pad: Pad4 = { top: ph, bottom: ph, left: pw, right: pw };
  const padValue = mode === 'max' ? -Infinity : 0;
  const xp = padGrid(xs, pad, padValue);
  const includePad = opts.countIncludePad ?? true;
  const precision = opts.precision ?? 2;
  const f = (v: number) => (v === -Infinity ? '−∞' : Number.isInteger(v) ? String(v) : String(Number(v.toFixed(precision))));
  const output = Array.from({ length: oh }, () => new Array<number>(ow).fill(0));
  const steps: WalkStep[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const taps: [number, number][] = [];
      const values: number[] = [];
      let real = 0;
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          const r = i * stride[0] + a * dilation[0];
          const c = j * stride[1] + b * dilation[1];
          taps.push([r, c]);
          values.push(xp[r][c]);
          if (r >= ph && r < ph + h && c >= pw && c < pw + w) real++;
        }
      }
      let result: number;
      let equation: string;
      if (mode === 'max') {
        result = Math.max(...values);
        equation = `max(${values.map(f).join(', ')}) = ${f(result)}`;
      } else {
        const count = includePad ? kh * kw : real;
        const sum = values.reduce((s, v) => s + v, 0);
        result = Math.fround(sum / count);
        equation = `(${values.map(f).join(' + ')}) / ${count} = ${f(result)}`;
      }
      output[i][j] = result;
      steps.push({ out: [i, j], taps, values, terms: values.slice(), result, equation });
    }
  }
  const title = `${mode}Pool2d: x ${h}×${w}, window ${kh}×${kw} (stride ${stride.join('×')}, padding ${ph}×${pw}${mode === 'max' ? `, dilation ${dilation.join('×')}` : ''}) → ${oh}×${ow}`;
  return new Walkthrough(mode === 'max' ? 'maxpool' : 'avgpool', title, xp, pad, null, [kh, kw], output, steps, precision);
}

// ---------------------------------------------------------------------------------------------
// ReLU

/** ReLU walkthrough of x [H, W] (or [1, 1, H, W]): one frame per cell, y = max(0, x). */
export function reluWalkthrough(x: Grid, opts: { precision?: number; maxFrames?: number } = {}): Walkthrough {
  const op = 'reluWalkthrough';
  const xs = grid2d(op, 'x', x);
  const [h, w] = [xs.length, xs[0].length];
  checkFrames(op, h * w, opts.maxFrames ?? 144);
  const precision = opts.precision ?? 2;
  const f = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(precision))));
  const output = xs.map((row) => row.map((v) => (v > 0 ? v : 0)));
  const steps: WalkStep[] = [];
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = xs[i][j];
      steps.push({ out: [i, j], taps: [[i, j]], values: [v], terms: [v], result: output[i][j], equation: `max(0, ${f(v)}) = ${f(output[i][j])}` });
    }
  }
  return new Walkthrough('relu', `ReLU: y = max(0, x) on ${h}×${w}`, xs, { top: 0, bottom: 0, left: 0, right: 0 }, null, [1, 1], output, steps, precision);
}

// ---------------------------------------------------------------------------------------------
// Drawing

const WINDOW_FILL = '#ffe066'; // cells under the window
const WINDOW_EDGE = '#d9480f'; // their outline
const CURRENT_FILL = '#ffd43b';
const DONE_FILL = '#e7f5ff';
const PAD_TEXT = '#6c757d';
const CELL_H = 44;
const GAP = 40;
const TOP = 44;
const LABEL_DY = 22;

function drawFrame(wt: Walkthrough, k: number): SvgDoc {
  const step = wt.steps[k];
  const n = wt.steps.length;
  const [kh, kw] = wt.window;
  const hp = wt.padded.length;
  const wp = wt.padded[0].length;
  const oh = wt.output.length;
  const ow = wt.output[0].length;
  const allText = [...wt.padded.flat(), ...wt.output.flat(), ...(wt.kernel?.flat() ?? []), ...wt.steps.flatMap((s) => s.terms)].map((v) => wt.fmt(v));
  const chars = Math.max(...allText.map((s) => s.length));
  const cellW = Math.max(CELL_H, Math.ceil(chars * 11.5) + 14);
  const isTap = new Set(step.taps.map(([r, c]) => r * wp + c));
  const inPad = (r: number, c: number) => r < wt.pad.top || r >= hp - wt.pad.bottom || c < wt.pad.left || c >= wp - wt.pad.right;
  const maxTap = wt.kind === 'maxpool' ? step.values.indexOf(step.result) : -1;

  interface Panel { label: string; rows: number; cols: number; style: (r: number, c: number) => CellStyle; }
  const panels: Panel[] = [];
  const ops: string[] = [];
  panels.push({
    label: wt.kind === 'relu' ? 'input x' : wt.pad.top + wt.pad.left + wt.pad.bottom + wt.pad.right > 0 ? 'input (padded)' : 'input x',
    rows: hp,
    cols: wp,
    style: (r, c) => {
      const tap = isTap.has(r * wp + c);
      const pad = inPad(r, c);
      const isMax = maxTap >= 0 && step.taps[maxTap][0] === r && step.taps[maxTap][1] === c;
      return {
        text: wt.fmt(wt.padded[r][c]),
        fill: tap ? WINDOW_FILL : pad ? '#eef0f3' : '#ffffff',
        textColor: pad ? PAD_TEXT : '#000',
        dashed: pad && !tap,
        outline: tap ? WINDOW_EDGE : undefined,
        bold: isMax,
      };
    },
  });
  if (wt.kind === 'conv' && wt.kernel) {
    const kern = wt.kernel;
    ops.push('⊙');
    panels.push({ label: 'kernel k', rows: kh, cols: kw, style: (r, c) => ({ text: wt.fmt(kern[r][c]), fill: '#f1f3f5' }) });
    ops.push('=');
    panels.push({ label: 'products', rows: kh, cols: kw, style: (r, c) => ({ text: wt.fmt(step.terms[r * kw + c]), fill: WINDOW_FILL }) });
    ops.push('Σ →');
  } else if (wt.kind === 'maxpool' || wt.kind === 'avgpool') {
    ops.push('→');
    panels.push({
      label: 'window',
      rows: kh,
      cols: kw,
      style: (r, c) => ({ text: wt.fmt(step.values[r * kw + c]), fill: WINDOW_FILL, bold: r * kw + c === maxTap, outline: r * kw + c === maxTap ? '#c92a2a' : undefined }),
    });
    ops.push(wt.kind === 'maxpool' ? 'max →' : 'mean →');
  } else {
    ops.push('max(0, ·) →');
  }
  const pos = step.out[0] * ow + step.out[1];
  panels.push({
    label: 'output y',
    rows: oh,
    cols: ow,
    style: (r, c) => {
      const idx = r * ow + c;
      if (idx > pos) return { fill: '#ffffff' };
      return { text: wt.fmt(wt.output[r][c]), fill: idx === pos ? CURRENT_FILL : DONE_FILL, outline: idx === pos ? WINDOW_EDGE : undefined, bold: idx === pos };
    },
  });

  const opW = ops.map((s) => Math.max(GAP, s.length * 15 + 24));
  const width = 20 + panels.reduce((s, p) => s + p.cols * cellW, 0) + opW.reduce((s, v) => s + v, 0) + 20;
  const gridH = Math.max(...panels.map((p) => p.rows)) * CELL_H;
  // Equation lines: wrap every 9 terms so long sums stay on screen.
  const eq = step.equation;
  const eqLines = wrapEquation(eq, Math.max(40, Math.floor((width - 40) / 11)));
  const height = TOP + LABEL_DY + gridH + 20 + eqLines.length * 28 + 12;
  const doc = new SvgDoc(Math.max(width, 480), height);
  doc.text(20, 20, `frame ${k + 1} / ${n}: output (${step.out[0]}, ${step.out[1]})`, { size: 18, bold: true });
  let x = 20;
  panels.forEach((p, i) => {
    const y = TOP + LABEL_DY;
    doc.text(x, TOP + 6, p.label, { size: 16, color: '#343a40' });
    doc.grid(x, y, p.rows, p.cols, cellW, CELL_H, p.style);
    x += p.cols * cellW;
    if (i < ops.length) {
      doc.text(x + opW[i] / 2, y + Math.min(p.rows, panels[i + 1].rows) * CELL_H / 2, ops[i], { size: 22, anchor: 'middle', bold: true });
      x += opW[i];
    }
  });
  eqLines.forEach((line, i) => doc.text(20, TOP + LABEL_DY + gridH + 24 + i * 28, line, { size: CELL_FONT_PX }));
  return doc;
}

/** Break "a + b + … = s" into lines of at most `max` characters at the " + " / ", " separators. */
function wrapEquation(eq: string, max: number): string[] {
  const pieces = eq.split(/(?<=\+ |, )/);
  const lines: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (cur.length + p.length > max && cur) {
      lines.push(cur);
      cur = '    ' + p;
    } else cur += p;
  }
  if (cur) lines.push(cur);
  return lines;
}
