import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fx = (n: string) => join(root, 'src/engine/fixtures', n);
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/meshcraft.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('meshcraft CLI (spawned)', { timeout: 60_000 }, () => {
  it('trace --requests takes an array and prints an array of traces in the same order (--json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshcraft-'));
    const reqs = join(dir, 'reqs.json');
    writeFileSync(reqs, JSON.stringify([
      { source: { workload: 'productpage-v1' }, request: { authority: 'reviews:9080', path: '/', headers: { 'end-user': 'jason' } } },
      { source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority: 'bookinfo.example.com', port: 80, path: '/nowhere' } },
    ]));
    const r = run('trace', fx('bookinfo.yaml'), fx('bookinfo-destination-rules.yaml'), fx('bookinfo-gateway.yaml'), '--requests', reqs, '--json', '--seed', '3');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toHaveLength(2);
    expect(out[0].status).toBe(200);
    expect(out[0].hops[0].proxy).toBe('sidecar productpage-v1.default');
    expect([out[1].status, out[1].flags]).toEqual([404, ['NR']]);
  });

  it('trace prints a human-readable explanation by default and honours --mesh-config', () => {
    const r = run('trace', fx('bookinfo.yaml'), '--request', JSON.stringify({ source: { workload: 'productpage-v1' }, request: { authority: 'www.google.com' } }), '--mesh-config', '{"outboundTrafficPolicy":{"mode":"REGISTRY_ONLY"}}');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Result: +502/m);
    expect(r.out).toMatch(/block_all/);
  });

  it('errors name the file and line or the unknown name, exit 2, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshcraft-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: Service\nmetadata: [\n  name: x\n');
    const req = JSON.stringify({ source: { workload: 'nobody' }, request: { authority: 'reviews:9080' } });
    const yamlErr = run('trace', bad, '--request', req);
    expect(yamlErr.code).toBe(2);
    expect(yamlErr.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: YAML error`));
    const missing = run('trace', join(dir, 'nope.yaml'), '--request', req);
    expect([missing.code, missing.err.trim()]).toEqual([2, `meshcraft: cannot read ${join(dir, 'nope.yaml')}: no such file`]);
    const unknown = run('trace', fx('bookinfo.yaml'), '--request', req);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown source workload "nobody"/);
    for (const r of [yamlErr, missing, unknown]) expect(r.err).not.toMatch(/\n\s+at /);
  });
});
