/**
 * conv2d's fast path with every operand in wasm memory: the im2col + GEMM plan of
 * src/ops/conv-plan.ts, shared with the plain-JS engine (Y = W·cols, dX = col2im(Wᵀ·dY), dW = Σ_n dY·colsᵀ), with the per-image
 * loops themselves in wasm (asm/conv.ts) and the batch split across threads (threads.ts).
 * x, w, dy are copied in and the result out once per call (~30 GB/s here: 0.2 ms for 6.4 MB);
 * each thread gets its own cols and pack scratch, each chunk of the batch its own dW partial
 * (summed in chunk order at the end, so the bits do not depend on who ran which chunk).
 * Sizes come validated from conv-plan.ts (`Conv2dParams`).
 */
import { type Conv2dParams, isPointwise, rowsPerBand } from '../conv-plan';
import { WasmArena, wasmKernels } from './runtime';
import { checkWinograd, directPasses, type WinogradTile } from './conv-choice';
import { channelBounds, channelParts, chunkBounds, chunksFor, runChunks, threadsFor, type PreStep } from './threads';

interface Plan {
  m: WasmArena;
  /** Address of the size descriptor (asm/conv.ts lists its DESC_INTS fields). */
  desc: number;
  K: number;
  L: number;
  /** Floats of one thread's cols block, and the columns (= output positions) of one band. */
  colsFloats: number;
  gemmN: number;
  /** Threads taking part (≤ chunks). */
  threads: number;
  /** Fixed chunks of the batch (chunksFor): dW keeps one partial per chunk, summed in order. */
  chunks: number;
}

/** The loaded kernels with a fresh arena (the callers check fastPathInfo() first). */
function kernels(): WasmArena {
  const m = wasmKernels();
  if (!m) throw new Error('conv2d (wasm): the WebAssembly kernels are not loaded (see fastPathInfo())');
  m.reset();
  return m;
}

/**
 * The kernels one call runs, each a descriptor field of asm/conv.ts: the forward (or the
 * transposed conv's forward, for dX) as a direct convolution (18) or by Winograd F(2×2, 3×3) or
 * F(4×4, 3×3) (20: the tile side, 2 or 4), dW as a direct convolution (19) or by Winograd
 * F(3×3, 2×2) (21), ReLU fused into the forward (22). Unset: im2col + GEMM, no ReLU.
 */
interface Kernels {
  /** Max-pool the forward's output 2×2 with stride 2 (fields 23, 24: the addresses `forwardInWasm` allocates). */
  pool?: boolean;
  direct?: boolean;
  winograd?: WinogradTile;
  directDw?: boolean;
  winoDw?: boolean;
  relu?: boolean;
}

/**
 * The plan of one call; `arena` continues an arena already laid out by this call (else a fresh
 * one).
 */
function plan(p: Conv2dParams, use: Kernels = {}, arena?: WasmArena): Plan {
  const m = arena ?? kernels();
  const K = p.CinG * p.KH * p.KW;
  const L = p.Ho * p.Wo;
  const { pad } = p;
  // The band plan of the JS engine (one workspace cap for both: setConv2dWorkspaceLimit).
  const pointwise = isPointwise(p);
  const band = rowsPerBand(K, p.Ho, p.Wo);
  const desc = m.alloc(DESC_INTS * 4);
  const fields = [p.N, p.Cin, p.H, p.W, p.Cout, p.KH, p.KW, p.stride[0], p.stride[1], p.dilation[0], p.dilation[1], pad.top, pad.left, p.Ho, p.Wo, p.groups, band, pointwise ? 1 : 0,
    use.direct ? 1 : 0, use.directDw ? 1 : 0, use.winograd ?? 0, use.winoDw ? 1 : 0, use.relu ? 1 : 0, 0, 0];
  new Int32Array(m.memory.buffer, desc, DESC_INTS).set(fields);
  // the direct and Winograd kernels use the cols slot for their padded image, tiles and transforms
  const colsFloats = Math.max(pointwise || use.winograd || use.direct ? 0 : K * band * p.Wo, use.direct || use.directDw ? Math.ceil(m.k.directBytes(desc) / 4) : 0,
    use.winograd ? Math.ceil((use.winograd === 4 ? m.k.winograd43Bytes(desc) : m.k.winogradBytes(desc)) / 4) : 0, use.winoDw ? Math.ceil(m.k.winogradDwBytes(desc) / 4) : 0);
  const flops = 2 * p.N * p.Cout * L * K;
  const chunks = chunksFor(p.N, flops);
  return { m, desc, K, L, colsFloats, gemmN: pointwise ? L : band * p.Wo, threads: Math.min(threadsFor(p.N, flops), chunks), chunks };
}

