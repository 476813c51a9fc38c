/**
 * A gateway reached from another proxy is a proxy of its own (hops.ts): Istio's egress-gateway
 * task with a DestinationRule on the external host. The gateway's connection pools, outlier
 * detection, route timeout and local replies act on its own upstream, are counted in its own
 * stats, and what it answers is what the caller gets (semantics §6.4, §6.5, §10, §11).
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../trace';
import { clusterStats, get, meshOf, run, simFixture } from './fixtures/simutil';
import type { SimResult } from './types';

const TASK = simFixture('egress-gateway.yaml');
/** The task without the DestinationRule on the external host, or with another policy for it. */
const withCnnPolicy = (policy: string | null, yaml = TASK) => yaml.replace(/(\n  host: edition\.cnn\.com\n)[\s\S]*$/, policy === null ? '$1' : `$1  trafficPolicy:\n${policy}`);
/** Lines added to the VirtualService rule of the mesh (sidecars) or of the egress gateway. */
const atRule = (at: 'mesh' | 'gateway', lines: string, yaml = TASK) => yaml.replace(at === 'mesh' ? '    route:\n    - destination:\n        host: istio-egressgateway' : '    route:\n    - destination:\n        host: edition.cnn.com', (m) => `${lines}${m}`);

const GATEWAY = 'gateway istio-egressgateway.istio-system';
const CURL = 'sidecar curl.default';
const CNN = 'outbound|80||edition.cnn.com';
const TO_GATEWAY = 'outbound|80|cnn|istio-egressgateway.istio-system.svc.cluster.local';
const cnn = get('curl', 'edition.cnn.com', { path: '/politics' });
const slowCnn = (ms: number) => ({ external: { 'edition.cnn.com:80': { latencyMs: ms } } });
const edge = (r: SimResult, rule: number) => r.edges.find((e) => e.virtualService === 'VirtualService/default/direct-cnn-through-egress-gateway' && e.rule === rule)!;

describe("circuit breaking on the external host, in the egress gateway's proxy", () => {
  const load = (c: number) => run(meshOf(TASK), cnn, { requests: 30 * c, concurrency: c }, slowCnn(20));

  it('one request at a time never overflows the limits of the DestinationRule on the external host', () => {
    const r = load(1);
    expect(r.total.statusCounts).toEqual({ 200: 30 });
    expect(clusterStats(r, GATEWAY, CNN).upstream_rq_pending_overflow).toBe(0);
    expect(r.total.byWorkload).toEqual({ 'external edition.cnn.com:80': 30 });
  });

  it('three at once give 503 UO from the gateway, counted in its upstream_rq_pending_overflow, not in the sidecar', () => {
    const r = load(3);
    const overflow = clusterStats(r, GATEWAY, CNN).upstream_rq_pending_overflow;
    expect(overflow).toBeGreaterThan(0);
    expect(r.total.statusCounts['503']).toBe(overflow);
    expect(r.total.flagCounts).toEqual({ UO: overflow });
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_pending_overflow).toBe(0);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_5xx).toBe(overflow);
    // Only what passed the breaker reached the external host.
    expect(clusterStats(r, GATEWAY, CNN).upstream_rq_total).toBe(r.total.statusCounts['200']);
    expect(edge(r, 1)).toMatchObject({ requests: 90, errors: overflow, proxies: [GATEWAY] });
  });

  it("the gateway's overflow carries x-envoy-overloaded: the caller's retry policy never retries it", () => {
    const mesh = meshOf(atRule('mesh', '    retries: {attempts: 3, retryOn: 5xx}\n'));
    const r = run(mesh, cnn, { requests: 90, concurrency: 3 }, slowCnn(20));
    expect(r.total.flagCounts.UO).toBeGreaterThan(0);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_retry ?? 0).toBe(0);
    expect(r.total.attempts).toBe(90);
  });
});

