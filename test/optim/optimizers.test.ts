import { expect } from 'chai';
import type { Parameter } from '../../src/layers/module';
import { Adadelta, Adagrad, Adam, Optimizer, SGD, cosineLr, exponentialLr, makeOptimizer, stepLr } from '../../src/optim';
import { adamUpdateJs } from '../../src/optim/adam';
import { adamInWasm } from '../../src/ops/wasm/optim';
import { wasmKernels } from '../../src/ops/wasm/runtime';
import { getOpsImpl, setOpsImpl } from '../../src/ops/engine';
import { Rng } from '../../src/tensor/random';
import { tensor, zeros } from '../../src/tensor/tensor';

function param(values: number[]): Parameter {
  return { name: 'p', value: tensor(values), grad: zeros([values.length]) };
}

/** Loss Σ wᵢ (pᵢ − tᵢ)², the problem the PyTorch reference ran (/tmp script in the report). */
const TARGET = [1.0, -2.0, 0.5, 0.25];
const WEIGHTS = [1.0, 2.0, 3.0, 0.5];
function runWeightedQuadratic(make: (ps: Parameter[]) => Optimizer, steps = 3): number[] {
  const p = param([0.5, -1.5, 2.0, 0.0]);
  const opt = make([p]);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    for (let i = 0; i < 4; i++) p.grad.data[i] = 2 * WEIGHTS[i] * (p.value.data[i] - TARGET[i]);
    opt.step();
  }
  return Array.from(p.value.data);
}

// Values printed by PyTorch 2.x (torch.optim, float32) for 3 steps of the same problem.
const TORCH: Record<string, [(ps: Parameter[]) => Optimizer, number[]]> = {
  'SGD lr 0.1': [(ps) => new SGD(ps, { lr: 0.1 }), [0.7440000176429749, -1.8920000791549683, 0.5960000157356262, 0.0677499994635582]],
  'SGD weight decay': [(ps) => new SGD(ps, { lr: 0.1, weightDecay: 0.01 }), [0.7425214052200317, -1.8886234760284424, 0.5945026874542236, 0.06768002361059189]],
  'SGD momentum+dampening': [
    (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
    [0.743927538394928, -1.9470664262771606, 0.1409652829170227, 0.06385563313961029],
  ],
  'SGD Nesterov': [(ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true }), [0.83633953332901, -2.054176092147827, -0.022259457036852837, 0.09213434159755707]],
  Adam: [(ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.01 }), [0.7950400710105896, -1.7950398921966553, 1.7009021043777466, 0.27976322174072266]],
  AdamW: [(ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.1, decoupled: true }), [0.7777561545372009, -1.7488312721252441, 1.6447348594665527, 0.2774236500263214]],
  Adagrad: [
    (ps) => new Adagrad(ps, { lr: 0.5, lrDecay: 0.1, weightDecay: 0.01, initialAccumulatorValue: 0.1 }),
    [0.9945642352104187, -1.994992971420288, 1.088468313217163, 0.24776877462863922],
  ],
  Adadelta: [(ps) => new Adadelta(ps, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01 }), [0.5096739530563354, -1.5096739530563354, 1.9903035163879395, 0.009639322757720947]],
};

describe('optimizers match PyTorch update rules (3 steps, pinned torch values)', () => {
  for (const [name, [make, expected]] of Object.entries(TORCH)) {
    it(name, () => {
      const got = runWeightedQuadratic(make);
      got.forEach((v, i) => expect(v).to.be.closeTo(expected[i], 2e-6 * Math.max(1, Math.abs(expected[i]))));
    });
  }
});

/** Solve the 3×3 system M x = r by Gaussian elimination with partial pivoting (float64). */
function solve3(M: number[][], r: number[]): number[] {
  const a = M.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let k = c + 1; k < 3; k++) if (Math.abs(a[k][c]) > Math.abs(a[piv][c])) piv = k;
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let k = c + 1; k < 3; k++) {
      const f = a[k][c] / a[c][c];
      for (let j = c; j < 4; j++) a[k][j] -= f * a[c][j];
    }
  }
  const x = [0, 0, 0];
  for (let c = 2; c >= 0; c--) {
    let s = a[c][3];
    for (let j = c + 1; j < 3; j++) s -= a[c][j] * x[j];
    x[c] = s / a[c][c];
  }
  return x;
}

