// @ts-nocheck
// AssemblyScript (i32, f32x4, load<T>, …), compiled by asc, not by tsc.
/**
 * Float32 GEMM in AssemblyScript with 128-bit SIMD (f32x4), compiled to WebAssembly by
 * `node src/ops/wasm/build.js`. Same contract as src/ops/gemm.ts, on byte addresses in this
 * module's memory: C ← α·op(A)·op(B) + β·C, row-major, lda/ldb/ldc in floats.
 *
 * Structure (Goto/BLIS, like the plain-JS gemm, with wider registers):
 * - K is cut into KC-deep slices and M into MC-row blocks; a block of A is packed into MR = 4
 *   row panels (pa[k·4 + r]) that stay in L2 while one B panel (KC × 8) sits in L1;
 * - the micro-kernel keeps a 4×8 tile of C in 8 f32x4 accumulators. V8 gives wasm 15 xmm
 *   registers: 8 accumulators + 2 B vectors + 1 broadcast A fit; 12+ accumulators spill and
 *   run at half speed (measured), so the tile stays 4×8;
 * - B is packed into NR = 8 column panels (pb[(panel·kc + k)·8 + c]), except for short A
 *   (M ≤ 16), where it is read in place when not transposed (see `gemm`);
 * - plain f32x4.mul + f32x4.add: measured as fast as relaxed-SIMD FMA here, and portable.
 */

const MR: i32 = 4;
const NR: i32 = 8;
export const MC: i32 = 128;
export const KC: i32 = 256;

/**
 * Bytes of scratch `gemm` needs at `work` for N columns and depth K: the packed A block, one
 * packed B slice (N × min(K, KC)) and an edge tile.
 */
export function workBytes(N: i32, K: i32): i32 {
  const nPanels = (N + NR - 1) / NR;
  const kc = max(1, min(K, KC));
  return (MC * kc + nPanels * NR * kc + MR * NR) * 4;
}

/** First free byte after the static data: the JS glue lays its buffers out from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** C ← β·C over the M×N window (β = 0 writes zeros, so NaN in C does not survive). */
function scaleC(M: i32, N: i32, beta: f32, c: usize, ldc: i32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < M; i++) {
    const row = c + <usize>(i * ldc) * 4;
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= N; j += 4) v128.store(row + <usize>j * 4, f32x4.splat(0));
      for (; j < N; j++) store<f32>(row + <usize>j * 4, 0);
    } else {
      for (; j + 4 <= N; j += 4) v128.store(row + <usize>j * 4, f32x4.mul(v128.load(row + <usize>j * 4), vb));
      for (; j < N; j++) store<f32>(row + <usize>j * 4, load<f32>(row + <usize>j * 4) * beta);
    }
  }
}

/** Pack op(A)[ic:ic+mc, pc:pc+kc] into 4-row panels: pa[(panel·kc + k)·4 + r], zero rows past mc. */
function packA(transA: bool, a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, pa: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const base = pa + <usize>(p * kc) * 4;
    const rows = min(MR, mc - p);
    if (transA) {
      // A stored K×M: the 4 values for one k are adjacent.
      const src = a + (<usize>(pc * lda) + <usize>(ic + p)) * 4;
      if (rows == MR) {
        for (let k = 0; k < kc; k++) v128.store(base + <usize>k * 16, v128.load(src + <usize>(k * lda) * 4));
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(base + <usize>(k * 4 + r) * 4, r < rows ? load<f32>(src + <usize>(k * lda + r) * 4) : 0);
          }
        }
      }
    } else {
      // A stored M×K: 4 rows read side by side, 4 k at a time, transposed in registers.
      const r0 = a + (<usize>((ic + p) * lda) + <usize>pc) * 4;
      if (rows == MR) {
        const ld = <usize>lda * 4;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const x0 = v128.load(r0 + <usize>k * 4);
          const x1 = v128.load(r0 + ld + <usize>k * 4);
          const x2 = v128.load(r0 + 2 * ld + <usize>k * 4);
          const x3 = v128.load(r0 + 3 * ld + <usize>k * 4);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5); // a0 b0 a1 b1
          const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5); // c0 d0 c1 d1
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7); // a2 b2 a3 b3
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7); // c2 d2 c3 d3
          const d = base + <usize>k * 16;
          v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
          v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
          v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        }
        for (; k < kc; k++) {
          for (let r = 0; r < MR; r++) store<f32>(base + <usize>(k * 4 + r) * 4, load<f32>(r0 + <usize>r * ld + <usize>k * 4));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(base + <usize>(k * 4 + r) * 4, r < rows ? load<f32>(r0 + <usize>(r * lda + k) * 4) : 0);
          }
        }
      }
    }
  }
}

