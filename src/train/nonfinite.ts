/**
 * Finding where a NaN/Inf came from: re-run a batch layer by layer and report the first layer
 * whose output is non-finite although its input was finite (recursing into Sequential
 * children), or a parameter that already holds a non-finite value.
 */
import type { Module } from '../layers/module';
import type { Tensor } from '../tensor/tensor';

/** True when every value of `a` is finite (no NaN, no ±∞). */
export function isAllFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Where a NaN/∞ first appears: the input, a parameter, a layer's output or the loss, with its path, type and a message. */
export interface NonFiniteSource {
  /** Dotted path as in `namedModules()` ('' = the model itself), or a parameter name. */
  name: string;
  type: string;
  kind: 'input' | 'parameter' | 'layer-output' | 'loss';
  /** A sentence for error messages. */
  message: string;
}

function describe(name: string, m: Module): string {
  return `layer ${name === '' ? '(model)' : name} (${m.toString()})`;
}

/** Run `module` on `x` and find the innermost layer that first produced a non-finite output. */
function trace(module: Module, x: Tensor, prefix: string): NonFiniteSource | null {
  const kids = module.children();
  if (module.type === 'Sequential' && kids.length > 0) {
    let h = x;
    for (let i = 0; i < kids.length; i++) {
      const name = prefix === '' ? String(i) : `${prefix}.${i}`;
      const y = kids[i].forward(h);
      if (!isAllFinite(y.data)) return trace(kids[i], h, name) ?? null;
      h = y;
    }
    return null;
  }
  const y = module.forward(x);
  if (isAllFinite(y.data)) return null;
  // A container other than Sequential (Concat, Add, Frozen): try each child on the same input.
  for (let i = 0; i < kids.length; i++) {
    const name = prefix === '' ? String(i) : `${prefix}.${i}`;
    let inner: NonFiniteSource | null = null;
    try {
      inner = trace(kids[i], x, name);
    } catch {
      inner = null; // a branch may not accept the container's input on its own
    }
    if (inner) return inner;
  }
  return { name: prefix, type: module.type, kind: 'layer-output', message: `the output of ${describe(prefix, module)} went non-finite first (its input was finite)` };
}

/**
 * Diagnose a non-finite loss on batch `x`: a non-finite input, a non-finite parameter, or the
 * first layer whose output went non-finite. Returns null when everything is finite (then the
 * loss itself overflowed, e.g. from huge logits).
 */
export function findNonFinite(model: Module, x: Tensor): NonFiniteSource | null {
  if (!isAllFinite(x.data)) return { name: 'input', type: 'input', kind: 'input', message: 'the input batch itself contains NaN/Inf' };
  for (const p of model.parameters()) {
    if (!isAllFinite(p.value.data)) return { name: p.name, type: 'parameter', kind: 'parameter', message: `parameter ${p.name} already holds NaN/Inf` };
  }
  return trace(model, x, '');
}
