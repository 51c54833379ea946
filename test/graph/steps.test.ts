import { expect } from 'chai';
import { Value } from '../../src/autograd';
import { DISPLAY } from '../../src/display/mime';
import { backwardSteps } from '../../src/graph';
import { expectDrawnPng, imgSvgs } from './helpers';

function lecture(): Value {
  const x = new Value(-2, 'x'), y = new Value(5, 'y'), z = new Value(-4, 'z');
  const q = x.add(y);
  q.label = 'q';
  const f = q.mul(z);
  f.label = 'f';
  return f;
}

describe('graph: backwardSteps', () => {
  it('writes the chain rule for (x + y)·z one node at a time', async () => {
    const f = lecture();
    const view = await backwardSteps(f);
    expect(view.frames.map((fr) => fr.name)).to.deep.equal(['f', 'z', 'q', 'y', 'x']);
    expect(view.frames.map((fr) => fr.grad)).to.deep.equal([1, 3, -4, -4, -4]);
    expect(view.frames.map((fr) => fr.text)).to.deep.equal([
      "∂f/∂f = 1 (the output's gradient with respect to itself)",
      '∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × q = 1 × 3 = 3',
      '∂f/∂q = ∂f/∂f · ∂f/∂q = 1 × z = 1 × (−4) = −4',
      '∂f/∂y = ∂f/∂q · ∂q/∂y = (−4) × 1 = −4',
      '∂f/∂x = ∂f/∂q · ∂q/∂x = (−4) × 1 = −4',
    ]);
  });

  it('has one frame per (non-constant) node, each highlighting its node, with controls', async () => {
    const w = [0.5, -1.5, 2, 0.3, -0.2].map((v, i) => new Value(v, ['x1', 'x2', 'w', 'y1', 'y2'][i]));
    const f = new Value(1, 'one').div(w[0].add(w[1]).mul(w[2]).neg().add(w[3].max(w[4])).exp());
    const view = await backwardSteps(f);
    const nodes = f.topo().filter((v) => !v.constant);
    expect(view.frames).to.have.length(nodes.length);
    expect(new Set(view.frames.map((fr) => fr.node))).to.deep.equal(new Set(nodes));
    view.frames.forEach((fr, k) => {
      // Exactly one highlighted box; nodes not reached yet show "grad ?".
      expect(fr.dot.match(/border="3"/g), `frame ${k}`).to.have.length(1);
      expect((fr.dot.match(/grad \?/g) ?? []).length, `frame ${k}`).to.equal(nodes.length - k - 1);
      expect(fr.grad).to.equal(fr.node.grad);
    });
    // max(y1, y2) routes nothing to the smaller y2.
    expect(view.frames.find((fr) => fr.name === 'y2')!.text).to.match(/= 0$/);

    const bundle = view[DISPLAY]();
    const html = bundle['text/html'] as string;
    expect(imgSvgs(html)).to.have.length(nodes.length);
    expect(html).to.contain('data-act="prev"').and.contain('data-act="next"');
    expect(html).to.match(/<div class="tscnn-controls" style="display:none/); // hidden until the script runs
    expect(html).to.match(/<script>\(function\(\)\{var r=document.getElementById\("tscnn-steps-[0-9a-f]+-\d+"\)/);
    expect(html).not.to.match(/<script[^>]+src=/); // nothing external
    expect((bundle['text/plain'] as string).split('\n')).to.have.length(nodes.length);
    await expectDrawnPng(Buffer.from(bundle['image/png'] as string, 'base64'), 'step view final frame');
  });

  it('sums the contributions of a node used several times', async () => {
    const a = new Value(3, 'a');
    const f = a.mul(a).add(a);
    f.label = 'f';
    const view = await backwardSteps(f);
    const last = view.frames[view.frames.length - 1];
    expect(last.name).to.equal('a');
    expect(last.terms).to.have.length(3);
    expect(last.text).to.equal('∂f/∂a = ∂f/∂f · ∂f/∂a + ∂f/∂n1 · ∂n1/∂a + ∂f/∂n1 · ∂n1/∂a = 1 × 1 + 1 × a + 1 × a = 1 × 1 + 1 × 3 + 1 × 3 = 7');
    expect(a.grad).to.equal(7); // backwardSteps ran the real backward pass
  });

  it('restarts from zero on a graph that already ran backward', async () => {
    const f = lecture();
    f.backward();
    f.backward(); // leaves now hold twice the gradient
    const view = await backwardSteps(f);
    expect(view.frames.map((fr) => fr.grad)).to.deep.equal([1, 3, -4, -4, -4]);
  });
});
