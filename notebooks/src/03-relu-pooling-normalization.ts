// %% [markdown] slide
// # 3 · ReLU 激活函数, pooling 池化, normalization
//
// 1. ReLU: y = max(0, x)
// 2. Pooling: max / average, stride, and what pooling throws away
// 3. Batch normalization 批归一化 (and its running statistics), LRN 局部响应归一化
// 4. Merge layers: concatenate (Inception) and add (ResNet), and their gradients
// ::: zh
// # 3 · ReLU 激活函数、池化与归一化
//
// 1. ReLU：y = max(0, x)
// 2. 池化：最大 / 平均池化、步长，以及池化丢掉了什么
// 3. 批归一化（及其滑动统计量）、局部响应归一化（LRN）
// 4. 合并层：拼接（Inception）与相加（ResNet），以及它们的梯度

// %%
import { seed, Tensor, tensor, randn, relu, reluBackward, maxPool2d, maxPool2dBackward, avgPool2d, concat, concatBackward, add, addBackward, Conv2d, BatchNorm2d, LocalResponseNorm, Concat, Add, Identity, Sequential, Tanh, gradcheckLayer, reluWalkthrough, poolWalkthrough, tensorTable, featureMaps, drawModel, show, setLocale, tr, assertEqual, assertClose } from 'tscnn';
import { Rng, slice, check, maxAbsDiff, MaxPool2d } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## ReLU 激活函数
//
// ReLU keeps positive values and zeroes the rest: y = max(0, x). Without a non-linearity between them, stacked convolutions would collapse into a single linear map.
// Backward: the gradient passes where x > 0 and is blocked where x ≤ 0.
// ::: zh
// ## ReLU 激活函数
//
// ReLU 保留正值、把其余置零：y = max(0, x)。如果层与层之间没有非线性，堆叠起来的卷积就会退化成一个线性映射。
// 反向传播：在 x > 0 的地方梯度通过，在 x ≤ 0 的地方梯度被挡住。

// %%
const F = tensor([[-3, 2, 0.5], [1, -0.5, -2], [4, 0, -1]]);
const wRelu = reluWalkthrough(F);
assertEqual('relu', relu(F).toArray(), [[0, 2, 0.5], [1, 0, 0], [4, 0, 0]]);
assertEqual('walkthrough = relu', wRelu.output, relu(F).toArray());
wRelu

// %% fragment
const dRelu = reluBackward(tensor([[1, 1, 1], [1, 1, 1], [1, 1, 1]]), F);
assertEqual('relu backward', dRelu.toArray(), [[0, 1, 1], [1, 0, 0], [1, 0, 0]]);
tensorTable(dRelu, { title: tr({ en: 'ReLU backward of dy = 1: gradient flows only where x > 0', zh: 'dy = 1 时 ReLU 的反向传播：梯度只在 x > 0 处通过' }) })

// %% [markdown] slide
// ## Max pooling 最大池化
//
// A 2×2 window with stride 2 keeps the largest value of each window: the map shrinks 4×, the strongest responses survive.
// ::: zh
// ## 最大池化
//
// 2×2 窗口、步长 2，保留每个窗口中的最大值：特征图缩小为 1/4，最强的响应被保留下来。

// %%
const P = tensor([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]);
const wMax = poolWalkthrough(P, { kernelSize: 2, stride: 2, mode: 'max' });
assertEqual('max pool 2×2 / 2', wMax.output, [[6, 8], [3, 4]]);
assertEqual('maxPool2d', maxPool2d(P.reshape([1, 1, 4, 4]), { kernelSize: 2, stride: 2 }).toArray(), [[[[6, 8], [3, 4]]]]);
wMax

