// %% [markdown] slide
// # 4 · The chain rule 链式法则
//
// 1. A computational graph: f = (x + y)·z
// 2. Backward, one node at a time: local gradient × upstream gradient
// 3. A bigger graph with exp and max, checked against a numeric derivative
// 4. Backpropagation 反向传播 through a fully connected layer: dW = dYᵀX
// ::: zh
// # 4 · 链式法则
//
// 1. 计算图：f = (x + y)·z
// 2. 反向传播，一次一个节点：局部梯度 × 上游梯度
// 3. 一个带 exp 和 max 的更大的图，并与数值导数核对
// 4. 全连接层的反向传播：dW = dYᵀX

// %%
import { seed, Value, tensor, randn, linear, linearBackward, linearSpecs, gradcheck, tensorTable, drawGraph, backwardSteps, show, setLocale, tr, assertClose } from 'tscnn';
import { Rng, Linear, Tanh, mse } from 'tscnn';
setLocale('en');
seed(0);

// %% [markdown] slide
// ## f(x, y, z) = (x + y) · z at x = −2, y = 5, z = −4
//
// Forward: q = x + y = 3, f = q · z = −12. Each node knows only its **local** gradient: ∂q/∂x = ∂q/∂y = 1, ∂f/∂q = z, ∂f/∂z = q.
// ::: zh
// ## f(x, y, z) = (x + y) · z，取 x = −2，y = 5，z = −4
//
// 前向：q = x + y = 3，f = q · z = −12。每个节点只知道它的**局部**梯度：∂q/∂x = ∂q/∂y = 1，∂f/∂q = z，∂f/∂z = q。

// %%
const x = new Value(-2, 'x'), y = new Value(5, 'y'), z = new Value(-4, 'z');
const q = x.add(y); q.label = 'q';
const f = q.mul(z); f.label = 'f';
assertClose('q', q.data, 3, 1e-6);
assertClose('f', f.data, -12, 1e-6);
await drawGraph(f, { title: tr({ en: 'forward: values only', zh: '前向传播：只有数值' }) })

// %% [markdown] subslide
// ## Backward, step by step
//
// Start with ∂f/∂f = 1 and walk the graph in reverse: **gradient = upstream gradient × local gradient** (and sum where a value is used more than once). Use ◀ / ▶.
// ::: zh
// ## 一步一步地反向传播
//
// 从 ∂f/∂f = 1 开始，逆着图走：**梯度 = 上游梯度 × 局部梯度**（一个值被用到多次时，把梯度加起来）。用 ◀ / ▶ 逐步查看。

// %%
const steps = await backwardSteps(f);
assertClose('∂f/∂x', x.grad, -4, 1e-6);
assertClose('∂f/∂y', y.grad, -4, 1e-6);
assertClose('∂f/∂z', z.grad, 3, 1e-6);
assertClose('∂f/∂q', q.grad, -4, 1e-6);
steps

// %% fragment
console.log(steps.frames.map((fr) => fr.text).join('\n'));

// %% [markdown] notes
// ∂f/∂x = ∂f/∂q · ∂q/∂x = z · 1 = −4: the add gate *distributes* the gradient unchanged; the multiply gate *swaps* its inputs (∂f/∂z = q = 3).
// ::: zh
// ∂f/∂x = ∂f/∂q · ∂q/∂x = z · 1 = −4：加法门把梯度原样*分发*下去；乘法门把两个输入*互换*（∂f/∂z = q = 3）。

// %% [markdown] slide
// ## A bigger graph: exp and max
//
// $$f = \frac{1}{\exp\{-(x_1 + x_2)\,w + \max(y_1, y_2)\}}$$
//
// at x₁ = 1, x₂ = −2, w = 3, y₁ = 2, y₂ = −1. The **max** gate routes the gradient to the larger input only; **exp** multiplies it by its own output.
// ::: zh
// ## 更大的图：exp 和 max
//
// $$f = \frac{1}{\exp\{-(x_1 + x_2)\,w + \max(y_1, y_2)\}}$$
//
// 取 x₁ = 1，x₂ = −2，w = 3，y₁ = 2，y₂ = −1。**max** 门只把梯度传给较大的那个输入；**exp** 门把梯度乘以它自己的输出。

// %%
const x1 = new Value(1, 'x₁'), x2 = new Value(-2, 'x₂'), w = new Value(3, 'w'), y1 = new Value(2, 'y₁'), y2 = new Value(-1, 'y₂');
const s = x1.add(x2); s.label = 's';
const p = s.mul(w); p.label = 'p';
const a = p.neg(); a.label = 'a';
const m = y1.max(y2); m.label = 'm';
const u = a.add(m); u.label = 'u';
const e = u.exp(); e.label = 'e';
const g = e.pow(-1); g.label = 'f';
const steps2 = await backwardSteps(g, { rankdir: 'LR' });
steps2

