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

// %% skip
import { seed, Rng, xoDataset, xoFeatures, xoNet, XO_CLASSES, conv2d, relu, maxPool2d, featureMaps, filters, show, batchGrid, confusionMatrix, fit, evaluate, summary, modelSummaryTable, Tensor, setLocale, check } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## The pictures
// Pixels are **+1** (stroke) or **−1** (background). The canonical X runs from pixel (1,1) to (7,7) and (1,7) to (7,1).

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

// %%
const train = xoDataset({ n: 2000, seed: 1 });
const test = xoDataset({ n: 1000, seed: 2 });
check(train.x.shape.join() === '2000,1,9,9' && test.y[0] === 0 && test.y[1] === 1, 'data shapes and alternating labels');
batchGrid(new Tensor(test.x.data.slice(0, 16 * 81), [16, 1, 9, 9]), { labels: test.y.slice(0, 16), classNames: XO_CLASSES, cols: 8, scale: 10 })

// %% [markdown] slide
// ## Three features (卷积核)
// Small pieces of an X: the `\` diagonal, the cross `X`, the `/` diagonal. Each is a 3×3 grid of ±1.

// %%
const F = xoFeatures();
check(F.shape.join() === '3,1,3,3', 'three 1-channel 3×3 features');
check(JSON.stringify(F.toList().slice(0, 9)) === '[1,-1,-1,-1,1,-1,-1,-1,1]', 'feature 0 is the \\ diagonal');
filters(F, { scale: 40 })

// %% [markdown] subslide
// ## Filtering = the average of the products
// Lay the feature over a 3×3 patch, multiply pixel by pixel, add, divide by 9:
// **1** = perfect match, **−1** = perfect opposite. Sliding it over every position (stride 步长 1, no padding 填充) turns 9×9 into a 7×7 **feature map**.

// %%
const F9 = new Tensor(F.data.map((v) => v / 9), F.shape);
const mapsX = conv2d(X, F9, null);
const mapsO = conv2d(O, F9, null);
check(mapsX.shape.join() === '1,3,7,7', '9×9 filtered by 3×3 (valid) is 7×7');
// The \ feature over the patch centred on pixel (2,2) — a piece of the \ stroke — matches perfectly:
check(Math.abs(mapsX.get(0, 0, 1, 1) - 1) < 1e-6, '\\ matches at (2,2)');
// The cross matches perfectly at the centre of the X:
check(Math.abs(mapsX.get(0, 1, 3, 3) - 1) < 1e-6, 'X matches at the centre');
featureMaps(mapsX, { labels: ['\\', 'X', '/'], title: 'feature maps of the X', scale: 24 })

// %% [markdown] subslide
// The same features on the O: its corners are short diagonals, so `\` and `/` match there — but half as often as on the X, and the cross `X` never matches.

// %%
/** How many positions of channel c match perfectly (value 1). */
const perfect = (m: Tensor, c: number) => m.data.slice(c * 49, (c + 1) * 49).filter((v) => v > 0.99).length;
const countsX = [0, 1, 2].map((c) => perfect(mapsX, c));
const countsO = [0, 1, 2].map((c) => perfect(mapsO, c));
check(countsX.join() === '4,1,4' && countsO.join() === '2,0,2', `perfect matches X ${countsX} vs O ${countsO}`);
featureMaps(mapsO, { labels: ['\\', 'X', '/'], title: 'feature maps of the O', scale: 24 })

// %% [markdown] slide
// ## ReLU, then max pooling (池化)
// **ReLU** keeps matches, zeroes the rest: max(0, v). **Max pooling** 2×2, stride 2 keeps the strongest match in each window — a smaller map that cares less *where* exactly the match was. 7×7 → 3×3 (the last row/column does not fill a window).

// %%
const pooledX = maxPool2d(relu(mapsX), { kernelSize: 2 });
const pooledO = maxPool2d(relu(mapsO), { kernelSize: 2 });
check(pooledX.shape.join() === '1,3,3,3', 'pool 7×7 → 3×3');
check(Math.min(...pooledX.data, ...pooledO.data) >= 0, 'after ReLU nothing is negative');
// The top-left window of the \ map holds the perfect match at (1,1):
check(Math.abs(pooledX.get(0, 0, 0, 0) - 1) < 1e-6, 'pooling keeps the perfect match');
featureMaps(new Tensor(Float32Array.from([...pooledX.data, ...pooledO.data]), [6, 3, 3]), { labels: ['X: \\', 'X: X', 'X: /', 'O: \\', 'O: X', 'O: /'], cols: 3, scale: 40 })

// %% [markdown] slide
// ## The network
// Conv (the three features) → ReLU → MaxPool → Flatten → **fully connected** 27 → 2: every one of the 3·3·3 = 27 pooled values casts a weighted vote for X and for O. Parameters (参数): 27 conv weights + 27·2 + 2 = 83.

