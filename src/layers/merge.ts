/**
 * Merge containers: several branches read the same input.
 *
 * - `Concat([a, b, …])`: y = concat(a(x), b(x), …) along channels (Inception).
 * - `Add([a, b, …])`: y = a(x) + b(x) + … (residual: `new Add([new Identity(), block])`).
 *
 * x feeds every branch, so by the multivariate chain rule dL/dx is the SUM of the branches' dx.
 */
import { add, concat, concatBackward } from '../ops/merge';
import { fmtShape, opError } from '../tensor/errors';
import type { Tensor } from '../tensor/tensor';
import { prod } from './base';
import { Container, atLayer } from './container';
import { LayerConfig, Module } from './module';

abstract class Merge extends Container {
  readonly branches: Module[];
  protected outs: Tensor[] | null = null;

  constructor(branches: Module[]) {
    super();
    const kind = new.target.name;
    if (!Array.isArray(branches) || branches.length === 0) throw opError(kind, 'needs a non-empty array of branch modules');
    branches.forEach((b, i) => {
      if (!(b instanceof Module)) throw opError(kind, `branch ${i} is not a Module`);
    });
    this.branches = [...branches];
  }

  protected items(): Module[] {
    return this.branches;
  }

  /** Run every branch on x (errors say which branch). */
  protected runBranches(x: Tensor): Tensor[] {
    return this.branches.map((b, i) => {
      try {
        return b.forward(x);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    });
  }

  /** Σ_i branch_i.backward(dys[i]): the branches share x, so their input gradients add up. */
  protected sumBranchGrads(dys: Tensor[]): Tensor {
    let dx: Tensor | null = null;
    for (let i = 0; i < this.branches.length; i++) {
      let g: Tensor;
      try {
        g = this.branches[i].backward(dys[i]);
      } catch (e) {
        throw atLayer(e, String(i));
      }
      dx = dx === null ? g : add(dx, g);
    }
    return dx as Tensor;
  }

  childInputShapes(inShape: readonly number[]): number[][] {
    return this.branches.map(() => [...inShape]);
  }

  protected branchShapes(inShape: readonly number[]): number[][] {
    return this.branches.map((b, i) => {
      try {
        return b.outputShape(inShape);
      } catch (e) {
        throw atLayer(e, String(i));
      }
    });
  }

  protected cached(): Tensor[] {
    if (!this.outs) throw opError(`${this.type}.backward`, 'called before forward (run forward(x) first)');
    return this.outs;
  }

  override flops(inShape: readonly number[]): number {
    return this.branches.reduce((s, b) => s + b.flops(inShape), 0) + this.mergeFlops(inShape);
  }

  protected abstract mergeFlops(inShape: readonly number[]): number;

  config(): LayerConfig {
    return { type: this.type, args: {}, children: this.branches.map((b) => b.config()) };
  }

  override toString(): string {
    const lines = this.branches.map((b, i) => `  (${i}): ${b.toString().split('\n').join('\n  ')}`);
    return `${this.type}(\n${lines.join('\n')}\n)`;
  }
}

/** Concatenate the branches' outputs along the channel axis (axis 1). */
export class Concat extends Merge {
  readonly type = 'Concat';

  forward(x: Tensor): Tensor {
    const ys = this.runBranches(x);
    this.outputShapeFrom(ys.map((y) => [...y.shape]));
    const y = concat(ys, 1);
    this.outs = ys;
    return y;
  }

  /** dy is split back into the branches' channel ranges; their dx are summed. */
  backward(dy: Tensor): Tensor {
    const ys = this.cached();
    const dys = concatBackward(dy, ys, 1);
    return this.sumBranchGrads(dys);
  }

  outputShape(inShape: readonly number[]): number[] {
    return this.outputShapeFrom(this.branchShapes(inShape));
  }

  private outputShapeFrom(shapes: number[][]): number[] {
    const first = shapes[0];
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i];
      if (s.length !== first.length || s.length < 2 || s.some((d, ax) => ax !== 1 && d !== first[ax])) {
        throw opError('Concat', `branch outputs must match except in channels (axis 1): branch 0 gives ${fmtShape(first)}, branch ${i} gives ${fmtShape(s)}`);
      }
    }
    const out = [...first];
    out[1] = shapes.reduce((c, s) => c + s[1], 0);
    return out;
  }

  protected mergeFlops(): number {
    return 0;
  }
}

/** Element-wise sum of the branches' outputs (all must have the same shape). */
export class Add extends Merge {
  readonly type = 'Add';

  forward(x: Tensor): Tensor {
    const ys = this.runBranches(x);
    this.outputShapeFrom(ys.map((y) => [...y.shape]));
    let y = ys[0];
    for (let i = 1; i < ys.length; i++) y = add(y, ys[i]);
    this.outs = ys;
    return y;
  }

  /** ∂(a + b)/∂a = 1: every branch receives dy unchanged; their dx are summed. */
  backward(dy: Tensor): Tensor {
    const ys = this.cached();
    if (dy.rank !== ys[0].rank || dy.shape.some((d, i) => d !== ys[0].shape[i])) {
      throw opError('Add.backward', `dy has shape ${fmtShape(dy.shape)} but the last forward output had shape ${fmtShape(ys[0].shape)}`);
    }
    return this.sumBranchGrads(this.branches.map(() => dy));
  }

  outputShape(inShape: readonly number[]): number[] {
    return this.outputShapeFrom(this.branchShapes(inShape));
  }

  private outputShapeFrom(shapes: number[][]): number[] {
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i];
      if (s.length !== shapes[0].length || s.some((d, ax) => d !== shapes[0][ax])) {
        throw opError('Add', `branch outputs must have the same shape: branch 0 gives ${fmtShape(shapes[0])}, branch ${i} gives ${fmtShape(s)}`);
      }
    }
    return [...shapes[0]];
  }

  /** (branches − 1) additions per output element. */
  protected mergeFlops(inShape: readonly number[]): number {
    return (this.branches.length - 1) * prod(this.outputShape(inShape));
  }
}
