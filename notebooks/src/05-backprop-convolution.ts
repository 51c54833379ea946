// %% [markdown] slide
// # 5 · Backpropagation 反向传播 through a convolution
//
// 1. Derive the two gradients: dX and dW (and db)
// 2. See them on a 4×4 example: both are convolutions again
// 3. Check: hand-coded vs numeric vs TensorFlow.js
// ::: zh
// # 5 · 卷积的反向传播
//
// 1. 推导两个梯度：dX 和 dW（以及 db）
// 2. 在 4×4 的例子上看它们：两者又都是卷积
// 3. 核对：手写实现 vs 数值梯度 vs TensorFlow.js

// %%
import { seed, Tensor, tensor, randn, conv2d, conv2dBackward, conv2dSpecs, Conv2d, Tanh, Flatten, Linear, Sequential, gradcheckLayer, convWalkthrough, tensorTable, featureMaps, show, loadTf, compareGradients, opParity, formatParityTable, setLocale, tr, Rng, check, assertEqual, assertAllClose } from 'tscnn';
import type { OpSpec, ParityRow } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## Deriving the gradients
//
// Forward (stride 1, no padding, one channel): $Y[i,j] = \sum_{a,b} X[i+a,\,j+b]\,W[a,b] + b$.
//
// Given dY = ∂L/∂Y, the chain rule sums over every output that used a value:
//
// - **dW**: $\dfrac{\partial L}{\partial W[a,b]} = \sum_{i,j} dY[i,j]\; X[i+a,\,j+b]$ → the **correlation of X with dY** (dY plays the kernel)
// - **dX**: $\dfrac{\partial L}{\partial X[r,c]} = \sum_{i,j} dY[i,j]\; W[r-i,\,c-j]$ → the **full correlation of dY (zero-padded by F − 1) with the flipped kernel** (rotated 180°)
// - **db** $= \sum_{i,j} dY[i,j]$
//
// With channels: dW[o, c] = X[c] ⋆ dY[o], dX[c] = Σ_o pad(dY[o]) ⋆ rot180(W[o, c]).
// ::: zh
// ## 推导梯度
//
// 前向（步长 1，不填充，单通道）：$Y[i,j] = \sum_{a,b} X[i+a,\,j+b]\,W[a,b] + b$。
//
// 给定 dY = ∂L/∂Y，链式法则对每个用到某个值的输出求和：
//
// - **dW**：$\dfrac{\partial L}{\partial W[a,b]} = \sum_{i,j} dY[i,j]\; X[i+a,\,j+b]$ → **X 与 dY 的互相关**（dY 充当卷积核）
// - **dX**：$\dfrac{\partial L}{\partial X[r,c]} = \sum_{i,j} dY[i,j]\; W[r-i,\,c-j]$ → **dY（四周补 F − 1 圈 0）与翻转后卷积核的完全互相关**（旋转 180°）
// - **db** $= \sum_{i,j} dY[i,j]$
//
// 有多个通道时：dW[o, c] = X[c] ⋆ dY[o]，dX[c] = Σ_o pad(dY[o]) ⋆ rot180(W[o, c])。

// %%
const X = tensor([[1, 2, 0, 1], [0, 1, 3, 2], [2, 1, 0, 1], [1, 0, 2, 3]]).reshape([1, 1, 4, 4]);
const W = tensor([[1, 0, -1], [2, 1, 0], [0, -1, 1]]).reshape([1, 1, 3, 3]);
const dY = tensor([[1, -1], [2, 0.5]]).reshape([1, 1, 2, 2]); // pretend this came from the layer above
const grads = conv2dBackward(dY, X, W); // the library's backward: { dx, dw, db }
show(tensorTable(X, { title: 'X' }), tensorTable(W, { title: 'W' }), tensorTable(conv2d(X, W, null), { title: 'Y = X ⋆ W' }), tensorTable(dY, { title: 'dY' }));

// %% [markdown] subslide
// ## Lecture 003's forward formula, index by index
//
// Lecture 003 writes a 3×3 layer with m input channels as $y_{t,i,j} = \sum_{k=1}^{m} \sum_{p=1}^{3} \sum_{q=1}^{3} f_{t,k,p,q}\, x_{k,\,i-2+p,\,j-2+q}$ (indices from 1). For p = 1, 2, 3 the row i − 2 + p runs over i − 1, i, i + 1: the window is **centred** on (i, j), which is a convolution with padding 1 (values outside the map count as 0). Below, that sum is written out literally and compared with `conv2d(x, f, null, { padding: 1 })`.
// ::: zh
// ## 讲义 003 的前向公式，逐个下标
//
// 讲义 003 把一个 m 个输入通道的 3×3 卷积层写成 $y_{t,i,j} = \sum_{k=1}^{m} \sum_{p=1}^{3} \sum_{q=1}^{3} f_{t,k,p,q}\, x_{k,\,i-2+p,\,j-2+q}$（下标从 1 开始）。p = 1, 2, 3 时，行号 i − 2 + p 取 i − 1、i、i + 1：窗口以 (i, j) 为**中心**，也就是填充 1 的卷积（特征图外面的值算作 0）。下面把这个求和照字面写出来，与 `conv2d(x, f, null, { padding: 1 })` 比较。

