// %% [markdown] slide
// # 2 · Padding 填充, stride 步长, channels
//
// 1. The output-size formula and the course quiz
// 2. Padding: *valid* vs *same* (and TensorFlow's asymmetric *same*)
// 3. Stride and dilation
// 4. Channels: multi-channel filters, 1×1 convolution, groups (depthwise)
// 5. Local connectivity 局部连接 and weight sharing 权值共享: counting parameters 参数

// %%
import { seed, Tensor, tensor, arange, randn, conv2d, conv2dOutputShape, outputSize, resolvePadding, Conv2d, Linear, convWalkthrough, tensorTable, featureMaps, show, setLocale, assertEqual, assertClose } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## The output size
//
// Input H, filter F, padding P on each side, stride S:
//
// $$H_{out} = \frac{H - F + 2P}{S} + 1 \qquad (\text{rounded down when it does not divide})$$
//
// Quiz: a 7×7 input and a 3×3 filter. What size is the output?

// %% fragment
const quiz = [
  { what: '7×7, 3×3 filter, stride 1, no padding', H: 7, F: 3, P: 0, S: 1, answer: 5 },
  { what: '7×7, 3×3 filter, stride 1, pad 1', H: 7, F: 3, P: 1, S: 1, answer: 7 },
  { what: '7×7, 3×3 filter, stride 2, no padding', H: 7, F: 3, P: 0, S: 2, answer: 3 },
];
for (const q of quiz) {
  assertEqual(q.what, outputSize(q.H, q.F, q.P, q.S), q.answer);
  assertEqual(`${q.what} (formula)`, (q.H - q.F + 2 * q.P) / q.S + 1, q.answer);
}
console.log(quiz.map((q) => `${q.what.padEnd(40)} (${q.H} − ${q.F} + 2·${q.P}) / ${q.S} + 1 = ${q.answer}×${q.answer}`).join('\n'));

// %% [markdown] subslide
// Stride 3 does not fit: (7 − 3)/3 + 1 = 2.33. The library rounds down (PyTorch's rule) — the last column of the input is never read.

// %% fragment
assertEqual('stride 3', outputSize(7, 3, 0, 3), 2);
const X7 = tensor([
  [0, 0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 0, 0], [0, 1, 1, 0, 1, 1, 0], [1, 1, 0, 0, 0, 1, 1],
  [0, 1, 1, 0, 1, 1, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 1, 0, 0, 0]]); // a diamond
const K3 = tensor([[1, 0, -1], [1, 0, -1], [1, 0, -1]]); // vertical-edge filter
const walkS2 = convWalkthrough(X7, K3, { stride: 2 });
assertEqual('stride-2 walkthrough = conv2d', walkS2.outputTensor().toArray(), conv2d(X7.reshape([1, 1, 7, 7]), K3.reshape([1, 1, 3, 3]), null, { stride: 2 }).toArray());
walkS2

// %% [markdown] slide
// ## Padding 填充: keep the border
//
// Without padding every 3×3 layer shrinks the map by 2 and border pixels are read by fewer windows.
// Pad with P = (F − 1)/2 zeros (for odd F, stride 1) and the output keeps the input size: **same** padding. No padding is **valid**.

// %%
const X5 = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]);
const K5 = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
const walkP1 = convWalkthrough(X5, K5, { padding: 1 });
assertEqual('pad 1 output', walkP1.output, [[2, 2, 3, 1, 1], [1, 4, 3, 4, 1], [1, 2, 4, 3, 3], [1, 2, 3, 4, 1], [0, 2, 2, 1, 1]]);
assertEqual('pad 1 = same', conv2d(X5.reshape([1, 1, 5, 5]), K5.reshape([1, 1, 3, 3]), null, { padding: 'same' }).toList(), walkP1.output.flat());
walkP1

// %% [markdown] subslide
// ## TensorFlow's *same* with stride 2 is asymmetric
//
// *same* means H_out = ⌈H / S⌉. With H = 6, F = 3, S = 2 that needs (3 − 1)·2 + 3 − 6 = **1** padding pixel in total — it cannot be split evenly, so TensorFlow (and `tscnn`) puts it at the **bottom/right**. (PyTorch's `padding='same'` refuses stride > 1.)

