/**
 * Scenarios from Istio's public task pages (istio.io/latest/docs/tasks/…): traffic management,
 * with the outcomes the pages show.
 */
import { describe, expect, it } from 'vitest';
import { bookinfo, fixture, get, meshOf, viaGateway } from './fixtures/testutil';

const DRS = fixture('bookinfo-destination-rules.yaml');
const ALL_V1 = ['productpage', 'reviews', 'ratings', 'details'].map((s) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${s}}
spec:
  hosts: [${s}]
  http:
  - route: [{destination: {host: ${s}, subset: v1}}]`).join('\n---\n');
const REVIEWS_TEST_V2 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v3}}]`.replace('subset: v3}}]', 'subset: v1}}]');

describe('task: request routing', () => {
  it('virtual-service-all-v1 sends every request to v1', () => {
    const c = bookinfo(DRS, ALL_V1);
    for (let seed = 1; seed <= 20; seed++) expect(get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).destination?.workload).toBe('reviews-v1');
  });

  it('end-user: jason goes to reviews v2, everyone else to v1', () => {
    const vss = ALL_V1.replace(/metadata: \{name: reviews\}[\s\S]*?subset: v1\}\}\]/, 'metadata: {name: reviews-unused}\nspec:\n  hosts: [unused]\n  http:\n  - route: [{destination: {host: reviews, subset: v1}}]');
    const c = bookinfo(DRS, vss, REVIEWS_TEST_V2);
    const jason = get(c, 'productpage-v1', 'reviews:9080', { headers: { 'end-user': 'jason' } });
    expect([jason.destination?.workload, jason.hops[0].matchedRule]).toEqual(['reviews-v2', 'http[0].match[0]']);
    expect(get(c, 'productpage-v1', 'reviews:9080', { headers: { 'end-user': 'kim' } }).destination?.workload).toBe('reviews-v1');
    expect(get(c, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v1');
  });
});

describe('task: traffic shifting', () => {
  const shift = (w1: number, w3: number) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: ${w1}}
    - {destination: {host: reviews, subset: v3}, weight: ${w3}}`;

  it('50/50 between v1 and v3', () => {
    const c = bookinfo(DRS, shift(50, 50));
    let v3 = 0;
    for (let seed = 1; seed <= 1000; seed++) if (get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).destination?.workload === 'reviews-v3') v3++;
    expect(v3).toBeGreaterThan(440);
    expect(v3).toBeLessThan(560);
  });

  it('100% v3 after the shift', () => {
    const c = bookinfo(DRS, shift(0, 100));
    for (let seed = 1; seed <= 50; seed++) expect(get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).destination?.workload).toBe('reviews-v3');
  });
});

describe('task: fault injection', () => {
  const ratingsFault = (fault: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    fault: ${fault}
    route: [{destination: {host: ratings, subset: v1}}]
  - route: [{destination: {host: ratings, subset: v1}}]`;

  it('a 7s delay for jason on ratings: reviews-v2 gets its answer after 7s, others at once', () => {
    const c = bookinfo(DRS, ratingsFault('{delay: {percentage: {value: 100.0}, fixedDelay: 7s}}'));
    const jason = get(c, 'reviews-v2', 'ratings:9080', { headers: { 'end-user': 'jason' } });
    expect([jason.status, jason.flags, jason.durationMs]).toEqual([200, ['DI'], 7000]);
    expect(get(c, 'reviews-v2', 'ratings:9080').durationMs).toBe(0);
  });

  it("…so productpage's call to reviews outlives productpage's own 3 s timeout (seen as a slow reviews)", () => {
    // productpage's timeout is in the application; with an Envoy timeout of 3s on the same call, the caller gets 504 UT.
    const c = bookinfo(DRS, REVIEWS_TEST_V2);
    const t = get(c, 'productpage-v1', 'reviews:9080', { headers: { 'end-user': 'jason', 'x-envoy-upstream-rq-timeout-ms': '3000' } }, { upstream: { 'reviews-v2': { latencyMs: 7000 } } });
    expect([t.status, t.flags, t.durationMs]).toEqual([504, ['UT'], 3000]);
  });

  it('an HTTP abort 500 for jason on ratings', () => {
    const c = bookinfo(DRS, ratingsFault('{abort: {percentage: {value: 100.0}, httpStatus: 500}}'));
    const t = get(c, 'reviews-v2', 'ratings:9080', { headers: { 'end-user': 'jason' } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([500, ['FI'], 0]);
    expect(get(c, 'reviews-v2', 'ratings:9080').status).toBe(200);
  });
});

describe('task: request timeouts', () => {
  const reviewsV2Timeout = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v2}}]
    timeout: 0.5s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {percentage: {value: 100}, fixedDelay: 2s}}
    route: [{destination: {host: ratings, subset: v1}}]`;

  it('ratings delayed 2s makes reviews slow; the 0.5s timeout on reviews returns 504 after 0.5s', () => {
    const c = bookinfo(DRS, reviewsV2Timeout);
    const ratings = get(c, 'reviews-v2', 'ratings:9080');
    expect(ratings.durationMs).toBe(2000);
    const t = get(c, 'productpage-v1', 'reviews:9080', {}, { upstream: { 'reviews-v2': { latencyMs: ratings.durationMs } } });
    expect([t.status, t.flags, t.durationMs, t.upstreamAttempts]).toEqual([504, ['UT'], 500, 1]);
  });
});

describe('task: ingress gateways (httpbin)', () => {
  const gw = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: httpbin-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [httpbin.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin.example.com]
  gateways: [httpbin-gateway]
  http:
  - match: [{uri: {prefix: /status}}, {uri: {prefix: /delay}}]
    route: [{destination: {port: {number: 8000}, host: httpbin}}]`;
  const c = meshOf(fixture('httpbin-curl.yaml'), gw);
  const G = 'istio-system/istio-ingressgateway';

  it('Host httpbin.example.com /status/200 reaches httpbin', () => {
    const t = viaGateway(c, G, 'httpbin.example.com', { path: '/status/200' }, { upstream: { httpbin: { status: 200 } } });
    expect([t.status, t.destination?.cluster, t.hops[1].listenerPort]).toEqual([200, 'outbound|8000||httpbin.default.svc.cluster.local', 8080]);
  });

  it('a path the VirtualService does not expose gets 404', () => {
    expect(viaGateway(c, G, 'httpbin.example.com', { path: '/headers' }).status).toBe(404);
  });

  it('another Host gets 404', () => {
    expect(viaGateway(c, G, 'other.example.com', { path: '/status/200' }).status).toBe(404);
  });
});

