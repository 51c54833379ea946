/** Sequential: y = f_k(…f_1(f_0(x))); backward runs the children in reverse (the chain rule). */
import { opError } from '../tensor/errors';
import { recycleFloat32 } from '../tensor/buffers';
import type { Tensor } from '../tensor/tensor';
import { ReLU } from './activation';
import { Container, atLayer } from './container';
import { Conv2d } from './conv';
import { MaxPool2d } from './pool';
import { LayerConfig, Module } from './module';

let fusion = true;

/**
 * How many layers from i on run as one fused op: 3 for Conv2d → ReLU → MaxPool2d 2×2 stride 2,
 * 2 for Conv2d → ReLU, else 1 (src/ops/conv-fused.ts).
 */
function fusedRun(layers: Module[], i: number): 1 | 2 | 3 {
  if (!(layers[i] instanceof Conv2d) || !(layers[i + 1] instanceof ReLU)) return 1;
  const pool = layers[i + 2];
  return pool instanceof MaxPool2d && pool.is2x2Stride2 ? 3 : 2;
}

/**
 * Whether `Sequential` runs Conv2d → ReLU (→ MaxPool2d(2)) as one fused op, forward and
 * backward (on by default; the bits are the same either way, tests compare them). Returns the
 * previous setting.
 */
export function setLayerFusion(on: boolean): boolean {
  const prev = fusion;
  fusion = on;
  return prev;
}

/**
 * Runs its layers in order, y = f_k(…f_1(f_0(x))); backward runs them in reverse (the chain
 * rule). Children are named by position: parameter `3.weight` is layer 3's weight.
 *
 * @example new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2)).outputShape([1, 1, 28, 28]) // [1, 6, 12, 12]
 */
export class Sequential extends Container {
  readonly type = 'Sequential';
  readonly layers: Module[];
  private ran = false;
  /** Storage of the last forward's intermediate outputs, recycled at the next forward. */
  private intermediates: Float32Array[] = [];
  /** Fused conv → ReLU → pooling runs of the last forward, by the pooling layer's index. */
  private pooled = new Map<number, { pooled: Tensor; indices: Int32Array }>();

  constructor(...layers: Module[]) {
    super();
    this.layers = [];
    for (const l of layers) this.add(l);
  }

  /** Append a layer (named by its position); returns this for chaining. */
  add(layer: Module): this {
    if (!(layer instanceof Module)) throw opError('Sequential.add', `expected a Module, got ${layer === null ? 'null' : typeof layer}`);
    this.layers.push(layer);
    return this;
  }

  protected items(): Module[] {
    return this.layers;
  }

  /**
   * y = f_k(…f_1(f_0(x))). The children's intermediate outputs belong to this Sequential: they
   * stay valid (cached for backward) until its next forward, which recycles their storage
   * (src/tensor/buffers.ts) — the model's input and output are never recycled.
   */
  forward(x: Tensor): Tensor {
    this.ran = false;
    for (const a of this.intermediates) recycleFloat32(a);
    this.intermediates = [];
    this.pooled.clear();
    const outs: Float32Array[] = [];
    let y = x;
    for (let i = 0; i < this.layers.length; i++) {
      const run = fusion ? fusedRun(this.layers, i) : 1;
      let at = i; // the layer an error is reported at
      try {
        if (run === 3) {
          // conv → ReLU → 2×2/2 max pooling in one op (the bits of the three one after the
          // other); the ReLU and pooling layers adopt their outputs, so each can still run its own
          // backward, and the backward of the three is fused too (backwardFrom)
          const [conv, act, pool] = this.layers.slice(i, i + 3) as [Conv2d, ReLU, MaxPool2d];
          const convShape = conv.outputShape(y.shape);
          at = i + 2;
          pool.outputShape(convShape); // the pooling's own error, before any work
          at = i;
          const r = conv.forwardReluPool(y, pool.takeIndices() ?? undefined);
          outs.push(act.adoptOutput(r.y).data);
          y = pool.adoptPooled(r.y, r.pooled, r.indices);
          this.pooled.set(i + 2, { pooled: r.pooled, indices: r.indices });
        } else if (run === 2) {
          // conv + ReLU in one pass (the same bits as one after the other)
          y = (this.layers[i + 1] as ReLU).adoptOutput((this.layers[i] as Conv2d).forwardRelu(y));
        } else {
          y = this.layers[i].forward(y);
        }
      } catch (e) {
        throw atLayer(e, String(at));
      }
      i += run - 1;
      if (i < this.layers.length - 1) outs.push(y.data);
    }
    // A child may return its input's storage (Flatten, Identity): never recycle x's or y's.
    this.intermediates = outs.filter((a, i) => a.buffer !== x.data.buffer && a.buffer !== y.data.buffer && outs.indexOf(a) === i);
    this.ran = true;
    return y;
  }

