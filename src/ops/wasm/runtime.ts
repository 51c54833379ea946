/**
 * Loads src/ops/wasm/tscnn-ops.wasm (the AssemblyScript SIMD kernels) once, synchronously, on
 * first use, and owns its one growable, shared WebAssembly.Memory (shared so that worker
 * threads, src/ops/wasm/threads.ts, can run the same kernels on the same data).
 *
 * The module sits beside its sources (git-ignored), away from build/ (the course's disposable
 * outputs). When it is missing or out of date (older than a kernel source, or lacking a kernel
 * the glue calls), the first use rebuilds it (build.js, ~2 s; needs the assemblyscript
 * devDependency). When it still cannot be loaded (no assemblyscript, an engine without wasm SIMD
 * or shared memory), `wasmKernels()` returns null, the engine picker (src/ops/engine.ts) runs
 * the plain-JS fast path, and one warning on stderr says why and how to fix it, once per
 * process; `fastPathInfo()` / `wasmStatus()` keep saying which and why.
 *
 * Memory: one arena, laid out per call by a bump allocator (`reset`, then `alloc`). It only
 * grows, never shrinks: first writes to fresh pages cost ~11 µs per 4 KB here (docs/measured.md, Memory),
 * so a training loop touches its pages once and then reuses them.
 */
import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { allocFloat32 } from '../../tensor/buffers';
import { PACKAGE_ROOT } from '../../util/package-root';

