import type { Tensor } from '../tensor/tensor';

/** A trainable tensor beside its gradient (ConvNetJS style), so optimizers are generic. */
export interface Parameter {
  /** Dotted path, e.g. '0.weight' inside a Sequential, 'weight' in a layer. */
  name: string;
  value: Tensor;
  grad: Tensor;
}

/**
 * Non-trainable state saved with a model (BatchNorm running mean/var): updated by `forward`
 * in training mode, never by an optimizer, so it is kept apart from `parameters()`.
 */
export interface ModuleBuffer {
  name: string;
  value: Tensor;
}

/** JSON description of a layer: enough to rebuild it (checkpoints, tfjs bridge, drawings). */
export interface LayerConfig {
  type: string;
  args: Record<string, unknown>;
  children?: LayerConfig[];
}

/**
 * The three-method contract every layer keeps (ConvNetJS): `forward` caches what `backward`
 * needs; `backward` returns dL/dx and *accumulates* (+=) parameter gradients into `grad`;
 * `parameters` lists value/grad pairs. A trainer needs nothing else.
 */
export abstract class Module {
  training = true;

  /** Class-like name shown in summaries and drawings, e.g. 'Conv2d'. */
  abstract readonly type: string;

  abstract forward(x: Tensor): Tensor;

  /** dL/dx from dL/dy; uses what the last `forward` cached. Adds into parameter grads. */
  abstract backward(dy: Tensor): Tensor;

  /**
   * Parameter gradients only, for a module whose input needs no gradient (it sits on the data):
   * accumulates into `grad` exactly as `backward` does. Conv2d skips the dX work;
   * the default runs `backward` and drops dX.
   */
  backwardParams(dy: Tensor): void {
    this.backward(dy);
  }

  /** Output shape for an input shape, without computing anything (summaries of VGG16). */
  abstract outputShape(inputShape: readonly number[]): number[];

  /** Rebuildable description (type + constructor arguments). */
  abstract config(): LayerConfig;

  parameters(): Parameter[] {
    return [];
  }

  /** Non-trainable state (BatchNorm running stats), named like parameters. */
  buffers(): ModuleBuffer[] {
    return [];
  }

  /** Sub-modules (for containers); leaves return []. */
  children(): Module[] {
    return [];
  }

  /** Multiply-adds ×2 for one forward pass on `inputShape` (0 for parameter-free reshapes). */
  flops(_inputShape: readonly number[]): number {
    return 0;
  }

  train(mode = true): this {
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad.data.fill(0);
  }

  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.value.size, 0);
  }

  /** Every module in the tree, depth first, this one first; names are dotted paths ('' = this). */
  namedModules(prefix = ''): { name: string; module: Module }[] {
    const out: { name: string; module: Module }[] = [{ name: prefix, module: this }];
    this.children().forEach((c, i) => out.push(...c.namedModules(prefix === '' ? String(i) : `${prefix}.${i}`)));
    return out;
  }

  /** PyTorch-like one-line description, e.g. `Conv2d(1, 6, kernel_size=5)`. */
  toString(): string {
    const c = this.config();
    const args = Object.entries(c.args)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
    return `${c.type}(${args})`;
  }
}
