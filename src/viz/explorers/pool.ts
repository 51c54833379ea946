/**
 * Pooling / ReLU explorer (lesson 03): max vs average pooling (or ReLU) over a small grid, with
 * kernel size, stride and ceil mode; the walkthrough's last frame and the output size
 * ⌊(H − K)/S⌋ + 1 (⌈·⌉ in ceil mode) with the current numbers.
 */
import { tr } from '../../display/locale';
import { escapeHtml } from '../../display/mime';
import { maxPool2d, avgPool2d } from '../../ops/pool';
import { tensor } from '../../tensor/tensor';
import { RasterImage } from '../raster';
import { poolWalkthrough, reluWalkthrough } from '../walk-ops';
import { Checkbox, IntSlider } from '../../widgets/controls';
import { VBox } from '../../widgets/containers';
import { HTML, Image } from '../../widgets/media';
import { ToggleButtons } from '../../widgets/selection';
import { ExplorerView, pngBytes } from './view';

/** A 6×6 grid with signed values, so ReLU, max and average differ visibly. */
export const POOL_INPUT = [[1, -2, 3, 0, -1, 2], [4, 6, -5, 1, 0, -3], [-1, 2, 0, 7, 2, 1], [3, -4, 1, 2, -6, 5], [0, 1, -2, 3, 4, -1], [2, 5, 1, -3, 0, 2]];

export type PoolMode = 'max' | 'avg' | 'relu';

export class PoolExplorer extends ExplorerView {
  readonly root: VBox;
  readonly mode: ToggleButtons<PoolMode>;
  readonly kernelSize: IntSlider;
  readonly stride: IntSlider;
  readonly ceilMode: Checkbox;
  readonly picture: Image;
  readonly formula: HTML;
  private still!: RasterImage;

  constructor(readonly grid: number[][] = POOL_INPUT) {
    super();
    this.mode = new ToggleButtons<PoolMode>({ options: [['max pool', 'max'], ['avg pool', 'avg'], ['ReLU', 'relu']], description: tr({ en: 'operation', zh: '运算' }) });
    this.kernelSize = new IntSlider({ value: 2, min: 1, max: 4, description: tr({ en: 'kernel K', zh: '窗口 K' }) });
    this.stride = new IntSlider({ value: 2, min: 1, max: 4, description: tr({ en: 'stride S', zh: '步长 S' }) });
    this.ceilMode = new Checkbox({ value: false, description: 'ceil mode' });
    this.picture = new Image();
    this.formula = new HTML();
    this.root = new VBox([this.mode, this.kernelSize, this.stride, this.ceilMode, this.formula, this.picture]);
    for (const w of [this.mode, this.kernelSize, this.stride, this.ceilMode]) w.observe(() => this.update());
    this.update();
  }

  snapshot(): RasterImage {
    return this.still;
  }

  update(): void {
    const mode = this.mode.value;
    const [K, S, ceil] = [this.kernelSize.value, this.stride.value, this.ceilMode.value];
    const H = this.grid.length;
    if (mode === 'relu') {
      this.formula.value = `<div style="font-size:16px"><b>ReLU</b> max(0, x) ${tr({ en: 'element by element', zh: '逐元素' })}: ${H}×${this.grid[0].length} → ${H}×${this.grid[0].length}</div>`;
      this.still = raster(reluWalkthrough(this.grid));
    } else {
      const x = tensor([[this.grid]]);
      const opts = { kernelSize: K, stride: S, ceilMode: ceil };
      const out = mode === 'max' ? maxPool2d(x, opts) : avgPool2d(x, opts);
      const n = out.shape[2];
      const exact = (H - K) / S + 1;
      this.formula.value = `<div style="font-size:16px"><b>${tr({ en: 'Output size', zh: '输出尺寸' })}</b> ${ceil ? '⌈' : '⌊'}(H − K)/S${ceil ? '⌉' : '⌋'} + 1: ${escapeHtml(`${ceil ? '⌈' : '⌊'}(${H} − ${K})/${S}${ceil ? '⌉' : '⌋'} + 1 = ${n}`)}${Number.isInteger(exact) ? '' : ` (${exact.toFixed(2)})`} → ${n}×${out.shape[3]}</div>`;
      // The walkthrough has no ceil mode: show the windows that fit, and say so when ceil adds one.
      const walk = raster(poolWalkthrough(this.grid, { kernelSize: K, stride: S, mode }));
      this.still = walk;
      if (ceil && n > Math.floor((H - K) / S) + 1) {
        this.formula.value += `<div style="font-size:14px">${escapeHtml(tr({ en: `ceil mode adds a last, partial window per row and column (output [${Array.from(out.data).map((v) => +v.toFixed(2)).join(', ')}])`, zh: `ceil 模式在每行每列末尾多一个不完整窗口（输出 [${Array.from(out.data).map((v) => +v.toFixed(2)).join(', ')}]）` }))}</div>`;
      }
    }
    this.picture.value = pngBytes(this.still);
  }
}

function raster(walk: { png: Buffer; title: string }): RasterImage {
  return new RasterImage(walk.png, walk.png.readUInt32BE(16), walk.png.readUInt32BE(20), walk.title);
}

/** The pooling / ReLU explorer. @example show(poolExplorer()) */
export function poolExplorer(grid?: number[][]): PoolExplorer {
  return new PoolExplorer(grid);
}
