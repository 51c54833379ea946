import { expect } from 'chai';
import { Value, BackwardStep } from '../../src/autograd';
import { DISPLAY } from '../../src/display/mime';

/** Analytic gradients of f at `point` (via backward) beside central differences (float64). */
function checkGrad(name: string, f: (v: Value[]) => Value, point: number[], h = 1e-6): void {
  const leaves = point.map((x, i) => new Value(x, `x${i}`));
  const out = f(leaves);
  out.backward();
  point.forEach((x, i) => {
    const at = (d: number) => f(point.map((p, j) => new Value(j === i ? p + d : p))).data;
    const numeric = (at(h) - at(-h)) / (2 * h);
    const analytic = leaves[i].grad;
    const tol = 1e-6 * Math.max(1, Math.abs(numeric));
    expect(Math.abs(analytic - numeric), `${name} at [${point.join(', ')}]: d/dx${i} analytic ${analytic} vs numeric ${numeric}`).to.be.lessThan(tol);
  });
}

describe('Value: each op against central differences', () => {
  const cases: [string, (v: Value[]) => Value, number[][]][] = [
    ['add', ([a, b]) => a.add(b), [[1.5, -2], [-0.3, 0.7]]],
    ['add number', ([a]) => a.add(3), [[0.4], [-2]]],
    ['sub', ([a, b]) => a.sub(b), [[1.5, -2], [0.1, 0.9]]],
    ['mul', ([a, b]) => a.mul(b), [[1.5, -2], [-0.3, 0.7], [0, 4]]],
    ['mul number', ([a]) => a.mul(-2.5), [[0.4]]],
    ['div', ([a, b]) => a.div(b), [[1.5, -2], [-0.3, 0.7], [2, 0.25]]],
    ['div number by value', ([a]) => new Value(1).div(a), [[0.5], [-3]]],
    ['neg', ([a]) => a.neg(), [[1.5], [-0.2]]],
    ['pow 2', ([a]) => a.pow(2), [[1.5], [-0.7]]],
    ['pow 3', ([a]) => a.pow(3), [[-1.2], [0.8]]],
    ['pow -1', ([a]) => a.pow(-1), [[0.5], [-2]]],
    ['pow 0.5', ([a]) => a.pow(0.5), [[0.3], [4]]],
    ['pow 1.7', ([a]) => a.pow(1.7), [[0.9], [2.5]]],
    ['exp', ([a]) => a.exp(), [[0], [1.3], [-2.1]]],
    ['log', ([a]) => a.log(), [[0.2], [1], [7.5]]],
    ['max, first wins', ([a, b]) => a.max(b), [[2, 1], [-0.5, -3]]],
    ['max, second wins', ([a, b]) => a.max(b), [[1, 2], [-3, -0.5]]],
    ['max number', ([a]) => a.max(0.5), [[1], [0.2]]],
    ['relu positive', ([a]) => a.relu(), [[0.7], [3]]],
    ['relu negative', ([a]) => a.relu(), [[-0.7], [-3]]],
    ['sigmoid', ([a]) => a.sigmoid(), [[0], [2.2], [-3.1], [-40]]],
    ['tanh', ([a]) => a.tanh(), [[0], [0.6], [-1.9]]],
    ['composite', ([a, b, c]) => a.mul(b).add(c.tanh()).sigmoid().mul(a.sub(c).pow(2)).div(b.exp()), [[0.3, -1.2, 0.8], [1.1, 0.4, -0.5]]],
  ];
  for (const [name, f, points] of cases) {
    it(`${name} at ${points.map((p) => `[${p.join(', ')}]`).join(' ')}`, () => {
      for (const p of points) checkGrad(name, f, p);
    });
  }

  it('forward values are the math', () => {
    const a = new Value(2);
    expect(a.add(3).data).to.equal(5);
    expect(a.sub(3).data).to.equal(-1);
    expect(a.div(8).data).to.equal(0.25);
    expect(a.pow(0.5).data).to.be.closeTo(Math.SQRT2, 1e-15);
    expect(a.max(7).data).to.equal(7);
    expect(new Value(-2).relu().data).to.equal(0);
    expect(new Value(0).sigmoid().data).to.equal(0.5);
    expect(new Value(-800).sigmoid().data).to.equal(0); // no overflow in e^800
    expect(new Value(800).sigmoid().data).to.equal(1);
  });

  it('max routes the whole gradient to the larger input, relu to nothing below 0', () => {
    const a = new Value(1), b = new Value(4);
    a.max(b).backward();
    expect([a.grad, b.grad]).to.deep.equal([0, 1]);
    const c = new Value(4), d = new Value(1);
    c.max(d).backward();
    expect([c.grad, d.grad]).to.deep.equal([1, 0]);
    const r = new Value(-0.5);
    r.relu().backward();
    expect(r.grad).to.equal(0);
  });
});

