import { expect } from 'chai';
import { gemm, gemmNaive } from '../../src/ops/gemm';
import { engineGemm, pickEngine } from '../../src/ops/engine';
import { gemmWasm } from '../../src/ops/wasm/gemm';
import { fastPathInfo, reloadWasmKernels, wasmKernels, wasmStatus } from '../../src/ops/wasm/runtime';
import { setWasmTakeover, setWasmThreads, wasmThreadsReady, wasmWorkerJobs } from '../../src/ops/wasm/threads';
import { Rng } from '../../src/tensor';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../../src/ops/wasm/build.js') as { build: (o: { quiet: boolean }) => string };

function randArray(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

type Gemm = typeof gemmNaive;

/**
 * Run `fn` and gemmNaive on the same operands embedded in larger buffers (offsets, leading
 * dimensions wider than the matrices or chosen by the caller); return the max difference inside
 * C relative to its largest entry, and whether every float around the C window is untouched.
 */
function compare(fn: Gemm, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, beta: number, rng: Rng, ld?: [number, number, number]) {
  const aCols = transA ? M : K;
  const bCols = transB ? K : N;
  const [lda, ldb, ldc] = ld ?? [aCols + 3, bCols + 1, N + 2];
  const [aOff, bOff, cOff] = [5, 2, 7];
  const A = randArray(aOff + (transA ? K : M) * lda, rng);
  const B = randArray(bOff + (transB ? N : K) * ldb, rng);
  const C0 = randArray(cOff + M * ldc + 4, rng);
  const C1 = new Float32Array(C0);
  const C2 = new Float32Array(C0);
  fn(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C1, cOff, ldc);
  gemmNaive(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C2, cOff, ldc);
  let diff = 0;
  let scale = 1;
  let untouched = true;
  for (let i = 0; i < C0.length; i++) {
    const r = Math.floor((i - cOff) / ldc);
    const c = (i - cOff) % ldc;
    if (i >= cOff && r < M && c < N) {
      diff = Math.max(diff, Math.abs(C1[i] - C2[i]));
      scale = Math.max(scale, Math.abs(C2[i]));
    } else if (C1[i] !== C0[i]) untouched = false;
  }
  return { rel: diff / scale, untouched };
}

describe('wasm gemm: the AssemblyScript SIMD kernel agrees with the triple loop', function () {
  this.timeout(180000);

  before(() => {
    build({ quiet: true }); // no-op when src/ops/wasm/tscnn-ops.wasm is up to date (set-up builds it)
    reloadWasmKernels(); // an earlier test file may have looked for it before it was built
  });

  it('loads, and the fast path reports wasm-simd', () => {
    expect(wasmStatus()).to.equal('loaded');
    expect(fastPathInfo()).to.equal('wasm-simd');
    expect(pickEngine('conv2d', undefined)).to.equal('wasm');
    expect(pickEngine('conv2d', 'js')).to.equal('js');
  });

  // Edges of the 4×8 micro-tile (M % 4, N % 8), of the blocks (MC = 128 rows, KC = 256 deep),
  // LeNet's shapes (6×576×25, 16×100×150) and a VGG-sized one.
  const sizes: [number, number, number][] = [
    [1, 1, 1], [4, 8, 1], [3, 7, 2], [5, 9, 3], [4, 16, 4], [17, 13, 11], [8, 23, 33],
    [6, 576, 25], [16, 100, 150], [25, 150, 100], [131, 19, 7], [9, 17, 257], [130, 70, 520],
  ];
  for (const [M, N, K] of sizes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`M=${M} N=${N} K=${K} ${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}, α=0.7 β=0.3`, () => {
        const r = compare(gemmWasm, transA, transB, M, N, K, 0.7, 0.3, new Rng(M * 1000 + N * 10 + K));
        expect(r.rel).to.be.below(2e-6);
        expect(r.untouched, 'floats outside the C window changed').to.equal(true);
      });
    }
  }

  it('handles α, β ∈ {0, 1, −2} (β = 0 must not read C, α = 0 must only scale)', () => {
    const rng = new Rng(7);
    for (const alpha of [0, 1, -2]) {
      for (const beta of [0, 1, -2]) {
        const r = compare(gemmWasm, false, false, 9, 21, 13, alpha, beta, rng);
        expect(r.rel, `α=${alpha} β=${beta}`).to.be.below(2e-6);
        expect(r.untouched).to.equal(true);
      }
    }
  });

  it('packs B whose row stride is a multiple of 4 KiB (1024 floats), and reads it in place otherwise', () => {
    const rng = new Rng(11);
    // ldb = 1024: the packed branch; ldb = 1025: in place with a ragged last panel (N % 8 = 5)
    for (const ldb of [1024, 1025, 2048]) {
      const r = compare(gemmWasm, false, false, 12, 1021, 40, 1, 0.5, rng, [40, ldb, 1030]);
      expect(r.rel, `ldb=${ldb}`).to.be.below(2e-6);
      expect(r.untouched).to.equal(true);
    }
  });

  it('β = 0 overwrites NaN in C, as BLAS does', () => {
    const A = new Float32Array([1, 2, 3, 4]);
    const B = new Float32Array([5, 6, 7, 8]);
    const C = new Float32Array([NaN, NaN, NaN, NaN]);
    gemmWasm(false, false, 2, 2, 2, 1, A, 0, 2, B, 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([19, 22, 43, 50]);
  });

  it('the picker hands GEMM users the wasm kernel by default and plain-JS gemm for impl "js"; both agree', () => {
    const rng = new Rng(3);
    expect(engineGemm(pickEngine('linear', undefined))).to.equal(gemmWasm);
    expect(engineGemm(pickEngine('linear', 'js'))).to.equal(gemm);
    const byWasm = compare(engineGemm(pickEngine('linear', undefined)), true, false, 37, 45, 29, 1.5, 1, rng);
    const byJs = compare(engineGemm(pickEngine('linear', 'js')), true, false, 37, 45, 29, 1.5, 1, rng);
    expect(byWasm.rel).to.be.below(2e-6);
    expect(byJs.rel).to.be.below(2e-6);
    // the wasm arena grew to hold the operands: proof the wasm path ran
    expect(wasmKernels()!.memoryBytes).to.be.above(0);
  });

  it('reuses its memory: repeated calls of one size do not grow it', () => {
    const rng = new Rng(5);
    compare(gemmWasm, false, true, 64, 300, 200, 1, 0, rng);
    const bytes = wasmKernels()!.memoryBytes;
    for (let i = 0; i < 3; i++) compare(gemmWasm, false, true, 64, 300, 200, 1, 0, rng);
    expect(wasmKernels()!.memoryBytes).to.equal(bytes);
  });

  it('a big GEMM split between 2 threads (by columns or by rows) gives the bits of 1 thread, windows untouched', async () => {
    const prev = setWasmThreads(2);
    const prevTakeover = setWasmTakeover(false); // the main thread waits for the worker to claim a part first
    try {
      expect(await wasmThreadsReady()).to.equal(2);
      const before = wasmWorkerJobs();
      setWasmThreads(2);
      for (const [transA, transB, M, N, K] of [[false, true, 32, 120, 400], [false, false, 32, 400, 120], [true, false, 120, 400, 32], [false, false, 300, 40, 200], [true, true, 203, 37, 150]] as const) {
        const rng = new Rng(M + N + K);
        const [lda, ldb, ldc] = [(transA ? M : K) + 3, (transB ? K : N) + 1, N + 2];
        const A = randArray((transA ? K : M) * lda, rng);
        const B = randArray((transB ? N : K) * ldb, rng);
        const C0 = randArray(M * ldc + 4, rng);
        const run = async (threads: number) => {
          setWasmThreads(threads);
          expect(await wasmThreadsReady()).to.equal(threads);
          const C = Float32Array.from(C0);
          gemmWasm(transA, transB, M, N, K, 0.7, A, 0, lda, B, 0, ldb, 0.3, C, 0, ldc);
          return C;
        };
        const one = await run(1);
        const two = await run(2);
        expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer)), `${M}×${N}×${K} ${transA} ${transB}: the split's bits`).to.equal(true);
        expect(compare(gemmWasm, transA, transB, M, N, K, 0.7, 0.3, new Rng(1)).rel).to.be.below(1e-5);
      }
      expect(wasmWorkerJobs(), 'the worker ran parts').to.be.greaterThan(before);
    } finally {
      setWasmThreads(prev);
      setWasmTakeover(prevTakeover);
    }
  });
});
