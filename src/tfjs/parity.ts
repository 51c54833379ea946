/**
 * Op parity: every op of the registry against its TensorFlow.js counterpart, forward and
 * gradients (tf.grads), over the registry's shape table.
 *
 * Tolerance (documented, float32 on both sides, different summation orders):
 *   forward   max|ours − tfjs| ≤ 1e-4 · max(1, max|tfjs|)
 *   gradients max|ours − tfjs| ≤ 1e-3 · max(1, max|tfjs grad|)
 */
import type * as TF from '@tensorflow/tfjs';
import type { OpCase, OpSpec } from '../ops/spec';
import { Rng } from '../tensor/random';
import { Tensor, randn } from '../tensor/tensor';
import { getLocale, tr } from '../display/locale';
import { DISPLAY, escapeHtml, type MimeBundle } from '../display/mime';
import { TF_COUNTERPARTS } from './counterparts';
import { loadTf, type TfHandle } from './backend';
import { fromTf, toTf, type TfLayoutKind } from './layout';
import { checkOptionNames } from '../tensor/options';

/** Max |tscnn − tfjs| the parity tables accept: forward 1e-4, gradients 1e-3. */
export const PARITY_TOLERANCE = { forward: 1e-4, grad: 1e-3 } as const;

/** One row of an op parity table: an op case run by tscnn and by TensorFlow.js, with the max |difference| of outputs and gradients. */
export interface ParityRow {
  op: string;
  case: string;
  backend: string;
  /** Why the case was not compared (tfjs cannot express it); null when compared. */
  skipped: string | null;
  /** Why gradients were not compared (forward still was). */
  gradSkipped: string | null;
  forwardMaxAbs: number;
  grads: { input: string; maxAbs: number; scale: number }[];
  ok: boolean;
  /** tfjs threw: its message (counts as a mismatch). */
  error?: string;
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.size !== b.size) return Infinity;
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

function maxAbs(a: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]));
  return m;
}

/** Compare one case of one op. All tfjs tensors it makes are disposed before it returns. */
export async function opParity<A>(spec: OpSpec<A>, c: OpCase<A>, opts: { handle?: TfHandle; seed?: number } = {}): Promise<ParityRow> {
  checkOptionNames('opParity', opts, ['handle', 'seed']);
  const h = opts.handle ?? (await loadTf());
  const tf = h.tf;
  const base: ParityRow = { op: spec.name, case: c.name, backend: h.backend, skipped: null, gradSkipped: null, forwardMaxAbs: 0, grads: [], ok: true };
  const cp = TF_COUNTERPARTS[spec.name];
  if (!cp) return { ...base, skipped: 'no TensorFlow.js counterpart registered', ok: false };

  const rng = new Rng(opts.seed ?? 1234);
  const inputs = spec.makeInputs ? spec.makeInputs(c, rng) : c.shapes.map((s) => randn(s, { rng }));
  const attrs = c.attrs;
  const why = cp.unsupported?.(attrs, inputs) ?? null;
  if (why) return { ...base, skipped: why };

  const ours = spec.forward(inputs, attrs);
  const dy = randn(ours.shape, { rng });
  const diff = spec.differentiable ?? inputs.map(() => true);
  const ourGrads = spec.backward(dy, inputs, attrs);
  const kinds: TfLayoutKind[] = cp.inputKinds?.(attrs, inputs) ?? inputs.map(() => 'activation');
  const outKind = cp.outputKind ?? 'activation';
  const depthMultiplier = kinds[1] === 'depthwise-weight' ? inputs[1].shape[0] / inputs[0].shape[1] : 1;

  const tfInputs = inputs.map((t, i) => toTf(tf, t, kinds[i], i === 1 ? depthMultiplier : 1));
  try {
    const yTf = tf.tidy(() => cp.forward(tf, tfInputs, attrs, inputs, ours.shape));
    const theirs = fromTf(yTf, outKind);
    yTf.dispose();
    const row = { ...base };
    row.forwardMaxAbs = maxAbsDiff(ours, theirs);
    row.ok = row.forwardMaxAbs <= PARITY_TOLERANCE.forward * Math.max(1, maxAbs(theirs));
    row.gradSkipped = cp.gradUnsupported?.(attrs, inputs) ?? null;
    if (!row.gradSkipped) {
      const diffIdx = inputs.map((_, i) => i).filter((i) => diff[i] && ourGrads[i]);
      const dyTf = toTf(tf, dy, outKind);
      const grads = tf.tidy(() => {
        const f = (...xs: TF.Tensor[]) => {
          const all = tfInputs.slice();
          diffIdx.forEach((i, k) => (all[i] = xs[k]));
          return cp.forward(tf, all, attrs, inputs, ours.shape);
        };
        return tf.grads(f)(diffIdx.map((i) => tfInputs[i]), dyTf);
      });
      dyTf.dispose();
      diffIdx.forEach((i, k) => {
        const g = fromTf(grads[k], kinds[i] === 'depthwise-weight' ? 'depthwise-weight' : kinds[i]);
        grads[k].dispose();
        const m = maxAbsDiff(ourGrads[i] as Tensor, g);
        const scale = Math.max(1, maxAbs(g));
        row.grads.push({ input: spec.inputs[i], maxAbs: m, scale });
        if (!(m <= PARITY_TOLERANCE.grad * scale)) row.ok = false;
      });
    }
    return row;
  } catch (e) {
    return { ...base, ok: false, error: (e as Error).message };
  } finally {
    for (const t of tfInputs) t.dispose();
  }
}

