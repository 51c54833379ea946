/**
 * General matrix multiply in plain JavaScript: C ← α·op(A)·op(B) + β·C.
 *
 * Row-major, BLAS-style arguments: op(A) is M×K (A stored K×M when `transA`), op(B) is K×N
 * (B stored N×K when `transB`), C is M×N; `lda/ldb/ldc` are row strides, `aOff/bOff/cOff`
 * offsets into the Float32Arrays, so a GEMM can work on one image or one group of a tensor.
 *
 * Why it is fast (Goto/BLIS structure, scaled to what V8 can do):
 * - cache blocking: K is cut into KC-deep slices and M into MC-row blocks, so a packed block of
 *   A (MC×KC floats, 64 KB) stays in L2 while a 4-column panel of B (KC×4, 4 KB) sits in L1;
 * - packing: each block is copied into a contiguous buffer laid out in the order the
 *   micro-kernel reads it, which also makes the transpose flags free;
 * - register blocking: the micro-kernel keeps a 4×4 tile of C in 16 local variables and
 *   does 16 multiply-adds per 8 loads (the naive inner loop does 1 per 2 loads);
 * - the pack buffers are module-level and only grow: first writes to fresh memory cost
 *   ~11 µs per 4 KB page on these machines (docs/measured.md, Memory), so we never allocate per call.
 * Sums are kept in float64 locals and rounded to float32 once per KC slice.
 *
 * This file is plain JavaScript only: the WebAssembly SIMD kernel with the same call is
 * `gemmWasm` (src/ops/wasm/gemm.ts), and an op gets the one its engine runs from the picker
 * (`engineGemm` in src/ops/engine.ts).
 */
import { opError } from '../tensor/errors';

/**
 * The signature every GEMM here shares (`gemm`, `gemmNaive`, `gemmWasm`):
 * C ← α·op(A)·op(B) + β·C with op(A) M×K, op(B) K×N, C M×N, row-major, BLAS-style offsets and
 * leading dimensions (row strides).
 */
export type Gemm = (
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
) => void;

const MR = 4;
const NR = 4;
const MC = 64;
const KC = 256;
const NC = 1024;

const packA = new Float32Array(MC * KC);
const packB = new Float32Array(KC * NC);

/**
 * Validate one GEMM call (errors start with `op`): non-negative integer sizes and offsets, leading
 * dimensions at least the stored rows' widths, and every array long enough for its window.
 */
export function checkGemmArgs(
  op: string, transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
): void {
  for (const [name, v] of [['M', M], ['N', N], ['K', K], ['aOff', aOff], ['bOff', bOff], ['cOff', cOff]] as const) {
    if (!Number.isInteger(v) || v < 0) throw opError(op, `${name} must be a non-negative integer, got ${v}`);
  }
  const aCols = transA ? M : K;
  const bCols = transB ? K : N;
  if (lda < Math.max(1, aCols)) throw opError(op, `lda ${lda} is smaller than the ${transA ? 'M' : 'K'} = ${aCols} columns of A`);
  if (ldb < Math.max(1, bCols)) throw opError(op, `ldb ${ldb} is smaller than the ${transB ? 'K' : 'N'} = ${bCols} columns of B`);
  if (ldc < Math.max(1, N)) throw opError(op, `ldc ${ldc} is smaller than the N = ${N} columns of C`);
  const need = (rows: number, cols: number, off: number, ld: number) => (rows === 0 || cols === 0 ? 0 : off + (rows - 1) * ld + cols);
  const aNeed = transA ? need(K, M, aOff, lda) : need(M, K, aOff, lda);
  const bNeed = transB ? need(N, K, bOff, ldb) : need(K, N, bOff, ldb);
  const cNeed = need(M, N, cOff, ldc);
  if (M > 0 && K > 0 && aNeed > A.length) throw opError(op, `A (length ${A.length}) is too short for ${transA ? `${K}×${M}ᵀ` : `${M}×${K}`} at offset ${aOff}, lda ${lda}`);
  if (K > 0 && N > 0 && bNeed > B.length) throw opError(op, `B (length ${B.length}) is too short for ${transB ? `${N}×${K}ᵀ` : `${K}×${N}`} at offset ${bOff}, ldb ${ldb}`);
  if (cNeed > C.length) throw opError(op, `C (length ${C.length}) is too short for ${M}×${N} at offset ${cOff}, ldc ${ldc}`);
}

