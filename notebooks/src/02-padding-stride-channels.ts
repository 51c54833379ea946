// %% [markdown] slide
// # 2 · Padding 填充, stride 步长, channels
//
// 1. The output-size formula, and the lectures' quizzes as exercises (write an answer, run the check)
// 2. Zero padding on the lecture's 6×6 image; MindSpore's `pad_mode` beside TensorFlow's
// 3. Padding: *valid* vs *same* (and TensorFlow's asymmetric *same*)
// 4. Stride and dilation
// 5. Channels: the lecture's 32×32×3 stack, 1×1 convolution, groups (depthwise)
// 6. Local connectivity 局部连接 and weight sharing 权值共享: counting parameters 参数
// ::: zh
// # 2 · 填充、步长与通道
//
// 1. 输出尺寸公式，以及把讲义中的测验做成练习（写下答案，运行检查）
// 2. 讲义中 6×6 图像的零填充；MindSpore 的 `pad_mode` 与 TensorFlow 的对照
// 3. 填充：*valid* 与 *same*（以及 TensorFlow 不对称的 *same*）
// 4. 步长与空洞（dilation）
// 5. 通道：讲义中 32×32×3 的多层卷积、1×1 卷积、分组卷积（depthwise）
// 6. 局部连接与权值共享：数一数参数

// %%
import { seed, Tensor, tensor, arange, randn, conv2d, conv2dOutputShape, outputSize, resolvePadding, Conv2d, Linear, convWalkthrough, tensorTable, featureMaps, show, setLocale, tr, checkAnswer, assertEqual, assertClose } from 'tscnn';
import { Rng, slice, concat, summary, check, maxAbsDiff } from 'tscnn';
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
// ::: zh
// ## 输出尺寸
//
// 输入尺寸 H，卷积核尺寸 F，每边填充 P，步长 S：
//
// $$H_{out} = \frac{H - F + 2P}{S} + 1 \qquad (\text{除不尽时向下取整})$$
//
// 测验：7×7 的输入和 3×3 的卷积核，输出多大？

// %% [markdown] subslide
// ## Exercise (lecture quiz): 7×7, 3×3, stride 1
// Lecture 002's version: stride 1, once without padding and once with a 1-pixel border of zeros. Answer `[no padding, padding 1]` (one side each).
// ::: zh
// ## 练习（讲义测验）：7×7，3×3，步长 1
// 讲义 002 的问法：步长 1，一次不填充，一次填充 1 个像素宽的 0 边界。以 `[不填充, 填充 1]` 的形式作答（各写边长）。

// %%
let answer7x7: number[] | undefined = undefined; // ← [no padding, padding 1]

// %% fragment hide-input
checkAnswer(answer7x7, [outputSize(7, 3, 0, 1), outputSize(7, 3, 1, 1)], {
  why: tr({ en: '(7 − 3 + 0)/1 + 1 = 5 and (7 − 3 + 2)/1 + 1 = 7: a 1-pixel border keeps a 3×3 filter\'s output at 7×7 (P = (F − 1)/2).', zh: '(7 − 3 + 0)/1 + 1 = 5，(7 − 3 + 2)/1 + 1 = 7：填充 1 个像素的边界让 3×3 卷积核的输出保持 7×7（P = (F − 1)/2）。' }),
  hint: tr({ en: 'H_out = (H − F + 2P)/S + 1', zh: 'H_out = (H − F + 2P)/S + 1' }),
})

// %% fragment
const quiz = [
  { what: '7×7, 3×3 filter, stride 1, no padding', zh: '7×7，3×3 卷积核，步长 1，不填充', H: 7, F: 3, P: 0, S: 1, answer: 5 },
  { what: '7×7, 3×3 filter, stride 1, pad 1', zh: '7×7，3×3 卷积核，步长 1，填充 1', H: 7, F: 3, P: 1, S: 1, answer: 7 },
  { what: '7×7, 3×3 filter, stride 2, no padding', zh: '7×7，3×3 卷积核，步长 2，不填充', H: 7, F: 3, P: 0, S: 2, answer: 3 },
];
for (const q of quiz) {
  assertEqual(q.what, outputSize(q.H, q.F, q.P, q.S), q.answer);
  assertEqual(`${q.what} (formula)`, (q.H - q.F + 2 * q.P) / q.S + 1, q.answer);
}
// a CJK character takes two columns: pad the Chinese label to the same width
const width = (t: string) => [...t].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
const label = (q: (typeof quiz)[number]) => tr({ en: q.what.padEnd(40), zh: q.zh + ' '.repeat(40 - width(q.zh)) });
console.log(quiz.map((q) => `${label(q)} (${q.H} − ${q.F} + 2·${q.P}) / ${q.S} + 1 = ${q.answer}×${q.answer}`).join('\n'));

// %% [markdown] subslide
// Stride 3 does not fit: (7 − 3)/3 + 1 = 2.33. The library rounds down (PyTorch's rule) — the last column of the input is never read.
// ::: zh
// 步长 3 放不下：(7 − 3)/3 + 1 = 2.33。本库向下取整（与 PyTorch 的规则相同）——输入的最后一列从未被读到。

// %% fragment
assertEqual('stride 3', outputSize(7, 3, 0, 3), 2);
const X7 = tensor([
  [0, 0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 0, 0], [0, 1, 1, 0, 1, 1, 0], [1, 1, 0, 0, 0, 1, 1],
  [0, 1, 1, 0, 1, 1, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 1, 0, 0, 0]]); // a diamond