// %% fragment
const m3 = 2, n3 = 3, H3 = 5;
const rng3 = new Rng(7);
const x3 = randn([1, m3, H3, H3], { rng: rng3 }), f3 = randn([n3, m3, 3, 3], { rng: rng3 });
const xAt = (k: number, r: number, c: number) => (r < 1 || r > H3 || c < 1 || c > H3 ? 0 : x3.get(0, k - 1, r - 1, c - 1));
const yLecture = (t: number, i: number, j: number) => {
  let s = 0;
  for (let k = 1; k <= m3; k++) for (let p = 1; p <= 3; p++) for (let q = 1; q <= 3; q++) {
    s += f3.get(t - 1, k - 1, p - 1, q - 1) * xAt(k, i - 2 + p, j - 2 + q);
  }
  return s;
};
const yLib = conv2d(x3, f3, null, { padding: 1 });
let worst3 = 0;
for (let t = 1; t <= n3; t++) for (let i = 1; i <= H3; i++) for (let j = 1; j <= H3; j++) {
  worst3 = Math.max(worst3, Math.abs(yLecture(t, i, j) - yLib.get(0, t - 1, i - 1, j - 1)));
}
check(worst3 < 1e-5, `the lecture's sum = conv2d with padding 1 (max diff ${worst3})`);
tr({
  en: `${n3}×${H3}×${H3} outputs from the lecture's triple sum vs conv2d(padding 1): max |Δ| = ${worst3.toExponential(1)}`,
  zh: `讲义三重求和得到的 ${n3}×${H3}×${H3} 个输出 vs conv2d(填充 1)：max |Δ| = ${worst3.toExponential(1)}`,
})

// %% [markdown] slide
// ## dW: correlate X with dY
//
// dW[a, b] is the 2×2 window of X at (a, b) dotted with dY — a convolution with dY as the filter:
// ::: zh
// ## dW：X 与 dY 做互相关
//
// dW[a, b] 是 X 在 (a, b) 处的 2×2 窗口与 dY 的点积——也就是以 dY 为卷积核的卷积：

// %%
const walkDW = convWalkthrough(X, dY);
assertAllClose('dW = X ⋆ dY', walkDW.outputTensor(), grads.dw);
assertAllClose('dW via conv2d', conv2d(X, dY, null), grads.dw);
walkDW

// %% [markdown] slide
// ## dX: full correlation of dY with the flipped kernel
//
// Pad dY with F − 1 = 2 zeros on every side and slide rot180(W) over it: every X pixel collects dY from every output it fed, weighted by the filter tap that connected them.
// ::: zh
// ## dX：dY 与翻转卷积核的完全互相关
//
// 在 dY 四周各补 F − 1 = 2 圈 0，让 rot180(W) 在上面滑动：每个 X 像素从它参与计算的每个输出那里收集 dY，权重就是连接它们的那个卷积核元素。

// %%
const Wflip = new Tensor(W.data.slice().reverse(), W.shape); // one 3×3 plane reversed = rotated 180°
const walkDX = convWalkthrough(dY, Wflip, { padding: 2 });
assertAllClose('dX = pad(dY) ⋆ rot180(W)', walkDX.outputTensor(), grads.dx);
assertAllClose('dX via conv2d', conv2d(dY, Wflip, null, { padding: 2 }), grads.dx);
assertEqual('db = Σ dY', grads.db.toList(), [1 - 1 + 2 + 0.5]);
walkDX

// %% fragment
featureMaps(tensor([grads.dx.toArray() as number[][][][]].flat(3)).reshape([1, 1, 4, 4]), { labels: ['dX (4×4)'], scale: 48 })

// %% [markdown] slide
// ## Check 1: against numeric gradients (gradcheck)
//
// Central differences, (L(θ + ε) − L(θ − ε)) / 2ε, for every weight of a real conv layer with stride 2, padding and 3 → 4 channels:
// ::: zh
// ## 核对 1：与数值梯度比较（gradcheck）
//
// 用中心差分 (L(θ + ε) − L(θ − ε)) / 2ε，检查一个真实卷积层（步长 2、带填充、3 → 4 通道）的每一个权重：

// %%
const layer = new Conv2d(3, 4, 3, { stride: 2, padding: 1 });
const report = gradcheckLayer(layer, randn([2, 3, 7, 7]));
if (!report.ok) throw new Error(String(report));
console.log(String(report));

