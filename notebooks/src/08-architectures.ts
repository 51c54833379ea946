// %% [markdown] slide
// # 8 · Classic architectures: LeNet-5, AlexNet, VGG16
//
// How many **parameters (参数)** does each layer have — and why did the field move to stacks of small **3×3** convolutions and to **global average pooling**?
// Big models are built with `{ init: false }`: zero weights, no random draws, so a 138-million-parameter summary costs nothing.

// %% skip
import { lenet5, alexnet, vgg16, summary, modelSummaryTable, receptiveField, receptiveFieldView, Conv2d, MaxPool2d, Linear, GlobalAvgPool2d, Flatten, Sequential, show, setLocale, check } from 'tscnn';
setLocale('en');
/** 61706 → '61,706'. */
const grouped = (n: number) => n.toLocaleString('en-US');

// %% [markdown] slide
// ## Exercise: compute each layer's parameters
// A convolution with C<sub>in</sub> input channels, C<sub>out</sub> filters of K×K: **C<sub>out</sub> · (C<sub>in</sub> · K · K) + C<sub>out</sub>** (weights + one bias per filter).
// A fully connected layer (全连接层) with n<sub>in</sub> inputs and n<sub>out</sub> outputs: **n<sub>out</sub> · n<sub>in</sub> + n<sub>out</sub>**.
// Pooling, ReLU, Flatten, Dropout: **0**.

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

// %%
const sLe = summary(lenet5({ init: false }), [1, 1, 28, 28]);
check(sLe.totalParams === 61706, `LeNet-5 total ${sLe.totalParams}`);
check(sLe.rows[0].params === convParams(1, 6, 5), 'C1 matches the formula');
modelSummaryTable(sLe)

// %% [markdown] slide
// ## AlexNet (2012): 61,100,840
// Five convolutions, three fully connected layers, ReLU, dropout, GPUs. 96 % of its parameters are fully connected weights.

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

// %%
const vgg = vgg16({ init: false });
const sVgg = summary(vgg, [1, 3, 224, 224]);
check(sVgg.totalParams === 138357544, `VGG16 total ${sVgg.totalParams}`);
const vggConvs = vgg.parameters().filter((p) => p.value.rank === 4);
check(vggConvs.length === 13 && vggConvs.every((p) => p.value.shape[2] === 3 && p.value.shape[3] === 3), '13 convolutions, all 3×3');
check(vggConvs.reduce((a, p) => a + p.value.size, 0) === 14710464, 'conv weights of VGG16');
`VGG16: ${grouped(sVgg.totalParams)} parameters, ${(sVgg.totalFlops / 1e9).toFixed(1)} GFLOPs per 224×224 image`

// %% [markdown] subslide
// The whole VGG16 table (one row per layer):

// %%
modelSummaryTable(sVgg)

// %% [markdown] slide
// ## Receptive field (感受野): why 3×3?
// One unit of a 3×3 conv sees 3×3 pixels. Stack two: each unit of the second sees a 3×3 window of the first, i.e. **5×5** pixels — with **2·9 = 18** weights per channel pair instead of **25**, and one more ReLU in between. Three: **7×7** with **27** instead of **49**.

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
[['one 3×3', rf1], ['two 3×3', rf2], ['three 3×3', rf3], ['one 5×5', rf5], ['one 7×7', rf7]]
  .map(([n, r]: any) => `${n.padEnd(10)} sees ${r.receptiveField.join('×')} pixels with ${r.weightsPerChannelPair} weights per channel pair`).join('\n')

// %% [markdown] subslide
// Which input pixels feed the centre unit after two 3×3 convs? The number in each cell counts the paths from that pixel to the unit: the centre is seen 9 ways, the corners once.

// %%
const two = [conv3(), conv3()];
const view = receptiveFieldView(two, 1, [3, 3], [1, 1, 9, 9]);
check(view.field.counts.length === 9, 'drawn on the 9×9 input');
const countsFlat = view.field.counts.flat();
check(Math.max(...countsFlat) === 9 && countsFlat.filter((c) => c > 0).length === 25, '25 pixels feed the unit, the centre 9 times');
view

// %% [markdown] subslide
// With a pool in between the field grows faster: conv 3×3 → max pool 2×2 → conv 3×3 sees 8×8.

// %%
const pooled = [conv3(), new MaxPool2d(2), conv3()];
const rfp = receptiveField(pooled);
check(rfp.receptiveField!.join() === '8,8', `conv-pool-conv sees ${rfp.receptiveField}`);
receptiveFieldView(pooled, 2, [2, 2], [1, 1, 12, 12])

// %% [markdown] slide
// ## Global average pooling vs fully connected
// VGG16 flattens its last 512×7×7 feature maps into 25,088 numbers and feeds a 4096-unit fully connected layer: **102,764,544** weights — 74 % of the whole network in one layer.
// **Global average pooling** (Network in Network, GoogLeNet, ResNet) averages each 7×7 map to one number: 512 features, then one 512 → 1000 classifier: **513,000**.

// %%
const headFc = new Sequential(new Flatten(), new Linear(512 * 7 * 7, 4096, { init: false }), new Linear(4096, 4096, { init: false }), new Linear(4096, 1000, { init: false }));
const headGap = new Sequential(new GlobalAvgPool2d(), new Flatten(), new Linear(512, 1000, { init: false }));
const sFc = summary(headFc, [1, 512, 7, 7]);
const sGap = summary(headGap, [1, 512, 7, 7]);
check(sFc.totalParams === 123642856, `VGG16's fully connected head ${sFc.totalParams}`);
check(sGap.totalParams === 513000, `GAP head ${sGap.totalParams}`);
check(sVgg.totalParams - sFc.totalParams === 14714688, 'the convolutions of VGG16');
show(modelSummaryTable(sFc), modelSummaryTable(sGap));
`fully connected head: ${grouped(sFc.totalParams)}  vs  GAP head: ${grouped(sGap.totalParams)}  (${Math.round(sFc.totalParams / sGap.totalParams)}× fewer)`

// %% [markdown] slide
// ## Take-aways
// - Parameters: conv C<sub>out</sub>(C<sub>in</sub>K² + 1), fully connected n<sub>out</sub>(n<sub>in</sub> + 1); pooling has none.
// - LeNet-5 61,706 → AlexNet 61,100,840 → VGG16 138,357,544: most weights live in the fully connected layers.
// - Stacked 3×3 convs: the same receptive field (感受野) as one big filter, fewer weights, more non-linearity.
// - Global average pooling replaces the fully connected head with ~240× fewer parameters.