/** C ← β·C (β = 0 overwrites, so NaN/garbage in C does not survive, as in BLAS). */
function scaleC(M: number, N: number, beta: number, C: Float32Array, cOff: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else for (let j = 0; j < N; j++) C[row + j] *= beta;
  }
}

/**
 * Copy op(A)[ic:ic+mc, pc:pc+kc] into MR-row panels: packA[panel·MR·kc + k·MR + r].
 * Reads follow memory order: along a row of A when it is not transposed, and MR neighbours of
 * one stored row at a time when it is (a strided walk down a column would touch a new cache
 * line per element).
 */
function packBlockA(transA: boolean, A: Float32Array, aOff: number, lda: number, ic: number, pc: number, mc: number, kc: number): void {
  const panels = Math.ceil(mc / MR);
  for (let p = 0; p < panels; p++) {
    const base = p * MR * kc;
    const rows = Math.min(MR, mc - p * MR);
    if (transA) {
      // op(A)[i, k] = A[k, i]: the panel's MR rows are MR adjacent entries of stored row k.
      let src = aOff + pc * lda + ic + p * MR;
      for (let k = 0; k < kc; k++, src += lda) {
        const d = base + k * MR;
        for (let r = 0; r < MR; r++) packA[d + r] = r < rows ? A[src + r] : 0;
      }
    } else {
      for (let r = 0; r < MR; r++) {
        if (r >= rows) {
          for (let k = 0; k < kc; k++) packA[base + k * MR + r] = 0; // zero rows pad the edge panel
          continue;
        }
        const src = aOff + (ic + p * MR + r) * lda + pc;
        for (let k = 0; k < kc; k++) packA[base + k * MR + r] = A[src + k];
      }
    }
  }
}

/**
 * Copy op(B)[pc:pc+kc, jc:jc+nc] into NR-column panels: packB[panel·NR·kc + k·NR + c],
 * again reading in memory order (NR neighbours of row k, or along stored row j when transposed).
 */
function packBlockB(transB: boolean, B: Float32Array, bOff: number, ldb: number, pc: number, jc: number, kc: number, nc: number): void {
  const panels = Math.ceil(nc / NR);
  for (let p = 0; p < panels; p++) {
    const base = p * NR * kc;
    const cols = Math.min(NR, nc - p * NR);
    if (!transB) {
      let src = bOff + pc * ldb + jc + p * NR;
      if (cols === NR) {
        for (let k = 0; k < kc; k++, src += ldb) {
          const d = base + k * NR;
          packB[d] = B[src];
          packB[d + 1] = B[src + 1];
          packB[d + 2] = B[src + 2];
          packB[d + 3] = B[src + 3];
        }
      } else {
        for (let k = 0; k < kc; k++, src += ldb) {
          const d = base + k * NR;
          for (let c = 0; c < NR; c++) packB[d + c] = c < cols ? B[src + c] : 0; // zero columns pad the edge
        }
      }
    } else {
      for (let c = 0; c < NR; c++) {
        if (c >= cols) {
          for (let k = 0; k < kc; k++) packB[base + k * NR + c] = 0;
          continue;
        }
        const src = bOff + (jc + p * NR + c) * ldb + pc;
        for (let k = 0; k < kc; k++) packB[base + k * NR + c] = B[src + k];
      }
    }
  }
}

/** C[c … c + nr − 1] += α·(v0, v1, v2, v3) for the first nr (1–4) values. */
function storeRow(C: Float32Array, c: number, nr: number, alpha: number, v0: number, v1: number, v2: number, v3: number): void {
  C[c] += alpha * v0;
  if (nr > 1) C[c + 1] += alpha * v1;
  if (nr > 2) C[c + 2] += alpha * v2;
  if (nr > 3) C[c + 3] += alpha * v3;
}