describe("the gateway's local replies", () => {
  it("404 NR when the gateway's VirtualService matches nothing: the caller gets the gateway's answer, as the trace says", () => {
    const yaml = withCnnPolicy(null, TASK.replace('      - istio-egressgateway\n      port: 80\n', '      - istio-egressgateway\n      port: 80\n      uri: {prefix: /sports}\n'));
    const mesh = meshOf(yaml);
    const r = run(mesh, cnn, { requests: 20, concurrency: 2 });
    expect(r.total.statusCounts).toEqual({ 404: 20 });
    expect(r.total.flagCounts).toEqual({ NR: 20 });
    expect(r.total.byWorkload).toEqual({});
    expect(edge(r, 0)).toMatchObject({ requests: 20, clientErrors: 20 });
    expect(edge(r, 1)).toBeUndefined();
    expect(r.stats[GATEWAY]).toBeUndefined();
    const t = trace(mesh, cnn);
    expect([t.status, t.flags, t.responseFrom]).toEqual([404, ['NR'], GATEWAY]);
  });

  it("503 UH when the gateway's destination has no endpoint, in the gateway's upstream_cx_none_healthy", () => {
    const yaml = withCnnPolicy(null).replace('  resolution: DNS\n', '  resolution: STATIC\n');
    const r = run(meshOf(yaml), cnn, { requests: 10 });
    expect(r.total.statusCounts).toEqual({ 503: 10 });
    expect(r.total.flagCounts).toEqual({ UH: 10 });
    expect(clusterStats(r, GATEWAY, CNN).upstream_cx_none_healthy).toBe(10);
  });
});

describe('timeouts around and inside the gateway', () => {
  it('a route timeout on the gateway gives the caller 504 UT after the timeout, from the gateway, as the trace says', () => {
    const mesh = meshOf(atRule('gateway', '    timeout: 50ms\n', withCnnPolicy(null)));
    const r = run(mesh, cnn, { requests: 20, concurrency: 2 }, slowCnn(200));
    expect(r.total.statusCounts).toEqual({ 504: 20 });
    expect(r.total.flagCounts).toEqual({ UT: 20 });
    // 50 ms at the gateway, a network hop each way (0.25 ms) between the proxies and to the client, a connection to open.
    expect(r.total.latencyMs.min).toBeGreaterThanOrEqual(50);
    expect(r.total.latencyMs.max).toBeLessThanOrEqual(52);
    expect(clusterStats(r, GATEWAY, CNN).upstream_rq_timeout).toBe(20);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_timeout ?? 0).toBe(0);
    const t = trace(mesh, { ...cnn, assume: slowCnn(200) });
    expect([t.status, t.flags]).toEqual([504, ['UT']]);
  });

  it("the caller's own route timeout still bounds the gateway's handling, and the gateway resets its attempt when the caller gives up", () => {
    const mesh = meshOf(atRule('mesh', '    timeout: 30ms\n'));
    const r = run(mesh, cnn, { requests: 20 }, slowCnn(100));
    expect(r.total.statusCounts).toEqual({ 504: 20 });
    expect(r.total.latencyMs.max).toBeLessThanOrEqual(31);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_timeout).toBe(20);
    const g = clusterStats(r, GATEWAY, CNN);
    // Every request reached the external host (one connection at a time: each reset closed the previous one) and none is left active.
    expect([g.upstream_rq_total, g.upstream_rq_pending_overflow, g.upstream_rq_active, g.upstream_cx_active, g.upstream_rq_timeout ?? 0]).toEqual([20, 0, 0, 0, 0]);
    expect(edge(r, 1)).toMatchObject({ requests: 20, errors: 20 });
  });

  it("the caller's perTryTimeout cuts a slow gateway and retries through it", () => {
    const mesh = meshOf(atRule('mesh', '    retries: {attempts: 2, perTryTimeout: 10ms, retryOn: 5xx}\n', withCnnPolicy(null)));
    const r = run(mesh, cnn, { requests: 10 }, slowCnn(100));
    expect(r.total.statusCounts).toEqual({ 504: 10 });
    expect(r.total.flagCounts).toEqual({ UT: 10, URX: 10 });
    expect(r.total.attempts).toBe(30);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_per_try_timeout).toBe(30);
    // Each attempt was a request of its own at the gateway, reset when the caller gave up on it.
    expect(edge(r, 1)).toMatchObject({ requests: 30, errors: 30 });
  });
});

