#!/usr/bin/env node
/**
 * Kernel latency benchmark (not a test): start-to-ready (kernel_info_reply), first trivial cell
 * (includes building tslab's compiler), warm trivial cell, and a typed one-liner.
 *
 *   node kernels/bench-latency.js [--runs 3] [--stock-tslab]
 *
 * Prints JSON rows {case, impl, metric, value, unit}. --stock-tslab measures tslab 1.0.22's own
 * kernel (node_modules/.bin/tslab kernel) for comparison.
 */
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const zmq = require('zeromq');
const wire = require('./lib/wire');

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const stock = args.includes('--stock-tslab');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function once() {
  const ports = {};
  for (const k of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port']) ports[k] = await freePort();
  const conn = { ...ports, ip: '127.0.0.1', transport: 'tcp', key: crypto.randomBytes(16).toString('hex'), signature_scheme: 'hmac-sha256' };
  const file = path.join(os.tmpdir(), `tscnn-bench-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(conn));
  const root = path.resolve(__dirname, '..');
  const cmd = stock
    ? [process.execPath, [path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', file]]
    : [process.execPath, [path.join(__dirname, 'kernel.js'), file]];
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd[1], { cwd: path.join(root, 'notebooks'), stdio: ['ignore', 'ignore', 'ignore'] });
  const shell = new zmq.Dealer();
  shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
  const session = crypto.randomBytes(8).toString('hex');
  const request = async (type, content, timeoutMs) => {
    const parent = { header: { username: 'bench', session } };
    const frames = wire.encode(conn.key, type, content, null, [], session);
    await shell.send(frames);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      shell.receiveTimeout = Math.max(1, deadline - Date.now());
      const reply = wire.parse(conn.key, await shell.receive());
      if (reply.header.msg_type === type.replace('_request', '_reply')) return reply;
      void parent;
    }
  };
  // Resend kernel_info until the sockets are bound (as jupyter_client does while waiting).
  let info;
  while (!info) {
    try { info = await request('kernel_info_request', {}, 100); } catch { /* not bound yet */ }
    if (performance.now() - t0 > 30000) throw new Error('kernel did not start');
  }
  const ready = performance.now() - t0;
  const exec = async (code) => {
    const t = performance.now();
    const r = await request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, 60000);
    if (r.content.status !== 'ok') throw new Error(`cell failed: ${JSON.stringify(r.content)}`);
    return performance.now() - t;
  };
  const first = await exec('1 + 1');
  const warm = [];
  for (let i = 0; i < 5; i++) warm.push(await exec('1 + 1'));
  const typed = await exec('const xs: number[] = [1, 2, 3]; xs.map((x) => x * 2).length');
  shell.close();
  child.kill('SIGTERM');
  fs.rmSync(file, { force: true });
  warm.sort((a, b) => a - b);
  return { ready, first, warm: warm[2], typed };
}

(async () => {
  const impl = stock ? 'tslab-1.0.22' : 'tscnn';
  for (let r = 0; r < runs; r++) {
    const m = await once();
    for (const [k, v] of Object.entries({ start_to_ready: m.ready, first_cell: m.first, warm_cell_median5: m.warm, typed_one_liner: m.typed })) {
      console.log(JSON.stringify({ case: `kernel/${k}`, impl, metric: 'latency', value: Math.round(v), unit: 'ms', run: r }));
    }
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