// %% [markdown] slide
// ## Check 2: against TensorFlow.js
//
// The same small CNN, weights copied into a TensorFlow.js model (NHWC layout), gradients from `tf.grads`; plus numeric gradients on a sample of elements.
// The backend line says which kernels tscnn had to add: tfjs's wasm backend has no `Conv2DBackpropFilter`, so tscnn registers one built from wasm's own `Conv2D` kernel (dW is itself a convolution of X with dY). It shares no code with tscnn's hand-written `conv2dBackward`, and the test suite checks it against tfjs's cpu backend; the **numeric** column is a third, fully independent check.
// ::: zh
// ## 核对 2：与 TensorFlow.js 比较
//
// 同一个小 CNN，把权重复制到 TensorFlow.js 模型中（NHWC 布局），用 `tf.grads` 求梯度；另外在一部分元素上计算数值梯度。
// 后端那一行说明 tscnn 补上了哪些算子：tfjs 的 wasm 后端没有 `Conv2DBackpropFilter`，所以 tscnn 用 wasm 自己的 `Conv2D` 算子注册了一个（dW 本身就是 X 与 dY 的卷积）。它和 tscnn 手写的 `conv2dBackward` 不共享任何代码，测试套件还会把它和 tfjs 的 cpu 后端核对；**数值**一列是第三个完全独立的检查。

// %%
const tfh = await loadTf();
console.log(tfh.describe());

// %% fragment
// strided conv instead of max pooling: the numeric check stays away from max's kinks (a tiny ε can flip the winner)
const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1, stride: 2 }), new Tanh(), new Conv2d(4, 6, 3), new Tanh(), new Flatten(), new Linear(6 * 2 * 2, 3));
const batch = { x: randn([4, 1, 8, 8]), labels: [0, 2, 1, 2] };
const cmp = await compareGradients(net, batch, { handle: tfh });
if (!(cmp.worstVsTfjs < 1e-3)) throw new Error(`hand-coded vs tfjs: ${cmp.worstVsTfjs}`);
if (!(cmp.worstVsNumeric < 1e-2)) throw new Error(`hand-coded vs numeric: ${cmp.worstVsNumeric}`);
cmp

// %% [markdown] subslide
// ## Op parity: every conv2d case in the registry
//
// Each case (stride, padding incl. TensorFlow's asymmetric *same*, dilation, groups, depthwise, 1×1) runs forward and backward in tscnn and TensorFlow.js; errors are max |ours − tfjs|.
// ::: zh
// ## 算子一致性：注册表中的每一个 conv2d 用例
//
// 每个用例（步长、填充——包括 TensorFlow 不对称的 *same*、空洞、分组、depthwise、1×1）在 tscnn 和 TensorFlow.js 中分别做前向和反向；误差为 max |我们的 − tfjs|。

// %% fragment
const convSpec = conv2dSpecs[0] as unknown as OpSpec; // opParity takes the untyped OpSpec
const parityRows: ParityRow[] = [];
for (const c of convSpec.cases) parityRows.push(await opParity(convSpec, c, { handle: tfh }));
const bad = parityRows.filter((r) => !r.ok && !r.skipped);
if (bad.length) throw new Error(`conv2d parity failed:\n${formatParityTable(bad)}`);
const [nOk, nAll, nSkip] = [parityRows.filter((r) => r.ok).length, parityRows.length, parityRows.filter((r) => r.skipped).length];
const paritySummary = tr({
  en: `${nOk} / ${nAll} conv2d cases agree with tfjs (${tfh.backend}), ${nSkip} skipped`,
  zh: `${nOk} / ${nAll} 个 conv2d 用例与 tfjs（${tfh.backend}）一致，跳过 ${nSkip} 个`,
});
console.log(`${paritySummary}\n\n` + formatParityTable(parityRows));

// %% [markdown] slide
// ## Summary
//
// - dW = X ⋆ dY: each weight collects input × upstream gradient over all positions it touched
// - dX = pad(dY) ⋆ rot180(W): the gradient flows back along the same connections, weighted by the same weights
// - db = Σ dY
// - hand-coded = numeric = TensorFlow.js, to ~1e-6
//
// The backward of a convolution is a convolution — which is why CNN training costs about 3× a forward pass.
//
// ::: zh
// ## 小结
//
// - dW = X ⋆ dY：每个权重把它接触过的所有位置上的 输入 × 上游梯度 加起来
// - dX = pad(dY) ⋆ rot180(W)：梯度沿同样的连接、以同样的权重流回去
// - db = Σ dY
// - 手写实现 = 数值梯度 = TensorFlow.js，误差约 1e-6
//
// 卷积的反向传播还是卷积——这就是为什么训练 CNN 的代价大约是一次前向的 3 倍。
