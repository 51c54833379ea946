import { expect } from 'chai';
import { Rng, Tensor, randn, seed, tensor, zeros } from '../../src/tensor';
import { numericGrads } from './numeric-grads';
import {
  conv2d, conv2dBackward, conv2dFlops, conv2dGradInput, conv2dGradWeight, conv2dOutputShape, conv2dSpecs, Conv2dOptions, setConv2dWorkspaceLimit,
} from '../../src/ops/conv2d';
import { conv2dBackwardFast, conv2dFast, conv2dWorkspaceSize } from '../../src/ops/conv2d-js';
import { conv2dBackwardNaive, conv2dNaive } from '../../src/ops/conv2d-naive';
import { col2im, im2col, ConvGeometry } from '../../src/ops/im2col';
import { engineGemm, getOpsImpl, Impl, setOpsImpl } from '../../src/ops/engine';
import { fastPathInfo } from '../../src/ops/wasm/runtime';

// ─── local helpers (the general gradcheck lives in src/check) ───────────────────────────

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).to.deep.equal(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

function maxAbs(a: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]));
  return m;
}

/** Element i is ((i·a) mod m − s) / d: the same inputs the PyTorch reference script used. */
function pattern(shape: number[], a: number, m: number, s: number, d: number): Tensor {
  const n = shape.reduce((p, v) => p * v, 1);
  return tensor(Array.from({ length: n }, (_, i) => (((i * a) % m) - s) / d), shape);
}
const patX = (shape: number[]) => pattern(shape, 7, 11, 5, 4);
const patW = (shape: number[]) => pattern(shape, 5, 9, 4, 3);
const patB = (n: number) => tensor(Array.from({ length: n }, (_, i) => ((i % 3) - 1) / 2), [n]);
const patDY = (shape: number[]) => pattern(shape, 3, 7, 3, 2);


/** Largest |analytic − numeric| / max(1, |numeric|). */
function gradError(analytic: Tensor, numeric: Float64Array): number {
  expect(analytic.size).to.equal(numeric.length);
  let m = 0;
  for (let i = 0; i < numeric.length; i++) m = Math.max(m, Math.abs(analytic.data[i] - numeric[i]) / Math.max(1, Math.abs(numeric[i])));
  return m;
}

function expectClose(actual: Tensor, expected: number[], tol: number, what: string): void {
  expect(actual.size, `${what}: size`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual.data[i] - expected[i]), `${what}[${i}] = ${actual.data[i]}, expected ${expected[i]}`).to.be.below(tol);
  }
}

/** The fast path's GEMM engines: plain JS always, WebAssembly SIMD where its module loaded. */
const ENGINES: ('js' | 'wasm')[] = fastPathInfo() === 'wasm-simd' ? ['js', 'wasm'] : ['js'];
const IMPLS: Impl[] = ['naive', ...ENGINES];
const spec = conv2dSpecs[0];

// ─── worked examples from the lecture ───────────────────────────────────────────────────

describe('conv2d: lecture examples', () => {
  for (const impl of IMPLS) {
    it(`5×5 image ⊛ 3×3 kernel = the lecture's 3×3 feature map (${impl})`, () => {
      const image = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]).reshape([1, 1, 5, 5]);
      const kernel = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]]).reshape([1, 1, 3, 3]);
      const y = conv2d(image, kernel, null, { impl });
      expect(y.shape).to.deep.equal([1, 1, 3, 3]);
      expect(y.reshape([3, 3]).toArray()).to.deep.equal([[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
    });

    it(`the curve detector fires 6600 on the curve and 0 elsewhere (${impl})`, () => {
      const filter = zeros([7, 7]);
      for (const [r, c] of [[0, 5], [1, 4], [2, 3], [3, 3], [4, 3], [5, 3]]) filter.set(30, r, c);
      // Receptive field A: a curve close to the filter's.
      const a = zeros([7, 7]);
      for (const [r, c, v] of [[1, 4, 50], [1, 5, 50], [1, 6, 50], [2, 3, 20], [2, 4, 50], [3, 3, 50], [3, 4, 50], [4, 3, 50], [5, 3, 50], [6, 3, 50]]) a.set(v, r, c);
      // Overlap with the filter's non-zeros: (1,4) 50·30 = 1500, (2,3) 20·30 = 600,
      // (3,3), (4,3), (5,3) 3 × 1500 = 4500; (0,5) is 0 in A. Total 1500 + 600 + 4500 = 6600.
      // Receptive field B: the same amount of ink where the filter is zero.
      const b = zeros([7, 7]);
      for (const [r, c] of [[0, 0], [0, 1], [0, 2], [1, 2], [2, 1], [6, 6], [5, 2], [3, 4]]) b.set(50, r, c);
      // Both patches side by side in one 7×14 image; stride 7 visits exactly the two patches.
      const image = zeros([1, 1, 7, 14]);
      for (let r = 0; r < 7; r++) {
        for (let c = 0; c < 7; c++) {
          image.set(a.get(r, c), 0, 0, r, c);
          image.set(b.get(r, c), 0, 0, r, c + 7);
        }
      }
      const y = conv2d(image, filter.reshape([1, 1, 7, 7]), null, { stride: 7, impl });
      expect(y.shape).to.deep.equal([1, 1, 1, 2]);
      expect(y.toList()).to.deep.equal([6600, 0]);
    });
  }
});

