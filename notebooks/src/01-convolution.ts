// %% [markdown] slide
// # 1 · Convolution 卷积, by hand
//
// 1. Why images need **spatial structure**
// 2. The 5×5 ⊛ 3×3 walkthrough, one output cell at a time
// 3. A convolution is a **neuron** that slides: input patch · weights → output
// 4. Filters (卷积核) are **pattern detectors**: the curve detector
// 5. The lecture's classic kernels: identity, a Gaussian with σ = 1, D = 0.5·Dx + 0.5·Dy; blur and Sobel on a real photo
//
// Everything below is computed by `tscnn` (`src/ops/conv2d.ts`); the notebook only calls it and checks the numbers.
// ::: zh
// # 1 · 手算卷积
//
// 1. 为什么图像需要**空间结构**
// 2. 5×5 ⊛ 3×3 的逐步演示，一次算一个输出格
// 3. 卷积是一个会滑动的**神经元**：输入小块 · 权重 → 输出
// 4. 卷积核是**模式检测器**：曲线检测器
// 5. 讲义中的经典卷积核：恒等核、σ = 1 的高斯核、D = 0.5·Dx + 0.5·Dy；在真实照片上做模糊和 Sobel
//
// 下面的一切都由 `tscnn`（`src/ops/conv2d.ts`）计算；笔记本只是调用它并检查数值。

// %%
import { seed, Rng, Tensor, tensor, conv2d, concat, Linear, loadImage, imageOf, featureMaps, tensorTable, convWalkthrough, show, setLocale, getLocale, tr, assertEqual, assertClose, assertAllClose } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## Why images need spatial structure
//
// A fully connected layer (全连接层) sees an image as a flat list of numbers. Shuffle the pixels (the same way for every image) and shuffle the layer's weights the same way: **its outputs do not change**. It has no idea which pixels are neighbours.
// ::: zh
// ## 为什么图像需要空间结构
//
// 全连接层把图像看成一串扁平的数字。把像素打乱（每张图都按同样的方式打乱），再把这一层的权重按同样的方式打乱：**它的输出完全不变**。它根本不知道哪些像素是相邻的。

// %%
const img = loadImage('../../data/chelsea.png', { grey: true, size: [32, 48] }); // [1, 1, 32, 48]
const n = img.size;
const perm = new Rng(1).shuffle(Int32Array.from({ length: n }, (_, i) => i)) as Int32Array;
const shuffled = new Tensor(Float32Array.from(perm, (p) => img.data[p]), img.shape);
show(imageOf(img, { scale: 4, title: tr({ en: 'image', zh: '图像' }) }), imageOf(shuffled, { scale: 4, title: tr({ en: 'same pixels, shuffled', zh: '同样的像素，打乱后' }) }));

// %% fragment
const fc = new Linear(n, 10);
const fcShuffled = new Linear(n, 10);
// column j of fcShuffled reads pixel perm[j]: the same weight meets the same pixel
for (let o = 0; o < 10; o++) for (let j = 0; j < n; j++) fcShuffled.weight.value.data[o * n + j] = fc.weight.value.data[o * n + perm[j]];
fcShuffled.bias!.value.data.set(fc.bias!.value.data);
const y1 = fc.forward(img.reshape([1, n])), y2 = fcShuffled.forward(shuffled.reshape([1, n]));
for (let i = 0; i < 10; i++) assertClose(`fc output ${i}`, y2.data[i], y1.data[i], 1e-5);
const shuffleDiff = Math.max(...y1.toList().map((v, i) => Math.abs(v - y2.data[i]))).toExponential(1);
console.log(tr({
  en: `fully connected: outputs identical for the image and its shuffle (max diff ${shuffleDiff})`,
  zh: `全连接层：原图和打乱像素后的图给出相同的输出（最大差 ${shuffleDiff}）`,
}));

// %% [markdown] notes
// A convolution, in contrast, only ever combines a pixel with its neighbours (局部连接 local connectivity), and uses the same small filter everywhere (权值共享 weight sharing). Shuffling the pixels destroys exactly what it looks at.
// ::: zh
// 卷积则不同，它只把一个像素和它的邻居组合起来（局部连接），并且处处使用同一个小卷积核（权值共享）。打乱像素恰恰破坏了它所关注的东西。

