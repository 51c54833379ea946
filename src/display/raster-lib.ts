/**
 * node-canvas, loaded on first use: `import { conv2d } from 'tscnn'` must stay light (a kernel
 * cell that only computes never pays for the native module), so the picture code asks for it
 * here instead of importing it at the top.
 *
 *   const { createCanvas } = canvasLib();
 */
import type * as Canvas from 'canvas';
import { opError } from '../tensor/errors';

let lib: typeof Canvas | null = null;

/** The `canvas` module (required once, then cached); a clear error when it is not installed. */
export function canvasLib(): typeof Canvas {
  if (!lib) {
    try {
      lib = require('canvas') as typeof Canvas;
    } catch (e) {
      throw opError('canvas', `node-canvas could not be loaded (${(e as Error).message}); run npm install (it needs librsvg and cairo: apt-get install librsvg2-dev libcairo2-dev)`);
    }
  }
  return lib;
}
