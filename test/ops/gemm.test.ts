import { expect } from 'chai';
import { Rng } from '../../src/tensor';
import { gemm, gemmNaive } from '../../src/ops/gemm';

// The plain-JavaScript blocked GEMM (the WebAssembly SIMD kernel, gemmWasm, is tested in
// wasm-gemm.test.ts). gemm is plain JS whatever the engine settings: no dispatch inside.

function randArray(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/**
 * Run gemm and gemmNaive on the same data embedded in larger buffers (offsets and leading
 * dimensions wider than the matrices), and return the max difference inside C plus whether the
 * padding around C was left untouched.
 */
function compare(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, beta: number, rng: Rng) {
  const aRows = transA ? K : M;
  const aCols = transA ? M : K;
  const bRows = transB ? N : K;
  const bCols = transB ? K : N;
  const [lda, ldb, ldc] = [aCols + 3, bCols + 1, N + 2];
  const [aOff, bOff, cOff] = [5, 2, 7];
  const A = randArray(aOff + aRows * lda, rng);
  const B = randArray(bOff + bRows * ldb, rng);
  const C0 = randArray(cOff + M * ldc + 4, rng);
  const C1 = new Float32Array(C0);
  const C2 = new Float32Array(C0);
  gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C1, cOff, ldc);
  gemmNaive(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C2, cOff, ldc);
  let diff = 0;
  let scale = 1;
  let untouched = true;
  for (let i = 0; i < C0.length; i++) {
    const r = Math.floor((i - cOff) / ldc);
    const c = (i - cOff) % ldc;
    const inside = i >= cOff && r < M && c < N;
    if (inside) {
      diff = Math.max(diff, Math.abs(C1[i] - C2[i]));
      scale = Math.max(scale, Math.abs(C2[i]));
    } else if (C1[i] !== C0[i]) untouched = false;
  }
  return { diff, scale, untouched };
}

describe('gemm (plain JS): blocked GEMM agrees with the triple loop', () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1], [4, 4, 4], [5, 7, 3], [3, 5, 9], [17, 13, 11],
    // crossing the cache blocks: MC = 64 rows, KC = 256 deep, NC = 1024 columns
    [67, 1030, 9], [70, 9, 260], [65, 1027, 300],
  ];
  for (const [M, N, K] of sizes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`, () => {
          const rng = new Rng(M * 1000 + N * 10 + K);
          for (const [alpha, beta] of [[1, 0], [1, 1], [-0.5, 2]]) {
            const { diff, scale, untouched } = compare(transA, transB, M, N, K, alpha, beta, rng);
            expect(diff, `α=${alpha} β=${beta}`).to.be.below(2e-6 * scale * Math.sqrt(K));
            expect(untouched, 'writes outside C').to.equal(true);
          }
        });
      }
    }
  }

  it('computes a small product exactly: [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]', () => {
    const C = new Float32Array(4);
    gemm(false, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 0, 2, Float32Array.of(5, 6, 7, 8), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([19, 22, 43, 50]);
    // Aᵀ·B with A = [[1,2],[3,4]] stored: Aᵀ = [[1,3],[2,4]] → [[26,30],[38,44]]
    gemm(true, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 0, 2, Float32Array.of(5, 6, 7, 8), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([26, 30, 38, 44]);
  });

  it('β = 0 overwrites C (NaN in C does not survive), α = 0 only scales C', () => {
    const C = new Float32Array(4).fill(NaN);
    gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 0, 1, Float32Array.of(3, 4), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([3, 4, 6, 8]);
    gemm(false, false, 2, 2, 1, 0, Float32Array.of(1, 2), 0, 1, Float32Array.of(3, 4), 0, 2, 0.5, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([1.5, 2, 3, 4]);
  });

  it('K = 0 leaves β·C', () => {
    const C = Float32Array.of(1, 2);
    gemm(false, false, 1, 2, 0, 1, new Float32Array(0), 0, 1, new Float32Array(0), 0, 2, 3, C, 0, 2);
    expect(Array.from(C)).to.deep.equal([3, 6]);
  });

  it('rejects buffers too short and leading dimensions too small, naming the sizes', () => {
    const a = new Float32Array(6);
    const c = new Float32Array(4);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 3, new Float32Array(5), 0, 2, 0, c, 0, 2)).to.throw(/^gemm: B \(length 5\) is too short for 3×2 at offset 0, ldb 2/);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 2, new Float32Array(6), 0, 2, 0, c, 0, 2)).to.throw(/^gemm: lda 2 is smaller than the K = 3 columns of A/);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 1, 3, new Float32Array(6), 0, 2, 0, c, 0, 2)).to.throw(/^gemm: A \(length 6\) is too short for 2×3 at offset 1/);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 3, new Float32Array(6), 0, 2, 0, c, 1, 2)).to.throw(/^gemm: C \(length 4\) is too short for 2×2 at offset 1/);
    expect(() => gemmNaive(false, false, -1, 2, 3, 1, a, 0, 3, a, 0, 2, 0, c, 0, 2)).to.throw(/^gemmNaive: M must be a non-negative integer, got -1/);
  });
});