// %% fragment
const wAvg = poolWalkthrough(P, { kernelSize: 2, stride: 2, mode: 'avg' });
assertEqual('avg pool 2×2 / 2', wAvg.output, [[3.25, 5.25], [2, 2]]);
assertEqual('avgPool2d', avgPool2d(P.reshape([1, 1, 4, 4]), { kernelSize: 2 }).toList(), [3.25, 5.25, 2, 2]);
show(
  tensorTable(wMax.output, { title: tr({ en: 'max', zh: '最大池化' }) }),
  tensorTable(wAvg.output, { title: tr({ en: 'average 平均池化', zh: '平均池化' }) }),
)

// %% [markdown] subslide
// Windows may overlap (AlexNet: 3×3, stride 2). The size formula is the convolution's: (4 − 3)/1 + 1 = 2.
// ::: zh
// 窗口可以重叠（AlexNet：3×3，步长 2）。尺寸公式和卷积的一样：(4 − 3)/1 + 1 = 2。

// %% fragment
const wOverlap = poolWalkthrough(P, { kernelSize: 3, stride: 1, mode: 'max' });
assertEqual('3×3 / 1', wOverlap.output, [[7, 8], [7, 8]]);
wOverlap

// %% [markdown] subslide
// ## Each feature map is pooled on its own
//
// Lecture 003: pooling shrinks every feature map separately — channels are never mixed, so C maps in give C maps out. Lecture 001 adds: a pooling layer has **no parameters**; it changes the size, never the depth.
// ::: zh
// ## 每张特征图单独池化
//
// 讲义 003：池化对每张特征图单独降维——通道之间从不混合，输入 C 张特征图，输出还是 C 张。讲义 001 补充：池化层**没有参数**；它只改变尺寸，不改变深度。

// %% fragment
const maps = randn([1, 3, 4, 4], { rng: new Rng(4) });
const pooledAll = maxPool2d(maps, { kernelSize: 2 });
const onePlane = (c: number) => maxPool2d(slice(maps, c, 1), { kernelSize: 2 });
assertEqual('3 maps in, 3 maps out', pooledAll.shape, [1, 3, 2, 2]);
[0, 1, 2].forEach((c) => assertEqual(`map ${c} alone`, slice(pooledAll, c, 1).toList(), onePlane(c).toList()));
assertEqual('a pooling layer has no parameters', new MaxPool2d(2).numParameters(), 0);
tr({ en: 'maxPool of 3 maps = the 3 maps pooled one by one', zh: '3 张特征图一起池化 = 3 张图逐张池化' })

// %% [markdown] subslide
// ## Padding is −∞, and a window may not start in the right padding
//
// PyTorch's `MaxPool2d` (quoted in lecture 002) pads with **−∞**, not 0, so padding never wins a max. With `ceil_mode`, a last partial window is kept only if it starts inside the input or the left padding. A row of 5 with window 2, stride 2, padding 1: the formula gives ⌈(5 + 2 − 2)/2⌉ + 1 = 4 windows, but the 4th would start in the right padding, so there are 3.
// ::: zh
// ## 填充的是 −∞，窗口不能从右侧填充区开始
//
// 讲义 002 引用的 PyTorch `MaxPool2d`：填充的是 **−∞** 而不是 0，所以填充值永远不会成为最大值。`ceil_mode` 下，最后一个不完整的窗口只有在它从输入内部或左侧填充区开始时才保留。长度 5 的一行，窗口 2、步长 2、填充 1：公式给出 ⌈(5 + 2 − 2)/2⌉ + 1 = 4 个窗口，但第 4 个会从右侧填充区开始，所以只有 3 个。

// %% fragment
const row = tensor([[-5, -3, -1, -2, -4]]).reshape([1, 1, 1, 5]);
const padOpts = { kernelSize: [1, 2], stride: [1, 2], padding: [0, 1] } as const;
const ceilRow = maxPool2d(row, { ...padOpts, ceilMode: true });
assertEqual('windows [−∞, −5], [−3, −1], [−2, −4]: padding never wins', ceilRow.toList(), [-5, -1, -2]);
assertEqual('formula with ceil', Math.ceil((5 + 2 - 2) / 2) + 1, 4);
assertEqual('the 4th window (starting in the right padding) is dropped', ceilRow.shape[3], 3);
tr({ en: `maxPool(row, 2, stride 2, pad 1, ceil) = [${ceilRow.toList()}]`, zh: `maxPool(这一行, 2, 步长 2, 填充 1, ceil) = [${ceilRow.toList()}]` })

