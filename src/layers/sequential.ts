/** Sequential: y = f_k(…f_1(f_0(x))); backward runs the children in reverse (the chain rule). */
import { opError } from '../tensor/errors';
import { recycleFloat32 } from '../tensor/buffers';
import type { Tensor } from '../tensor/tensor';
import { ReLU } from './activation';
import { Container, atLayer } from './container';
import { Conv2d } from './conv';
import { LayerConfig, Module } from './module';

let fusion = true;

/**
 * Whether `Sequential` runs a Conv2d followed by a ReLU as one fused op (on by default; the bits
 * are the same either way, tests compare them). Returns the previous setting.
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
    const outs: Float32Array[] = [];
    let y = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const next = this.layers[i + 1];
      try {
        if (fusion && layer instanceof Conv2d && next instanceof ReLU) {
          // conv + ReLU in one pass (the same bits as one after the other); the ReLU adopts the
          // clamped output as its forward, then the loop goes on after it
          y = layer.forwardRelu(y);
          i++;
          y = next.adoptOutput(y);
        } else {
          y = layer.forward(y);
        }
      } catch (e) {
        throw atLayer(e, String(i));
      }
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
      try {
        if (paramsOnly && i === first) {
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
