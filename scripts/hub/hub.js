#!/usr/bin/env node
/**
 * `npm run hub`: the course served to a class by Debian's JupyterHub 3 (docs/classroom.md).
 *
 *   npm run hub -- [--admin NAME]... [--group GROUP] [--ip IP] [--port N] [--state DIR]
 *                  [--idle-timeout S] [--kernel-heap-mb MB] [--kernel-spec-path DIR]
 *   npm run hub -- --demo [--port N] [--admin NAME]...      (needs TSCNN_HUB_PASSWORD)
 *
 * Class mode (the default) logs students in with their local accounts (PAM; members of GROUP,
 * default `tscnn`, plus the admins), runs each server as that account, installs the kernel spec
 * system-wide (unless --kernel-spec-path names a JUPYTER_PATH entry that has it) and keeps its
 * state in /var/lib/tscnn-hub. It must run as root. It listens on
 * 127.0.0.1 unless --ip says otherwise: put nginx or Caddy in front for TLS (docs/classroom.md).
 * Demo mode is a trial: 127.0.0.1 only, any user name with the password in TSCNN_HUB_PASSWORD,
 * every server under the hub's own account in .hub/demo/users/NAME.
 */
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { unreadableAncestor } = require('./access');

const ROOT = path.resolve(__dirname, '../..');

