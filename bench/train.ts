/**
 * LeNet-5 training throughput on MNIST-shaped data (batch 64, random images and labels, plain
 * SGD lr 0.01): the hand-written engine vs the same model mirrored in every tfjs backend.
 * Metric: images per second over whole training steps (forward, loss, backward, update).
 * PyTorch's row ('pytorch', when the run has a peer: bench/torch-peer.ts) is measured here, in
 * windows alternating with tscnn's, so that the two see the same machine state.
 */
import { lenet5 } from '../src/models';
import { SGD } from '../src/optim/sgd';
import { Rng, randn } from '../src/tensor';
import { availableTfBackends, loadTf } from '../src/tfjs/backend';
import { toTf } from '../src/tfjs/layout';
import { toTfModel } from '../src/tfjs/model';
import { ModuleTrainable } from '../src/train/trainable';
import { alternate, bestRound, fmtRounds, interleaveRounds } from './interleave';
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
  const tfjsBudgetMs = o.quick ? 1000 : 4000; // one window per backend (not interleaved)

  // The step `fit` runs (forward, loss, backward without dL/dx of the input, SGD update), as the
  // tfjs and PyTorch peers run theirs. tscnn and PyTorch alternate windows (bench/interleave.ts);
  // each reports its best window's images/s.
  const model = lenet5({ rng: new Rng(1) });
  const trainer = new ModuleTrainable(model, new SGD(model, { lr: 0.01 }));
  const peer = (await o.torch?.peer()) ?? null;
  const rounds = interleaveRounds(o.quick);
  const windowMs = o.quick ? 500 : 1500;
  const windows = await alternate(
    rounds,
    () => {
      const w = stepsFor(windowMs, () => trainer.trainStep(x, labels), 3);
      return w.ms / w.steps / 1000;
    },
    peer ? async () => (await peer.time({ case: 'lenet5', pass: 'train', batch: BATCH, minTime: windowMs / 1000 })).seconds : undefined,
  );
  const rates = (secondsPerStep: number[]) => secondsPerStep.map((s) => BATCH / s);
  const oursRates = rates(windows.ours);
  const oursRate = oursRates[bestRound(windows.ours)];
  rows.push({ case: 'lenet5-train', impl: 'tscnn', metric: 'imagesPerSec', value: oursRate, unit: 'images/s' });
  o.log(`lenet5-train tscnn: ${oursRate.toFixed(0)} images/s (best of ${rounds} rounds: ${fmtRounds(oursRates, 0)})`);

  for (const backend of await availableTfBackends()) {
    const h = await loadTf(backend);
    const tf = h.tf;
    const mirror = await toTfModel(lenet5({ rng: new Rng(1) }), x.shape, h);
    const xt = toTf(tf, x);
    const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10));
    const opt = tf.train.sgd(0.01);
    const vars = [...mirror.variables.values()];
    const r = stepsFor(backend === 'cpu' ? Math.min(tfjsBudgetMs, 1500) : tfjsBudgetMs, () => {
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
  // last, as when the torch suite added it: the table's columns keep their order
  if (peer && o.torch) {
    const theirRates = rates(windows.theirs);
    const theirRate = theirRates[bestRound(windows.theirs)];
    rows.push({ case: 'lenet5-train', impl: 'pytorch', metric: 'imagesPerSec', value: theirRate, unit: 'images/s' });
    o.log(`lenet5-train pytorch: ${theirRate.toFixed(0)} images/s (best of ${rounds} rounds: ${fmtRounds(theirRates, 0)}, interleaved with tscnn's)`);
    o.torch.measured.add('lenet5-train');
    o.torch.notes.push(`lenet5-train: tscnn and pytorch measured interleaved, ${rounds} rounds each, best round reported`);
  }
  return rows;
}