/**
 * The 4×4 micro-kernel over every (row panel, column panel) pair of the packed blocks:
 * C[ic+ir.., jc+jr..] += α · Σ_k packA[.., k, r] · packB[.., k, c].
 */
function macroKernel(mc: number, nc: number, kc: number, alpha: number, C: Float32Array, cOff: number, ldc: number): void {
  const pa = packA;
  const pb = packB;
  for (let jr = 0; jr < nc; jr += NR) {
    const bBase = (jr / NR) * NR * kc;
    const nr = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = Math.min(MR, mc - ir);
      let a = (ir / MR) * MR * kc;
      let b = bBase;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < kc; k++) {
        const a0 = pa[a], a1 = pa[a + 1], a2 = pa[a + 2], a3 = pa[a + 3];
        const b0 = pb[b], b1 = pb[b + 1], b2 = pb[b + 2], b3 = pb[b + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        a += MR;
        b += NR;
      }
      const c = cOff + ir * ldc + jr;
      if (mr === MR && nr === NR) {
        C[c] += alpha * c00; C[c + 1] += alpha * c01; C[c + 2] += alpha * c02; C[c + 3] += alpha * c03;
        const c1 = c + ldc;
        C[c1] += alpha * c10; C[c1 + 1] += alpha * c11; C[c1 + 2] += alpha * c12; C[c1 + 3] += alpha * c13;
        const c2 = c1 + ldc;
        C[c2] += alpha * c20; C[c2 + 1] += alpha * c21; C[c2 + 2] += alpha * c22; C[c2 + 3] += alpha * c23;
        const c3 = c2 + ldc;
        C[c3] += alpha * c30; C[c3 + 1] += alpha * c31; C[c3 + 2] += alpha * c32; C[c3 + 3] += alpha * c33;
      } else {
        // Edge tile: the padded rows/columns of the packs computed zeros; store only what exists
        // (row by row, without building an array: edge tiles are common for small layers).
        storeRow(C, c, nr, alpha, c00, c01, c02, c03);
        if (mr > 1) storeRow(C, c + ldc, nr, alpha, c10, c11, c12, c13);
        if (mr > 2) storeRow(C, c + 2 * ldc, nr, alpha, c20, c21, c22, c23);
        if (mr > 3) storeRow(C, c + 3 * ldc, nr, alpha, c30, c31, c32, c33);
      }
    }
  }
}

/**
 * C ← α·op(A)·op(B) + β·C in plain JavaScript, blocked and register-blocked (see the file
 * comment). Shapes: op(A) M×K, op(B) K×N, C M×N, all row-major inside their Float32Arrays;
 * β = 0 overwrites C (NaN in C does not survive), as in BLAS.
 *
 * @example
 * const C = new Float32Array(4); // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
 * gemm(false, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 0, 2, Float32Array.of(5, 6, 7, 8), 0, 2, 0, C, 0, 2);
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  checkGemmArgs('gemm', transA, transB, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  scaleC(M, N, beta, C, cOff, ldc);
  if (M === 0 || N === 0 || K === 0 || alpha === 0) return;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packBlockB(transB, B, bOff, ldb, pc, jc, kc, nc);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packBlockA(transA, A, aOff, lda, ic, pc, mc, kc);
        macroKernel(mc, nc, kc, alpha, C, cOff + ic * ldc + jc, ldc);
      }
    }
  }
}

/**
 * The textbook triple loop with the same arguments as `gemm`, for tests and for reading:
 * C[i,j] = α · Σ_k op(A)[i,k] · op(B)[k,j] + β · C[i,j].
 */
export function gemmNaive(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  checkGemmArgs('gemmNaive', transA, transB, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
        const b = transB ? B[bOff + j * ldb + k] : B[bOff + k * ldb + j];
        s += a * b;
      }
      const c = cOff + i * ldc + j;
      C[c] = alpha * s + (beta === 0 ? 0 : beta * C[c]);
    }
  }
}