function fail(msg) {
  console.error(`hub: ${msg}`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { demo: false, admins: [], group: 'tscnn', ip: '127.0.0.1', ipGiven: false, port: 8000,
    state: '', idle: 3600, heapMb: 1536, specPath: '' };
  const int = (flag, v, min) => {
    if (!/^\d+$/.test(v) || Number(v) < min) fail(`${flag} must be an integer ≥ ${min}, got '${v}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--demo': o.demo = true; break;
      case '--admin': o.admins.push(...val().split(',').filter(Boolean)); break;
      case '--group': o.group = val(); break;
      case '--ip': o.ip = val(); o.ipGiven = true; break;
      case '--port': o.port = int('--port', val(), 1); if (o.port > 65535) fail(`--port must be ≤ 65535, got ${o.port}`); break;
      case '--state': o.state = path.resolve(val()); break;
      case '--idle-timeout': o.idle = int('--idle-timeout', val(), 60); break;
      case '--kernel-heap-mb': o.heapMb = int('--kernel-heap-mb', val(), 64); break;
      case '--kernel-spec-path': o.specPath = path.resolve(val()); break;
      case '-h': case '--help':
        console.log(fs.readFileSync(__filename, 'utf8').split(' */')[0].split('\n').slice(2).map((l) => l.replace(/^ \* ?/, '')).join('\n'));
        process.exit(0);
      default: fail(`unknown argument '${a}' (try --help)`);
    }
  }
  for (const n of o.admins) if (!/^[a-z0-9][a-z0-9._-]{0,31}$/.test(n)) fail(`--admin '${n}' is not a valid user name (a-z, 0-9, . _ -)`);
  if (o.demo && o.ipGiven && o.ip !== '127.0.0.1') fail(`--demo listens on 127.0.0.1 only; --ip ${o.ip} is refused`);
  return o;
}

/** A free TCP port on 127.0.0.1 (the hub's and the proxy's internal APIs). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function findPython() {
  const cands = [process.env.TSCNN_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const py of cands) {
    try { execFileSync(py, ['-c', 'import jupyterhub, notebook'], { stdio: 'ignore' }); return py; } catch { /* next */ }
  }
  fail(`no Python with JupyterHub and Notebook (tried ${cands.join(', ')}): run 'npm run setup' (installs Debian's jupyterhub)`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const proxy = path.join(ROOT, 'node_modules/configurable-http-proxy/bin/configurable-http-proxy');
  if (!fs.existsSync(proxy)) fail(`${proxy} is missing: run 'npm run setup' (npm ci)`);
  const py = findPython();
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('TSCNN_HUB_') && k !== 'TSCNN_HUB_PASSWORD') delete env[k];
  if (o.demo) {
    const pw = process.env.TSCNN_HUB_PASSWORD || '';
    if (!pw) fail('--demo needs a password: set TSCNN_HUB_PASSWORD (every user name logs in with it), e.g.\n  TSCNN_HUB_PASSWORD=$(openssl rand -hex 8) npm run hub -- --demo');
    o.state ||= path.join(ROOT, '.hub/demo');
    const spec = path.join(ROOT, '.jupyter-local/share/jupyter/kernels/tscnn/kernel.json');
    if (!fs.existsSync(spec)) fail(`kernel spec ${spec} is missing: run 'npm run setup'`);
    env.TSCNN_HUB_JUPYTER_PATH = path.join(ROOT, '.jupyter-local/share/jupyter');
  } else {
    delete env.TSCNN_HUB_PASSWORD;
    if (process.getuid() !== 0) fail('class mode logs students in with their local accounts and runs their servers as them: run it as root (or try --demo)');
    try { execFileSync('getent', ['group', o.group], { stdio: 'ignore' }); } catch {
      fail(`group '${o.group}' does not exist: create it and add the students (docs/classroom.md), or pass --group NAME`);
    }
    if (o.admins.length === 0) console.error('hub: warning: no --admin given; the lecturer will not see the admin page');
    // Students' servers and kernels run as the students: they must reach this checkout (the
    // kernel, node_modules, the course). A checkout under a private folder would start no kernel.
    const closed = unreadableAncestor(ROOT);
    if (closed) fail(`students cannot reach this checkout: ${closed} is not readable and searchable by other users (chmod o+rx, or clone the course somewhere like /opt/tscnn)`);
    o.state ||= '/var/lib/tscnn-hub';
    if (o.specPath) {
      // a kernel spec installed elsewhere (a JUPYTER_PATH entry every student can read)
      if (!fs.existsSync(path.join(o.specPath, 'kernels/tscnn/kernel.json'))) fail(`--kernel-spec-path ${o.specPath} has no kernels/tscnn/kernel.json`);
      env.TSCNN_HUB_JUPYTER_PATH = o.specPath;
    } else {
      // every student's server finds the kernel in <sys.prefix>/share/jupyter
      execFileSync(process.execPath, [path.join(ROOT, 'kernels/install.js'), '--sys-prefix', '--python', py], { stdio: 'inherit' });
    }
  }
  fs.mkdirSync(o.state, { recursive: true, mode: 0o700 });
  Object.assign(env, {
    TSCNN_HUB_MODE: o.demo ? 'demo' : 'pam', TSCNN_HUB_IP: o.ip, TSCNN_HUB_PORT: String(o.port),
    TSCNN_HUB_API_PORT: String(await freePort()), TSCNN_HUB_PROXY_API_PORT: String(await freePort()),
    TSCNN_HUB_STATE: o.state, TSCNN_HUB_ROOT: ROOT, TSCNN_HUB_NODE: process.execPath, TSCNN_HUB_PYTHON: py,
    TSCNN_HUB_ADMINS: o.admins.join(','), TSCNN_HUB_GROUP: o.group, TSCNN_HUB_IDLE_S: String(o.idle),
    TSCNN_HUB_KERNEL_HEAP_MB: String(o.heapMb),
  });
  console.error(`hub: ${o.demo ? 'demo' : 'class'} mode on http://${o.ip}:${o.port}/ (state ${o.state})`);
  const child = spawn(py, ['-m', 'jupyterhub', '-f', path.join(__dirname, 'jupyterhub_config.py')], {
    cwd: o.state, env, stdio: ['ignore', 'inherit', 'inherit'],
  });
  // Forward the first stop signal; JupyterHub then stops every student's server and the proxy.
  // Seen here: a hub that had run servers logged "...done" after its clean-up and did not exit;
  // so a hub still there a minute after the signal is killed.
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      child.kill(sig);
      setTimeout(() => { console.error(`hub: JupyterHub still running 60 s after ${sig}: killing it`); child.kill('SIGKILL'); }, 60_000).unref();
    });
  }
  child.on('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
}

main().catch((e) => fail(e.stack || String(e)));
