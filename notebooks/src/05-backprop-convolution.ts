// %% [markdown] slide
// # 5 · Backpropagation 反向传播 through a convolution
//
// 1. Derive the two gradients: dX and dW (and db)
// 2. See them on a 4×4 example: both are convolutions again
// 3. Check: hand-coded vs numeric vs TensorFlow.js

// %%
import { seed, Tensor, tensor, randn, conv2d, conv2dBackward, conv2dSpecs, Conv2d, Tanh, Flatten, Linear, Sequential, gradcheckLayer, convWalkthrough, tensorTable, featureMaps, show, loadTf, compareGradients, opParity, formatParityTable, setLocale, assertEqual, assertAllClose } from 'tscnn';
import type { OpSpec, ParityRow } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## Deriving the gradients
//
// Forward (stride 1, no padding, one channel): $Y[i,j] = \sum_{a,b} X[i+a,\,j+b]\,W[a,b] + b$.
//
// Given dY = ∂L/∂Y, the chain rule sums over every output that used a value:
//
// - **dW**: $\dfrac{\partial L}{\partial W[a,b]} = \sum_{i,j} dY[i,j]\; X[i+a,\,j+b]$ → the **correlation of X with dY** (dY plays the kernel)
// - **dX**: $\dfrac{\partial L}{\partial X[r,c]} = \sum_{i,j} dY[i,j]\; W[r-i,\,c-j]$ → the **full correlation of dY (zero-padded by F − 1) with the flipped kernel** (rotated 180°)
// - **db** $= \sum_{i,j} dY[i,j]$
//
// With channels: dW[o, c] = X[c] ⋆ dY[o], dX[c] = Σ_o pad(dY[o]) ⋆ rot180(W[o, c]).

// %%
const X = tensor([[1, 2, 0, 1], [0, 1, 3, 2], [2, 1, 0, 1], [1, 0, 2, 3]]).reshape([1, 1, 4, 4]);
const W = tensor([[1, 0, -1], [2, 1, 0], [0, -1, 1]]).reshape([1, 1, 3, 3]);
const dY = tensor([[1, -1], [2, 0.5]]).reshape([1, 1, 2, 2]); // pretend this came from the layer above
const grads = conv2dBackward(dY, X, W); // the library's backward: { dx, dw, db }
show(tensorTable(X, { title: 'X' }), tensorTable(W, { title: 'W' }), tensorTable(conv2d(X, W, null), { title: 'Y = X ⋆ W' }), tensorTable(dY, { title: 'dY' }));

// %% [markdown] slide
// ## dW: correlate X with dY
//
// dW[a, b] is the 2×2 window of X at (a, b) dotted with dY — a convolution with dY as the filter:

// %%
const walkDW = convWalkthrough(X, dY);
assertAllClose('dW = X ⋆ dY', walkDW.outputTensor(), grads.dw);
assertAllClose('dW via conv2d', conv2d(X, dY, null), grads.dw);
walkDW

// %% [markdown] slide
// ## dX: full correlation of dY with the flipped kernel
//
// Pad dY with F − 1 = 2 zeros on every side and slide rot180(W) over it: every X pixel collects dY from every output it fed, weighted by the filter tap that connected them.

// %%
const Wflip = new Tensor(W.data.slice().reverse(), W.shape); // one 3×3 plane reversed = rotated 180°
const walkDX = convWalkthrough(dY, Wflip, { padding: 2 });
assertAllClose('dX = pad(dY) ⋆ rot180(W)', walkDX.outputTensor(), grads.dx);
assertAllClose('dX via conv2d', conv2d(dY, Wflip, null, { padding: 2 }), grads.dx);
assertEqual('db = Σ dY', grads.db.toList(), [1 - 1 + 2 + 0.5]);
walkDX

// %% fragment
featureMaps(tensor([grads.dx.toArray() as number[][][][]].flat(3)).reshape([1, 1, 4, 4]), { labels: ['dX (4×4)'], scale: 48 })

// %% [markdown] slide
// ## Check 1: against numeric gradients (gradcheck)
//
// Central differences, (L(θ + ε) − L(θ − ε)) / 2ε, for every weight of a real conv layer with stride 2, padding and 3 → 4 channels:

// %%
const layer = new Conv2d(3, 4, 3, { stride: 2, padding: 1 });
const report = gradcheckLayer(layer, randn([2, 3, 7, 7]));
if (!report.ok) throw new Error(String(report));
console.log(String(report));

// %% [markdown] slide
// ## Check 2: against TensorFlow.js
//
// The same small CNN, weights copied into a TensorFlow.js model (NHWC layout), gradients from `tf.grads`; plus numeric gradients on a sample of elements.
// The backend line says which kernels tscnn had to add: tfjs's wasm backend has no `Conv2DBackpropFilter`, so tscnn registers one built from wasm's own `Conv2D` kernel (dW is itself a convolution of X with dY). It shares no code with tscnn's hand-written `conv2dBackward`, and the test suite checks it against tfjs's cpu backend; the **numeric** column is a third, fully independent check.

// %%
const tfh = await loadTf();
console.log(tfh.describe());

// %% fragment
// strided conv instead of max pooling: the numeric check stays away from max's kinks (a tiny ε can flip the winner)
const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1, stride: 2 }), new Tanh(), new Conv2d(4, 6, 3), new Tanh(), new Flatten(), new Linear(6 * 2 * 2, 3));
const batch = { x: randn([4, 1, 8, 8]), labels: [0, 2, 1, 2] };
const cmp = await compareGradients(net, batch, { handle: tfh });
if (!(cmp.worstVsTfjs < 1e-3)) throw new Error(`hand-coded vs tfjs: ${cmp.worstVsTfjs}`);
if (!(cmp.worstVsNumeric < 1e-2)) throw new Error(`hand-coded vs numeric: ${cmp.worstVsNumeric}`);
cmp

// %% [markdown] subslide
// ## Op parity: every conv2d case in the registry
//
// Each case (stride, padding incl. TensorFlow's asymmetric *same*, dilation, groups, depthwise, 1×1) runs forward and backward in tscnn and TensorFlow.js; errors are max |ours − tfjs|.

// %% fragment
const convSpec = conv2dSpecs[0] as unknown as OpSpec; // opParity takes the untyped OpSpec
const parityRows: ParityRow[] = [];
for (const c of convSpec.cases) parityRows.push(await opParity(convSpec, c, { handle: tfh }));
const bad = parityRows.filter((r) => !r.ok && !r.skipped);
if (bad.length) throw new Error(`conv2d parity failed:\n${formatParityTable(bad)}`);
console.log(`${parityRows.filter((r) => r.ok).length} / ${parityRows.length} conv2d cases agree with tfjs (${tfh.backend}), ${parityRows.filter((r) => r.skipped).length} skipped\n\n` + formatParityTable(parityRows));

// %% [markdown] slide
// ## Summary
//
// - dW = X ⋆ dY: each weight collects input × upstream gradient over all positions it touched
// - dX = pad(dY) ⋆ rot180(W): the gradient flows back along the same connections, weighted by the same weights
// - db = Σ dY
// - hand-coded = numeric = TensorFlow.js, to ~1e-6
//
// The backward of a convolution is a convolution — which is why CNN training costs about 3× a forward pass.
//
