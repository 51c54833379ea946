/**
 * Exercises in a notebook: the student writes an answer in one cell, the next cell says whether it
 * is right and why. The verdict is shown in the notebook's language (`setLocale`).
 *
 *   const answer = 4;                                   // the student's cell
 *   checkAnswer(answer, 4, {
 *     why: { en: '(10 − 1)/3 + 1 = 4', zh: '(10 − 1)/3 + 1 = 4' },
 *     hint: { en: 'use ⌊(n − k)/s⌋ + 1', zh: '用 ⌊(n − k)/s⌋ + 1' },
 *   })
 *
 * A cell that has not been answered yet (`undefined` or `null`) gets the hint, not an error, so a
 * notebook runs top to bottom before anyone has answered.
 */
import { Translations, tr } from '../display/locale';

/** What checkAnswer says: ok is null while there is no answer. Shown as text and HTML. */
export interface Verdict {
  ok: boolean | null;
  text: string;
}

/** A number within 1e-6 (relative) of the other, arrays element by element, strings ignoring case and spaces. */
export function sameAnswer(answer: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') {
    const a = typeof answer === 'string' ? Number(answer.trim()) : answer;
    return typeof a === 'number' && Math.abs(a - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
  }
  if (typeof expected === 'string') return typeof answer === 'string' && norm(answer) === norm(expected);
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const e = Array.from(expected as ArrayLike<unknown>);
    if (!(Array.isArray(answer) || ArrayBuffer.isView(answer))) return false;
    const a = Array.from(answer as ArrayLike<unknown>);
    return a.length === e.length && e.every((v, i) => sameAnswer(a[i], v));
  }
  return JSON.stringify(answer) === JSON.stringify(expected);
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, '');
}

function text(t: Translations | string | undefined): string {
  return t === undefined ? '' : typeof t === 'string' ? t : tr(t);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Compares the student's `answer` with `expected` (see sameAnswer) and returns a verdict: right and
 * why, or not yet / not quite and the hint (the expected value is not shown: it is in the answer
 * cell). The verdict displays itself in a notebook.
 */
export function checkAnswer(answer: unknown, expected: unknown, explain: { why: Translations | string; hint?: Translations | string }): Verdict {
  const hint = text(explain.hint);
  let ok: boolean | null;
  let msg: string;
  if (answer === undefined || answer === null) {
    ok = null;
    msg = tr({ en: 'No answer yet: write it in the cell above and run both cells.', zh: '还没有答案：请在上面的单元格里写下答案，然后运行这两个单元格。' }) + (hint ? ` ${tr({ en: 'Hint:', zh: '提示：' })} ${hint}` : '');
  } else if (sameAnswer(answer, expected)) {
    ok = true;
    msg = `✓ ${tr({ en: 'Right:', zh: '正确：' })} ${text(explain.why)}`;
  } else {
    ok = false;
    msg = `✗ ${tr({ en: `Not quite: ${JSON.stringify(answer)} is not it.`, zh: `不对：${JSON.stringify(answer)} 不是正确答案。` })}` + (hint ? ` ${tr({ en: 'Hint:', zh: '提示：' })} ${hint}` : '');
  }
  const colour = ok === true ? '#1a7f37' : ok === false ? '#cf222e' : '#6e7781';
  return {
    ok,
    text: msg,
    [Symbol.for('Jupyter.display')]: () => ({
      'text/plain': msg,
      'text/html': `<div style="border-left:4px solid ${colour};padding:4px 10px">${escapeHtml(msg)}</div>`,
    }),
  } as Verdict;
}