// %% [markdown] slide
// ## What pooling throws away: the exact position
//
// Shift a pattern by one pixel inside the pooling windows: the max-pooled output is **identical**. A little translation invariance — paid for with the exact location (and 3 of every 4 values).
// ::: zh
// ## 池化丢掉了什么：精确的位置
//
// 把一个图案在池化窗口内平移一个像素：最大池化的输出**完全相同**。这带来一点平移不变性——代价是丢掉了精确的位置（以及每 4 个值中的 3 个）。

// %%
const a = tensor([[9, 0, 0, 0], [0, 0, 0, 7], [0, 0, 0, 0], [0, 5, 0, 0]]).reshape([1, 1, 4, 4]);
const b = tensor([[0, 0, 0, 0], [0, 9, 0, 7], [0, 5, 0, 0], [0, 0, 0, 0]]).reshape([1, 1, 4, 4]); // 9 and 5 moved
const pa = maxPool2d(a, { kernelSize: 2 }), pb = maxPool2d(b, { kernelSize: 2 });
assertEqual('same pooled output', pa.toArray(), pb.toArray());
const patLabels = [tr({ en: 'pattern', zh: '图案' }), tr({ en: 'shifted pattern', zh: '平移后的图案' })];
featureMaps(concat([a, b], 1), { labels: patLabels, scale: 40 })

// %% fragment
show(
  tensorTable(pa, { title: tr({ en: 'maxPool(pattern)', zh: 'maxPool(图案)' }) }),
  tensorTable(pb, { title: tr({ en: 'maxPool(shifted)', zh: 'maxPool(平移后)' }) }),
)

// %% [markdown] subslide
// Backward of max pooling: each window's gradient goes to **the cell that won** (ConvNetJS remembers it); the others get 0.
// ::: zh
// 最大池化的反向传播：每个窗口的梯度只传给**取到最大值的那个格子**（ConvNetJS 会记住它）；其他格子得到 0。

// %% fragment
const dP = maxPool2dBackward(tensor([[[[1, 2], [3, 4]]]]), P.reshape([1, 1, 4, 4]), { kernelSize: 2 });
assertEqual('max-pool backward', dP.toArray(), [[[[0, 0, 0, 0], [0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 4]]]]);
tensorTable(dP, { title: tr({ en: 'dx for dy = [[1, 2], [3, 4]]', zh: 'dy = [[1, 2], [3, 4]] 时的 dx' }) })

// %% [markdown] slide
// ## Batch normalization 批归一化
//
// Per channel, over the batch and all positions: $\hat x = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$, then $y = \gamma \hat x + \beta$.
// After it every channel has mean 0 and variance 1 (for γ = 1, β = 0), whatever scale the previous layer produced.
// ::: zh
// ## 批归一化
//
// 对每个通道，在整个批次和所有位置上计算：$\hat x = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$，然后 $y = \gamma \hat x + \beta$。
// 经过它之后，每个通道的均值为 0、方差为 1（当 γ = 1、β = 0 时），不论上一层输出的尺度如何。