/** Descriptor ints (asm/conv.ts DESC_INTS). */
const DESC_INTS = 25;

/**
 * Per-thread cols and GEMM pack scratch, as [cols, work] pairs (`work` is the largest pack
 * scratch among the (N columns, depth K) GEMMs the op runs); and, for a reduction of `partial`
 * floats, one partial sum per chunk ≥ 1 (chunk 0 sums straight into the result); `threads`
 * slots (default: the plan's).
 */
function scratch(pl: Plan, gemms: [number, number][], partial = 0, threads = pl.threads): { slots: [number, number][]; parts: number[] } {
  const workBytes = Math.max(...gemms.map(([n, k]) => pl.m.k.workBytes(n, k)));
  const slots: [number, number][] = [];
  for (let t = 0; t < threads; t++) slots.push([pl.m.alloc(pl.colsFloats * 4), pl.m.alloc(workBytes)]);
  const parts = [];
  for (let c = 1; c < pl.chunks && partial > 0; c++) parts.push(pl.m.alloc(partial * 4));
  return { slots, parts };
}

/**
 * dW's per-chunk sums, zeroed: chunk 0 sums into `pdw` itself, chunk c > 0 into its partial;
 * `sum()` then adds the partials into pdw in chunk order.
 */
function dwPartials(pl: Plan, pdw: number, parts: number[], wLen: number): { of: (c: number) => number; sum: () => void } {
  const of = (c: number) => (c === 0 ? pdw : parts[c - 1]);
  const f = pl.m.f32; // after the last alloc: a view made before a grow is too short
  for (let c = 0; c < pl.chunks; c++) f.fill(0, of(c) >> 2, (of(c) >> 2) + wLen);
  return { of, sum: () => { for (let c = 1; c < pl.chunks; c++) pl.m.k.addInto(pdw, of(c), wLen); } };
}

/**
 * A forward's chunks: each chunk of the batch times each part of the output channels
 * (`channelParts`: 2 for small batches, groups = 1 only), with arguments `[...head, n0, n1, co0,
 * co1]`, and the threads for that many pieces.
 */
function forwardChunks(pl: Plan, p: Conv2dParams, head: number[]): { threads: number; args: number[][] } {
  const parts = p.groups === 1 ? channelParts(p.N, p.Cout, 2 * p.N * p.Cout * pl.L * pl.K) : 1;
  const args: number[][] = [];
  for (let c = 0; c < pl.chunks; c++) {
    for (let s = 0; s < parts; s++) args.push([...head, ...chunkBounds(p.N, pl.chunks, c), ...channelBounds(p.Cout, parts, s)]);
  }
  return { threads: parts === 1 ? pl.threads : Math.min(threadsFor(args.length, 2 * p.N * p.Cout * pl.L * pl.K), args.length), args };
}

/** Each chunk's arguments: `f(chunk, n0, n1)`. */
function perChunk(pl: Plan, N: number, f: (c: number, n0: number, n1: number) => number[]): number[][] {
  return Array.from({ length: pl.chunks }, (_, c) => f(c, ...chunkBounds(N, pl.chunks, c)));
}

/**
 * The forward's weights as its kernel reads them, in the call's arena: Winograd's U = G g Gᵀ
 * (F(2×2, 3×3) or F(4×4, 3×3)), the direct kernel's packed wt (with the bias, or zeros), or w
 * itself for im2col + GEMM.
 * `flip`: for dX, d describes the transposed conv and the weights are turned by 180°.
 */