// %% fragment
// numeric derivative: central differences of the same formula written as plain arithmetic
const fPlain = (v: number[]) => 1 / Math.exp(-(v[0] + v[1]) * v[2] + Math.max(v[3], v[4]));
const at = [1, -2, 3, 2, -1];
const leaves = [x1, x2, w, y1, y2];
const h = 1e-6;
const rows = leaves.map((leaf, i) => {
  const up = at.slice(), dn = at.slice();
  up[i] += h; dn[i] -= h;
  const numeric = (fPlain(up) - fPlain(dn)) / (2 * h);
  assertClose(`∂f/∂${leaf.label}`, leaf.grad, numeric, 1e-6);
  const [bp, nm] = [leaf.grad, numeric].map((v) => v.toExponential(6).padStart(14));
  return `∂f/∂${leaf.label.padEnd(2)} ${tr({ en: 'backprop', zh: '反向传播' })} ${bp}   ${tr({ en: 'numeric', zh: '数值' })} ${nm}`;
});
assertClose('f', g.data, Math.exp(-5), 1e-6);
assertClose('∂f/∂y₂ (max routes nothing to the loser)', y2.grad, 0, 1e-6);
console.log([`f = e^−5 = ${g.data.toExponential(6)}`, ...rows].join('\n'));

// %% [markdown] slide
// ## Backprop through a fully connected layer 全连接层
//
// Y = X Wᵀ + b with X [N, in], W [out, in], b [out]. Given the upstream gradient dY = ∂L/∂Y [N, out]:
//
// $$dX = dY\,W \qquad dW = dY^\top X \qquad db = \textstyle\sum_n dY[n, :]$$
//
// Each is the chain rule applied to $Y_{nj} = \sum_i X_{ni} W_{ji} + b_j$: e.g. $\partial Y_{nj}/\partial W_{ji} = X_{ni}$, summed over every n that used $W_{ji}$.
// ::: zh
// ## 全连接层的反向传播
//
// Y = X Wᵀ + b，其中 X [N, in]，W [out, in]，b [out]。给定上游梯度 dY = ∂L/∂Y [N, out]：
//
// $$dX = dY\,W \qquad dW = dY^\top X \qquad db = \textstyle\sum_n dY[n, :]$$
//
// 每一个都是链式法则作用于 $Y_{nj} = \sum_i X_{ni} W_{ji} + b_j$ 的结果：例如 $\partial Y_{nj}/\partial W_{ji} = X_{ni}$，再对所有用到 $W_{ji}$ 的 n 求和。

// %%
const X = tensor([[1, 2, 0, -1], [0, 1, 3, 1]]);         // N = 2, in = 4
const W = tensor([[1, 0, -1, 2], [0.5, 1, 0, -1], [2, -1, 1, 0]]); // out = 3
const b = tensor([0.1, 0.2, 0.3]);
const Y = linear(X, W, b);
const dY = tensor([[1, 0, -1], [2, 1, 0]]);
const { dx, dw, db } = linearBackward(dY, X, W);
show(
  tensorTable(Y, { title: 'Y = X Wᵀ + b' }),
  tensorTable(dY, { title: tr({ en: 'dY (given)', zh: 'dY（已知）' }) }),
  tensorTable(dw, { title: 'dW = dYᵀ X  [3, 4]' }),
  tensorTable(dx, { title: 'dX = dY W  [2, 4]' }),
  tensorTable(db.reshape([1, 3]), { title: 'db = Σₙ dY' }),
);

// %% fragment
// the formulas, entry by entry
for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) assertClose(`dW[${j}][${i}]`, dw.get(j, i), dY.get(0, j) * X.get(0, i) + dY.get(1, j) * X.get(1, i), 1e-6);
for (let n = 0; n < 2; n++) for (let i = 0; i < 4; i++) assertClose(`dX[${n}][${i}]`, dx.get(n, i), [0, 1, 2].reduce((t, j) => t + dY.get(n, j) * W.get(j, i), 0), 1e-6);
[0, 1, 2].forEach((j) => assertClose(`db[${j}]`, db.data[j], dY.get(0, j) + dY.get(1, j), 1e-6));
// and the gradient checker: central differences on random inputs
const report = gradcheck(linearSpecs[0], [randn([5, 7]), randn([4, 7]), randn([4])]);
if (!report.ok) throw new Error(String(report));
console.log(String(report));

// %% [markdown] subslide
// ## In a network: from the loss back, one stored Δ per layer
//
// Lecture 003 writes the chain rule for layer i with parameters m<sub>i</sub> and output y<sub>i</sub>: ∂Loss/∂m<sub>i</sub> = Δy<sub>i</sub> · ∂y<sub>i</sub>/∂m<sub>i</sub>, where Δy<sub>i</sub> comes from the layer above: Δy<sub>i</sub> = Δx<sub>i+1</sub> = Δy<sub>i+1</sub> · ∂y<sub>i+1</sub>/∂x<sub>i+1</sub>. Two rules follow: compute **from the loss towards the input**, and **store** each layer's Δ, because the layer below needs it. Below: Linear → Tanh → Linear with an MSE loss, each layer's `backward` handing its Δx down, every Δ kept; one weight's gradient is then checked by central differences.
// ::: zh
// ## 在网络里：从损失往回走，每层存一个 Δ
//
// 讲义 003 对参数为 m<sub>i</sub>、输出为 y<sub>i</sub> 的第 i 层写出链式法则：∂Loss/∂m<sub>i</sub> = Δy<sub>i</sub> · ∂y<sub>i</sub>/∂m<sub>i</sub>，其中 Δy<sub>i</sub> 来自上一层：Δy<sub>i</sub> = Δx<sub>i+1</sub> = Δy<sub>i+1</sub> · ∂y<sub>i+1</sub>/∂x<sub>i+1</sub>。由此有两条规则：**从损失向输入**计算；把每层的 Δ **存下来**，因为下面一层要用它。下面是 Linear → Tanh → Linear 加 MSE 损失：每层的 `backward` 把它的 Δx 交给下一层，所有 Δ 都保存下来；最后用中心差分检验其中一个权重的梯度。