// %%
const xb = randn([8, 3, 4, 4], { mean: 5, std: 3 });
const bn = new BatchNorm2d(3); // training mode
const yb = bn.forward(xb);
function channelStats(t: Tensor) {
  const [n, c, h, w] = t.shape;
  return Array.from({ length: c }, (_, ch) => {
    const v: number[] = [];
    for (let i = 0; i < n; i++) for (let k = 0; k < h * w; k++) v.push(t.data[(i * c + ch) * h * w + k]);
    const mean = v.reduce((s, u) => s + u, 0) / v.length;
    return { mean, var: v.reduce((s, u) => s + (u - mean) ** 2, 0) / v.length };
  });
}
const before = channelStats(xb), after = channelStats(yb);
after.forEach((s, ch) => { assertClose(`channel ${ch} mean`, s.mean, 0, 1e-5); assertClose(`channel ${ch} var`, s.var, 1, 1e-3); });
const fmtMean = (v: number) => (v + 0).toFixed(6).replace('-0.000000', '0.000000');
console.log(before.map((s, ch) => {
  const [m0, v0, m1, v1] = [s.mean.toFixed(3), s.var.toFixed(3), fmtMean(after[ch].mean), after[ch].var.toFixed(4)];
  return tr({
    en: `channel ${ch}: mean ${m0} var ${v0}  →  mean ${m1} var ${v1}`,
    zh: `通道 ${ch}：均值 ${m0} 方差 ${v0}  →  均值 ${m1} 方差 ${v1}`,
  });
}).join('\n'));

// %% [markdown] subslide
// ## Running statistics: what the network uses at test time
//
// Training updates running averages, running ← (1 − 0.1)·running + 0.1·batch (PyTorch's momentum; the variance is the unbiased one). In `eval()` mode the layer normalizes with them instead of the batch's.
// ::: zh
// ## 滑动统计量：网络在测试时用的是什么
//
// 训练时更新滑动平均：running ← (1 − 0.1)·running + 0.1·batch（即 PyTorch 的 momentum；方差用无偏估计）。在 `eval()` 模式下，这一层用滑动统计量而不是当前批次的统计量来归一化。

// %% fragment
const m = 8 * 16;
before.forEach((s, ch) => {
  assertClose(`running mean ${ch}`, bn.runningMean.data[ch], 0.1 * s.mean, 1e-5);
  assertClose(`running var ${ch}`, bn.runningVar.data[ch], 0.9 * 1 + 0.1 * s.var * m / (m - 1), 1e-5);
});
bn.eval();
const yEval = bn.forward(xb);
const [rm, rv] = [bn.runningMean, bn.runningVar].map((t) => t.toList().map((v) => v.toFixed(3)));
const yMean0 = channelStats(yEval)[0].mean.toFixed(3);
console.log(tr({
  en: `running mean ${rm}, running var ${rv}\n` +
    `eval mode normalizes with them: channel 0 mean of y = ${yMean0} (not 0: the running stats have seen one batch)`,
  zh: `滑动均值 ${rm}，滑动方差 ${rv}\n` +
    `eval 模式用它们来归一化：y 在通道 0 上的均值 = ${yMean0}（不是 0：滑动统计量只见过一个批次）`,
}));

// %% [markdown] slide
// ## Local response normalization 局部响应归一化 (AlexNet)
//
// Each activation is divided by the energy of its neighbours across `n` adjacent channels — a strong channel suppresses its neighbours (lateral inhibition):
//
// $$y_c = x_c \Big/ \Big(k + \frac{\alpha}{n}\sum_{c' \in [c - n/2,\ c + n/2]} x_{c'}^2\Big)^{\beta}$$
// ::: zh
// ## 局部响应归一化（AlexNet）
//
// 每个激活值都除以相邻 `n` 个通道上的能量——强的通道会抑制它的邻居（侧抑制）：
//
// $$y_c = x_c \Big/ \Big(k + \frac{\alpha}{n}\sum_{c' \in [c - n/2,\ c + n/2]} x_{c'}^2\Big)^{\beta}$$

