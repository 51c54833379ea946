/** Layers that move values without changing them: Flatten and Identity. */
import { flatten, flattenBackward } from '../ops/flatten';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { cachedInput, expectGradShape, prod } from './base';
import { LayerConfig, Module } from './module';

/** [N, C, H, W] (or any [N, …]) → [N, C·H·W], row-major, so Linear sees PyTorch's order. */
export class Flatten extends Module {
  readonly type = 'Flatten';
  private x: Tensor | null = null;

  forward(x: Tensor): Tensor {
    this.outputShape(x.shape);
    const y = flatten(x);
    this.x = x;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = cachedInput(this, this.x);
    expectGradShape(this, dy, this.outputShape(x.shape));
    return flattenBackward(dy, x);
  }

  outputShape(inShape: readonly number[]): number[] {
    if (inShape.length < 2) throw opError('Flatten', `expects input of rank ≥ 2 [N, …], got shape ${fmtShape(inShape)}`);
    return [inShape[0], prod(inShape.slice(1))];
  }

  config(): LayerConfig {
    return { type: 'Flatten', args: {} };
  }
}

/** y = x. The skip branch of a residual block: `new Add([new Identity(), block])`. */
export class Identity extends Module {
  readonly type = 'Identity';
  private inShape: readonly number[] | null = null;

  forward(x: Tensor): Tensor {
    this.inShape = x.shape;
    return x;
  }

  backward(dy: Tensor): Tensor {
    expectGradShape(this, dy, cachedInput(this, this.inShape));
    return dy;
  }

  outputShape(inShape: readonly number[]): number[] {
    return [...inShape];
  }

  config(): LayerConfig {
    return { type: 'Identity', args: {} };
  }
}
