/**
 * Outlier detection (semantics §6.5, Envoy's ejection algorithm): inline ejection at the N-th
 * consecutive error, un-ejection at the interval sweep after base × times ejected, the
 * maxEjectionPercent cap, 503 UH when nothing healthy is left, and the panic threshold.
 */
import { describe, expect, it } from 'vitest';
import { clusterStats, get, meshOf, run } from './fixtures/simutil';
import type { UpstreamModel } from './types';

const design = (od: string, replicas = 3) => meshOf(`
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  selector: {matchLabels: {app: client}}
  template: {metadata: {labels: {app: client}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
    outlierDetection: ${od}`);

const CLUSTER = 'outbound|80||web.default.svc.cluster.local';
const PROXY = 'sidecar client.default';
const web = (m: UpstreamModel) => ({ upstream: { web: m } });

describe('consecutive 5xx ejection', () => {
  const od = '{consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 10s, maxEjectionPercent: 50}';

  it('ejects the failing pod at its 3rd consecutive 5xx; the others take all traffic from then on', () => {
    const r = run(design(od), get('client', 'web'), { requests: 300, qps: 100 }, web({ pods: { 1: { status: 503 } } }));
    expect(r.ejections[0]).toMatchObject({ kind: 'eject', pod: 'default/web-1', workload: 'default/web', reason: 'consecutive_5xx', ejections: 1, durationMs: 10_000, proxy: PROXY, cluster: CLUSTER });
    expect(r.total.byPod['default/web-1']).toBe(3);
    expect(r.total.statusCounts).toEqual({ 200: 297, 503: 3 });
    expect(r.ejectedEndpoints).toEqual([{ proxy: PROXY, cluster: CLUSTER, pod: 'default/web-1', workload: 'default/web', times: 1, ejectedAtEnd: true }]);
    const s = clusterStats(r, PROXY, CLUSTER);
    expect(s['outlier_detection.ejections_enforced_consecutive_5xx']).toBe(1);
    expect(s['outlier_detection.ejections_active']).toBe(1);
  });

  it('brings the pod back at the first interval sweep after baseEjectionTime, and ejects it for twice as long the second time', () => {
    const r = run(design(od), get('client', 'web'), { durationMs: 60_000, qps: 50 }, web({ pods: { 1: { status: 503 } } }));
    const [e1, u1, e2, u2] = r.ejections;
    expect([e1.kind, u1.kind, e2.kind, u2.kind]).toEqual(['eject', 'uneject', 'eject', 'uneject']);
    const back1 = u1.timeMs - e1.timeMs;
    expect(back1).toBeGreaterThanOrEqual(10_000);
    expect(back1).toBeLessThan(11_000); // the next 1 s sweep
    expect(e2).toMatchObject({ ejections: 2, durationMs: 20_000 });
    expect(u2.timeMs - e2.timeMs).toBeGreaterThanOrEqual(20_000);
    expect(u2.timeMs - e2.timeMs).toBeLessThan(21_000);
  });

  it('a success in between resets the count: 503, 503, 200 repeating never ejects', () => {
    // One pod, so it sees the whole sequence (the sequence position is per workload, as in a trace).
    const r = run(design(od, 1), get('client', 'web', {}), { requests: 300 }, web({ statusSequence: [503, 503, 200], sequenceMode: 'cycle' }));
    expect(r.ejections).toEqual([]);
    expect(r.total.statusCounts['503']).toBe(200);
  });

  it('maxEjectionPercent caps ejections: with 50% and three bad pods, only two are ejected (ejections_overflow counts the rest)', () => {
    const r = run(design(od), get('client', 'web'), { requests: 300, qps: 100 }, web({ status: 503 }));
    expect(r.ejections.filter((e) => e.kind === 'eject').map((e) => e.pod).sort()).toHaveLength(2);
    const s = clusterStats(r, PROXY, CLUSTER);
    expect(s['outlier_detection.ejections_overflow']).toBeGreaterThan(0);
    expect(r.total.flagCounts.UH).toBeUndefined();
  });
});

describe('no healthy upstream', () => {
  it('when every pod is ejected (maxEjectionPercent 100, no panic threshold) requests fail at once with 503 UH', () => {
    const r = run(design('{consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}'), get('client', 'web'), { requests: 200, qps: 100 }, web({ status: 503, latencyMs: 20 }));
    expect(r.ejections.filter((e) => e.kind === 'eject')).toHaveLength(3);
    const uh = r.total.flagCounts.UH;
    expect(uh).toBeGreaterThan(150);
    expect(clusterStats(r, PROXY, CLUSTER).upstream_cx_none_healthy).toBe(uh);
    // UH is a local reply: no upstream time.
    expect(r.total.latencyMs.p50).toBeLessThan(5);
  });

  it('minHealthPercent is the panic threshold: below it Envoy balances over all pods again, so there is no 503 UH', () => {
    const r = run(design('{consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100, minHealthPercent: 50}'), get('client', 'web'), { requests: 200, qps: 100 }, web({ status: 503 }));
    expect(r.total.flagCounts.UH).toBeUndefined();
    expect(Object.keys(r.total.byPod).sort()).toEqual(['default/web-0', 'default/web-1', 'default/web-2']);
  });
});

describe('consecutive gateway errors', () => {
  it('counts 502/503/504 but not 500', () => {
    const od = '{consecutive5xxErrors: 0, consecutiveGatewayErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}';
    const r500 = run(design(od), get('client', 'web'), { requests: 60 }, web({ pods: { 0: { status: 500 } } }));
    expect(r500.ejections).toEqual([]);
    const r502 = run(design(od), get('client', 'web'), { requests: 60 }, web({ pods: { 0: { status: 502 } } }));
    expect(r502.ejections[0]).toMatchObject({ pod: 'default/web-0', reason: 'consecutive_gateway_failure' });
    expect(clusterStats(r502, PROXY, CLUSTER)['outlier_detection.ejections_enforced_consecutive_gateway_failure']).toBe(1);
  });
});