// %%
const lrn = new LocalResponseNorm(3, { alpha: 1, beta: 0.75, k: 1 });
const xl = tensor([1, 4, 1, 1, 1]).reshape([1, 5, 1, 1]);
const yl = lrn.forward(xl);
// check channel 2 against the formula: neighbours 1, 2, 3 → x² = 16, 1, 1
assertClose('LRN channel 2', yl.data[2], 1 / (1 + (1 / 3) * (16 + 1 + 1)) ** 0.75, 1e-6);
assertClose('LRN channel 4', yl.data[4], 1 / (1 + (1 / 3) * (1 + 1)) ** 0.75, 1e-6);
const yLrn = yl.toList().map((v) => v.toFixed(3));
console.log(tr({
  en: `x = [${xl.toList()}]  →  y = [${yLrn}]: channels next to the strong one are damped most`,
  zh: `x = [${xl.toList()}]  →  y = [${yLrn}]：紧挨着强通道的通道被抑制得最多`,
}));

// %% [markdown] subslide
// ## LRN and BN: what each one depends on
//
// Lecture 003's two differences: BN normalizes with the statistics of the **mini-batch**, LRN only with the sample's **own** neighbouring channels; and BN has **learned** parameters (γ, β), LRN none.
// ::: zh
// ## LRN 与 BN：各自依赖什么
//
// 讲义 003 说的两点区别：BN 用 **mini-batch** 的统计量来归一化，LRN 只用样本**自身**相邻的通道；BN 有**可学习**的参数（γ、β），LRN 没有。

// %% fragment
const own4 = new Rng(5);
const sample = randn([1, 5, 2, 2], { rng: own4 });
const mates = [randn([3, 5, 2, 2], { rng: own4 }), randn([3, 5, 2, 2], { rng: own4 })];
const first = (t: Tensor) => slice(t, 0, 1, { axis: 0 });
const inBatch = (m: Tensor) => concat([sample, m], 0);
const bnFresh = new BatchNorm2d(5);
const lrnDiff = maxAbsDiff(first(lrn.forward(inBatch(mates[0]))), first(lrn.forward(inBatch(mates[1]))));
const bnDiff = maxAbsDiff(first(bnFresh.forward(inBatch(mates[0]))), first(bnFresh.forward(inBatch(mates[1]))));
assertEqual('LRN: the same sample gives the same output whatever its batch', lrnDiff, 0);
check(bnDiff > 0.01, `BN: the output of the same sample changes with its batch mates (${bnDiff})`);
assertEqual('learned parameters: LRN, BN', [lrn.parameters().length, bnFresh.parameters().length], [0, 2]);
tr({
  en: `same sample, other batch mates: LRN output moves ${lrnDiff}, BN output moves up to ${bnDiff.toFixed(3)}; learned tensors: LRN 0, BN 2 (γ, β)`,
  zh: `同一个样本、换一批同伴：LRN 的输出变化 ${lrnDiff}，BN 的输出最多变化 ${bnDiff.toFixed(3)}；可学习的张量：LRN 0 个，BN 2 个（γ、β）`,
})

// %% [markdown] slide
// ## Merge layers: concatenate (Inception) and add (ResNet)
//
// - **Concat** 拼接: branches' outputs stacked along channels: [1, 2, H, W] ⊕ [1, 3, H, W] → [1, 5, H, W]
// - **Add** 相加: shapes must match: y = x + F(x) (the residual connection)
// ::: zh
// ## 合并层：拼接（Inception）与相加（ResNet）
//
// - **拼接**（Concat）：各分支的输出沿通道方向叠在一起：[1, 2, H, W] ⊕ [1, 3, H, W] → [1, 5, H, W]
// - **相加**（Add）：形状必须相同：y = x + F(x)（残差连接）

// %%
const inception = new Concat([new Conv2d(4, 2, 1), new Conv2d(4, 3, 3, { padding: 1 }), new Identity()]);
const residual = new Add([new Identity(), new Sequential(new Conv2d(4, 4, 3, { padding: 1 }), new Tanh(), new Conv2d(4, 4, 3, { padding: 1 }))]);
const xm = randn([1, 4, 5, 5]);
assertEqual('concat shape', inception.forward(xm).shape, [1, 9, 5, 5]);
assertEqual('add shape', residual.forward(xm).shape, [1, 4, 5, 5]);
await drawModel(inception, [1, 4, 5, 5])