function forwardWeights(pl: Plan, use: Kernels, pw: number, pb: number, flip: 0 | 1): number {
  const { m, desc } = pl;
  if (use.winograd === 4) {
    const pu = m.alloc(m.k.winograd43FilterFloats(desc) * 4);
    m.k.winograd43Filter(desc, pw, pu, flip);
    return pu;
  }
  if (use.winograd) {
    const pu = m.alloc(m.k.winogradFilterFloats(desc) * 4);
    m.k.winogradFilter(desc, pw, pu, flip);
    return pu;
  }
  if (use.direct) {
    const pt = m.alloc(m.k.directPackedFloats(desc) * 4);
    m.k.directPack(desc, pw, pb, pt, flip);
    return pt;
  }
  return pw;
}

/** A forward's outputs in wasm memory: y, and with pooling the pooled planes and their argmax. */
interface ForwardOut {
  m: WasmArena;
  py: number;
  yLen: number;
  pooled: number;
  idx: number;
  poolLen: number;
}

function forwardInWasm(p: Conv2dParams, x: Float32Array, w: Float32Array, b: Float32Array | null, winograd: WinogradTile, relu: boolean, pool: boolean): ForwardOut {
  checkWinograd(p, winograd);
  const use: Kernels = { winograd, direct: !winograd && directPasses(p).forward, relu, pool };
  const pl = plan(p, use);
  const { m } = pl;
  const px = m.copyIn(x, 0, x.length);
  const pb = b ? m.copyIn(b, 0, b.length) : 0;
  const pw = forwardWeights(pl, use, m.copyIn(w, 0, w.length), pb, 0);
  const yLen = p.N * p.Cout * pl.L;
  const py = m.alloc(yLen * 4);
  const poolLen = pool ? p.N * p.Cout * (p.Ho >> 1) * (p.Wo >> 1) : 0;
  const pooled = pool ? m.alloc(poolLen * 4) : 0;
  const idx = pool ? m.alloc(poolLen * 4) : 0;
  if (pool) new Int32Array(m.memory.buffer, pl.desc, DESC_INTS).set([pooled, idx], 23);
  const job = forwardChunks(pl, p, [pl.desc, px, pw, pb, py]);
  const s = scratch(pl, winograd || use.direct ? [[1, 1]] : [[pl.gemmN, pl.K]], 0, job.threads); // Y_band = W (CoutG × K) · cols (K × band); Winograd and direct pack nothing
  runChunks('convForward', job.threads, job.args, s.slots);
  return { m, py, yLen, pooled, idx, poolLen };
}

/**
 * y [N, Cout, Ho, Wo] = conv2d(x, w) + b, and then max(0, ·) when `relu`; with `winograd` 2 or 4
 * (only where `winogradEligible`) by Winograd F(2×2, 3×3) or F(4×4, 3×3), else as a direct
 * convolution where `directPasses` says so, else im2col + GEMM. Weights are transformed or packed once here, the
 * images in the chunks.
 */
export function convForwardInWasm(p: Conv2dParams, x: Float32Array, w: Float32Array, b: Float32Array | null, winograd: WinogradTile = 0, relu = false): Float32Array {
  const o = forwardInWasm(p, x, w, b, winograd, relu, false);
  return o.m.copyOut(o.py, o.yLen);
}

/**
 * y = max(0, conv2d(x, w) + b) as convForwardInWasm, then y max-pooled 2×2 with stride 2 in the
 * same chunks (asm/conv.ts fields 23, 24): pooled [N, Cout, ⌊Ho/2⌋, ⌊Wo/2⌋] and the winners'
 * flat positions in their Ho × Wo planes (maxPool2dWithIndices's indices).
 */
export function convReluPoolInWasm(p: Conv2dParams, x: Float32Array, w: Float32Array, b: Float32Array | null, winograd: WinogradTile = 0, indicesOut?: Int32Array): { y: Float32Array; pooled: Float32Array; indices: Int32Array } {
  const o = forwardInWasm(p, x, w, b, winograd, true, true);
  const indices = indicesOut && indicesOut.length === o.poolLen ? indicesOut : new Int32Array(o.poolLen);
  indices.set(new Int32Array(o.m.memory.buffer, o.idx, o.poolLen));
  return { y: o.m.copyOut(o.py, o.yLen), pooled: o.m.copyOut(o.pooled, o.poolLen), indices };
}

