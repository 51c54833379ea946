/**
 * LeNet-5 training throughput on MNIST-shaped data (batch 64, random images and labels, plain
 * SGD lr 0.01): the hand-written engine vs the same model mirrored in every tfjs backend.
 * Metric: images per second over whole training steps (forward, loss, backward, update).
 */
import { lenet5 } from '../src/models';
import { SGD } from '../src/optim/sgd';
import { Rng, randn } from '../src/tensor';
import { availableTfBackends, loadTf } from '../src/tfjs/backend';
import { toTf } from '../src/tfjs/layout';
import { toTfModel } from '../src/tfjs/model';
import { ModuleTrainable } from '../src/train/trainable';
import type { BenchOptions, BenchRow } from './rows';

const BATCH = 64;

function stepsFor(ms: number, step: () => void, minSteps: number): { steps: number; ms: number } {
  step(); // warm-up: first-touch buffers, let V8 optimize
  const t0 = Date.now();
  let steps = 0;
  while (steps < minSteps || Date.now() - t0 < ms) {
    step();
    steps++;
    if (Date.now() - t0 > 4 * ms) break;
  }
  return { steps, ms: Date.now() - t0 };
}

export async function trainBench(o: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = new Rng(7);
  const x = randn([BATCH, 1, 28, 28], { rng });
  const labels = Int32Array.from({ length: BATCH }, () => rng.int(10));
  const budget = o.quick ? 1000 : 4000;

  // The step `fit` runs (forward, loss, backward without dL/dx of the input, SGD update), as the
  // tfjs and PyTorch peers run theirs.
  const model = lenet5({ rng: new Rng(1) });
  const trainer = new ModuleTrainable(model, new SGD(model, { lr: 0.01 }));
  const ours = stepsFor(budget, () => trainer.trainStep(x, labels), 3);
  const oursRate = (ours.steps * BATCH * 1000) / ours.ms;
  rows.push({ case: 'lenet5-train', impl: 'tscnn', metric: 'imagesPerSec', value: oursRate, unit: 'images/s' });
  o.log(`lenet5-train tscnn: ${oursRate.toFixed(0)} images/s (${ours.steps} steps)`);

  for (const backend of await availableTfBackends()) {
    const h = await loadTf(backend);
    const tf = h.tf;
    const mirror = await toTfModel(lenet5({ rng: new Rng(1) }), x.shape, h);
    const xt = toTf(tf, x);
    const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10));
    const opt = tf.train.sgd(0.01);
    const vars = [...mirror.variables.values()];
    const r = stepsFor(backend === 'cpu' ? Math.min(budget, 1500) : budget, () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(onehot, mirror.forward(xt, true)) as never, true, vars);
      loss?.dataSync();
      loss?.dispose();
    }, 1);
    const rate = (r.steps * BATCH * 1000) / r.ms;
    rows.push({ case: 'lenet5-train', impl: `tfjs-${backend}`, metric: 'imagesPerSec', value: rate, unit: 'images/s' });
    o.log(`lenet5-train tfjs-${backend}: ${rate.toFixed(1)} images/s (${r.steps} steps)`);
    opt.dispose();
    xt.dispose();
    onehot.dispose();
    mirror.dispose();
  }
  await loadTf().catch(() => undefined);
  return rows;
}
