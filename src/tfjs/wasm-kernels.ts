/**
 * Kernels the tfjs wasm backend (4.22) lacks, registered so that `tf.grads` works through the
 * same ops on wasm as on cpu. Which ones were added is reported by `patchedWasmKernels()` and
 * printed with the backend name wherever a comparison is shown.
 */
import type * as TF from '@tensorflow/tfjs';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: Record<string, unknown> };
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  readSync(dataId: object): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

const added: string[] = [];
const replaced: string[] = [];

export function patchedWasmKernels(): string[] {
  return [...added];
}

function runWasm(tf: typeof TF, backend: WasmBackendLike, name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} is missing`);
  return k.kernelFunc({ inputs, backend, attrs } as never) as unknown as TensorInfo;
}

/**
 * dW of a convolution, itself a convolution (stride and dilation swap roles):
 *   dW[kh, kw, ci, co] = Σ_{n,i,j} xPad[n, kh + i·Sh, kw + j·Sw, ci] · dy[n, i, j, co]
 * = Conv2D( xPadᵀ [Ci, Hp, Wp, N],  dyᵀ [Ho, Wo, N, Co],  stride 1, dilation (Sh, Sw) ), cropped to KH×KW.
 * Everything runs in wasm's own kernels (Transpose, PadV2, Conv2D, Slice), so the comparison
 * measures the library, not tscnn.
 */
function conv2dBackpropFilterWasm(tf: typeof TF) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | number[][];
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (tscnn wasm): only NHWC is supported');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad as never, dimRoundingMode, false, 'channelsLast',
    );
    const { top, bottom, left, right } = info.padInfo;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const xp = top || bottom || left || right
        ? keep(runWasm(tf, backend, 'PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }))
        : x;
      const xt = keep(runWasm(tf, backend, 'Transpose', { x: xp }, { perm: [3, 1, 2, 0] }));
      const dyt = keep(runWasm(tf, backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
      const full = keep(runWasm(tf, backend, 'Conv2D', { x: xt, filter: dyt }, {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined,
      }));
      const [kh, kw, ci, co] = filterShape;
      const cropped = keep(runWasm(tf, backend, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
      return runWasm(tf, backend, 'Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Fallback for a kernel wasm lacks: copy the inputs to the cpu backend, run tfjs's cpu kernel,
 * copy the result back. Correct, slow; used for depthwise backprop only.
 */
function cpuFallback(tf: typeof TF, kernelName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const cpu = tf.findBackend('cpu') as unknown as {
      write(values: Float32Array, shape: number[], dtype: string): object;
      readSync(dataId: object): Float32Array;
      disposeData(dataId: object, force?: boolean): boolean;
    };
    const k = tf.getKernel(kernelName, 'cpu');
    if (!cpu || !k) throw new Error(`${kernelName}: no cpu kernel to fall back on`);
    const cpuInputs: Record<string, TensorInfo> = {};
    for (const [name, t] of Object.entries(inputs)) {
      const values = backend.readSync(t.dataId).slice();
      cpuInputs[name] = { dataId: cpu.write(values, t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
    }
    try {
      const out = k.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs } as never) as unknown as TensorInfo;
      const values = cpu.readSync(out.dataId);
      cpu.disposeData(out.dataId, true);
      const result = backend.makeOutput(out.shape, out.dtype);
      backend.typedArrayFromHeap(result).set(values);
      return result;
    } finally {
      for (const t of Object.values(cpuInputs)) cpu.disposeData(t.dataId, true);
    }
  };
}

/** Register what wasm lacks (idempotent). Call after `tf.setBackend('wasm')` succeeded. */
export function registerMissingWasmKernels(tf: typeof TF): void {
  const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const register = (kernelName: string, kernelFunc: (a: KernelArgs) => TensorInfo) => {
    if (have.has(kernelName)) return;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as never });
    added.push(kernelName);
  };
  register('Conv2DBackpropFilter', conv2dBackpropFilterWasm(tf));
  register('DepthwiseConv2dNativeBackpropFilter', cpuFallback(tf, 'DepthwiseConv2dNativeBackpropFilter'));
  register('DepthwiseConv2dNativeBackpropInput', cpuFallback(tf, 'DepthwiseConv2dNativeBackpropInput'));
  // wasm 4.22's MaxPoolGrad routes the gradient to the wrong cell when every value in a window is
  // negative (a window [−1.15, −0.05, −0.15, −0.70] sends it to −1.15; cpu and PyTorch pick −0.05;
  // see test/tfjs/backend.test.ts). Replace it with the cpu kernel on copied data.
  if (!replaced.includes('MaxPoolGrad') && have.has('MaxPoolGrad')) {
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
    tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: cpuFallback(tf, 'MaxPoolGrad') as never });
    replaced.push('MaxPoolGrad');
  }
}

/** Kernels wasm has but tscnn replaced because they give wrong results. */
export function replacedWasmKernels(): string[] {
  return [...replaced];
}
