// %% [markdown] slide
// # 6 · X or O? A whole ConvNet you can read
//
// The lecture's toy network, end to end, on 9×9 pictures of ±1 pixels:
//
// 1. three 3×3 **features** (卷积核 kernels/filters): `\`, `X` and `/`
// 2. **filtering** (卷积 convolution) → **feature maps** (特征图)
// 3. **ReLU** (激活函数 activation) and **max pooling** (池化 pooling)
// 4. a **fully connected** layer (全连接层) where every pooled value *votes* for X or O
// 5. **training** with backpropagation (反向传播), then pictures it has never seen: shifted, rotated, bent
// ::: zh
// # 6 · X 还是 O？一个能读懂的完整卷积网络
//
// 讲义中的小网络，从头到尾，输入是 9×9、像素为 ±1 的图片：
//
// 1. 三个 3×3 的**特征**（卷积核）：`\`、`X` 和 `/`
// 2. **滤波**（卷积）→ **特征图**
// 3. **ReLU**（激活函数）和**最大池化**（池化）
// 4. **全连接层**：每个池化后的值为 X 或 O *投票*
// 5. 用反向传播**训练**，再看它没见过的图片：平移、旋转、弯曲

// %% skip
import { seed, Rng, xoDataset, xoFeatures, xoNet, XO_CLASSES, conv2d, relu, maxPool2d, featureMaps, filters, show, batchGrid, confusionMatrix, fit, evaluate, summary, modelSummaryTable, tensorTable, concat, Tensor, setLocale, tr, check, checkAnswer, maxAbsDiff, assertEqual, assertClose, assertAllClose } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## The pictures
// Pixels are **+1** (stroke) or **−1** (background). The canonical X runs from pixel (1,1) to (7,7) and (1,7) to (7,1).
// ::: zh
// ## 图片
// 像素是 **+1**（笔画）或 **−1**（背景）。标准的 X 从像素 (1,1) 到 (7,7)，以及从 (1,7) 到 (7,1)。

// %%
const canon = xoDataset({ n: 2, transforms: false });
const X = new Tensor(canon.x.data.slice(0, 81), [1, 1, 9, 9]);
const O = new Tensor(canon.x.data.slice(81, 162), [1, 1, 9, 9]);
check(X.get(0, 0, 1, 1) === 1 && X.get(0, 0, 4, 4) === 1 && X.get(0, 0, 1, 7) === 1 && X.get(0, 0, 0, 0) === -1, 'canonical X lies on the two diagonals');
check(O.get(0, 0, 4, 4) === -1, 'the O is hollow');
featureMaps(canon.x.reshape([2, 9, 9]), { labels: ['X', 'O'], colormap: 'grey', scale: 24 })

// %% [markdown] subslide
// ## What the computer must still recognise
// Every training and test picture is drawn from geometry with a random **shift** (±1 px), **scale** (0.85–1.15), **rotation** (±15°), a smooth **bend**, and 2 % flipped pixels.
// ::: zh
// ## 计算机仍然必须认出的图片
// 每张训练和测试图片都由几何形状生成，带有随机的**平移**（±1 像素）、**缩放**（0.85–1.15）、**旋转**（±15°）、平滑的**弯曲**，以及 2 % 翻转的像素。

// %%
const train = xoDataset({ n: 2000, seed: 1 });
const test = xoDataset({ n: 1000, seed: 2 });
check(train.x.shape.join() === '2000,1,9,9' && test.y[0] === 0 && test.y[1] === 1, 'data shapes and alternating labels');
batchGrid(new Tensor(test.x.data.slice(0, 16 * 81), [16, 1, 9, 9]), { labels: test.y.slice(0, 16), classNames: XO_CLASSES, cols: 8, scale: 10 })

// %% [markdown] subslide
// ## The naive idea: compare pixel by pixel
// Keep one perfect X and one perfect O and call a new picture whichever it matches. If "match" means *every* pixel agrees, not one of the 1,000 test pictures matches either template. Counting agreeing pixels does better, but it is fragile: the canonical X shifted by one pixel agrees with the X template on 55 of 81 pixels and with the O template on 52 — nearly a tie.
// ::: zh
// ## 天真的办法：逐个像素比对
// 保存一张标准的 X 和一张标准的 O，新图片和哪张更像就判为哪个字母。如果"匹配"要求*每一个*像素都相同，那么 1000 张测试图片没有一张能和任何一个模板匹配。改为数相同像素的个数会好一些，但很脆弱：把标准 X 向右平移一个像素后，它和 X 模板有 55 个像素相同（共 81 个），和 O 模板有 52 个——几乎打平。

