// %% [markdown] slide
// # 11 · Lectures 002 and 003: AlexNet, top-k error, ConvNetJS's CIFAR-10 demo, and the function layers
//
// 1. AlexNet **as in the paper** (96 kernels, two GPUs) beside the torchvision variant, and why conv1 gives 55×55
// 2. **Top-1 / top-5 error**, ImageNet's yardstick
// 3. The **ConvNetJS CIFAR-10 demo**: its network, Adadelta, flips and 2-pixel shifts
// 4. The **function layers** of lecture 003: slice, merges (+, −, ×, max), upsampling (增维), LRN in the lecture's form
// 5. The chain rule with lecture 003's own numbers
// ::: zh
// # 11 · 第 002、003 讲：AlexNet、top-k 错误率、ConvNetJS 的 CIFAR-10 演示，以及功能层
//
// 1. **论文中的** AlexNet（96 个卷积核，两块 GPU）与 torchvision 版本并排，以及 conv1 为什么输出 55×55
// 2. **Top-1 / top-5 错误率**：ImageNet 的评价标准
// 3. **ConvNetJS 的 CIFAR-10 演示**：它的网络、Adadelta、左右翻转和 2 个像素的平移
// 4. 第 003 讲的**功能层**：切分层、融合层（+、−、×、max）、增维（上采样）、讲义形式的 LRN
// 5. 用第 003 讲自己的数字走一遍链式法则

// %% skip
import { existsSync } from 'fs';
import { SGD, mseOneHot, conv2d } from 'tscnn';
import { seed, Rng, Tensor, tensor, randn, alexnet, alexnetPaper, convnetjsCifar10, lenet5, summary, modelSummaryTable, outputSize, loadMnist, loadCifar10, fit, topKAccuracy, augment, imageOf, show, slice, sliceBackward, subtract, multiply, maximum, maximumBackward, concat, upsample2d, upsample2dBackward, localResponseNorm, registry, gradcheck, Value, check, assertEqual, assertClose, tr, setLocale } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## AlexNet: the paper and the code
// The lecture's text (the paper) says **96** first-layer kernels and **60 million** parameters; its code (torchvision's variant) has **64** kernels and 61.1 million. Both are right about different networks. The paper's network normalises with LRN and splits its layers over two GPUs: conv2, conv4 and conv5 only see their own GPU's half of the channels — convolution **groups** of 2.
// ::: zh
// ## AlexNet：论文与代码
// 讲义正文（论文）说第一层有 **96** 个卷积核、共 **6 千万**个参数；讲义里的代码（torchvision 的版本）是 **64** 个卷积核、6110 万个参数。两者说的是不同的网络，都没错。论文里的网络用 LRN 归一化，并把各层分到两块 GPU 上：conv2、conv4 和 conv5 只看自己那块 GPU 上的一半通道——也就是分组数为 2 的**分组卷积**。

// %%
const paper = alexnetPaper({ init: false });
const torchvision = alexnet({ init: false });
assertEqual('paper AlexNet parameters', paper.numParameters(), 60965224);
assertEqual('torchvision AlexNet parameters', torchvision.numParameters(), 61100840);
assertEqual('paper conv1 kernels', paper.parameters()[0].value.shape, [96, 3, 11, 11]);
assertEqual('paper conv2 sees one GPU half', paper.parameters().find((p) => p.name === '0.4.weight')!.value.shape, [256, 48, 5, 5]);
modelSummaryTable(summary(paper, [1, 3, 227, 227]))

// %% [markdown] subslide
// ## Why 55×55 — and two kind corrections
// (H − F + 2P)/S + 1 with F = 11, S = 4: a **227** input gives (227 − 11)/4 + 1 = **55**; so does 224 with padding 2 (torchvision). A 224 input **without** padding gives ⌊213/4⌋ + 1 = **54**.
//
// - The slide's "224/4 = 56" is the spacing of the receptive-field centres, not the output size: the output is 55 (or 54).
// - "F = 5 ⇒ pad 3" keeps the size only with P = (F − 1)/2 = **2**; with 3 a 5×5 kernel *grows* the map by 2.
// ::: zh
// ## 为什么是 55×55——以及两处小小的更正
// 用 (H − F + 2P)/S + 1，F = 11，S = 4：输入 **227** 得到 (227 − 11)/4 + 1 = **55**；224 加填充 2（torchvision）也是 55。224 **不填充**则是 ⌊213/4⌋ + 1 = **54**。
//
// - 幻灯片上的“224/4 = 56”是相邻感受野中心的间距，不是输出尺寸：输出是 55（或 54）。
// - “F = 5 ⇒ 填充宽度 3”：要保持尺寸，填充应为 P = (F − 1)/2 = **2**；填充 3 会让 5×5 卷积的输出反而比输入大 2。

