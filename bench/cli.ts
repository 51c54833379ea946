/**
 * A full MNIST epoch from the command line, as a student or CI runs it:
 *   tscnn train lenet5 --epochs 1 --report FILE   (the CLI's defaults: Adam, lr 0.002, cosine,
 *   batch 32, seed 0; 60,000 training images, 10,000 test images)
 * in its own process, on BENCH_THREADS threads. Rows: the epoch's training seconds (the CLI's
 * `trainSeconds`: the training loop only, from the first batch to the last), the whole command's
 * wall seconds (loading MNIST, testing, the checkpoint) and the test accuracy after the epoch.
 * `--quick`: the first 6,000 training and 1,000 test images.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BENCH_THREADS, type BenchOptions, type BenchRow } from './rows';

export async function cliBench(o: BenchOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tscnn-bench-cli-'));
  try {
    const report = join(dir, 'report.json');
    const args = [join(__dirname, '..', 'bin', 'tscnn.js'), 'train', 'lenet5', '--epochs', '1', '--quiet', '--report', report, '--checkpoint', join(dir, 'lenet5.ckpt')];
    if (o.quick) args.push('--limit', '6000', '--test-limit', '1000');
    const name = o.quick ? 'mnist-6k-epoch-cli' : 'mnist-epoch-cli';
    o.log(`cli: node ${args.slice(1).join(' ')}`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600000, env: { ...process.env, TSCNN_THREADS: String(BENCH_THREADS) } });
    const wall = (Date.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`bench cli: tscnn train exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { trainSeconds: number; testAccuracy: number };
    o.log(`cli: epoch ${rep.trainSeconds.toFixed(2)} s, command ${wall.toFixed(1)} s, test accuracy ${(100 * rep.testAccuracy).toFixed(2)} %`);
    return [
      { case: name, impl: 'tscnn', metric: 'epochSeconds', value: rep.trainSeconds, unit: 's' },
      { case: name, impl: 'tscnn', metric: 'commandSeconds', value: wall, unit: 's' },
      { case: name, impl: 'tscnn', metric: 'testAccuracy', value: rep.testAccuracy, unit: '0–1' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
