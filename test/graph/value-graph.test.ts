import { expect } from 'chai';
import { Value } from '../../src/autograd';
import { DISPLAY } from '../../src/display/mime';
import { pngSize, svgToPng } from '../../src/display/svg';
import { drawGraph, valueGraphDot } from '../../src/graph';
import { renderSvg } from '../../src/graph/render';
import { expectDrawnPng, imgSvgs } from './helpers';

/** The lecture's f = (x + y)·z at x = −2, y = 5, z = −4. */
function lecture(): { x: Value; y: Value; z: Value; q: Value; f: Value } {
  const x = new Value(-2, 'x'), y = new Value(5, 'y'), z = new Value(-4, 'z');
  const q = x.add(y);
  q.label = 'q';
  const f = q.mul(z);
  f.label = 'f';
  return { x, y, z, q, f };
}

/** Node statements `v3 [...]` and edges `a -> b [...]` of a DOT string. */
function edges(dot: string): string[] {
  return [...dot.matchAll(/^\s*(\w+) -> (\w+)/gm)].map((m) => `${m[1]}->${m[2]}`);
}

describe('graph: Value graphs in DOT', () => {
  it('has a box per value, a circle per op and every wire of (x + y)·z', () => {
    const { f } = lecture();
    const dot = valueGraphDot(f);
    for (const name of ['x', 'y', 'z', 'q', 'f']) expect(dot).to.match(new RegExp(`<b>${name}</b>`));
    for (const d of ['data -2', 'data 5', 'data -4', 'data 3', 'data -12']) expect(dot).to.contain(d);
    expect(dot).to.contain('label="+"').and.contain('label="×"');
    expect(dot).not.to.contain('grad'); // no backward yet: the forward view
    // topo order x, y, q, z, f → v0, v1, v2, v3, v4; ops o2 (+) and o4 (×)
    expect(edges(dot).sort()).to.deep.equal(['o2->v2', 'o4->v4', 'v0->o2', 'v1->o2', 'v2->o4', 'v3->o4'].sort());
  });

  it('after backward shows each grad and the gradient each wire carries back', () => {
    const { f } = lecture();
    f.backward();
    const dot = valueGraphDot(f);
    for (const g of ['grad -4', 'grad 3', 'grad 1']) expect(dot).to.contain(g);
    expect(dot).to.match(/v2 -> o4 \[label="-4"/); // q receives z · 1 = −4
    expect(dot).to.match(/v3 -> o4 \[label="3"/); // z receives q · 1 = 3
    expect(dot).to.match(/v0 -> o2 \[label="-4"/);
  });

  it('draws a value used twice with two wires whose gradients add up', () => {
    const a = new Value(3, 'a');
    const b = a.mul(a);
    b.backward();
    const dot = valueGraphDot(b);
    expect(edges(dot).filter((e) => e === 'v0->o1')).to.have.length(2);
    expect(dot.match(/v0 -> o1 \[label="3"/g)).to.have.length(2);
    expect(dot).to.contain('grad 6');
  });

  it('draws constants small and names unnamed nodes n1, n2, …', () => {
    const x = new Value(2, 'x');
    const f = x.pow(2).add(1);
    const dot = valueGraphDot(f);
    expect(dot).to.contain('label="^2"').and.contain('<b>n1</b>').and.contain('<b>f</b>');
    expect(dot).to.match(/shape=box, style="rounded,filled".*label="1"/);
  });
});

describe('graph: drawGraph output', () => {
  it('bundles text/html with an SVG <img>, a drawn image/png and text/plain', async () => {
    const { f } = lecture();
    f.backward();
    const view = await drawGraph(f, { title: 'f = (x + y)·z' });
    const bundle = view[DISPLAY]();
    expect(Object.keys(bundle).sort()).to.deep.equal(['image/png', 'text/html', 'text/plain']);
    const html = bundle['text/html'] as string;
    expect(html).to.match(/<img [^>]*src="data:image\/svg\+xml;base64,/);
    const [svg] = imgSvgs(html);
    expect(svg).to.equal(view.svg);
    expect(svg).to.contain('f = (x + y)·z');
    // A bare <svg> root with its namespace: valid as an <img> data URI, no prolog, no comments.
    expect(svg).to.match(/^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.to.contain('<!--');
    expect(svg.replace(/&#45;/g, '-')).to.contain('grad -4'); // graphviz writes '-' as &#45;
    const png = Buffer.from(bundle['image/png'] as string, 'base64');
    expect(png.equals(view.png)).to.equal(true);
    const size = await expectDrawnPng(png, 'drawGraph PNG');
    // Projector-sized: 14 pt text is 17.5 px at scale 1, so five boxes in a row span > 500 px.
    expect(size.width).to.be.greaterThan(500);
    expect(bundle['text/plain']).to.equal(['x = -2   grad -4', 'y = 5   grad -4', 'q = +(x, y) = 3   grad -4', 'z = -4   grad 3', 'f = ×(q, z) = -12   grad 1'].join('\n'));
    expect(view.dot).to.contain('digraph');
  });

  it('uses 14 pt text or larger everywhere', async () => {
    const { f } = lecture();
    f.backward();
    const view = await drawGraph(f, { rankdir: 'TB' });
    const sizes = [...view.svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).to.be.greaterThan(5);
    expect(Math.min(...sizes)).to.be.at.least(14);
    expect(view.dot).to.contain('rankdir=TB');
  });

  it('svgToPng scales and pngSize rejects non-PNGs', async () => {
    const svg = await renderSvg('digraph { a -> b }');
    const one = pngSize(svgToPng(svg, { scale: 1 }));
    const two = pngSize(svgToPng(svg, { scale: 2 }));
    expect(two.width).to.be.closeTo(2 * one.width, 1);
    expect(two.height).to.be.closeTo(2 * one.height, 1);
    expect(() => pngSize(Buffer.from('GIF89a............................'))).to.throw(/^pngSize: not a PNG/);
    expect(() => svgToPng('<svg', {}), 'svgToPng accepted broken SVG').to.throw(/^svgToPng: /);
  });

  it('reports graphviz syntax errors with the function name', async () => {
    await renderSvg('digraph { a -> }', 'drawGraph').then(
      () => expect.fail('no error'),
      (e: Error) => expect(e.message).to.match(/^drawGraph: graphviz failed: .*syntax error/),
    );
  });
});