// %%
assertEqual('227 input', outputSize(227, 11, 0, 4), 55);
assertEqual('224 + padding 2', outputSize(224, 11, 2, 4), 55);
assertEqual('224 without padding', outputSize(224, 11, 0, 4), 54);
assertEqual('F = 5, P = 2 keeps 32', outputSize(32, 5, 2, 1), 32);
assertEqual('F = 5, P = 3 grows 32 to 34', outputSize(32, 5, 3, 1), 34);
console.log(tr({ en: 'conv1: 227 → 55, 224 (pad 2) → 55, 224 (no pad) → 54; F=5 keeps the size with P=2, not 3', zh: 'conv1：227 → 55，224（填充 2）→ 55，224（不填充）→ 54；F=5 保持尺寸需要 P=2，而不是 3' }));

// %% [markdown] subslide
// ## The paper's "650,000 neurons", counted
//
// Lecture 002's experimental setting: two GTX 580 GPUs (3 GB) for about a week, 5 convolutional and 3 fully connected layers, a 4096-dimensional final feature, about 650,000 neurons and 60 million parameters. Counting every output value of the 5 convolutions and the 3 fully connected layers of `alexnetPaper()` on a 227×227 image gives **659,272** — the paper's "650,000", rounded. (ImageNet has about 15 M labelled images in 22 K categories; its ILSVRC-2010 subset behind AlexNet: 1,000 classes, 1.2 M training, 50,000 validation and 150,000 test images, rescaled to 256×256.)
// ::: zh
// ## 论文里的“65 万个神经元”，数一数
//
// 讲义 002 的实验设置：两块 GTX 580（3 GB）训练约一周，5 个卷积层和 3 个全连接层，最后的特征 4096 维，约 65 万个神经元、6 千万个参数。把 `alexnetPaper()` 在 227×227 图像上 5 个卷积层和 3 个全连接层的每个输出值都数一遍，得到 **659,272**——就是论文说的“65 万”取了整。（ImageNet 约有 1500 万张标注图片、2.2 万个类别；AlexNet 背后的 ILSVRC-2010 子集：1,000 个类别，120 万张训练图、5 万张验证图、15 万张测试图，缩放到 256×256。）

// %%
const paperRows = summary(paper, [1, 3, 227, 227]).rows.filter((r) => r.type === 'Conv2d' || r.type === 'Linear');
const neurons = paperRows.map((r) => r.outputShape.slice(1).reduce((a, b) => a * b, 1));
assertEqual('5 conv + 3 fully connected layers', paperRows.map((r) => r.type.startsWith('C') ? 'C' : 'F').join(''), 'CCCCCFFF');
assertEqual('outputs per layer', neurons, [290400, 186624, 64896, 64896, 43264, 4096, 4096, 1000]);
const nNeurons = neurons.reduce((a, b) => a + b, 0);
assertEqual('neurons', nNeurons, 659272);
check(Math.abs(nNeurons - 650000) / 650000 < 0.02, 'within 2 % of the paper\'s 650,000');
assertEqual('final feature: 4096-dimensional', paperRows[6].outputShape, [1, 4096]);
tr({
  en: `neurons: ${neurons.map((v) => v.toLocaleString('en-US')).join(' + ')} = ${nNeurons.toLocaleString('en-US')} ≈ 650,000`,
  zh: `神经元：${neurons.map((v) => v.toLocaleString('en-US')).join(' + ')} = ${nNeurons.toLocaleString('en-US')} ≈ 65 万`,
})

// %% [markdown] slide
// ## Top-1 and top-5 error
// ImageNet asks for 1 or 5 guesses: the **top-k error** is the fraction of images whose true label is not among the k highest scores. AlexNet reached 37.5 % top-1 and 17.0 % top-5 on the test data. Here: a LeNet-5 trained briefly on 2,000 MNIST digits, scored on 1,000 test digits.
// ::: zh
// ## Top-1 与 top-5 错误率
// ImageNet 允许猜 1 次或 5 次：**top-k 错误率**是真实标签不在得分最高的 k 个类别中的图片所占的比例。AlexNet 在测试集上达到 top-1 37.5%、top-5 17.0%。这里：用 2,000 张 MNIST 数字简单训练一个 LeNet-5，在 1,000 张测试数字上评分。

