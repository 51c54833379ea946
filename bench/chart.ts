/**
 * `--html FILE`: the benchmark's ratios as plotly bar charts in one self-contained page (plotly
 * inlined, works offline): conv GFLOP/s relative to the naive loops, LeNet-5 training images/s
 * relative to tscnn. Written to a temp file, then renamed.
 */
import { writeFileAtomic } from '../src/util/write-atomic';
import { barChart } from '../src/viz/charts';
import type { BenchRow } from './rows';

export function benchChartsHtml(rows: BenchRow[]): string {
  const parts: string[] = [];
  const conv = rows.filter((r) => r.metric === 'gflops' && /^S\d-/.test(r.case));
  if (conv.some((r) => r.impl === 'naive')) {
    parts.push(barChart(conv, { baseline: 'naive', metric: 'gflops', title: 'conv2d GFLOP/s relative to the naive loops (×)' }).html({ loader: true }));
  }
  const train = rows.filter((r) => r.metric === 'imagesPerSec');
  if (train.some((r) => r.impl === 'tscnn')) {
    parts.push(barChart(train, { baseline: 'tscnn', metric: 'imagesPerSec', title: 'LeNet-5 training images/s relative to tscnn (×)' }).html({ loader: parts.length === 0 }));
  }
  if (parts.length === 0) parts.push('<p>No rows with a baseline to compare against.</p>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>tscnn benchmarks</title></head><body style="font-family:sans-serif">${parts.join('\n')}</body></html>`;
}

export function writeBenchChart(file: string, rows: BenchRow[]): void {
  writeFileAtomic(file, benchChartsHtml(rows));
}
