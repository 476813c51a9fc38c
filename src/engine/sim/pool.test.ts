/**
 * Connection pools and circuit breakers, per client proxy, as Envoy keeps them (semantics §6.4):
 * Istio's circuit-breaking task, the pending queue, max requests, max retries, max requests per
 * connection, and HTTP/2 multiplexing.
 */
import { describe, expect, it } from 'vitest';
import { FORTIO, HTTPBIN, clusterStats, get, meshOf, run, simFixture } from './fixtures/simutil';
import { simulate } from './simulator';

const task = () => meshOf(simFixture('circuit-breaking.yaml'));
/** httpbin's /get as the task's fortio output shows it: a few milliseconds. */
const httpbin = { httpbin: { latencyMs: { dist: 'lognormal' as const, p50: 5, p99: 15 } } };
const fortio = (c: number, n: number) => run(task(), get('fortio-deploy', 'httpbin:8000', { path: '/get' }), { requests: n, concurrency: c }, { upstream: httpbin });

const withDr = (policy: string) => meshOf(simFixture('circuit-breaking.yaml').replace(/kind: DestinationRule[\s\S]*$/, `kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
${policy}`));

describe("Istio's circuit-breaking task (maxConnections: 1, http1MaxPendingRequests: 1, maxRequestsPerConnection: 1)", () => {
  it('one connection at a time never overflows: no 503 UO and upstream_rq_pending_overflow stays 0', () => {
    const r = fortio(1, 20);
    expect(r.total.statusCounts).toEqual({ 200: 20 });
    expect(r.total.flagCounts).toEqual({});
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(s.upstream_rq_pending_overflow).toBe(0);
    // Every request opens its own connection and waits for it as a pending request.
    expect(s.upstream_cx_total).toBe(20);
    expect(s.upstream_rq_pending_total).toBe(20);
    expect(s.upstream_cx_max_requests).toBe(20);
  });

  it('two concurrent connections trip the breaker now and then: 503 UO counted as upstream_rq_pending_overflow', () => {
    const r = fortio(2, 20);
    const uo = r.total.flagCounts.UO ?? 0;
    expect(uo).toBeGreaterThan(0);
    expect(r.total.statusCounts['503']).toBe(uo);
    expect(r.total.statusCounts['200']).toBeGreaterThan(10); // the task: most requests still pass
    expect(clusterStats(r, FORTIO, HTTPBIN).upstream_rq_pending_overflow).toBe(uo);
  });

  it('three concurrent connections overflow more than two', () => {
    const two = fortio(2, 60);
    const three = fortio(3, 90);
    const share = (r: typeof two) => (r.total.flagCounts.UO ?? 0) / r.total.count;
    expect(share(three)).toBeGreaterThan(share(two));
    expect(clusterStats(three, FORTIO, HTTPBIN).upstream_rq_pending_overflow).toBe(three.total.flagCounts.UO);
  });

  it('overflows are local replies: the upstream never sees them and outlier detection does not eject for them', () => {
    const r = fortio(3, 30);
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(s.upstream_rq_total).toBe(r.total.statusCounts['200']);
    expect(r.ejections).toEqual([]);
    expect(r.total.byWorkload['default/httpbin']).toBe(r.total.statusCounts['200']);
  });
});