// %% [markdown] subslide
// ## Before CNNs: features designed by hand
//
// Lecture 002's example of a hand-made feature, the Histogram of Oriented Gradients (HoG): cut the image into 8×8-pixel cells and sort each cell's edge directions into 9 bins. A 320×240 image gives 40×30 cells of 9 numbers: a fixed recipe of 30 × 40 × 9 = **10,800** numbers, fed to a trainable classifier. A CNN **learns** its features instead (its filters are parameters).
// ::: zh
// ## 在 CNN 之前：人工设计的特征
//
// 讲义 002 举的人工特征例子：方向梯度直方图（HoG）。把图像切成 8×8 像素的小格，把每格里边缘的方向分到 9 个区间。一张 320×240 的图得到 40×30 个格子、每格 9 个数：一套固定的配方，共 30 × 40 × 9 = **10,800** 个数，再交给一个可训练的分类器。CNN 则是**学出**它的特征（卷积核就是参数）。

// %% fragment
const [imgW, imgH, cell, bins] = [320, 240, 8, 9];
const cellsX = imgW / cell, cellsY = imgH / cell;
assertEqual('cells', [cellsX, cellsY], [40, 30]);
assertEqual('HoG feature length', cellsY * cellsX * bins, 10800);
tr({ en: `HoG of 320×240: ${cellsX}×${cellsY} cells × ${bins} bins = ${cellsX * cellsY * bins} numbers`, zh: `320×240 图像的 HoG：${cellsX}×${cellsY} 个格子 × ${bins} 个区间 = ${cellsX * cellsY * bins} 个数` })

// %% [markdown] slide
// ## The 5×5 ⊛ 3×3 walkthrough
//
// Input **x** (5×5, 0/1 pixels) and filter **k** (3×3, an "X"). The output cell y[i, j] is the sum of the element-wise products of k and the 3×3 window of x starting at (i, j):
//
// $$y[i,j] = \sum_{a=0}^{2}\sum_{b=0}^{2} x[i+a,\ j+b]\; k[a,b]$$
//
// (Deep-learning "convolution" is this cross-correlation: the kernel is not flipped.)
// ::: zh
// ## 5×5 ⊛ 3×3 逐步演示
//
// 输入 **x**（5×5，像素为 0/1）和卷积核 **k**（3×3，一个 "X"）。输出格 y[i, j] 是 k 与 x 中从 (i, j) 开始的 3×3 窗口逐元素相乘后的和：
//
// $$y[i,j] = \sum_{a=0}^{2}\sum_{b=0}^{2} x[i+a,\ j+b]\; k[a,b]$$
//
// （深度学习中的"卷积"就是这种互相关：卷积核不翻转。）

// %%
const X = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]);
const K = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
show(tensorTable(X, { title: 'x (5×5)', highlight: { row: 0, col: 0, height: 3, width: 3 } }), tensorTable(K, { title: 'k (3×3)' }));

// %% [markdown] subslide
// Step through the 9 output cells with **◀ previous / next ▶** (or ▶ play):
// ::: zh
// 用 **◀ 上一步 / 下一步 ▶**（或 ▶ 播放）逐个查看 9 个输出格：

// %%
const walk = convWalkthrough(X, K);
walk