// %%
const digits = loadMnist({ split: 'train', limit: 2000 });
const testDigits = loadMnist({ split: 'test', limit: 1000 });
const net = lenet5({ rng: new Rng(0) });
await fit(net, digits, { epochs: 1, batchSize: 32, lr: 0.002, progress: false });
net.eval();
const scores = net.forward(testDigits.x);
const top1 = 1 - topKAccuracy(scores, testDigits.y, 1);
const top5 = 1 - topKAccuracy(scores, testDigits.y, 5);
check(top5 <= top1 && top1 < 0.25, `top-5 error ≤ top-1 error, and the net learned (top-1 ${top1})`);
console.log(`top-1 ${tr({ en: 'error', zh: '错误率' })} ${(100 * top1).toFixed(1)} %, top-5 ${tr({ en: 'error', zh: '错误率' })} ${(100 * top5).toFixed(1)} %`);

// %% [markdown] subslide
// ## One training step, in lecture 000's four stages
//
// Lecture 000 lists what each step of training does: **forward** pass, **loss** (its mean squared error), **backward** pass, **weight update**. Here is one step by hand on 32 digits, with plain SGD (w ← w − lr · ∂E/∂w): the update is checked on one weight, and the loss on the same batch goes down.
// ::: zh
// ## 一步训练：第 000 讲的四个阶段
//
// 第 000 讲列出了每一步训练做的事：**前向传播**、**计算损失**（均方误差）、**反向传播**、**更新权重**。下面在 32 张数字上手动走一步，用最简单的 SGD（w ← w − lr · ∂E/∂w）：检查其中一个权重的更新，并看同一批数据上的损失下降。

// %%
const stepNet = lenet5({ rng: new Rng(1) });
const batch32 = { x: new Tensor(digits.x.data.slice(0, 32 * 784), [32, 1, 28, 28]), y: Array.from(digits.y.slice(0, 32)) };
const sgd = new SGD(stepNet, { lr: 0.5 });
sgd.zeroGrad();
const out32 = stepNet.forward(batch32.x);                          // 1. forward
const { loss: e0, doutputs } = mseOneHot(out32, batch32.y);       // 2. loss E = 1/m Σ ‖f(x) − y‖²
stepNet.backward(doutputs);                                        // 3. backward
const w0p = stepNet.parameters()[0];
const [w0before, g0] = [w0p.value.data[0], w0p.grad.data[0]];
sgd.step();                                                        // 4. update
assertClose('w ← w − lr · ∂E/∂w', w0p.value.data[0], w0before - 0.5 * g0, 1e-6);
const e1 = mseOneHot(stepNet.forward(batch32.x), batch32.y).loss;
check(e1 < e0, `the loss on the same batch goes down (${e0} → ${e1})`);
tr({ en: `E before ${e0.toFixed(4)} → after one step ${e1.toFixed(4)}`, zh: `一步之前 E = ${e0.toFixed(4)} → 一步之后 ${e1.toFixed(4)}` })

// %% [markdown] subslide
// ## Training with the mean squared error, as lecture 000 does
// Lecture 000 trains with E = (1/m) Σ (f(xᵢ) − yᵢ)², with yᵢ the one-hot label. `fit` takes the loss: the same LeNet-5, the same start and data, once with MSE and once with cross-entropy (the default).
// ::: zh
// ## 像第 000 讲那样用均方误差训练
// 第 000 讲用 E = (1/m) Σ (f(xᵢ) − yᵢ)² 训练，其中 yᵢ 是标签的 one-hot 向量。`fit` 可以指定损失函数：同一个 LeNet-5、同样的起点和数据，一次用均方误差，一次用交叉熵（默认）。

// %%
const netMse = lenet5({ rng: new Rng(0) });
await fit(netMse, digits, { epochs: 1, batchSize: 32, lr: 0.002, loss: 'mse', progress: false });
netMse.eval();
const accMse = topKAccuracy(netMse.forward(testDigits.x), testDigits.y, 1);
check(accMse > 0.6, `the MSE-trained net learns too (top-1 accuracy ${accMse})`);
console.log(`${tr({ en: 'test accuracy', zh: '测试准确率' })}: MSE ${(100 * accMse).toFixed(1)} %, ${tr({ en: 'cross-entropy', zh: '交叉熵' })} ${(100 * (1 - top1)).toFixed(1)} %`);

