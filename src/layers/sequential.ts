/** Sequential: y = f_k(…f_1(f_0(x))); backward runs the children in reverse (the chain rule). */
import { opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { Container, atLayer } from './container';
import { LayerConfig, Module } from './module';

export class Sequential extends Container {
  readonly type = 'Sequential';
  readonly layers: Module[];
  private ran = false;

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

  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.layers.length; i++) {
      try {
        y = this.layers[i].forward(y);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    }
    this.ran = true;
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.ran) throw opError('Sequential.backward', 'called before forward (run forward(x) first)');
    let g = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      try {
        g = this.layers[i].backward(g);
      } catch (e) {
        throw atLayer(e, String(i));
      }
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
