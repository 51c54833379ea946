/**
 * Test helpers: `npm run hub -- --demo` as a child process on a free port with a private state
 * folder, and the hub's process tree / listening sockets read from /proc.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

export interface DemoHub { url: string; port: number; state: string; child: ChildProcess; log: () => string; stop: () => Promise<void> }

export async function startDemoHub(password: string, extra: string[] = []): Promise<DemoHub> {
  const port = await freePort();
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-hub-'));
  let log = '';
  const child = spawn('npm', ['run', '--silent', 'hub', '--', '--demo', '--port', String(port), '--state', state, ...extra], {
    cwd: ROOT, env: { ...process.env, TSCNN_HUB_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child.pid!).then(() => fs.rmSync(state, { recursive: true, force: true }));
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${url}/hub/login`);
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > end) { await stop(); throw new Error(`hub not up after 60 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, port, state, child, log: () => log, stop };
}

const groupAlive = (pgid: number) => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

/**
 * SIGTERM to a process group (npm, node hub.js, jupyterhub, the proxy), then wait until every
 * member has exited — npm exits at once, the hub only after stopping its servers — and SIGKILL
 * whatever is left after 90 s (hub.js kills a hub stuck after its clean-up at 60 s).
 */
export async function stopGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const end = Date.now() + 90_000;
  while (groupAlive(pgid) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/** pid and every descendant (from /proc/PID/stat's ppid field). */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, p] of parent) if (p === out[i]) out.push(c);
  return out;
}

export interface Listener { address: string; port: number; pid: number }

/** Every TCP socket in LISTEN state owned by one of pids, with its local address. */
export function listeningSockets(pids: number[]): Listener[] {
  const owner = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) owner.set(m[1], pid);
      } catch { /* closed meanwhile */ }
    }
  }
  const out: Listener[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // 0A = LISTEN
      const pid = owner.get(f[9]);
      if (pid === undefined) continue;
      const [hex, port] = f[1].split(':');
      out.push({ address: decodeAddress(hex), port: parseInt(port, 16), pid });
    }
  }
  return out;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  if (hex === '00000000000000000000000001000000') return '::1';
  if (hex === '00000000000000000000000000000000') return '::';
  if (hex.startsWith('0000000000000000FFFF0000')) return '::ffff:' + decodeAddress(hex.slice(24));
  return hex;
}