// %% fragment
const pad = resolvePadding('same', [6, 6], [3, 3], [2, 2], [1, 1], 'demo');
assertEqual('same, 6×6, F=3, S=2', pad, { top: 0, bottom: 1, left: 0, right: 1 });
assertEqual('same, 7×7, F=3, S=2', resolvePadding('same', [7, 7], [3, 3], [2, 2], [1, 1], 'demo'), { top: 1, bottom: 1, left: 1, right: 1 });
const walkSame = convWalkthrough(arange(36).reshape([6, 6]), K3, { stride: 2, padding: 'same' });
assertEqual('output 3×3', [walkSame.output.length, walkSame.output[0].length], [3, 3]);
walkSame

// %% [markdown] slide
// ## Dilation 空洞卷积: a wider view, the same 9 weights
//
// Dilation D spreads the filter's taps D pixels apart: a 3×3 filter with D = 2 covers 5×5 (effective size D·(F − 1) + 1).

// %%
const walkD2 = convWalkthrough(X7, K3, { dilation: 2 });
assertEqual('dilated output size', outputSize(7, 3, 0, 1, 2), 3);
assertEqual('dilation walkthrough = conv2d', walkD2.outputTensor().toArray(), conv2d(X7.reshape([1, 1, 7, 7]), K3.reshape([1, 1, 3, 3]), null, { dilation: 2 }).toArray());
walkD2

// %% [markdown] slide
// ## Channels: a filter spans all input channels
//
// An RGB input has 3 channels, so each filter is 3×F×F; it sums over channels *and* positions, giving **one** feature map 特征图. K filters → K output channels. Weight shape `[Cout, Cin, F, F]`.

// %%
const x = randn([1, 3, 6, 6]);
const w = randn([1, 3, 3, 3]);
const y = conv2d(x, w, null); // [1, 1, 4, 4]
// the same thing one channel at a time: Σ_c conv(x[c], w[c])
const chan = (t: Tensor, c: number, hw: number) => new Tensor(t.data.slice(c * hw, (c + 1) * hw), [1, 1, Math.sqrt(hw), Math.sqrt(hw)]);
const perChannel = [0, 1, 2].map((c) => conv2d(chan(x, c, 36), chan(w, c, 9), null));
y.toList().forEach((v, i) => assertClose(`y[${i}]`, v, perChannel.reduce((s, t) => s + t.data[i], 0), 1e-5));
featureMaps(tensor([...perChannel.map((t) => t.toArray() as number[][][][]).map((a) => a[0][0]), (y.toArray() as number[][][][])[0][0]]).reshape([1, 4, 4, 4]), { labels: ['x[R] ⊛ w[R]', 'x[G] ⊛ w[G]', 'x[B] ⊛ w[B]', 'sum = y'], cols: 4, scale: 24 })

// %% [markdown] subslide
// ## The quiz, with channels
//
// - 32×32×3 input, **ten 5×5 filters**, stride 1, pad 2 → output? parameters?
// - 32×32×3 input, **64 filters 5×5×3**, *same* padding → output?

// %% fragment
const conv10 = new Conv2d(3, 10, 5, { padding: 2 });
assertEqual('ten 5×5 filters, pad 2', conv10.outputShape([1, 3, 32, 32]), [1, 10, 32, 32]);
assertEqual('parameters', conv10.numParameters(), 760);
assertEqual('760 = 10·(5·5·3 + 1)', 10 * (5 * 5 * 3 + 1), 760);
const conv64 = new Conv2d(3, 64, 5, { padding: 'same', init: false });
assertEqual('64 filters, same', conv64.outputShape([1, 3, 32, 32]), [1, 64, 32, 32]);
console.log(`32×32×3 → 10 filters 5×5, pad 2 → 32×32×10, ${conv10.numParameters()} parameters (each filter 5·5·3 = 75 weights + 1 bias)\n32×32×3 → 64 filters 5×5×3, same → 32×32×64, ${conv64.numParameters()} parameters`);

// %% [markdown] slide
// ## 1×1 convolution: a fully connected layer at every pixel
//
// A 1×1 filter looks at one pixel, but across all channels: it mixes C_in channels into C_out at every position (used to shrink channels in Inception / ResNet bottlenecks).

