// %% [markdown] slide
// # 8 · Classic architectures: LeNet-5, AlexNet, VGG16
//
// How many **parameters (参数)** does each layer have — and why did the field move to stacks of small **3×3** convolutions and to **global average pooling**?
// Big models are built with `{ init: false }`: zero weights, no random draws, so a 138-million-parameter summary costs nothing.
// ::: zh
// # 8 · 经典网络结构：LeNet-5、AlexNet、VGG16
//
// 每一层有多少**参数**？为什么这个领域转向了一叠叠小的 **3×3** 卷积和**全局平均池化**？
// 大模型用 `{ init: false }` 构建：权重为零、不抽随机数，所以一个 1.38 亿参数模型的摘要几乎不花时间。

// %% skip
import { lenet5, alexnet, vgg16, summary, modelSummaryTable, receptiveField, receptiveFieldView, Conv2d, MaxPool2d, Linear, GlobalAvgPool2d, Flatten, Sequential, ReLU, randn, show, setLocale, tr, check, checkAnswer, assertEqual, assertAllClose, maxAbsDiff } from 'tscnn';
setLocale('en');
/** 61706 → '61,706'. */
const grouped = (n: number) => n.toLocaleString('en-US');

// %% [markdown] slide
// ## Exercise: compute each layer's parameters
// A convolution with C<sub>in</sub> input channels, C<sub>out</sub> filters of K×K: **C<sub>out</sub> · (C<sub>in</sub> · K · K) + C<sub>out</sub>** (weights + one bias per filter).
// A fully connected layer (全连接层) with n<sub>in</sub> inputs and n<sub>out</sub> outputs: **n<sub>out</sub> · n<sub>in</sub> + n<sub>out</sub>**.
// Pooling, ReLU, Flatten, Dropout: **0**.
// ::: zh
// ## 练习：计算每一层的参数
// 有 C<sub>in</sub> 个输入通道、C<sub>out</sub> 个 K×K 卷积核的卷积层：**C<sub>out</sub> · (C<sub>in</sub> · K · K) + C<sub>out</sub>**（权重 + 每个卷积核一个偏置）。
// 有 n<sub>in</sub> 个输入、n<sub>out</sub> 个输出的全连接层：**n<sub>out</sub> · n<sub>in</sub> + n<sub>out</sub>**。
// 池化、ReLU、展平、Dropout：**0**。

// %%
const convParams = (cin: number, cout: number, k: number) => cout * cin * k * k + cout;
const fcParams = (nin: number, nout: number) => nout * nin + nout;
const worked = [
  ['LeNet-5 C1: 1→6, 5×5', '6·(1·5·5) + 6', convParams(1, 6, 5)],
  ['AlexNet conv1: 3→64, 11×11', '64·(3·11·11) + 64', convParams(3, 64, 11)],
  ['AlexNet fc6: 256·6·6 → 4096', '4096·9216 + 4096', fcParams(256 * 6 * 6, 4096)],
  ['VGG16 conv1_1: 3→64, 3×3', '64·(3·3·3) + 64', convParams(3, 64, 3)],
  ['VGG16 conv5_3: 512→512, 3×3', '512·(512·3·3) + 512', convParams(512, 512, 3)],
  ['VGG16 fc6: 512·7·7 → 4096', '4096·25088 + 4096', fcParams(512 * 7 * 7, 4096)],
] as const;
check(worked.map((w) => w[2]).join() === '156,23296,37752832,1792,2359808,102764544', 'hand arithmetic');
worked.map(([n, f, v]) => `${n.padEnd(30)} ${f.padEnd(22)} = ${grouped(v).padStart(11)}`).join('\n')

// %% [markdown] slide
// ## LeNet-5 (1998): 61,706
// ::: zh
// ## LeNet-5（1998）：61,706

// %%
const sLe = summary(lenet5({ init: false }), [1, 1, 28, 28]);
check(sLe.totalParams === 61706, `LeNet-5 total ${sLe.totalParams}`);
check(sLe.rows[0].params === convParams(1, 6, 5), 'C1 matches the formula');
modelSummaryTable(sLe)

