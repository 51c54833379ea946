const m = new Float32Array(1 << 20);
for (let r = 0; r < 5; r++) {
  let t0 = performance.now();
  let s = 0;
  for (let i = 0; i < 20; i++) { const a = new Float32Array(221184); a.set(m.subarray(0, 221184)); s += a[5]; }
  const a = (performance.now() - t0) / 20;
  t0 = performance.now();
  for (let i = 0; i < 20; i++) { const a = m.slice(0, 221184); s += a[5]; }
  const b = (performance.now() - t0) / 20;
  const buf = new Float32Array(221184);
  t0 = performance.now();
  for (let i = 0; i < 20; i++) { buf.set(m.subarray(0, 221184)); s += buf[5]; }
  const c = (performance.now() - t0) / 20;
  console.log(`new+set ${a.toFixed(3)} ms, slice ${b.toFixed(3)} ms, reuse set ${c.toFixed(3)} ms`, s > 1e9);
}
