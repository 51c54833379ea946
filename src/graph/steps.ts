import { BackwardStep, Value, fmt } from '../autograd/value';
import { DISPLAY, MimeBundle, escapeHtml, svgImgTag } from '../display/mime';
import { svgToPng } from '../display/svg';
import { DRAW_GRAPH_OPTION_NAMES, DrawGraphOptions, nodeNames, valueGraphDot } from './value-graph';
import { renderSvg } from './render';
import { getLocale, tr } from '../display/locale';
import { checkOptionNames } from '../tensor/options';

/** One frame of the step view: the moment `node`'s gradient becomes final. */
export interface StepFrame {
  node: Value;
  name: string;
  /** The edges (from each user of `node`) whose contributions sum to its gradient. */
  terms: BackwardStep[];
  grad: number;
  /** The chain rule written out, e.g. "∂f/∂q = ∂f/∂f · ∂f/∂q = 1 × z = 1 × (−4) = −4". */
  text: string;
  dot: string;
  svg: string;
}

/**
 * The backward pass one node at a time, as a single notebook output with ◀ / ▶ controls.
 *
 * `frames[k]` shows the graph when the k-th node (in the order `backward()` visits them) gets its
 * final gradient: that node and the wires bringing its gradient are highlighted, nodes not yet
 * reached show "grad ?". Without JavaScript (untrusted notebook) every frame is shown stacked.
 */
export class StepView {
  constructor(
    readonly frames: StepFrame[],
    /** The last frame (all gradients) as PNG, the fallback for front ends without HTML. */
    readonly png: Buffer,
    readonly title = '',
  ) {}

  /** The steps in words, one per line. */
  get text(): string {
    const n = this.frames.length;
    return this.frames.map((f, k) => `${tr({ en: `step ${k + 1}/${n}`, zh: `第 ${k + 1}/${n} 步` })}: ${f.text}`).join('\n');
  }

  toString(): string {
    return this.text;
  }

  /** Self-contained HTML: frames as <img> data URIs, inline script, no external files. */
  get html(): string {
    const id = `tscnn-steps-${hash(this.frames.map((f) => f.dot).join('\n'))}-${++counter}`;
    const n = this.frames.length;
    const frames = this.frames
      .map(
        (f, k) =>
          `<div class="tscnn-frame" style="margin:6px 0 14px 0">` +
          `<div style="font-size:16px;font-family:monospace;margin:4px 0">` +
          `<b>${tr({ en: `Backward, step ${k + 1}/${n}:`, zh: `反向传播，第 ${k + 1}/${n} 步：` })}</b> ${escapeHtml(f.text)}</div>` +
          `${svgImgTag(f.svg, `${tr({ en: `step ${k + 1}`, zh: `第 ${k + 1} 步` })}: ${f.text}`, 'max-width:100%;height:auto')}</div>`,
      )
      .join('');
    const btn = (act: string, label: string) =>
      `<button type="button" data-act="${act}" style="font-size:16px;padding:2px 10px;margin-right:4px">${label}</button>`;
    // Controls start hidden: they only appear when the script runs (trusted notebook, exported HTML,
    // slides); without it the frames stay stacked and readable.
    const controls =
      `<div class="tscnn-controls" style="display:none;font-size:16px;margin:4px 0">` +
      `${btn('first', tr({ en: '« first', zh: '« 第一步' }))}${btn('prev', tr({ en: '◀ prev', zh: '◀ 上一步' }))}` +
      `${btn('next', tr({ en: 'next ▶', zh: '下一步 ▶' }))}${btn('last', tr({ en: 'last »', zh: '最后一步 »' }))}` +
      `<span class="tscnn-pos" style="margin-left:8px;font-family:monospace"></span></div>`;
    const title = this.title ? `<div style="font-size:18px;font-weight:bold">${escapeHtml(this.title)}</div>` : '';
    const script =
      `<script>(function(){var r=document.getElementById(${JSON.stringify(id)});if(!r)return;` +
      `var f=r.querySelectorAll('.tscnn-frame'),c=r.querySelector('.tscnn-controls'),p=r.querySelector('.tscnn-pos'),i=0;` +
      `function show(k){i=Math.max(0,Math.min(f.length-1,k));for(var j=0;j<f.length;j++)f[j].style.display=j===i?'':'none';` +
      (getLocale() === 'zh' ? `p.textContent='第 '+(i+1)+' / '+f.length+' 步';}` : `p.textContent='step '+(i+1)+' / '+f.length;}`) +
      `c.style.display='';c.addEventListener('click',function(e){var a=e.target&&e.target.getAttribute&&e.target.getAttribute('data-act');` +
      `if(a==='first')show(0);else if(a==='prev')show(i-1);else if(a==='next')show(i+1);else if(a==='last')show(f.length-1);});` +
      `show(0);})();</script>`;
    return `<div id="${id}" class="tscnn-steps" style="font-family:sans-serif">${title}${controls}${frames}</div>${script}`;
  }

