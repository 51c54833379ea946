/**
 * One simulated student: log in through the form, start a server, open each notebook (Contents
 * API, then a session with the notebook's kernel, as Notebook's front end does) and run every
 * code cell over the kernel websocket, one after another, with a pause between cells.
 */
import { ContentsManager, KernelManager, KernelMessage, ServerConnection, SessionManager } from '@jupyterlab/services';
import { HubSession } from './hub-session';

export interface CellResult { notebook: string; cell: number; ms: number; ok: boolean; error?: string }
export interface StudentResult {
  user: string; loginMs?: number; spawnMs?: number; kernelIds: string[];
  cells: CellResult[]; errors: string[];
}
export interface StudentOptions {
  password: string; notebooks: string[]; thinkMs: number; cellTimeoutMs: number; spawnTimeoutMs: number;
  /** true once the run's overall deadline has passed: stop starting cells */
  expired: () => boolean;
}

interface NbCell { cell_type: string; source: string | string[] }

/** The course's notebook paths on the server (tscnn-course/notebooks/**), by listing folders. */
async function listNotebooks(contents: ContentsManager, dir: string): Promise<string[]> {
  const m = await contents.get(dir, { content: true });
  const out: string[] = [];
  for (const item of m.content as Array<{ type: string; path: string }>) {
    if (item.type === 'directory' && !item.path.split('/').pop()!.startsWith('.')) out.push(...await listNotebooks(contents, item.path));
    else if (item.type === 'notebook') out.push(item.path);
  }
  return out;
}

/** The notebook for a prefix like '01': files named 01-*.ipynb; the English copy (…/en/…) first. */
export function pickNotebook(all: string[], prefix: string): string | undefined {
  const hits = all.filter((p) => p.split('/').pop()!.startsWith(`${prefix}-`));
  const rank = (p: string) => (p.includes('/en/') ? 0 : 1) * 1000 + p.length;
  return hits.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
}

function sleep(ms: number) { return new Promise((ok) => setTimeout(ok, ms)); }

async function runCell(kernel: NonNullable<import('@jupyterlab/services').Session.ISessionConnection['kernel']>,
  code: string, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  const future = kernel.requestExecute({ code, stop_on_error: true, allow_stdin: false, store_history: true });
  let iopubError = '';
  future.onIOPub = (msg) => {
    if (KernelMessage.isErrorMsg(msg)) iopubError = `${msg.content.ename}: ${msg.content.evalue}`;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((ok) => { timer = setTimeout(() => ok('timeout'), timeoutMs); });
  try {
    const reply = await Promise.race([future.done, timeout]);
    if (reply === 'timeout') { future.dispose(); return { ok: false, error: `no reply within ${timeoutMs} ms` }; }
    const st = reply.content.status;
    if (st !== 'ok') return { ok: false, error: iopubError || `reply status ${st}` };
    return iopubError ? { ok: false, error: iopubError } : { ok: true };
  } catch (e) {
    return { ok: false, error: `kernel: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function runStudent(hub: URL, user: string, o: StudentOptions): Promise<StudentResult> {
  const r: StudentResult = { user, kernelIds: [], cells: [], errors: [] };
  const s = new HubSession(hub, user);
  let t = Date.now();
  try { await s.login(o.password); r.loginMs = Date.now() - t; } catch (e) { r.errors.push(`login: ${(e as Error).message}`); return r; }
  t = Date.now();
  try { await s.spawn(o.spawnTimeoutMs); await s.openServer(); r.spawnMs = Date.now() - t; } catch (e) {
    r.errors.push(`spawn: ${(e as Error).message}`); return r;
  }
  const serverSettings: ServerConnection.ISettings = s.serverSettings();
  const contents = new ContentsManager({ serverSettings });
  const kernelManager = new KernelManager({ serverSettings, standby: 'never' });
  const sessions = new SessionManager({ serverSettings, kernelManager, standby: 'never' });
  try {
    const all = await listNotebooks(contents, 'tscnn-course/notebooks');
    for (const prefix of o.notebooks) {
      const path = pickNotebook(all, prefix);
      if (!path) { r.errors.push(`notebook ${prefix}: none of ${all.length} notebooks is named ${prefix}-*.ipynb`); continue; }
      const nb = (await contents.get(path, { content: true })).content as { cells: NbCell[]; metadata: { kernelspec?: { name: string } } };
      let session;
      try {
        session = await sessions.startNew({ path, name: path.split('/').pop()!, type: 'notebook', kernel: { name: nb.metadata.kernelspec?.name ?? 'tscnn' } });
      } catch (e) { r.errors.push(`kernel start ${path}: ${(e as Error).message}`); continue; }
      const kernel = session.kernel!;
      r.kernelIds.push(kernel.id);
      try {
        const info = await Promise.race([kernel.info, sleep(o.cellTimeoutMs).then(() => undefined)]);
        if (!info) { r.errors.push(`kernel start ${path}: no kernel_info reply within ${o.cellTimeoutMs} ms`); continue; }
        const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
        for (let i = 0; i < code.length; i++) {
          if (o.expired()) { r.errors.push(`${path}: run deadline reached before cell ${i + 1}/${code.length}`); break; }
          if (!code[i].trim()) continue;
          const t0 = Date.now();
          const res = await runCell(kernel, code[i], o.cellTimeoutMs);
          r.cells.push({ notebook: path, cell: i + 1, ms: Date.now() - t0, ...res });
          if (!res.ok) r.errors.push(`${path} cell ${i + 1}: ${res.error}`);
          if (o.thinkMs > 0) await sleep(o.thinkMs);
        }
      } finally {
        await session.shutdown().catch((e: Error) => r.errors.push(`kernel shutdown ${path}: ${e.message}`));
        session.dispose();
      }
    }
  } catch (e) {
    r.errors.push(`server: ${(e as Error).message}`);
  } finally {
    sessions.dispose();
    kernelManager.dispose();
    await s.stop(o.spawnTimeoutMs).catch((e: Error) => r.errors.push(`cleanup: ${e.message}`));
  }
  return r;
}