// %%
const same = (a: Float32Array, at: number, t: Tensor) => t.data.reduce((k, v, i) => k + (a[at + i] === v ? 1 : 0), 0);
let exact = 0, counted = 0;
for (let n = 0; n < test.y.length; n++) {
  const sx = same(test.x.data, n * 81, X), so = same(test.x.data, n * 81, O);
  if (sx === 81 || so === 81) exact++;
  if ((sx > so ? 0 : 1) === test.y[n]) counted++;
}
const shifted = new Tensor(new Float32Array(81).fill(-1), [1, 1, 9, 9]);
for (let r = 0; r < 9; r++) for (let c = 1; c < 9; c++) shifted.set(X.get(0, 0, r, c - 1), 0, 0, r, c);
assertEqual('test pictures equal to a template', exact, 0);
assertEqual('shifted X: pixels equal to X, to O', [same(shifted.data, 0, X), same(shifted.data, 0, O)], [55, 52]);
check(counted / test.y.length < 0.97, `counting pixels is not enough (${counted / test.y.length})`);
show(featureMaps(concat([X, shifted, O], 1), { labels: tr({ en: 'X|X shifted 1 px|O', zh: 'X|X 右移 1 像素|O' }).split('|'), scale: 16 }),
  tr({ en: `exact match: ${exact} of 1000; counting equal pixels: ${(100 * counted / test.y.length).toFixed(1)} % right`, zh: `完全相同：1000 张中 ${exact} 张；数相同像素：正确率 ${(100 * counted / test.y.length).toFixed(1)} %` }));

// %% [markdown] slide
// ## Three features (卷积核)
// Small pieces of an X: the `\` diagonal, the cross `X`, the `/` diagonal. Each is a 3×3 grid of ±1.
// ::: zh
// ## 三个特征（卷积核）
// X 的小片段：`\` 对角线、交叉 `X`、`/` 对角线。每个都是由 ±1 组成的 3×3 网格。

// %%
const F = xoFeatures();
check(F.shape.join() === '3,1,3,3', 'three 1-channel 3×3 features');
check(JSON.stringify(F.toList().slice(0, 9)) === '[1,-1,-1,-1,1,-1,-1,-1,1]', 'feature 0 is the \\ diagonal');
filters(F, { scale: 40 })

// %% [markdown] subslide
// ## Filtering = the average of the products
// Lay the feature over a 3×3 patch, multiply pixel by pixel, add, divide by 9:
// **1** = perfect match, **−1** = perfect opposite. Sliding it over every position (stride 步长 1, no padding 填充) turns 9×9 into a 7×7 **feature map**.
// ::: zh
// ## 滤波 = 乘积的平均值
// 把特征放在一个 3×3 的小块上，逐像素相乘、相加、再除以 9：
// **1** = 完全匹配，**−1** = 完全相反。把它滑过每一个位置（步长 1，无填充），9×9 的图片就变成 7×7 的**特征图**。

// %%
const F9 = new Tensor(F.data.map((v) => v / 9), F.shape);
const mapsX = conv2d(X, F9, null);
const mapsO = conv2d(O, F9, null);
check(mapsX.shape.join() === '1,3,7,7', '9×9 filtered by 3×3 (valid) is 7×7');
// The \ feature over the patch centred on pixel (2,2) — a piece of the \ stroke — matches perfectly:
check(Math.abs(mapsX.get(0, 0, 1, 1) - 1) < 1e-6, '\\ matches at (2,2)');
// The cross matches perfectly at the centre of the X:
check(Math.abs(mapsX.get(0, 1, 3, 3) - 1) < 1e-6, 'X matches at the centre');
featureMaps(mapsX, { labels: ['\\', 'X', '/'], title: tr({ en: 'feature maps of the X', zh: 'X 的特征图' }), scale: 24 })

// %% [markdown] subslide
// The same features on the O: its corners are short diagonals, so `\` and `/` match there — but half as often as on the X, and the cross `X` never matches.
// ::: zh
// 同样的特征作用在 O 上：O 的四个角是短的对角线，所以 `\` 和 `/` 在那里能匹配——但次数只有 X 上的一半，而交叉 `X` 从不匹配。