const K3 = tensor([[1, 0, -1], [1, 0, -1], [1, 0, -1]]); // vertical-edge filter
const walkS2 = convWalkthrough(X7, K3, { stride: 2 });
assertEqual('stride-2 walkthrough = conv2d', walkS2.outputTensor().toArray(), conv2d(X7.reshape([1, 1, 7, 7]), K3.reshape([1, 1, 3, 3]), null, { stride: 2 }).toArray());
walkS2

// %% [markdown] subslide
// ## Small stride or large stride?
//
// Lecture 001's trade-off: a small stride overlaps the windows, extracts more and costs more; a large stride makes a smaller map, faster, but may skip part of the image. A 3×3 filter on a 10×10 image, no padding:
// ::: zh
// ## 步长小还是步长大？
//
// 讲义 001 的取舍：步长小，窗口重叠多，提取的特征多，但更慢；步长大，特征图更小、更快，但可能漏掉图像上的信息。10×10 图像上的 3×3 卷积核，不填充：

// %% fragment
/** How many of the W input columns some window of size F with stride S reads. */
const columnsRead = (W: number, F: number, S: number) => {
  const read = new Set<number>();
  for (let o = 0; o < outputSize(W, F, 0, S); o++) for (let a = 0; a < F; a++) read.add(o * S + a);
  return read.size;
};
const strideRows = [1, 2, 3, 4].map((S) => {
  const side = outputSize(10, 3, 0, S);
  const flops = summary(new Conv2d(1, 1, 3, { stride: S, bias: false, init: false }), [1, 1, 10, 10]).totalFlops;
  return { S, side, flops, read: columnsRead(10, 3, S) };
});
assertEqual('output sides', strideRows.map((r) => r.side), [8, 4, 3, 2]);
assertEqual('work: 9 multiply-adds per output', strideRows.map((r) => r.flops / 2), [8 * 8 * 9, 4 * 4 * 9, 3 * 3 * 9, 2 * 2 * 9]);
assertEqual('columns read of 10', strideRows.map((r) => r.read), [10, 9, 9, 6]);
strideRows.map((r) => tr({
  en: `stride ${r.S}: ${r.side}×${r.side} output, ${r.flops / 2} multiply-adds, reads ${r.read} of 10 columns`,
  zh: `步长 ${r.S}：输出 ${r.side}×${r.side}，${r.flops / 2} 次乘加，读到 10 列中的 ${r.read} 列`,
})).join('\n')

// %% [markdown] slide
// ## Exercise (lecture quiz): 10×10, stride 3
// A 10×10×1 input, a 3×3 kernel, stride 3, padding 0. What is the output size (one side, a number)? Write it in the next cell and run the check.
// ::: zh
// ## 练习（讲义测验）：10×10，步长 3
// 输入 10×10×1，卷积核 3×3，步长为 3，padding = 0。输出的尺寸是多少（边长，一个数）？在下一个单元格里写下答案，然后运行检查。

// %%
let answerStride3: number | undefined = undefined; // ← your answer / 你的答案, e.g. 4

