/**
 * The simulator reuses the routing engine per request: weighted splits, faults, mirrors, clients
 * without sidecar, unknown hosts, per-edge counts; and it agrees with the trace on single requests.
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../trace';
import { engineFixture, get, meshOf, run } from './fixtures/simutil';
import { simulate } from './simulator';

const REVIEWS_90_10 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 90}
    - {destination: {host: reviews, subset: v3}, weight: 10}`;

const bookinfo = (...extra: string[]) => meshOf(engineFixture('bookinfo.yaml'), engineFixture('bookinfo-destination-rules.yaml'), ...extra);
const V1 = 'reviews.default.svc.cluster.local/v1';
const V3 = 'reviews.default.svc.cluster.local/v3';

describe('weighted routing over many requests', () => {
  it('a 90/10 canary split over 10,000 requests lands within 4 standard deviations of 9,000/1,000', () => {
    // Each request is an independent weighted draw: the v3 count is Binomial(n = 10,000, p = 0.1),
    // σ = √(n·p·(1−p)) = 30. ±4σ = ±120 is missed with probability ≈ 6·10⁻⁵ for an arbitrary seed, and
    // a real bias (e.g. 88/12, 200 off) is far outside it.
    const r = run(bookinfo(REVIEWS_90_10), get('productpage-v1', 'reviews:9080'), { requests: 10_000, concurrency: 8 });
    expect(r.total.count).toBe(10_000);
    expect(r.total.bySubset[V1] + r.total.bySubset[V3]).toBe(10_000);
    expect(Math.abs(r.total.bySubset[V3] - 1000)).toBeLessThanOrEqual(120);
    // Each subset is one Deployment: the workload that answered is the subset's.
    expect(r.total.byWorkload['default/reviews-v1']).toBe(r.total.bySubset[V1]);
    expect(r.total.byWorkload['default/reviews-v3']).toBe(r.total.bySubset[V3]);
    expect(r.total.byWorkload['default/reviews-v2']).toBeUndefined();
  });

  it('counts per edge are keyed by VirtualService, protocol, rule index and destination index', () => {
    const r = run(bookinfo(REVIEWS_90_10), get('productpage-v1', 'reviews:9080'), { requests: 1000 });
    const edges = r.edges.filter((e) => e.virtualService === 'VirtualService/default/reviews');
    expect(edges.map((e) => [e.protocol, e.rule, e.destination, e.via])).toEqual(expect.arrayContaining([['http', 0, 0, 'sidecar'], ['http', 0, 1, 'sidecar']]));
    const byDest = Object.fromEntries(edges.map((e) => [e.destination, e.requests]));
    expect(byDest[0]).toBe(r.total.bySubset[V1]);
    expect(byDest[1]).toBe(r.total.bySubset[V3]);
    expect(edges[0].proxies).toEqual(['sidecar productpage-v1.default']);
  });

  it('the same seed gives the same result and another seed a different draw', () => {
    const mesh = bookinfo(REVIEWS_90_10);
    const spec = (seed: number) => ({ seed, traffic: [{ mix: [get('productpage-v1', 'reviews:9080')], load: { requests: 2000, concurrency: 4 } }] });
    const a = simulate(mesh, spec(7));
    const b = simulate(bookinfo(REVIEWS_90_10), spec(7));
    expect(b).toEqual(a);
    expect(simulate(mesh, spec(8)).total.bySubset[V3]).not.toBe(a.total.bySubset[V3]);
  });

  it('a traffic mix picks templates by weight', () => {
    const mix = [get('productpage-v1', 'reviews:9080', {}, { weight: 3 }), get('productpage-v1', 'ratings:9080', {}, { weight: 1 })];
    const r = run(bookinfo(), mix, { requests: 4000, concurrency: 4 });
    // Binomial(4000, 0.25): σ ≈ 27.4, ±4σ ≈ ±110.
    expect(Math.abs(r.total.byCluster['outbound|9080||ratings.default.svc.cluster.local'] - 1000)).toBeLessThanOrEqual(110);
  });
});

describe('faults', () => {
  const abort50 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {abort: {httpStatus: 500, percentage: {value: 50}}}
    route: [{destination: {host: ratings}}]`;

  it('an abort of 50% answers about half the requests with the configured code, flag FI, and they never reach the upstream', () => {
    const r = run(bookinfo(abort50), get('reviews-v2', 'ratings:9080'), { requests: 2000, concurrency: 4 });
    // Binomial(2000, 0.5): σ ≈ 22.4, ±4σ ≈ ±90.
    expect(Math.abs(r.total.statusCounts['500'] - 1000)).toBeLessThanOrEqual(90);
    expect(r.total.statusCounts['500'] + r.total.statusCounts['200']).toBe(2000);
    expect(r.total.flagCounts.FI).toBe(r.total.statusCounts['500']);
    const st = r.stats['sidecar reviews-v2.default'];
    expect(st['cluster.outbound|9080||ratings.default.svc.cluster.local.upstream_rq_total']).toBe(r.total.statusCounts['200']);
    expect(r.total.attempts).toBe(r.total.statusCounts['200']);
  });

  it('a delay holds the request before routing (DI) and adds its time to the latency', () => {
    const delay = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}
    route: [{destination: {host: ratings}}]`;
    const r = run(bookinfo(delay), get('reviews-v2', 'ratings:9080'), { requests: 20 }, { upstream: { 'ratings-v1': { latencyMs: 10 } } });
    expect(r.total.flagCounts.DI).toBe(20);
    expect(r.total.latencyMs.min).toBeGreaterThanOrEqual(2010);
    expect(r.warnings).toEqual([]);
    expect(r.total.statusCounts['200']).toBe(20);
  });

  it('the route timeout starts after the injected delay: a 2 s delay on a 1 s timeout route is not a 504', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}
    timeout: 1s
    route: [{destination: {host: ratings}}]`;
    const r = run(bookinfo(vs), get('reviews-v2', 'ratings:9080'), { requests: 5 });
    expect(r.total.statusCounts).toEqual({ 200: 5 });
  });
});

describe('mirrors', () => {
  const mirror = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 100}`;

  it('mirrored copies are counted separately and never answered to the caller', () => {
    const r = run(bookinfo(mirror), get('productpage-v1', 'reviews:9080'), { requests: 500, concurrency: 2 }, { upstream: { 'reviews-v2': { status: 500, latencyMs: 50 } } });
    expect(r.total.count).toBe(500);
    expect(r.total.statusCounts).toEqual({ 200: 500 });
    expect(r.total.byWorkload).toEqual({ 'default/reviews-v1': 500 });
    expect(r.mirrors.count).toBe(500);
    expect(r.mirrors.byCluster).toEqual({ 'outbound|9080|v2|reviews.default.svc.cluster.local': 500 });
    expect(r.mirrors.statusCounts).toEqual({ 500: 500 });
    // The shadow's slowness does not reach the caller.
    expect(r.total.latencyMs.max).toBeLessThan(50);
    const m = r.edges.find((e) => e.mirror !== null);
    expect(m).toMatchObject({ virtualService: 'VirtualService/default/reviews', rule: 0, mirror: -1, requests: 500, errors: 500 });
  });
});

describe('paths without Envoy routing', () => {
  it('a client without sidecar ignores VirtualServices: kube-proxy spreads over every pod of the Service', () => {
    const only = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v1}}]}]`;
    const mesh = bookinfo(only);
    const r = run(mesh, { source: { workload: 'productpage-v1', sidecar: false }, request: { authority: 'reviews:9080', path: '/' } }, { requests: 3000, concurrency: 3 });
    for (const v of ['v1', 'v2', 'v3']) expect(Math.abs(r.total.byWorkload[`default/reviews-${v}`] - 1000)).toBeLessThanOrEqual(110);
    expect(r.total.byCluster).toEqual({ 'outbound|9080||reviews.default.svc.cluster.local': 3000 });
  });

  it('an unknown host under ALLOW_ANY goes to PassthroughCluster and answers as its external behaviour says', () => {
    const r = run(bookinfo(), get('productpage-v1', 'api.example.com'), { requests: 10 }, { external: { 'api.example.com:80': { status: 418 } } });
    expect(r.total.statusCounts).toEqual({ 418: 10 });
    expect(r.total.byCluster).toEqual({ PassthroughCluster: 10 });
    expect(r.total.byWorkload).toEqual({ 'external api.example.com:80': 10 });
  });
});

describe('agreement with the trace on single requests', () => {
  const strict = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings-plain}
spec:
  host: ratings
  trafficPolicy: {tls: {mode: DISABLE}}`;
  const cases: Array<[string, string[], string, string, Record<string, string>?]> = [
    ['an undefined subset → 503 NC', [`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http: [{route: [{destination: {host: ratings, subset: v9}}]}]`], 'reviews-v2', 'ratings:9080'],
    ['no matching rule → 404 NR', [`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http: [{match: [{uri: {prefix: /nope}}], route: [{destination: {host: ratings}}]}]`], 'reviews-v2', 'ratings:9080'],
    ['plaintext from a DISABLE DestinationRule to a STRICT server → 503 UC', [strict], 'reviews-v2', 'ratings:9080'],
    ['a redirect → 301', [`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http: [{redirect: {uri: /v2}}]`], 'reviews-v2', 'ratings:9080'],
    ['a client without sidecar to a STRICT server → connection reset', [strict], 'productpage-v1', 'details:9080'],
  ];
  for (const [name, extra, from, authority] of cases) {
    it(name, () => {
      const mesh = bookinfo(...extra);
      const input = { source: { workload: from, ...(name.includes('without sidecar') ? { sidecar: false } : {}) }, request: { authority, path: '/' } };
      const t = trace(mesh, input);
      const r = run(mesh, input, { requests: 1 });
      const key = t.status !== null ? String(t.status) : t.outcome;
      expect(Object.keys(r.total.statusCounts)).toEqual([key]);
      expect(Object.keys(r.total.flagCounts).sort()).toEqual([...t.flags].sort());
    });
  }
});