describe('optimizers reach the closed-form least-squares solution', () => {
  // min_x ‖A x − b‖² / (2m), A 40×3 seeded; optimum x* = (AᵀA)⁻¹ Aᵀ b.
  const rng = new Rng(7);
  const m = 40;
  const A = Array.from({ length: m }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const b = A.map((row) => 0.7 * row[0] - 1.3 * row[1] + 2.1 * row[2] + 0.3 * rng.normal());
  const AtA = [0, 1, 2].map((i) => [0, 1, 2].map((j) => A.reduce((s, r) => s + r[i] * r[j], 0)));
  const Atb = [0, 1, 2].map((i) => A.reduce((s, r, k) => s + r[i] * b[k], 0));
  const xStar = solve3(AtA, Atb);

  function fitLs(opt: (ps: Parameter[]) => Optimizer, steps: number): number {
    const p = param([0, 0, 0]);
    const o = opt([p]);
    for (let s = 0; s < steps; s++) {
      o.zeroGrad();
      for (const [k, row] of A.entries()) {
        const e = row[0] * p.value.data[0] + row[1] * p.value.data[1] + row[2] * p.value.data[2] - b[k];
        for (let i = 0; i < 3; i++) p.grad.data[i] += (row[i] * e) / m;
      }
      o.step();
    }
    return Math.hypot(...[0, 1, 2].map((i) => p.value.data[i] - xStar[i]));
  }

  const cases: [string, (ps: Parameter[]) => Optimizer, number][] = [
    ['SGD', (ps) => new SGD(ps, { lr: 0.3 }), 300],
    ['SGD momentum', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 }), 300],
    ['SGD Nesterov', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }), 300],
    ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), 1500],
    ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.5 }), 1500],
    ['Adadelta', (ps) => new Adadelta(ps, { lr: 1, rho: 0.95 }), 4000],
  ];
  for (const [name, make, steps] of cases) {
    it(`${name} converges to x* within 1e-3`, () => {
      const start = Math.hypot(...xStar);
      expect(start).to.be.greaterThan(1); // the optimum is far from the start
      expect(fitLs(make, steps)).to.be.lessThan(1e-3);
    });
  }
});

describe('learning-rate schedules (PyTorch closed forms)', () => {
  it('step, exponential, cosine', () => {
    const s = stepLr({ stepSize: 2, gamma: 0.5 });
    expect([0, 1, 2, 3, 4].map((e) => s(e, 0.8))).to.deep.equal([0.8, 0.8, 0.4, 0.4, 0.2]);
    const x = exponentialLr({ gamma: 0.9 });
    expect(x(3, 1)).to.be.closeTo(0.729, 1e-12);
    const c = cosineLr({ tMax: 4, etaMin: 0.1 });
    expect(c(0, 1.1)).to.be.closeTo(1.1, 1e-12);
    expect(c(2, 1.1)).to.be.closeTo(0.6, 1e-12);
    expect(c(4, 1.1)).to.be.closeTo(0.1, 1e-12);
    expect(c(1, 1.1)).to.be.closeTo(0.1 + (1 * (1 + Math.SQRT1_2)) / 2, 1e-12);
  });
  it('rejects bad arguments with the function name', () => {
    expect(() => stepLr({ stepSize: 0 })).to.throw(/^stepLr: stepSize/);
    expect(() => cosineLr({ tMax: 1.5 })).to.throw(/^cosineLr: tMax/);
  });
});

describe('optimizer argument checks', () => {
  it('reject bad hyper-parameters naming the optimizer', () => {
    expect(() => new SGD([param([1])], { lr: -1 })).to.throw(/^SGD: lr/);
    expect(() => new SGD([param([1])], { nesterov: true })).to.throw(/^SGD: Nesterov/);
    expect(() => new Adam([param([1])], { beta1: 1 })).to.throw(/^Adam: beta1/);
    expect(() => makeOptimizer('rmsprop', [param([1])])).to.throw(/^makeOptimizer: unknown optimizer "rmsprop"/);
    expect(() => new Adagrad([{ name: 'w', value: zeros([2]), grad: zeros([3]) }])).to.throw(/^Adagrad: parameter 0 \(w\)/);
  });
  it('makeOptimizer builds the named kinds', () => {
    const o = makeOptimizer('nesterov', [param([1])], { lr: 0.2 }) as SGD;
    expect(o).to.be.instanceOf(SGD);
    expect([o.lr, o.momentum, o.nesterov]).to.deep.equal([0.2, 0.9, true]);
    expect(makeOptimizer('adadelta', [param([1])]).lr).to.equal(1);
  });
});

