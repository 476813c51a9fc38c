/**
 * Load balancing (semantics §6.3): LEAST_REQUEST (power of two choices, Istio's default),
 * ROUND_ROBIN, RANDOM, weights, and consistent hashing with stickiness.
 */
import { describe, expect, it } from 'vitest';
import { get, meshOf, run } from './fixtures/simutil';
import { simulate } from './simulator';
import type { SimRequestTemplate } from './types';

const design = (lb: string, replicas = 4, clientReplicas = 1) => meshOf(`
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
  replicas: ${clientReplicas}
  selector: {matchLabels: {app: client}}
  template: {metadata: {labels: {app: client}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other}
spec:
  selector: {matchLabels: {app: other}}
  template: {metadata: {labels: {app: other}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web
  trafficPolicy:
    loadBalancer: ${lb}`);

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
/** One group per template, all at once, so that each template's pods can be read from its group. */
const perTemplate = (lb: string, tpls: SimRequestTemplate[], requests = 200, concurrency = 2) =>
  simulate(design(lb), { seed: 3, upstream: { web: { latencyMs: { dist: 'lognormal', p50: 5, p99: 20 } } }, traffic: tpls.map((t) => ({ mix: [t], load: { requests, concurrency } })) });
const podsOf = (g: { byPod: Record<string, number> }) => Object.keys(g.byPod);

describe('consistent hash', () => {
  it('httpHeaderName keeps each user on one pod, and users spread over several pods', () => {
    const r = perTemplate('{consistentHash: {httpHeaderName: x-user}}', USERS.map((u) => get('client', 'web', { headers: { 'x-user': u } })));
    for (const g of r.groups) expect(podsOf(g)).toHaveLength(1);
    expect(new Set(r.groups.map((g) => podsOf(g)[0])).size).toBeGreaterThan(1);
  });

  it('without the header there is no hash key: requests spread at random', () => {
    const r = perTemplate('{consistentHash: {httpHeaderName: x-user}}', [get('client', 'web')], 400);
    expect(podsOf(r.groups[0])).toHaveLength(4);
  });

  it('round robin, for comparison, sends every user to every pod', () => {
    const r = perTemplate('{simple: ROUND_ROBIN}', USERS.map((u) => get('client', 'web', { headers: { 'x-user': u } })));
    for (const g of r.groups) expect(podsOf(g)).toHaveLength(4);
  });

  it('httpQueryParameterName and httpCookie (present) hash on their values', () => {
    const q = perTemplate('{consistentHash: {httpQueryParameterName: user}}', USERS.map((u) => get('client', 'web', { path: `/?user=${u}` })));
    for (const g of q.groups) expect(podsOf(g)).toHaveLength(1);
    const c = perTemplate('{consistentHash: {httpCookie: {name: session, ttl: 0s}}}', USERS.map((u) => get('client', 'web', { headers: { cookie: `a=1; session=${u}` } })));
    for (const g of c.groups) expect(podsOf(g)).toHaveLength(1);
    expect(new Set(c.groups.map((g) => podsOf(g)[0])).size).toBeGreaterThan(1);
  });

  it('httpCookie with a ttl and no cookie yet: Envoy sets one, so each client connection sticks to a pod', () => {
    const r = perTemplate('{consistentHash: {httpCookie: {name: session, ttl: 60s}}}', [get('client', 'web')], 400, 1);
    expect(podsOf(r.groups[0])).toHaveLength(1);
  });

  it('useSourceIp keeps each source pod on one pod', () => {
    const mesh = design('{consistentHash: {useSourceIp: true}}');
    const r = simulate(mesh, { traffic: [{ mix: [get('client', 'web')], load: { requests: 300, concurrency: 3 } }] });
    expect(podsOf(r.groups[0])).toHaveLength(1);
  });

  it('when the sticky pod is ejected its users move, and stay on their new pod', () => {
    const mesh = meshOf(`
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 4, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web
  trafficPolicy:
    loadBalancer: {consistentHash: {httpHeaderName: x-user}}
    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100}`);
    const alice = get('client', 'web', { headers: { 'x-user': 'alice' } });
    const first = simulate(mesh, { traffic: [{ mix: [alice], load: { requests: 10 } }] });
    const home = podsOf(first.groups[0])[0];
    const idx = home.slice(home.lastIndexOf('-') + 1);
    const r = simulate(mesh, { upstream: { web: { pods: { [idx]: { status: 503 } } } }, traffic: [{ mix: [alice], load: { requests: 100 } }] });
    expect(r.ejections[0]).toMatchObject({ kind: 'eject', pod: home });
    expect(r.groups[0].byPod[home]).toBe(1);
    const moved = podsOf(r.groups[0]).filter((p) => p !== home);
    expect(moved).toHaveLength(1);
    expect(r.groups[0].byPod[moved[0]]).toBe(99);
  });
});

