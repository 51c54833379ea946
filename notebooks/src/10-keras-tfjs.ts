// %% [markdown] slide
// # 10 · LeNet-5 in Keras: TensorFlow.js's Layers API beside our engine
//
// Lecture 000 ends with the goal *"implement and train a CNN with Keras"*. In TypeScript, Keras is TensorFlow.js's **Layers API**: `tf.sequential`, `tf.layers.conv2d`, `compile`, `fit`. We build the same LeNet-5 in it, give it **the same initial weights** as ours, train both on **the same images in the same order** with the same optimizer, and put weights, accuracy and time side by side.
// ::: zh
// # 10 · 用 Keras 写 LeNet-5：TensorFlow.js 的 Layers API 与我们的引擎并排
//
// 第 000 讲最后的目标是 *“用 Keras 实现并训练一个卷积神经网络”*。在 TypeScript 里，Keras 就是 TensorFlow.js 的 **Layers API**：`tf.sequential`、`tf.layers.conv2d`、`compile`、`fit`。我们用它搭出同一个 LeNet-5，给它**和我们完全相同的初始权重**，用**同样顺序的同一批图片**、同样的优化器训练两个模型，然后把权重、准确率和时间并排比较。

// %% skip
import { seed, Rng, Tensor, lenet5, loadMnist, fit, evaluate, loadTf, copyWeightsToKeras, copyWeightsFromKeras, softmax, filters, show, check, tr, setLocale } from 'tscnn';
setLocale('en');
seed(0);
const { tf, describe } = await loadTf();
console.log(describe());

// %% [markdown] slide
// ## The data
// The first **2,000** MNIST training images and the first **1,000** test images (so both engines train in seconds here).
// ::: zh
// ## 数据
// MNIST 训练集的前 **2,000** 张和测试集的前 **1,000** 张（这样两个引擎在这里都能在几秒钟内训练完）。

// %%
const train = loadMnist({ split: 'train', limit: 2000 });
const test = loadMnist({ split: 'test', limit: 1000 });
check(train.x.shape.join() === '2000,1,28,28', 'MNIST training images [2000, 1, 28, 28]');

// %% [markdown] slide
// ## LeNet-5, the Keras way
// Layer by layer, as in Keras. `dataFormat: 'channelsFirst'` keeps tensors as [N, C, H, W] like ours, so the flattened features come in the same order. The last layer ends in **softmax**, because Keras's `categoricalCrossentropy` takes probabilities (our `fit` puts the softmax inside the loss: the same network).
// ::: zh
// ## 用 Keras 的方式搭 LeNet-5
// 和 Keras 一样一层一层地写。`dataFormat: 'channelsFirst'` 让张量保持和我们一样的 [N, C, H, W]，这样展平后的特征顺序也相同。最后一层带 **softmax**，因为 Keras 的 `categoricalCrossentropy` 接收的是概率（我们的 `fit` 把 softmax 放在损失函数里：是同一个网络）。

