/**
 * Which TensorFlow.js backend runs the library side of every comparison.
 *
 * Order tried: tfjs-node-gpu → tfjs-node → wasm → cpu, the first that loads. `tfjs-node` cannot
 * install without internet (its install script downloads libtensorflow), so on this project's
 * machines the fallback lands on wasm, silently apart from naming the backend.
 * Override with the environment variable TSCNN_TFJS_BACKEND (node-gpu | node | wasm | cpu) or
 * `setTfBackend(name)`.
 *
 * Known gap handled here: the wasm backend has no Conv2DBackpropFilter kernel (tf.grads through
 * conv2d throws) and no depthwise backprop kernels. `registerMissingWasmKernels` adds them:
 * Conv2DBackpropFilter on wasm's own Conv2D kernel (the "dW is a convolution of x with dy" trick),
 * the depthwise ones by running the cpu backend's kernel on copied data.
 */
import type * as TF from '@tensorflow/tfjs';
import { tr } from '../display/locale';
import { registerMissingWasmKernels, patchedWasmKernels, replacedWasmKernels } from './wasm-kernels';

/** TensorFlow.js backends tscnn can select, fastest first. */
export type TfBackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';
/** The order `loadTf` tries backends in. */
export const TF_BACKEND_ORDER: readonly TfBackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** A loaded TensorFlow.js: the `tf` namespace, the backend it runs on, the kernels tscnn added or replaced, `describe()`. */
export interface TfHandle {
  tf: typeof TF;
  /** Our name for it: 'node-gpu' | 'node' | 'wasm' | 'cpu'. */
  backend: TfBackendName;
  /** tfjs's own name (`tf.getBackend()`): 'tensorflow' | 'wasm' | 'cpu'. */
  tfName: string;
  /** Kernels tscnn registered because the backend lacks them (empty when none). */
  addedKernels: string[];
  /** Kernels tscnn replaced because the backend's gave wrong results (empty when none). */
  replacedKernels: string[];
  /** Human-readable: "tfjs 4.22.0 · wasm (SIMD, 1 thread; added: Conv2DBackpropFilter)". */
  describe(): string;
}

let current: TfHandle | null = null;
let loading: Promise<TfHandle> | null = null;

/** The tfjs module without printing its "install tfjs-node" banner. */
function requireTf(): typeof TF {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('@tensorflow/tfjs') as typeof TF;
}

function silenceCpuBanner(tf: typeof TF): void {
  // The cpu backend prints a banner on its first write when running in Node; we name the backend
  // ourselves wherever a comparison is shown, so the banner is noise.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

async function tryBackend(tf: typeof TF, name: TfBackendName): Promise<boolean> {
  try {
    switch (name) {
      case 'node-gpu':
        require('@tensorflow/tfjs-node-gpu');
        return await tf.setBackend('tensorflow');
      case 'node':
        require('@tensorflow/tfjs-node');
        return await tf.setBackend('tensorflow');
      case 'wasm': {
        require('@tensorflow/tfjs-backend-wasm');
        const ok = await tf.setBackend('wasm');
        if (ok) registerMissingWasmKernels(tf);
        return ok;
      }
      case 'cpu':
        return await tf.setBackend('cpu');
    }
  } catch {
    return false;
  }
}

function parseEnv(): TfBackendName | undefined {
  const v = process.env.TSCNN_TFJS_BACKEND?.trim();
  if (!v) return undefined;
  if (!(TF_BACKEND_ORDER as readonly string[]).includes(v)) {
    throw new Error(`loadTf: TSCNN_TFJS_BACKEND must be one of ${TF_BACKEND_ORDER.join(', ')}, got '${v}'`);
  }
  return v as TfBackendName;
}

/**
 * Load tfjs on the first backend that works (or the one requested). Cached: later calls return
 * the same handle unless `setTfBackend` changes it.
 */
export function loadTf(prefer?: TfBackendName): Promise<TfHandle> {
  const wanted = prefer ?? parseEnv();
  if (current && (!wanted || current.backend === wanted)) return Promise.resolve(current);
  if (loading && !wanted) return loading;
  loading = (async () => {
    const tf = requireTf();
    silenceCpuBanner(tf);
    const order = wanted ? [wanted] : TF_BACKEND_ORDER;
    for (const name of order) {
      if (await tryBackend(tf, name)) {
        silenceCpuBanner(tf);
        const addedKernels = name === 'wasm' ? patchedWasmKernels() : [];
        const replacedKernels = name === 'wasm' ? replacedWasmKernels() : [];
        const tfName = tf.getBackend();
        current = {
          tf,
          backend: name,
          tfName,
          addedKernels,
          replacedKernels,
          describe: () =>
            `tfjs ${tf.version.tfjs} · ${name}` +
            (name === 'wasm' ? tr({ en: ' (SIMD, 1 thread', zh: '（SIMD，单线程' }) +
                (addedKernels.length ? `${tr({ en: '; tscnn added: ', zh: '；tscnn 补上的：' })}${addedKernels.join(', ')}` : '') +
                (replacedKernels.length ? `${tr({ en: '; replaced: ', zh: '；替换的：' })}${replacedKernels.join(', ')}` : '') +
                tr({ en: ')', zh: '）' }) : ''),
        };
        return current;
      }
    }
    throw new Error(`loadTf: no TensorFlow.js backend could be loaded (tried ${order.join(', ')})`);
  })();
  const p = loading;
  p.finally(() => {
    if (loading === p) loading = null;
  }).catch(() => undefined);
  return p;
}

/** Switch the backend used by comparisons; throws if it cannot load. */
export async function setTfBackend(name: TfBackendName): Promise<TfHandle> {
  if (!TF_BACKEND_ORDER.includes(name)) {
    throw new Error(`setTfBackend: name must be one of ${TF_BACKEND_ORDER.join(', ')}, got '${name}'`);
  }
  return loadTf(name);
}

/** Every backend that loads on this machine (for benchmarks), without changing the current one for good. */
export async function availableTfBackends(): Promise<TfBackendName[]> {
  const tf = requireTf();
  silenceCpuBanner(tf);
  const before = current;
  const ok: TfBackendName[] = [];
  for (const name of TF_BACKEND_ORDER) if (await tryBackend(tf, name)) ok.push(name);
  if (before) await tryBackend(tf, before.backend);
  return ok;
}