describe('conv2d: output sizes', () => {
  it('7×7 input, 3×3 filter: 5×5 at stride 1, 7×7 with pad 1, 3×3 at stride 2', () => {
    expect(conv2dOutputShape([1, 1, 7, 7], [1, 1, 3, 3])).to.deep.equal([1, 1, 5, 5]);
    expect(conv2dOutputShape([1, 1, 7, 7], [1, 1, 3, 3], { padding: 1 })).to.deep.equal([1, 1, 7, 7]);
    expect(conv2dOutputShape([1, 1, 7, 7], [1, 1, 3, 3], { stride: 2 })).to.deep.equal([1, 1, 3, 3]);
    expect(conv2d(randn([1, 1, 7, 7]), randn([1, 1, 3, 3]), null, { stride: 2 }).shape).to.deep.equal([1, 1, 3, 3]);
  });

  it('32×32×3 with ten 5×5 filters, stride 1, pad 2 → [N, 10, 32, 32] and 760 parameters', () => {
    const w = zeros([10, 3, 5, 5]);
    const b = zeros([10]);
    expect(conv2dOutputShape([4, 3, 32, 32], w.shape, { stride: 1, padding: 2 })).to.deep.equal([4, 10, 32, 32]);
    expect(w.size + b.size).to.equal(10 * (5 * 5 * 3) + 10);
    expect(w.size + b.size).to.equal(760);
    expect(conv2d(randn([2, 3, 32, 32]), randn([10, 3, 5, 5]), b, { padding: 2 }).shape).to.deep.equal([2, 10, 32, 32]);
  });

  it("64 filters 5×5×3 with 'same' keep 32×32", () => {
    expect(conv2dOutputShape([2, 3, 32, 32], [64, 3, 5, 5], { padding: 'same' })).to.deep.equal([2, 64, 32, 32]);
  });

  it("'same' with stride 2 gives TensorFlow's ⌈H/S⌉ on even and odd sizes", () => {
    for (const [h, w] of [[8, 8], [7, 7], [6, 5], [1, 2]]) {
      for (const k of [1, 2, 3, 4]) {
        const shape = conv2dOutputShape([1, 1, h, w], [1, 1, k, k], { stride: 2, padding: 'same' });
        expect(shape, `${h}×${w}, kernel ${k}`).to.deep.equal([1, 1, Math.ceil(h / 2), Math.ceil(w / 2)]);
      }
    }
    expect(conv2dOutputShape([1, 1, 7, 5], [1, 1, 3, 3], { stride: [3, 2], padding: 'same' })).to.deep.equal([1, 1, 3, 3]);
  });

  it('counts forward FLOPs as 2·N·Cout·Ho·Wo·(Cin/g)·KH·KW', () => {
    expect(conv2dFlops([64, 6, 14, 14], [16, 6, 5, 5])).to.equal(2 * 64 * 16 * 10 * 10 * 6 * 25);
    expect(conv2dFlops([1, 4, 5, 5], [4, 2, 3, 3], { groups: 2, padding: 1 })).to.equal(2 * 4 * 25 * 2 * 9);
  });
});