// %%
/** How many positions of channel c match perfectly (value 1). */
const perfect = (m: Tensor, c: number) => m.data.slice(c * 49, (c + 1) * 49).filter((v) => v > 0.99).length;
const countsX = [0, 1, 2].map((c) => perfect(mapsX, c));
const countsO = [0, 1, 2].map((c) => perfect(mapsO, c));
check(countsX.join() === '4,1,4' && countsO.join() === '2,0,2', `perfect matches X ${countsX} vs O ${countsO}`);
featureMaps(mapsO, { labels: ['\\', 'X', '/'], title: tr({ en: 'feature maps of the O', zh: 'O 的特征图' }), scale: 24 })

// %% [markdown] subslide
// ## The article's numbers are ninths
// Each value of a feature map is (matches − mismatches)/9, so it is always k/9. The article prints them with two decimals, **truncated**: 7/9 = 0.777… appears as 0.77 and 5/9 = 0.555… as 0.55 (rounded they would be 0.78 and 0.56). Below, the `\` map of the X as 9 × value: the article's first row 0.77, −0.11, 0.11, 0.33, 0.55, −0.11, 0.33 is 7, −1, 1, 3, 5, −1, 3.
// ::: zh
// ## 文章里的数都是九分之几
// 特征图上的每个值都是（匹配数 − 不匹配数）/9，所以总是 k/9。文章保留两位小数时是**截断**的：7/9 = 0.777… 写成 0.77，5/9 = 0.555… 写成 0.55（四舍五入应是 0.78 和 0.56）。下面是 X 的 `\` 特征图乘以 9：文章第一行 0.77、−0.11、0.11、0.33、0.55、−0.11、0.33 就是 7、−1、1、3、5、−1、3。

// %%
const ninths = new Tensor(mapsX.data.slice(0, 49).map((v) => Math.round(9 * v)), [7, 7]);
assertEqual('first row × 9', Array.from(ninths.data.slice(0, 7)), [7, -1, 1, 3, 5, -1, 3]);
assertEqual('second row × 9', Array.from(ninths.data.slice(7, 14)), [-1, 9, -1, 3, -1, 1, -1]);
assertEqual('7/9 and 5/9 truncated to 2 decimals', [Math.trunc(700 / 9) / 100, Math.trunc(500 / 9) / 100], [0.77, 0.55]);
assertEqual('… and rounded', [Math.round(700 / 9) / 100, Math.round(500 / 9) / 100], [0.78, 0.56]);
tensorTable(ninths, { title: tr({ en: '9 × the \\ feature map of the X', zh: 'X 的 \\ 特征图 × 9' }) })

// %% [markdown] slide
// ## ReLU, then max pooling (池化)
// **ReLU** keeps matches, zeroes the rest: max(0, v). **Max pooling** 2×2, stride 2 keeps the strongest match in each window — a smaller map that cares less *where* exactly the match was. 7×7 → 3×3 (the last row/column does not fill a window).
// ::: zh
// ## 先 ReLU，再最大池化
// **ReLU** 保留匹配、把其余置零：max(0, v)。2×2、步长 2 的**最大池化**保留每个窗口里最强的匹配——得到更小的图，也不那么在意匹配*到底在哪里*。7×7 → 3×3（最后一行/一列凑不满一个窗口）。

// %%
const pooledX = maxPool2d(relu(mapsX), { kernelSize: 2 });
const pooledO = maxPool2d(relu(mapsO), { kernelSize: 2 });
check(pooledX.shape.join() === '1,3,3,3', 'pool 7×7 → 3×3');
check(Math.min(...pooledX.data, ...pooledO.data) >= 0, 'after ReLU nothing is negative');
// The top-left window of the \ map holds the perfect match at (1,1):
check(Math.abs(pooledX.get(0, 0, 0, 0) - 1) < 1e-6, 'pooling keeps the perfect match');
featureMaps(new Tensor(Float32Array.from([...pooledX.data, ...pooledO.data]), [6, 3, 3]), { labels: ['X: \\', 'X: X', 'X: /', 'O: \\', 'O: X', 'O: /'], cols: 3, scale: 40 })

