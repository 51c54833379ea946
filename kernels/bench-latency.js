#!/usr/bin/env node
/**
 * Kernel latency and memory benchmark (not a test): start-to-ready (kernel_info_reply), the first
 * cell, a warm trivial cell, a typed one-liner, and the kernel process's RSS (VmRSS of
 * /proc/<pid>/status) at ready, after the first cell and at the end.
 *
 *   node kernels/bench-latency.js [--runs 3] [--first import|trivial] [--tfjs] [--stock-tslab]
 *
 * --first import (default): the first cell is `import { conv2d } from 'tscnn'` (using conv2d, so
 * the import is not elided): what a course notebook's first cell costs. --first trivial: `1 + 1`
 * (the compiler alone). --tfjs adds a cell importing @tensorflow/tfjs and its RSS.
 * Prints JSON rows {case, impl, metric, value, unit, run}. --stock-tslab measures tslab 1.0.22's
 * own kernel (node_modules/.bin/tslab kernel) for comparison. TSCNN_KERNEL_MAX_OLD_SPACE_MB and
 * other environment variables pass through to the kernel: TSCNN_KERNEL_TYPECHECK=1 measures the
 * type-checking kernel. After the cells, one completion request ('conv2' → conv2d) measures what
 * the first Tab costs (a transpile-only kernel builds the types then).
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
const firstKind = args.includes('--first') ? args[args.indexOf('--first') + 1] : 'import';
const withTfjs = args.includes('--tfjs');
const FIRST = {
  import: "import { conv2d } from 'tscnn';\ntypeof conv2d",
  trivial: '1 + 1',
};
if (!FIRST[firstKind]) throw new Error(`bench-latency: --first must be import or trivial, got ${firstKind}`);

/** Resident set size of a process in MiB (VmRSS), or NaN when it has gone. */
function rssMB(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
}

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
    : ['/bin/sh', [path.join(__dirname, 'launch.sh'), process.execPath, file]];
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
  const rssReady = rssMB(child.pid);
  const exec = async (code) => {
    const t = performance.now();
    const r = await request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, 300000);
    if (r.content.status !== 'ok') throw new Error(`cell failed: ${JSON.stringify(r.content)}`);
    return performance.now() - t;
  };
  const first = await exec(FIRST[firstKind]);
  const rssFirst = rssMB(child.pid);
  const warm = [];
  for (let i = 0; i < 5; i++) warm.push(await exec('1 + 1'));
  const typed = await exec('const xs: number[] = [1, 2, 3]; xs.map((x) => x * 2).length');
  const rssEnd = rssMB(child.pid);
  // The first completion request: in a transpile-only kernel it builds the types on demand
  // (kernels/lib/type-info.js), so it shows what the first Tab costs.
  const tc = performance.now();
  const comp = await request('complete_request', { code: 'conv2', cursor_pos: 5 }, 300000);
  const complete = performance.now() - tc;
  if (!stock && !comp.content.matches.includes('conv2d')) throw new Error(`completion lacks conv2d: ${JSON.stringify(comp.content.matches)}`);
  const rssComplete = rssMB(child.pid);
  let tfjs = NaN;
  let rssTfjs = NaN;
  if (withTfjs) {
    tfjs = await exec("import * as tf from '@tensorflow/tfjs';\ntf.tensor([1, 2]).shape");
    rssTfjs = rssMB(child.pid);
  }
  shell.close();
  child.kill('SIGTERM');
  fs.rmSync(file, { force: true });
  warm.sort((a, b) => a - b);
  return { ready, first, warm: warm[2], typed, tfjs, rssReady, rssFirst, rssEnd, rssTfjs, complete, rssComplete };
}

(async () => {
  const impl = stock ? 'tslab-1.0.22' : process.env.TSCNN_KERNEL_TYPECHECK === '1' ? 'tscnn-typecheck' : 'tscnn';
  for (let r = 0; r < runs; r++) {
    const m = await once();
    const rows = [
      ['start_to_ready', 'latency', m.ready, 'ms'], [`first_cell_${firstKind}`, 'latency', m.first, 'ms'],
      ['warm_cell_median5', 'latency', m.warm, 'ms'], ['typed_one_liner', 'latency', m.typed, 'ms'],
      ['rss_at_ready', 'rss', m.rssReady, 'MiB'], [`rss_after_first_cell_${firstKind}`, 'rss', m.rssFirst, 'MiB'],
      ['rss_at_end', 'rss', m.rssEnd, 'MiB'],
      ['first_completion', 'latency', m.complete, 'ms'], ['rss_after_first_completion', 'rss', m.rssComplete, 'MiB'],
    ];
    if (withTfjs) rows.push(['import_tfjs_cell', 'latency', m.tfjs, 'ms'], ['rss_after_tfjs', 'rss', m.rssTfjs, 'MiB']);
    for (const [k, metric, v, unit] of rows) {
      console.log(JSON.stringify({ case: `kernel/${k}`, impl, metric, value: Math.round(v), unit, run: r }));
    }
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