// %%
const cf = { dataFormat: 'channelsFirst' as const };
const keras = tf.sequential({
  layers: [
    tf.layers.conv2d({ inputShape: [1, 28, 28], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', ...cf }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2, ...cf }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...cf }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2, ...cf }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 120, activation: 'relu' }),
    tf.layers.dense({ units: 84, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
// Keras's own summary; in the Chinese notebook its headers are translated (same column widths)
const KERAS_ZH: [string, string][] = [['Layer (type)', '层（类型）  '], ['Input Shape', '输入形状   '], ['Output shape', '输出形状    '],
  ['Param #', '参数量 '], ['Non-trainable params:', '不可训练参数：'], ['Trainable params:', '可训练参数：'], ['Total params:', '参数总数：']];
keras.summary(undefined, undefined, (line: string) => console.log(tr({ en: line, zh: KERAS_ZH.reduce((l, [a, b]) => l.replace(a, b), line) })));
check(keras.countParams() === 61706, `Keras counts the same 61,706 parameters (got ${keras.countParams()})`);

// %% [markdown] subslide
// ## The same starting point
// Copy our initial weights into the Keras model (conv kernels [Cout, Cin, KH, KW] → Keras [KH, KW, Cin, Cout], dense [out, in] → [in, out]). Before training, both give the same probabilities.
// ::: zh
// ## 相同的起点
// 把我们的初始权重复制到 Keras 模型里（卷积核 [Cout, Cin, KH, KW] → Keras 的 [KH, KW, Cin, Cout]，全连接层 [out, in] → [in, out]）。训练之前，两个模型给出的概率完全一样。

// %%
const ours = lenet5({ rng: new Rng(0) });
copyWeightsToKeras(tf, ours, keras);
const x8 = new Tensor(train.x.data.slice(0, 8 * 784), [8, 1, 28, 28]);
const first8 = tf.tensor(x8.data, [8, 1, 28, 28]);
const pk = (keras.predict(first8) as typeof first8).dataSync();
const po = softmax(ours.forward(x8)).data;
let worst = 0;
for (let i = 0; i < po.length; i++) worst = Math.max(worst, Math.abs(pk[i] - po[i]));
check(worst < 1e-5, `same initial predictions (max difference ${worst.toExponential(1)})`);
console.log(tr({ en: `max |p_keras − p_tscnn| before training: ${worst.toExponential(1)}`, zh: `训练前 max |p_keras − p_tscnn|：${worst.toExponential(1)}` }));

// %% [markdown] slide
// ## compile and fit
// Adam with lr 0.002 (β₁ 0.9, β₂ 0.999, ε 1e-8, as ours), batches of 32, **no shuffling** in either, one epoch.
// ::: zh
// ## compile 与 fit
// Adam，学习率 0.002（β₁ 0.9，β₂ 0.999，ε 1e-8，与我们的相同），批次大小 32，两边都**不打乱顺序**，训练一轮。

// %%
keras.compile({ optimizer: tf.train.adam(0.002, 0.9, 0.999, 1e-8), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const xs = tf.tensor(train.x.data, [2000, 1, 28, 28]);
const ys = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10);
let t0 = Date.now();
await keras.fit(xs, ys, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
const kerasSeconds = (Date.now() - t0) / 1000;
t0 = Date.now();
const history = await fit(ours, train, { epochs: 1, batchSize: 32, optimizer: 'adam', lr: 0.002, shuffle: false });
const oursSeconds = (Date.now() - t0) / 1000;
check(history.stopReason === 'completed', 'our run completed');

// %% [markdown] slide
// ## Side by side
// The Keras weights are copied back into a tscnn LeNet-5, so both are evaluated by the same code on the same 1,000 test images.
// ::: zh
// ## 并排比较
// 把 Keras 训练出的权重复制回一个 tscnn 的 LeNet-5，用同一段代码在同样的 1,000 张测试图片上评估两个模型。

// %%
const fromKeras = lenet5({ init: false });
copyWeightsFromKeras(keras, fromKeras);
const accOurs = evaluate(ours, test).accuracy;
const accKeras = evaluate(fromKeras, test).accuracy;
const rows = ours.parameters().map((p, i) => {
  const q = fromKeras.parameters()[i].value.data;
  let d = 0, n = 0;
  for (let j = 0; j < p.value.size; j++) { d += (p.value.data[j] - q[j]) ** 2; n += p.value.data[j] ** 2; }
  return `${p.name.padEnd(10)} ${String(p.value.size).padStart(6)}   ‖ΔW‖/‖W‖ = ${(Math.sqrt(d / n) * 100).toFixed(1)} %`;
});
console.log([
  tr({ en: 'engine              test accuracy   seconds   images/s', zh: '引擎                测试准确率      秒        图片/秒' }),
  `${tr({ en: 'tscnn (hand-written)', zh: 'tscnn（手写）       ' })} ${(100 * accOurs).toFixed(1).padStart(8)} %   ${oursSeconds.toFixed(1).padStart(6)}   ${Math.round(2000 / oursSeconds)}`,
  `tfjs Layers (Keras)  ${(100 * accKeras).toFixed(1).padStart(8)} %   ${kerasSeconds.toFixed(1).padStart(6)}   ${Math.round(2000 / kerasSeconds)}`,
  '',
  tr({ en: 'weights after training, tscnn vs Keras:', zh: '训练后的权重，tscnn 与 Keras 相比：' }),
  ...rows,
].join('\n'));
check(accOurs > 0.8 && accKeras > 0.8, `both learn (tscnn ${accOurs}, Keras ${accKeras})`);
check(Math.abs(accOurs - accKeras) < 0.03, 'the two accuracies agree within 3 points');
tf.dispose([xs, ys, first8]);

// %% [markdown] subslide
// ## The first layer's filters, ours and Keras's
// Same start, same data, same optimizer: the filters they learn look alike. They are not identical bit for bit: float32 sums in a different order, and Keras clips probabilities inside its cross-entropy, so tiny differences grow over 63 steps.
// ::: zh
// ## 第一层的卷积核：我们的与 Keras 的
// 起点相同、数据相同、优化器相同：学到的卷积核看起来很像。但它们并非逐位相同：float32 的求和顺序不同，而且 Keras 在交叉熵里会截断概率，这些微小差别在 63 步中逐渐放大。

// %%
show(filters(ours.parameters()[0].value, { scale: 24, title: 'tscnn' }), filters(fromKeras.parameters()[0].value, { scale: 24, title: 'Keras (tfjs Layers)' }));
void keras.dispose(); // frees its weights (void: the cell shows the filters, not dispose's report)

// %% [markdown] slide
// ## What to remember
// - Keras (tfjs Layers API) and our engine describe the same network: 61,706 parameters, the same forward pass.
// - With the same start, data order and optimizer they train to the same accuracy; the weights differ only by float32 rounding that grows over the steps.
// - Our engine shows every step of the math; Keras hides it behind `compile` and `fit`.
// ::: zh
// ## 要点
// - Keras（tfjs 的 Layers API）和我们的引擎描述的是同一个网络：61,706 个参数，同样的前向传播。
// - 起点、数据顺序和优化器都相同，它们训练出相同的准确率；权重只差 float32 舍入误差在训练过程中的积累。
// - 我们的引擎把每一步数学都展示出来；Keras 把它们藏在 `compile` 和 `fit` 后面。
