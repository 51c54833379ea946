/**
 * Chain-rule stepper (lesson 04) for f = (x + y)·z with q = x + y: a slider per input, and a
 * step slider walking forward (q, then f) and backward (∂f/∂f = 1, ∂f/∂q = z, ∂f/∂z = q,
 * ∂f/∂x = ∂f/∂y = z · 1) through the computation, computed by the autograd `Value`.
 */
import { tr } from '../../display/locale';
import { escapeHtml } from '../../display/mime';
import { Value } from '../../autograd/value';
import { font, whiteCanvas, RasterImage } from '../raster';
import { FloatSlider, IntSlider } from '../../widgets/controls';
import { VBox } from '../../widgets/containers';
import { HTML, Image } from '../../widgets/media';
import { ExplorerView, pngBytes } from './view';

const STEPS = 6;
const STEP_TEXT = ['inputs x, y, z', 'forward: q = x + y', 'forward: f = q · z', 'backward: ∂f/∂f = 1', 'backward: ∂f/∂q = z, ∂f/∂z = q', 'backward: ∂f/∂x = ∂f/∂q · 1, ∂f/∂y = ∂f/∂q · 1'];

export class ChainRuleStepper extends ExplorerView {
  readonly root: VBox;
  readonly x: FloatSlider;
  readonly y: FloatSlider;
  readonly z: FloatSlider;
  readonly step: IntSlider;
  readonly picture: Image;
  readonly text: HTML;
  /** The values of the last computation: data and grad of each node. */
  nodes!: Record<'x' | 'y' | 'z' | 'q' | 'f', { data: number; grad: number }>;
  private still!: RasterImage;

  constructor(init: { x?: number; y?: number; z?: number } = {}) {
    super();
    const mk = (name: string, value: number) => new FloatSlider({ value, min: -5, max: 5, step: 0.5, description: name });
    this.x = mk('x', init.x ?? -2);
    this.y = mk('y', init.y ?? 5);
    this.z = mk('z', init.z ?? -4);
    this.step = new IntSlider({ value: STEPS - 1, min: 0, max: STEPS - 1, description: tr({ en: 'step', zh: '步骤' }) });
    this.picture = new Image();
    this.text = new HTML();
    this.root = new VBox([this.x, this.y, this.z, this.step, this.text, this.picture]);
    for (const w of [this.x, this.y, this.z, this.step]) w.observe(() => this.update());
    this.update();
  }

  snapshot(): RasterImage {
    return this.still;
  }

  update(): void {
    const x = new Value(this.x.value, 'x');
    const y = new Value(this.y.value, 'y');
    const z = new Value(this.z.value, 'z');
    const q = x.add(y);
    const f = q.mul(z);
    f.backward();
    this.nodes = { x: { data: x.data, grad: x.grad }, y: { data: y.data, grad: y.grad }, z: { data: z.data, grad: z.grad }, q: { data: q.data, grad: q.grad }, f: { data: f.data, grad: f.grad } };
    const s = this.step.value;
    this.text.value = `<div style="font-size:16px"><b>${tr({ en: 'step', zh: '步骤' })} ${s}:</b> ${escapeHtml(STEP_TEXT[s])}</div>`;
    this.still = drawGraph(this.nodes, s);
    this.picture.value = pngBytes(this.still);
  }
}

/** The graph x, y → (+) → q, q, z → (·) → f with the values known at step `s`. */
function drawGraph(n: ChainRuleStepper['nodes'], s: number): RasterImage {
  const { canvas, ctx } = whiteCanvas(560, 260);
  const pos = { x: [70, 50], y: [70, 140], z: [70, 220], q: [290, 95], f: [480, 150] } as const;
  const known = (k: keyof typeof pos) => ({ data: k === 'q' ? s >= 1 : k === 'f' ? s >= 2 : true, grad: k === 'f' ? s >= 3 : k === 'q' || k === 'z' ? s >= 4 : s >= 5 });
  ctx.strokeStyle = '#555';
  ctx.lineWidth = 2;
  const edge = (a: keyof typeof pos, b: keyof typeof pos) => {
    ctx.beginPath();
    ctx.moveTo(pos[a][0] + 45, pos[a][1]);
    ctx.lineTo(pos[b][0] - 45, pos[b][1]);
    ctx.stroke();
  };
  edge('x', 'q'); edge('y', 'q'); edge('q', 'f'); edge('z', 'f');
  ctx.font = font();
  for (const k of Object.keys(pos) as (keyof typeof pos)[]) {
    const [cx, cy] = pos[k];
    const kn = known(k);
    ctx.fillStyle = kn.grad ? '#fde2c4' : '#e6f0fa';
    ctx.fillRect(cx - 45, cy - 30, 90, 60);
    ctx.strokeRect(cx - 45, cy - 30, 90, 60);
    ctx.fillStyle = '#000';
    ctx.fillText(`${k} = ${kn.data ? +n[k].data.toFixed(2) : '?'}`, cx - 40, cy - 6);
    ctx.fillStyle = '#b34700';
    ctx.fillText(`∂f = ${kn.grad ? +n[k].grad.toFixed(2) : '?'}`, cx - 40, cy + 20);
  }
  const text = `f = (x + y)·z = (${n.x.data} + ${n.y.data})·${n.z.data} = ${n.f.data}; ∂f/∂x = ${n.x.grad}, ∂f/∂y = ${n.y.grad}, ∂f/∂z = ${n.z.grad} (step ${s})`;
  return new RasterImage(canvas.toBuffer('image/png'), 560, 260, text);
}

/** The chain-rule stepper. @example show(chainRuleStepper()) */
export function chainRuleStepper(init?: { x?: number; y?: number; z?: number }): ChainRuleStepper {
  return new ChainRuleStepper(init);
}
