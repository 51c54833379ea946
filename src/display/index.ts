export * from './mime';
export * from './svg';
export { show, display, clearOutput, toMimeBundle, mime } from './display';
export type { DisplayHandle } from './display';
export { captureDisplays } from './capture';
export type { Captured } from './capture';
export { isInKernel, kernelHook } from './transport';
export type { DisplayOutput, KernelHook } from './transport';
export { interrupted, checkInterrupt, yieldToKernel, isKeyboardInterrupt } from './interrupt';