/**
 * The convolution whose forward is dX of a stride-1, undilated, ungrouped conv: dY [N, Cout, Ho,
 * Wo] ⊛ w turned by 180° with in and out swapped, padded KH − 1 − pad on each side, so that
 *   dx[n, ci, i, j] = Σ_{co, p, q} dy[n, co, i − (2 − top) + p, j − (2 − left) + q] · w[co, ci, 2 − p, 2 − q]
 * (the file comment of src/ops/conv2d.ts with i·S − P + p = i' solved for i').
 */
function transposedParams(p: Conv2dParams): Conv2dParams {
  const { pad } = p;
  const k = p.KH - 1, l = p.KW - 1;
  return { ...p, Cin: p.Cout, CinG: p.Cout, Cout: p.Cin, CoutG: p.Cin, H: p.Ho, W: p.Wo, Ho: p.H, Wo: p.W,
    pad: { top: k - pad.top, bottom: k - pad.bottom, left: l - pad.left, right: l - pad.right } };
}

/**
 * dX into `pdx` as the forward of the transposed conv (`transposedParams`), by Winograd (tile 2
 * or 4) or as a direct convolution (0), in the arena of the caller's plan.
 */
function gradInputAsForward(m: WasmArena, p: Conv2dParams, pdy: number, pw: number, pdx: number, winograd: WinogradTile): void {
  const pt = transposedParams(p);
  const use: Kernels = { winograd, direct: !winograd };
  const pl = plan(pt, use, m);
  const pu = forwardWeights(pl, use, pw, 0, 1);
  const job = forwardChunks(pl, pt, [pl.desc, pdy, pu, 0, pdx]);
  const s = scratch(pl, [[1, 1]], 0, job.threads);
  runChunks('convForward', job.threads, job.args, s.slots);
}

/** How dX runs: Winograd (given), else direct where `directPasses` says so, else GEMM + col2im. */
function gradInputKind(p: Conv2dParams, winograd: WinogradTile): 'winograd' | 'direct' | 'gemm' {
  return winograd ? 'winograd' : directPasses(p).gradInput ? 'direct' : 'gemm';
}

/**
 * dx [N, Cin, H, W] = col2im(W_gᵀ · dY[n, g]) per image, group and band; with `winograd` 2 or 4
 * (only where `winogradEligible`) or where `directPasses` says so, the forward of the transposed
 * conv (`transposedParams`).
 */
export function convGradInputInWasm(p: Conv2dParams, dy: Float32Array, w: Float32Array, winograd: WinogradTile = 0): Float32Array {
  checkWinograd(p, winograd);
  const kind = gradInputKind(p, winograd);
  const pl = plan(p);
  const { m } = pl;
  const pdy = m.copyIn(dy, 0, dy.length);
  const pw = m.copyIn(w, 0, w.length);
  const xLen = p.N * p.Cin * p.H * p.W;
  const pdx = m.alloc(xLen * 4);
  if (kind !== 'gemm') {
    gradInputAsForward(m, p, pdy, pw, pdx, winograd);
  } else {
    const s = scratch(pl, [[pl.gemmN, p.CoutG]]); // dcols = Wᵀ (K × CoutG) · dY_band
    runChunks('convGradInput', pl.threads, perChunk(pl, p.N, (_, n0, n1) => [pl.desc, pdy, pw, pdx, n0, n1]), s.slots);
  }
  return m.copyOut(pdx, xLen);
}

/** The dW kernels of a call: Winograd F(3×3, 2×2) when asked, else direct where `directPasses` says so. */
function gradWeightKernels(p: Conv2dParams, winograd: boolean): Kernels {
  return { winoDw: winograd, directDw: !winograd && directPasses(p).gradWeight };
}