describe('pending queue and connection limit', () => {
  it('with keep-alive, maxConnections: 1 and one worker, requests queue behind the single connection up to http1MaxPendingRequests', () => {
    const mesh = withDr('    connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 2}}');
    // 4 concurrent clients, one worker: 1 in flight + 2 pending; the 4th overflows whenever all are busy.
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 400, concurrency: 4 }, { upstream: { httpbin: { latencyMs: 10 } }, proxyConcurrency: 1 });
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(s.upstream_cx_total).toBe(1);
    expect(r.total.flagCounts.UO).toBeGreaterThan(0);
    expect(s.upstream_rq_pending_overflow).toBe(r.total.flagCounts.UO);
    // Queued requests wait for the one connection: the latency of a 10 ms upstream grows to ~3 × 10 ms.
    expect(r.total.latencyMs.p90).toBeGreaterThan(25);
  });

  it('without limits nothing overflows and every client gets its own connection', () => {
    const mesh = withDr('    loadBalancer: {simple: ROUND_ROBIN}');
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 400, concurrency: 4 }, { upstream: { httpbin: { latencyMs: 10 } } });
    expect(r.total.statusCounts).toEqual({ 200: 400 });
    expect(clusterStats(r, FORTIO, HTTPBIN).upstream_cx_total).toBe(4);
  });

  it('a pool with no connection always gets one, even over maxConnections (upstream_cx_overflow counts it)', () => {
    // Two workers, maxConnections 1: each worker's pool opens its own connection.
    const mesh = withDr('    connectionPool: {tcp: {maxConnections: 1}}');
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 100, concurrency: 2 }, { upstream: { httpbin: { latencyMs: 10 } } });
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(s.upstream_cx_total).toBe(2);
    expect(s.upstream_cx_overflow).toBeGreaterThan(0);
    expect(r.total.statusCounts).toEqual({ 200: 100 });
  });

  it('maxRequestsPerConnection: 2 drains each connection after two requests (upstream_cx_max_requests)', () => {
    const mesh = withDr('    connectionPool: {http: {maxRequestsPerConnection: 2}}');
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 40 }, { upstream: { httpbin: { latencyMs: 3 } } });
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(r.total.statusCounts).toEqual({ 200: 40 });
    expect([s.upstream_cx_total, s.upstream_cx_max_requests, s.upstream_cx_destroy]).toEqual([20, 20, 20]);
  });

  it('http2MaxRequests limits requests in flight over all connections: the excess is 503 UO', () => {
    const mesh = withDr('    connectionPool: {http: {http2MaxRequests: 2}}');
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 300, concurrency: 3 }, { upstream: { httpbin: { latencyMs: 10 } } });
    expect(r.total.flagCounts.UO).toBeGreaterThan(0);
    expect(clusterStats(r, FORTIO, HTTPBIN).upstream_rq_pending_overflow).toBe(r.total.flagCounts.UO);
  });

  it('an HTTP/2 upstream multiplexes: one connection per worker carries every concurrent request', () => {
    const mesh = withDr('    connectionPool: {tcp: {maxConnections: 1}, http: {h2UpgradePolicy: UPGRADE, http1MaxPendingRequests: 2}}');
    const req = get('fortio-deploy', 'httpbin:8000');
    // Phase 0 opens the connections (one per worker); phase 1 then sends 8 at a time over them.
    const r = simulate(mesh, { upstream: { httpbin: { latencyMs: 10 } }, traffic: [{ mix: [req], load: { requests: 2, concurrency: 2 } }, { mix: [req], load: { requests: 400, concurrency: 8 }, phase: 1 }] });
    expect(clusterStats(r, FORTIO, HTTPBIN).upstream_cx_total).toBe(2);
    expect(r.groups[1].statusCounts).toEqual({ 200: 400 });
  });
});

describe('maxRetries', () => {
  it('retries beyond http.maxRetries in flight are not attempted (upstream_rq_retry_overflow, flag UO on the upstream answer)', () => {
    const mesh = meshOf(simFixture('circuit-breaking.yaml').replace(/kind: DestinationRule[\s\S]*$/, `kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy: {connectionPool: {http: {maxRetries: 1}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route: [{destination: {host: httpbin}}]
    retries: {attempts: 3, retryOn: 5xx}`));
    const r = run(mesh, get('fortio-deploy', 'httpbin:8000'), { requests: 200, concurrency: 8 }, { upstream: { httpbin: { status: 503, latencyMs: 5 } } });
    const s = clusterStats(r, FORTIO, HTTPBIN);
    expect(s.upstream_rq_retry_overflow).toBeGreaterThan(0);
    expect(s.upstream_rq_retry).toBeGreaterThan(0);
    expect(r.total.statusCounts).toEqual({ 503: 200 });
    expect(r.total.flagCounts.UO).toBe(s.upstream_rq_retry_overflow);
    expect(r.total.flagCounts.URX).toBe(s.upstream_rq_retry_limit_exceeded);
  });
});
