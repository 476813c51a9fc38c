/**
 * `meshcraft simulate`, run in-process: JSON fields per request, request files with repeat /
 * sequential / load, proxy state carried between requests, the human-readable summary, and clear
 * errors (exit 2) for absurd input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CB = join(root, 'src/engine/sim/fixtures/circuit-breaking.yaml');
const CLUSTER = 'outbound|8000||httpbin.default.svc.cluster.local';

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const fortio = (extra: Record<string, unknown> = {}) => ({
  source: { workload: 'fortio-deploy' },
  request: { authority: 'httpbin:8000', path: '/get' },
  assume: { upstream: { httpbin: { latencyMs: { dist: 'lognormal', p50: 5, p99: 15 } } } },
  ...extra,
});

const file = (content: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshcraft-sim-'));
  const f = join(dir, 'requests.json');
  writeFileSync(f, JSON.stringify(content));
  return f;
};

describe('meshcraft simulate', () => {
  it('--request with --count and --concurrency prints the JSON fields of the issue (the circuit-breaking task, fortio -c 3)', async () => {
    const r = await cli('simulate', CB, '--request', JSON.stringify(fortio()), '--count', '30', '--concurrency', '3', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(expect.arrayContaining(['count', 'bySubset', 'byWorkload', 'statusCounts', 'flagCounts', 'latencyMs', 'stats', 'ejectedEndpoints']));
    expect(o.count).toBe(30);
    expect(Object.keys(o.latencyMs)).toEqual(['p50', 'p90', 'p99', 'max']);
    expect(o.statusCounts['503']).toBeGreaterThan(0);
    expect(o.flagCounts.UO).toBe(o.statusCounts['503']);
    expect(o.stats[`cluster.${CLUSTER}.upstream_rq_pending_overflow`]).toBe(o.flagCounts.UO);
    expect(o.bySubset).toEqual({ 'httpbin.default.svc.cluster.local': 30 });
    expect(o.ejectedEndpoints).toEqual([]);
  });

  it('--requests runs entries in turn: "repeat" sends at once, "sequential" one at a time, "load" as given; stats are per entry', async () => {
    const f = file([fortio({ repeat: 3 }), fortio({ repeat: 20, sequential: true }), fortio({ load: { requests: 40, concurrency: 4, qps: 200 } })]);
    const r = await cli('simulate', CB, '--requests', f, '--json');
    expect(r.code).toBe(0);
    const [burst, oneByOne, paced] = JSON.parse(r.out);
    expect(burst.count).toBe(3);
    expect(burst.flagCounts.UO).toBeGreaterThan(0);
    expect(oneByOne.count).toBe(20);
    expect(oneByOne.statusCounts).toEqual({ 200: 20 });
    expect(oneByOne.stats[`cluster.${CLUSTER}.upstream_rq_pending_overflow`]).toBe(0);
    expect(paced.count).toBe(40);
    expect(paced.simulatedMs).toBeGreaterThan(190);
  });

  it('proxy state carries over: a pod ejected by the first request stays ejected for the second (503 UH)', async () => {
    const bad = { ...fortio(), assume: { upstream: { httpbin: { status: 503 } } } };
    const f = file([{ ...bad, repeat: 1 }, { ...fortio(), repeat: 5, sequential: true }]);
    const r = await cli('simulate', CB, '--requests', f, '--json');
    expect(r.code).toBe(0);
    const [first, second] = JSON.parse(r.out);
    expect(first.statusCounts).toEqual({ 503: 1 });
    expect(first.ejectedEndpoints).toMatchObject([{ pod: 'default/httpbin-0', ejectedAtEnd: true }]);
    expect(second.flagCounts).toEqual({ UH: 5 });
  });

  it("a request through the egress gateway: its stats include the gateway proxy's (where the circuit breaker on the external host trips)", async () => {
    const task = join(root, 'src/engine/sim/fixtures/egress-gateway.yaml');
    const curl = { source: { workload: 'curl' }, request: { authority: 'edition.cnn.com', path: '/politics' }, assume: { external: { 'edition.cnn.com:80': { latencyMs: 20 } } } };
    const r = await cli('simulate', task, '--request', JSON.stringify(curl), '--count', '30', '--concurrency', '3', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.flagCounts.UO).toBeGreaterThan(0);
    expect(o.stats['cluster.outbound|80||edition.cnn.com.upstream_rq_pending_overflow']).toBe(o.flagCounts.UO);
    expect(o.stats['cluster.outbound|80|cnn|istio-egressgateway.istio-system.svc.cluster.local.upstream_rq_total']).toBe(30);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli('simulate', CB, '--request', JSON.stringify(fortio()), '--count', '20', '--concurrency', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^GET httpbin:8000\/get from fortio-deploy — 20 requests, 2 connections, max qps/);
    expect(r.out).toMatch(/^ {2}statuses {3}200 × \d+/m);
    expect(r.out).toMatch(/^ {2}latency {4}p50 [\d.]+ ms, p90/m);
    expect(r.out).toMatch(/^ {2}stats {6}cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.upstream_rq_total: \d+$/m);
    expect(r.out).toMatch(/upstream_rq_pending_overflow: \d+/);
  });

  it('absurd input gives clear messages and exit code 2 before anything runs', async () => {
    const req = JSON.stringify(fortio());
    expect(await cli('simulate', CB, '--request', req, '--count', '1000000000000')).toMatchObject({ code: 2, err: expect.stringContaining('--count must be a whole number from 1 to 100,000,000 (got 1000000000000)') });
    expect(await cli('simulate', CB, '--request', req, '--concurrency', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--concurrency must be a whole number from 1 to 100,000 (got 0)') });
    const negative = JSON.stringify({ ...fortio(), assume: { upstream: { httpbin: { latencyMs: -5 } } } });
    expect(await cli('simulate', CB, '--request', negative)).toMatchObject({ code: 2, err: 'meshcraft: assume.upstream["httpbin"].latencyMs must not be negative (got -5)' });
    const f = file([fortio(), fortio({ repeat: 0 })]);
    expect(await cli('simulate', CB, '--requests', f)).toMatchObject({ code: 2, err: 'meshcraft: request #2: "repeat" must be a whole number from 1 to 100,000,000 (got 0)' });
    const unknown = JSON.stringify({ source: { workload: 'nobody' }, request: { authority: 'httpbin:8000' } });
    expect(await cli('simulate', CB, '--request', unknown)).toMatchObject({ code: 2, err: expect.stringMatching(/^meshcraft: unknown source workload "nobody"/) });
  });
});