// ─── PyTorch reference values ───────────────────────────────────────────────────────────
// Generated once with /usr/bin/python3 + torch 2.x in float64 from the pattern inputs above
// (x = ((7i) mod 11 − 5)/4, w = ((5i) mod 9 − 4)/3, b = (i mod 3 − 1)/2, dy = ((3i) mod 7 − 3)/2):
//   F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=…)   for TensorFlow's 'same',
//   F.conv2d(x, w, b, stride=…, padding=…, dilation=…, groups=…)    otherwise,
// and (y * dy).sum().backward() for the gradients. Rounded to 5 decimals.

describe('conv2d: PyTorch reference values', () => {
  const refA = {
    y: [-1.83333, -1.83333, 1.0, 1.83333, -2.75, 1.0, -1.41667, -2.91667, -1.58333, -1.33333, -1.33333, 1.5, 2.33333, -2.25, 1.5, -0.91667, -2.41667, -1.08333],
    dx: [0.0, -0.0, 0.66667, -0.16667, -2.83333, 0.83333, -0.0, 0.0, -0.33333, 0.33333, 1.16667, -1.66667, 2.0, -0.5, -0.33333, -0.16667, 1.0, 2.5, -1.0, 1.0, -0.5, -1.0, -0.16667, 1.66667, -0.16667, -1.83333, -1.0, 2.0, 1.5, -3.5, 0.33333, -0.33333, 0.5, 0.0, -0.33333, 0.33333, 0.0, -0.0, 0.66667, -0.16667, -2.83333, 0.83333, -0.0, 0.0, -0.33333, 0.33333, 1.16667, -1.66667, 2.0, -0.5, -0.33333, -0.16667, 1.0, 2.5, -1.0, 1.0, -0.5, -1.0, -0.16667, 1.66667, -0.16667, -1.83333, -1.0, 2.0, 1.5, -3.5, 0.33333, -0.33333, 0.5, 0.0, -0.33333, 0.33333],
    dw: [3.375, -0.625, -2.0, 0.0, 0.125, -1.0, -2.375, 0.875, -1.0, -0.375, -0.25, -1.5, -2.375, 0.5, 2.25, -2.25, 1.0, -0.75, -0.25, -2.625, -1.0, 3.375, -3.125, -2.0, -1.5, -1.5, 2.5, 3.625, -2.875, -1.5, -1.0, 3.5, -1.125, -1.5, -1.5, 2.375],
    db: [-1.5, 1.0],
  };
  const refs: { name: string; x: number[]; w: number[]; bias: boolean; opts: Conv2dOptions; shape: number[]; y: number[] }[] = [
    {
      // TF 'same', stride 2 on 6×6, 3×3: total pad 1 → top 0, bottom 1, left 0, right 1 (F.pad(x, (0,1,0,1))).
      name: "x=[1,2,6,6] w=[2,2,3,3] s=2 p=same", x: [1, 2, 6, 6], w: [2, 2, 3, 3], bias: true, opts: { stride: 2, padding: 'same' }, shape: [1, 2, 3, 3], y: refA.y,
    },
    {
      name: 'x=[1,2,7,7] w=[2,2,3,3] p=1 d=2', x: [1, 2, 7, 7], w: [2, 2, 3, 3], bias: true, opts: { padding: 1, dilation: 2 }, shape: [1, 2, 5, 5],
      y: [-2.16667, -1.5, 0.0, 1.5, -0.0, -0.5, 0.41667, 0.41667, 2.25, -3.66667, 0.16667, 2.25, -1.41667, -4.16667, 0.0, 1.75, -4.16667, -1.41667, -0.5, 1.83333, -1.83333, -1.5, 2.33333, -2.08333, -0.5, -1.66667, -1.0, 0.5, 2.0, 0.5, -0.0, 0.91667, 0.91667, 2.75, -3.16667, 0.66667, 2.75, -0.91667, -3.66667, 0.5, 2.25, -3.66667, -0.91667, -0.0, 2.33333, -1.33333, -1.0, 2.83333, -1.58333, 0.0],
    },
    {
      name: 'x=[1,4,5,5] w=[4,2,3,3] s=2 p=1 g=2', x: [1, 4, 5, 5], w: [4, 2, 3, 3], bias: true, opts: { stride: 2, padding: 1, groups: 2 }, shape: [1, 4, 3, 3],
      y: [-2.08333, 2.16667, 3.25, -2.0, 0.5, -2.33333, -0.25, 2.91667, 0.41667, -1.58333, 2.66667, 3.75, -1.5, 1.0, -1.83333, 0.25, 3.41667, 0.91667, -0.91667, 1.16667, 1.41667, 1.66667, -3.08333, -1.33333, -1.66667, -0.58333, 4.25, -1.91667, 0.16667, 0.41667, 0.66667, -4.08333, -2.33333, -2.66667, -1.58333, 3.25],
    },
    {
      name: 'x=[1,2,5,6] w=[2,2,3,2] b=null s=[2,1] p=[1,2]', x: [1, 2, 5, 6], w: [2, 2, 3, 2], bias: false, opts: { stride: [2, 1], padding: [1, 2] }, shape: [1, 2, 3, 9],
      y: [0.0, 0.25, 0.08333, -0.66667, 3.16667, -2.16667, -0.16667, 1.25, 0.0, 0.0, 1.08333, -2.08333, 1.75, 1.0, -1.58333, -1.41667, 0.91667, 0.0, 0.0, 0.33333, 1.58333, 1.41667, -1.5, -1.66667, 1.83333, -0.91667, 0.0, 0.0, 1.0, 0.83333, -1.16667, -1.33333, 3.08333, -1.66667, -1.25, 0.0, 0.0, 0.33333, -2.08333, -1.25, 3.25, -2.33333, 0.33333, 0.41667, 0.0, 0.0, 0.08333, -1.41667, 2.91667, -1.0, 0.58333, 0.33333, -0.91667, 0.0],
    },
    {
      // TF 'same', stride 1, even 2×2 kernel: total pad 1 goes bottom/right (F.pad(x, (0,1,0,1))).
      name: 'x=[1,1,5,5] w=[1,1,2,2] b=null p=same', x: [1, 1, 5, 5], w: [1, 1, 2, 2], bias: false, opts: { padding: 'same' }, shape: [1, 1, 5, 5],
      y: [3.25, -1.83333, 0.41667, -0.08333, -1.08333, 0.75, 0.25, -1.16667, 2.91667, -2.25, -0.83333, 3.25, -1.83333, 0.41667, -0.66667, -1.5, 0.75, 0.25, -1.16667, 1.83333, -1.08333, -0.08333, 1.83333, -0.83333, 0.66667],
    },
  ];

  for (const impl of IMPLS) {
    for (const r of refs) {
      it(`forward ${r.name} matches PyTorch (${impl})`, () => {
        const y = conv2d(patX(r.x), patW(r.w), r.bias ? patB(r.w[0]) : null, { ...r.opts, impl });
        expect(y.shape).to.deep.equal(r.shape);
        expectClose(y, r.y, 2e-5, 'y');
      });
    }

    it(`backward x=[1,2,6,6] w=[2,2,3,3] s=2 p=same matches PyTorch autograd (${impl})`, () => {
      const x = patX([1, 2, 6, 6]);
      const w = patW([2, 2, 3, 3]);
      const g = conv2dBackward(patDY([1, 2, 3, 3]), x, w, { stride: 2, padding: 'same', impl });
      expectClose(g.dx, refA.dx, 2e-5, 'dx');
      expectClose(g.dw, refA.dw, 2e-5, 'dw');
      expectClose(g.db, refA.db, 2e-5, 'db');
    });
  }
});