// %% fragment
// lecture 000: S2 and S4 keep a quarter of the area of C1 and C3
const area = (row: number) => sLe.rows[row].outputShape.slice(2).reduce((a, b) => a * b, 1);
assertEqual('S2 = C1 / 4, S4 = C3 / 4', [area(2) * 4, area(5) * 4], [area(0), area(3)]);
tr({
  en: `C1 ${area(0)} → S2 ${area(2)} pixels per map, C3 ${area(3)} → S4 ${area(5)}: each pooling keeps 1/4 of the area`,
  zh: `每张特征图：C1 ${area(0)} → S2 ${area(2)} 个像素，C3 ${area(3)} → S4 ${area(5)}：每次池化只留下 1/4 的面积`,
})

// %% [markdown] slide
// ## LeNet-5 as the lecture draws it: C5 is a convolution
// C1, C3 and C5 are convolution layers: C1 makes 6 feature maps, C3 16, C5 120. S2 and S4 pool 2×2, so each map has 1/4 of the area (28×28 → 14×14, 10×10 → 5×5). C5 applies **120 kernels of 5×5×16** to the 5×5×16 maps of S4: each kernel covers the whole input, so each gives one 1×1 map. F6 is fully connected, 120 → 84.
//
// A kind correction: one slide says "C5: 12 kernels → 120 feature maps". One kernel makes one feature map, so 120 maps need **120** kernels (each 5×5×16).
// ::: zh
// ## 讲义里的 LeNet-5：C5 是卷积层
// C1、C3、C5 是卷积层：C1 得到 6 个特征图，C3 得到 16 个，C5 得到 120 个。S2、S4 做 2×2 池化，所以每个特征图的面积变为 1/4（28×28 → 14×14，10×10 → 5×5）。C5 在 S4 的 5×5×16 特征图上使用 **120 个 5×5×16 的卷积核**：每个卷积核覆盖整个输入，所以各得到一个 1×1 的特征图。F6 是全连接层，120 → 84。
//
// 一处小更正：有一张幻灯片写着"C5：由 12 个不同卷积核得到的 120 个特征图"。一个卷积核产生一个特征图，所以 120 个特征图需要 **120** 个卷积核（每个 5×5×16）。

// %%
const lectured = new Sequential(
  new Conv2d(1, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2), // C1, S2
  new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),                 // C3, S4
  new Conv2d(16, 120, 5), new ReLU(), new Flatten(),                  // C5: 120 kernels 5×5×16
  new Linear(120, 84), new ReLU(), new Linear(84, 10),                // F6, output
);
const sLec = summary(lectured, [1, 1, 28, 28]);
const shapes = sLec.rows.map((r) => r.outputShape.join('×'));
check(shapes[0] === '1×6×28×28' && shapes[2] === '1×6×14×14' && shapes[5] === '1×16×5×5' && shapes[6] === '1×120×1×1', `C1 6 maps, S2 14×14, S4 5×5, C5 120 maps of 1×1 (${shapes})`);
check(sLec.rows[6].params === 120 * (5 * 5 * 16) + 120, 'C5: 120 kernels of 5×5×16 + 120 biases = 48,120');
check(sLec.totalParams === sLe.totalParams, `the same 61,706 parameters as with a fully connected C5 (${sLec.totalParams})`);
modelSummaryTable(sLec)

// %% [markdown] subslide
// ## A fully connected layer is a convolution whose kernel covers the input
// Give C5's 120 kernels the weights of a `Linear(400, 120)` (its row j, read as 16×5×5, is kernel j): on the same 5×5×16 input both give the same 120 numbers.
// ::: zh
// ## 全连接层就是卷积核覆盖整个输入的卷积层
// 把 `Linear(400, 120)` 的权重交给 C5 的 120 个卷积核（它的第 j 行按 16×5×5 排列就是第 j 个卷积核）：在同一个 5×5×16 的输入上，两者得到相同的 120 个数。

// %%
const fc5 = new Linear(400, 120), conv5 = new Conv2d(16, 120, 5);
conv5.weight.value.data.set(fc5.weight.value.data);
conv5.bias!.value.data.set(fc5.bias!.value.data);
const s4 = randn([1, 16, 5, 5]);
const viaConv = conv5.forward(s4), viaFc = fc5.forward(s4.reshape([1, 400]));
assertEqual('conv output shape', viaConv.shape, [1, 120, 1, 1]);
assertAllClose('conv 5×5×16 → 120 = Linear(400 → 120)', viaConv.reshape([1, 120]), viaFc, 1e-5);
tr({ en: `max |conv − linear| over the 120 outputs: ${maxAbsDiff(viaConv, viaFc).toExponential(1)}`, zh: `120 个输出上 |卷积 − 全连接| 的最大值：${maxAbsDiff(viaConv, viaFc).toExponential(1)}` })

