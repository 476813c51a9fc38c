/**
 * Retries, timeouts and back-off (semantics §5.11, §5.12, §10): retryOn conditions, the mesh
 * default policy, per-try timeouts with the previous-hosts predicate, the route timeout, Envoy's
 * jittered exponential back-off.
 */
import { describe, expect, it } from 'vitest';
import { clusterStats, get, meshOf, run } from './fixtures/simutil';

const design = (vs: string, dr = '{loadBalancer: {simple: ROUND_ROBIN}}', replicas = 3) => meshOf(`
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: ${replicas}, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec: {host: web, trafficPolicy: ${dr}}
${vs ? `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route: [{destination: {host: web}}]
${vs}` : ''}`);

const CLUSTER = 'outbound|80||web.default.svc.cluster.local';
const PROXY = 'sidecar client.default';
const flaky = { upstream: { web: { errorRate: 0.5, errorStatus: 503, latencyMs: 2 } } };

describe('retries', () => {
  it("turn a flaky upstream's 503s into successes when retryOn allows it (5xx, 3 retries)", () => {
    const r = run(design('    retries: {attempts: 3, retryOn: 5xx}'), get('client', 'web'), { requests: 2000, concurrency: 4 }, flaky);
    // A request fails only if all 4 attempts fail: p = 0.5⁴ = 1/16; Binomial(2000, 1/16): σ ≈ 10.8, ±4σ ≈ ±44 around 125.
    expect(Math.abs(r.total.statusCounts['503'] - 125)).toBeLessThanOrEqual(44);
    expect(r.total.flagCounts.URX).toBe(r.total.statusCounts['503']);
    const s = clusterStats(r, PROXY, CLUSTER);
    expect(s.upstream_rq_retry).toBe(r.total.attempts - 2000);
    expect(s.upstream_rq_retry_success).toBeGreaterThan(0);
    expect(s.upstream_rq_retry_limit_exceeded).toBe(r.total.flagCounts.URX);
  });

  it('an integer status in retryOn makes it retriable (retriable-status-codes)', () => {
    const r = run(design('    retries: {attempts: 3, retryOn: "503"}'), get('client', 'web'), { requests: 2000, concurrency: 4 }, flaky);
    expect(Math.abs(r.total.statusCounts['503'] - 125)).toBeLessThanOrEqual(44);
  });

  it("the mesh default policy does not retry an upstream 503 (Istio ≥ 1.24)", () => {
    const r = run(design(''), get('client', 'web'), { requests: 2000, concurrency: 4 }, flaky);
    // Binomial(2000, 0.5): σ ≈ 22.4, ±4σ ≈ ±90.
    expect(Math.abs(r.total.statusCounts['503'] - 1000)).toBeLessThanOrEqual(90);
    expect(r.total.attempts).toBe(2000);
    expect(r.total.flagCounts).toEqual({});
  });

  it('the mesh default policy retries connect failures twice; three failures give 503 UF,URX', () => {
    const r = run(design('', '{connectionPool: {http: {maxRequestsPerConnection: 1}}}'), get('client', 'web'), { requests: 2000, concurrency: 4 }, { upstream: { web: { connectFailureRate: 0.5 } } });
    // Each attempt opens a connection; all three fail with p = 1/8: Binomial(2000, 1/8): σ ≈ 14.8, ±4σ ≈ ±60.
    expect(Math.abs(r.total.statusCounts['503'] - 250)).toBeLessThanOrEqual(60);
    expect(r.total.flagCounts.UF).toBe(r.total.statusCounts['503']);
    expect(r.total.flagCounts.URX).toBe(r.total.statusCounts['503']);
    expect(clusterStats(r, PROXY, CLUSTER).upstream_cx_connect_fail).toBeGreaterThan(0);
  });

  it('waits a jittered back-off before a retry: the first in [0, 25 ms) (Envoy base interval)', () => {
    const r = run(design('    retries: {attempts: 1, retryOn: 5xx}', '{loadBalancer: {simple: ROUND_ROBIN}}', 1), get('client', 'web'), { requests: 400 }, { upstream: { web: { status: 503, latencyMs: 0 } }, network: { hopMs: 0, connectMs: 0 } });
    const l = r.total.latencyMs;
    expect(l.max).toBeLessThan(25);
    expect(l.p90 - l.min).toBeGreaterThan(15);
    expect(Math.abs(l.mean - 12)).toBeLessThan(2);
    expect(r.total.attempts).toBe(800);
  });
});

describe('timeouts', () => {
  it('perTryTimeout cuts a slow attempt and the retry goes to another pod', () => {
    const slow = { upstream: { web: { latencyMs: 5, pods: { 0: { latencyMs: 1000 } } } } };
    const r = run(design('    retries: {attempts: 2, perTryTimeout: 50ms, retryOn: 5xx}', '{loadBalancer: {simple: ROUND_ROBIN}}', 2), get('client', 'web'), { requests: 200, concurrency: 2 }, slow);
    expect(r.total.statusCounts).toEqual({ 200: 200 });
    const s = clusterStats(r, PROXY, CLUSTER);
    expect(s.upstream_rq_per_try_timeout).toBeGreaterThan(50);
    expect(r.total.byPod['default/web-0']).toBeUndefined();
    expect(r.total.latencyMs.max).toBeLessThan(50 + 25 + 20);
  });

  it('a perTryTimeout with no retries left answers 504 UT,URX', () => {
    const r = run(design('    retries: {attempts: 1, perTryTimeout: 20ms, retryOn: 5xx}', undefined, 1), get('client', 'web'), { requests: 20 }, { upstream: { web: { latencyMs: 1000 } } });
    expect(r.total.statusCounts).toEqual({ 504: 20 });
    expect(r.total.flagCounts).toEqual({ UT: 20, URX: 20 });
  });

  it('the route timeout answers 504 UT after the timeout, covering all attempts, and is never retried', () => {
    const r = run(design('    timeout: 100ms\n    retries: {attempts: 5, retryOn: 5xx,reset}'), get('client', 'web'), { requests: 50 }, { upstream: { web: { latencyMs: 1000 } } });
    expect(r.total.statusCounts).toEqual({ 504: 50 });
    expect(r.total.flagCounts).toEqual({ UT: 50 });
    expect(r.total.attempts).toBe(50);
    expect(r.total.latencyMs.min).toBeGreaterThanOrEqual(100);
    expect(r.total.latencyMs.max).toBeLessThan(102);
    expect(clusterStats(r, PROXY, CLUSTER).upstream_rq_timeout).toBe(50);
  });

  it('x-envoy-upstream-rq-timeout-ms from a sidecar application overrides the route timeout', () => {
    const r = run(design(''), get('client', 'web', { headers: { 'x-envoy-upstream-rq-timeout-ms': '30' } }), { requests: 10 }, { upstream: { web: { latencyMs: 1000 } } });
    expect(r.total.statusCounts).toEqual({ 504: 10 });
  });
});
