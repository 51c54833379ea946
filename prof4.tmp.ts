import { setOpsImpl } from './src/ops/impl';
import { lenet5 } from './src/models/lenet5';
import { softmaxCrossEntropy } from './src/ops/losses';
import { Rng, randn } from './src/tensor';
setOpsImpl((process.argv[2] ?? 'wasm') as 'wasm');
const net = lenet5({ rng: new Rng(1) });
const layers = (net as any).layers ?? (net as any).modules ?? (net as any).children;
const x = randn([64, 1, 28, 28]);
const labels = Array.from({ length: 64 }, (_, i) => i % 10);
const tf = new Array(layers.length).fill(0), tb = new Array(layers.length).fill(0);
let tl = 0;
const R = 30;
for (let r = 0; r < R + 5; r++) {
  net.zeroGrad();
  let h = x;
  for (let i = 0; i < layers.length; i++) { const t0 = performance.now(); h = layers[i].forward(h); if (r >= 5) tf[i] += performance.now() - t0; }
  const t0 = performance.now();
  const { dlogits } = softmaxCrossEntropy(h, labels);
  if (r >= 5) tl += performance.now() - t0;
  let d = dlogits;
  for (let i = layers.length - 1; i >= 0; i--) { const t0 = performance.now(); d = layers[i].backward(d); if (r >= 5) tb[i] += performance.now() - t0; }
}
for (let i = 0; i < layers.length; i++) console.log(layers[i].constructor.name.padEnd(10), (tf[i] / R).toFixed(3), (tb[i] / R).toFixed(3));
console.log('loss', (tl / R).toFixed(3), 'total', ((tf.reduce((a, b) => a + b) + tb.reduce((a, b) => a + b) + tl) / R).toFixed(2), 'ms');
