import { setOpsImpl } from './src/ops/impl';
import { setWasmThreads } from './src/ops/wasm/threads';
import { lenet5 } from './src/models/lenet5';
import { softmaxCrossEntropy } from './src/ops/losses';
import { Rng, randn } from './src/tensor';
setOpsImpl('wasm'); setWasmThreads(Number(process.argv[2] ?? 1));
const net = lenet5({ rng: new Rng(1) });
const layers = (net as any).layers;
const x = randn([64, 1, 28, 28]);
const labels = Array.from({ length: 64 }, (_, i) => i % 10);
const R = 40;
const tf: number[][] = layers.map(() => []), tb: number[][] = layers.map(() => []);
for (let r = 0; r < R + 10; r++) {
  net.zeroGrad();
  let h = x;
  for (let i = 0; i < layers.length; i++) { const t0 = performance.now(); h = layers[i].forward(h); if (r >= 10) tf[i].push(performance.now() - t0); }
  const { dlogits } = softmaxCrossEntropy(h, labels);
  let d = dlogits;
  for (let i = layers.length - 1; i >= 0; i--) { const t0 = performance.now(); d = layers[i].backward(d); if (r >= 10) tb[i].push(performance.now() - t0); }
}
const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
let tot = 0;
for (let i = 0; i < layers.length; i++) { tot += med(tf[i]) + med(tb[i]); console.log(layers[i].constructor.name.padEnd(10), med(tf[i]).toFixed(3), med(tb[i]).toFixed(3)); }
console.log('sum of medians', tot.toFixed(2), 'ms');
