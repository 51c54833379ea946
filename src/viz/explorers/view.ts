/**
 * What every explorer shares: a widget tree shown live, plus a static picture of its current
 * state in the same output, so exports stay complete offline.
 *
 * The display bundle holds the widget view (`application/vnd.jupyter.widget-view+json`, drawn by
 * a widget front end) AND `text/html` + `image/png` of the current picture. nbconvert drops the
 * widget view when the notebook carries no widget state (its WidgetsDataTypeFilter) and shows
 * the picture instead: HTML exports and slides of a notebook executed headless (nbclient, CI,
 * `npm run course`) show every explorer as it was computed. Outside a kernel, and for the
 * ipywidgets 6 front end (which draws widgets beside the output, not from it, so the picture
 * would show twice), only the picture's side of the bundle is used.
 */
import { DISPLAY, type MimeBundle } from '../../display/mime';
import { RasterImage } from '../raster';
import type { Widget } from '../../widgets/widget';

export abstract class ExplorerView {
  /** The widget tree the front end draws. */
  abstract readonly root: Widget;
  /** The picture of the current state (what exports show). */
  abstract snapshot(): RasterImage;

  [DISPLAY](): MimeBundle {
    const still = this.snapshot()[DISPLAY]();
    if (!this.root.live) return still;
    const view = this.root[DISPLAY]();
    if (this.root.flavor.generation === 6) return view;
    return { ...still, ...view, 'text/plain': still['text/plain'] };
  }
}

/** PNG bytes → an Image widget value (a Uint8Array view of the same memory). */
export function pngBytes(img: RasterImage): Uint8Array {
  return new Uint8Array(img.png.buffer, img.png.byteOffset, img.png.byteLength);
}
