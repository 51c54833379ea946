/**
 * Frozen(inner): the same function as `inner`, with its weights kept out of training. They are
 * listed as buffers (checkpoints save them) and hidden from `parameters()` (no optimizer sees
 * them); dL/dx still flows through to the layers before it.
 */
import type { Tensor } from '../tensor/tensor';
import { LayerConfig, Module, ModuleBuffer, Parameter } from './module';

/** Wraps a module so its weights are not trained (they still pass gradients to the input). */
export class Frozen extends Module {
  readonly type = 'Frozen';

  constructor(readonly inner: Module) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.inner.forward(x);
  }

  backward(dy: Tensor): Tensor {
    const dx = this.inner.backward(dy);
    // The inner grads are never used; clear them so they cannot grow without bound.
    for (const p of this.inner.parameters()) p.grad.data.fill(0);
    return dx;
  }

  override parameters(): Parameter[] {
    return [];
  }

  /** The frozen weights are state to save, like BatchNorm's running statistics. */
  override buffers(): ModuleBuffer[] {
    return [...this.inner.parameters(), ...this.inner.buffers()].map((b) => ({ name: `0.${b.name}`, value: b.value }));
  }

  override children(): Module[] {
    return [this.inner];
  }

  outputShape(inputShape: readonly number[]): number[] {
    return this.inner.outputShape(inputShape);
  }

  override flops(inputShape: readonly number[]): number {
    return this.inner.flops(inputShape);
  }

  config(): LayerConfig {
    return { type: 'Frozen', args: {}, children: [this.inner.config()] };
  }

  override toString(): string {
    return `Frozen(${this.inner.toString()})`;
  }
}
