/**
 * Fast-path benchmark: the plain-JS engine ('js') against the WebAssembly SIMD kernels
 * (src/ops/wasm/) on one thread ('wasm') and with the batch split over two ('wasm-2t'), on
 *   - GEMM alone (square 256/512, and the conv layers' shapes), GFLOP/s;
 *   - the conv shapes S1–S3 of bench/conv.ts, fwd / dx / dw / bwd (same case names, so the table
 *     puts these columns beside the conv suite's naive and fast ones);
 *   - the cost of copying an operand into wasm memory (S3's x, 6.4 MB), ms;
 *   - LeNet-5 training steps (batch 64, 28×28, SGD), images/s.
 * Each pass checks that both engines agree before it reports a number.
 */
import { engineGemm, getOpsImpl, setOpsImpl } from '../src/ops/engine';
import { SGD } from '../src/optim/sgd';
import { ModuleTrainable } from '../src/train/trainable';
import { fastPathInfo, wasmKernels, wasmStatus } from '../src/ops/wasm/runtime';
import { setWasmThreads, wasmThreadsReady } from '../src/ops/wasm/threads';
import { lenet5 } from '../src/models/lenet5';
import { Rng, Tensor, randn } from '../src/tensor';
import { CONV_CASES, convPasses, relDiff } from './conv';
import type { BenchOptions, BenchRow } from './rows';
import { timeIt, TimingOptions } from './timing';

/** 'js': plain-JS GEMM; 'wasm': the SIMD kernels on the main thread; 'wasm-2t': and a worker. */
const ENGINES: { name: string; impl: 'js' | 'wasm'; threads: number }[] = [
  { name: 'js', impl: 'js', threads: 1 },
  { name: 'wasm', impl: 'wasm', threads: 1 },
  { name: 'wasm-2t', impl: 'wasm', threads: 2 },
];

/** Run `fn` with the engine's thread count. */
function on<T>(e: (typeof ENGINES)[number], fn: () => T): T {
  const prev = setWasmThreads(e.threads);
  try {
    return fn();
  } finally {
    setWasmThreads(prev);
  }
}

function gemmRows(o: BenchOptions, timing: TimingOptions, rng: Rng): BenchRow[] {
  const rows: BenchRow[] = [];
  // [name, transA, transB, M, N, K]: square, then S3's forward / dX / dW GEMMs and LeNet's C1/C3 forward
  const shapes: [string, boolean, boolean, number, number, number][] = [
    ['gemm-256', false, false, 256, 256, 256],
    ['gemm-512', false, false, 512, 512, 512],
    ['gemm-S3fwd', false, false, 64, 3136, 576],
    ['gemm-S3dx', true, false, 576, 3136, 64],
    ['gemm-S3dw', false, true, 64, 576, 3136],
    ['gemm-C1fwd', false, false, 6, 576, 25],
    ['gemm-C3fwd', false, false, 16, 100, 150],
  ];
  for (const [name, ta, tb, M, N, K] of shapes) {
    const A = randn([M * K], { rng }).data;
    const B = randn([K * N], { rng }).data;
    const out: Float32Array[] = [];
    // GEMM itself is single-threaded (the batch split lives in the conv kernels)
    for (const e of ENGINES.slice(0, 2)) {
      const C = new Float32Array(M * N);
      const t = timeIt(() => engineGemm(e.impl)(ta, tb, M, N, K, 1, A, 0, ta ? M : K, B, 0, tb ? K : N, 0, C, 0, N), timing);
      out.push(C);
      const g = (2 * M * N * K) / (t.medianMs * 1e6);
      rows.push({ case: name, impl: e.name, metric: 'gflops', value: g, unit: 'GFLOP/s' });
      o.log(`  ${name} [${M}×${K}]·[${K}×${N}] ${e.name.padEnd(7)} ${t.medianMs.toFixed(3).padStart(8)} ms ${g.toFixed(2).padStart(6)} GFLOP/s`);
    }
    const d = relDiff(out[1], out[0]);
    if (!(d < 1e-4)) throw new Error(`fastBench: ${name}: wasm and js disagree (max rel diff ${d.toExponential(2)})`);
  }
  return rows;
}

