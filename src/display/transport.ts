/**
 * Where display output goes. In order of precedence:
 * 1. a capture started by `captureDisplays` (tests assert on what would be shown);
 * 2. the tscnn kernel's hook `globalThis[Symbol.for('tscnn.kernel')]` (kernels/lib/server.js),
 *    which sends every MIME type of a bundle as display_data / update_display_data;
 * 3. stock tslab's writer (`tslab/dist/jupyter` `lastWriteDisplayData`), when a tslab kernel has
 *    already loaded it — it also passes whole bundles through;
 * 4. plain Node (CLI, mocha): the bundle's text/plain printed to stdout.
 */
import type { MimeBundle } from './mime';

/** One output as the notebook would receive it. */
export type DisplayOutput =
  | { type: 'display_data'; data: MimeBundle; id?: string }
  | { type: 'update_display_data'; data: MimeBundle; id: string }
  | { type: 'clear_output'; wait: boolean };

/** The hook object the tscnn kernel installs (see kernels/lib/server.js). */
export interface KernelHook {
  kind: 'tscnn';
  version: number;
  display(bundle: MimeBundle, opts?: { id?: string; update?: boolean; metadata?: object }): boolean;
  clearOutput(wait?: boolean): void;
  interrupted(): boolean;
  checkInterrupt(): void;
}

/** The global symbol the tscnn kernel installs its hook under. */
export const KERNEL_HOOK = Symbol.for('tscnn.kernel');

/** The tscnn kernel's hook, when this code runs inside it. */
export function kernelHook(): KernelHook | undefined {
  const h = (globalThis as Record<symbol, unknown>)[KERNEL_HOOK] as KernelHook | undefined;
  return h && h.kind === 'tscnn' ? h : undefined;
}

type TslabWriter = (content: object, update: boolean) => void;

/** Stock tslab's display writer, only if a tslab kernel already loaded its jupyter module. */
function tslabWriter(): TslabWriter | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod && /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) {
      const w = (mod.exports as { lastWriteDisplayData?: TslabWriter | null }).lastWriteDisplayData;
      if (typeof w === 'function') return w;
    }
  }
  return undefined;
}

/** Capture stack: the innermost capture receives outputs. Kept on globalThis so copies of this
 *  module (tsx in tests vs. tslab's compiled copy) share it. */
const CAPTURES = Symbol.for('tscnn.display.captures');
/** The stack of active captures (innermost last). */
export function captureStack(): DisplayOutput[][] {
  const g = globalThis as Record<symbol, unknown>;
  if (!g[CAPTURES]) g[CAPTURES] = [];
  return g[CAPTURES] as DisplayOutput[][];
}

/** True when output reaches a notebook (tscnn kernel or stock tslab), not stdout. */
export function isInKernel(): boolean {
  return kernelHook() !== undefined || tslabWriter() !== undefined;
}

/** Send one output to the innermost capture, the kernel, tslab, or stdout (in that order). */
export function emit(out: DisplayOutput): void {
  const stack = captureStack();
  if (stack.length) {
    stack[stack.length - 1].push(out);
    return;
  }
  const hook = kernelHook();
  if (hook) {
    if (out.type === 'clear_output') hook.clearOutput(out.wait);
    else if (hook.display(out.data, { id: out.id, update: out.type === 'update_display_data' })) return;
    else printPlain(out);
    return;
  }
  const tslab = tslabWriter();
  if (tslab) {
    if (out.type === 'clear_output') return; // tslab has no clear_output message
    tslab({ data: out.data, metadata: {}, transient: out.id ? { display_id: out.id } : {} }, out.type === 'update_display_data');
    return;
  }
  printPlain(out);
}

function printPlain(out: DisplayOutput): void {
  if (out.type === 'clear_output') return;
  const text = out.data['text/plain'];
  process.stdout.write((typeof text === 'string' ? text : JSON.stringify(text)) + '\n');
}
