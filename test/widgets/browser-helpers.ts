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

/**
 * Serve `page` (HTML) at / on 127.0.0.1 and forward /api/* (HTTP and websocket upgrades) to the
 * Jupyter server on `targetPort`, adding its token as an Authorization header: the page and the
 * API share one origin, and the token is in neither a URL nor the page.
 */
export async function startApiProxy(page: string, targetPort: number, token: string): Promise<{ port: number; close(): void }> {
  const http = await import('http');
  const net = await import('net');
  const target = `127.0.0.1:${targetPort}`;
  const fixHeaders = (h: Record<string, unknown>) => ({ ...h, host: target, origin: `http://${target}`, authorization: `token ${token}` });
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith('/api/')) {
      res.writeHead(req.url === '/' || req.url === '/index.html' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url === '/' || req.url === '/index.html' ? page : 'not found');
      return;
    }
    const up = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: fixHeaders(req.headers) }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('upgrade', (req, socket, head) => {
    const up = net.connect(targetPort, '127.0.0.1', () => {
      const headers = fixHeaders(req.headers);
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up).pipe(socket);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}
