/**
 * One model measurement in its own process, so its peak RSS (VmHWM) is its own:
 *   tsx bench/model_child.ts MODEL MODE BATCH SIZE REPEATS
 * MODEL lenet5 | alexnet | vgg16, MODE fwd (eval forward) | train (forward, loss, backward without
 * the input's dX, SGD update). Prints one JSON line { ms, rssMiB }: ms the median of REPEATS
 * timed calls after the warm-up (calls for WARMUP_MS), rssMiB the process's peak resident set.
 */
import { readFileSync } from 'fs';
import { alexnet, lenet5, vgg16 } from '../src/models';
import { SGD } from '../src/optim/sgd';
import { Rng, randn } from '../src/tensor';
import { ModuleTrainable } from '../src/train/trainable';

/** Peak resident set of this process in MiB (Linux /proc; NaN elsewhere). */
export function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Warm-up before timing: calls until this long has passed, at least one (bench/torch_models.py uses the same rule). */
const WARMUP_MS = 1500;

function main(): void {
  const [name, mode, batchS, sizeS, repeatsS] = process.argv.slice(2);
  const batch = Number(batchS), size = Number(sizeS), repeats = Number(repeatsS ?? 3);
  const build = { lenet5, alexnet, vgg16 }[name as 'lenet5'];
  if (!build || (mode !== 'fwd' && mode !== 'train') || !(batch > 0) || !(size > 0)) {
    throw new Error(`model_child: usage MODEL(lenet5|alexnet|vgg16) MODE(fwd|train) BATCH SIZE [REPEATS], got ${process.argv.slice(2).join(' ')}`);
  }
  const rng = new Rng(3);
  const model = build({ rng: new Rng(1) });
  const x = randn([batch, name === 'lenet5' ? 1 : 3, size, size], { rng });
  const classes = name === 'lenet5' ? 10 : 1000;
  const labels = Int32Array.from({ length: batch }, () => rng.int(classes));
  const trainer = new ModuleTrainable(model, new SGD(model, { lr: 0.001 }));
  const run = mode === 'fwd' ? () => void trainer.predict(x) : () => void trainer.trainStep(x, labels);
  // Warm-up: first-touch buffers, the wasm worker, and V8's optimizing tiers — wasm kernels run
  // in V8's baseline tier for their first calls, so one call was not enough for the small models
  // (LeNet-5 at batch 256 measured faster than at batch 64), nor were 50: LeNet-5 at batch 1
  // measured 0.52–0.57 ms after 50 calls, 0.40–0.44 ms after 1.5 s (~3,000 calls). So: calls
  // until WARMUP_MS, at least one (a VGG16 step takes seconds: one call).
  const w0 = Date.now();
  for (let k = 0; k === 0 || Date.now() - w0 < WARMUP_MS; k++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ ms: times[times.length >> 1], rssMiB: peakRssMiB() }));
}

if (require.main === module) main();