// %% [markdown] subslide
// ## Pooling as the article does: 7×7 → 4×4
// The article pools 2×2 with stride 2 but keeps the last row and column: it pads the map with zeros to 8×8, so 7×7 becomes **4×4**. That is *ceil mode*: ⌈(7 − 2)/2⌉ + 1 = 4 (`ceilMode: true`, PyTorch's `ceil_mode=True`). On these maps zero padding and ceil mode give the same numbers; the `\` map's pooled values, × 9, are the article's 1.00 0.33 0.55 0.33 / 0.33 1.00 0.33 0.55 / 0.55 0.33 1.00 0.11 / 0.33 0.55 0.11 0.77.
// ::: zh
// ## 按文章的做法池化：7×7 → 4×4
// 文章用 2×2、步长 2 的池化，但保留最后一行和一列：它在特征图外面补 0 到 8×8，于是 7×7 变成 **4×4**。这就是*向上取整模式*（ceil mode）：⌈(7 − 2)/2⌉ + 1 = 4（`ceilMode: true`，即 PyTorch 的 `ceil_mode=True`）。在这些特征图上，补 0 与向上取整得到的数相同；`\` 特征图池化后的值乘以 9，就是文章里的 1.00 0.33 0.55 0.33 / 0.33 1.00 0.33 0.55 / 0.55 0.33 1.00 0.11 / 0.33 0.55 0.11 0.77。

// %%
const pooled4 = maxPool2d(mapsX, { kernelSize: 2, ceilMode: true });
assertEqual('ceil mode: 7×7 → 4×4', pooled4.shape, [1, 3, 4, 4]);
const padded = new Tensor(new Float32Array(3 * 64), [1, 3, 8, 8]);
for (let c = 0; c < 3; c++) for (let r = 0; r < 7; r++) for (let q = 0; q < 7; q++) padded.set(mapsX.get(0, c, r, q), 0, c, r, q);
assertAllClose('zero padding to 8×8 = ceil mode', maxPool2d(padded, { kernelSize: 2 }), pooled4, 1e-6);
assertEqual('pooled \\ map × 9', Array.from(pooled4.data.slice(0, 16), (v) => Math.round(9 * v)), [9, 3, 5, 3, 3, 9, 3, 5, 5, 3, 9, 1, 3, 5, 1, 7]);
tensorTable(new Tensor(pooled4.data.slice(0, 16), [4, 4]), { title: tr({ en: 'the \\ map pooled 2×2 (ceil mode)', zh: '\\ 特征图 2×2 池化（向上取整）' }), precision: 2 })

// %% [markdown] subslide
// ## Exercise (lecture quiz): does pooling need an activation after it?
// After conv → ReLU → max pooling, would another ReLU after the pooling change anything? **A** it is needed, **B** it is not needed. Answer `'A'` or `'B'`.
// ::: zh
// ## 练习（讲义测验）：池化层后面需要激活吗？
// 在 卷积 → ReLU → 最大池化 之后，再在池化后面加一个 ReLU 会改变什么吗？**A** 需要，**B** 不需要。回答 `'A'` 或 `'B'`。

// %%
let answerPoolActivation: string | undefined = undefined; // ← 'A' or 'B'