// %%
const net = xoNet({ rng: new Rng(0) });
const s = summary(net, [1, 1, 9, 9]);
check(s.totalParams === 27 + 27 * 2 + 2, `83 parameters (got ${s.totalParams})`);
modelSummaryTable(s)

// %% [markdown] subslide
// Before training the votes are random: about chance on the test set.

// %%
const before = evaluate(net, test);
check(before.accuracy < 0.9, `untrained net is not already good (${before.accuracy})`);
`untrained: test accuracy ${(100 * before.accuracy).toFixed(1)} %`

// %% [markdown] slide
// ## Training (反向传播 backpropagation)
// Cross-entropy loss (交叉熵), Adam, 10 epochs of 2,000 transformed pictures; the features train too. The chart redraws while it trains.

// %%
const history = await fit(net, train, { epochs: 10, batchSize: 16, optimizer: 'adam', lr: 0.01, seed: 0, valData: test });
check(history.stopReason === 'completed' && history.epochs.length === 10, 'all 10 epochs ran');
history

// %% [markdown] subslide
// ## Held-out pictures: 1,000 new shifted, rotated, bent X's and O's

// %%
const after = evaluate(net, test);
check(after.accuracy === 1, `100 % on the held-out transformed set (got ${after.accuracy})`);
check(after.confusion.get(0, 1) + after.confusion.get(1, 0) === 0, 'no confusions');
confusionMatrix(after.confusion.toJSON().counts, XO_CLASSES, { title: `held-out accuracy ${(100 * after.accuracy).toFixed(1)} %` })

// %% [markdown] slide
// ## What did it learn? The features after training
// They started as the exact `\`, `X`, `/` (÷9, scale ±0.11). Training grew them about tenfold and reshaped them — compare the patterns (each drawing has its own colour scale).

// %%
const conv0 = net.layers[0].parameters()[0].value;
let drift = 0;
for (let i = 0; i < conv0.size; i++) drift = Math.max(drift, Math.abs(conv0.data[i] - F9.data[i]));
check(drift > 0, 'the features were trained');
show(filters(F9, { scale: 40, title: 'before' }), filters(conv0, { scale: 40, title: 'after training' }));
`largest change of a feature weight: ${drift.toFixed(3)}`

// %% [markdown] subslide
// ## The votes (全连接层 weights)
// Row *X* and row *O* of the 2×27 weight matrix, laid out like the pooled maps they multiply: warm = votes for, cool = votes against.

// %%
const fc = net.layers[4].parameters()[0].value;
check(fc.shape.join() === '2,27', 'fully connected weight is [2, 27]');
featureMaps(fc.reshape([6, 3, 3]), { labels: ['X ← \\', 'X ← X', 'X ← /', 'O ← \\', 'O ← X', 'O ← /'], cols: 3, scale: 40 })

// %% [markdown] slide
// ## Harder than training: bigger shifts and rotations
// The network saw shifts ≤ 1 px and rotations ≤ 15°. How far does pooling's tolerance stretch?

// %%
const cases: [string, object][] = [
  ['as trained (±1 px, ±15°)', {}],
  ['shift ±2 px', { shift: 2, rotate: 0 }],
  ['rotate ±30°', { shift: 0, rotate: 30 }],
  ['rotate ±45°', { shift: 0, rotate: 45 }],
];
const robust = cases.map(([name, t]) => [name, evaluate(net, xoDataset({ n: 400, seed: 3, transforms: t })).accuracy] as [string, number]);
check(robust[0][1] === 1, 'as trained: 100 %');
check(robust.every(([, a]) => a > 0.5), 'better than chance on every variant');
check(robust[1][1] < 1, 'shifts beyond the training range cost accuracy');
robust.map(([n, a]) => `${n.padEnd(26)} ${(100 * a).toFixed(1)} %`).join('\n')

// %% [markdown] subslide
// Some pictures it gets wrong when shifted by up to 2 px (red = wrong):

// %%
const hard = xoDataset({ n: 400, seed: 3, transforms: { shift: 2, rotate: 0 } });
const hardPred = net.eval().forward(hard.x);
const preds = Int32Array.from({ length: 400 }, (_, i) => (hardPred.get(i, 1) > hardPred.get(i, 0) ? 1 : 0));
batchGrid(new Tensor(hard.x.data.slice(0, 24 * 81), [24, 1, 9, 9]), { labels: hard.y.slice(0, 24), predictions: preds.slice(0, 24), classNames: XO_CLASSES, cols: 8, scale: 10 })

// %% [markdown] slide
// ## Take-aways
// - A feature (卷积核) is a small picture; filtering scores how well each patch matches it.
// - ReLU + pooling keep the *strong* matches and forget their exact position → tolerance to shifts.
// - The fully connected layer is a weighted vote; training (梯度 gradients by the 链式法则 chain rule) sets the votes — and tunes the features.
// - Same weights everywhere in the picture: 权值共享 weight sharing; each output sees 3×3 pixels: 局部连接 local connectivity.