// %% fragment
const rngNet = new Rng(3);
const layers = [new Linear(4, 3, { rng: rngNet }), new Tanh(), new Linear(3, 2, { rng: rngNet })];
const xIn = randn([2, 4], { rng: rngNet }), target = randn([2, 2], { rng: rngNet });
const lossOf = () => mse(layers.reduce((h, l) => l.forward(h), xIn), target);
const { loss, dpred } = lossOf();
const deltas = [dpred]; // Δy of the last layer first: the computation runs from the loss back
for (let i = layers.length - 1; i >= 0; i--) deltas.push(layers[i].backward(deltas[deltas.length - 1]));
const w0 = layers[0].parameters()[0];
const h2 = 1e-3, k0 = 5; // weight [1][1] of the first layer
const orig = w0.value.data[k0];
w0.value.data[k0] = orig + h2; const up2 = lossOf().loss;
w0.value.data[k0] = orig - h2; const dn2 = lossOf().loss;
w0.value.data[k0] = orig;
assertClose('∂Loss/∂m₀ from the stored Δs = central difference', w0.grad.data[k0], (up2 - dn2) / (2 * h2), 1e-4);
const names = ['Δy₃ = ∂Loss/∂y₃', 'Δx₃ = Δy₂', 'Δx₂ = Δy₁', 'Δx₁'];
console.log([
  tr({ en: `loss ${loss.toFixed(4)}; stored, in the order computed:`, zh: `损失 ${loss.toFixed(4)}；按计算顺序保存的 Δ：` }),
  ...deltas.map((d, i) => `  ${names[i].padEnd(16)} [${d.shape}]`),
  tr({
    en: `∂Loss/∂W₁[1][1]: backprop ${w0.grad.data[k0].toFixed(6)}, numeric ${((up2 - dn2) / (2 * h2)).toFixed(6)}`,
    zh: `∂Loss/∂W₁[1][1]：反向传播 ${w0.grad.data[k0].toFixed(6)}，数值 ${((up2 - dn2) / (2 * h2)).toFixed(6)}`,
  }),
].join('\n'));

// %% [markdown] slide
// ## Try it live
//
// One slider per input of f = (x + y)·z, and one for the step: forward (q, then f), then backward (∂f/∂f = 1, then ∂f/∂q = z and ∂f/∂z = q, then ∂f/∂x = ∂f/∂y = ∂f/∂q · 1). The kernel recomputes every number with `Value`.
// ::: zh
// ## 动手试试
//
// f = (x + y)·z 的每个输入一个滑块，再加一个步骤滑块：先前向（q，然后 f），再反向（∂f/∂f = 1，然后 ∂f/∂q = z、∂f/∂z = q，最后 ∂f/∂x = ∂f/∂y = ∂f/∂q · 1）。内核用 `Value` 重新计算每个数。

// %%
import { chainRuleStepper } from 'tscnn';
const stepper = chainRuleStepper({ x: -2, y: 5, z: -4 });
assertClose('live stepper: f = (−2 + 5)·(−4)', stepper.nodes.f.data, -12);
assertClose('live stepper: ∂f/∂x = z', stepper.nodes.x.grad, -4);
assertClose('live stepper: ∂f/∂z = x + y', stepper.nodes.z.grad, 3);
stepper

// %% [markdown] slide
// ## Summary
//
// - a graph of simple gates; each knows its **local** gradient
// - backward: ∂L/∂input = ∂L/∂output × ∂output/∂input, summed over every use (链式法则)
// - add distributes, multiply swaps, max routes, exp scales by its output
// - a linear layer: dX = dY W, dW = dYᵀ X, db = Σ dY — checked numerically
//
// Next: the same for convolution.
//
// ::: zh
// ## 小结
//
// - 由简单的门组成的图；每个门都知道自己的**局部**梯度
// - 反向传播：∂L/∂输入 = ∂L/∂输出 × ∂输出/∂输入，对每一次使用求和（链式法则）
// - 加法分发，乘法互换，max 选路，exp 按自己的输出缩放
// - 线性层：dX = dY W，dW = dYᵀ X，db = Σ dY——都用数值方法核对过
//
// 下一课：卷积的反向传播。