// %% fragment hide-input
const afterPool = maxPool2d(relu(mapsX), { kernelSize: 2 });
const reluAgain = relu(afterPool);
const swapped = relu(maxPool2d(mapsX, { kernelSize: 2 }));
checkAnswer(answerPoolActivation, maxAbsDiff(reluAgain, afterPool) === 0 ? 'B' : 'A', {
  why: tr({ en: 'max pooling only picks values, it creates no new ones: after a ReLU they are all ≥ 0, so a second ReLU changes nothing. ReLU and max pooling even commute: relu(pool(x)) = pool(relu(x)) (ReLU never changes the order of values), so no activation is needed after pooling.', zh: '最大池化只是挑选数值，不产生新值：经过 ReLU 后它们都 ≥ 0，所以再加一个 ReLU 什么也不改变。ReLU 和最大池化甚至可以交换顺序：relu(pool(x)) = pool(relu(x))（ReLU 不改变数值的大小顺序），所以池化层后面不需要激活。' }),
  hint: tr({ en: 'compare relu(pool(relu(x))) with pool(relu(x)) below.', zh: '比较下面的 relu(pool(relu(x))) 和 pool(relu(x))。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **B**: not needed. Max pooling selects values that the ReLU already made non-negative, so a ReLU after it is the identity (and relu(pool(x)) = pool(relu(x))). Average pooling of non-negative values is also ≥ 0.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **B**：不需要。最大池化挑出的值已经被 ReLU 变成非负的，所以之后再加 ReLU 等于什么都没做（而且 relu(pool(x)) = pool(relu(x))）。对非负值做平均池化，结果同样 ≥ 0。
// </details>

// %% skip
assertEqual('relu after relu + pool changes nothing', maxAbsDiff(reluAgain, afterPool), 0);
assertEqual('relu and max pooling commute', maxAbsDiff(swapped, afterPool), 0);

// %% [markdown] slide
// ## The network
// Conv (the three features) → ReLU → MaxPool → Flatten → **fully connected** 27 → 2: every one of the 3·3·3 = 27 pooled values casts a weighted vote for X and for O. Parameters (参数): 27 conv weights + 27·2 + 2 = 83.
// ::: zh
// ## 网络结构
// 卷积（三个特征）→ ReLU → 最大池化 → 展平 → **全连接** 27 → 2：3·3·3 = 27 个池化值中的每一个都为 X 和 O 投出加权的一票。参数：27 个卷积权重 + 27·2 + 2 = 83。

// %%
const net = xoNet({ rng: new Rng(0) });
const s = summary(net, [1, 1, 9, 9]);
check(s.totalParams === 27 + 27 * 2 + 2, `83 parameters (got ${s.totalParams})`);
modelSummaryTable(s)

// %% [markdown] subslide
// Before training the votes are random: about chance on the test set.
// ::: zh
// 训练之前，投票是随机的：在测试集上的正确率大约是瞎猜的水平。

// %%
const before = evaluate(net, test);
check(before.accuracy < 0.9, `untrained net is not already good (${before.accuracy})`);
tr({ en: `untrained: test accuracy ${(100 * before.accuracy).toFixed(1)} %`, zh: `未训练：测试正确率 ${(100 * before.accuracy).toFixed(1)} %` })

// %% [markdown] slide
// ## Training (反向传播 backpropagation)
// Cross-entropy loss (交叉熵), Adam, 10 epochs of 2,000 transformed pictures; the features train too. The chart redraws while it trains.
// ::: zh
// ## 训练（反向传播）
// 交叉熵损失、Adam、在 2000 张变换过的图片上训练 10 轮；特征（卷积核）也一起训练。训练过程中图表实时更新。

// %%
const history = await fit(net, train, { epochs: 10, batchSize: 16, optimizer: 'adam', lr: 0.01, seed: 0, valData: test });
check(history.stopReason === 'completed' && history.epochs.length === 10, 'all 10 epochs ran');
history

// %% [markdown] subslide
// ## Held-out pictures: 1,000 new shifted, rotated, bent X's and O's
// ::: zh
// ## 留出的图片：1000 张新的平移、旋转、弯曲的 X 和 O

// %%
const after = evaluate(net, test);
check(after.accuracy === 1, `100 % on the held-out transformed set (got ${after.accuracy})`);
check(after.confusion.get(0, 1) + after.confusion.get(1, 0) === 0, 'no confusions');
confusionMatrix(after.confusion.toJSON().counts, XO_CLASSES, { title: tr({ en: `held-out accuracy ${(100 * after.accuracy).toFixed(1)} %`, zh: `留出集正确率 ${(100 * after.accuracy).toFixed(1)} %` }) })

// %% [markdown] subslide
// ## The error table
// The article's example: the network answers 0.92 for X (right answer 1) and 0.51 for O (right answer 0). The error of each is |right − actual|. The article lists 0.08 and 0.49, total 0.57 — a small slip: for O the right answer is 0, so the error is |0 − 0.51| = **0.51** (0.49 is 1 − 0.51, measured against the wrong target) and the total is **0.59**. Learning means nudging every feature pixel and vote weight so this total goes down. Below, the corrected table and the same table for our trained network on the first test picture (its softmax outputs).
// ::: zh
// ## 误差表
// 文章里的例子：网络对 X 输出 0.92（正确答案 1），对 O 输出 0.51（正确答案 0）。每一项的误差是 |正确答案 − 实际输出|。文章写的是 0.08 和 0.49，合计 0.57——这里有个小笔误：O 的正确答案是 0，误差应为 |0 − 0.51| = **0.51**（0.49 是 1 − 0.51，用错了目标值），合计 **0.59**。学习就是微调每一个特征像素和投票权重，让这个总误差变小。下面是更正后的表，以及我们训练好的网络在第一张测试图片上的同一张表（softmax 输出）。

// %%
/** The article's table as text: class, right answer, actual answer, error = |right − actual|, and the total. */
const errorTable = (title: string, right: number[], actual: number[]) => [
  title,
  [tr({ en: 'class', zh: '类别' }), tr({ en: 'right', zh: '正确答案' }), tr({ en: 'actual', zh: '实际输出' }), tr({ en: 'error', zh: '误差' })].map((h) => h.padEnd(10)).join(''),
  ...right.map((r, i) => [XO_CLASSES[i], r, actual[i].toFixed(2), Math.abs(r - actual[i]).toFixed(2)].map((v) => String(v).padEnd(10)).join('')),
  `${''.padEnd(20)}${tr({ en: 'total', zh: '合计' }).padEnd(10)}${right.reduce((t, r, i) => t + Math.abs(r - actual[i]), 0).toFixed(2)}`,
].join('\n');
assertClose('article: error for X', Math.abs(1 - 0.92), 0.08, 1e-9);
assertClose('article: error for O is 0.51, not 0.49', Math.abs(0 - 0.51), 0.51, 1e-9);
assertClose('article: total error is 0.59, not 0.57', Math.abs(1 - 0.92) + Math.abs(0 - 0.51), 0.59, 1e-9);
const logits = net.eval().forward(new Tensor(test.x.data.slice(0, 81), [1, 1, 9, 9]));
const e0 = Math.exp(logits.get(0, 0)), e1 = Math.exp(logits.get(0, 1));
const ours = [e0 / (e0 + e1), e1 / (e0 + e1)];
check(test.y[0] === 0 && ours[0] > 0.9, `our net answers X for test picture 0 (p = ${ours[0]})`);
console.log(errorTable(tr({ en: 'the article (corrected)', zh: '文章中的例子（已更正）' }), [1, 0], [0.92, 0.51]) + '\n\n' + errorTable(tr({ en: 'our network, test picture 0', zh: '我们的网络，第 0 张测试图片' }), [1, 0], ours));

// %% [markdown] slide
// ## What did it learn? The features after training
// They started as the exact `\`, `X`, `/` (÷9, scale ±0.11). Training grew them about tenfold and reshaped them — compare the patterns (each drawing has its own colour scale).
// ::: zh
// ## 它学到了什么？训练后的特征
// 它们一开始是精确的 `\`、`X`、`/`（除以 9，数值范围 ±0.11）。训练使它们大约变大了十倍，形状也变了——比较一下图案（每幅图有自己的颜色刻度）。

// %%
const conv0 = net.layers[0].parameters()[0].value;
let drift = 0;
for (let i = 0; i < conv0.size; i++) drift = Math.max(drift, Math.abs(conv0.data[i] - F9.data[i]));
check(drift > 0, 'the features were trained');
show(filters(F9, { scale: 40, title: tr({ en: 'before', zh: '训练前' }) }), filters(conv0, { scale: 40, title: tr({ en: 'after training', zh: '训练后' }) }));
tr({ en: `largest change of a feature weight: ${drift.toFixed(3)}`, zh: `特征权重的最大变化：${drift.toFixed(3)}` })

// %% [markdown] subslide
// ## The votes (全连接层 weights)
// Row *X* and row *O* of the 2×27 weight matrix, laid out like the pooled maps they multiply: warm = votes for, cool = votes against.
// ::: zh
// ## 投票（全连接层的权重）
// 2×27 权重矩阵中 *X* 行和 *O* 行，按它们所乘的池化特征图排列：暖色 = 赞成票，冷色 = 反对票。

// %%
const fc = net.layers[4].parameters()[0].value;
check(fc.shape.join() === '2,27', 'fully connected weight is [2, 27]');
featureMaps(fc.reshape([6, 3, 3]), { labels: ['X ← \\', 'X ← X', 'X ← /', 'O ← \\', 'O ← X', 'O ← /'], cols: 3, scale: 40 })

// %% [markdown] slide
// ## Harder than training: bigger shifts and rotations
// The network saw shifts ≤ 1 px and rotations ≤ 15°. How far does pooling's tolerance stretch?
// ::: zh
// ## 比训练更难：更大的平移和旋转
// 网络见过的平移 ≤ 1 像素、旋转 ≤ 15°。池化带来的容忍度能延伸多远？

// %%
const cases: [string, object][] = [
  [tr({ en: 'as trained (±1 px, ±15°)', zh: '与训练相同（±1 像素，±15°）' }), {}],
  [tr({ en: 'shift ±2 px', zh: '平移 ±2 像素' }), { shift: 2, rotate: 0 }],
  [tr({ en: 'rotate ±30°', zh: '旋转 ±30°' }), { shift: 0, rotate: 30 }],
  [tr({ en: 'rotate ±45°', zh: '旋转 ±45°' }), { shift: 0, rotate: 45 }],
];
const robust = cases.map(([name, t]) => [name, evaluate(net, xoDataset({ n: 400, seed: 3, transforms: t })).accuracy] as [string, number]);
check(robust[0][1] === 1, 'as trained: 100 %');
check(robust.every(([, a]) => a > 0.5), 'better than chance on every variant');
check(robust[1][1] < 1, 'shifts beyond the training range cost accuracy');
robust.map(([n, a]) => `${n.padEnd(26)} ${(100 * a).toFixed(1)} %`).join('\n')

// %% [markdown] subslide
// Some pictures it gets wrong when shifted by up to 2 px (red = wrong):
// ::: zh
// 平移最多 2 像素时，它认错的一些图片（红色 = 错误）：

// %%
const hard = xoDataset({ n: 400, seed: 3, transforms: { shift: 2, rotate: 0 } });
const hardPred = net.eval().forward(hard.x);
const preds = Int32Array.from({ length: 400 }, (_, i) => (hardPred.get(i, 1) > hardPred.get(i, 0) ? 1 : 0));
batchGrid(new Tensor(hard.x.data.slice(0, 24 * 81), [24, 1, 9, 9]), { labels: hard.y.slice(0, 24), predictions: preds.slice(0, 24), classNames: XO_CLASSES, cols: 8, scale: 10 })

// %% [markdown] slide
// ## Limitations: data that does not look like an image
//
// The article's last warning: a ConvNet only captures **local spatial** patterns. Its rule of thumb: if you can swap two columns of your data without changing what it means — a table of customers, with name, age, address, e-mail … — a ConvNet will not help. Pictures are the opposite: shuffle the columns of every test picture the same way and the trained network's accuracy collapses, although every pixel is still there.
// ::: zh
// ## 局限：看起来不像图像的数据
//
// 文章最后的提醒：卷积网络只能抓住**局部的空间**模式。它的经验法则：如果交换数据的两列不改变数据的含义——比如一张客户表，有姓名、年龄、地址、邮箱……——卷积网络就帮不上忙。图片正相反：把每张测试图片的列按同一种方式打乱，训练好的网络正确率就崩了，尽管每个像素都还在。

// %%
const perm = [4, 7, 1, 8, 2, 0, 6, 3, 5]; // one fixed shuffle of the 9 columns
const shuffledX = test.x.clone();
for (let n = 0; n < test.x.shape[0]; n++) for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) {
  shuffledX.data[n * 81 + r * 9 + c] = test.x.data[n * 81 + r * 9 + perm[c]];
}
const onShuffled = evaluate(net, { ...test, x: shuffledX });
check(onShuffled.accuracy < 0.8, `columns shuffled: the net trained on pictures fails (${onShuffled.accuracy})`);
tr({
  en: `held-out pictures: ${(100 * after.accuracy).toFixed(1)} %; the same pictures with their columns shuffled: ${(100 * onShuffled.accuracy).toFixed(1)} %`,
  zh: `留出的图片：${(100 * after.accuracy).toFixed(1)} %；同样的图片把列打乱后：${(100 * onShuffled.accuracy).toFixed(1)} %`,
})

// %% [markdown] slide
// ## Take-aways
// - A feature (卷积核) is a small picture; filtering scores how well each patch matches it.
// - ReLU + pooling keep the *strong* matches and forget their exact position → tolerance to shifts.
// - The fully connected layer is a weighted vote; training (梯度 gradients by the 链式法则 chain rule) sets the votes — and tunes the features.
// - Same weights everywhere in the picture: 权值共享 weight sharing; each output sees 3×3 pixels: 局部连接 local connectivity.
// ::: zh
// ## 要点
// - 特征（卷积核）是一张小图；滤波给每个小块和它的匹配程度打分。
// - ReLU + 池化保留*强*匹配、忘掉它们的精确位置 → 对平移有容忍度。
// - 全连接层是加权投票；训练（用链式法则求梯度）决定投票权重——同时也调整特征。
// - 整张图片上用同一组权重：权值共享；每个输出只看 3×3 个像素：局部连接。
