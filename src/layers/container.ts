/**
 * What every container shares: children named '0', '1', … and parameters/buffers named by their
 * dotted path ('0.weight', '3.1.bias'), PyTorch's state-dict names.
 */
import { Module, ModuleBuffer, Parameter } from './module';

/**
 * Base of the containers (Sequential, Concat, Add): children named '0', '1', …, their
 * parameters and buffers named by dotted path ('0.weight', '3.1.bias'), PyTorch's state-dict names.
 */
export abstract class Container extends Module {
  /** Renamed wrappers, cached so `parameters()` returns the same objects on every call. */
  private readonly wrapped = new Map<Parameter, Parameter>();

  protected abstract items(): Module[];

  /**
   * The input shape each child sees when this container gets `inShape`, without computing
   * anything (summaries, receptive fields): a chain for Sequential, the same shape for merges.
   */
  abstract childInputShapes(inShape: readonly number[]): number[][];

  override children(): Module[] {
    return this.items();
  }

  override parameters(): Parameter[] {
    const out: Parameter[] = [];
    this.items().forEach((m, i) => {
      for (const p of m.parameters()) {
        let w = this.wrapped.get(p);
        const name = `${i}.${p.name}`;
        if (!w || w.name !== name) {
          w = { name, value: p.value, grad: p.grad };
          this.wrapped.set(p, w);
        }
        out.push(w);
      }
    });
    return out;
  }

  override buffers(): ModuleBuffer[] {
    const out: ModuleBuffer[] = [];
    this.items().forEach((m, i) => {
      for (const b of m.buffers()) out.push({ name: `${i}.${b.name}`, value: b.value });
    });
    return out;
  }
}

/**
 * Add the child's position to an error raised inside it, so a message from deep inside a model
 * ends with "(at layer '3.1')". The message still starts with the op/layer name that raised it.
 */
export function atLayer(e: unknown, name: string): unknown {
  if (!(e instanceof Error)) return e;
  const err = e as Error & { layerPath?: string; baseMessage?: string };
  if (err.baseMessage === undefined) err.baseMessage = err.message;
  err.layerPath = err.layerPath === undefined ? name : `${name}.${err.layerPath}`;
  err.message = `${err.baseMessage} (at layer '${err.layerPath}')`;
  return err;
}
