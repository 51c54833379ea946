/**
 * `npm run loadtest`: a class of simulated students against a hub on this machine.
 *
 *   npm run loadtest -- --url http://127.0.0.1:8000 --students N [--notebooks 01,02,…]
 *       [--json FILE] [--think S] [--ramp S] [--timeout S] [--prefix NAME]
 *
 * The hub must run in demo mode (`npm run hub -- --demo`): each student logs in through the login
 * form with TSCNN_HUB_PASSWORD as user PREFIX-NN, starts a server, opens the notebooks (default
 * 01) and runs every code cell over the kernel websocket, pausing --think seconds (default 0)
 * between cells; students arrive spread evenly over --ramp seconds (default 0). The whole run
 * stops after --timeout seconds (default 600): unfinished cells count as errors. Every student's
 * server is stopped at the end. Prints (and writes to FILE) a JSON summary; exit status 1 when
 * errors > 0.
 */
import * as fs from 'fs';
import * as path from 'path';
import { localHubUrl, HubError } from './hub-session';
import { MemorySampler } from './memory';
import { runStudent, StudentResult } from './student';

interface Args {
  url: URL; students: number; notebooks: string[]; json?: string; thinkMs: number; rampMs: number;
  timeoutMs: number; prefix: string;
}

function parse(argv: string[]): Args {
  const get = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new HubError(`loadtest: unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    if (eq > 0) get.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length) get.set(a.slice(2), argv[++i]);
    else throw new HubError(`loadtest: ${a} needs a value`);
  }
  const known = ['url', 'students', 'notebooks', 'json', 'think', 'ramp', 'timeout', 'prefix'];
  for (const k of get.keys()) if (!known.includes(k)) throw new HubError(`loadtest: unknown option --${k} (known: ${known.map((x) => '--' + x).join(' ')})`);
  const num = (k: string, def: number, min: number, max: number) => {
    const v = get.has(k) ? Number(get.get(k)) : def;
    if (!Number.isFinite(v) || v < min || v > max) throw new HubError(`loadtest: --${k} must be a number in [${min}, ${max}], got '${get.get(k)}'`);
    return v;
  };
  if (!get.has('url')) throw new HubError('loadtest: --url is required (the hub, e.g. http://127.0.0.1:8000)');
  const notebooks = (get.get('notebooks') ?? '01').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of notebooks) if (!/^\d\d$/.test(n)) throw new HubError(`loadtest: --notebooks takes two-digit numbers like 01,02; got '${n}'`);
  const prefix = get.get('prefix') ?? 'loadtest';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(prefix)) throw new HubError(`loadtest: --prefix must be a-z, 0-9, - (≤ 21 characters), got '${prefix}'`);
  return {
    url: localHubUrl(get.get('url')!), students: Math.round(num('students', NaN, 1, 500)), notebooks,
    json: get.get('json'), thinkMs: num('think', 0, 0, 600) * 1000, rampMs: num('ramp', 0, 0, 3600) * 1000,
    timeoutMs: num('timeout', 600, 10, 7200) * 1000, prefix,
  };
}

/** The q-quantile (0..1) of xs by linear interpolation between order statistics. */
export function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** Errors grouped by kind (student names, notebook paths and cell numbers taken out), most first. */
export function errorKinds(errors: string[]): Record<string, number> {
  const n = new Map<string, number>();
  for (const e of errors) {
    const k = e.replace(/^[^:]+: /, '').replace(/\S+\.ipynb/g, 'NOTEBOOK').replace(/cell \d+(\/\d+)?/g, 'cell N')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID');
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return Object.fromEntries([...n].sort((a, b) => b[1] - a[1]));
}

async function main() {
  const a = parse(process.argv.slice(2));
  const password = process.env.TSCNN_HUB_PASSWORD;
  if (!password) throw new HubError('loadtest: set TSCNN_HUB_PASSWORD to the demo hub\'s password');
  const users = Array.from({ length: a.students }, (_, i) => `${a.prefix}-${String(i + 1).padStart(2, '0')}`);
  const mem = new MemorySampler(new Set(users));
  const start = Date.now();
  const deadline = start + a.timeoutMs;
  mem.start();
  const results: StudentResult[] = await Promise.all(users.map(async (user, i) => {
    await new Promise((ok) => setTimeout(ok, a.students > 1 ? (a.rampMs * i) / (a.students - 1) : 0));
    return runStudent(a.url, user, {
      password, notebooks: a.notebooks, thinkMs: a.thinkMs, expired: () => Date.now() > deadline,
      cellTimeoutMs: Math.min(120_000, a.timeoutMs), spawnTimeoutMs: Math.min(180_000, a.timeoutMs),
    });
  }));
  const memory = mem.stop();
  const cells = results.flatMap((r) => r.cells);
  const okMs = cells.filter((c) => c.ok).map((c) => c.ms);
  const spawn = results.map((r) => r.spawnMs).filter((x): x is number => x !== undefined);
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.user}: ${e}`));
  const r1 = (x: number | null) => (x === null ? null : Math.round(x));
  const summary = {
    students: a.students, notebooks: a.notebooks, thinkS: a.thinkMs / 1000, rampS: a.rampMs / 1000,
    errors: errors.length, cells: cells.length, cellsOk: okMs.length,
    p50: r1(quantile(okMs, 0.5)), p95: r1(quantile(okMs, 0.95)), max: okMs.length ? Math.max(...okMs) : null,
    spawnP50: r1(quantile(spawn, 0.5)), spawnP95: r1(quantile(spawn, 0.95)),
    loginP95: r1(quantile(results.map((r) => r.loginMs).filter((x): x is number => x !== undefined), 0.95)),
    ...memory, wallS: Math.round((Date.now() - start) / 100) / 10,
    errorKinds: errorKinds(errors),
    errorList: errors.slice(0, 50),
  };
  const text = JSON.stringify(summary, null, 1);
  if (a.json) {
    fs.mkdirSync(path.dirname(path.resolve(a.json)), { recursive: true });
    fs.writeFileSync(a.json + '.tmp', text + '\n');
    fs.renameSync(a.json + '.tmp', a.json);
  }
  console.log(text);
  process.exit(errors.length ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => { console.error(e instanceof HubError ? e.message : e); process.exit(2); });
}