// %%
const x1 = randn([1, 4, 3, 3]);
const conv1 = new Conv2d(4, 2, 1);
const y1 = conv1.forward(x1); // [1, 2, 3, 3]
// the same weights as a Linear layer applied to the channel vector of pixel (1, 2)
const fc = new Linear(4, 2);
fc.weight.value.data.set(conv1.weight.value.data);
fc.bias!.value.data.set(conv1.bias!.value.data);
const pix = fc.forward(tensor([[0, 1, 2, 3].map((c) => x1.get(0, c, 1, 2))]));
[0, 1].forEach((o) => assertClose(`1×1 conv = linear, channel ${o}`, y1.get(0, o, 1, 2), pix.data[o], 1e-6));
console.log(`1×1 conv at pixel (1, 2): [${[0, 1].map((o) => y1.get(0, o, 1, 2).toFixed(4))}]  = Linear(4 → 2) on x[:, 1, 2]: [${pix.toList().map((v) => v.toFixed(4))}]`);

// %% [markdown] slide
// ## Groups: depthwise convolution
//
// `groups = G` splits the channels into G independent convolutions; `groups = C_in` is **depthwise**: each output channel reads only its own input channel (MobileNet). Weight shape `[Cout, Cin/G, F, F]`.

// %%
const dense = new Conv2d(4, 4, 3, { padding: 1 });
const grouped = new Conv2d(4, 4, 3, { padding: 1, groups: 2 });
const depthwise = new Conv2d(4, 4, 3, { padding: 1, groups: 4 });
assertEqual('parameters dense / groups 2 / depthwise', [dense.numParameters(), grouped.numParameters(), depthwise.numParameters()], [4 * 4 * 9 + 4, 4 * 2 * 9 + 4, 4 * 9 + 4]);
// perturb input channel 0 only: a depthwise conv changes output channel 0 only
const xa = randn([1, 4, 5, 5]);
const xb = xa.clone();
xb.data[0] += 1;
const ya = depthwise.forward(xa), yb = depthwise.forward(xb);
const changed = [0, 1, 2, 3].filter((c) => ya.data.slice(c * 25, (c + 1) * 25).some((v, i) => v !== yb.data[c * 25 + i]));
assertEqual('channels changed', changed, [0]);
console.log(`parameters: dense ${dense.numParameters()}, groups=2 ${grouped.numParameters()}, depthwise ${depthwise.numParameters()}; changing input channel 0 changes output channel(s) ${changed}`);

// %% [markdown] slide
// ## Local connectivity 局部连接 and weight sharing 权值共享
//
// A 1000×1000 image (10⁶ pixels) and 10⁶ hidden units:
//
// | | each hidden unit sees | parameters |
// |---|---|---|
// | fully connected 全连接 | all 10⁶ pixels | 10⁶ × 10⁶ = **10¹²** |
// | locally connected | a 10×10 window | 10⁶ × 100 = **10⁸** |
// | convolution (shared 10×10 filter) | a 10×10 window, same weights everywhere | **100** |

// %% fragment
const pixels = 1000 * 1000, hidden = 1000 * 1000, window = 10 * 10;
const fullyConnected = pixels * hidden;
const locallyConnected = hidden * window;
const shared = new Conv2d(1, 1, 10, { bias: false }).numParameters();
assertEqual('fully connected', fullyConnected, 1e12);
assertEqual('locally connected', locallyConnected, 1e8);
assertEqual('shared filter', shared, 100);
console.log(`fully connected ${fullyConnected.toExponential()} → locally connected ${locallyConnected.toExponential()} → shared ${shared}: ×${(fullyConnected / shared).toExponential()} fewer`);

// %% [markdown] notes
// Local connectivity rests on the assumption that nearby pixels matter together; weight sharing on the assumption that a pattern useful in one place (an edge) is useful everywhere (translation equivariance).

// %% [markdown] slide
// ## Summary
//
// - H_out = ⌊(H − F + 2P)/S⌋ + 1; *same* = ⌈H/S⌉ (TensorFlow pads the extra pixel bottom/right)
// - dilation widens the receptive field 感受野 without more weights
// - a filter spans all input channels; `Cout` filters → `Cout` feature maps; params = Cout·(Cin·F·F + 1)
// - 1×1 conv = a fully connected layer per pixel; groups / depthwise cut parameters by G
// - convolution = local connectivity + weight sharing: 10¹² → 100 parameters
//
// Next: ReLU 激活函数, pooling 池化, normalization.
//
