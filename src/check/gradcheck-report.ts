/**
 * What `gradcheck` / `gradcheckLayer` return, and the report's text in the notebook's language
 * (`setLocale`): the course prints it in both the English and the Chinese lessons.
 */
import { tr } from '../display/locale';
import { fmtShape } from '../tensor/errors';
import { formatNumber } from '../tensor/format';

/** One checked input (or parameter): how far the analytic gradient is from the numeric one. */
export interface InputReport {
  name: string;
  shape: number[];
  /** Number of elements compared. */
  checked: number;
  relError: number;
  maxAbsError: number;
  /** Element with the largest relative error (flat row-major index). */
  worst: { index: number; analytic: number; numeric: number };
}

/** The result of one gradient check: ok when every input's relError ≤ tolerance. */
export interface GradcheckReport {
  name: string;
  ok: boolean;
  /** Max over the inputs. */
  relError: number;
  tolerance: number;
  inputs: InputReport[];
  toString(): string;
}

/** The report as lines of text: a verdict line, then one line per input. */
export function formatReport(r: GradcheckReport): string {
  const n = formatNumber;
  const lines = [
    tr({
      en: `gradcheck ${r.name}: ${r.ok ? 'ok' : 'FAILED'} (max relError ${n(r.relError)}, tolerance ${n(r.tolerance)})`,
      zh: `梯度检验 ${r.name}：${r.ok ? '通过' : '未通过'}（最大相对误差 ${n(r.relError)}，容差 ${n(r.tolerance)}）`,
    }),
  ];
  if (r.inputs.length === 0) lines.push(tr({ en: '  no differentiable inputs were checked', zh: '  没有检验任何可求导的输入' }));
  for (const i of r.inputs) {
    const w = i.worst;
    const good = i.relError <= r.tolerance;
    const head = `${i.name} ${fmtShape(i.shape)}`;
    lines.push(
      tr({
        en:
          `  ${good ? 'ok ' : 'BAD'} ${head}: relError ${n(i.relError)}, maxAbsError ${n(i.maxAbsError)}` +
          ` (${i.checked} elements; worst at [${w.index}]: analytic ${n(w.analytic)}, numeric ${n(w.numeric)})`,
        zh:
          `  ${good ? '通过' : '不对'} ${head}：相对误差 ${n(i.relError)}，最大绝对误差 ${n(i.maxAbsError)}` +
          `（${i.checked} 个元素；最差在 [${w.index}]：解析 ${n(w.analytic)}，数值 ${n(w.numeric)}）`,
      }),
    );
  }
  return lines.join('\n');
}
