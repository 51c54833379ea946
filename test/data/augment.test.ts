import { expect } from 'chai';
import { augment, augmentInPlace } from '../../src/data/augment';
import { Rng } from '../../src/tensor/random';
import { arange, randn, seed, zeros } from '../../src/tensor';
import { fit } from '../../src/train';
import { Flatten, Linear, Sequential } from '../../src/layers';

describe('data/augment (ConvNetJS: flips and 2-pixel shifts)', () => {
  const img = arange(1, 10).reshape([1, 1, 3, 3]); // [[1,2,3],[4,5,6],[7,8,9]]

  it('every output is the image flipped or not, then shifted by (dy, dx) ∈ [−s, s]², zeros shifted in', () => {
    const seen = new Set<string>();
    const rng = new Rng(7);
    for (let t = 0; t < 400; t++) {
      const y = augment(img, { shift: 1, rng }).toList();
      seen.add(y.join(','));
      // find the transform that explains y
      let found = false;
      for (const flip of [false, true]) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const want: number[] = [];
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
          const si = i + dy, sj = (flip ? 2 - j : j) + dx;
          want.push(si >= 0 && si < 3 && sj >= 0 && sj < 3 ? img.data[si * 3 + sj] : 0);
        }
        if (want.join(',') === y.join(',')) found = true;
      }
      expect(found, `unexplained output ${y}`).to.equal(true);
    }
    expect(seen.size).to.equal(18); // 2 flips × 9 shifts, all reached
  });

  it('flip only: exactly the mirror image or the image; shift 0 and flip false: unchanged', () => {
    const rng = new Rng(1);
    for (let t = 0; t < 20; t++) {
      const y = augment(img, { shift: 0, rng }).toList().join(',');
      expect(['1,2,3,4,5,6,7,8,9', '3,2,1,6,5,4,9,8,7']).to.include(y);
    }
    expect(augment(img, { flip: false, shift: 0 }).toList()).to.deep.equal(img.toList());
  });

  it('seeded: the same generator state gives the same batch; the input is not modified', () => {
    const x = arange(2 * 3 * 4 * 4).reshape([2, 3, 4, 4]);
    const a = augment(x, { rng: new Rng(3) }).toList();
    const b = augment(x, { rng: new Rng(3) }).toList();
    expect(a).to.deep.equal(b);
    expect(x.toList()).to.deep.equal(arange(2 * 3 * 4 * 4).toList());
  });

  it('errors name the argument', () => {
    expect(() => augment(zeros([3, 3]))).to.throw(/^augment: x must be a rank-4 Tensor \[N, C, H, W\], got \[3, 3\]/);
    expect(() => augmentInPlace(new Float32Array(9), 1, [1, 3, 3], { shift: -1 }, new Rng(0))).to.throw(/^augment: shift must be a non-negative integer number of pixels, got -1/);
  });
});

describe('fit({ augment })', () => {
  it('augments each training batch reproducibly (same seed → same weights; other than without it)', async () => {
    const run = async (aug: boolean) => {
      seed(2);
      const x = randn([32, 1, 4, 4]);
      const y = Int32Array.from({ length: 32 }, (_, i) => i % 2);
      const model = new Sequential(new Flatten(), new Linear(16, 2));
      await fit(model, { x, y, classes: ['a', 'b'], name: 't' }, { epochs: 2, batchSize: 8, optimizer: 'sgd', lr: 0.05, progress: false, ...(aug ? { augment: { flip: true, shift: 1 } } : {}) });
      return Array.from(model.parameters()[0].value.data);
    };
    const a = await run(true);
    expect(await run(true)).to.deep.equal(a);
    expect(await run(false)).to.not.deep.equal(a);
  });
});