// ─── fast vs naive, and numeric gradients ───────────────────────────────────────────────

describe('conv2d: fast path agrees with the naive loops', () => {
  for (const engine of ENGINES) {
    for (const c of spec.cases) {
      it(`${c.name} (${engine})`, () => {
        const rng = new Rng(7);
        const [x, w, b] = c.shapes.map((s) => randn(s, { rng }));
        const yn = conv2dNaive(x, w, b ?? null, c.attrs);
        const yf = conv2dFast(x, w, b ?? null, c.attrs, engineGemm(engine));
        expect(yf.shape).to.deep.equal(yn.shape);
        expect(maxAbsDiff(yf, yn)).to.be.below(1e-5);
        const dy = randn(yn.shape, { rng });
        const gn = conv2dBackwardNaive(dy, x, w, c.attrs);
        const gf = conv2dBackwardFast(dy, x, w, c.attrs, engineGemm(engine));
        expect(maxAbsDiff(gf.dx, gn.dx), 'dx').to.be.below(1e-5);
        expect(maxAbsDiff(gf.dw, gn.dw), 'dw').to.be.below(1e-5);
        expect(maxAbsDiff(gf.db, gn.db), 'db').to.be.below(1e-5);
      });
    }
  }

  // Bigger shapes cross the GEMM's cache blocks (MC = 64 rows, KC = 256 deep, NC = 1024 columns).
  const big: [number[], number[], Conv2dOptions][] = [
    [[2, 8, 15, 13], [12, 8, 3, 3], { padding: 1 }],
    [[1, 6, 20, 19], [8, 3, 5, 5], { stride: 2, padding: 'same', groups: 2 }],
    [[2, 16, 9, 9], [70, 16, 1, 1], {}],
    [[1, 32, 34, 34], [70, 32, 3, 3], { padding: 1 }],
    [[1, 12, 11, 11], [12, 1, 3, 3], { groups: 12, dilation: 2, padding: 2 }],
  ];
  for (const [xs, ws, opts] of big) for (const engine of ENGINES) {
    it(`random x=[${xs}] w=[${ws}] ${JSON.stringify(opts)} (${engine})`, () => {
      const rng = new Rng(11);
      const x = randn(xs, { rng });
      const w = randn(ws, { rng });
      const b = randn([ws[0]], { rng });
      const yn = conv2dNaive(x, w, b, opts);
      const yf = conv2dFast(x, w, b, opts, engineGemm(engine));
      const tol = 1e-5 * Math.max(1, maxAbs(yn));
      expect(maxAbsDiff(yf, yn)).to.be.below(tol);
      const dy = randn(yn.shape, { rng });
      const gn = conv2dBackwardNaive(dy, x, w, opts);
      const gf = conv2dBackwardFast(dy, x, w, opts, engineGemm(engine));
      expect(maxAbsDiff(gf.dx, gn.dx), 'dx').to.be.below(1e-5 * Math.max(1, maxAbs(gn.dx)));
      expect(maxAbsDiff(gf.dw, gn.dw), 'dw').to.be.below(1e-5 * Math.max(1, maxAbs(gn.dw)));
      expect(maxAbsDiff(gf.db, gn.db), 'db').to.be.below(1e-5 * Math.max(1, maxAbs(gn.db)));
    });
  }

  it('unfolds large images in bands of output rows under the workspace cap, with the same results (js)', () => {
    const rng = new Rng(13);
    const x = randn([2, 3, 11, 9], { rng });
    const w = randn([4, 3, 3, 3], { rng });
    const b = randn([4], { rng });
    const opts: Conv2dOptions = { padding: 'same', stride: [2, 1] };
    const y = conv2dFast(x, w, b, opts);
    const dy = randn(y.shape, { rng });
    const g = conv2dBackwardFast(dy, x, w, opts);
    // K = 27, Wo = 9: a cap of 27·9·2 floats forces bands of 2 output rows (6 rows → 3 bands),
    // and a cap of 1 float still unfolds one row at a time.
    for (const cap of [27 * 9 * 2, 1]) {
      const prev = setConv2dWorkspaceLimit(cap);
      try {
        expect(maxAbsDiff(conv2dFast(x, w, b, opts), y), `y, cap ${cap}`).to.be.below(1e-5);
        const gb = conv2dBackwardFast(dy, x, w, opts);
        expect(maxAbsDiff(gb.dx, g.dx), `dx, cap ${cap}`).to.be.below(1e-5);
        expect(maxAbsDiff(gb.dw, g.dw), `dw, cap ${cap}`).to.be.below(1e-5);
      } finally {
        setConv2dWorkspaceLimit(prev);
      }
    }
    expect(maxAbsDiff(y, conv2dNaive(x, w, b, opts))).to.be.below(1e-5);
    expect(() => setConv2dWorkspaceLimit(0)).to.throw(/^setConv2dWorkspaceLimit: floats must be a positive integer, got 0/);
  });

  it('reuses its scratch buffer instead of allocating per call (js)', () => {
    const x = randn([1, 4, 12, 12]);
    const w = randn([4, 4, 3, 3]);
    conv2dFast(x, w, null);
    const size = conv2dWorkspaceSize();
    expect(size).to.be.at.least(4 * 9 * 10 * 10);
    conv2dFast(x, w, null);
    conv2dBackwardFast(randn([1, 4, 10, 10]), x, w);
    expect(conv2dWorkspaceSize()).to.equal(size);
  });

  it('dispatches on opts.impl and on the global default', () => {
    const prev = getOpsImpl();
    try {
      const x = randn([1, 2, 5, 5]);
      const w = randn([3, 2, 3, 3]);
      setOpsImpl('naive');
      expect(getOpsImpl()).to.equal('naive');
      const yn = conv2d(x, w, null);
      setOpsImpl('js');
      const yf = conv2d(x, w, null);
      expect(maxAbsDiff(yn, yf)).to.be.below(1e-5);
      const dy = randn(yn.shape);
      expect(maxAbsDiff(conv2dGradInput(dy, x, w, { impl: 'naive' }), conv2dBackward(dy, x, w).dx)).to.be.below(1e-5);
      expect(maxAbsDiff(conv2dGradWeight(dy, x, w, { impl: 'naive' }), conv2dBackward(dy, x, w).dw)).to.be.below(1e-5);
    } finally {
      setOpsImpl(prev);
    }
  });
});

