/** Shared plumbing of the widget browser tests: ports, waiting for servers, stopping them, pixel diffs. */
import type { ChildProcess } from 'child_process';
import { createServer } from 'net';
import { loadImage, createCanvas } from 'canvas';

export const CHROMIUM = '/usr/bin/chromium';
/** The project's Chromium flags (the user data dir comes from launchPersistentContext). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Resolves once GET url answers (any status); rejects when the server exits or after timeoutMs. */
export async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode} before answering ${url}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

/** SIGTERM the process (its group when spawned detached), SIGKILL after 10 s. */
export async function stopProcess(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.pid === undefined) return;
  const exited = new Promise((r) => p.once('exit', r));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-p.pid!, sig);
    } catch {
      p.kill(sig);
    }
  };
  kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (p.exitCode === null) kill('SIGKILL');
}

/** Compare two PNG screenshots: the fraction of pixels whose RGB differs by more than 24. */
export async function pixelDiff(a: Buffer, b: Buffer): Promise<{ sizeChanged: boolean; fraction: number; size: [number, number, number, number] }> {
  const [ia, ib] = await Promise.all([loadImage(a), loadImage(b)]);
  const size: [number, number, number, number] = [ia.width, ia.height, ib.width, ib.height];
  const w = Math.min(ia.width, ib.width);
  const h = Math.min(ia.height, ib.height);
  const px = (img: typeof ia) => {
    const c = createCanvas(w, h);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, w, h).data;
  };
  const [da, db] = [px(ia), px(ib)];
  let differ = 0;
  for (let i = 0; i < da.length; i += 4) {
    if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > 24) differ++;
  }
  return { sizeChanged: ia.width !== ib.width || ia.height !== ib.height, fraction: differ / (w * h), size };
}
