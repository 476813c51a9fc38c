import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newDecision } from './decide';
import { prepare } from './prepare';
import { createRng } from './rng';
import { decisionCluster, route } from './route';
import { bookinfo, fixture } from './fixtures/testutil';
import { trace } from './trace';
import type { RequestInput } from './types';

const design = bookinfo(fixture('bookinfo-destination-rules.yaml'), fixture('bookinfo-gateway.yaml'), `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {regex: "/reviews/[0-9]+"}}]
    route:
    - {destination: {host: reviews, subset: v1}, weight: 30}
    - {destination: {host: reviews, subset: v3}, weight: 70}
  - match: [{uri: {prefix: /gone}}]
    route: [{destination: {host: reviews, subset: v9}}]
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - route:
    - {destination: {host: ratings, subset: v1}, weight: 1}
    - {destination: {host: ratings, subset: v2}, weight: 1}`);

const arbRequest = fc.record({
  source: fc.oneof(
    fc.constantFrom('productpage-v1', 'reviews-v2', 'details-v1').map((workload) => ({ workload })),
    fc.constant({ gateway: 'istio-system/istio-ingressgateway' }),
  ),
  authority: fc.constantFrom('reviews:9080', 'ratings:9080', 'details:9080', 'productpage:9080', 'www.example.com', 'bookinfo.example.com', 'Reviews.default'),
  path: fc.constantFrom('/', '/reviews/1', '/reviews/x', '/gone', '/old/a?b=1', '/productpage', '/static/x'),
  user: fc.constantFrom(undefined, 'jason', 'kim'),
});

describe('fast path', () => {
  it('route() and trace() agree on the first proxy decision for the same seed (property)', () => {
    fc.assert(
      fc.property(arbRequest, fc.integer({ min: 1, max: 1_000_000 }), (r, seed) => {
        const input: RequestInput = { source: r.source as RequestInput['source'], request: { authority: r.authority, path: r.path, port: r.authority.includes(':') ? undefined : 80, headers: r.user ? { 'end-user': r.user } : {} } };
        const d = route(design, prepare(design, input), createRng(seed), newDecision());
        const t = trace(design, input, { seed });
        expect(decisionCluster(d)).toBe(t.hops[0].cluster);
        expect(d.route?.label ?? d.l4?.label ?? null).toBe(t.hops[0].matchedRule);
        expect(d.vhost?.name ?? null).toBe(t.hops[0].vhost);
      }),
      { numRuns: 300 },
    );
  });

  it('route() reuses one decision object and gives the same answers for the same seed', () => {
    const req = prepare(design, { source: { workload: 'productpage-v1' }, request: { authority: 'reviews:9080', path: '/reviews/7' } });
    const a: string[] = [];
    const b: string[] = [];
    const r1 = createRng(7);
    const r2 = createRng(7);
    let first: unknown = null;
    for (let i = 0; i < 200; i++) {
      const d = route(design, req, r1);
      first ??= d;
      expect(d).toBe(first);
      a.push(decisionCluster(d)!);
      b.push(decisionCluster(route(design, req, r2))!);
    }
    expect(a).toEqual(b);
    const v1 = a.filter((c) => c.includes('|v1|')).length;
    expect(v1).toBeGreaterThan(30);
    expect(v1).toBeLessThan(95);
  });

  it('route() builds no explanation and routes 200,000 requests in under 2 s', () => {
    const req = prepare(design, { source: { workload: 'productpage-v1' }, request: { authority: 'reviews:9080', path: '/reviews/7', headers: { 'end-user': 'kim' } } });
    const rng = createRng(1);
    const d = newDecision();
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i++) route(design, req, rng, d);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(d.kind).toBe('route');
  });
});
