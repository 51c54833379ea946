/**
 * The one engine picker: which code runs an op. An op asks `pickEngine(op, requestedImpl, size)`
 * and runs what it answers; nothing else decides (no op reads a global, an environment variable
 * or the wasm loader itself). In the spirit of tfjs's kernel registry and tinygrad's Device.
 *
 * Engines:
 * - `'naive'`: the teaching loops, nested `for`s that read like the formula (conv2d, linear);
 * - `'js'`: the plain-JavaScript fast path (im2col + the blocked GEMM of src/ops/gemm.ts, or the
 *   op's tuned JS loop);
 * - `'wasm'`: the WebAssembly SIMD kernels (src/ops/wasm/), when their module loaded.
 *
 * What a caller asks for (`Impl`, per call as `opts.impl` or for every call by `setOpsImpl`):
 * - `'naive'`: the teaching loops (an op without them, e.g. ReLU, runs its JS loop);
 * - `'js'` / `'wasm'`: force that engine; forcing `'wasm'` without the module is an error;
 * - `'fast'` and `'auto'` (the default): wasm when its module loaded (`fastPathInfo()`) and the
 *   op is big enough for copying into wasm memory to pay (`ENGINE_RULES`), else plain JS.
 *   `'auto'` is kept separate from `'fast'` so a later heuristic can choose per call without
 *   changing callers.
 */
import { opError } from '../tensor/errors';
import { gemm, gemmNaive, type Gemm } from './gemm';
import { gemmWasm } from './wasm/gemm';
import { wasmKernels, wasmStatus } from './wasm/runtime';

/** What a caller may ask for: see the file comment. */
export type Impl = 'auto' | 'naive' | 'fast' | 'js' | 'wasm';

/** The code that runs one call. */
export type Engine = 'naive' | 'js' | 'wasm';

const IMPLS: readonly Impl[] = ['auto', 'naive', 'fast', 'js', 'wasm'];

/** How the picker treats one op. */
export interface EngineRule {
  /** The op has teaching loops of its own (else `'naive'` runs its JS loop). */
  naive: boolean;
  /**
   * Size (elements of the op's input) from which wasm runs; below it plain JS does, because
   * copying in and out of wasm memory costs more than the kernel saves. 0: always wasm.
   * (For an algorithm inside the wasm engine, such as `conv2dWinograd`, the rule says what its
   * size counts.)
   */
  wasmFrom: number;
  /** Fewest channels, min(Cin, Cout), a call needs for the rule to say `'wasm'` (default 0). */
  minChannels?: number;
  /** Most channels, max(Cin, Cout), a call may have for the rule to say `'wasm'` (default ∞). */
  maxChannels?: number;
}

/**
 * Every op with more than one engine, and from what size wasm pays (measured when the kernels
 * were added): ReLU on LeNet's first feature maps (301,056 floats) 0.28 → ~0.1 ms in wasm with
 * the copies in and out, not worth it under 16,384 values; 2×2 max pooling ~5× faster in wasm
 * (no mispredicted branches: docs/measured.md, Speed), not worth it under 4,096 input floats.
 */
export const ENGINE_RULES = {
  conv2d: { naive: true, wasmFrom: 0 },
  conv2dBackward: { naive: true, wasmFrom: 0 },
  conv2dGradBias: { naive: true, wasmFrom: 0 },
  linear: { naive: true, wasmFrom: 0 },
  linearBackward: { naive: true, wasmFrom: 0 },
  relu: { naive: false, wasmFrom: 16384 },
  reluBackward: { naive: false, wasmFrom: 16384 },
  maxPool2d: { naive: false, wasmFrom: 4096 },
  maxPool2dBackward: { naive: false, wasmFrom: 4096 },
  /**
   * Adam's update (src/optim/adam.ts; `size`: the parameter's elements): its divisions and square
   * roots take 4 lanes at a time in wasm. LeNet-5's 10 parameters (6 … 48,000 values) took 142 µs
   * a step with wasm from 4,096 values, 119 µs from 256 or from 0 (interleaved, one process):
   * copying a bias in and out costs about what its JS loop does. Both engines give the same bits.
   */
  adam: { naive: false, wasmFrom: 256 },
  /**
   * A layer's `grad += g` (src/layers/base.ts `accumulate`; `size`: the parameter's elements):
   * V8 keeps the JS loop scalar, ~1.2 ns a value; the wasm kernel adds 4 lanes at a time, copies
   * in and out included. Measured in one process, best of 20: 48,000 values (LeNet-5's fc1)
   * 57.6 → 27.1 µs, 4,096 4.7 → 2.7 µs, 1,024 1.18 → 0.90 µs, 256 0.36 → 0.51 µs. Same bits.
   */
  accumulate: { naive: false, wasmFrom: 1024 },
  /**
   * Winograd F(2×2, 3×3) for conv2d's forward and dX inside the wasm engine
   * (src/ops/wasm/asm/winograd.ts), for 3×3, stride-1, undilated, ungrouped convs only; `size`
   * counts output pixels per channel, N·Ho·Wo, `channels` min(Cin, Cout). Measured against
   * im2col + GEMM, 1 thread, fastest of 7–9, machine shared (docs/measured.md, Winograd): forward
   * Cin = Cout = 8 0.92×, 16 1.16×, 32 1.8×, 64 (S3) 2.0–2.7×, 128 at 56² 1.8–2.0×, 256 at 28²
   * 1.6×, 512 at 14² 1.2–1.6×, 512 at 7² batch 1 (N·Ho·Wo = 49) 0.7–1.1×, where transforming
   * the 512 × 512 filters costs about what the few tiles save; dX 1.9× (16 channels) to 2.7× (S3).
   */
  conv2dWinograd: { naive: false, wasmFrom: 196, minChannels: 16 },
  /**
   * Winograd F(4×4, 3×3) (src/ops/wasm/asm/winograd43.ts) instead of F(2×2, 3×3) where
   * `conv2dWinograd` (or `winograd: true`) says Winograd; `size` counts the output pixels of one
   * image of the conv it runs (forward: Ho·Wo; dX, the transposed conv: H·W). Measured against
   * F(2×2), 1 thread, interleaved in one process, best of 11 (docs/measured.md, Winograd,
   * F(4×4, 3×3)), forward / dX: S3 1.40–1.41×, 16–256 channels at 16²–224² 1.09–1.62×; 12–14²
   * batch 2–8 1.13–1.37×, 14² batch 1 1.02–1.08× (U, 2.25× larger — 37.7 MB at 512 channels —
   * is transformed per call and read once per image); 10² 0.99–1.06× and 7² 0.64–0.90× (2 × 2
   * tiles an image fill half of the GEMM's 8-tile panel, and their 8 × 8 outputs cover 7 × 7)
   * → from 144 pixels.
   */
  conv2dWinograd4x4: { naive: false, wasmFrom: 144 },
  /**
   * Winograd F(3×3, 2×2) for conv2d's dW inside the wasm engine (src/ops/wasm/asm/winograd-dw.ts),
   * same convs and sizes as `conv2dWinograd`. Measured against im2col + GEMM, 1 thread, fastest
   * of 7, machine shared (docs/measured.md, Winograd): 16 channels 1.2×, 32 1.4×, 64 (S3) 1.6×,
   * 128 1.9–2.2×, 256 1.3–1.4×; 512 at 28² and 14² 1.05–1.08×, at 7² 0.5× (one image per chunk:
   * too few tiles for the 16 MB of M it clears and transforms) → on up to 256 channels.
   */
  conv2dWinogradDw: { naive: false, wasmFrom: 196, minChannels: 16, maxChannels: 256 },
} as const satisfies Record<string, EngineRule>;

