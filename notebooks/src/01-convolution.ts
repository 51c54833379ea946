// %% [markdown] slide
// # 1 · Convolution 卷积, by hand
//
// 1. Why images need **spatial structure**
// 2. The 5×5 ⊛ 3×3 walkthrough, one output cell at a time
// 3. A convolution is a **neuron** that slides: input patch · weights → output
// 4. Filters (卷积核) are **pattern detectors**: the curve detector
// 5. Classic filters on a real photo: Gaussian blur, Sobel derivatives
//
// Everything below is computed by `tscnn` (`src/ops/conv2d.ts`); the notebook only calls it and checks the numbers.

// %%
import { seed, Rng, Tensor, tensor, conv2d, concat, Linear, loadImage, imageOf, featureMaps, tensorTable, convWalkthrough, show, setLocale, assertEqual, assertClose } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## Why images need spatial structure
//
// A fully connected layer (全连接层) sees an image as a flat list of numbers. Shuffle the pixels (the same way for every image) and shuffle the layer's weights the same way: **its outputs do not change**. It has no idea which pixels are neighbours.

// %%
const img = loadImage('../../data/chelsea.png', { grey: true, size: [32, 48] }); // [1, 1, 32, 48]
const n = img.size;
const perm = new Rng(1).shuffle(Int32Array.from({ length: n }, (_, i) => i)) as Int32Array;
const shuffled = new Tensor(Float32Array.from(perm, (p) => img.data[p]), img.shape);
show(imageOf(img, { scale: 4, title: 'image' }), imageOf(shuffled, { scale: 4, title: 'same pixels, shuffled' }));

// %% fragment
const fc = new Linear(n, 10);
const fcShuffled = new Linear(n, 10);
// column j of fcShuffled reads pixel perm[j]: the same weight meets the same pixel
for (let o = 0; o < 10; o++) for (let j = 0; j < n; j++) fcShuffled.weight.value.data[o * n + j] = fc.weight.value.data[o * n + perm[j]];
fcShuffled.bias!.value.data.set(fc.bias!.value.data);
const y1 = fc.forward(img.reshape([1, n])), y2 = fcShuffled.forward(shuffled.reshape([1, n]));
for (let i = 0; i < 10; i++) assertClose(`fc output ${i}`, y2.data[i], y1.data[i], 1e-5);
console.log(`fully connected: outputs identical for the image and its shuffle (max diff ${Math.max(...y1.toList().map((v, i) => Math.abs(v - y2.data[i]))).toExponential(1)})`);

// %% [markdown] notes
// A convolution, in contrast, only ever combines a pixel with its neighbours (局部连接 local connectivity), and uses the same small filter everywhere (权值共享 weight sharing). Shuffling the pixels destroys exactly what it looks at.

// %% [markdown] slide
// ## The 5×5 ⊛ 3×3 walkthrough
//
// Input **x** (5×5, 0/1 pixels) and filter **k** (3×3, an "X"). The output cell y[i, j] is the sum of the element-wise products of k and the 3×3 window of x starting at (i, j):
//
// $$y[i,j] = \sum_{a=0}^{2}\sum_{b=0}^{2} x[i+a,\ j+b]\; k[a,b]$$
//
// (Deep-learning "convolution" is this cross-correlation: the kernel is not flipped.)

// %%
const X = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]);
const K = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
show(tensorTable(X, { title: 'x (5×5)', highlight: { row: 0, col: 0, height: 3, width: 3 } }), tensorTable(K, { title: 'k (3×3)' }));

// %% [markdown] subslide
// Step through the 9 output cells with **◀ previous / next ▶** (or ▶ play):

// %%
const walk = convWalkthrough(X, K);
walk

