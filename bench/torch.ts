/**
 * PyTorch as an optional peer (issue: "measured when present, skipped with a note when not"):
 * runs bench/torch_bench.py with the Python that has torch (TSCNN_TORCH_PYTHON, default Debian's
 * /usr/bin/python3 with python3-torch) and returns its rows with impl 'pytorch'.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import type { BenchOptions, BenchRow } from './rows';

export async function torchBench(o: BenchOptions): Promise<BenchRow[]> {
  const py = process.env.TSCNN_TORCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const r = spawnSync(py, [join(__dirname, 'torch_bench.py'), ...(o.quick ? ['--quick'] : [])], { encoding: 'utf8', timeout: 600000 });
  if (r.error || r.status !== 0) {
    o.log(`torch: skipped (${r.error ? r.error.message : `${py} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`})`);
    return [];
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { rows?: BenchRow[]; skip?: string; torch?: string; threads?: number };
  if (out.skip) {
    o.log(`torch: skipped — ${out.skip}`);
    return [];
  }
  o.log(`torch: PyTorch ${out.torch}, ${out.threads} threads`);
  for (const row of out.rows ?? []) o.log(`  ${row.case} pytorch ${row.value.toFixed(2)} ${row.unit}`);
  return out.rows ?? [];
}
