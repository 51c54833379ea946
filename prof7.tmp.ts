import { conv2dBackward, conv2dGradInput, conv2dGradWeight, conv2d } from './src/ops/conv2d';
import { setWasmThreads } from './src/ops/wasm/threads';
import { randn } from './src/tensor';
setWasmThreads(1);
const x = randn([64, 1, 28, 28]), w = randn([6, 1, 5, 5]), b = randn([6]), dy = randn([64, 6, 28, 28]);
const o = { padding: 2, impl: 'wasm' as const };
const med = (f: () => unknown) => { const t: number[] = []; for (let i = 0; i < 25; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); } return t.sort((a, b) => a - b)[12].toFixed(3); };
for (let r = 0; r < 3; r++) console.log('fwd', med(() => conv2d(x, w, b, o)), 'dx', med(() => conv2dGradInput(dy, x, w, o)), 'dw', med(() => conv2dGradWeight(dy, x, w, o)), 'bwd', med(() => conv2dBackward(dy, x, w, o)), 'alloc1.2MB', med(() => new Float32Array(64 * 6 * 784).fill(1)));