  /** Chain rule in reverse; each gradient between two children is recycled once consumed. */
  backward(dy: Tensor): Tensor {
    if (!this.ran) throw opError('Sequential.backward', 'called before forward (run forward(x) first)');
    return this.backwardFrom(dy, 0, false) as Tensor;
  }

  /**
   * backward for a model that sits on the data, where nobody needs dL/dx: children before the
   * first one with parameters are skipped, and that one only accumulates its parameter
   * gradients (`backwardParams`: Conv2d skips its dX GEMM, as PyTorch does for an
   * input that does not require grad). Parameter gradients equal those of `backward`.
   */
  override backwardParams(dy: Tensor): void {
    if (!this.ran) throw opError('Sequential.backwardParams', 'called before forward (run forward(x) first)');
    const first = this.layers.findIndex((l) => l.parameters().length > 0);
    if (first >= 0) this.backwardFrom(dy, first, true);
  }

  private backwardFrom(dy: Tensor, first: number, paramsOnly: boolean): Tensor | null {
    let g = dy;
    for (let i = this.layers.length - 1; i >= Math.max(0, first); i--) {
      let next: Tensor | null;
      const fused = this.pooled.get(i);
      try {
        if (fused) {
          // back through pooling, ReLU and conv (layers i, i−1, i−2) in one op
          i -= 2;
          next = (this.layers[i] as Conv2d).backwardThroughPool({ dy: g, ...fused }, !(paramsOnly && i === first));
        } else if (paramsOnly && i === first) {
          this.layers[i].backwardParams(g);
          next = null;
        } else {
          next = this.layers[i].backward(g);
        }
      } catch (e) {
        throw atLayer(e, String(i));
      }
      // g came from child i+1 (not the caller) and child i is done with it, unless it handed
      // the same storage back (Flatten's reshape).
      if (g.data.buffer !== dy.data.buffer && g.data.buffer !== next?.data.buffer) recycleFloat32(g.data);
      if (!next) return null;
      g = next;
    }
    return g;
  }

  childInputShapes(inShape: readonly number[]): number[][] {
    const out: number[][] = [];
    let s = [...inShape];
    this.layers.forEach((l, i) => {
      out.push(s);
      try {
        s = l.outputShape(s);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    });
    return out;
  }

  outputShape(inShape: readonly number[]): number[] {
    let s = [...inShape];
    this.layers.forEach((l, i) => {
      try {
        s = l.outputShape(s);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    });
    return s;
  }

  override flops(inShape: readonly number[]): number {
    let s = [...inShape];
    let total = 0;
    this.layers.forEach((l, i) => {
      try {
        total += l.flops(s);
        s = l.outputShape(s);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    });
    return total;
  }

  config(): LayerConfig {
    return { type: 'Sequential', args: {}, children: this.layers.map((l) => l.config()) };
  }

  /** PyTorch-like multi-line listing. */
  override toString(): string {
    if (this.layers.length === 0) return 'Sequential()';
    const lines = this.layers.map((l, i) => `  (${i}): ${l.toString().split('\n').join('\n  ')}`);
    return `Sequential(\n${lines.join('\n')}\n)`;
  }
}