/** Pack op(B)[pc:pc+kc, jc:jc+nc] into 8-column panels: pb[(panel·kc + k)·8 + c], zero columns past nc. */
function packB(transB: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  for (let p = 0; p < nc; p += NR) {
    const base = pb + <usize>(p * kc) * 4;
    const cols = min(NR, nc - p);
    if (!transB) {
      const src = b + (<usize>(pc * ldb) + <usize>(jc + p)) * 4;
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          const s = src + <usize>(k * ldb) * 4;
          const d = base + <usize>k * 32;
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) {
            store<f32>(base + <usize>(k * 8 + c) * 4, c < cols ? load<f32>(src + <usize>(k * ldb + c) * 4) : 0);
          }
        }
      }
    } else if (cols == NR) {
      // B stored N×K: column c of op(B) is row jc+p+c of B, contiguous in k. Read 4 rows × 4 k
      // at a time and transpose in registers, as packA does (dW = dY·colsᵀ packs this way).
      for (let h = 0; h < NR; h += 4) {
        const r0 = b + (<usize>((jc + p + h) * ldb) + <usize>pc) * 4;
        const ld = <usize>ldb * 4;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const x0 = v128.load(r0 + <usize>k * 4);
          const x1 = v128.load(r0 + ld + <usize>k * 4);
          const x2 = v128.load(r0 + 2 * ld + <usize>k * 4);
          const x3 = v128.load(r0 + 3 * ld + <usize>k * 4);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const d = base + (<usize>k * 8 + <usize>h) * 4;
          v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
          v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
          v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
        }
        for (; k < kc; k++) {
          for (let c = 0; c < 4; c++) store<f32>(base + <usize>(k * 8 + h + c) * 4, load<f32>(r0 + <usize>c * ld + <usize>k * 4));
        }
      }
    } else {
      // ragged last panel of transposed B: column by column, zeros past nc
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const src = b + (<usize>((jc + p + c) * ldb) + <usize>pc) * 4;
          for (let k = 0; k < kc; k++) store<f32>(base + <usize>(k * 8 + c) * 4, load<f32>(src + <usize>k * 4));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(base + <usize>(k * 8 + c) * 4, 0);
        }
      }
    }
  }
}

/**
 * The 4×8 micro-kernel: acc[r][c] = Σ_k pa[k·4 + r] · B[k][c], then C[r][c] += α·acc[r][c].
 * `bStep` is the byte distance between rows k of the B panel (32 when packed, 4·ldb in place).
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, bStep: usize, c: usize, ldcBytes: usize, alpha: v128): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += bStep;
  }
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(alpha, c00)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(alpha, c01)), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(alpha, c10)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(alpha, c11)), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(alpha, c20)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(alpha, c21)), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(alpha, c30)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(alpha, c31)), 16);
}

/**
 * One MC×KC block of packed A against the kc×nc slice of B: every (8-column panel, 4-row
 * panel) pair. Full tiles go straight into C; ragged edge tiles go through a zeroed 4×8
 * scratch tile and only the existing entries are added to C.
 */
function macroKernel(mc: i32, nc: i32, kc: i32, alpha: f32, pa: usize, bPanel: usize, bPanelBytes: usize, bStep: usize,
  lastPacked: usize, c: usize, ldc: i32, tile: usize): void {
  const va = f32x4.splat(alpha);
  const ldcBytes = <usize>ldc * 4;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    // the ragged last panel of in-place B was packed separately (reading 8 columns would overrun)
    const ragged = nr < NR && lastPacked != 0;
    const pb = ragged ? lastPacked : bPanel + <usize>(jr / NR) * bPanelBytes;
    const step = ragged ? <usize>32 : bStep;
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const a = pa + <usize>(ir * kc) * 4;
      const cc = c + (<usize>(ir * ldc) + <usize>jr) * 4;
      const full = mr == MR && nr == NR;
      if (!full) memory.fill(tile, 0, MR * NR * 4);
      // one call site, so binaryen inlines the kernel
      kernel4x8(kc, a, pb, step, full ? cc : tile, full ? ldcBytes : NR * 4, va);
      if (!full) {
        for (let r = 0; r < mr; r++) {
          for (let q = 0; q < nr; q++) {
            const d = cc + (<usize>(r * ldc) + <usize>q) * 4;
            store<f32>(d, load<f32>(d) + load<f32>(tile + <usize>(r * NR + q) * 4));
          }
        }
      }
    }
  }
}

