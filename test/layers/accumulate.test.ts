import { expect } from 'chai';
import { Rng, randn, tensor, zeros } from '../../src/tensor';
import { accumulate } from '../../src/layers/base';
import { pickEngine } from '../../src/ops/engine';
import { fastPathInfo } from '../../src/ops/wasm/runtime';

/** grad += g as the JS loop writes it: each sum rounded to float32. */
function loopSum(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => Math.fround(v + b[i]));
}

describe('accumulate: a layer\'s grad += g', () => {
  it('adds in float32, keeping NaN and ±∞, at every size around the wasm threshold and across its 2²⁰-value blocks', () => {
    const rng = new Rng(5);
    for (const n of [1, 7, 1023, 1024, 1029, 48000, (1 << 20) + 3]) {
      const grad = randn([n], { rng });
      const g = randn([n], { rng });
      g.data[0] = NaN;
      if (n > 2) {
        g.data[1] = Infinity;
        grad.data[2] = -Infinity;
      }
      g.data[n - 1] = NaN; // the last block's tail
      const want = loopSum(grad.data, g.data);
      accumulate(grad, g, 'test');
      expect(Buffer.from(grad.data.buffer).equals(Buffer.from(want.buffer)), `n = ${n}`).to.equal(true);
    }
  });

  it('runs in wasm from 1,024 values where the kernels loaded (ENGINE_RULES.accumulate)', () => {
    expect(pickEngine('accumulate', undefined, 1023)).to.equal('js');
    expect(pickEngine('accumulate', undefined, 1024)).to.equal(fastPathInfo() === 'wasm-simd' ? 'wasm' : 'js');
  });

  it('refuses a gradient of another size, naming both shapes', () => {
    expect(() => accumulate(zeros([2, 3]), tensor([1, 2]), 'Linear.backward')).to.throw(/^Linear\.backward: gradient has 2 elements \[2\], parameter has 6 \[2, 3\]/);
  });
});