describe("the gateway's router", () => {
  const gatewayRule = (lines: string) => meshOf(atRule('gateway', lines, withCnnPolicy(null)));

  it("retries on the gateway's route turn a flaky external host's 503s into successes: the gateway retries, not the sidecar", () => {
    const r = run(gatewayRule('    retries: {attempts: 3, retryOn: 5xx}\n'), cnn, { requests: 200, concurrency: 2 }, { external: { 'edition.cnn.com:80': { errorRate: 0.3 } } });
    expect(r.total.statusCounts['200']).toBeGreaterThan(190);
    // What still failed failed at the gateway with its retries exhausted.
    expect(r.total.flagCounts.URX ?? 0).toBe(r.total.statusCounts['503'] ?? 0);
    expect(r.total.attempts).toBe(200);
    expect(clusterStats(r, GATEWAY, CNN).upstream_rq_retry).toBeGreaterThan(40);
    expect(clusterStats(r, CURL, TO_GATEWAY).upstream_rq_retry ?? 0).toBe(0);
  });

  it("a fault abort on the gateway's route answers the caller with its status and FI, never reaching the external host, as the trace says", () => {
    const mesh = gatewayRule('    fault: {abort: {httpStatus: 555, percentage: {value: 100}}}\n');
    const r = run(mesh, cnn, { requests: 20 });
    expect([r.total.statusCounts, r.total.flagCounts, r.total.byWorkload]).toEqual([{ 555: 20 }, { FI: 20 }, {}]);
    const t = trace(mesh, cnn);
    expect([t.status, t.flags]).toEqual([555, ['FI']]);
  });

  it("a mirror on the gateway's route sends copies the caller never waits for, counted as mirrors", () => {
    const r = run(gatewayRule('    mirror: {host: edition.cnn.com, port: {number: 80}}\n'), cnn, { requests: 20 }, slowCnn(5));
    expect(r.mirrors).toEqual({ count: 20, byCluster: { [CNN]: 20 }, statusCounts: { 200: 20 } });
    expect(r.total.statusCounts).toEqual({ 200: 20 });
    expect(clusterStats(r, GATEWAY, CNN).upstream_rq_total).toBe(40);
  });
});

describe("outlier detection in the gateway's proxy", () => {
  const twoEndpoints = withCnnPolicy('    outlierDetection: {consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 50}\n').replace(
    '  resolution: DNS\n',
    '  resolution: DNS\n  endpoints:\n  - address: a.cnn.example\n  - address: b.cnn.example\n',
  );

  it('ejects the failing external endpoint at its 3rd consecutive 5xx; the ejection names the gateway proxy', () => {
    const r = run(meshOf(twoEndpoints), cnn, { requests: 200, concurrency: 2 }, { external: { 'b.cnn.example:80': { status: 503 } } });
    expect(r.ejections).toEqual([expect.objectContaining({ kind: 'eject', proxy: GATEWAY, cluster: CNN, pod: 'external b.cnn.example:80', reason: 'consecutive_5xx' })]);
    expect(r.ejectedEndpoints).toEqual([{ proxy: GATEWAY, cluster: CNN, pod: 'external b.cnn.example:80', workload: 'external edition.cnn.com:80', times: 1, ejectedAtEnd: true }]);
    expect(r.total.statusCounts).toEqual({ 200: 197, 503: 3 });
    const g = clusterStats(r, GATEWAY, CNN);
    expect([g['outlier_detection.ejections_enforced_consecutive_5xx'], g['outlier_detection.ejections_active']]).toEqual([1, 1]);
    expect(clusterStats(r, CURL, TO_GATEWAY)['outlier_detection.ejections_active']).toBeUndefined();
  });
});

describe('what a gateway is', () => {
  it('a gateway has no behaviour of its own: one given for its workload is not used, with a warning', () => {
    const r = run(meshOf(withCnnPolicy(null)), cnn, { requests: 10 }, { upstream: { 'istio-egressgateway': { status: 500, latencyMs: 40 } } });
    expect(r.total.statusCounts).toEqual({ 200: 10 });
    expect(r.total.latencyMs.max).toBeLessThan(10);
    expect(r.warnings).toEqual([expect.stringMatching(/^upstream\["istio-egressgateway"\] is a gateway/)]);
  });
});
