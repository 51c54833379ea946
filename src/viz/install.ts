/**
 * Rich display for every Tensor (imported once by src/index.ts):
 * - small 2-D tensors (≤ 16×16) → the lecture's number table (HTML) + text;
 * - image-like [1, C, H, W] / [C, H, W] (C ≤ 64, H, W ≥ 4) → feature-map grid PNG + HTML + text;
 * - anything else → the text layout of `toString()`.
 */
import { figureBundle } from '../display/bundle';
import { DISPLAY, type MimeBundle } from '../display/mime';
import { Tensor } from '../tensor/tensor';
import { featureMaps } from './images';
import { tensorTable } from './table';

/** The bundle a tensor shows as a cell's value. */
export function tensorBundle(t: Tensor): MimeBundle {
  const s = t.shape;
  if (s.length === 2 && s[0] <= 16 && s[1] <= 16 && s[0] > 0 && s[1] > 0) {
    const tab = tensorTable(t);
    return figureBundle({ html: tab.html, text: t.toString() });
  }
  const imageLike = (s.length === 4 && s[0] === 1) || s.length === 3;
  const [c, h, w] = s.slice(-3);
  if (imageLike && c <= 64 && h >= 4 && w >= 4 && h <= 512 && w <= 512) {
    const img = featureMaps(t);
    return figureBundle({ html: img.html, png: img.png, text: `${t.toString().split('\n')[0]} — ${img.text}` });
  }
  return figureBundle({ text: t.toString() });
}

let installed = false;

/** Idempotent: defines Tensor.prototype[DISPLAY]. */
export function installTensorDisplay(): void {
  if (installed) return;
  Object.defineProperty(Tensor.prototype, DISPLAY, {
    value: function (this: Tensor): MimeBundle {
      return tensorBundle(this);
    },
    configurable: true,
    writable: true,
    enumerable: false,
  });
  installed = true;
}

installTensorDisplay();