/**
 * dw [Cout, Cin/groups, KH, KW] = Σ_n dY[n, g] · cols(x[n, g])ᵀ, or with `winograd` (only where
 * `winogradEligible`) by Winograd F(3×3, 2×2), or as a direct convolution where `directPasses`
 * says so; chunk c > 0 sums into its own partial.
 */
export function convGradWeightInWasm(p: Conv2dParams, dy: Float32Array, x: Float32Array, winograd = false): Float32Array {
  checkWinograd(p, winograd);
  const use = gradWeightKernels(p, winograd);
  const pl = plan(p, use);
  const { m } = pl;
  const pdy = m.copyIn(dy, 0, dy.length);
  const px = m.copyIn(x, 0, x.length);
  const wLen = p.Cout * pl.K;
  const pdw = m.alloc(wLen * 4);
  const s = scratch(pl, use.winoDw || use.directDw ? [[1, 1]] : [[pl.K, pl.gemmN]], wLen); // dW += dY_band (CoutG × band) · colsᵀ
  const dw = dwPartials(pl, pdw, s.parts, wLen);
  runChunks('convGradWeight', pl.threads, perChunk(pl, p.N, (c, n0, n1) => [pl.desc, pdy, px, dw.of(c), n0, n1]), s.slots);
  dw.sum();
  return m.copyOut(pdw, wLen);
}

/**
 * The gradient at a conv's output, given at the output of ReLU → 2×2/2 max pooling after it (the
 * fused layers of src/layers/sequential.ts): the pooled gradient, the pooling's argmax and the
 * pooled values (whose sign is ReLU's mask at each winner).
 */
export interface PooledGradient {
  dp: Float32Array;
  indices: Int32Array;
  pooled: Float32Array;
}

/**
 * dy in wasm memory (`pdy`): copied in, or to be rebuilt from a pooled gradient (asm/pool.ts
 * unpoolRelu) by `pre`, the pre-step of the first job over the plan's chunks that reads it (each
 * chunk's images rebuilt by the thread that then runs that chunk, in the same hand-off);
 * `check()` after that job throws on a stray pooling index.
 */
function dyInWasm(pl: Plan, p: Conv2dParams, dy: Float32Array | PooledGradient): { pdy: number; pre?: PreStep; check: () => void } {
  const { m } = pl;
  if (dy instanceof Float32Array) return { pdy: m.copyIn(dy, 0, dy.length), check: () => {} };
  const pdp = m.copyIn(dy.dp, 0, dy.dp.length);
  const pi = m.alloc(dy.indices.length * 4);
  new Int32Array(m.memory.buffer, pi, dy.indices.length).set(dy.indices);
  const pp = m.copyIn(dy.pooled, 0, dy.pooled.length);
  const pdy = m.alloc(p.N * p.Cout * p.Ho * p.Wo * 4);
  const pbad = m.alloc(pl.chunks * 4);
  const pre: PreStep = { op: 'unpoolReluImages', args: perChunk(pl, p.N, (c, n0, n1) => [pdp, pi, pp, pdy, p.Cout, p.Ho, p.Wo, n0, n1, pbad + 4 * c]) };
  const check = () => {
    const bad = new Int32Array(m.memory.buffer, pbad, pl.chunks).find((v) => v >= 0);
    if (bad !== undefined) throw new Error(`conv2dBackward: pooling index ${dy.indices[bad]} at position ${bad} is not in its 2×2 window of the ${p.Ho}×${p.Wo} plane`);
  };
  return { pdy, pre, check };
}

/**
 * dx, dw and db in one call: dy, x and w are copied in once (the separate calls above copy dy
 * twice), db is summed in wasm (each chunk's row sums in the first job, then their sum); `dy`
 * may be given at the output of a ReLU → 2×2/2 max pooling after the conv (`PooledGradient`:
 * rebuilt here, with the bits of maxPool2dBackward and reluBackward). `wantDx` false skips dX (a first layer: dx is then empty). When dX runs its
 * GEMM kernel and dW its GEMM or direct one, each image's dX and dW run in one kernel over the
 * batch split (one hand-off, dY still in cache); otherwise (dX by Winograd or direct, dW by
 * Winograd) as two jobs, each the kernel of convGradInputInWasm / convGradWeightInWasm: the same
 * bits as those either way.
 */
