import { expect } from 'chai';
import { DISPLAY } from '../../src/display/mime';
import { conv2d } from '../../src/ops/conv2d';
import { avgPool2d, maxPool2d } from '../../src/ops/pool';
import { Rng } from '../../src/tensor/random';
import { tensor, type Tensor } from '../../src/tensor/tensor';
import { convWalkthrough, poolWalkthrough, reluWalkthrough } from '../../src/viz/walk-ops';
import { decodePng } from './helpers';

const X5 = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
const K3 = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];

function randInt(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, () => rng.int(7) - 3), shape);
}

function grid(t: Tensor): number[][] {
  const [h, w] = t.shape.slice(-2);
  return Array.from({ length: h }, (_, r) => Array.from(t.data.subarray(r * w, (r + 1) * w)));
}

describe('viz/walkthrough', () => {
  it('lecture example: 5×5 ⊛ 3×3 → [[4,3,4],[2,4,3],[2,3,4]] in 9 frames, equal to conv2d naive', () => {
    const wt = convWalkthrough(X5, K3);
    expect(wt.frameCount).to.equal(9);
    expect(wt.output).to.deep.equal([[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
    const y = conv2d(tensor(X5).reshape([1, 1, 5, 5]), tensor(K3).reshape([1, 1, 3, 3]), null, { impl: 'naive' });
    expect(grid(y)).to.deep.equal(wt.output);
    // Frame 1 (output (0,0)) reads the top-left 3×3 window and multiplies element-wise.
    const s0 = wt.steps[0];
    expect(s0.taps).to.deep.equal([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
    expect(s0.terms).to.deep.equal([1, 0, 1, 0, 1, 0, 0, 0, 1]);
    expect(s0.equation).to.equal('1 + 0 + 1 + 0 + 1 + 0 + 0 + 0 + 1 = 4');
    // Frame 5 is the centre: output (1,1).
    expect(wt.steps[4].out).to.deep.equal([1, 1]);
    expect(wt.steps[4].result).to.equal(4);
  });

  it('random small inputs: every stride/padding/dilation combination matches conv2d naive', () => {
    const rng = new Rng(7);
    const combos: { h: number; w: number; kh: number; kw: number; stride: number | [number, number]; padding: number | [number, number] | 'same'; dilation: number }[] = [
      { h: 5, w: 5, kh: 3, kw: 3, stride: 2, padding: 1, dilation: 1 },
      { h: 6, w: 5, kh: 2, kw: 3, stride: [1, 2], padding: [1, 0], dilation: 1 },
      { h: 7, w: 7, kh: 3, kw: 3, stride: 1, padding: 0, dilation: 2 },
      { h: 6, w: 6, kh: 3, kw: 3, stride: 2, padding: 'same', dilation: 1 },
      { h: 4, w: 4, kh: 1, kw: 1, stride: 1, padding: 0, dilation: 1 },
    ];
    for (const c of combos) {
      const x = randInt(rng, [1, 1, c.h, c.w]);
      const k = randInt(rng, [1, 1, c.kh, c.kw]);
      const opts = { stride: c.stride, padding: c.padding, dilation: c.dilation };
      const wt = convWalkthrough(x, k.reshape([c.kh, c.kw]), { ...opts, bias: 0.5 });
      const y = conv2d(x, k, tensor([0.5]), { ...opts, impl: 'naive' });
      expect(wt.output, JSON.stringify(c)).to.deep.equal(grid(y));
      expect(wt.frameCount).to.equal(y.shape[2] * y.shape[3]);
      for (const s of wt.steps) expect(s.result).to.equal(wt.output[s.out[0]][s.out[1]]);
    }
  });

  it('padding cells are shown (zeros around the input) and counted in the window', () => {
    const wt = convWalkthrough(X5, K3, { padding: 1 });
    expect(wt.padded.length).to.equal(7);
    expect(wt.padded[0]).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
    expect(wt.frameCount).to.equal(25);
    expect(wt.steps[0].taps[0]).to.deep.equal([0, 0]);
    // output (0,0) with padding 1: centre pixel x[0,0]=1 plus x[1,1]=1 on the kernel's X
    expect(wt.output[0][0]).to.equal(2);
  });

  it('max and avg pooling walkthroughs equal maxPool2d / avgPool2d', () => {
    const rng = new Rng(3);
    for (const opts of [
      { kernelSize: 2, stride: 2 },
      { kernelSize: 3, stride: 2, padding: 1 },
      { kernelSize: [2, 3] as [number, number], stride: 1 },
    ]) {
      const x = randInt(rng, [1, 1, 6, 6]);
      const mx = poolWalkthrough(x, { ...opts, mode: 'max' });
      expect(mx.output, JSON.stringify(opts)).to.deep.equal(grid(maxPool2d(x, opts)));
      const av = poolWalkthrough(x, { ...opts, mode: 'avg' });
      const ref = grid(avgPool2d(x, opts));
      av.output.forEach((row, i) => row.forEach((v, j) => expect(v).to.be.closeTo(ref[i][j], 1e-6)));
    }
    const lecture = poolWalkthrough([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], { kernelSize: 2, mode: 'max' });
    expect(lecture.output).to.deep.equal([[6, 8], [3, 4]]);
    expect(lecture.steps[0].equation).to.equal('max(1, 1, 5, 6) = 6');
    const padded = poolWalkthrough([[1, 2], [3, 4]], { kernelSize: 2, stride: 1, padding: 1, mode: 'max' });
    expect(padded.padded[0][0]).to.equal(-Infinity);
    expect(padded.frameSvg(0)).to.contain('−∞');
  });

  it('ceil mode (Rohrer\'s 7×7 → 4×4): the last windows hang over the edge, numbers from the op', () => {
    const x = randInt(new Rng(11), [1, 1, 7, 7]);
    const opts = { kernelSize: 2, stride: 2, ceilMode: true };
    const mx = poolWalkthrough(x, { ...opts, mode: 'max' });
    expect(mx.output).to.deep.equal(grid(maxPool2d(x, opts)));
    expect([mx.output.length, mx.padded.length, mx.pad.bottom]).to.deep.equal([4, 8, 1]);
    expect(mx.steps[15].values.slice(1)).to.deep.equal([-Infinity, -Infinity, -Infinity]); // one real cell in the corner window
    const av = poolWalkthrough(x, { ...opts, mode: 'avg' });
    // PyTorch clips the window to the input (no padding here), so the corner divides by 1.
    expect(av.steps[15].equation).to.match(/^\(-?\d \+ 0 \+ 0 \+ 0\) \/ 1 = -?\d$/);
    expect(av.output).to.deep.equal(grid(avgPool2d(x, opts)));
  });

  it('ReLU walkthrough: one frame per cell, y = max(0, x)', () => {
    const wt = reluWalkthrough([[-2, 3], [0.5, -0.25]]);
    expect(wt.frameCount).to.equal(4);
    expect(wt.output).to.deep.equal([[0, 3], [0.5, 0]]);
    expect(wt.steps[3].equation).to.equal('max(0, -0.25) = 0');
  });

  it('bundle: HTML frames + controls, PNG final frame, text; same numbers in the SVG', async () => {
    const wt = convWalkthrough(X5, K3);
    const b = wt[DISPLAY]();
    expect(Object.keys(b).sort()).to.deep.equal(['image/png', 'text/html', 'text/plain']);
    const html = b['text/html'] as string;
    expect(html.match(/<img data-frame=/g)).to.have.length(9);
    // Without JS the final frame is the visible one.
    expect(html).to.match(/data-frame="8" style="max-width:none;display:block"/);
    expect(html).to.match(/data-frame="0" style="max-width:none;display:none"/);
    expect(html).to.contain('data-a="prev"').and.contain('data-a="next"').and.contain('data-a="play"');
    expect(html).not.to.match(/<script[^>]+src=/); // offline: no external scripts
    expect(b['text/plain']).to.contain('4  3  4');
    // Final frame's SVG shows every output number and the last equation.
    const last = wt.frameSvg(8);
    expect(last).to.contain('frame 9 / 9');
    expect(wt.steps[8].equation).to.equal('1 + 0 + 1 + 0 + 1 + 0 + 1 + 0 + 0 = 4');
    expect(last).to.contain(wt.steps[8].equation);
    for (const v of ['>4<', '>3<', '>2<']) expect(last).to.contain(v);
    // PNG fallback: the frame's size, white background, a highlighted (yellow) window cell.
    const png = await decodePng(b['image/png'] as string);
    const size = wt.frameSize();
    expect([png.width, png.height]).to.deep.equal([size.width, size.height]);
    expect(png.at(2, 2)).to.deep.equal([255, 255, 255, 255]);
    // Input cell (4,4) is under the last window: its fill is the window yellow #ffe066.
    const cellW = 44;
    const px = png.at(20 + 4 * cellW + 6, 44 + 22 + 4 * 44 + 6);
    expect(px.slice(0, 3)).to.deep.equal([0xff, 0xe0, 0x66]);
    // Deterministic: the same walkthrough twice gives the same PNG.
    expect(convWalkthrough(X5, K3).png.equals(wt.png)).to.equal(true);
  });

  it('errors name the function and the shapes', () => {
    expect(() => convWalkthrough([[1, 2], [3, 4]], K3)).to.throw(/^convWalkthrough: x \[2, 2\] and k \[3, 3\] do not fit/);
    expect(() => convWalkthrough(tensor([1, 2, 3]), K3)).to.throw(/^convWalkthrough: x must be \[H, W\] or \[1, 1, H, W\], got shape \[3\]/);
    expect(() => poolWalkthrough(X5, { kernelSize: 2, padding: 2 })).to.throw(/^poolWalkthrough: padding 2 along H/);
    expect(() => reluWalkthrough(tensor(new Array(400).fill(1), [20, 20]))).to.throw(/^reluWalkthrough: 400 frames/);
  });
});