/** The functions the .wasm exports (src/ops/wasm/asm/index.ts); addresses are byte offsets. */
export interface KernelExports {
  gemm(transA: number, transB: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  /** Columns (byCols) or rows [n0, n1) of the GEMM described at d (13 i32s: asm/gemm.ts), one thread's part. */
  gemmPart(d: number, n0: number, n1: number, byCols: number, cols: number, work: number): void;
  /** Scratch bytes one `gemm` with N columns and depth K needs at `work`. */
  workBytes(N: number, K: number): number;
  /** im2col / col2im over output rows [i0, i1) of one image: (x or cols, C, H, W, KH, KW, SH, SW, DH, DW, top, left, Ho, Wo, i0, i1, out). */
  im2col(x: number, C: number, H: number, W: number, KH: number, KW: number, SH: number, SW: number, DH: number, DW: number,
    top: number, left: number, Ho: number, Wo: number, i0: number, i1: number, cols: number): void;
  col2im(cols: number, C: number, H: number, W: number, KH: number, KW: number, SH: number, SW: number, DH: number, DW: number,
    top: number, left: number, Ho: number, Wo: number, i0: number, i1: number, dx: number): void;
  /** conv2d's per-image loops over images [n0, n1) (asm/conv.ts; the forward over output channels [co0, co1)); `d` is the size descriptor. */
  convForward(d: number, x: number, w: number, b: number, y: number, n0: number, n1: number, co0: number, co1: number, cols: number, work: number): void;
  convGradInput(d: number, dy: number, w: number, dx: number, n0: number, n1: number, cols: number, work: number): void;
  /** Scratch bytes of one thread for the direct kernels (asm/direct.ts) on descriptor d; floats of their packed weights; the packing (flip 1: dX's transposed conv). */
  directBytes(d: number): number;
  directPackedFloats(d: number): number;
  directPack(d: number, w: number, b: number, wt: number, flip: number): void;
  /** Winograd F(2×2, 3×3) (asm/winograd.ts): scratch bytes of one thread, floats of U, and U = G g Gᵀ of w. */
  winogradBytes(d: number): number;
  winogradFilterFloats(d: number): number;
  winogradFilter(d: number, w: number, u: number, flip: number): void;
  /** The same for Winograd F(4×4, 3×3) (asm/winograd43.ts). */
  winograd43Bytes(d: number): number;
  winograd43FilterFloats(d: number): number;
  winograd43Filter(d: number, w: number, u: number, flip: number): void;
  /** Scratch bytes of one thread for dW by Winograd F(3×3, 2×2) (asm/winograd-dw.ts). */
  winogradDwBytes(d: number): number;
  convGradWeight(d: number, dy: number, x: number, dw: number, n0: number, n1: number, cols: number, work: number): void;
  /** convGradInput then convGradWeight per image, over images [n0, n1) (one hand-off). */
  convBackward(d: number, dy: number, x: number, w: number, dx: number, dw: number, n0: number, n1: number, cols: number, work: number): void;
  addInto(a: number, b: number, n: number): void;
  /** db[co] = Σ dy[n, co, :] over the batch. */
  biasGrad(dy: number, N: number, Cout: number, L: number, db: number): void;
  /** biasGrad in two halves: each image's row sums (f64) over images [n0, n1), a chunk of a job… */
  biasRows(dy: number, Cout: number, L: number, n0: number, n1: number, rows: number): void;
  /** …then their sum over the batch in image order (the same bits as biasGrad). */
  biasFromRows(rows: number, N: number, Cout: number, db: number): void;
  /** 2×2, stride-2 max pooling with argmax over `planes` planes (asm/pool.ts). */
  maxPool2x2s2(x: number, y: number, idx: number, planes: number, h: number, w: number, oh: number, ow: number): void;
  /** Max pooling's backward (zero dx, scatter-add dy at idx); −1, or the first bad position. */
  maxPoolBackward(dy: number, idx: number, dx: number, planes: number, hw: number, perPlane: number): number;
  /** The gradient before ReLU → 2×2/2 max pooling of h × w planes from the pooled one (asm/pool.ts unpoolRelu: maxPoolBackward then ReLU's mask), over images [n0, n1) of C planes each; the first stray position (or −1) stored at `bad`. */
  unpoolReluImages(dp: number, idx: number, pooled: number, dy: number, C: number, h: number, w: number, n0: number, n1: number, bad: number): void;
  /** ReLU forward / backward over n floats (asm/elementwise.ts). */
  reluForward(x: number, y: number, n: number): void;
  reluBackward(dy: number, x: number, dx: number, n: number): void;
  /** Adam's float32 update of n parameters in place (asm/optim.ts; the scalars as src/optim/adam.ts rounds them). */
  adamUpdate(p: number, g: number, m: number, v: number, n: number, decoupled: number, decay: number, l2: number,
    b1: number, c1: number, b2: number, c2: number, bc2s: number, eps: number, negStep: number): void;
  /** Elements [i0, i1) of the Adam update described at d (asm/optim.ts), one thread's part. */
  adamPart(d: number, i0: number, i1: number, cols: number, work: number): void;
  heapBase(): number;
}

/** Must match --maximumMemory in build.js (2 GiB of address space, reserved, not committed). */
export const MAX_PAGES = 32768;

/** The compiled module's location: beside its sources (override with TSCNN_WASM_PATH). */
export const WASM_PATH = process.env.TSCNN_WASM_PATH ?? resolve(PACKAGE_ROOT, 'src', 'ops', 'wasm', 'tscnn-ops.wasm');

// By absolute path, so that the kernel's bundle of the library (kernels/lib/library-bundle.js)
// leaves this plain-JS builder, which finds its files by __dirname, a file of its own.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const builder = require(resolve(PACKAGE_ROOT, 'src', 'ops', 'wasm', 'build.js')) as { build(o: { force?: boolean; quiet?: boolean; out?: string }): string; upToDate(out?: string): boolean };

/**
 * The loaded module, its instance's exports (`k`) and its one shared memory, with a bump
 * allocator over it: `reset()` at the start of each call, then `alloc` / `copyIn` the operands
 * (byte addresses, 64-byte aligned) and `copyOut` the results. Below the arena, blocks kept
 * across calls (`reserve`): Adam's state lives there, read in place by its kernel.
 */
export class WasmArena {
  readonly k: KernelExports;
  /** The compiled module and its shared memory, for worker threads to instantiate. */
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Start of the per-call arena: the reserved blocks (`reserve`) lie below it. */
  private base: number;
  /** Blocks kept across calls (an optimizer's state), each reusable once released. */
  private readonly reserved: { at: number; bytes: number; used: boolean }[] = [];
  private top: number;
  /** Float32 view of the whole memory; replaced whenever the memory grows (a view keeps its old length). */
  f32: Float32Array;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, k: KernelExports) {
    this.module = module;
    this.memory = memory;
    this.k = k;
    this.base = k.heapBase();
    this.top = this.base;
    this.f32 = new Float32Array(memory.buffer);
  }

