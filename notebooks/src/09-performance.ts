// %% [markdown] slide
// # 9 · Performance: loops, the fast path, TensorFlow.js
//
// The same convolution (卷积) three ways:
// - **naive**: the teaching loops — seven nested `for`s that read like the formula
// - **fast**: im2col + a blocked matrix multiply (GEMM), in plain JavaScript (`js`) and in WebAssembly SIMD (`wasm`) when its module is built; `wasm` also has kernels without im2col, picked per layer where they measured faster
// - **TensorFlow.js**: its `cpu` and `wasm` backends
//
// Timings below are measured **live, on this machine, in this run**: they are noisy (other programs share the CPU) — read ratios, not digits. What is *not* noisy: every path computes the same numbers, and this notebook checks that.
// ::: zh
// # 9 · 性能：循环、快速路径与 TensorFlow.js
//
// 同一个卷积的三种算法：
// - **朴素实现**：教学用的循环——七层嵌套的 `for`，读起来就像公式
// - **快速实现**：im2col + 分块矩阵乘法（GEMM），有纯 JavaScript 版（`js`），模块编译好时还有 WebAssembly SIMD 版（`wasm`）；`wasm` 还有不用 im2col 的算法，按层选用实测更快的那个
// - **TensorFlow.js**：它的 `cpu` 和 `wasm` 后端
//
// 下面的时间是**在这台机器上、这一次运行中实时测量**的：有波动（其他程序也在用 CPU）——看比值，不要看具体数字。*不会*波动的是：每种算法算出的数都一样，本笔记本会检查这一点。

// %% skip
import { seed, Rng, randn, conv2d, conv2dBackward, conv2dFlops, conv2dOutputShape, linear, Tensor, barChart, availableTfBackends, setTfBackend, toTf, fromTf, setLocale, check, tr } from 'tscnn';
setLocale('en');
seed(0);
/** Median wall time (ms) of `fn` over a few runs after one warm-up, stopping after ~budgetMs. */
function timeMs(fn: () => unknown, budgetMs = 400): number {
  fn();
  const times: number[] = [];
  const start = Date.now();
  while (times.length < 3 || (times.length < 15 && Date.now() - start < budgetMs)) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
/** Largest |a − b| relative to max |b|. */
function relDiff(a: Tensor, b: Tensor): number {
  let d = 0, s = 1e-30;
  for (let i = 0; i < a.size; i++) { d = Math.max(d, Math.abs(a.data[i] - b.data[i])); s = Math.max(s, Math.abs(b.data[i])); }
  return d / s;
}

// %% [markdown] slide
// ## The test cases: LeNet-5's two convolutions, batch 32
// FLOPs (floating-point operations) of one forward pass: 2 · N · C<sub>out</sub> · H<sub>out</sub> · W<sub>out</sub> · C<sub>in</sub> · K · K.
// ::: zh
// ## 测试用例：LeNet-5 的两个卷积层，批大小 32
// 一次前向传播的浮点运算次数（FLOPs）：2 · N · C<sub>out</sub> · H<sub>out</sub> · W<sub>out</sub> · C<sub>in</sub> · K · K。

// %%
const rng = new Rng(2026);
const cases = [
  { name: `C1 1→6 5×5 ${tr({ en: 'pad 2', zh: '填充 2' })}`, x: randn([32, 1, 28, 28], { rng }), w: randn([6, 1, 5, 5], { rng }), opts: { padding: 2 } },
  { name: 'C3 6→16 5×5', x: randn([32, 6, 14, 14], { rng }), w: randn([16, 6, 5, 5], { rng }), opts: {} },
];
const flops = cases.map((c) => conv2dFlops(c.x.shape, c.w.shape, c.opts));
check(flops[0] === 2 * 32 * 6 * 28 * 28 * 1 * 25 && flops[1] === 2 * 32 * 16 * 10 * 10 * 6 * 25, 'FLOP formula');
// a CJK character takes two columns on screen
const padCols = (t: string, n: number) => t + ' '.repeat(Math.max(0, n - [...t].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0)));
cases.map((c, i) => `${padCols(c.name, 18)} x=[${c.x.shape}]  → [${conv2dOutputShape(c.x.shape, c.w.shape, c.opts)}]  ${(flops[i] / 1e6).toFixed(1)} MFLOP`).join('\n')