// %% [markdown] slide
// ## AlexNet (2012): 61,100,840
// Five convolutions, three fully connected layers, ReLU, dropout, GPUs. 96 % of its parameters are fully connected weights.
// ::: zh
// ## AlexNet（2012）：61,100,840
// 五个卷积层、三个全连接层、ReLU、dropout、GPU。它 96 % 的参数是全连接层的权重。

// %%
const alex = alexnet({ init: false });
const sAlex = summary(alex, [1, 3, 224, 224]);
check(sAlex.totalParams === 61100840, `AlexNet total ${sAlex.totalParams}`);
check(sAlex.outputShape.join() === '1,1000', 'ImageNet: 1000 classes');
const alexConv = alex.parameters().filter((p) => p.value.rank === 4).reduce((a, p) => a + p.value.size, 0);
const alexFc = alex.parameters().filter((p) => p.value.rank === 2).reduce((a, p) => a + p.value.size, 0);
check(alexConv === 2469696 - 1152 && alexFc === 58621952, `conv weights ${alexConv}, fc weights ${alexFc}`);
check(Math.round((100 * alexFc) / sAlex.totalParams) === 96, 'fully connected share of the weights');
modelSummaryTable(sAlex)

// %% [markdown] slide
// ## VGG16 (2014): 138,357,544
// Only 3×3 convolutions (stride 1, padding 1) and 2×2 max pools: 13 convolutions + 3 fully connected = 16 weight layers.
// ::: zh
// ## VGG16（2014）：138,357,544
// 只用 3×3 卷积（步长 1，填充 1）和 2×2 最大池化：13 个卷积层 + 3 个全连接层 = 16 个带权重的层。

// %%
const vgg = vgg16({ init: false });
const sVgg = summary(vgg, [1, 3, 224, 224]);
check(sVgg.totalParams === 138357544, `VGG16 total ${sVgg.totalParams}`);
const vggConvs = vgg.parameters().filter((p) => p.value.rank === 4);
check(vggConvs.length === 13 && vggConvs.every((p) => p.value.shape[2] === 3 && p.value.shape[3] === 3), '13 convolutions, all 3×3');
check(vggConvs.reduce((a, p) => a + p.value.size, 0) === 14710464, 'conv weights of VGG16');
const [vggP, vggF] = [grouped(sVgg.totalParams), (sVgg.totalFlops / 1e9).toFixed(1)];
tr({ en: `VGG16: ${vggP} parameters, ${vggF} GFLOPs per 224×224 image`, zh: `VGG16：${vggP} 个参数，每张 224×224 图像 ${vggF} GFLOPs` })

// %% [markdown] subslide
// The whole VGG16 table (one row per layer):
// ::: zh
// 完整的 VGG16 表（每层一行）：

// %%
modelSummaryTable(sVgg)

// %% [markdown] slide
// ## Exercise (lecture quiz): a VGG16 layer by hand
//
// Lecture 001 asks you to work out every VGG16 layer's parameters yourself. Take the first 256-filter layer, conv3_1: 128 input channels, 256 filters of 3×3. How many parameters (weights and biases)?
// ::: zh
// ## 练习（讲义测验）：手算 VGG16 的一层
//
// 讲义 001 让你自己算出 VGG16 每一层的参数。以第一个有 256 个卷积核的层 conv3_1 为例：128 个输入通道、256 个 3×3 卷积核。它有多少个参数（权重加偏置）？

// %%
let answerConv3_1: number | undefined = undefined; // ← your answer / 你的答案