/** The ops the picker knows (keys of `ENGINE_RULES`). */
export type EngineOp = keyof typeof ENGINE_RULES;

let globalImpl: Impl = 'auto';

function checkImpl(op: string, impl: unknown): asserts impl is Impl {
  if (!IMPLS.includes(impl as Impl)) throw opError(op, `impl must be one of ${IMPLS.join(', ')}, got ${JSON.stringify(impl)}`);
}

/**
 * Set the default `Impl` of every op that has several engines (an op's `opts.impl` still wins).
 * @example setOpsImpl('naive'); // every conv2d/linear call now runs the teaching loops
 */
export function setOpsImpl(impl: Impl): void {
  checkImpl('setOpsImpl', impl);
  globalImpl = impl;
}

/** The default `Impl` set by `setOpsImpl` (initially `'auto'`). */
export function getOpsImpl(): Impl {
  return globalImpl;
}

/**
 * The engine that runs one call of `op`: `impl` (the call's `opts.impl`) wins over the default
 * of `setOpsImpl`; `size` is the number of input elements the op's threshold is compared with
 * (`ENGINE_RULES`), `channels` the call's [min(Cin, Cout), max(Cin, Cout)] where a rule has `minChannels` or `maxChannels`. Throws when `impl` is not an `Impl`, or when `'wasm'` is forced and the
 * WebAssembly kernels are unavailable (the message says why).
 *
 * @example
 * pickEngine('conv2d', 'naive');        // 'naive'
 * pickEngine('relu', undefined, 1000);  // 'js': too small for the copies into wasm to pay
 * pickEngine('relu', undefined, 1e5);   // 'wasm' when the module loaded, else 'js'
 * pickEngine('conv2dWinograd', undefined, 8 * 56 * 56, [64, 64]); // 'wasm' (S3: Winograd) when loaded
 */
export function pickEngine(op: EngineOp, impl?: Impl, size = Infinity, channels: readonly [min: number, max: number] = [Infinity, 0]): Engine {
  const rule: EngineRule | undefined = ENGINE_RULES[op];
  if (!rule) throw opError('pickEngine', `unknown op ${JSON.stringify(op)}; the ops with engines are ${Object.keys(ENGINE_RULES).join(', ')}`);
  const chosen = impl ?? globalImpl;
  checkImpl(op, chosen);
  if (chosen === 'naive') return rule.naive ? 'naive' : 'js';
  if (chosen === 'js') return 'js';
  const loaded = wasmKernels() !== null;
  if (chosen === 'wasm' && !loaded) throw opError(op, `impl 'wasm' was requested but the WebAssembly kernels are unavailable: ${wasmStatus()}`);
  return loaded && size >= rule.wasmFrom && channels[0] >= (rule.minChannels ?? 0) && channels[1] <= (rule.maxChannels ?? Infinity) ? 'wasm' : 'js';
}

/**
 * The GEMM an engine runs, handed to the ops explicitly (no scoped global): the SIMD `gemmWasm`
 * for `'wasm'`, the blocked plain-JS `gemm` for `'js'`, the triple loop `gemmNaive` for
 * `'naive'`. Same arguments and results (to float rounding).
 * @example engineGemm(pickEngine('linear', opts.impl))(false, true, N, Out, In, 1, x, 0, In, w, 0, In, 0, y, 0, Out)
 */
export function engineGemm(engine: Engine): Gemm {
  return engine === 'wasm' ? gemmWasm : engine === 'js' ? gemm : gemmNaive;
}