// %% [markdown] slide
// ## ConvNetJS's CIFAR-10 demo
// Three 5×5 convolutions with padding 2, each followed by ReLU and 2×2 max pooling (32 → 16 → 8 → 4), then 10 outputs: 22,466 parameters. The demo trains it with **Adadelta** (no learning rate to tune) on images it randomly **flips** and **shifts by up to 2 pixels**, a fresh draw for every batch.
//
// CIFAR-10 (lecture 002): 60,000 colour images of 32×32 in 10 classes, 6,000 per class, split 50,000 for training and 10,000 for testing. The demo's page quotes about 90 % for the best models of its day and about 94 % for people (some pictures are ambiguous).
// ::: zh
// ## ConvNetJS 的 CIFAR-10 演示
// 三个 5×5、填充 2 的卷积层，每个后面接 ReLU 和 2×2 最大池化（32 → 16 → 8 → 4），最后输出 10 类：共 22,466 个参数。演示用 **Adadelta**（不用调学习率）训练，训练时每个批次都对图片做随机的**左右翻转**和**最多 2 个像素的平移**。
//
// CIFAR-10（讲义 002）：60,000 张 32×32 的彩色图片，共 10 类，每类 6,000 张，其中 50,000 张训练、10,000 张测试。演示页面写道：当时最好的模型约 90%，人约 94%（有些图片本身就模糊不清）。

// %%
const cnjs = convnetjsCifar10({ rng: new Rng(0) });
assertEqual('ConvNetJS CIFAR-10 net parameters', cnjs.numParameters(), 22466);
assertEqual('output shape', cnjs.outputShape([4, 3, 32, 32]), [4, 10]);
const one = new Tensor(digits.x.data.slice(0, 784), [1, 1, 28, 28]);
const rng = new Rng(3);
const variants = Array.from({ length: 6 }, () => augment(one, { flip: true, shift: 2, rng }));
show(...variants.map((v, i) => imageOf(v, { scale: 3, title: i === 0 ? tr({ en: 'flipped/shifted', zh: '翻转/平移' }) : '' })));

// %% [markdown] subslide
// ## Training it on CIFAR-10 (when the data is on this machine)
// CIFAR-10 is not shipped (163 MB; environment.md says how to download it). With `TSCNN_CIFAR10_DIR` or `data/cifar-10-batches-bin/` present, this cell trains the demo's recipe for a few hundred batches; otherwise it says why it skipped. It never invents data.
// ::: zh
// ## 在 CIFAR-10 上训练（数据在本机时）
// CIFAR-10 没有随项目提供（163 MB；environment.md 写明了下载方法）。设置了 `TSCNN_CIFAR10_DIR` 或存在 `data/cifar-10-batches-bin/` 时，这个单元格按演示的配方训练几百个批次；否则说明跳过的原因。它绝不伪造数据。

// %%
const cifarDir = process.env.TSCNN_CIFAR10_DIR ?? '../../data/cifar-10-batches-bin';
if (!existsSync(`${cifarDir}/data_batch_1.bin`)) {
  console.log(tr({ en: `skipped: CIFAR-10 is not at ${cifarDir} (see environment.md to download it)`, zh: `已跳过：${cifarDir} 下没有 CIFAR-10（下载方法见 environment.md）` }));
} else {
  const cifar = loadCifar10({ dir: cifarDir, split: 'train', limit: 4000, normalize: 'standard' });
  const cifarTest = loadCifar10({ dir: cifarDir, split: 'test', limit: 1000, normalize: 'standard' });
  const h = await fit(cnjs, cifar, { epochs: 1, batchSize: 4, optimizer: 'adadelta', weightDecay: 1e-4, augment: { flip: true, shift: 2 }, valData: cifarTest, maxBatches: 1000 });
  console.log(`CIFAR-10: ${(100 * h.last!.valAccuracy!).toFixed(1)} % ${tr({ en: 'test accuracy after', zh: '测试准确率，训练批次' })} ${h.last!.batches}`);
}