describe('Value: the course examples', () => {
  it('f = (x + y)·z at x = −2, y = 5, z = −4', () => {
    const x = new Value(-2, 'x'), y = new Value(5, 'y'), z = new Value(-4, 'z');
    const q = x.add(y);
    q.label = 'q';
    const f = q.mul(z);
    f.label = 'f';
    f.backward();
    expect(q.data).to.equal(3);
    expect(f.data).to.equal(-12);
    expect(f.grad).to.equal(1);
    expect(z.grad).to.equal(3); // ∂f/∂z = q
    expect(q.grad).to.equal(-4); // ∂f/∂q = z
    expect(x.grad).to.equal(-4); // ∂f/∂x = ∂f/∂q · ∂q/∂x = z · 1
    expect(y.grad).to.equal(-4);
  });

  it('f = 1 / exp(−(x₁ + x₂)·w + max(y₁, y₂)) matches its closed form and central differences', () => {
    // Closed form: with s = (x₁ + x₂)·w and m = max(y₁, y₂), f = 1/exp(−s + m) = exp(s − m), so
    //   ∂f/∂x₁ = ∂f/∂x₂ = f·w,   ∂f/∂w = f·(x₁ + x₂),
    //   ∂f/∂y_k = −f for the larger y (the max routes its gradient there), 0 for the other.
    const build = ([x1, x2, w, y1, y2]: Value[]) => new Value(1).div(x1.add(x2).mul(w).neg().add(y1.max(y2)).exp());
    for (const p of [
      [0.5, -1.5, 2, 0.3, -0.2], // y₁ wins
      [1.2, 0.3, -0.4, -1, 0.6], // y₂ wins
    ]) {
      const leaves = p.map((v) => new Value(v));
      const f = build(leaves);
      f.backward();
      const [x1, x2, w, y1, y2] = p;
      const fv = Math.exp((x1 + x2) * w - Math.max(y1, y2));
      expect(f.data).to.be.closeTo(fv, 1e-12);
      const want = [fv * w, fv * w, fv * (x1 + x2), y1 >= y2 ? -fv : 0, y1 >= y2 ? 0 : -fv];
      leaves.forEach((l, i) => expect(l.grad, `input ${i} at [${p.join(', ')}]`).to.be.closeTo(want[i], 1e-12));
      checkGrad('1/exp(-(x1+x2)w + max(y1,y2))', build, p);
    }
  });
});

describe('Value: backward order and accumulation', () => {
  it('a·a and a + a accumulate both uses', () => {
    const a = new Value(3);
    a.mul(a).backward();
    expect(a.grad).to.equal(6);
    const b = new Value(3);
    b.add(b).backward();
    expect(b.grad).to.equal(2);
  });

  it('a diamond (b = 2a, c = a², d = b·c) sums both paths', () => {
    const a = new Value(1.5);
    const b = a.mul(2), c = a.pow(2);
    const d = b.mul(c); // d = 2a³, dd/da = 6a²
    d.backward();
    expect(a.grad).to.be.closeTo(6 * 1.5 * 1.5, 1e-12);
  });

  it("a node's grad is final before it is pushed to its inputs", () => {
    const a = new Value(0.7, 'a');
    const b = a.mul(a).add(a.exp()); // a used three times, through two paths
    const e = b.tanh().mul(b).add(a);
    const pushed = new Set<Value>();
    const steps: BackwardStep[] = [];
    e.backward((s) => {
      expect(pushed.has(s.child), 'a node received gradient after it was already used').to.equal(false);
      pushed.add(s.parent);
      expect(s.contribution).to.equal(s.local * s.upstream);
      expect(s.upstream).to.equal(s.parent.grad);
      steps.push(s);
    });
    // One step per edge of the graph.
    expect(steps.length).to.equal(e.topo().reduce((n, v) => n + v.children.length, 0));
  });

  it('topo lists each node once, inputs before outputs', () => {
    const a = new Value(1), b = new Value(2);
    const c = a.mul(b).add(a);
    const order = c.topo();
    expect(order.length).to.equal(4);
    expect(order[order.length - 1]).to.equal(c);
    order.forEach((v, i) => v.children.forEach((ch) => expect(order.indexOf(ch)).to.be.lessThan(i)));
  });

  it('backward twice accumulates into leaves (interior nodes restart); zeroGrad resets the whole graph', () => {
    const x = new Value(2);
    const t = x.mul(3);
    const y = t.add(1);
    y.backward();
    expect(x.grad).to.equal(3);
    y.backward();
    expect(x.grad).to.equal(6);
    expect([y.grad, t.grad]).to.deep.equal([1, 1]);
    y.zeroGrad();
    for (const v of y.topo()) expect(v.grad).to.equal(0);
    y.backward();
    expect(x.grad).to.equal(3);
  });

  it('a 5000-long chain does not overflow the stack', () => {
    const x = new Value(0.5);
    let s = x;
    for (let i = 0; i < 5000; i++) s = s.add(x);
    s.backward();
    expect(x.grad).to.equal(5001);
  });
});

describe('Value: errors and display', () => {
  it('names the op and the values', () => {
    expect(() => new Value(-1).log()).to.throw(/^log: input must be > 0, got -1/);
    expect(() => new Value(0).log()).to.throw(/^log: input must be > 0, got 0/);
    expect(() => new Value(1).div(0)).to.throw(/^div: division by zero \(1 \/ 0\)/);
    expect(() => new Value(2).pow(new Value(3) as unknown as number)).to.throw(/^pow: the exponent must be a plain number/);
    expect(() => new Value(-8).pow(1 / 3)).to.throw(/^pow: -8\^0.333.* is not a finite real number/);
    expect(() => new Value(0).pow(0.5)).to.throw(/^pow: local derivative .* Infinity/);
    expect(() => new Value(1000).exp()).to.throw(/^exp: exp\(1000\) overflows/);
    expect(() => new Value(NaN)).to.throw(/^Value: data must be a finite number, got NaN/);
    expect(() => new Value(1).add('2' as unknown as number)).to.throw(/^Value: operand must be a Value or a number, got string/);
  });

  it('shows a text/plain and text/html summary', () => {
    const q = new Value(-2, 'x').add(5);
    q.label = 'q';
    q.backward();
    const b = q[DISPLAY]();
    expect(b['text/plain']).to.equal('Value(q, data=3, grad=1, op=add)');
    expect(b['text/html']).to.contain('<b>q</b>').and.contain('data = 3');
  });
});