// %% [markdown] subslide
// ## Their gradients
//
// - concat backward **splits** dy back into the branches' channel ranges
// - add backward **copies** dy to every input (∂(a + b)/∂a = 1)
// - x feeds every branch, so dL/dx is the **sum** over branches (multivariate chain rule)
// ::: zh
// ## 它们的梯度
//
// - 拼接的反向传播把 dy **切分**回各分支对应的通道范围
// - 相加的反向传播把 dy **复制**给每个输入（∂(a + b)/∂a = 1）
// - x 输入到每个分支，所以 dL/dx 是各分支梯度的**和**（多元链式法则）

// %% fragment
const dy = randn([1, 5, 2, 2]);
const [d1, d2] = concatBackward(dy, [[1, 2, 2, 2], [1, 3, 2, 2]]);
assertEqual('split shapes', [d1.shape, d2.shape], [[1, 2, 2, 2], [1, 3, 2, 2]]);
assertEqual('split = dy', [...d1.toList(), ...d2.toList()], dy.toList());
const [ga, gb] = addBackward(d1);
assertEqual('add copies', [ga.toList(), gb.toList()], [d1.toList(), d1.toList()]);
// two identity branches: y = x + x, so dx = 2·dy
const twice = new Add([new Identity(), new Identity()]);
twice.forward(d1);
assertEqual('sum over branches', twice.backward(d1).toList(), d1.toList().map((v) => 2 * v));
for (const [name, layer] of [['Concat', inception], ['Add', residual]] as const) {
  const r = gradcheckLayer(layer, xm);
  if (!r.ok) throw new Error(`${name} gradcheck: ${r}`);
}
console.log(tr({
  en: 'concat splits, add copies, branches sum — and gradcheck agrees for both merge layers',
  zh: '拼接切分梯度，相加复制梯度，各分支的梯度相加——两种合并层都通过了梯度检验',
}));

// %% [markdown] slide
// ## Try it live
//
// Switch between max pooling, average pooling and ReLU, and move the window size and stride; tick ceil mode to keep a last, partial window. The kernel recomputes the walkthrough and the output size with the current numbers.
// ::: zh
// ## 动手试试
//
// 在最大池化、平均池化和 ReLU 之间切换，拖动窗口大小和步长；勾选 ceil 模式可以保留最后一个不完整的窗口。内核用当前的数字重新计算逐步演示和输出尺寸。

// %%
import { poolExplorer } from 'tscnn';
const poolLive = poolExplorer();
assertEqual('live pooling explorer: 6×6, 2×2 windows, stride 2 → 3×3', poolLive.formula.value.includes('⌊(6 − 2)/2⌋ + 1 = 3'), true);
poolLive

// %% [markdown] slide
// ## Summary
//
// - ReLU: max(0, x); gradient passes only where x > 0
// - pooling 池化 shrinks maps and keeps the strongest response; it forgets the exact position
// - batch norm 批归一化: per-channel mean 0 / var 1 in training, running stats at test time; LRN: damp by neighbouring channels
// - concat splits gradients, add copies them, and a shared input sums them
//
// Next: the chain rule 链式法则.
//
// ::: zh
// ## 小结
//
// - ReLU：max(0, x)；梯度只在 x > 0 处通过
// - 池化缩小特征图并保留最强的响应；它忘掉了精确的位置
// - 批归一化：训练时每个通道均值 0 / 方差 1，测试时用滑动统计量；LRN：用相邻通道的能量来抑制
// - 拼接切分梯度，相加复制梯度，共享的输入把梯度加起来
//
// 下一课：链式法则。