// %% [markdown] slide
// ## Function layers (功能层): slice and merge
// **Slice** (切分层) cuts a tensor into regions learned separately — AlexNet's two GPU halves are `slice(x, 0, 48)` and `slice(x, 48, 48)` along the channels. **Merge** (融合层) joins branches: concatenation, or an element-wise +, −, × or max of same-shaped maps. Each has its backward beside its forward and an entry in the op registry, so the gradient checker covers it.
// ::: zh
// ## 功能层：切分与融合
// **切分层**把张量切成几块分别学习——AlexNet 两块 GPU 各自的一半，就是沿通道的 `slice(x, 0, 48)` 和 `slice(x, 48, 48)`。**融合层**把分支合起来：级联（concatenation），或者对形状相同的特征图逐元素做 +、−、× 或 max。每个操作的反向传播都写在它的前向旁边，并登记在算子注册表里，所以梯度检查覆盖了它们。

// %%
const x96 = randn([1, 96, 2, 2]);
const halves = [slice(x96, 0, 48), slice(x96, 48, 48)];
assertEqual('two halves', halves.map((h) => h.shape), [[1, 48, 2, 2], [1, 48, 2, 2]]);
check(concat(halves).data.every((v, i) => v === x96.data[i]), 'concatenating the halves gives x back');
const a = tensor([[1, -2], [3, 0.5]]), b = tensor([[2, -2], [-1, 0.5]]);
assertEqual('a − b', subtract(a, b).toArray(), [[-1, 0], [4, 0]]);
assertEqual('a × b', multiply(a, b).toArray(), [[2, 4], [-3, 0.25]]);
assertEqual('max(a, b)', maximum(a, b).toArray(), [[2, -2], [3, 0.5]]);
assertEqual('max backward: ties split dy', maximumBackward(tensor([[1, 1], [1, 1]]), a, b)[0].toArray(), [[0, 0.5], [1, 0.5]]);
for (const name of ['slice', 'subtract', 'multiply', 'maximum', 'upsample2d']) {
  const spec = registry.find((s) => s.name === name)!;
  const c = spec.cases[0];
  const inputs = spec.makeInputs ? spec.makeInputs(c, new Rng(1)) : c.shapes.map((s) => randn(s, { rng: new Rng(1) }));
  const r = gradcheck(spec, inputs, { attrs: c.attrs });
  check(r.ok, `${name}: backward matches central differences (${r.relError.toExponential(1)})`);
  const rel = r.relError.toExponential(1);
  console.log(tr({ en: `gradcheck ${name.padEnd(10)} ${c.name}: relative error ${rel}`, zh: `梯度检验 ${name.padEnd(10)} ${c.name}：相对误差 ${rel}` }));
}

// %% [markdown] subslide
// ## Concatenation with the lecture's shapes
//
// Lecture 003's two examples: two 1×100 vectors joined into one 1×200; a 100×100×3 RGB picture and a 100×100×1 depth map joined into a 100×100×4 **RGBD** input. Concatenation only stacks; it computes nothing (its backward just cuts dy back apart). The lecture's merge operations also include a convolution: concatenate, then a 1×1 conv, which can learn +, − or any weighted mix.
// ::: zh
// ## 用讲义里的形状做级联
//
// 讲义 003 的两个例子：两个 1×100 的向量接成一个 1×200；一张 100×100×3 的 RGB 图和一张 100×100×1 的深度图接成 100×100×4 的 **RGBD** 输入。级联只是叠放，不做任何计算（反向传播只是把 dy 切回去）。讲义列出的融合运算里还有卷积：先级联，再做 1×1 卷积，它可以学出 +、− 或任意加权组合。

// %%
const ownC = new Rng(11);
const v1 = randn([1, 100], { rng: ownC }), v2 = randn([1, 100], { rng: ownC });
const rgb = randn([1, 3, 100, 100], { rng: ownC }), depth = randn([1, 1, 100, 100], { rng: ownC });
const joined = concat([v1, v2], 1), rgbd = concat([rgb, depth], 1);
assertEqual('1×100 + 1×100 → 1×200', joined.shape, [1, 200]);
assertEqual('100×100×3 + 100×100×1 → 100×100×4 (NCHW: channels first)', rgbd.shape, [1, 4, 100, 100]);
assertEqual('the depth map is channel 3', slice(rgbd, 3, 1).toList(), depth.toList());
// lecture 003 also lists conv among the merge operations: concatenate, then a 1×1 convolution;
// with the weights [1, −1] it is exactly the subtract merge
const [ma, mb] = [randn([1, 1, 4, 4], { rng: ownC }), randn([1, 1, 4, 4], { rng: ownC })];
const convMerge = conv2d(concat([ma, mb], 1), tensor([1, -1]).reshape([1, 2, 1, 1]), null);
assertEqual('conv merge with [1, −1] = a − b', convMerge.toList(), subtract(ma, mb).toList());
tr({
  en: `1×100 ⊕ 1×100 → [${joined.shape}]; RGB ⊕ depth → [${rgbd.shape}] (RGBD); 1×1 conv [1, −1] on a ⊕ b = a − b`,
  zh: `1×100 ⊕ 1×100 → [${joined.shape}]；RGB ⊕ 深度图 → [${rgbd.shape}]（RGBD）；对 a ⊕ b 做 1×1 卷积 [1, −1] = a − b`,
})

