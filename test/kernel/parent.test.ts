import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe('kernel: ends when its Jupyter server is gone (kernels/lib/parent.js)', function () {
  this.timeout(60000);

  it('a kernel whose parent is killed with SIGKILL exits within seconds and says why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-parent-'));
    try {
      // Ports 0 are refused by zeromq, so pick free-looking high ports; the kernel only has to start.
      const base = 20000 + Math.floor(Math.random() * 20000);
      const conn = { shell_port: base, iopub_port: base + 1, stdin_port: base + 2, control_port: base + 3, hb_port: base + 4,
        ip: '127.0.0.1', transport: 'tcp', key: 'k', signature_scheme: 'hmac-sha256' };
      fs.writeFileSync(path.join(dir, 'conn.json'), JSON.stringify(conn));
      const log = path.join(dir, 'kernel.log');
      // A stand-in "server": a shell that starts the kernel in the background, prints its pid, and waits.
      const parent = spawn('/bin/sh', ['-c', `"${process.execPath}" "${ROOT}/kernels/kernel.js" "${dir}/conn.json" 2>"${log}" & echo $!; wait`],
        { stdio: ['ignore', 'pipe', 'ignore'] });
      const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
      expect(await until(() => fs.existsSync(log) && alive(pid), 5000)).to.equal(true);
      await new Promise((r) => setTimeout(r, 1500)); // running, parent alive: it stays
      expect(alive(pid), 'the kernel lives while its parent does').to.equal(true);
      parent.kill('SIGKILL');
      const ended = await until(() => !alive(pid) || /^Z/.test(state(pid)), 10000);
      if (!ended) process.kill(pid, 'SIGKILL');
      expect(ended, 'the kernel should end after its parent was killed').to.equal(true);
      expect(fs.readFileSync(log, 'utf8')).to.match(/its parent process \d+ ended; the kernel ends/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The process state letter from /proc (Z: ended, not yet reaped). */
function state(pid: number): string {
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.stdout.trim();
}
