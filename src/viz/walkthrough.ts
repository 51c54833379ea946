/**
 * A finished walkthrough: one frame per output position of a conv / pool / ReLU (built by
 * src/viz/walk-ops.ts from the ops themselves), shown as a frame player.
 *
 * Output bundle: text/html (frames as SVG-in-<img>, first/previous/play/next controls and a slider
 * in inline JS; with JS off the final frame and all numbers stay visible), image/png (the final
 * frame), text/plain (the output grid).
 *
 *   const wt = convWalkthrough(x5, k3);   // 9 frames
 *   wt.frameSvg(0)                        // the first window, as SVG
 */
import { figureBundle } from '../display/bundle';
import { tr } from '../display/locale';
import { DISPLAY, escapeHtml, svgImgTag, type MimeBundle } from '../display/mime';
import { svgToPng } from '../display/svg';
import type { Pad4 } from '../ops/shape';
import { opError } from '../tensor/errors';
import { Tensor, tensor } from '../tensor/tensor';
import { contentId } from './raster';
import { drawFrame } from './walk-frame';
import { cellText, type WalkData, type WalkKind, type WalkStep } from './walk-types';

/** A walkthrough: its data (see WalkData), its frames as SVG and its notebook bundle. */
export class Walkthrough implements WalkData {
  private svgCache = new Map<number, string>();
  private pngCache: Buffer | null = null;

  constructor(
    readonly kind: WalkKind,
    readonly title: string,
    readonly padded: number[][],
    readonly pad: Pad4,
    readonly kernel: number[][] | null,
    readonly window: [number, number],
    readonly output: number[][],
    readonly steps: WalkStep[],
    readonly precision: number,
  ) {}

  get frameCount(): number {
    return this.steps.length;
  }

  /** Output as a [1, 1, OH, OW] tensor, to compare with the op. */
  outputTensor(): Tensor {
    return tensor(this.output).reshape([1, 1, this.output.length, this.output[0].length]);
  }

  /** A value as the grids show it ('−∞' for max-pool padding, − for minus). */
  fmt(v: number): string {
    return cellText(v, this.precision);
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

  /** Pixel size of every frame. */
  frameSize(): { width: number; height: number } {
    const d = drawFrame(this, 0);
    return { width: d.width, height: d.height };
  }

  /** The final frame as PNG (the static fallback). */
  get png(): Buffer {
    if (!this.pngCache) this.pngCache = svgToPng(this.frameSvg(this.steps.length - 1));
    return this.pngCache;
  }

  /** The title and the output grid as text. */
  get text(): string {
    const w = Math.max(...this.output.flat().map((v) => this.fmt(v).length));
    const grid = this.output.map((row) => '  ' + row.map((v) => this.fmt(v).padStart(w)).join('  ')).join('\n');
    const n = this.steps.length;
    const size = `${this.output.length}×${this.output[0].length}`;
    return `${this.title} — ${tr({ en: `${n} frames, output ${size}:`, zh: `共 ${n} 帧，输出 ${size}：` })}\n${grid}`;
  }

  /** The frame player (works offline; without JS only the final frame shows). */
  get html(): string {
    const n = this.steps.length;
    const frames = this.steps
      .map((_, i) => {
        const img = svgImgTag(this.frameSvg(i), `${this.title}, ${tr({ en: `frame ${i + 1} of ${n}`, zh: `第 ${i + 1} / ${n} 帧` })}: ${this.steps[i].equation}`);
        // Without JS only the last frame is visible (all numbers of the output are in it).
        return img.replace('<img ', `<img data-frame="${i}" style="max-width:none;display:${i === n - 1 ? 'block' : 'none'}" `);
      })
      .join('');
    const id = contentId('tscnn-walk', this.title + JSON.stringify(this.output) + JSON.stringify(this.padded));
    return playerHtml(id, this.title, frames, n);
  }

  [DISPLAY](): MimeBundle {
    return figureBundle({ html: this.html, png: this.png, text: this.text });
  }

  toString(): string {
    return this.text;
  }
}

/** The player around `frames` (n `<img data-frame>`s): buttons, slider, label, inline script. */
function playerHtml(id: string, title: string, frames: string, n: number): string {
  const t = {
    first: tr({ en: '◀◀ first', zh: '◀◀ 第一帧' }),
    prev: tr({ en: '◀ previous', zh: '◀ 上一帧' }),
    play: tr({ en: '▶ play', zh: '▶ 播放' }),
    pause: tr({ en: '■ pause', zh: '■ 暂停' }),
    next: tr({ en: 'next ▶', zh: '下一帧 ▶' }),
    // The label's words around the two numbers, for the script.
    label: tr({ en: 'frame {k} / {n}', zh: '第 {k} / {n} 帧' }),
  };
  const label = (k: number | string, total: number | string) => t.label.replace('{k}', String(k)).replace('{n}', String(total));
  const btn = 'font-size:18px;padding:4px 12px;margin-right:6px;cursor:pointer';
  const controls =
    `<div class="tscnn-walk-controls" style="display:none;align-items:center;gap:4px;margin:6px 0;font-size:18px">` +
    `<button type="button" data-a="first" style="${btn}">${escapeHtml(t.first)}</button>` +
    `<button type="button" data-a="prev" style="${btn}">${escapeHtml(t.prev)}</button>` +
    `<button type="button" data-a="play" style="${btn}">${escapeHtml(t.play)}</button>` +
    `<button type="button" data-a="next" style="${btn}">${escapeHtml(t.next)}</button>` +
    `<input type="range" min="0" max="${n - 1}" value="${n - 1}" style="width:200px;margin:0 10px">` +
    `<span class="tscnn-walk-label">${escapeHtml(label(n, n))}</span></div>`;
  const js = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');
  const script = `<script>(function(){var root=document.getElementById(${JSON.stringify(id)});if(!root)return;` +
    `var imgs=root.querySelectorAll('img[data-frame]'),n=imgs.length,cur=n-1,timer=null,L=${js(t.label)};` +
    `var q=function(s){return root.querySelector(s)};var label=q('.tscnn-walk-label'),slider=q('input[type=range]'),play=q('[data-a=play]');` +
    `function show(k){cur=Math.max(0,Math.min(n-1,k));for(var i=0;i<n;i++)imgs[i].style.display=i===cur?'block':'none';label.textContent=L.replace('{k}',String(cur+1)).replace('{n}',String(n));slider.value=String(cur);}` +
    `function stop(){if(timer){clearInterval(timer);timer=null;}play.textContent=${js(t.play)};}` +
    `q('[data-a=first]').onclick=function(){stop();show(0)};` +
    `q('[data-a=prev]').onclick=function(){stop();show(cur-1)};` +
    `q('[data-a=next]').onclick=function(){stop();show(cur+1)};` +
    `play.onclick=function(){if(timer){stop();return;}if(cur===n-1)show(0);play.textContent=${js(t.pause)};timer=setInterval(function(){if(cur>=n-1){stop();return;}show(cur+1);},900);};` +
    `slider.oninput=function(){stop();show(+slider.value)};` +
    `q('.tscnn-walk-controls').style.display='flex';show(0);})();</script>`;
  return `<div id="${id}" class="tscnn-walk" style="font-family:sans-serif"><div style="font-size:18px;font-weight:bold">${escapeHtml(title)}</div>${controls}<div class="tscnn-walk-frames">${frames}</div></div>${script}`;
}