export function convBackwardInWasm(p: Conv2dParams, dy: Float32Array | PooledGradient, x: Float32Array, w: Float32Array, wino: { gradInput?: WinogradTile; gradWeight?: boolean } = {}, wantDx = true): { dx: Float32Array; dw: Float32Array; db: Float32Array } {
  const wdx = wino.gradInput ?? 0, wdw = wino.gradWeight === true;
  checkWinograd(p, wdx !== 0 || wdw);
  const dxKind = gradInputKind(p, wdx);
  const use = gradWeightKernels(p, wdw);
  const pl = plan(p, use);
  const { m } = pl;
  const rebuilt = dyInWasm(pl, p, dy);
  const { pdy } = rebuilt;
  // db's row sums (f64), each chunk's summed by the thread that runs it while its dy is in cache
  const prows = m.alloc(p.N * p.Cout * 8);
  const rows: PreStep = { op: 'biasRows', args: perChunk(pl, p.N, (_, n0, n1) => [pdy, p.Cout, pl.L, n0, n1, prows]) };
  // the pre-steps of the first job below over the plan's chunks, then done
  let pre = rebuilt.pre ? [rebuilt.pre, rows] : [rows];
  const px = m.copyIn(x, 0, x.length);
  const pw = wantDx ? m.copyIn(w, 0, w.length) : 0;
  const xLen = wantDx ? x.length : 0;
  const wLen = p.Cout * pl.K;
  const pdx = m.alloc(xLen * 4);
  const pdw = m.alloc(wLen * 4);
  const pdb = m.alloc(p.Cout * 4);
  const s = scratch(pl, [[pl.gemmN, p.CoutG], [pl.K, pl.gemmN]], wLen);
  if (wantDx && dxKind !== 'gemm') {
    // the transposed conv's forward splits its chunks otherwise: dy is rebuilt in a job of its own
    if (rebuilt.pre) runChunks(rebuilt.pre.op, pl.threads, rebuilt.pre.args, s.slots.map(() => [0, 0]));
    pre = [rows];
    gradInputAsForward(m, p, pdy, pw, pdx, wdx);
  }
  const dw = dwPartials(pl, pdw, s.parts, wLen);
  // Winograd's dW batches tiles across the images of a chunk: per image it would sum in another order
  if (!wantDx || dxKind !== 'gemm' || use.winoDw) {
    if (wantDx && dxKind === 'gemm') {
      runChunks('convGradInput', pl.threads, perChunk(pl, p.N, (_, n0, n1) => [pl.desc, pdy, pw, pdx, n0, n1]), s.slots, pre);
      pre = [];
    }
    runChunks('convGradWeight', pl.threads, perChunk(pl, p.N, (c, n0, n1) => [pl.desc, pdy, px, dw.of(c), n0, n1]), s.slots, pre);
  } else {
    // dX and dW of each image in one kernel (one hand-off per layer), dW partial per chunk
    runChunks('convBackward', pl.threads, perChunk(pl, p.N, (c, n0, n1) => [pl.desc, pdy, px, pw, pdx, dw.of(c), n0, n1]), s.slots, pre);
  }
  rebuilt.check(); // a stray pooling index, whichever job rebuilt dy
  dw.sum();
  m.k.biasFromRows(prows, p.N, p.Cout, pdb);
  return { dx: m.copyOut(pdx, xLen), dw: m.copyOut(pdw, wLen), db: m.copyOut(pdb, p.Cout) };
}

/** db [Cout] = Σ_{n, l} dy[n, co, l], in one call: the same bits as convBackwardInWasm's row sums and their sum (asm/conv.ts biasGrad). */
export function convGradBiasInWasm(dy: Float32Array, N: number, Cout: number, L: number): Float32Array {
  const m = kernels();
  const pdy = m.copyIn(dy, 0, dy.length);
  const pdb = m.alloc(Cout * 4);
  m.k.biasGrad(pdy, N, Cout, L, pdb);
  return m.copyOut(pdb, Cout);
}