// %% [markdown] slide
// ## Our implementations: same numbers, different speed
// ::: zh
// ## 我们的实现：数值相同，速度不同

// %%
const impls = ['naive', 'js', 'wasm'] as const;
/** 'wasm' is only there when the WebAssembly kernels were built (npm run setup). */
const available = impls.filter((impl) => { try { conv2d(cases[0].x, cases[0].w, null, { ...cases[0].opts, impl }); return true; } catch { return false; } });
check(available.includes('naive') && available.includes('js'), 'naive and js always run');
type Row = { case: string; impl: string; metric: string; value: number; unit: string };
const rows: Row[] = [];
const [FWD, BWD] = [tr({ en: 'forward', zh: '前向' }), tr({ en: 'backward', zh: '反向' })];
for (const c of cases) {
  const ref = conv2d(c.x, c.w, null, { ...c.opts, impl: 'naive' });
  const dy = randn(ref.shape, { rng });
  const refB = conv2dBackward(dy, c.x, c.w, { ...c.opts, impl: 'naive' });
  for (const impl of available) {
    const y = conv2d(c.x, c.w, null, { ...c.opts, impl });
    const g = conv2dBackward(dy, c.x, c.w, { ...c.opts, impl });
    // Summation order differs (blocked GEMM vs loops): equal up to float32 rounding.
    check(relDiff(y, ref) < 1e-5 && relDiff(g.dx, refB.dx) < 1e-5 && relDiff(g.dw, refB.dw) < 1e-5, `${impl} agrees with naive on ${c.name}`);
    rows.push({ case: `${c.name.split(' ')[0]} ${FWD}`, impl, metric: 'time', value: timeMs(() => conv2d(c.x, c.w, null, { ...c.opts, impl })), unit: 'ms' });
    rows.push({ case: `${c.name.split(' ')[0]} ${BWD}`, impl, metric: 'time', value: timeMs(() => conv2dBackward(dy, c.x, c.w, { ...c.opts, impl })), unit: 'ms' });
  }
}
rows.map((r) => `${r.case.padEnd(12)} ${r.impl.padEnd(6)} ${r.value.toFixed(2).padStart(8)} ms`).join('\n')

// %% [markdown] subslide
// Speed-up over the naive loops (higher is faster; this machine, this run):
// ::: zh
// 相对朴素循环的加速比（越高越快；这台机器、这一次运行）：

// %%
barChart(rows, { baseline: 'naive', title: tr({ en: 'conv2d: speed-up vs the naive loops (this machine, noisy)', zh: 'conv2d：相对朴素循环的加速比（本机，有波动）' }) })

// %% [markdown] slide
// ## TensorFlow.js backends
// The same forward convolutions through `tf.conv2d` (NHWC layout, weights [K, K, C<sub>in</sub>, C<sub>out</sub>]). `tfjs-node` (native TensorFlow) needs a download at install time, so here it is usually missing: we measure what loads.
// ::: zh
// ## TensorFlow.js 的后端
// 同样的前向卷积通过 `tf.conv2d` 计算（NHWC 布局，权重 [K, K, C<sub>in</sub>, C<sub>out</sub>]）。`tfjs-node`（原生 TensorFlow）在安装时需要下载，所以这里通常没有：能加载哪个就测哪个。

