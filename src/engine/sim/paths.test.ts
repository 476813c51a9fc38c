/**
 * Other paths through a first proxy: an ingress gateway as the client proxy (its edges are
 * `gateway` edges), opaque TCP through Envoy's tcp_proxy (connection limit → UO, connect failures
 * → UF and outlier detection), and the time series of ejected hosts.
 */
import { describe, expect, it } from 'vitest';
import { clusterStats, engineFixture, get, meshOf, run } from './fixtures/simutil';

describe('ingress gateway as the client proxy', () => {
  it('routes external traffic by the gateway VirtualService and counts it on gateway edges', () => {
    const mesh = meshOf(engineFixture('bookinfo.yaml'), engineFixture('bookinfo-gateway.yaml'));
    const r = run(mesh, { source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority: 'bookinfo.example.com', port: 80, path: '/productpage' } }, { requests: 200, concurrency: 4 });
    expect(r.total.statusCounts).toEqual({ 200: 200 });
    expect(r.total.byWorkload).toEqual({ 'default/productpage-v1': 200 });
    expect(r.edges).toEqual([expect.objectContaining({ virtualService: 'VirtualService/default/bookinfo', protocol: 'http', rule: 0, destination: 0, via: 'gateway', requests: 200, proxies: ['gateway istio-ingressgateway.istio-system'] })]);
    expect(Object.keys(r.stats)).toEqual(['gateway istio-ingressgateway.istio-system']);
  });

  it('a path no gateway rule matches is 404 NR at the gateway, with no upstream contact', () => {
    const mesh = meshOf(engineFixture('bookinfo.yaml'), engineFixture('bookinfo-gateway.yaml'));
    const r = run(mesh, { source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority: 'bookinfo.example.com', port: 80, path: '/admin' } }, { requests: 20 });
    expect(r.total.statusCounts).toEqual({ 404: 20 });
    expect(r.total.flagCounts).toEqual({ NR: 20 });
    expect(r.total.attempts).toBe(0);
  });
});

describe('opaque TCP through a sidecar (tcp_proxy)', () => {
  const tcp = (policy: string) => meshOf(`
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{name: tcp-db, port: 5432}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec: {replicas: 2, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db}
spec: {host: db, trafficPolicy: ${policy}}`);
  const conn = { source: { workload: 'client' }, request: { protocol: 'tcp' as const, authority: 'db:5432' } };

  it('each request is one connection that completes ("connected")', () => {
    const r = run(tcp('{}'), conn, { requests: 50, concurrency: 2 }, { upstream: { db: { latencyMs: 5 } } });
    expect(r.total.statusCounts).toEqual({ connected: 50 });
    expect(clusterStats(r, 'sidecar client.default', 'outbound|5432||db.default.svc.cluster.local').upstream_cx_total).toBe(50);
  });

  it('maxConnections refuses connections over the limit: upstream_cx_overflow, flag UO, the connection is closed', () => {
    const r = run(tcp('{connectionPool: {tcp: {maxConnections: 2}}}'), conn, { requests: 300, concurrency: 6 }, { upstream: { db: { latencyMs: 5 } } });
    const s = clusterStats(r, 'sidecar client.default', 'outbound|5432||db.default.svc.cluster.local');
    expect(r.total.flagCounts.UO).toBeGreaterThan(0);
    expect(r.total.statusCounts.connection_reset).toBe(r.total.flagCounts.UO);
    expect(s.upstream_cx_overflow).toBe(r.total.flagCounts.UO);
  });

  it('connect failures are UF and count for outlier detection (consecutive 5xx maps to TCP connect failures)', () => {
    const r = run(tcp('{loadBalancer: {simple: ROUND_ROBIN}, outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 50}}'), conn, { requests: 100 }, { upstream: { db: { pods: { 1: { connectFailureRate: 1 } } } } });
    expect(r.total.flagCounts.UF).toBe(2);
    expect(r.ejections[0]).toMatchObject({ kind: 'eject', pod: 'default/db-1', reason: 'consecutive_5xx' });
    expect(r.total.statusCounts).toEqual({ connected: 98, connection_reset: 2 });
  });
});

describe('time series of ejections', () => {
  it('records how many hosts were ejected in each bucket', () => {
    const mesh = meshOf(`
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 3, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec: {host: web, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 2s, maxEjectionPercent: 100}}}`);
    const r = run(mesh, get('client', 'web'), { durationMs: 10_000, qps: 50 }, { upstream: { web: { pods: { 0: { status: 500 } } } } });
    const b = r.timeSeries.buckets;
    expect(Math.max(...b.map((x) => x.ejected))).toBe(1);
    expect(b[b.length - 1].ejected).toBeLessThanOrEqual(1);
    expect(r.ejections.filter((e) => e.kind === 'eject').length).toBeGreaterThan(1);
  });
});