describe('conv2d: backward matches central differences', () => {
  for (const impl of IMPLS) {
    for (const c of spec.cases) {
      it(`${c.name} (${impl})`, () => {
        const rng = new Rng(3);
        const inputs = c.shapes.map((s) => randn(s, { rng }));
        const attrs = { ...c.attrs, impl };
        const y = spec.forward(inputs, attrs);
        const r = randn(y.shape, { rng });
        const analytic = spec.backward(r, inputs, attrs);
        expect(analytic.length).to.equal(inputs.length);
        const numeric = numericGrads((ins) => spec.forward(ins, attrs), inputs, r);
        numeric.forEach((g, k) => expect(gradError(analytic[k]!, g), `d${spec.inputs[k]}`).to.be.below(1e-3));
      });
    }
  }
});

// ─── im2col / col2im ───────────────────────────────────────────────────────────────────

describe('im2col / col2im', () => {
  const geom: ConvGeometry = { C: 2, H: 5, W: 6, KH: 3, KW: 2, strideH: 2, strideW: 1, dilationH: 1, dilationW: 2, pad: { top: 1, bottom: 0, left: 0, right: 2 }, Ho: 2, Wo: 6 };

  it('lays out cols[(c·KH + p)·KW + q, i·Wo + j] = x[c, i·SH − top + p·DH, j·SW − left + q·DW]', () => {
    const x = randn([2, 5, 6]);
    const K = 2 * 3 * 2;
    const L = 2 * 6;
    const cols = new Float32Array(K * L + 3).fill(NaN); // dirty buffer: every entry must be written
    im2col(x.data, 0, geom, cols, 3);
    for (let c = 0; c < 2; c++) for (let p = 0; p < 3; p++) for (let q = 0; q < 2; q++) {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 6; j++) {
        const h = i * 2 - 1 + p;
        const w = j + q * 2;
        const want = h >= 0 && h < 5 && w >= 0 && w < 6 ? x.get(c, h, w) : 0;
        expect(cols[3 + ((c * 3 + p) * 2 + q) * L + i * 6 + j]).to.equal(want);
      }
    }
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩', () => {
    seed(5);
    const x = randn([2, 5, 6]);
    const c = randn([12 * 12]);
    const cols = new Float32Array(12 * 12);
    im2col(x.data, 0, geom, cols, 0);
    const back = new Float32Array(x.size);
    col2im(c.data, 0, geom, back, 0);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < cols.length; i++) lhs += cols[i] * c.data[i];
    for (let i = 0; i < back.length; i++) rhs += x.data[i] * back[i];
    expect(Math.abs(lhs - rhs)).to.be.below(1e-4 * Math.max(1, Math.abs(lhs)));
  });
});