describe('least request', () => {
  it('moves load away from a slow pod (round robin does not)', () => {
    const slow = { upstream: { web: { latencyMs: 5, pods: { 0: { latencyMs: 100 } } } } };
    const load = { requests: 3000, concurrency: 12 };
    const lr = run(design('{simple: LEAST_REQUEST}', 3), get('client', 'web'), load, slow);
    const rr = run(design('{simple: ROUND_ROBIN}', 3), get('client', 'web'), load, slow);
    const share = (r: typeof lr) => r.total.byPod['default/web-0'] / r.total.count;
    // Round robin gives every pod its third whatever its speed; power-of-two-choices only picks the slow pod
    // when both draws land on it (1/9) or it is not busier than the other draw.
    expect(Math.abs(share(rr) - 1 / 3)).toBeLessThan(0.01);
    expect(share(lr)).toBeLessThan(0.2);
    expect(lr.total.latencyMs.mean).toBeLessThan(rr.total.latencyMs.mean);
  });

  it('is the default when the DestinationRule sets no load balancer', () => {
    const slow = { upstream: { web: { latencyMs: 5, pods: { 0: { latencyMs: 100 } } } } };
    const r = run(design('{}', 3), get('client', 'web'), { requests: 3000, concurrency: 12 }, slow);
    expect(r.total.byPod['default/web-0'] / r.total.count).toBeLessThan(0.2);
  });
});

describe('round robin, random and weights', () => {
  it('ROUND_ROBIN splits requests evenly over pods', () => {
    const r = run(design('{simple: ROUND_ROBIN}'), get('client', 'web'), { requests: 1000 });
    for (let i = 0; i < 4; i++) expect(r.total.byPod[`default/web-${i}`]).toBe(250);
  });

  it('PASSTHROUGH leaves the choice to the original destination (kube-proxy): a uniform spread, blind to load', () => {
    const slow = { upstream: { web: { latencyMs: 5, pods: { 0: { latencyMs: 100 } } } } };
    const r = run(design('{simple: PASSTHROUGH}', 3), get('client', 'web'), { requests: 3000, concurrency: 12 }, slow);
    // Binomial(3000, 1/3): σ ≈ 25.8, ±4σ ≈ ±104 — the slow pod keeps its third, unlike LEAST_REQUEST.
    expect(Math.abs(r.total.byPod['default/web-0'] - 1000)).toBeLessThanOrEqual(104);
  });

  it('RANDOM spreads within binomial tolerance', () => {
    const r = run(design('{simple: RANDOM}'), get('client', 'web'), { requests: 4000, concurrency: 4 });
    // Binomial(4000, 1/4): σ ≈ 27.4; ±4σ ≈ ±110.
    for (let i = 0; i < 4; i++) expect(Math.abs(r.total.byPod[`default/web-${i}`] - 1000)).toBeLessThanOrEqual(110);
  });

  it('ServiceEntry endpoint weights bias round robin (3:1)', () => {
    const mesh = meshOf(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext}
spec:
  hosts: [ext.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  location: MESH_EXTERNAL
  endpoints: [{address: 10.0.0.1, weight: 3}, {address: 10.0.0.2, weight: 1}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ext}
spec: {host: ext.example.com, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}`);
    const r = run(mesh, get('client', 'ext.example.com'), { requests: 1000 }, { external: { 'ext.example.com:80': { status: 204 } } });
    expect(r.total.byPod).toEqual({ 'external 10.0.0.1:80': 750, 'external 10.0.0.2:80': 250 });
    expect(r.total.statusCounts).toEqual({ 204: 1000 });
    expect(r.warnings).toEqual([]);
  });
});
