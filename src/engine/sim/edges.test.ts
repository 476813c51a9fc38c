/** What the canvas draws from a run: per-edge 4xx counts and latency, and the latency histogram in log bins. */
import { describe, expect, it } from 'vitest';
import { get, meshOf, run, WEB_AND_CLIENT } from './fixtures/simutil';
import { Histogram } from './histogram';

const SPLIT = `${WEB_AND_CLIENT}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2}
spec: {replicas: 1, selector: {matchLabels: {app: web, version: v2}}, template: {metadata: {labels: {app: web, version: v2}}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec: {host: web, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route:
    - {destination: {host: web, subset: v1}, weight: 50}
    - {destination: {host: web, subset: v2}, weight: 50}`.replace('template: {metadata: {labels: {app: web}}}', 'template: {metadata: {labels: {app: web, version: v1}}}');

describe('per-edge results', () => {
  it('each route destination carries its own 4xx count and latency percentiles', () => {
    const r = run(meshOf(SPLIT), get('client', 'web'), { requests: 2000, concurrency: 4 }, { upstream: { web: { latencyMs: 10 }, 'web-v2': { latencyMs: 100, errorRate: 0.5, errorStatus: 404 } } });
    const [v1, v2] = [0, 1].map((d) => r.edges.find((e) => e.destination === d)!);
    expect(v1.requests + v2.requests).toBe(2000);
    expect(v1.clientErrors).toBe(0);
    expect(v1.errors).toBe(0);
    expect(v2.clientErrors / v2.requests).toBeGreaterThan(0.4);
    expect(v2.clientErrors / v2.requests).toBeLessThan(0.6);
    // Latency as the caller saw it: the application's time plus a few ms of network and proxies.
    expect(v1.latencyMs.p99).toBeGreaterThanOrEqual(10);
    expect(v1.latencyMs.p99).toBeLessThan(15);
    expect(v2.latencyMs.p50).toBeGreaterThanOrEqual(95);
    expect(v2.latencyMs.max).toBeLessThan(110);
  });

  it('the latency histogram of the run counts every answered request', () => {
    const r = run(meshOf(WEB_AND_CLIENT), get('client', 'web'), { requests: 500 }, { upstream: { web: { latencyMs: { dist: 'uniform', min: 1, max: 50 } } } });
    const { edgesMs, counts } = r.latencyHistogram;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(edgesMs).toHaveLength(counts.length + 1);
    expect(edgesMs[0]).toBeCloseTo(r.total.latencyMs.min, 2);
    expect(edgesMs.at(-1)).toBeCloseTo(r.total.latencyMs.max, 2);
  });
});

describe('Histogram.bins', () => {
  it('puts two modes far apart into separate log-spaced bins', () => {
    const h = new Histogram();
    for (let i = 0; i < 90; i++) h.add(2);
    for (let i = 0; i < 10; i++) h.add(2000);
    const { edgesMs, counts } = h.bins(30);
    expect(counts).toHaveLength(30);
    expect(counts[0]).toBe(90);
    expect(counts[29]).toBe(10);
    expect(edgesMs[15]).toBeCloseTo(Math.sqrt(2 * 2000), 0);
  });

  it('is empty for no values and one bin wide for one value', () => {
    expect(new Histogram().bins(10)).toEqual({ edgesMs: [], counts: [] });
    const h = new Histogram();
    h.add(5);
    expect(h.bins(10).counts.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