  /** Forget every allocation of the previous call. */
  reset(): void {
    this.top = this.base;
  }

  /** `bytes` of memory, 64-byte aligned (a cache line); grows the memory when needed. */
  alloc(bytes: number): number {
    const p = this.top;
    this.top = (p + bytes + 63) & ~63;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      this.memory.grow(Math.ceil((this.top - have) / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return p;
  }

  /**
   * `bytes` of memory kept across calls (not reset), zeroed: a released block of that size, else
   * new space at the arena's base, which moves up past it. Called between calls only (the arena
   * is dead then; worker threads run inside runChunks). `release` gives the block back.
   */
  reserve(bytes: number): number {
    const size = (bytes + 63) & ~63;
    let b = this.reserved.find((r) => !r.used && r.bytes === size);
    if (!b) {
      b = { at: this.base, bytes: size, used: false };
      this.reserved.push(b);
      this.base += size;
      this.top = Math.max(this.top, this.base);
      this.alloc(0); // grows the memory when the new base needs it
    }
    b.used = true;
    this.f32.fill(0, b.at >> 2, (b.at + size) >> 2);
    return b.at;
  }

  /** Give back a block from `reserve`. */
  release(at: number): void {
    const b = this.reserved.find((r) => r.at === at);
    if (b) b.used = false;
  }

  /** Whether `a` is a view of this memory (a reserved block): its address is then a.byteOffset. */
  holds(a: Float32Array): boolean {
    return a.buffer instanceof SharedArrayBuffer && this.reserved.some((r) => r.used && a.byteOffset >= r.at && a.byteOffset + a.byteLength <= r.at + r.bytes);
  }

  /** Copy `src[off … off+len)` into wasm memory and return its address. */
  copyIn(src: Float32Array, off: number, len: number): number {
    const p = this.alloc(len * 4);
    this.f32.set(len === src.length && off === 0 ? src : src.subarray(off, off + len), p >> 2);
    return p;
  }

  /**
   * `len` floats at address `p` copied out into a JS array (from the recycled-buffer free list
   * when one of that length is free: src/tensor/buffers.ts).
   */
  copyOut(p: number, len: number): Float32Array {
    const out = allocFloat32(len, false);
    this.copyBack(p, out);
    return out;
  }

  /** `dst.length` floats at address `p` copied back into an existing JS array. */
  copyBack(p: number, dst: Float32Array): void {
    dst.set(this.f32.subarray(p >> 2, (p >> 2) + dst.length));
  }

  /** Bytes in use by the memory (for tests and reports). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }
}

/** Every function of KernelExports, checked at load time. */
const REQUIRED = ['gemm', 'workBytes', 'gemmPart', 'heapBase', 'im2col', 'col2im', 'convForward', 'directBytes', 'directPackedFloats', 'directPack', 'winogradBytes', 'winogradFilterFloats', 'winogradFilter', 'winograd43Bytes', 'winograd43FilterFloats', 'winograd43Filter', 'winogradDwBytes', 'convGradInput', 'convGradWeight', 'convBackward', 'addInto', 'biasGrad', 'biasRows', 'biasFromRows', 'maxPool2x2s2', 'maxPoolBackward', 'unpoolReluImages', 'reluForward', 'reluBackward', 'adamUpdate', 'adamPart'];

interface LoadState {
  arena: WasmArena | null;
  reason: string;
}

let state: LoadState | undefined;
let warned = false;

const FIX = 'run: node src/ops/wasm/build.js';

/** Compile the module into WASM_PATH; null when it worked, else why not. */
function rebuild(): string | null {
  try {
    builder.build({ force: true, quiet: true, out: WASM_PATH });
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Instantiate the module at WASM_PATH: the arena, or the names of the kernels it lacks. */
function instantiate(): WasmArena | string[] {
  // Synchronous compile is fine in Node for any size; the module is a few KB.
  const mod = new WebAssembly.Module(readFileSync(WASM_PATH));
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  const missing = REQUIRED.filter((name) => typeof inst.exports[name] !== 'function');
  return missing.length ? missing : new WasmArena(mod, memory, inst.exports as unknown as KernelExports);
}

function load(): LoadState {
  if (typeof WebAssembly === 'undefined') return { arena: null, reason: 'this JavaScript engine has no WebAssembly' };
  // Missing, or older than a kernel source: rebuild first (when assemblyscript is installed).
  let built = !builder.upToDate(WASM_PATH);
  let buildError = built ? rebuild() : null;
  const failed = () => (buildError ? ` and could not be built on first use: ${buildError}` : '');
  if (!existsSync(WASM_PATH)) return { arena: null, reason: `${WASM_PATH} not found (${FIX})${failed()}` };
  try {
    let got = instantiate();
    // A module built from older sources lacks newer kernels: rebuild once, else plain JS.
    if (Array.isArray(got) && !built) {
      built = true;
      buildError = rebuild();
      if (buildError === null) got = instantiate();
    }
    if (Array.isArray(got)) return { arena: null, reason: `${WASM_PATH} is out of date (no ${got.join(', ')}; ${FIX})${failed()}` };
    return { arena: got, reason: 'loaded' };
  } catch (e) {
    // e.g. "CompileError: … invalid opcode" on an engine without SIMD
    return { arena: null, reason: `could not load ${WASM_PATH}: ${(e as Error).message}` };
  }
}

/** Load once; on a fallback, say so on stderr once per process (the ops keep running in JS). */
function current(): LoadState {
  if (!state) state = load();
  if (!state.arena && !warned) {
    warned = true;
    process.stderr.write(`tscnn: the WebAssembly kernels are unavailable, so the ops run the plain-JavaScript fast path (several times slower): ${state.reason}\n`);
  }
  return state;
}

/** The loaded kernels and their memory, or null when the plain-JS path must be used. */
export function wasmKernels(): WasmArena | null {
  return current().arena;
}

/**
 * The loaded kernels with a fresh arena (`reset`), for one call of `op`'s wasm engine; throws
 * when they are not loaded (the engine picker only chooses wasm when they are).
 */
export function loadedKernels(op: string): WasmArena {
  const m = wasmKernels();
  if (!m) throw new Error(`${op} (wasm): the WebAssembly kernels are not loaded: ${wasmStatus()}`);
  m.reset();
  return m;
}

/** Why the wasm path is (not) available: 'loaded', or the reason it fell back to plain JS. */
export function wasmStatus(): string {
  return current().reason;
}

/**
 * Try again to load the module if it is not loaded (e.g. right after `node src/ops/wasm/build.js`
 * in a running notebook, or in tests that build it); returns `wasmStatus()`. A loaded module is
 * kept: its memory may hold data of a call in progress on a worker.
 */
export function reloadWasmKernels(): string {
  if (!state?.arena) state = load();
  return current().reason;
}

/** Which fast path the ops run by default: 'wasm-simd' when the module loaded, else 'js'. */
export function fastPathInfo(): 'wasm-simd' | 'js' {
  return wasmKernels() ? 'wasm-simd' : 'js';
}
