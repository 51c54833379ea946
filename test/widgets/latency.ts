/**
 * Slider-to-picture latency inside the kernel process: a front-end `update` of a slider (as the
 * kernel's comm layer delivers it) → the Image model's `update` with new PNG bytes sent, for the
 * lecture's 5×5 example and a photo-sized conv (data/chelsea.png, grey, 170×256).
 * Run: npx tsx test/widgets/latency.ts  → one JSON row per case (median of 15 after 3 warm-ups;
 * `cpuMs`: this process's CPU time for it, which a busy machine inflates less than wall time).
 * The browser tests record the end-to-end time (websocket and front end included) next to their
 * screenshots (ipyw8-latency.json).
 */
import { resolve } from 'path';
import { loadImage } from '../../src/data/image';
import { convExplorer } from '../../src/viz/explorers';
import { useComms } from '../../src/widgets';
import { FakeComms } from './fake-comms';

function measure(name: string, make: () => ReturnType<typeof convExplorer>): void {
  const fc = new FakeComms();
  useComms(fc);
  const ex = make();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 18; i++) {
    const before = fc.on(ex.picture.modelId).length;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fc.fromFrontend(ex.padding.modelId, { method: 'update', state: { value: i % 2 ? 0 : 1 }, buffer_paths: [] });
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (fc.on(ex.picture.modelId).length !== before + 1) throw new Error(`${name}: no picture update after the slider moved`);
    if (i >= 3) {
      times.push(t1 - t0);
      cpu.push((c1.user + c1.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  useComms(null);
  console.log(JSON.stringify({ case: name, impl: 'convExplorer', metric: 'slider update → Image update sent (median of 15)', value: +times[7].toFixed(1), unit: 'ms', min: +times[0].toFixed(1), max: +times[14].toFixed(1), cpuMs: +cpu[7].toFixed(1) }));
}

measure('5x5 lecture example', () => convExplorer());
measure('photo 170x256 grey', () => convExplorer({ input: loadImage(resolve(__dirname, '../../data/chelsea.png'), { grey: true }) }));
