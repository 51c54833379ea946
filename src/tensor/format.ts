
/** Format one number: integers as integers, others with 4 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

function formatGrid(data: Float32Array, offset: number, rows: number, cols: number, indent: string): string {
  const cells: string[][] = [];
  let width = 0;
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) {
      const s = formatNumber(data[offset + r * cols + c]);
      width = Math.max(width, s.length);
      row.push(s);
    }
    cells.push(row);
  }
  return cells.map((row) => indent + row.map((s) => s.padStart(width)).join('  ')).join('\n');
}

/** What `formatTensor` reads: a shape and row-major values (a `Tensor` is one). */
export interface ShapedData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Lecture-table layout: a header line, then each trailing 2-D slice as a right-aligned grid,
 * labelled by its leading indices. Large tensors print the first slices and say how many more.
 */
export function formatTensor(t: ShapedData, maxSlices = 8): string {
  const shape = t.shape;
  const header = `Tensor [${shape.join(', ')}]`;
  if (shape.length === 0) return `${header} ${formatNumber(t.data[0])}`;
  if (shape.length === 1) return `${header}\n${formatGrid(t.data, 0, 1, shape[0], '  ')}`;
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const lead = shape.slice(0, -2);
  const nSlices = lead.reduce((a, b) => a * b, 1);
  if (lead.length === 0) return `${header}\n${formatGrid(t.data, 0, rows, cols, '  ')}`;
  const parts = [header];
  for (let s = 0; s < Math.min(nSlices, maxSlices); s++) {
    const idx: number[] = [];
    let rem = s;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx.unshift(rem % lead[d]);
      rem = Math.floor(rem / lead[d]);
    }
    parts.push(`[${idx.join(', ')}, :, :] =`);
    parts.push(formatGrid(t.data, s * rows * cols, rows, cols, '  '));
  }
  if (nSlices > maxSlices) parts.push(`… ${nSlices - maxSlices} more slices`);
  return parts.join('\n');
}