// %% fragment hide-input
checkAnswer(answerStride3, outputSize(10, 3, 0, 3), {
  why: tr({ en: '⌊(10 − 3 + 0)/3⌋ + 1 = ⌊2.33⌋ + 1 = 3: a 3×3×1 output; the last column and row of the input are never read.', zh: '⌊(10 − 3 + 0)/3⌋ + 1 = ⌊2.33⌋ + 1 = 3：输出 3×3×1；输入的最后一行和最后一列从未被读到。' }),
  hint: tr({ en: 'H_out = ⌊(H − F + 2P)/S⌋ + 1, rounded down when it does not divide.', zh: 'H_out = ⌊(H − F + 2P)/S⌋ + 1，除不尽时向下取整。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **3** (a 3×3×1 feature map): ⌊(10 − 3)/3⌋ + 1 = 3. The windows start at columns 0, 3 and 6; a fourth would need columns 9–11, past the edge.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **3**（3×3×1 的特征图）：⌊(10 − 3)/3⌋ + 1 = 3。窗口从第 0、3、6 列开始；第四个窗口需要第 9–11 列，超出了边界。
// </details>

// %% skip
assertEqual('lecture quiz: 10×10, F = 3, S = 3', outputSize(10, 3, 0, 3), 3);
assertEqual('its output shape', conv2d(randn([1, 1, 10, 10]), randn([1, 1, 3, 3]), null, { stride: 3 }).shape, [1, 1, 3, 3]);

// %% [markdown] slide
// ## Padding 填充: keep the border
//
// Without padding every 3×3 layer shrinks the map by 2 and border pixels are read by fewer windows.
// Pad with P = (F − 1)/2 zeros (for odd F, stride 1) and the output keeps the input size: **same** padding. No padding is **valid**.
// ::: zh
// ## 填充：保住边界
//
// 不填充时，每经过一层 3×3 卷积，特征图就缩小 2，而且边界像素被较少的窗口读到。
// 填充 P = (F − 1)/2 个 0（F 为奇数、步长为 1 时），输出就保持输入的尺寸：这叫 **same** 填充。不填充叫 **valid**。

// %%
const X5 = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]);
const K5 = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
const walkP1 = convWalkthrough(X5, K5, { padding: 1 });
assertEqual('pad 1 output', walkP1.output, [[2, 2, 3, 1, 1], [1, 4, 3, 4, 1], [1, 2, 4, 3, 3], [1, 2, 3, 4, 1], [0, 2, 2, 1, 1]]);
assertEqual('pad 1 = same', conv2d(X5.reshape([1, 1, 5, 5]), K5.reshape([1, 1, 3, 3]), null, { padding: 'same' }).toList(), walkP1.output.flat());
walkP1

// %% [markdown] slide
// ## Zero padding on the lecture's 6×6 image
// The lecture's 6×6 binary image and its "Filter 1" (1 on the diagonal, −1 elsewhere). Valid, stride 1: 4×4; stride 2: 2×2. Pad one ring of zeros and stride 1 gives **another 6×6 image**; stride 2 gives 3×3.
// ::: zh
// ## 讲义中 6×6 图像的零填充
// 讲义里的 6×6 二值图像和它的 "Filter 1"（对角线为 1，其余为 −1）。不填充（valid）、步长 1：4×4；步长 2：2×2。外面补一圈 0，步长 1 得到**另一张 6×6 的图**；步长 2 得到 3×3。

// %%
const image6 = tensor([[1, 0, 0, 0, 0, 1], [0, 1, 0, 0, 1, 0], [0, 0, 1, 1, 0, 0], [1, 0, 0, 0, 1, 0], [0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 1, 0]]).reshape([1, 1, 6, 6]);
const filter1 = tensor([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]).reshape([1, 1, 3, 3]);
const valid1 = conv2d(image6, filter1, null), valid2 = conv2d(image6, filter1, null, { stride: 2 });
const padded1 = conv2d(image6, filter1, null, { padding: 1 }), padded2 = conv2d(image6, filter1, null, { padding: 1, stride: 2 });
assertEqual('valid, stride 1', valid1.toList(), [3, -1, -3, -1, -3, 1, 0, -3, -3, -3, 0, 1, 3, -2, -2, -1]);
assertEqual('valid, stride 2', valid2.toList(), [3, -3, -3, 0]);
assertEqual('padded: 6×6 → 6×6, and 3×3 with stride 2', [padded1.shape, padded2.shape], [[1, 1, 6, 6], [1, 1, 3, 3]]);
assertEqual('the padded map agrees with the valid one inside', [1, 2, 3, 4].flatMap((r) => [1, 2, 3, 4].map((c) => padded1.get(0, 0, r, c))), valid1.toList());
show(tensorTable(valid1.reshape([4, 4]), { title: tr({ en: 'valid, stride 1: 4×4', zh: '不填充，步长 1：4×4' }) }), tensorTable(valid2.reshape([2, 2]), { title: tr({ en: 'valid, stride 2: 2×2', zh: '不填充，步长 2：2×2' }) }));

// %% fragment
show(convWalkthrough(image6.reshape([6, 6]), filter1.reshape([3, 3]), { padding: 1 }), tensorTable(padded2.reshape([3, 3]), { title: tr({ en: 'zero padding 1, stride 2: 3×3', zh: '零填充 1，步长 2：3×3' }) }));

// %% [markdown] subslide
// ## TensorFlow's *same* with stride 2 is asymmetric
//
// *same* means H_out = ⌈H / S⌉. With H = 6, F = 3, S = 2 that needs (3 − 1)·2 + 3 − 6 = **1** padding pixel in total — it cannot be split evenly, so TensorFlow (and `tscnn`) puts it at the **bottom/right**. (PyTorch's `padding='same'` refuses stride > 1.)
// ::: zh
// ## TensorFlow 在步长 2 时的 *same* 是不对称的
//
// *same* 的意思是 H_out = ⌈H / S⌉。当 H = 6、F = 3、S = 2 时，总共需要 (3 − 1)·2 + 3 − 6 = **1** 个填充像素——无法平分，所以 TensorFlow（以及 `tscnn`）把它放在**下方/右侧**。（PyTorch 的 `padding='same'` 不接受大于 1 的步长。）

// %% fragment
const pad = resolvePadding('same', [6, 6], [3, 3], [2, 2], [1, 1], 'demo');
assertEqual('same, 6×6, F=3, S=2', pad, { top: 0, bottom: 1, left: 0, right: 1 });
assertEqual('same, 7×7, F=3, S=2', resolvePadding('same', [7, 7], [3, 3], [2, 2], [1, 1], 'demo'), { top: 1, bottom: 1, left: 1, right: 1 });
const walkSame = convWalkthrough(arange(36).reshape([6, 6]), K3, { stride: 2, padding: 'same' });
assertEqual('output 3×3', [walkSame.output.length, walkSame.output[0].length], [3, 3]);
walkSame

// %% [markdown] slide
// ## Exercise (lecture quiz): 5×5 input, 2×2 kernel, stride 2
// Without padding some edge pixels are never covered. What is the output size (one side) with **valid** padding, and with **same** padding? Answer as `[valid, same]`.
//
// The lecture writes it in MindSpore: `nn.Conv2d(…, pad_mode='valid')` / `pad_mode='same'`. These are TensorFlow's `padding='valid'` / `'same'` (Keras, tfjs); in PyTorch valid is `padding=0`, and `padding='same'` is only allowed with stride 1. In `tscnn`: `padding: 'valid'` / `'same'`.
// ::: zh
// ## 练习（讲义测验）：5×5 输入，2×2 卷积核，步长 2
// 不填充时，边缘的一些像素永远不会被卷积到。**valid**（不填充）和 **same** 时输出的尺寸（边长）各是多少？以 `[valid, same]` 的形式作答。
//
// 讲义用 MindSpore 写：`nn.Conv2d(…, pad_mode='valid')` / `pad_mode='same'`。它们就是 TensorFlow 的 `padding='valid'` / `'same'`（Keras、tfjs）；在 PyTorch 里 valid 是 `padding=0`，而 `padding='same'` 只允许步长为 1。在 `tscnn` 里：`padding: 'valid'` / `'same'`。

// %%
let answer5x5: number[] | undefined = undefined; // ← [valid, same]

// %% fragment hide-input
const x55 = arange(25).reshape([1, 1, 5, 5]), k22 = randn([1, 1, 2, 2]);
const sides = [conv2d(x55, k22, null, { stride: 2, padding: 'valid' }).shape[3], conv2d(x55, k22, null, { stride: 2, padding: 'same' }).shape[3]];
checkAnswer(answer5x5, sides, {
  why: tr({ en: 'valid: ⌊(5 − 2)/2⌋ + 1 = 2, the last row and column are dropped; same: ⌈5/2⌉ = 3, one row and one column of zeros are added at the bottom/right.', zh: 'valid：⌊(5 − 2)/2⌋ + 1 = 2，最后一行和一列被丢掉；same：⌈5/2⌉ = 3，在下方和右侧各补一行、一列 0。' }),
  hint: tr({ en: 'valid uses ⌊(H − F)/S⌋ + 1; same always gives ⌈H/S⌉.', zh: 'valid 用 ⌊(H − F)/S⌋ + 1；same 总是得到 ⌈H/S⌉。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **[2, 3]**: valid gives 2×2 (row 4 and column 4 are never read), same gives 3×3 (TensorFlow and MindSpore pad one zero row/column at the bottom/right).
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **[2, 3]**：valid 得到 2×2（第 4 行和第 4 列从未被读到），same 得到 3×3（TensorFlow 和 MindSpore 在下方/右侧补一行/一列 0）。
// </details>

// %% skip
assertEqual('lecture quiz: 5×5, F = 2, S = 2: [valid, same]', sides, [2, 3]);
assertEqual('same pads bottom/right', resolvePadding('same', [5, 5], [2, 2], [2, 2], [1, 1], 'quiz'), { top: 0, bottom: 1, left: 0, right: 1 });

// %% [markdown] slide
// ## Dilation 空洞卷积: a wider view, the same 9 weights
//
// Dilation D spreads the filter's taps D pixels apart: a 3×3 filter with D = 2 covers 5×5 (effective size D·(F − 1) + 1).
// ::: zh
// ## 空洞卷积：视野更宽，仍是 9 个权重
//
// 空洞率 D 让卷积核的各个抽头相隔 D 个像素：D = 2 的 3×3 卷积核覆盖 5×5（等效尺寸 D·(F − 1) + 1）。

// %%
const walkD2 = convWalkthrough(X7, K3, { dilation: 2 });
assertEqual('dilated output size', outputSize(7, 3, 0, 1, 2), 3);
assertEqual('dilation walkthrough = conv2d', walkD2.outputTensor().toArray(), conv2d(X7.reshape([1, 1, 7, 7]), K3.reshape([1, 1, 3, 3]), null, { dilation: 2 }).toArray());
walkD2

// %% [markdown] slide
// ## Channels: a filter spans all input channels
//
// An RGB input has 3 channels, so each filter is 3×F×F; it sums over channels *and* positions, giving **one** feature map 特征图. K filters → K output channels. Weight shape `[Cout, Cin, F, F]`.
// ::: zh
// ## 通道：一个卷积核跨越所有输入通道
//
// RGB 输入有 3 个通道，所以每个卷积核是 3×F×F；它在通道*和*位置上求和，得到**一张**特征图。K 个卷积核 → K 个输出通道。权重形状 `[Cout, Cin, F, F]`。

// %%
const x = randn([1, 3, 6, 6]);
const w = randn([1, 3, 3, 3]);
const y = conv2d(x, w, null); // [1, 1, 4, 4]
// the same thing one channel at a time: Σ_c conv(x[c], w[c])
const chan = (t: Tensor, c: number, hw: number) => new Tensor(t.data.slice(c * hw, (c + 1) * hw), [1, 1, Math.sqrt(hw), Math.sqrt(hw)]);
const perChannel = [0, 1, 2].map((c) => conv2d(chan(x, c, 36), chan(w, c, 9), null));
y.toList().forEach((v, i) => assertClose(`y[${i}]`, v, perChannel.reduce((s, t) => s + t.data[i], 0), 1e-5));
featureMaps(tensor([...perChannel.map((t) => t.toArray() as number[][][][]).map((a) => a[0][0]), (y.toArray() as number[][][][])[0][0]]).reshape([1, 4, 4, 4]), { labels: ['x[R] ⊛ w[R]', 'x[G] ⊛ w[G]', 'x[B] ⊛ w[B]', tr({ en: 'sum = y', zh: '求和 = y' })], cols: 4, scale: 24 })

// %% [markdown] slide
// ## The lecture's stack: 32×32×3 → 6 filters 5×5 → 10 filters 5×5
// Each kernel is as deep as its input: six 5×5×3 kernels give 28×28×6, then ten 5×5×6 kernels give 24×24×10.
// ::: zh
// ## 讲义中的多层卷积：32×32×3 → 6 个 5×5 卷积核 → 10 个 5×5 卷积核
// 每个卷积核的深度等于输入的深度：6 个 5×5×3 的卷积核得到 28×28×6，再用 10 个 5×5×6 的卷积核得到 24×24×10。

// %%
const stackA = new Conv2d(3, 6, 5), stackB = new Conv2d(6, 10, 5);
const shapeA = stackA.outputShape([1, 3, 32, 32]), shapeB = stackB.outputShape(shapeA);
assertEqual('32×32×3 → 6 @ 5×5×3', shapeA, [1, 6, 28, 28]);
assertEqual('→ 10 @ 5×5×6', shapeB, [1, 10, 24, 24]);
assertEqual('kernel shapes [Cout, Cin, F, F]', [stackA.weight.value.shape, stackB.weight.value.shape], [[6, 3, 5, 5], [10, 6, 5, 5]]);
assertEqual('parameters 6·(5·5·3 + 1), 10·(5·5·6 + 1)', [stackA.numParameters(), stackB.numParameters()], [456, 1510]);
console.log(tr({
  en: `32×32×3 → 6 kernels 5×5×3 → 28×28×6   (${stackA.numParameters()} parameters = 6·(75 + 1))\n         → 10 kernels 5×5×6 → 24×24×10 (${stackB.numParameters()} parameters = 10·(150 + 1))`,
  zh: `32×32×3 → 6 个 5×5×3 卷积核 → 28×28×6   （${stackA.numParameters()} 个参数 = 6·(75 + 1)）\n         → 10 个 5×5×6 卷积核 → 24×24×10 （${stackB.numParameters()} 个参数 = 10·(150 + 1)）`,
}));

// %% [markdown] subslide
// ## Exercise (lecture quiz, MindSpore)
// Input 32×32×3, kernels 5×5×3, **64** kernels, stride 1, `pad_mode="same"`. What is the output feature map, as `[height, width, channels]`?
// ::: zh
// ## 练习（讲义测验，MindSpore）
// 输入图片尺寸 32×32×3，卷积核大小 5×5×3，卷积核数量 **64**，stride = 1，`pad_mode="same"`。输出的特征图大小是多少？以 `[高, 宽, 通道数]` 作答。

// %%
let answer64: number[] | undefined = undefined; // ← [height, width, channels]

// %% fragment hide-input
const out64 = new Conv2d(3, 64, 5, { padding: 'same', init: false }).outputShape([1, 3, 32, 32]);
checkAnswer(answer64, [out64[2], out64[3], out64[1]], {
  why: tr({ en: "same with stride 1 keeps 32×32 (2 pixels of padding on each side); 64 kernels → 64 channels: 32×32×64.", zh: 'stride 为 1 的 same 保持 32×32（每边填充 2 个像素）；64 个卷积核 → 64 个通道：32×32×64。' }),
  hint: tr({ en: 'same keeps the size when the stride is 1; each kernel makes one feature map.', zh: '步长为 1 时 same 保持尺寸不变；每个卷积核产生一张特征图。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **32×32×64**.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **32×32×64**。
// </details>

// %% skip
assertEqual('lecture quiz: 64 kernels, same', out64, [1, 64, 32, 32]);

// %% [markdown] subslide
// ## Exercise (lecture quiz): output volume and parameters
// Lecture 002's "examples time": a 32×32×3 input, ten 5×5 filters, stride 1, pad 2. What is the output volume, and how many parameters does the layer have? Answer `[height, width, depth, parameters]`.
// ::: zh
// ## 练习（讲义测验）：输出体积与参数量
// 讲义 002 的例题：输入 32×32×3，10 个 5×5 卷积核，步长 1，填充 2。输出体积是多少？这一层有多少个参数？以 `[高, 宽, 深度, 参数量]` 的形式作答。

// %%
let answerVolume: number[] | undefined = undefined; // ← [height, width, depth, parameters]

// %% fragment hide-input
const volLayer = new Conv2d(3, 10, 5, { padding: 2, init: false });
const [, volC, volH, volW] = volLayer.outputShape([1, 3, 32, 32]);
checkAnswer(answerVolume, [volH, volW, volC, volLayer.numParameters()], {
  why: tr({ en: '(32 + 2·2 − 5)/1 + 1 = 32, so 32×32×10; each filter has 5·5·3 + 1 = 76 parameters (+1 for the bias), 76·10 = 760.', zh: '(32 + 2·2 − 5)/1 + 1 = 32，所以是 32×32×10；每个卷积核有 5·5·3 + 1 = 76 个参数（+1 是偏置），76·10 = 760。' }),
  hint: tr({ en: 'A filter spans all 3 input channels: 5·5·3 weights and one bias.', zh: '一个卷积核跨越全部 3 个输入通道：5·5·3 个权重加一个偏置。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **[32, 32, 10, 760]** (the next cell works it out).
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **[32, 32, 10, 760]**（下一个单元格把它算出来）。
// </details>

// %% [markdown] subslide
// ## The quiz, with channels
//
// - 32×32×3 input, **ten 5×5 filters**, stride 1, pad 2 → output? parameters?
// - 32×32×3 input, **64 filters 5×5×3**, *same* padding → output?
// ::: zh
// ## 带通道的测验
//
// - 32×32×3 的输入，**10 个 5×5 卷积核**，步长 1，填充 2 → 输出多大？多少参数？
// - 32×32×3 的输入，**64 个 5×5×3 卷积核**，*same* 填充 → 输出多大？

// %% fragment
const conv10 = new Conv2d(3, 10, 5, { padding: 2 });
assertEqual('ten 5×5 filters, pad 2', conv10.outputShape([1, 3, 32, 32]), [1, 10, 32, 32]);
assertEqual('parameters', conv10.numParameters(), 760);
assertEqual('760 = 10·(5·5·3 + 1)', 10 * (5 * 5 * 3 + 1), 760);
const conv64 = new Conv2d(3, 64, 5, { padding: 'same', init: false });
assertEqual('64 filters, same', conv64.outputShape([1, 3, 32, 32]), [1, 64, 32, 32]);
const [n10, n64] = [conv10.numParameters(), conv64.numParameters()];
console.log(tr({
  en: `32×32×3 → 10 filters 5×5, pad 2 → 32×32×10, ${n10} parameters (each filter 5·5·3 = 75 weights + 1 bias)\n` +
    `32×32×3 → 64 filters 5×5×3, same → 32×32×64, ${n64} parameters`,
  zh: `32×32×3 → 10 个 5×5 卷积核，填充 2 → 32×32×10，${n10} 个参数（每个卷积核 5·5·3 = 75 个权重 + 1 个偏置）\n` +
    `32×32×3 → 64 个 5×5×3 卷积核，same → 32×32×64，${n64} 个参数`,
}));

// %% [markdown] subslide
// ## Why a CNN for Go: a 5×5 first layer on a 19×19 board
//
// Lecture 000's example: a Go position is a 19×19 "image" whose patterns are much smaller than the board and recur anywhere on it — local connectivity and weight sharing again. It says AlphaGo's first layer is 5×5. In the AlphaGo paper (Silver et al., 2016) the policy network reads 48 feature planes, pads the board to 23×23 and applies 192 filters of 5×5, stride 1: the board stays 19×19.
// ::: zh
// ## 为什么下围棋用 CNN：19×19 棋盘上的 5×5 第一层
//
// 讲义 000 的例子：围棋局面是一张 19×19 的“图像”，其中的模式比棋盘小得多，而且可能出现在棋盘任何地方——又是局部连接和权值共享。讲义说 AlphaGo 的第一层是 5×5。AlphaGo 论文（Silver 等，2016）里的策略网络读 48 个特征平面，把棋盘补成 23×23，再用 192 个 5×5 卷积核、步长 1 做卷积：棋盘保持 19×19。

// %% fragment
const goLayer = new Conv2d(48, 192, 5, { padding: 2, init: false });
assertEqual('19×19×48 → 19×19×192', goLayer.outputShape([1, 48, 19, 19]), [1, 192, 19, 19]);
assertEqual('padded board', 19 + 2 * 2, 23);
assertEqual('parameters', goLayer.numParameters(), 192 * (48 * 5 * 5) + 192);
tr({
  en: `AlphaGo's first layer: 19×19×48 → 19×19×192 (pad 2: 23×23), ${goLayer.numParameters().toLocaleString('en-US')} parameters`,
  zh: `AlphaGo 的第一层：19×19×48 → 19×19×192（填充 2：23×23），${goLayer.numParameters().toLocaleString('en-US')} 个参数`,
})

// %% [markdown] subslide
// ## The neuron view: five filters, a 28×28×5 grid of neurons
//
// Lecture 002 reads a conv layer as neurons with local connectivity: five 5×5 filters on a 32×32×3 image (stride 1, no padding) make 28×28×5 neurons, and at each position **5 different neurons look at the same 5×5×3 region**. A fully connected neuron instead sees the whole image stretched to 3072 × 1 (32·32·3 = 3072 weights, against 5·5·3 = 75).
// ::: zh
// ## 神经元视角：5 个卷积核，28×28×5 个神经元
//
// 讲义 002 把卷积层看成局部连接的神经元：在 32×32×3 的图像上用 5 个 5×5 卷积核（步长 1，不填充），得到 28×28×5 个神经元；每个位置上有 **5 个不同的神经元看着同一块 5×5×3 的区域**。全连接层的神经元则看整张图：把图像拉成 3072 × 1（32·32·3 = 3072 个权重，而卷积神经元只有 5·5·3 = 75 个）。

// %% fragment
const own = new Rng(2); // its own random numbers: the cells after it draw what they drew before
const conv5 = new Conv2d(3, 5, 5, { rng: own });
const img = randn([1, 3, 32, 32], { rng: own });
const out5 = conv5.forward(img);
assertEqual('five 5×5 filters on 32×32×3', out5.shape, [1, 5, 28, 28]);
// neuron (i, j) = (10, 10) reads rows/cols 10..14; change a pixel inside, then one outside
const poke = (c: number, r: number, col: number) => {
  const x = img.clone();
  x.data[(c * 32 + r) * 32 + col] += 1;
  const y = conv5.forward(x);
  return [0, 1, 2, 3, 4].filter((o) => y.get(0, o, 10, 10) !== out5.get(0, o, 10, 10)).length;
};
assertEqual('inside the 5×5×3 region: all 5 neurons change', poke(2, 14, 12), 5);
assertEqual('outside it: none of them', poke(0, 15, 12), 0);
assertEqual('a fully connected neuron: 3072 weights', new Linear(32 * 32 * 3, 1, { init: false }).weight.value.size, 3072);
assertEqual('a conv neuron: 75 weights', conv5.weight.value.size / 5, 75);
console.log(tr({
  en: `out 28×28×${out5.shape[1]}: a pixel in neuron (10, 10)'s 5×5×3 region moves ${poke(2, 14, 12)} of its 5 neurons, ` +
    `one outside moves ${poke(0, 15, 12)}; weights per neuron: conv 75, fully connected 3072`,
  zh: `输出 28×28×${out5.shape[1]}：改动神经元 (10, 10) 的 5×5×3 区域里的一个像素，这个位置的 5 个神经元有 ${poke(2, 14, 12)} 个变化；` +
    `改动区域外的像素，变化 ${poke(0, 15, 12)} 个；每个神经元的权重：卷积 75 个，全连接 3072 个`,
}));

// %% [markdown] slide
// ## 1×1 convolution: a fully connected layer at every pixel
//
// A 1×1 filter looks at one pixel, but across all channels: it mixes C_in channels into C_out at every position (used to shrink channels in Inception / ResNet bottlenecks).
// ::: zh
// ## 1×1 卷积：每个像素上的全连接层
//
// 1×1 卷积核只看一个像素，但跨越所有通道：它在每个位置把 C_in 个通道混合成 C_out 个（Inception / ResNet 的瓶颈结构用它来减少通道数）。

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
const [atPix, viaLinear] = [[0, 1].map((o) => y1.get(0, o, 1, 2).toFixed(4)), pix.toList().map((v) => v.toFixed(4))];
console.log(tr({
  en: `1×1 conv at pixel (1, 2): [${atPix}]  = Linear(4 → 2) on x[:, 1, 2]: [${viaLinear}]`,
  zh: `像素 (1, 2) 处的 1×1 卷积：[${atPix}]  = 作用在 x[:, 1, 2] 上的 Linear(4 → 2)：[${viaLinear}]`,
}));

// %% [markdown] slide
// ## Groups: depthwise convolution
//
// `groups = G` splits the channels into G independent convolutions; `groups = C_in` is **depthwise**: each output channel reads only its own input channel (MobileNet). Weight shape `[Cout, Cin/G, F, F]`.
// ::: zh
// ## 分组卷积：depthwise 卷积
//
// `groups = G` 把通道分成 G 组独立的卷积；`groups = C_in` 就是 **depthwise**：每个输出通道只读取它自己的输入通道（MobileNet）。权重形状 `[Cout, Cin/G, F, F]`。

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
const [pDense, pGroups, pDepth] = [dense, grouped, depthwise].map((l) => l.numParameters());
console.log(tr({
  en: `parameters: dense ${pDense}, groups=2 ${pGroups}, depthwise ${pDepth}; changing input channel 0 changes output channel(s) ${changed}`,
  zh: `参数量：普通卷积 ${pDense}，groups=2 ${pGroups}，逐通道卷积 ${pDepth}；改动输入通道 0 只改变输出通道 ${changed}`,
}));

// %% [markdown] subslide
// ## groups = 2: two convolutions side by side
//
// PyTorch's `Conv2d` documentation (quoted in lecture 002): with `groups=2` the layer is two convolutions side by side, each reading half of the input channels and producing half of the output channels, concatenated; with `groups = C_in` every input channel gets its own ⌊C_out/C_in⌋ filters. AlexNet's two-GPU layers are exactly this (lesson 11).
// ::: zh
// ## groups = 2：并排的两个卷积
//
// 讲义 002 引用的 PyTorch `Conv2d` 文档：`groups=2` 时，这一层等于并排的两个卷积，各读一半输入通道、产生一半输出通道，再拼接起来；`groups = C_in` 时，每个输入通道有自己的 ⌊C_out/C_in⌋ 个卷积核。AlexNet 在两块 GPU 上的那些层正是这样（第 11 课）。

// %% fragment
const xg = randn([1, 4, 5, 5], { rng: new Rng(3) });
const halfW = (g: number) => slice(grouped.weight.value, 2 * g, 2, { axis: 0 });
const halfB = (g: number) => slice(grouped.bias!.value, 2 * g, 2, { axis: 0 });
const sideBySide = concat([0, 1].map((g) => conv2d(slice(xg, 2 * g, 2), halfW(g), halfB(g), { padding: 1 })), 1);
const gDiff = maxAbsDiff(grouped.forward(xg), sideBySide);
check(gDiff < 1e-6, `groups=2 = concat of two half convolutions (max diff ${gDiff})`);
// groups = C_in: each input channel gets its own ⌊C_out / C_in⌋ filters (here ⌊4/2⌋ = 2)
const perChannelFilters = new Conv2d(2, 4, 3, { groups: 2, init: false });
assertEqual('groups = C_in = 2, C_out = 4: weights [4, 1, 3, 3]', perChannelFilters.weight.value.shape, [4, 1, 3, 3]);
tr({
  en: `groups=2 vs two half convolutions, concatenated: max |Δ| = ${gDiff.toExponential(1)}; groups = C_in = 2 with 4 filters: ⌊4/2⌋ = 2 per input channel`,
  zh: `groups=2 与两个半边卷积拼接的结果相比：max |Δ| = ${gDiff.toExponential(1)}；groups = C_in = 2、4 个卷积核：每个输入通道 ⌊4/2⌋ = 2 个`,
})

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
// ::: zh
// ## 局部连接与权值共享
//
// 一张 1000×1000 的图像（10⁶ 个像素）和 10⁶ 个隐藏单元：
//
// | | 每个隐藏单元看到 | 参数 |
// |---|---|---|
// | 全连接 | 全部 10⁶ 个像素 | 10⁶ × 10⁶ = **10¹²** |
// | 局部连接 | 一个 10×10 的窗口 | 10⁶ × 100 = **10⁸** |
// | 卷积（共享的 10×10 卷积核） | 一个 10×10 的窗口，处处同一组权重 | **100** |

// %% fragment
const pixels = 1000 * 1000, hidden = 1000 * 1000, window = 10 * 10;
const fullyConnected = pixels * hidden;
const locallyConnected = hidden * window;
const shared = new Conv2d(1, 1, 10, { bias: false }).numParameters();
assertEqual('fully connected', fullyConnected, 1e12);
assertEqual('locally connected', locallyConnected, 1e8);
assertEqual('shared filter', shared, 100);
const [eFc, eLc, eX] = [fullyConnected, locallyConnected, fullyConnected / shared].map((v) => v.toExponential());
console.log(tr({
  en: `fully connected ${eFc} → locally connected ${eLc} → shared ${shared}: ×${eX} fewer`,
  zh: `全连接 ${eFc} → 局部连接 ${eLc} → 权值共享 ${shared}：少了 ${eX} 倍`,
}));

// %% [markdown] notes
// Local connectivity rests on the assumption that nearby pixels matter together; weight sharing on the assumption that a pattern useful in one place (an edge) is useful everywhere (translation equivariance).
// ::: zh
// 局部连接基于这样的假设：相邻的像素应该放在一起看；权值共享基于这样的假设：在一个地方有用的模式（比如边缘）在每个地方都有用（平移等变性）。

// %% [markdown] slide
// ## Exercise (lecture quiz): more or fewer than a fully connected layer?
//
// Lecture 003 counts a 3×3 conv layer from m channels to n channels: **3×3×m×n** weights, and asks whether that is more or less than a traditional (fully connected) network, in parameters and in computation. Take m = n = 64 on 32×32 maps. How many weights does the 3×3 layer have, and how many would a fully connected layer from the 32×32×64 map to another 32×32×64 map have? Answer `[conv, fully connected]` (weights only, no biases).
// ::: zh
// ## 练习（讲义测验）：比全连接层多还是少？
//
// 讲义 003 数了一个从 m 个通道到 n 个通道的 3×3 卷积层：**3×3×m×n** 个权重，并问：和传统（全连接）网络相比，参数量和计算量是多还是少？取 m = n = 64，特征图 32×32。这个 3×3 卷积层有多少个权重？一个从 32×32×64 的特征图到另一个 32×32×64 特征图的全连接层有多少个权重？以 `[卷积, 全连接]` 的形式作答（只算权重，不算偏置）。

// %%
let answerConvVsFc: number[] | undefined = undefined; // ← [conv, fully connected]

// %% fragment hide-input
const conv3x3 = new Conv2d(64, 64, 3, { padding: 1, bias: false, init: false });
const fcSame = 32 * 32 * 64 * (32 * 32 * 64);
checkAnswer(answerConvVsFc, [conv3x3.numParameters(), fcSame], {
  why: tr({
    en: 'conv: 3·3·64·64 = 36,864 weights; fully connected: (32·32·64)² = 65,536² ≈ 4.3·10⁹ — 116,508× more. Computation: the conv does 32·32·36,864 ≈ 3.8·10⁷ multiply-adds (each weight is used at all 1,024 positions), the fully connected layer 4.3·10⁹ (each weight once): fewer parameters and less work, but far more work per parameter.',
    zh: '卷积：3·3·64·64 = 36,864 个权重；全连接：(32·32·64)² = 65,536² ≈ 4.3·10⁹，多 116,508 倍。计算量：卷积做 32·32·36,864 ≈ 3.8·10⁷ 次乘加（每个权重在全部 1,024 个位置上都用一次），全连接做 4.3·10⁹ 次（每个权重只用一次）：参数更少、计算更少，但每个参数承担的计算多得多。',
  }),
  hint: tr({ en: 'A fully connected layer has one weight per (input value, output value) pair: (H·W·m)·(H·W·n).', zh: '全连接层每一对（输入值，输出值）都有一个权重：(H·W·m)·(H·W·n)。' }),
})

// %% [markdown] fragment
// <details><summary>Answer</summary>
//
// **[36864, 4294967296]**. Fewer parameters (116,508× fewer) and fewer multiply-adds (37,748,736 against 4,294,967,296), because each weight is reused at every one of the 32·32 positions: the convolution spends many more operations per parameter.
// </details>
// ::: zh
// <details><summary>答案</summary>
//
// **[36864, 4294967296]**。参数更少（少 116,508 倍），乘加也更少（37,748,736 对 4,294,967,296），因为每个权重在 32·32 个位置上都被重复使用：卷积的每个参数承担的运算多得多。
// </details>

// %% skip
assertEqual('lecture 003: 3×3×m×n weights', conv3x3.numParameters(), 3 * 3 * 64 * 64);
assertEqual('multiply-adds of the conv (summary counts 2 FLOPs each)', summary(conv3x3, [1, 64, 32, 32]).totalFlops / 2, 32 * 32 * 36864);
assertEqual('fully connected weights', new Linear(32 * 32 * 64, 1, { init: false }).weight.value.size * 32 * 32 * 64, fcSame);
assertEqual('ratio', Math.round(fcSame / conv3x3.numParameters()), 116508);

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
// ::: zh
// ## 小结
//
// - H_out = ⌊(H − F + 2P)/S⌋ + 1；*same* = ⌈H/S⌉（TensorFlow 把多出的填充像素放在下方/右侧）
// - 空洞卷积在不增加权重的情况下扩大感受野
// - 卷积核跨越所有输入通道；`Cout` 个卷积核 → `Cout` 张特征图；参数 = Cout·(Cin·F·F + 1)
// - 1×1 卷积 = 每个像素上的全连接层；分组 / depthwise 让参数减少到 1/G
// - 卷积 = 局部连接 + 权值共享：10¹² → 100 个参数
//
// 下一课：ReLU 激活函数、池化、归一化。