// %%
const backends = (await availableTfBackends()).filter((b) => b === 'cpu' || b === 'wasm');
check(backends.length > 0, 'at least one tfjs backend loads');
const tfRows: Row[] = [];
for (const b of backends) {
  const h = await setTfBackend(b);
  const tf = h.tf;
  for (const c of cases) {
    const ref = conv2d(c.x, c.w, null, { ...c.opts, impl: 'naive' });
    const xt = toTf(tf, c.x, 'activation');
    const wt = toTf(tf, c.w, 'conv-weight');
    const pad = (c.opts as { padding?: number }).padding ?? 0;
    const run = () => tf.tidy(() => tf.conv2d(xt as any, wt as any, 1, pad === 0 ? 'valid' : [[0, 0], [pad, pad], [pad, pad], [0, 0]]).dataSync());
    const yt = tf.tidy(() => tf.conv2d(xt as any, wt as any, 1, pad === 0 ? 'valid' : [[0, 0], [pad, pad], [pad, pad], [0, 0]]));
    const y = fromTf(yt, 'activation');
    yt.dispose();
    check(relDiff(y, ref) < 1e-4, `tfjs ${b} agrees with naive on ${c.name}`);
    tfRows.push({ case: `${c.name.split(' ')[0]} ${FWD}`, impl: `tfjs-${b}`, metric: 'time', value: timeMs(run), unit: 'ms' });
    xt.dispose(); wt.dispose();
  }
}
await setTfBackend(backends.includes('wasm') ? 'wasm' : backends[0]);
const fwdRows = [...rows.filter((r) => r.case.endsWith(FWD)), ...tfRows];
barChart(fwdRows, { baseline: 'naive', title: tr({ en: 'forward conv: speed-up vs naive, ours and TensorFlow.js (this machine)', zh: '前向卷积：相对朴素循环的加速比，我们的实现与 TensorFlow.js（本机）' }) })

// %% [markdown] subslide
// The measurements, in GFLOP/s (10⁹ floating-point operations per second):
// ::: zh
// 测量结果，单位 GFLOP/s（每秒 10⁹ 次浮点运算）：

// %%
fwdRows.map((r) => {
  const f = flops[r.case.startsWith('C1') ? 0 : 1];
  return `${r.case.padEnd(12)} ${r.impl.padEnd(12)} ${r.value.toFixed(2).padStart(8)} ms  ${(f / (r.value * 1e6)).toFixed(2).padStart(6)} GFLOP/s`;
}).join('\n')

// %% [markdown] slide
// ## Why is the fast path fast?
// - **im2col** copies every K×K×C<sub>in</sub> window into a column once; the convolution becomes **one matrix multiply**.
// - The GEMM works on **blocks** that fit in the CPU cache and keeps a 4×4 tile of results in registers: each loaded number is reused many times.
// - **WebAssembly SIMD** multiplies 4 floats per instruction.
// - The naive loops recompute index arithmetic and reload the same inputs K·K·C<sub>out</sub> times.
//
// Full benchmarks (all shapes, dX/dW separately, LeNet-5 training in images/s): `npm run bench`.
// ::: zh
// ## 快速路径为什么快？
// - **im2col** 把每个 K×K×C<sub>in</sub> 的窗口复制成一列，只复制一次；卷积就变成了**一次矩阵乘法**。
// - GEMM 按能放进 CPU 缓存的**分块**计算，并把 4×4 的结果块留在寄存器里：每个载入的数都被重复使用很多次。
// - **WebAssembly SIMD** 一条指令做 4 个浮点乘法。
// - 朴素循环反复计算下标，并把同样的输入重新载入 K·K·C<sub>out</sub> 次。
//
// 完整的基准测试（所有形状、dX/dW 分开测、LeNet-5 训练的图片/秒）：`npm run bench`。

// %% [markdown] subslide
// ## The `wasm` engine's other kernels
// - **Direct convolution**: with few input channels (LeNet's 1 and 6), im2col copies as much data as the multiply reads. The engine then sums each output straight from the zero-padded image, 4 output channels per SIMD instruction.
// - **Winograd**: for 3×3 kernels with many channels, F(2×2, 3×3) computes each 2×2 block of outputs with 16 multiplies instead of 36, at the price of a slightly larger rounding error.
// - **Fusion**: in a model, a conv followed by ReLU (and 2×2 max pooling) runs as one op, and so does its backward. No extra pass over the feature map, and the same numbers to the last bit.
// ::: zh
// ## `wasm` 的其他算法
// - **直接卷积**：输入通道很少时（LeNet 的 1 和 6），im2col 复制的数据和矩阵乘法读的一样多。于是直接从补零后的图像求每个输出，一条 SIMD 指令算 4 个输出通道。
// - **Winograd**：对通道多的 3×3 卷积，F(2×2, 3×3) 用 16 次乘法算出一个 2×2 的输出块，而不是 36 次；代价是舍入误差稍大。
// - **融合**：在模型里，卷积后接 ReLU（和 2×2 最大池化）作为一个运算执行，反向传播也一样。不用多过一遍特征图，结果一位不差。