describe('Adam: the wasm kernel and the JS loop give the same float32 bits', () => {
  const f = Math.fround;
  const scalars = (t: number, decoupled: boolean, wd: number) => ({
    decoupled, decay: f(decoupled ? 1 - 0.01 * wd : 1), l2: f(decoupled ? 0 : wd), b1: f(0.9), c1: f(1 - 0.9), b2: f(0.999), c2: f(1 - 0.999),
    bc2s: f(Math.sqrt(1 - 0.999 ** t)), eps: f(1e-8), negStep: f(-0.01 / (1 - 0.9 ** t)),
  });
  for (const [decoupled, wd] of [[false, 0], [false, 0.05], [true, 0.1]] as const) {
    it(`${decoupled ? 'AdamW' : 'Adam'}, weight decay ${wd}: 3 steps on 4,099 values (a ragged tail)`, function () {
      if (!wasmKernels()) this.skip();
      const rng = new Rng(21);
      const n = 4099;
      const fill = (scale: number) => Float32Array.from({ length: n }, () => scale * rng.normal());
      const p0 = fill(1);
      const state = () => ({ p: Float32Array.from(p0), m: new Float32Array(n), v: new Float32Array(n) });
      const js = state();
      const wa = state();
      for (let t = 1; t <= 3; t++) {
        const g = fill(t === 2 ? 1e-3 : 3); // small and large gradients
        const s = scalars(t, decoupled, wd);
        adamUpdateJs(js.p, g, js.m, js.v, s);
        adamInWasm(wa.p, g, wa.m, wa.v, s);
      }
      for (const k of ['p', 'm', 'v'] as const) expect(Buffer.from(wa[k].buffer).equals(Buffer.from(js[k].buffer)), k).to.equal(true);
      expect(js.p.some((x, i) => x !== p0[i])).to.equal(true);
    });
  }

  it('Adam keeps its state in wasm memory (read in place) and gives the bits of the plain-JS engine', function () {
    if (!wasmKernels()) this.skip();
    const run = (impl: 'auto' | 'js') => {
      const prev = getOpsImpl();
      setOpsImpl(impl);
      try {
        const rng = new Rng(31);
        const p = { name: 'w', value: tensor(Array.from({ length: 5000 }, () => rng.normal())), grad: zeros([5000]) };
        const opt = new Adam([p], { lr: 0.01, weightDecay: 0.01 });
        for (let t = 0; t < 4; t++) {
          opt.zeroGrad();
          p.grad.data.forEach((_, j) => { p.grad.data[j] = rng.normal(); });
          opt.step();
        }
        return { w: Float32Array.from(p.value.data), state: (opt as unknown as { m: Float32Array[] }).m[0] };
      } finally {
        setOpsImpl(prev);
      }
    };
    const wasm = run('auto');
    const js = run('js');
    expect(wasm.state.buffer instanceof SharedArrayBuffer, 'm is a view of wasm memory').to.equal(true);
    expect(js.state.buffer instanceof SharedArrayBuffer).to.equal(false);
    expect(Buffer.from(wasm.w.buffer).equals(Buffer.from(js.w.buffer))).to.equal(true);
  });

  it('a released block of wasm memory is handed out again, zeroed', function () {
    const m = wasmKernels();
    if (!m) this.skip();
    const a = m.reserve(4000);
    new Float32Array(m.memory.buffer, a, 1000).fill(3);
    m.release(a);
    const b = m.reserve(4000);
    expect(b).to.equal(a);
    expect(new Float32Array(m.memory.buffer, b, 1000).every((x) => x === 0)).to.equal(true);
    expect(m.reserve(4000), 'a block in use is not handed out twice').to.not.equal(b);
  });
});
