/**
 * One frame of a walkthrough as SVG: the (padded) input grid with the window highlighted, the
 * kernel and the element-wise products (conv) or the pooled window, and the output grid filled up
 * to the current cell, with the frame's arithmetic written under them. Labels follow the locale.
 */
import { tr } from '../display/locale';
import { CELL_FONT_PX, SvgDoc, type CellStyle } from './svg';
import { cellText, type WalkData } from './walk-types';

const L = {
  input: { en: 'input x', zh: '输入 x' },
  padded: { en: 'input (padded)', zh: '输入（已填充）' },
  kernel: { en: 'kernel k', zh: '卷积核 k' },
  products: { en: 'products', zh: '逐元素乘积' },
  window: { en: 'window', zh: '池化窗口' },
  mean: { en: 'mean →', zh: '平均 →' },
  output: { en: 'output y', zh: '输出 y' },
};

/** 'frame 3 / 9: output (0, 2)' in the current locale. */
export function frameCaption(k: number, n: number, out: readonly [number, number]): string {
  return tr({ en: `frame ${k} / ${n}: output (${out[0]}, ${out[1]})`, zh: `第 ${k} / ${n} 帧：输出 (${out[0]}, ${out[1]})` });
}

const WINDOW_FILL = '#ffe066'; // cells under the window
const WINDOW_EDGE = '#d9480f'; // their outline
const CURRENT_FILL = '#ffd43b';
const DONE_FILL = '#e7f5ff';
const PAD_TEXT = '#6c757d';
const CELL_H = 44;
const GAP = 40;
const TOP = 44;
const LABEL_DY = 22;

/** Frame `k` of a walkthrough as an SVG document: input (window highlighted), kernel/window, output so far, the equation. */
export function drawFrame(wt: WalkData, k: number): SvgDoc {
  const step = wt.steps[k];
  const n = wt.steps.length;
  const [kh, kw] = wt.window;
  const hp = wt.padded.length;
  const wp = wt.padded[0].length;
  const oh = wt.output.length;
  const ow = wt.output[0].length;
  const fmt = (v: number) => cellText(v, wt.precision);
  const allText = [...wt.padded.flat(), ...wt.output.flat(), ...(wt.kernel?.flat() ?? []), ...wt.steps.flatMap((s) => s.terms)].map(fmt);
  const chars = Math.max(...allText.map((s) => s.length));
  const cellW = Math.max(CELL_H, Math.ceil(chars * 11.5) + 14);
  const isTap = new Set(step.taps.map(([r, c]) => r * wp + c));
  const inPad = (r: number, c: number) => r < wt.pad.top || r >= hp - wt.pad.bottom || c < wt.pad.left || c >= wp - wt.pad.right;
  const maxTap = wt.kind === 'maxpool' ? step.values.indexOf(step.result) : -1;

  interface Panel { label: string; rows: number; cols: number; style: (r: number, c: number) => CellStyle; }
  const panels: Panel[] = [];
  const ops: string[] = [];
  panels.push({
    label: wt.kind === 'relu' ? tr(L.input) : wt.pad.top + wt.pad.left + wt.pad.bottom + wt.pad.right > 0 ? tr(L.padded) : tr(L.input),
    rows: hp,
    cols: wp,
    style: (r, c) => {
      const tap = isTap.has(r * wp + c);
      const pad = inPad(r, c);
      const isMax = maxTap >= 0 && step.taps[maxTap][0] === r && step.taps[maxTap][1] === c;
      return {
        text: fmt(wt.padded[r][c]),
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
    panels.push({ label: tr(L.kernel), rows: kh, cols: kw, style: (r, c) => ({ text: fmt(kern[r][c]), fill: '#f1f3f5' }) });
    ops.push('=');
    panels.push({ label: tr(L.products), rows: kh, cols: kw, style: (r, c) => ({ text: fmt(step.terms[r * kw + c]), fill: WINDOW_FILL }) });
    ops.push('Σ →');
  } else if (wt.kind === 'maxpool' || wt.kind === 'avgpool') {
    ops.push('→');
    panels.push({
      label: tr(L.window),
      rows: kh,
      cols: kw,
      style: (r, c) => ({ text: fmt(step.values[r * kw + c]), fill: WINDOW_FILL, bold: r * kw + c === maxTap, outline: r * kw + c === maxTap ? '#c92a2a' : undefined }),
    });
    ops.push(wt.kind === 'maxpool' ? 'max →' : tr(L.mean));
  } else {
    ops.push('max(0, ·) →');
  }
  const pos = step.out[0] * ow + step.out[1];
  panels.push({
    label: tr(L.output),
    rows: oh,
    cols: ow,
    style: (r, c) => {
      const idx = r * ow + c;
      if (idx > pos) return { fill: '#ffffff' };
      return { text: fmt(wt.output[r][c]), fill: idx === pos ? CURRENT_FILL : DONE_FILL, outline: idx === pos ? WINDOW_EDGE : undefined, bold: idx === pos };
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
  doc.text(20, 20, frameCaption(k + 1, n, step.out), { size: 18, bold: true });
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