// %% fragment hide-input
const conv3_1 = sVgg.rows.filter((r) => r.type === 'Conv2d')[4];
checkAnswer(answerConv3_1, conv3_1.params, {
  why: tr({
    en: '256 · (128 · 3 · 3) + 256 = 294,912 weights + 256 biases = 295,168. Each block doubles the filters (64 → 128 → 256 → 512), so the first layer of a block has half as many as the next (590,080).',
    zh: '256 · (128 · 3 · 3) + 256 = 294,912 个权重 + 256 个偏置 = 295,168。每个块的卷积核数翻倍（64 → 128 → 256 → 512），所以块里第一层的参数是下一层（590,080）的一半。',
  }),
  hint: tr({ en: 'C_out · (C_in · K · K) + C_out', zh: 'C_out · (C_in · K · K) + C_out' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **295,168** = 256 · (128 · 3 · 3) + 256. The whole column is in the table above: 1,792, 36,928 | 73,856, 147,584 | 295,168, 590,080, 590,080 | 1,180,160, 2,359,808 ×5.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **295,168** = 256 · (128 · 3 · 3) + 256。整列都在上面的表里：1,792、36,928 | 73,856、147,584 | 295,168、590,080、590,080 | 1,180,160，以及 5 个 2,359,808。
// </details>

// %% skip
assertEqual('conv3_1: 128 → 256, 3×3', conv3_1.params, convParams(128, 256, 3));
assertEqual('lecture 001: every VGG16 conv layer', sVgg.rows.filter((r) => r.type === 'Conv2d').map((r) => r.params),
  [1792, 36928, 73856, 147584, 295168, 590080, 590080, 1180160, 2359808, 2359808, 2359808, 2359808, 2359808]);

// %% [markdown] subslide
// ## One pattern for all three
//
// Lecture 002's typical CNN: an activation after every convolution, a pooling layer after a few convolutions, fully connected layers (and the loss) at the end — LeNet, AlexNet and VGGNet all follow it. Lecture 003 adds why filter counts are 64, 128, 256, …: powers of two keep a GPU's parallel units evenly busy.
// ::: zh
// ## 三个网络，同一个套路
//
// 讲义 002 的典型 CNN：每个卷积层后面接激活层，若干个卷积层后面接一个池化层，最后是全连接层（加损失函数）——LeNet、AlexNet、VGGNet 都是这样。讲义 003 还解释了为什么卷积核数常取 64、128、256……：2 的幂能让 GPU 的并行单元均匀地忙起来。

// %%
const leaves = (s: typeof sLe) => s.rows.filter((r) => r.type !== 'Sequential').map((r) => r.type);
const pattern = (types: string[]) => {
  const convs = types.flatMap((t, i) => (t === 'Conv2d' ? [i] : []));
  const pools = types.flatMap((t, i) => (t === 'MaxPool2d' ? [i] : []));
  const weighted = types.filter((t) => t === 'Conv2d' || t === 'Linear');
  return {
    reluAfterEveryConv: convs.every((i) => types[i + 1] === 'ReLU'),
    poolAfterConvs: pools.every((i) => types[i - 1] === 'ReLU' && types.slice(0, i).includes('Conv2d')),
    fcAtTheEnd: weighted.indexOf('Linear') === weighted.length - weighted.filter((t) => t === 'Linear').length,
  };
};
const nets = [['LeNet-5', sLe], ['AlexNet', sAlex], ['VGG16', sVgg]] as const;
for (const [name, s] of nets) assertEqual(`${name} follows the pattern`, pattern(leaves(s)), { reluAfterEveryConv: true, poolAfterConvs: true, fcAtTheEnd: true });
const vggWidths = [...new Set(vggConvs.map((p) => p.value.shape[0]))];
assertEqual('VGG16 filter counts', vggWidths, [64, 128, 256, 512]);
nets.map(([name, s]) => `${name.padEnd(8)} ${leaves(s).filter((t) => ['Conv2d', 'MaxPool2d', 'Linear'].includes(t)).map((t) => t[0]).join('')}`).join('\n') +
  '\n' + tr({ en: '(C = conv + ReLU, M = max pool, L = fully connected)', zh: '（C = 卷积 + ReLU，M = 最大池化，L = 全连接）' })

// %% [markdown] slide
// ## Exercise (lecture quiz): why does VGG16 use only 3×3?
// Lecture 001 asks why every VGG16 filter is 3×3. Stack three 3×3 convolutions (stride 1): how large a patch of the input does one unit of the third layer see (one side), how many weights per channel pair do the three layers use, and how many would one 7×7 filter use? Answer `[side, three 3×3, one 7×7]`.
// ::: zh
// ## 练习（讲义测验）：VGG16 为什么只用 3×3？
// 讲义 001 问：为什么 VGG16 的卷积核全是 3×3？叠三个 3×3 卷积（步长 1）：第三层的一个单元看到输入上多大的区域（边长）？三层每对通道一共用多少个权重？一个 7×7 卷积核要用多少个？以 `[边长, 三个 3×3, 一个 7×7]` 的形式作答。

// %%
let answerWhy3x3: number[] | undefined = undefined; // ← [side, three 3×3, one 7×7]

// %% fragment hide-input
const rfThree = receptiveField([1, 2, 3].map(() => new Conv2d(1, 1, 3, { init: false })));
const rfSeven = receptiveField([new Conv2d(1, 1, 7, { init: false })]);
checkAnswer(answerWhy3x3, [rfThree.receptiveField![0], rfThree.weightsPerChannelPair, rfSeven.weightsPerChannelPair], {
  why: tr({
    en: 'Each 3×3 layer widens the view by 2: 3 → 5 → 7, the same 7×7 as one big filter, with 3·9 = 27 weights instead of 49 — and two more ReLUs between them, so more non-linearity for fewer parameters.',
    zh: '每多一层 3×3，视野扩大 2：3 → 5 → 7，和一个 7×7 大卷积核看到的一样，却只用 3·9 = 27 个权重而不是 49 个——中间还多了两个 ReLU：参数更少，非线性更强。',
  }),
  hint: tr({ en: 'Stride 1: every extra F×F layer adds F − 1 to the field.', zh: '步长为 1 时，每多一层 F×F，感受野增加 F − 1。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **[7, 27, 49]**: the next slides draw it.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **[7, 27, 49]**：后面几页把它画出来。
// </details>

// %% [markdown] slide
// ## Receptive field (感受野): why 3×3?
// One unit of a 3×3 conv sees 3×3 pixels. Stack two: each unit of the second sees a 3×3 window of the first, i.e. **5×5** pixels — with **2·9 = 18** weights per channel pair instead of **25**, and one more ReLU in between. Three: **7×7** with **27** instead of **49**.
// ::: zh
// ## 感受野：为什么用 3×3？
// 3×3 卷积的一个单元看到 3×3 个像素。叠两层：第二层的每个单元看到第一层的一个 3×3 窗口，也就是 **5×5** 个像素——每对通道只要 **2·9 = 18** 个权重而不是 **25** 个，中间还多了一个 ReLU。叠三层：**7×7**，用 **27** 个权重而不是 **49** 个。

// %%
const conv3 = () => new Conv2d(1, 1, 3, { init: false });
const rf1 = receptiveField([conv3()]);
const rf2 = receptiveField([conv3(), conv3()]);
const rf3 = receptiveField([conv3(), conv3(), conv3()]);
const rf5 = receptiveField([new Conv2d(1, 1, 5, { init: false })]);
const rf7 = receptiveField([new Conv2d(1, 1, 7, { init: false })]);
check(rf2.receptiveField!.join() === '5,5' && rf2.weightsPerChannelPair === 18, 'two 3×3: 5×5 with 18 weights');
check(rf3.receptiveField!.join() === '7,7' && rf3.weightsPerChannelPair === 27, 'three 3×3: 7×7 with 27 weights');
check(rf5.weightsPerChannelPair === 25 && rf7.weightsPerChannelPair === 49, 'one 5×5: 25, one 7×7: 49');
const stacks = [['one 3×3', '一个 3×3', rf1], ['two 3×3', '两个 3×3', rf2], ['three 3×3', '三个 3×3', rf3],
  ['one 5×5', '一个 5×5', rf5], ['one 7×7', '一个 7×7', rf7]] as const;
stacks.map(([en, zh, r]) => {
  const [field, nw] = [r.receptiveField!.join('×'), r.weightsPerChannelPair];
  return tr({
    en: `${en.padEnd(10)} sees ${field} pixels with ${nw} weights per channel pair`,
    zh: `${zh.padEnd(7)} 看到 ${field} 个像素，每对输入/输出通道 ${nw} 个权重`,
  });
}).join('\n')

// %% [markdown] subslide
// Which input pixels feed the centre unit after two 3×3 convs? The number in each cell counts the paths from that pixel to the unit: the centre is seen 9 ways, the corners once.
// ::: zh
// 经过两层 3×3 卷积后，哪些输入像素会影响中心单元？每个格子里的数是从该像素到这个单元的路径数：中心有 9 条路径，四个角只有 1 条。

// %%
const two = [conv3(), conv3()];
const view = receptiveFieldView(two, 1, [3, 3], [1, 1, 9, 9]);
check(view.field.counts.length === 9, 'drawn on the 9×9 input');
const countsFlat = view.field.counts.flat();
check(Math.max(...countsFlat) === 9 && countsFlat.filter((c) => c > 0).length === 25, '25 pixels feed the unit, the centre 9 times');
view

// %% [markdown] subslide
// With a pool in between the field grows faster: conv 3×3 → max pool 2×2 → conv 3×3 sees 8×8.
// ::: zh
// 中间加一个池化层，感受野增长得更快：3×3 卷积 → 2×2 最大池化 → 3×3 卷积，看到 8×8。

// %%
const pooled = [conv3(), new MaxPool2d(2), conv3()];
const rfp = receptiveField(pooled);
check(rfp.receptiveField!.join() === '8,8', `conv-pool-conv sees ${rfp.receptiveField}`);
receptiveFieldView(pooled, 2, [2, 2], [1, 1, 12, 12])

// %% [markdown] slide
// ## Global average pooling vs fully connected
// VGG16 flattens its last 512×7×7 feature maps into 25,088 numbers and feeds a 4096-unit fully connected layer: **102,764,544** weights — 74 % of the whole network in one layer.
// **Global average pooling** (Network in Network, GoogLeNet, ResNet) averages each 7×7 map to one number: 512 features, then one 512 → 1000 classifier: **513,000**.
// ::: zh
// ## 全局平均池化与全连接
// VGG16 把最后 512×7×7 的特征图展平成 25,088 个数，送入一个 4096 单元的全连接层：**102,764,544** 个权重——整个网络 74 % 的参数都在这一层。
// **全局平均池化**（Network in Network、GoogLeNet、ResNet）把每个 7×7 的特征图平均成一个数：512 个特征，再接一个 512 → 1000 的分类器：**513,000** 个参数。

// %%
const headFc = new Sequential(new Flatten(), new Linear(512 * 7 * 7, 4096, { init: false }), new Linear(4096, 4096, { init: false }), new Linear(4096, 1000, { init: false }));
const headGap = new Sequential(new GlobalAvgPool2d(), new Flatten(), new Linear(512, 1000, { init: false }));
const sFc = summary(headFc, [1, 512, 7, 7]);
const sGap = summary(headGap, [1, 512, 7, 7]);
check(sFc.totalParams === 123642856, `VGG16's fully connected head ${sFc.totalParams}`);
check(sGap.totalParams === 513000, `GAP head ${sGap.totalParams}`);
check(sVgg.totalParams - sFc.totalParams === 14714688, 'the convolutions of VGG16');
show(modelSummaryTable(sFc), modelSummaryTable(sGap));
const [pFc, pGap, ratio] = [grouped(sFc.totalParams), grouped(sGap.totalParams), Math.round(sFc.totalParams / sGap.totalParams)];
tr({
  en: `fully connected head: ${pFc}  vs  GAP head: ${pGap}  (${ratio}× fewer)`,
  zh: `全连接层头部：${pFc}  vs  全局平均池化头部：${pGap}（少 ${ratio} 倍）`,
})

// %% [markdown] slide
// ## Take-aways
// - Parameters: conv C<sub>out</sub>(C<sub>in</sub>K² + 1), fully connected n<sub>out</sub>(n<sub>in</sub> + 1); pooling has none.
// - LeNet-5 61,706 → AlexNet 61,100,840 → VGG16 138,357,544: most weights live in the fully connected layers.
// - Stacked 3×3 convs: the same receptive field (感受野) as one big filter, fewer weights, more non-linearity.
// - Global average pooling replaces the fully connected head with ~240× fewer parameters.
// ::: zh
// ## 要点
// - 参数：卷积层 C<sub>out</sub>(C<sub>in</sub>K² + 1)，全连接层 n<sub>out</sub>(n<sub>in</sub> + 1)；池化层没有参数。
// - LeNet-5 61,706 → AlexNet 61,100,840 → VGG16 138,357,544：大部分权重在全连接层里。
// - 叠起来的 3×3 卷积：感受野和一个大卷积核相同，权重更少，非线性更多。
// - 全局平均池化代替全连接的分类头，参数少约 240 倍。
