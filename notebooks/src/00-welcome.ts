// %% [markdown] slide
// # Welcome
//
// This notebook runs on the **TypeScript (tscnn)** kernel. Everything comes from `'tscnn'`, this checkout's `src/index.ts`: edit a file in `src/` and re-run the import cell to pick it up.
//
// Every lesson exists in English (`notebooks/en/`) and in 简体中文 (`notebooks/zh/`). The first cell of each sets the language of figure titles, axis labels and tables.
// ::: zh
// # 欢迎
//
// 本笔记本使用 **TypeScript (tscnn)** 内核运行。所有功能都从 `'tscnn'` 导入，也就是本仓库的 `src/index.ts`：修改 `src/` 里的文件后，重新运行导入单元格即可生效。
//
// 每一课都有简体中文版（`notebooks/zh/`）和英文版（`notebooks/en/`）。每个笔记本的第一个单元格设置图表标题、坐标轴和表格所用的语言。

// %%
import { tensor, seed, randn, show, display, isInKernel, setLocale, getLocale, tr, check, assertEqual } from 'tscnn';
setLocale('en');
check(isInKernel(), 'running inside the tscnn kernel');
tr({ en: `display language: ${getLocale()}`, zh: `显示语言：${getLocale()}` })

// %% [markdown] slide
// ## A tensor
//
// A tensor is a shape plus a flat `Float32Array` in row-major (NCHW) order. The last value of a cell is shown with every MIME type it offers.
// ::: zh
// ## 张量
//
// 张量（tensor）由一个形状和一个按行优先（NCHW）顺序存放的 `Float32Array` 组成。单元格的最后一个值会以它提供的所有 MIME 类型显示出来。

// %%
const x = tensor([[1, 2, 3], [4, 5, 6]]);
assertEqual('shape', x.shape, [2, 3]);
assertEqual('row-major data', x.data, [1, 2, 3, 4, 5, 6]);
console.log(x.toString());
x.shape

// %% fragment
x

// %% [markdown] slide
// ## Seeded randomness
//
// `seed(n)` makes every random initialisation repeatable: the same seed, the same numbers.
// ::: zh
// ## 可复现的随机数
//
// `seed(n)` 让每一次随机初始化都可以重复：同一个种子，得到同样的数。

// %%
seed(0);
const noise = randn([1, 1, 8, 8]);
seed(0);
assertEqual('same seed, same numbers', randn([1, 1, 8, 8]).data, noise.data);
show(noise);
noise.shape

// %% [markdown] slide
// ## Live output
//
// A display handle updates one output in place, as training progress does.
// ::: zh
// ## 实时输出
//
// 显示句柄（display handle）可以原地更新同一个输出，训练进度就是这样显示的。

// %%
const progress = display(tr({ en: 'step 0 / 3', zh: '第 0 / 3 步' }));
for (let step = 1; step <= 3; step++) {
  await new Promise((r) => setTimeout(r, 50));
  progress.update(tr({ en: `step ${step} / 3`, zh: `第 ${step} / 3 步` }));
}

// %% fragment
show({ [Symbol.for('Jupyter.display')]: () => ({
  'text/html': tr({ en: '<b>tscnn</b> is ready', zh: '<b>tscnn</b> 已就绪' }),
  'text/plain': tr({ en: 'tscnn is ready', zh: 'tscnn 已就绪' }),
}) });

// %% [markdown] slide
// ## Where CNNs come from
//
// The lectures' timeline (000 and 002):
//
// | year | what |
// |---|---|
// | 1962 | Hubel & Wiesel: neurons in a cat's first visual area (V1) each answer one simple local structure (a line at one angle); neighbouring neurons have neighbouring receptive fields; vision is a hierarchy |
// | 1980 | Fukushima's Neocognitron: alternating layers ("sandwich"), local receptive fields, pooling |
// | 1998 | LeCun's LeNet-5 reads handwritten digits in industry (lessons 07, 08) |
// | 2006 | Hinton's deep belief networks: layers pre-trained one at a time, then fine-tuned by backpropagation |
// | 2012 | AlexNet wins ImageNet (lesson 11) |
// | 2015 | an ImageNet error of 4.94 %, below the ≈ 5.1 % of people (lecture 000) |
// | 2018 | Turing Award: Hinton, Bengio, LeCun |
// ::: zh
// ## CNN 从哪里来
//
// 讲义（000 和 002）里的时间线：
//
// | 年份 | 事件 |
// |---|---|
// | 1962 | Hubel 和 Wiesel：猫的初级视觉皮层（V1）中，每个神经元只对一种简单的局部结构（某个方向的直线）起反应；相邻神经元的感受野也相邻；视觉是分层的 |
// | 1980 | 福岛邦彦的 Neocognitron（神经认知机）：交替的层（“三明治”结构）、局部感受野、池化 |
// | 1998 | LeCun 的 LeNet-5 在工业界识别手写数字（第 07、08 课） |
// | 2006 | Hinton 的深度信念网络：逐层预训练，再用反向传播整体微调 |
// | 2012 | AlexNet 赢得 ImageNet 比赛（第 11 课） |
// | 2015 | ImageNet 错误率 4.94%，低于人的约 5.1%（讲义 000） |
// | 2018 | 图灵奖：Hinton、Bengio、LeCun |

// %% [markdown] subslide
// ## The lectures, lesson by lesson
//
// | lecture | lessons |
// |---|---|
// | 000 卷积神经网络 (principle, structure, training, Keras) | 01, 02, 07, 08, 10, 11 |
// | 001 卷积神经网络与经典模型 (MindSpore course) | 02, 03, 06, 08 |
// | 002 神经网络理论与应用, lecture 4 (layers, AlexNet, ConvNetJS) | 01, 02, 03, 08, 11 |
// | 003 CNN 基础篇 (chain rule, conv layer, function layers) | 03, 04, 05, 11 |
// | 004 Rohrer's X-vs-O | 06 |
// ::: zh
// ## 讲义与课程的对应
//
// | 讲义 | 对应的课 |
// |---|---|
// | 000 卷积神经网络（原理、结构、训练、Keras 实现） | 01、02、07、08、10、11 |
// | 001 卷积神经网络与经典模型（MindSpore 课程） | 02、03、06、08 |
// | 002 《神经网络理论与应用》第四讲（各层、AlexNet、ConvNetJS） | 01、02、03、08、11 |
// | 003 卷积神经网络—基础篇（链式法则、卷积层、功能层） | 03、04、05、11 |
// | 004 Rohrer 的 X 与 O（卷积神经网络究竟是怎样一步一步工作的） | 06 |
