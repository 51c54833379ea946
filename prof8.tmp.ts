import { setOpsImpl } from './src/ops/impl';
import { setWasmThreads, wasmThreadsReady } from './src/ops/wasm/threads';
import { lenet5 } from './src/models/lenet5';
import { softmaxCrossEntropy } from './src/ops/losses';
import { Rng, randn } from './src/tensor';
(async () => {
await wasmThreadsReady();
const x = randn([64, 1, 28, 28]);
const labels = Array.from({ length: 64 }, (_, i) => i % 10);
for (const [impl, th] of [['wasm', 1], ['wasm', 2], ['js', 1], ['wasm', 1], ['wasm', 2]] as const) {
  setOpsImpl(impl); setWasmThreads(th);
  const net = lenet5({ rng: new Rng(1) }); const params = net.parameters();
  const step = () => { net.zeroGrad(); const { dlogits } = softmaxCrossEntropy(net.forward(x), labels); net.backward(dlogits); for (const p of params) { const v = p.value.data, g = p.grad.data; for (let i = 0; i < v.length; i++) v[i] -= 0.01 * g[i]; } };
  for (let i = 0; i < 10; i++) step();
  const t: number[] = [];
  for (let r = 0; r < 7; r++) { const t0 = performance.now(); for (let i = 0; i < 10; i++) step(); t.push((performance.now() - t0) / 10); }
  const m = t.sort((a, b) => a - b)[3];
  console.log(`${impl} threads=${th}: ${m.toFixed(2)} ms/step, ${(64 / m * 1000).toFixed(0)} images/s`);
}
process.exit(0);
})();
