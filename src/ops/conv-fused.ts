/**
 * conv2d fused with what follows it in a CNN block: ReLU, and ReLU then 2×2 max pooling with
 * stride 2 (LeNet's C1 → S2, VGG's last conv of a stage). Each gives the bits of the ops one
 * after the other; the wasm engine does the extra steps inside the conv's own chunks (the ReLU
 * as each output is stored, the pooling while the planes are in cache) and, going back, folds
 * the pooling's scatter and ReLU's mask into the conv backward — no pass over the feature map in
 * between, and no copies of it in and out of wasm memory. `Sequential` uses these for the layer
 * runs Conv2d → ReLU (→ MaxPool2d(2)) (src/layers/sequential.ts).
 */
import { allocFloat32, recycleFloat32 } from '../tensor/buffers';
import { opError } from '../tensor/errors';
import { Tensor } from '../tensor/tensor';
import { relu } from './activations';
import { Conv2dOptions, conv2dForwardParams } from './conv-plan';
import { checkWinogradEngine, conv2d, conv2dBackward, conv2dGradBias, conv2dGradWeight } from './conv2d';
import { conv2dUsesWinograd, conv2dWasm, conv2dWinogradTile } from './conv2d-wasm';
import { pickEngine } from './engine';
import { maxPool2dWithIndices } from './pool-max';
import { convBackwardInWasm, convReluPoolInWasm } from './wasm/conv';

/** relu(conv2d(x, w, b, opts)): in the wasm engine the ReLU is applied as each output is stored. */
export function conv2dRelu(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const engine = pickEngine('conv2d', opts.impl);
  checkWinogradEngine('conv2d', engine, opts);
  if (engine === 'wasm') return conv2dWasm(x, w, b, opts, true);
  const y = conv2d(x, w, b, opts);
  const out = relu(y);
  recycleFloat32(y.data); // nobody else saw the pre-activation
  return out;
}

/** What conv → ReLU → 2×2/2 max pooling returns: the ReLU's output y, the pooled y and its argmax (maxPool2dWithIndices's). */
export interface ConvReluPool {
  y: Tensor;
  pooled: Tensor;
  indices: Int32Array;
}

/** The pooling these fused ops run: 2×2 windows, stride 2, no padding (floor mode). */
export const POOL_2X2 = { kernelSize: 2, stride: 2 } as const;

/**
 * maxPool2d(relu(conv2d(x, w, b, opts)), 2×2, stride 2) with its indices, and the ReLU's output
 * y (which the ReLU and pooling layers cache for their own backward).
 */
export function conv2dReluPool(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}, indicesOut?: Int32Array): ConvReluPool {
  const engine = pickEngine('conv2d', opts.impl);
  checkWinogradEngine('conv2d', engine, opts);
  if (engine !== 'wasm') {
    const y = conv2dRelu(x, w, b, opts);
    const r = maxPool2dWithIndices(y, POOL_2X2, indicesOut);
    return { y, pooled: r.y, indices: r.indices };
  }
  const p = conv2dForwardParams('conv2d', x, w, b, opts);
  const r = convReluPoolInWasm(p, x.data, w.data, b ? b.data : null, conv2dWinogradTile(p, opts), indicesOut);
  return { y: new Tensor(r.y, [p.N, p.Cout, p.Ho, p.Wo]), pooled: new Tensor(r.pooled, [p.N, p.Cout, p.Ho >> 1, p.Wo >> 1]), indices: r.indices };
}

/** The gradient at the pooled output of conv2dReluPool, with what its backward needs from the forward. */
export interface PooledGradient {
  /** dL/d(pooled) [N, Cout, ⌊Ho/2⌋, ⌊Wo/2⌋] */
  dy: Tensor;
  indices: Int32Array;
  pooled: Tensor;
}

/**
 * conv2d's gradients from the gradient at the pooled output of conv2dReluPool: the bits of
 * maxPool2dBackward → reluBackward → conv2dBackward. `gradInput` false (a first layer) skips dX
 * and returns dx null.
 */
export function conv2dBackwardThroughPool(g: PooledGradient, x: Tensor, w: Tensor, opts: Conv2dOptions = {}, gradInput = true): { dx: Tensor | null; dw: Tensor; db: Tensor } {
  const op = 'conv2dBackward';
  const engine = pickEngine('conv2dBackward', opts.impl);
  checkWinogradEngine(op, engine, opts);
  const p = conv2dForwardParams(op, x, w, null, opts); // the sizes conv2dBackwardParams checks dy against
  const want = [p.N, p.Cout, p.Ho >> 1, p.Wo >> 1];
  if (g.dy.shape.join() !== want.join() || g.pooled.size !== g.dy.size || g.indices.length !== g.dy.size) {
    throw opError(op, `the pooled gradient must be [${want.join(', ')}] with as many pooled values and indices, got dy [${g.dy.shape.join(', ')}], ${g.pooled.size} values, ${g.indices.length} indices`);
  }
  if (engine === 'wasm') {
    const r = convBackwardInWasm(p, { dp: g.dy.data, indices: g.indices, pooled: g.pooled.data }, x.data, w.data,
      { gradInput: conv2dWinogradTile(p, opts, 'gradInput'), gradWeight: conv2dUsesWinograd(p, opts, 'gradWeight') }, gradInput);
    return { dx: gradInput ? new Tensor(r.dx, x.shape) : null, dw: new Tensor(r.dw, w.shape), db: new Tensor(r.db, [p.Cout]) };
  }
  const dy = unpoolRelu(g, [p.N, p.Cout, p.Ho, p.Wo]);
  const r = gradInput ? conv2dBackward(dy, x, w, opts) : { dx: null, dw: conv2dGradWeight(dy, x, w, opts), db: conv2dGradBias(dy, { impl: opts.impl }) };
  recycleFloat32(dy.data); // built here, read by nobody else
  return r;
}

/**
 * dL/dy [N, C, H, W] before ReLU → 2×2/2 max pooling: 0, then (0 + g[o])·[pooled[o] > 0] at each
 * window's winner — maxPool2dBackward's scatter (each of these windows adds once onto 0) and
 * reluBackward's mask [y > 0], which at the winner is [pooled > 0]; the plain-JS twin of
 * asm/pool.ts unpoolRelu, with its check that each index lies in its own window.
 */
function unpoolRelu(g: PooledGradient, shape: number[]): Tensor {
  const [N, C, H, W] = shape;
  const hw = H * W;
  const ow = W >> 1;
  const perPlane = (H >> 1) * ow;
  const dy = new Tensor(allocFloat32(N * C * hw), shape);
  const d = dy.data, gp = g.dy.data, pv = g.pooled.data, idx = g.indices;
  for (let plane = 0, o = 0; plane < N * C; plane++) {
    const base = plane * hw;
    for (let q = 0; q < perPlane; q++, o++) {
      const k = idx[o];
      const t = 2 * Math.floor(q / ow) * W + 2 * (q % ow);
      if (k !== t && k !== t + 1 && k !== t + W && k !== t + W + 1) throw opError('conv2dBackward', `pooling index ${k} at position ${o} is not in its 2×2 window of the ${H}×${W} plane`);
      d[base + k] = (0 + gp[o]) * +(pv[o] > 0);
    }
  }
  return dy;
}