// ─── bad input ─────────────────────────────────────────────────────────────────────────

describe('conv2d: errors name the op and the shapes', () => {
  const x = zeros([1, 4, 5, 5]);
  const w = zeros([2, 4, 3, 3]);

  it('rejects wrong ranks', () => {
    expect(() => conv2d(zeros([3, 4]), w, null)).to.throw(/^conv2d: x must be rank 4 \[N, C, H, W\], got shape \[3, 4\]$/);
    expect(() => conv2d(x, zeros([2, 4, 3]), null)).to.throw(/^conv2d: w must be rank 4 \[Cout, Cin\/groups, KH, KW\], got shape \[2, 4, 3\]$/);
    expect(() => conv2dOutputShape([1, 4, 5], [2, 4, 3, 3])).to.throw(/^conv2dOutputShape: x must be rank 4/);
  });

  it('rejects a channel mismatch, naming both shapes and groups', () => {
    expect(() => conv2d(x, zeros([2, 3, 3, 3]), null)).to.throw(/^conv2d: channel mismatch: x \[1, 4, 5, 5\] has Cin = 4, so with groups = 1 w needs Cin\/groups = 4 .* w is \[2, 3, 3, 3\]/);
    expect(() => conv2d(x, zeros([2, 4, 3, 3]), null, { groups: 2 })).to.throw(/^conv2d: channel mismatch: .*groups = 2 w needs Cin\/groups = 2 .*\[2, 4, 3, 3\]/);
  });

  it('rejects groups that do not divide Cin or Cout', () => {
    expect(() => conv2d(x, zeros([3, 2, 3, 3]), null, { groups: 3 })).to.throw(/^conv2d: groups = 3 must divide the input channels Cin = 4 \(x \[1, 4, 5, 5\]\)/);
    expect(() => conv2d(x, zeros([3, 2, 3, 3]), null, { groups: 2 })).to.throw(/^conv2d: groups = 2 must divide the output channels Cout = 3 \(w \[3, 2, 3, 3\]\)/);
    expect(() => conv2d(x, w, null, { groups: 0 })).to.throw(/^conv2d: groups must be a positive integer, got 0/);
  });

  it('rejects a kernel larger than the padded input', () => {
    expect(() => conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 5, 5]), null)).to.throw(
      /^conv2d: along H, kernel 5 is larger than the padded input 3 \+ 0 \+ 0 = 3 \(x \[1, 1, 3, 3\], w \[1, 1, 5, 5\]\)/,
    );
    expect(() => conv2d(zeros([1, 1, 9, 3]), zeros([1, 1, 3, 3]), null, { dilation: 2 })).to.throw(/^conv2d: along W, kernel 3 \(dilation 2 → effective 5\) is larger than the padded input 3/);
    // With padding 1 the 5×5 kernel fits a 3×3 input: 3 + 1 + 1 = 5.
    expect(conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 5, 5]), null, { padding: 1 }).shape).to.deep.equal([1, 1, 1, 1]);
  });

  it('rejects non-positive stride and dilation and unknown padding', () => {
    expect(() => conv2d(x, w, null, { stride: 0 })).to.throw(/^conv2d: stride must be a positive integer or \[h, w\] of them, got 0/);
    expect(() => conv2d(x, w, null, { stride: [1, -2] })).to.throw(/^conv2d: stride must be a positive .*got \[1,-2\]/);
    expect(() => conv2d(x, w, null, { dilation: 0 })).to.throw(/^conv2d: dilation must be a positive integer/);
    expect(() => conv2d(x, w, null, { padding: 'full' as 'same' })).to.throw(/^conv2d: padding must be a number, \[h, w\], 'valid' or 'same', got 'full'/);
    expect(() => conv2d(x, w, null, { padding: -1 })).to.throw(/^conv2d: padding must be a non-negative integer/);
  });

  it('rejects a bias of the wrong shape', () => {
    expect(() => conv2d(x, w, zeros([3]))).to.throw(/^conv2d: b must have shape \[Cout\] = \[2\] for w \[2, 4, 3, 3\], got \[3\]/);
    expect(() => conv2d(x, w, zeros([2, 1]))).to.throw(/^conv2d: b must have shape \[Cout\] = \[2\] .*got \[2, 1\]/);
  });

  it('rejects dy that is not the forward output shape', () => {
    for (const impl of IMPLS) {
      expect(() => conv2dBackward(zeros([1, 2, 3, 4]), x, w, { impl })).to.throw(
        /^conv2dBackward: dy must have the output shape \[1, 2, 3, 3\] of conv2d\(x \[1, 4, 5, 5\], w \[2, 4, 3, 3\]\), got \[1, 2, 3, 4\]/,
      );
    }
    expect(() => conv2dBackward(zeros([1, 2, 3, 3]), zeros([4, 5]), w)).to.throw(/^conv2dBackward: x must be rank 4/);
  });

  it('rejects an unknown impl', () => {
    expect(() => conv2d(x, w, null, { impl: 'gpu' as 'fast' })).to.throw(/^conv2d: impl must be one of auto, naive, fast.* got "gpu"/);
    expect(() => setOpsImpl('gpu' as 'fast')).to.throw(/^setOpsImpl: impl must be one of/);
  });
});