// %% fragment
const Y = conv2d(X.reshape([1, 1, 5, 5]), K.reshape([1, 1, 3, 3]), null); // the library op, NCHW
assertEqual('walkthrough output', walk.output, [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
assertEqual('conv2d output', Y.toArray(), [[[[4, 3, 4], [2, 4, 3], [2, 3, 4]]]]);
assertEqual('frames', walk.frameCount, 9);
tensorTable(Y, { title: tr({ en: 'y = conv2d(x, k): 3×3 feature map', zh: 'y = conv2d(x, k)：3×3 特征图' }) })

// %% fragment
console.log(walk.steps[0].equation);

// %% [markdown] subslide
// ## Convolution as the textbook defines it: flip, then slide
//
// Lecture 002 recalls the definition from analysis: the convolution of f and g flips one of them and then shifts it; PyTorch's documentation (also quoted there) calls what `Conv2d` computes a *cross-correlation*, with no flip. For the lecture's kernel the two agree, because it is unchanged by a 180° turn; for Sobel x they differ by a sign.
// ::: zh
// ## 教科书定义的卷积：先翻转，再滑动
//
// 讲义 002 回顾了泛函分析中的定义：f 与 g 的卷积先把其中一个翻转，再平移；讲义同样引用的 PyTorch 文档则把 `Conv2d` 算的叫作*互相关*，不翻转。对讲义里的卷积核，两者相同，因为它旋转 180° 后不变；对 Sobel x，两者相差一个符号。

// %% fragment
const rot180 = (k: Tensor) => new Tensor(k.data.slice().reverse(), k.shape);
/** Textbook (flipped) convolution, valid: y[i, j] = Σ_{a,b} x[i + 2 − a, j + 2 − b] · k[a, b]. */
const trueConv = (x: Tensor, k: Tensor) => {
  const n = x.shape[0] - 2;
  return tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) s += x.get(i + 2 - a, j + 2 - b) * k.get(a, b);
    return s;
  })));
};
const asNCHW = (t: Tensor) => t.reshape([1, 1, ...t.shape]);
assertEqual('true convolution = conv2d with the kernel turned 180°', asNCHW(trueConv(X, K)).toArray(), conv2d(asNCHW(X), asNCHW(rot180(K)), null).toArray());
assertEqual("the lecture's kernel: both give the same map", trueConv(X, K).toArray(), [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
const sobelX = tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);
const corr = conv2d(asNCHW(X), asNCHW(sobelX), null).toList(), flipped = trueConv(X, sobelX).toList();
assertEqual('Sobel x: convolution = −cross-correlation', flipped, corr.map((v) => -v + 0));
tr({
  en: `Sobel x on x: cross-correlation [${corr}], convolution [${flipped}]`,
  zh: `Sobel x 作用在 x 上：互相关 [${corr}]，卷积 [${flipped}]`,
})

// %% [markdown] slide
// ## A convolution is a neuron
//
// Each output cell is one **neuron**: its *input* is the 3×3 patch of x under the window (its 感受野 receptive field), its *weights* are the 9 kernel values, its *output* is w·x + b.
// The conv layer is that same neuron copied to every position (权值共享 weight sharing).
// ::: zh
// ## 卷积就是一个神经元
//
// 每个输出格是一个**神经元**：它的*输入*是窗口下 x 的 3×3 小块（它的感受野），它的*权重*是卷积核的 9 个值，它的*输出*是 w·x + b。
// 卷积层就是把同一个神经元复制到每一个位置（权值共享）。

// %%
// the neuron for output cell (1, 2): input = x[1:4, 2:5] flattened, weights = k flattened
const patch = [1, 2, 3].flatMap((r) => [2, 3, 4].map((c) => X.get(r, c)));
const neuron = new Linear(9, 1);
neuron.weight.value.data.set(K.data);
neuron.bias!.value.data[0] = 0;
const out12 = neuron.forward(tensor([patch])).item();
assertEqual('neuron(1, 2)', out12, Y.get(0, 0, 1, 2));
show(tensorTable(X, { title: tr({ en: 'input: the receptive field of y[1, 2]', zh: '输入：y[1, 2] 的感受野' }), highlight: { row: 1, col: 2, height: 3, width: 3 } }), tr({
  en: `weights w = ${JSON.stringify(K.toList())}, bias 0 → output w·x + b = ${out12} = y[1, 2]`,
  zh: `权重 w = ${JSON.stringify(K.toList())}，偏置 0 → 输出 w·x + b = ${out12} = y[1, 2]`,
}));

// %% [markdown] slide
// ## Filters are pattern detectors: the curve detector
//
// The lecture's 7×7 filter holds **30** along a curve and 0 elsewhere. Lay it on the lecture's two receptive fields of a drawing (a mouse):
// where the receptive field contains the same curve, the products add up to a large number (6600); where the pattern is somewhere else, every product has a 0 in it.
// ::: zh
// ## 卷积核是模式检测器：曲线检测器
//
// 讲义中的 7×7 卷积核沿一条曲线取值 **30**，其余为 0。把它放到讲义里一幅画（一只老鼠）的两个感受野上：
// 感受野里有同样的曲线时，乘积加起来是一个很大的数（6600）；模式在别处时，每个乘积里都有一个 0。

// %%
// the lecture's filter: 30 along a curve, 0 elsewhere (row, col)
const curve = [[0, 5], [1, 4], [2, 3], [3, 3], [4, 3], [5, 3]];
const curveFilter = new Tensor(new Float32Array(49), [1, 1, 7, 7]);
for (const [r, c] of curve) curveFilter.set(30, 0, 0, r, c);
// the lecture's two receptive fields: one on the mouse's back (the curve), one elsewhere
const fieldCurve = [[0, 0, 0, 0, 0, 0, 30], [0, 0, 0, 0, 50, 50, 50], [0, 0, 0, 20, 50, 0, 0], [0, 0, 0, 50, 50, 0, 0], [0, 0, 0, 50, 50, 0, 0], [0, 0, 0, 50, 50, 0, 0], [0, 0, 0, 50, 50, 0, 0]];
const fieldOther = [[0, 0, 0, 0, 0, 0, 0], [0, 40, 0, 0, 0, 0, 0], [40, 0, 40, 0, 0, 0, 0], [40, 20, 0, 0, 0, 0, 0], [0, 50, 0, 0, 0, 0, 0], [0, 0, 50, 0, 0, 0, 0], [25, 25, 0, 50, 0, 0, 0]];
const drawing = tensor(fieldCurve.map((row, r) => [...row, ...fieldOther[r]])).reshape([1, 1, 7, 14]);
show(featureMaps(curveFilter, { labels: [tr({ en: 'curve filter (30s)', zh: '曲线卷积核（30）' })], scale: 24 }), featureMaps(drawing, { labels: [tr({ en: 'the two receptive fields', zh: '两个感受野' })], scale: 24 }));

// %% fragment
// stride 7: exactly one output per 7×7 receptive field
const response = conv2d(drawing, curveFilter, null, { stride: 7 });
assertEqual('curve detector responses', response.toList(), [6600, 0]);
console.log(tr({ en: `on the curve: ${response.data[0]} = 4·(50·30) + 20·30 (a large number);  elsewhere: ${response.data[1]}`, zh: `在曲线上：${response.data[0]} = 4·(50·30) + 20·30（信号强）；在别处：${response.data[1]}（信号低）` }));

// %% [markdown] subslide
// ## A note on the lecture's slides
// The curve-detector slide is repeated several times, and two of the repeats draw the filter slightly differently while still writing 6600 and 0. With the filter as drawn there, the sums are different: moving the second 30 to column 3 gives **5100**; adding a 30 in the bottom row gives **8100** on the curve and **1500** elsewhere. The numbers 6600 and 0 belong to the filter above. The idea is the same in every version: a big response where the pattern matches.
// ::: zh
// ## 关于讲义幻灯片的一点说明
// 曲线检测器这张幻灯片重复了好几次，其中两次画的卷积核略有不同，但仍然写着 6600 和 0。按那两处画出的卷积核计算，结果是不同的：把第二个 30 挪到第 3 列得到 **5100**；在最后一行多加一个 30，则曲线上得到 **8100**、别处得到 **1500**。6600 和 0 对应的是上面的卷积核。每个版本的道理都一样：模式吻合的地方响应大。

// %%
const variant = (cells: number[][]) => { const f = new Tensor(new Float32Array(49), [1, 1, 7, 7]); for (const [r, c] of cells) f.set(30, 0, 0, r, c); return conv2d(drawing, f, null, { stride: 7 }).toList(); };
const secondAt3 = variant([[0, 5], [1, 3], [2, 3], [3, 3], [4, 3], [5, 3]]);
const bottomRow = variant([[0, 5], [1, 4], [2, 3], [3, 3], [4, 3], [5, 3], [6, 3]]);
assertEqual('repeat 1: second 30 in column 3', secondAt3, [5100, 0]);
assertEqual('repeat 2: a 30 in the bottom row too', bottomRow, [8100, 1500]);
console.log(tr({ en: `filter as first drawn: ${response.toList()}; second 30 in column 3: ${secondAt3}; with a bottom-row 30: ${bottomRow}`, zh: `最初画的卷积核：${response.toList()}；第二个 30 在第 3 列：${secondAt3}；最后一行也有 30：${bottomRow}` }));

// %% [markdown] slide
// ## The lecture's classic kernels
// - the **identity** kernel (1 in the centre, 0 elsewhere): the image does not change
// - a **Gaussian** sampled from $G(x, y) = \frac{1}{2\pi\sigma^2} e^{-\frac{x^2+y^2}{2\sigma^2}}$, here σ = 1 on a 5×5 grid, normalised to sum 1
// - the combined edge filter **D = 0.5·Dx + 0.5·Dy** of the two Sobel filters: by linearity, I ∗ D = 0.5·(I ∗ Dx) + 0.5·(I ∗ Dy), diagonal edges
// ::: zh
// ## 讲义中的经典卷积核
// - **恒等**卷积核（中心为 1，其余为 0）：图像没有变化
// - 由 $G(x, y) = \frac{1}{2\pi\sigma^2} e^{-\frac{x^2+y^2}{2\sigma^2}}$ 采样得到的**高斯**核，这里取 σ = 1、5×5 网格，归一化使其和为 1
// - 两个 Sobel 滤波器组合成的边缘滤波器 **D = 0.5·Dx + 0.5·Dy**：由线性，I ∗ D = 0.5·(I ∗ Dx) + 0.5·(I ∗ Dy)，检测斜向的边缘

// %%
const photo = loadImage('../../data/chelsea.png', { grey: true, size: [85, 128] });
const identity = tensor([[0, 0, 0], [0, 1, 0], [0, 0, 0]]).reshape([1, 1, 3, 3]);
assertEqual('identity kernel: the image does not change', conv2d(photo, identity, null, { padding: 'same' }).toList(), photo.toList());
const sigma = 1;
const G = (x: number, y: number) => Math.exp(-(x * x + y * y) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
const taps = [-2, -1, 0, 1, 2];
const gSum = taps.reduce((t, y) => t + taps.reduce((u, x) => u + G(x, y), 0), 0);
const gaussSigma = tensor(taps.map((y) => taps.map((x) => G(x, y) / gSum))).reshape([1, 1, 5, 5]);
assertClose('G(0, 0) = 1/(2πσ²)', G(0, 0), 1 / (2 * Math.PI), 1e-12);
assertClose('normalised centre weight', gaussSigma.get(0, 0, 2, 2), 0.1621, 1e-3);
const Dx = tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), Dy = tensor([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]);
const D = new Tensor(Dx.data.map((v, i) => 0.5 * v + 0.5 * Dy.data[i]), [1, 1, 3, 3]);
assertEqual('D = 0.5·Dx + 0.5·Dy', D.toList(), [-1, -1, 0, -1, 0, 1, 0, 1, 1]);
const ID = conv2d(photo, D, null, { padding: 'same' });
const IDx = conv2d(photo, Dx.reshape([1, 1, 3, 3]), null, { padding: 'same' }), IDy = conv2d(photo, Dy.reshape([1, 1, 3, 3]), null, { padding: 'same' });
assertAllClose('I ∗ D = 0.5·(I ∗ Dx) + 0.5·(I ∗ Dy)', ID, new Tensor(IDx.data.map((v, i) => 0.5 * v + 0.5 * IDy.data[i]), ID.shape), 1e-5);
const lectureKernels = concat([conv2d(photo, identity, null, { padding: 'same' }), conv2d(photo, gaussSigma, null, { padding: 'same' }), new Tensor(ID.data.map(Math.abs), ID.shape)], 1);
featureMaps(lectureKernels, { cols: 3, perChannel: true, colormap: 'grey', scale: 2, labels: tr({ en: 'identity|Gaussian σ = 1|D = 0.5·Dx + 0.5·Dy (|·|)', zh: '恒等|高斯 σ = 1|D = 0.5·Dx + 0.5·Dy（绝对值）' }).split('|') })

// %% [markdown] subslide
// ## Lecture 002's filter and its activation map
//
// Lecture 002 shows a 3×3 filter with 0.5 on its diagonal, 0.2 beside it and 0.1 in the corners, and the activation map it makes. The filter is a detector for diagonal strokes (top-left to bottom-right): on an image with one such stroke and one stroke the other way, the map is brightest along the matching stroke.
// ::: zh
// ## 讲义 002 的卷积核与它的激活图
//
// 讲义 002 给出一个 3×3 卷积核：对角线上是 0.5，旁边是 0.2，两个角上是 0.1，以及它生成的激活图。这个卷积核检测的是（从左上到右下的）斜线：在一张有一条这种斜线、一条反方向斜线的图上，激活图在方向相同的那条线上最亮。

// %%
const diagK = tensor([[0.5, 0.2, 0.1], [0.2, 0.5, 0.2], [0.1, 0.2, 0.5]]).reshape([1, 1, 3, 3]);
const strokes = Array.from({ length: 12 }, (_, r) => Array.from({ length: 12 }, (_, c) => (r === c || r + c === 11 ? 1 : 0)));
const act = conv2d(tensor(strokes).reshape([1, 1, 12, 12]), diagK, null);
const along = act.get(0, 0, 2, 2), across = act.get(0, 0, 2, 7); // on the ↘ stroke / on the ↙ stroke
assertClose('on the matching stroke: 0.5 + 0.5 + 0.5', along, 1.5, 1e-6);
assertClose('on the crossing stroke: 0.1 + 0.5 + 0.1', across, 0.7, 1e-6);
featureMaps(concat([tensor(strokes).reshape([1, 1, 12, 12]), conv2d(tensor(strokes).reshape([1, 1, 12, 12]), diagK, null, { padding: 1 })], 1), {
  labels: [tr({ en: 'image: ↘ and ↙ strokes', zh: '图像：↘ 与 ↙ 两条线' }), tr({ en: 'activation map', zh: '激活图' })],
  scale: 16,
})

// %% [markdown] slide
// ## Classic filters on a real photo
//
// - **Gaussian blur**: a 5×5 binomial filter, $\frac{1}{256}\,[1,4,6,4,1]^\top[1,4,6,4,1]$, weights sum to 1 → a weighted local average
// - **Sobel x / y**: a derivative across columns / rows, smoothed along the other axis
// - **gradient magnitude** $\sqrt{g_x^2 + g_y^2}$: edges in every direction
// ::: zh
// ## 在真实照片上的经典滤波器
//
// - **高斯模糊**：5×5 的二项式滤波器 $\frac{1}{256}\,[1,4,6,4,1]^\top[1,4,6,4,1]$，权重和为 1 → 加权的局部平均
// - **Sobel x / y**：沿列 / 行方向求导，并在另一个方向上平滑
// - **梯度幅值** $\sqrt{g_x^2 + g_y^2}$：各个方向的边缘

// %%
const cat = loadImage('../../data/chelsea.png', { grey: true }); // [1, 1, 170, 256] in [0, 1]
const b = [1, 4, 6, 4, 1];
const gauss = tensor(b.map((u) => b.map((v) => (u * v) / 256))).reshape([1, 1, 5, 5]);
const sobel = tensor([
  [[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]],   // Sobel x: d/dcolumn
  [[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]],   // Sobel y: d/drow
]); // [2, 1, 3, 3]: two filters in one conv layer
const blurred = conv2d(cat, gauss, null, { padding: 'same' });
const g = conv2d(cat, sobel, null, { padding: 'same' }); // [1, 2, 170, 256]
console.log(`cat ${JSON.stringify(cat.shape)} → blurred ${JSON.stringify(blurred.shape)}, Sobel ${JSON.stringify(g.shape)}`);

// %% fragment
// sanity checks the maths demands: the blur keeps a constant image constant; Sobel x of a ramp x[i, j] = j is 8 everywhere
assertClose('Σ gaussian', gauss.toList().reduce((s, v) => s + v, 0), 1, 1e-6);
const ramp = new Tensor(Float32Array.from({ length: 36 }, (_, i) => i % 6), [1, 1, 6, 6]);
assertEqual('Sobel x of a ramp', Array.from(new Set(conv2d(ramp, sobel, null).toList().slice(0, 16))), [8]);
assertEqual('Sobel y of a ramp', Array.from(new Set(conv2d(ramp, sobel, null).toList().slice(16))), [0]);
console.log(tr({
  en: 'checks passed: Σ Gaussian = 1, Sobel x(ramp) = 8, Sobel y(ramp) = 0',
  zh: '检查通过：Σ 高斯核 = 1，Sobel x(斜坡) = 8，Sobel y(斜坡) = 0',
}));

// %% subslide
const plane = 170 * 256;
const gx = g.data.subarray(0, plane), gy = g.data.subarray(plane);
const panels = concat([
  cat, blurred,
  new Tensor(gx.map(Math.abs), [1, 1, 170, 256]),
  new Tensor(gy.map(Math.abs), [1, 1, 170, 256]),
  new Tensor(gx.map((v, i) => Math.hypot(v, gy[i])), [1, 1, 170, 256]),
], 1);
featureMaps(panels, { cols: 3, perChannel: true, colormap: 'grey', scale: 1, labels: { en: ['input', 'Gaussian blur', '|Sobel x|', '|Sobel y|', 'gradient magnitude'], zh: ['输入', '高斯模糊', '|Sobel x|', '|Sobel y|', '梯度幅值'] }[getLocale()] })

// %% [markdown] notes
// |Sobel x| lights up vertical edges (the cat's whiskers and the edge of its face), |Sobel y| horizontal ones. A trained CNN's first layer learns filters that look very much like these.
// ::: zh
// |Sobel x| 突出竖直的边缘（猫的胡须和脸的轮廓），|Sobel y| 突出水平的边缘。训练好的 CNN 第一层学到的卷积核和它们非常相似。

// %% [markdown] slide
// ## Try it live
//
// Pick a kernel (the X kernel, Sobel x, a Gaussian of σ), edit its nine numbers, move stride, padding and dilation: the kernel recomputes the output with the walkthrough above, and the output size `(H − F + 2P)/S + 1` with the current numbers. An impossible setting says why instead of drawing. In an exported page or on slides without a kernel you see the starting state as a picture.
// ::: zh
// ## 动手试试
//
// 选一个卷积核（X 形卷积核、Sobel x、σ 可调的高斯），改它的九个数，拖动步长、填充和膨胀：内核用上面的逐步演示重新计算输出，并用当前的数字算出输出尺寸 `(H − F + 2P)/S + 1`。不可能的设置会说明原因，而不是画图。在导出的网页或没有内核的幻灯片里，你看到的是初始状态的图片。

// %%
import { convExplorer } from 'tscnn';
const explorer = convExplorer();
assertEqual('live explorer, starting state = the lecture output', explorer.output, [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
explorer

// %% [markdown] slide
// ## Summary
//
// - convolution = the same small neuron (卷积核 filter) applied at every position → a feature map 特征图
// - each output sees only a small receptive field 感受野 (局部连接) and shares its weights (权值共享)
// - a filter responds most where the input looks like the filter: a **pattern detector**
// - blur and edge filters are convolutions with hand-picked weights; a CNN **learns** its weights
//
// Next: padding 填充, stride 步长, channels.
//
// ::: zh
// ## 小结
//
// - 卷积 = 同一个小神经元（卷积核）作用在每一个位置 → 一张特征图
// - 每个输出只看一个小的感受野（局部连接），并且共享权重（权值共享）
// - 输入越像卷积核，卷积核的响应越大：一个**模式检测器**
// - 模糊和边缘滤波器是手工挑选权重的卷积；CNN 则**学习**它的权重
//
// 下一课：填充、步长、通道。
