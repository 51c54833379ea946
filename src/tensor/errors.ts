/**
 * Errors name the op first, then what is wrong in the user's terms (TensorFlow.js style:
 * "conv2d: x must be rank 4 [N, C, H, W], got shape [3, 4]").
 */
export function opError(op: string, message: string): Error {
  return new Error(`${op}: ${message}`);
}

/** A shape as error messages print it: `[1, 3, 28, 28]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