// %% [markdown] subslide
// ## Upsampling (增维) and LRN as the lecture writes it
// **增维** adds spatial resolution back (image generation, detection): nearest-neighbour upsampling copies each pixel into an s×s block, and its backward sums each block. **LRN** in the lecture: x_i / (k + α·Σ x_j²)^β. PyTorch divides α by the window size n, so the lecture's α is PyTorch's α/n — `form: 'paper'` computes the lecture's formula.
// ::: zh
// ## 增维（上采样）与讲义形式的 LRN
// **增维**把空间分辨率加回来（用于图片生成和检测）：最近邻上采样把每个像素复制成 s×s 的一块，反向传播则把每一块的梯度加起来。讲义中的 **LRN**：x_i / (k + α·Σ x_j²)^β。PyTorch 把 α 除以窗口大小 n，所以讲义的 α 相当于 PyTorch 的 α/n——`form: 'paper'` 计算的就是讲义的公式。

// %%
const small = tensor([[1, 2], [3, 4]]).reshape([1, 1, 2, 2]);
assertEqual('upsample ×2', upsample2d(small, 2).reshape([4, 4]).toArray(), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
assertEqual('its backward sums each block', upsample2dBackward(tensor(Array.from({ length: 16 }, () => 1)).reshape([1, 1, 4, 4]), small, 2).toList(), [4, 4, 4, 4]);
const xc = tensor([1, 2, 2]).reshape([1, 3, 1, 1]);
const lecture = localResponseNorm(xc, { size: 3, alpha: 0.1, beta: 1, k: 1, form: 'paper' });
const pytorch = localResponseNorm(xc, { size: 3, alpha: 0.3, beta: 1, k: 1 });
assertClose('lecture LRN, middle channel: 2 / (1 + 0.1·9)', lecture.data[1], 2 / 1.9, 1e-6);
check(lecture.data.every((v, i) => Math.abs(v - pytorch.data[i]) < 1e-7), 'the lecture\'s α = 0.1 is PyTorch\'s alpha = 0.3 for n = 3');

// %% [markdown] slide
// ## The chain rule with lecture 003's numbers
// f(x, y, z) = (x + y)·z with **q = x + y = 4** and **z = −2** (the slide's figure with x and y is lost; we take x = 1, y = 3). Then ∂f/∂z = q = **4**, ∂f/∂q = z = **−2**, and ∂f/∂x = ∂f/∂q · ∂q/∂x = −2 · 1 = **−2**, the same for y.
// ::: zh
// ## 用第 003 讲的数字走链式法则
// f(x, y, z) = (x + y)·z，其中 **q = x + y = 4**，**z = −2**（幻灯片上标出 x 和 y 的图丢失了；我们取 x = 1，y = 3）。于是 ∂f/∂z = q = **4**，∂f/∂q = z = **−2**，∂f/∂x = ∂f/∂q · ∂q/∂x = −2 · 1 = **−2**，y 也一样。

// %%
const vx = new Value(1, 'x'), vy = new Value(3, 'y'), vz = new Value(-2, 'z');
const q = vx.add(vy);
const f = q.mul(vz);
f.backward();
assertEqual('q', q.data, 4);
assertEqual('f', f.data, -8);
assertEqual('∂f/∂z, ∂f/∂x, ∂f/∂y', [vz.grad, vx.grad, vy.grad], [4, -2, -2]);
console.log(`f = ${f.data}; ∂f/∂z = ${vz.grad}, ∂f/∂x = ${vx.grad}, ∂f/∂y = ${vy.grad}`);