// %% fragment
const Y = conv2d(X.reshape([1, 1, 5, 5]), K.reshape([1, 1, 3, 3]), null); // the library op, NCHW
assertEqual('walkthrough output', walk.output, [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
assertEqual('conv2d output', Y.toArray(), [[[[4, 3, 4], [2, 4, 3], [2, 3, 4]]]]);
assertEqual('frames', walk.frameCount, 9);
tensorTable(Y, { title: 'y = conv2d(x, k): 3×3 feature map 特征图' })

// %% fragment
console.log(walk.steps[0].equation);

// %% [markdown] slide
// ## A convolution is a neuron
//
// Each output cell is one **neuron**: its *input* is the 3×3 patch of x under the window (its 感受野 receptive field), its *weights* are the 9 kernel values, its *output* is w·x + b.
// The conv layer is that same neuron copied to every position (权值共享 weight sharing).

// %%
// the neuron for output cell (1, 2): input = x[1:4, 2:5] flattened, weights = k flattened
const patch = [1, 2, 3].flatMap((r) => [2, 3, 4].map((c) => X.get(r, c)));
const neuron = new Linear(9, 1);
neuron.weight.value.data.set(K.data);
neuron.bias!.value.data[0] = 0;
const out12 = neuron.forward(tensor([patch])).item();
assertEqual('neuron(1, 2)', out12, Y.get(0, 0, 1, 2));
show(tensorTable(X, { title: 'input: the receptive field of y[1, 2]', highlight: { row: 1, col: 2, height: 3, width: 3 } }), `weights w = ${JSON.stringify(K.toList())}, bias 0 → output w·x + b = ${out12} = y[1, 2]`);

// %% [markdown] slide
// ## Filters are pattern detectors: the curve detector
//
// A 7×7 filter holds **30** along a curve and 0 elsewhere. Slide it over an image of a drawing:
// where the receptive field contains the same curve, the products add up to a large number; where the pattern is somewhere else, almost every product has a 0 in it.

// %%
// the filter: 30 on a curve (row, col) and 0 elsewhere
const curve = [[0, 5], [1, 4], [2, 3], [3, 2], [4, 2], [5, 1], [6, 1]];
const curveFilter = new Tensor(new Float32Array(49), [1, 1, 7, 7]);
for (const [r, c] of curve) curveFilter.set(30, 0, 0, r, c);
// a 7×14 drawing: left half = the curve (brightness 50, one faint pixel 20), right half = a vertical stroke (a different pattern)
const drawing = new Tensor(new Float32Array(7 * 14), [1, 1, 7, 14]);
[[0, 5, 50], [1, 4, 50], [2, 3, 50], [3, 2, 20], [4, 2, 50]].forEach(([r, c, v]) => drawing.set(v, 0, 0, r, c));
for (let r = 0; r < 7; r++) drawing.set(50, 0, 0, r, 13); // a vertical stroke down the right edge
show(featureMaps(curveFilter, { labels: ['curve filter (30s)'], scale: 24 }), featureMaps(drawing, { labels: ['drawing: two 7×7 receptive fields'], scale: 24 }));

// %% fragment
// stride 7: exactly one output per 7×7 receptive field
const response = conv2d(drawing, curveFilter, null, { stride: 7 });
assertEqual('curve detector responses', response.toList(), [6600, 0]);
console.log(`response on the curve: ${response.data[0]} = 4·(50·30) + 20·30;  response elsewhere: ${response.data[1]}`);

// %% [markdown] slide
// ## Classic filters on a real photo
//
// - **Gaussian blur**: a 5×5 binomial filter, $\frac{1}{256}\,[1,4,6,4,1]^\top[1,4,6,4,1]$, weights sum to 1 → a weighted local average
// - **Sobel x / y**: a derivative across columns / rows, smoothed along the other axis
// - **gradient magnitude** $\sqrt{g_x^2 + g_y^2}$: edges in every direction

// %%
const cat = loadImage('../../data/chelsea.png', { grey: true }); // [1, 1, 170, 256] in [0, 1]
const b = [1, 4, 6, 4, 1];
const gauss = tensor(b.map((u) => b.map((v) => (u * v) / 256))).reshape([1, 1, 5, 5]);
const sobel = tensor([
  [[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]],   // Sobel x: d/dcolumn
  [[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]],   // Sobel y: d/drow
]); // [2, 1, 3, 3]: two filters in one conv layer
const blurred = conv2d(cat, gauss, null, { padding: 'same' });
const g = conv2d(cat, sobel, null, { padding: 'same' }); // [1, 2, 170, 256]
console.log(`cat ${JSON.stringify(cat.shape)} → blurred ${JSON.stringify(blurred.shape)}, Sobel ${JSON.stringify(g.shape)}`);

// %% fragment
// sanity checks the maths demands: the blur keeps a constant image constant; Sobel x of a ramp x[i, j] = j is 8 everywhere
assertClose('Σ gaussian', gauss.toList().reduce((s, v) => s + v, 0), 1, 1e-6);
const ramp = new Tensor(Float32Array.from({ length: 36 }, (_, i) => i % 6), [1, 1, 6, 6]);
assertEqual('Sobel x of a ramp', Array.from(new Set(conv2d(ramp, sobel, null).toList().slice(0, 16))), [8]);
assertEqual('Sobel y of a ramp', Array.from(new Set(conv2d(ramp, sobel, null).toList().slice(16))), [0]);
console.log('checks passed: Σ Gaussian = 1, Sobel x(ramp) = 8, Sobel y(ramp) = 0');

// %% subslide
const plane = 170 * 256;
const gx = g.data.subarray(0, plane), gy = g.data.subarray(plane);
const panels = concat([
  cat, blurred,
  new Tensor(gx.map(Math.abs), [1, 1, 170, 256]),
  new Tensor(gy.map(Math.abs), [1, 1, 170, 256]),
  new Tensor(gx.map((v, i) => Math.hypot(v, gy[i])), [1, 1, 170, 256]),
], 1);
featureMaps(panels, { cols: 3, perChannel: true, colormap: 'grey', scale: 1, labels: ['input', 'Gaussian blur', '|Sobel x|', '|Sobel y|', 'gradient magnitude'] })

// %% [markdown] notes
// |Sobel x| lights up vertical edges (the cat's whiskers and the edge of its face), |Sobel y| horizontal ones. A trained CNN's first layer learns filters that look very much like these.

// %% [markdown] slide
// ## Summary
//
// - convolution = the same small neuron (卷积核 filter) applied at every position → a feature map 特征图
// - each output sees only a small receptive field 感受野 (局部连接) and shares its weights (权值共享)
// - a filter responds most where the input looks like the filter: a **pattern detector**
// - blur and edge filters are convolutions with hand-picked weights; a CNN **learns** its weights
//
// Next: padding 填充, stride 步长, channels.
//
