'use strict';
/**
 * In-memory input/output history for history_request (IPython's semantics for this session):
 * entries are [session, line, input] or [session, line, [input, output]] with output the cell's
 * text/plain result or null. `search` takes a glob pattern (* ? [..]) matched against whole input.
 */
const SESSION = 1;

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else { re += '[' + glob.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = j; }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

class History {
  constructor() { this.entries = []; }

  add(line, input) { this.entries.push({ line, input, output: null }); }

  setOutput(line, text) {
    const e = this.entries.find((x) => x.line === line);
    if (e) e.output = text;
  }

  /** The history_reply content for a history_request's content. */
  query(req) {
    const { hist_access_type: type, output = false } = req;
    const n = req.n == null ? null : Number(req.n);
    let rows = this.entries;
    if (type === 'tail') {
      rows = n == null ? rows : rows.slice(Math.max(0, rows.length - n));
    } else if (type === 'range') {
      // IPython: session 0 or negative means "this session" relative; we keep only this session.
      const start = req.start == null ? 0 : Number(req.start);
      const stop = req.stop == null ? Infinity : Number(req.stop);
      rows = rows.filter((e) => e.line >= start && e.line < stop);
    } else if (type === 'search') {
      const re = globToRegExp(req.pattern == null ? '*' : String(req.pattern));
      rows = rows.filter((e) => re.test(e.input));
      if (req.unique) {
        const seen = new Set();
        const out = [];
        for (let i = rows.length - 1; i >= 0; i--) if (!seen.has(rows[i].input)) { seen.add(rows[i].input); out.unshift(rows[i]); }
        rows = out;
      }
      if (n != null) rows = rows.slice(Math.max(0, rows.length - n));
    } else {
      return { status: 'error', ename: 'ValueError', evalue: `unknown hist_access_type ${type}`, traceback: [], history: [] };
    }
    return { status: 'ok', history: rows.map((e) => [SESSION, e.line, output ? [e.input, e.output] : e.input]) };
  }
}

module.exports = { History, globToRegExp };