function convRows(o: BenchOptions, timing: TimingOptions, rng: Rng): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const c of CONV_CASES) {
    const { xShape, passes } = convPasses(c, rng, o.quick);
    o.log(`fast ${c.name}: x=[${xShape}] w=[${c.w}] ${JSON.stringify(c.opts)}`);
    for (const p of passes) {
      const out: Tensor[] = [];
      for (const e of ENGINES) {
        const t = on(e, () => timeIt(() => p.run(e.impl), timing));
        out.push(t.result);
        const g = p.flops / (t.medianMs * 1e6);
        rows.push({ case: `${c.name}-${p.metric}`, impl: e.name, metric: 'gflops', value: g, unit: 'GFLOP/s' });
        rows.push({ case: `${c.name}-${p.metric}`, impl: e.name, metric: 'time', value: t.medianMs, unit: 'ms' });
        o.log(`  ${c.name}-${p.metric} ${e.name.padEnd(7)} ${t.medianMs.toFixed(2).padStart(9)} ms  ${g.toFixed(2).padStart(6)} GFLOP/s`);
      }
      for (let k = 1; k < out.length; k++) {
        const d = relDiff(out[k].data, out[0].data);
        if (!(d < 1e-4)) throw new Error(`fastBench: ${c.name}-${p.metric}: ${ENGINES[k].name} and js disagree (max rel diff ${d.toExponential(2)})`);
      }
    }
  }
  return rows;
}

/** Copying S3's x (8·64·56·56 floats) into wasm memory: the price of keeping operands in JS arrays. */
function copyRows(o: BenchOptions, timing: TimingOptions, rng: Rng): BenchRow[] {
  const m = wasmKernels();
  if (!m) return [];
  const x = randn([8, 64, 56, 56], { rng }).data;
  const t = timeIt(() => {
    m.reset();
    return m.copyIn(x, 0, x.length);
  }, timing);
  o.log(`  copy 6.4 MB into wasm memory: ${t.medianMs.toFixed(3)} ms (${((x.length * 4) / (t.medianMs * 1e6)).toFixed(1)} GB/s)`);
  return [{ case: 'copy-6.4MB', impl: 'wasm', metric: 'time', value: t.medianMs, unit: 'ms' }];
}

/** One SGD step of LeNet-5 (forward, softmax cross-entropy, backward, p.value −= lr·p.grad). */
function lenetRows(o: BenchOptions, timing: TimingOptions, rng: Rng): BenchRow[] {
  const rows: BenchRow[] = [];
  const batch = 64;
  const x = randn([batch, 1, 28, 28], { rng });
  const labels = Int32Array.from({ length: batch }, (_, i) => (i * 7) % 10);
  const prev = getOpsImpl();
  try {
    for (const e of ENGINES) {
      setOpsImpl(e.impl);
      const net = lenet5({ rng: new Rng(1) });
      // fit's training step: forward, softmax cross-entropy, backward (no dL/dx of the input), SGD
      const trainer = new ModuleTrainable(net, new SGD(net, { lr: 0.01 }));
      const step = () => trainer.trainStep(x, labels);
      const t = on(e, () => timeIt(step, timing));
      const ips = batch / (t.medianMs / 1000);
      rows.push({ case: 'lenet5-train-b64', impl: e.name, metric: 'images/s', value: ips, unit: 'img/s' });
      rows.push({ case: 'lenet5-train-b64', impl: e.name, metric: 'time', value: t.medianMs, unit: 'ms' });
      o.log(`  LeNet-5 train step (batch ${batch}) ${e.name.padEnd(7)} ${t.medianMs.toFixed(2).padStart(8)} ms  ${ips.toFixed(0).padStart(6)} images/s`);
    }
  } finally {
    setOpsImpl(prev);
  }
  return rows;
}

export async function fastBench(o: BenchOptions): Promise<BenchRow[]> {
  if (fastPathInfo() !== 'wasm-simd') {
    o.log(`fast: skipped — the wasm kernels are unavailable: ${wasmStatus()}`);
    return [];
  }
  const timing: TimingOptions = o.quick
    ? { warmupMs: 100, minReps: 3, minTimeMs: 150, maxTimeMs: 600, maxReps: 20 }
    : { warmupMs: 500, minReps: 5, minTimeMs: 1000, maxTimeMs: 8000, maxReps: 50 };
  const rng = new Rng(2026);
  o.log(`fast: ${await wasmThreadsReady()} threads for the conv kernels`);
  o.log('fast: GEMM');
  const rows = gemmRows(o, timing, rng);
  rows.push(...convRows(o, timing, rng));
  rows.push(...copyRows(o, timing, rng));
  o.log('fast: LeNet-5 training');
  rows.push(...lenetRows(o, timing, rng));
  return rows;
}

if (require.main === module) {
  // `npx tsx bench/fast.ts [--quick]`: this suite alone (npm run bench -- --suite fast once registered).
  const quick = process.argv.includes('--quick');
  fastBench({ quick, log: (l) => console.error(l) }).then(async (rows) => {
    const { formatRows } = await import('./rows');
    console.log(formatRows(rows));
  });
}