/** Every case of every op given (default: the registry). */
export async function registryParity(specs: OpSpec<any>[], opts: { handle?: TfHandle } = {}): Promise<ParityRow[]> {
  checkOptionNames('registryParity', opts, ['handle']);
  const rows: ParityRow[] = [];
  for (const spec of specs) for (const c of spec.cases) rows.push(await opParity(spec, c, opts));
  return rows;
}

/** Plain-text parity table (op, case, backend, forward error, gradient errors, verdict). */
export function formatParityTable(rows: ParityRow[]): string {
  const lines = rows.map((r) => {
    const verdict = r.error ? `ERROR: ${r.error}` : r.skipped ? `${tr({ en: 'skipped', zh: '跳过' })}: ${r.skipped}` : r.ok ? tr({ en: 'ok', zh: '一致' }) : tr({ en: 'MISMATCH', zh: '不一致' });
    const gradsSkipped = () => `${tr({ en: 'grads skipped', zh: '未比较梯度' })}: ${r.gradSkipped}`;
    const grads = r.skipped ? '' : r.gradSkipped ? gradsSkipped() : r.grads.map((g) => `d${g.input} ${g.maxAbs.toExponential(1)}`).join(' ');
    return `${r.op.padEnd(20)} ${r.case.padEnd(44)} ${r.backend.padEnd(5)} ${r.skipped ? ''.padEnd(8) : r.forwardMaxAbs.toExponential(1).padEnd(8)} ${grads.padEnd(40)} ${verdict}`;
  });
  // Chinese headers are padded by display width (a CJK character takes two columns)
  const h = getLocale() === 'zh'
    ? ['算子', '用例', 'tfjs', '前向误差', '梯度 max|我们的−tfjs|', '结论']
    : ['op', 'case', 'tfjs', 'fwd err', 'grad max |ours − tfjs|', 'verdict'];
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0)));
  return [`${pad(h[0], 20)} ${pad(h[1], 44)} ${pad(h[2], 5)} ${pad(h[3], 8)} ${pad(h[4], 40)} ${h[5]}`, ...lines].join('\n');
}

/** The parity table as a notebook output (HTML table + the plain-text table). */
export class ParityTable {
  constructor(readonly rows: ParityRow[]) {}

  get compared(): number {
    return this.rows.filter((r) => !r.skipped).length;
  }

  get mismatches(): ParityRow[] {
    return this.rows.filter((r) => !r.skipped && !r.ok);
  }

  toString(): string {
    return formatParityTable(this.rows);
  }

  [DISPLAY](): MimeBundle {
    const cell = (r: ParityRow) => {
      if (r.error) return `<td colspan="2" style="color:#b00">ERROR: ${escapeHtml(r.error)}</td>`;
      if (r.skipped) return `<td colspan="2" style="color:#777">not comparable: ${escapeHtml(r.skipped)}</td>`;
      const grads = r.gradSkipped ? `<span style="color:#777">${escapeHtml(r.gradSkipped)}</span>` : r.grads.map((g) => `d${escapeHtml(g.input)} ${g.maxAbs.toExponential(1)}`).join(', ');
      return `<td>${r.forwardMaxAbs.toExponential(1)}</td><td>${grads}</td>`;
    };
    const body = this.rows
      .map((r) => `<tr><td>${escapeHtml(r.op)}</td><td><code>${escapeHtml(r.case)}</code></td><td>${escapeHtml(r.backend)}</td>${cell(r)}<td>${r.skipped ? '–' : r.ok ? '✔' : '<b style="color:#b00">✘</b>'}</td></tr>`)
      .join('');
    const html =
      `<div style="font-size:16px"><p>Op parity with TensorFlow.js: ${this.compared} cases compared, ${this.mismatches.length} mismatches ` +
      `(tolerance: forward ${PARITY_TOLERANCE.forward}·max(1, ‖y‖∞), gradients ${PARITY_TOLERANCE.grad}·max(1, ‖g‖∞)).</p>` +
      `<table border="1" cellpadding="5" style="border-collapse:collapse;font-size:15px"><thead><tr><th>op</th><th>case</th><th>tfjs</th><th>forward max |Δ|</th><th>gradients max |Δ|</th><th>ok</th></tr></thead><tbody>${body}</tbody></table></div>`;
    return { 'text/plain': this.toString(), 'text/html': html };
  }
}

/** `registryParity` as a displayable table. */
export async function parityTable(specs: OpSpec<any>[], opts: { handle?: TfHandle } = {}): Promise<ParityTable> {
  checkOptionNames('parityTable', opts, ['handle']);
  return new ParityTable(await registryParity(specs, opts));
}
