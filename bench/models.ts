/**
 * Whole models, tscnn vs PyTorch, each measurement in its own child process so that its peak RSS
 * is its own: AlexNet and VGG16 (eval forward and one SGD training step, batch 8, 224×224) and
 * a scaling row, LeNet-5 training steps at batch 1, 8, 64 and 256.
 * Rows: `{ case: 'vgg16-train-b8-224', impl: 'tscnn' | 'pytorch', metric: 'ms' | 'peakRss', … }`.
 * PyTorch (Debian python3-torch, 2 threads) is skipped with a note when it is not installed.
 * `--quick`: the LeNet-5 row at batch 1 and 64 only (AlexNet/VGG16 build 61M/138M weights: slow).
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { BENCH_THREADS, type BenchOptions, type BenchRow } from './rows';
import { torchPython } from './torch-peer';

interface ModelCase {
  model: 'lenet5' | 'alexnet' | 'vgg16';
  mode: 'fwd' | 'train';
  batch: number;
  size: number;
  repeats: number;
}

/** The cases a run measures (full or --quick). */
export function modelCases(quick: boolean): ModelCase[] {
  const lenet = (batch: number): ModelCase => ({ model: 'lenet5', mode: 'train', batch, size: 28, repeats: batch >= 64 ? 15 : 40 });
  if (quick) return [1, 64].map(lenet);
  // warm-up (model_child.ts: calls for 1.5 s, at least one), then the median of 3 (VGG16: 1; its training step is ~370 GFLOP)
  const big = (model: 'alexnet' | 'vgg16', mode: 'fwd' | 'train'): ModelCase => ({ model, mode, batch: 8, size: 224, repeats: model === 'vgg16' ? 1 : 3 });
  return [...[1, 8, 64, 256].map(lenet), big('alexnet', 'fwd'), big('alexnet', 'train'), big('vgg16', 'fwd'), big('vgg16', 'train')];
}

interface ChildResult {
  ms?: number;
  rssMiB?: number;
  skip?: string;
}

function runChild(cmd: string, args: string[]): ChildResult | { error: string } {
  // tscnn's child on 2 threads, as PyTorch's (bench/run.ts)
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 900000, maxBuffer: 1 << 24, env: { ...process.env, TSCNN_THREADS: String(BENCH_THREADS) } });
  if (r.error || r.status !== 0) return { error: r.error ? r.error.message : `exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').pop()}` };
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

export async function modelsBench(o: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const py = torchPython();
  let torchOff = '';
  for (const c of modelCases(o.quick)) {
    const name = `${c.model}-${c.mode}-b${c.batch}-${c.size}`;
    const args = [c.model, c.mode, String(c.batch), String(c.size), String(c.repeats)];
    const peers: [string, string, string[]][] = [['tscnn', tsx, [join(__dirname, 'model_child.ts'), ...args]]];
    if (!torchOff) peers.push(['pytorch', py, [join(__dirname, 'torch_models.py'), ...args]]);
    for (const [impl, cmd, a] of peers) {
      const r = runChild(cmd, a);
      if ('error' in r || r.skip) {
        const why = 'error' in r ? r.error : r.skip;
        if (impl === 'pytorch') {
          torchOff = why as string;
          o.log(`models: PyTorch skipped — ${why}`);
          continue;
        }
        throw new Error(`bench models: ${name} (${impl}) failed: ${why}`);
      }
      rows.push({ case: name, impl, metric: 'ms', value: r.ms as number, unit: 'ms' });
      rows.push({ case: name, impl, metric: 'peakRss', value: r.rssMiB as number, unit: 'MiB' });
      o.log(`${name} ${impl}: ${(r.ms as number).toFixed(1)} ms, peak RSS ${(r.rssMiB as number).toFixed(0)} MiB`);
    }
  }
  return rows;
}
