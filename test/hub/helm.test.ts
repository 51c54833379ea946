import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Beyond one machine: the Dockerfile and the Zero-to-JupyterHub values (docs/helm/values.yaml),
 * checked as far as this machine can (no container engine, no Kubernetes): the values parse as
 * YAML (python3-yaml, Debian) and use only keys the chart documents (the key list of chart
 * 2.0.0's schema.yaml, test/hub/fixtures/z2jh-2.0.0-keys.txt); the image's steps are set-up.
 */
const ROOT = path.resolve(__dirname, '../..');
const PY = process.env.TSCNN_PYTHON || '/usr/bin/python3';
const KEYS = fs.readFileSync(path.join(__dirname, 'fixtures/z2jh-2.0.0-keys.txt'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#'));

function yamlToJson(file: string): any {
  const r = spawnSync(PY, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3-yaml could not parse ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Every key path in a parsed YAML mapping (lists are values: not descended into). */
function keyPaths(v: any, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...keyPaths(x, [...prefix, k])]);
}

/** Is the path documented: listed, or below a free-form mapping ('PATH.*'), '{REGEX}' segments matching? */
function documented(p: string[]): boolean {
  const segOk = (pat: string, seg: string) => (pat.startsWith('{') && pat.endsWith('}') ? new RegExp(pat.slice(1, -1)).test(seg) : pat === seg);
  return KEYS.some((k) => {
    const parts = k.split('.');
    const free = parts[parts.length - 1] === '*';
    const fixed = free ? parts.slice(0, -1) : parts;
    if (free ? p.length <= fixed.length : p.length !== fixed.length) return false;
    return fixed.every((pat, i) => segOk(pat, p[i]));
  });
}

describe('hub: Dockerfile and Zero-to-JupyterHub values', function () {
  this.timeout(30_000);
  const values = yamlToJson(path.join(ROOT, 'docs/helm/values.yaml'));
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

  it('the key checker accepts the chart\'s keys and rejects a misspelt one', () => {
    expect(KEYS.length).to.be.greaterThan(400);
    expect(documented(['singleuser', 'image', 'name'])).to.equal(true);
    expect(documented(['hub', 'config', 'Authenticator', 'admin_users'])).to.equal(true); // free-form traitlets
    expect(documented(['singleuser', 'imag'])).to.equal(false);
    expect(documented(['singleuser', 'memory', 'limt'])).to.equal(false);
    expect(documented(['cull', 'timeout', 'x'])).to.equal(false);
  });

  it('docs/helm/values.yaml is YAML and every key is one the chart documents', () => {
    const paths = keyPaths(values);
    expect(paths.length).to.be.greaterThan(20);
    const unknown = paths.filter((p) => !documented(p)).map((p) => p.join('.'));
    expect(unknown).to.deep.equal([]);
  });

  it('the values agree with the image and the hub: command, home, course sync, start page, kernel cap', () => {
    const su = values.singleuser;
    expect(dockerfile).to.match(/^CMD \["jupyterhub-singleuser"\]$/m);
    expect(su.cmd).to.equal('jupyterhub-singleuser');
    expect(dockerfile).to.match(/^USER node$/m); // the node image's uid 1000, home /home/node
    expect(su.uid).to.equal(1000);
    expect(su.storage.homeMountPath).to.equal('/home/node');
    const sync = su.lifecycleHooks.postStart.exec.command as string[];
    expect(sync[1]).to.equal('/opt/tscnn/scripts/hub/course_sync.py');
    expect(fs.existsSync(path.join(ROOT, sync[1].replace('/opt/tscnn/', '')))).to.equal(true);
    expect(sync[2]).to.equal('/opt/tscnn');
    expect(sync[3].startsWith(su.storage.homeMountPath + '/')).to.equal(true);
    const hubConfig = fs.readFileSync(path.join(ROOT, 'scripts/hub/jupyterhub_config.py'), 'utf8');
    expect(hubConfig).to.include(`c.Spawner.default_url = '${su.defaultUrl}'`);
    expect(sync[3].endsWith('/tscnn-course')).to.equal(true);
    expect(Number(su.extraEnv.TSCNN_KERNEL_MAX_OLD_SPACE_MB)).to.be.within(256, 2048);
    expect(values.hub.config.Authenticator.admin_users).to.be.an('array').that.is.not.empty;
  });

  it('the Dockerfile builds from the checkout with the set-up script as its only RUN step', () => {
    const lines = dockerfile.split('\n').filter((l) => !l.startsWith('#') && l.trim());
    expect(lines[0]).to.match(/^FROM node:20-bookworm$/); // Debian 12 + Node 20 (the project needs ≥ 20.19)
    const runs = lines.filter((l) => /^RUN\b/.test(l));
    expect(runs).to.deep.equal(['RUN bash scripts/setup.sh']);
    expect(dockerfile).to.match(/^COPY \. \/opt\/tscnn$/m);
    expect(dockerfile).to.match(/JUPYTER_PATH=\/opt\/tscnn\/\.jupyter-local\/share\/jupyter/);
    // what set-up rebuilds inside the image is not copied from the build machine
    const ignore = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', 'build', '.jupyter-local', '.hub']) expect(ignore).to.include(p);
  });
});