  [DISPLAY](): MimeBundle {
    return { 'text/plain': this.text, 'text/html': this.html, 'image/png': this.png.toString('base64') };
  }
}

let counter = 0;

/** FNV-1a, for output ids that differ between graphs (two step views on one page). */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/** Typeset minus signs and parenthesize negative factors: "1 × (−4)". */
function num(x: number, paren = false): string {
  const s = fmt(x).replace(/^-/, '−');
  return paren && x < 0 ? `(${s})` : s;
}

/** "∂f/∂q = ∂f/∂f · ∂f/∂q = 1 × z = 1 × (−4) = −4" for node `v` from its users' edges. */
function chainText(v: Value, terms: BackwardStep[], names: Map<Value, string>, root: Value): string {
  const f = names.get(root)!;
  const d = (a: Value, b: Value) => `∂${names.get(a)}/∂${names.get(b)}`;
  if (v === root) return `${d(root, root)} = 1${tr({ en: " (the output's gradient with respect to itself)", zh: '（输出对自身的梯度）' })}`;
  if (terms.length === 0) return `${d(root, v)} = 0${tr({ en: ` (${names.get(v)} does not reach ${f})`, zh: `（${names.get(v)} 到达不了 ${f}）` })}`;
  const symbolic = terms.map((t) => {
    const p = t.parent;
    return p.formulas[t.index]
      .replace(/\{(\d+)\}/g, (_, k: string) => names.get(p.children[Number(k)])!)
      .replace(/\{out\}/g, names.get(p)!);
  });
  const chain = terms.map((t) => `${d(root, t.parent)} · ${d(t.parent, v)}`).join(' + ');
  // A single name or number stands alone ("1 × z"); anything longer gets parentheses.
  const withSymbols = terms.map((t, k) => `${num(t.upstream, true)} × ${/^[\w.]+$/.test(symbolic[k]) ? symbolic[k] : `(${symbolic[k]})`}`).join(' + ');
  const withNumbers = terms.map((t) => `${num(t.upstream, true)} × ${num(t.local, true)}`).join(' + ');
  const parts = [d(root, v), chain];
  if (withSymbols !== withNumbers) parts.push(withSymbols);
  parts.push(withNumbers, num(v.grad));
  return parts.join(' = ');
}

/**
 * Runs `root.zeroGrad(); root.backward()` and records one frame per non-constant node, in the
 * order its gradient becomes final: `await backwardSteps(f)` in a notebook cell.
 */
export async function backwardSteps(root: Value, opts: DrawGraphOptions = {}): Promise<StepView> {
  checkOptionNames('backwardSteps', opts, DRAW_GRAPH_OPTION_NAMES);
  root.zeroGrad();
  const incoming = new Map<Value, BackwardStep[]>();
  root.backward((s) => {
    incoming.set(s.child, [...(incoming.get(s.child) ?? []), s]);
  });
  // backward() visits nodes in reverse topological order: each one's grad is final when reached.
  const order = root.topo().reverse().filter((v) => !v.constant);
  const names = nodeNames(root);
  const frames: StepFrame[] = [];
  const known = new Set<Value>();
  for (const v of order) {
    known.add(v);
    const terms = incoming.get(v) ?? [];
    // The title is written once above the frames (HTML), not inside every frame.
    const dot = valueGraphDot(root, { ...opts, title: undefined, showGrad: true }, { current: v, known: new Set(known) });
    frames.push({ node: v, name: names.get(v)!, terms, grad: v.grad, text: chainText(v, terms, names, root), dot, svg: await renderSvg(dot, 'backwardSteps') });
  }
  // The PNG fallback: the finished backward pass, nothing highlighted.
  const finalSvg = await renderSvg(valueGraphDot(root, { ...opts, showGrad: true }), 'backwardSteps');
  return new StepView(frames, await svgToPng(finalSvg, { scale: opts.pngScale }), opts.title ?? '');
}
