/**
 * Feature-map explorer (lessons 06 X-vs-O, 07 LeNet-5): pick a test image and a layer of a
 * Sequential model; the kernel runs the model's own layers one by one on that image and shows the
 * chosen layer's feature maps and the prediction. (Drawing an input by hand is not offered: the
 * widget set has no drawing canvas; pick from the test images.)
 */
import { escapeHtml } from '../../display/mime';
import { tr } from '../../display/locale';
import type { Sequential } from '../../layers/sequential';
import { Tensor } from '../../tensor/tensor';
import { featureMaps, imageOf } from '../images';
import type { RasterImage } from '../raster';
import { IntSlider } from '../../widgets/controls';
import { HBox, VBox } from '../../widgets/containers';
import { HTML, Image } from '../../widgets/media';
import { Dropdown } from '../../widgets/selection';
import { ExplorerView, pngBytes } from './view';
import { checkOptionNames, optionNames } from '../../tensor/options';

export interface FeatureExplorerOptions {
  /** Class names for the prediction (default '0', '1', …). */
  classes?: readonly string[];
  /** True labels of `images`, shown beside the prediction. */
  labels?: ArrayLike<number>;
}

/** Every key of `FeatureExplorerOptions` (checked both ways at compile time). */
export const FEATURE_EXPLORER_OPTION_NAMES = optionNames<FeatureExplorerOptions>()(['classes', 'labels']);

export class FeatureMapExplorer extends ExplorerView {
  readonly root: VBox;
  readonly index: IntSlider;
  readonly layer: Dropdown<number>;
  readonly input: Image;
  readonly maps: Image;
  readonly prediction: HTML;
  /** Class probabilities (softmax of the last layer) of the current image. */
  probabilities: number[] = [];
  private still!: RasterImage;

  constructor(readonly model: Sequential, readonly images: Tensor, readonly opts: FeatureExplorerOptions = {}) {
    super();
    checkOptionNames('featureMapExplorer', opts, FEATURE_EXPLORER_OPTION_NAMES);
    if (images.shape.length !== 4) throw new Error(`featureMapExplorer: images must be [N, C, H, W], got shape [${images.shape.join(', ')}]`);
    const names = model.layers.map((l, i) => [`${i}: ${l.constructor.name}`, i] as const);
    this.index = new IntSlider({ value: 0, min: 0, max: images.shape[0] - 1, description: tr({ en: 'image', zh: '图片' }) });
    this.layer = new Dropdown<number>({ options: names, value: 0, description: tr({ en: 'layer', zh: '层' }) });
    this.input = new Image({ width: '112px' });
    this.maps = new Image();
    this.prediction = new HTML();
    this.root = new VBox([this.index, this.layer, new HBox([this.input, this.prediction]), this.maps]);
    this.index.observe(() => this.update());
    this.layer.observe(() => this.update());
    this.update();
  }

  snapshot(): RasterImage {
    return this.still;
  }

  update(): void {
    const [, c, h, w] = this.images.shape;
    const i = this.index.value;
    const x = new Tensor(this.images.data.slice(i * c * h * w, (i + 1) * c * h * w), [1, c, h, w]);
    this.model.eval();
    let a = x;
    let chosen: Tensor = x;
    this.model.layers.forEach((layer, k) => {
      a = layer.forward(a);
      if (k === this.layer.value) chosen = new Tensor(Float32Array.from(a.data), a.shape);
    });
    const logits = Array.from(a.data);
    const m = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - m));
    const s = e.reduce((p, q) => p + q, 0);
    this.probabilities = e.map((v) => v / s);
    const best = this.probabilities.indexOf(Math.max(...this.probabilities));
    const cls = (k: number) => this.opts.classes?.[k] ?? String(k);
    const truth = this.opts.labels ? ` (${tr({ en: 'true', zh: '真实' })}: ${escapeHtml(cls(this.opts.labels[i]))})` : '';
    this.prediction.value = `<div style="font-size:16px"><b>${tr({ en: 'prediction', zh: '预测' })}: ${escapeHtml(cls(best))}</b> ${(100 * this.probabilities[best]).toFixed(1)}%${truth}</div>`;
    this.input.value = pngBytes(imageOf(x));
    const shown = chosen.shape.length === 4 ? chosen : chosen.reshape([1, chosen.size, 1, 1]);
    this.still = featureMaps(shown, { title: `${this.layer.label} → [${chosen.shape.join(', ')}], ${tr({ en: 'prediction', zh: '预测' })} ${cls(best)}` });
    this.maps.value = pngBytes(this.still);
  }
}

/** The feature-map explorer. @example show(featureMapExplorer(net, test.x.slice…, { classes: test.classes })) */
export function featureMapExplorer(model: Sequential, images: Tensor, opts?: FeatureExplorerOptions): FeatureMapExplorer {
  return new FeatureMapExplorer(model, images, opts);
}