/**
 * C ← α·op(A)·op(B) + β·C on addresses in this memory (the JS glue checked every bound).
 * `work` points at workBytes(N, K) bytes of scratch, 16-byte aligned.
 */
export function gemm(transA: bool, transB: bool, M: i32, N: i32, K: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  scaleC(M, N, beta, c, ldc);
  if (M == 0 || N == 0 || K == 0 || alpha == 0) return;
  const kcMax = min(K, KC); // the layout workBytes(N, K) reserved
  const pa = work;
  const pb = pa + <usize>(MC * kcMax) * 4;
  const tile = pb + <usize>(((N + NR - 1) / NR) * NR * kcMax) * 4;
  // Read B in place only for short A (M ≤ 16, e.g. LeNet's 6 and 16 output channels): each B
  // panel is then used ≤ 4 times, so packing it would cost about as much as the multiply. For
  // taller A the packed panel (contiguous, 8 KB) stays in L1, while rows of B 2304 B (576
  // floats) or 2 KiB apart map onto 16 or 2 of L1's 64 sets and evict each other. A row stride
  // that is a multiple of 4 KiB is always packed: every row would land in the same set.
  const inPlace = !transB && M <= 16 && (ldb & 1023) != 0;
  const fullN = inPlace ? N - N % NR : N;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    let bPanel: usize, bPanelBytes: usize, bStep: usize, lastPacked: usize = 0;
    if (inPlace) {
      bPanel = b + <usize>(pc * ldb) * 4;
      bPanelBytes = NR * 4; // next panel: 8 columns to the right
      bStep = <usize>ldb * 4;
      if (fullN < N) {
        packB(false, b, ldb, pc, fullN, kc, N - fullN, pb);
        lastPacked = pb;
      }
    } else {
      packB(transB, b, ldb, pc, 0, kc, N, pb);
      bPanel = pb;
      bPanelBytes = <usize>(kc * NR) * 4;
      bStep = NR * 4;
    }
    for (let ic = 0; ic < M; ic += MC) {
      const mc = min(MC, M - ic);
      packA(transA, a, lda, ic, pc, mc, kc, pa);
      macroKernel(mc, N, kc, alpha, pa, bPanel, bPanelBytes, bStep, lastPacked, c + <usize>(ic * ldc) * 4, ldc, tile);
    }
  }
}

/**
 * One part of a GEMM split between threads (src/ops/wasm/gemm.ts): columns [n0, n1) of C when
 * `byCols`, else rows [n0, n1), computed by `gemm` on that window. Each entry of C is summed in
 * the same order whatever the window (k in order within KC slices, slices in order), so the bits
 * do not depend on the split. The GEMM's arguments sit in 13 i32s at d: transA, transB, M, N,
 * K, α (f32 bits), a, lda, b, ldb, β (f32 bits), c, ldc.
 */
export function gemmPart(d: usize, n0: i32, n1: i32, byCols: i32, cols: usize, work: usize): void {
  const transA = load<i32>(d) != 0, transB = load<i32>(d, 4) != 0;
  const M = load<i32>(d, 8), N = load<i32>(d, 12), K = load<i32>(d, 16);
  const alpha = load<f32>(d, 20), beta = load<f32>(d, 40);
  const a = <usize>load<i32>(d, 24), lda = load<i32>(d, 28), b = <usize>load<i32>(d, 32), ldb = load<i32>(d, 36);
  const c = <usize>load<i32>(d, 44), ldc = load<i32>(d, 48);
  if (byCols) {
    const bo = transB ? <usize>(n0 * ldb) * 4 : <usize>n0 * 4;
    gemm(transA, transB, M, n1 - n0, K, alpha, a, lda, b + bo, ldb, beta, c + <usize>n0 * 4, ldc, work);
  } else {
    const ao = transA ? <usize>n0 * 4 : <usize>(n0 * lda) * 4;
    gemm(transA, transB, n1 - n0, N, K, alpha, a + ao, lda, b, ldb, beta, c + <usize>(n0 * ldc) * 4, ldc, work);
  }
}
