/**
 * Per-edge counts past the first proxy: what a gateway reached from another proxy routes (the
 * egress pattern, a split at the gateway, a chain of gateways) is counted on that gateway's edges.
 */
import { describe, expect, it } from 'vitest';
import primer from '../../examples/primer.yaml?raw';
import { trace } from '../trace';
import { get, meshOf, run } from './fixtures/simutil';
import type { EdgeCount, SimResult } from './types';

const checkout = { source: { workload: 'checkout', namespace: 'default' }, request: { protocol: 'http' as const, method: 'GET', authority: 'api.payments.example', port: 80, path: '/' } };
const edge = (r: SimResult, vs: string, rule: number, destination = 0): EdgeCount | undefined => r.edges.find((e) => e.virtualService === `VirtualService/default/${vs}` && e.rule === rule && e.destination === destination);

describe('egress gateway', () => {
  it("egress: the gateway → external edge counts the requests that went through the egress gateway, with the gateway's handling time", () => {
    const r = run(meshOf(primer), checkout, { requests: 500, concurrency: 4 });
    const toGateway = edge(r, 'payments-through-egress', 0)!;
    const toExternal = edge(r, 'payments-through-egress', 1)!;
    expect(toGateway).toMatchObject({ via: 'sidecar', requests: 500, proxies: ['sidecar checkout.default'] });
    expect(toExternal).toMatchObject({ via: 'gateway', requests: 500, errors: 0, proxies: ['gateway istio-egressgateway.istio-system'] });
    // The gateway's handling (1 ms at the external host, a hop each way) is part of what the sidecar's caller waits for (a hop more each way).
    expect(toExternal.latencyMs.p50).toBeCloseTo(2, 1);
    expect(toGateway.latencyMs.p50).toBeCloseTo(2.5, 1);
  });

  it('egress: requests the client proxy fails (circuit breaker, 503 UO) never reach the gateway → external edge', () => {
    const limited = primer.replace(
      '  host: istio-egressgateway.istio-system.svc.cluster.local\n  subsets:',
      '  host: istio-egressgateway.istio-system.svc.cluster.local\n  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}}\n  subsets:',
    );
    expect(limited).not.toBe(primer);
    const r = run(meshOf(limited), checkout, { requests: 300, concurrency: 4 }, { external: { 'api.payments.example:80': { latencyMs: 5 } } });
    const uo = r.total.flagCounts.UO ?? 0;
    expect(uo).toBeGreaterThan(0);
    expect(edge(r, 'payments-through-egress', 0)!.requests).toBe(300);
    expect(edge(r, 'payments-through-egress', 1)!.requests).toBe(300 - uo);
  });

  it('egress: a weighted split at the gateway is drawn per request, and each destination is its own gateway edge', () => {
    const split = primer.replace(/(  - match:\n    - gateways:\n      - istio-egressgateway\n      port: 80\n    route:\n    - destination:\n        host: api.payments.example\n        port:\n          number: 80\n)/, `$1      weight: 75
    - destination:
        host: api.payments.example
        port:
          number: 443
      weight: 25
`);
    expect(split).not.toBe(primer);
    const r = run(meshOf(split), checkout, { requests: 4000, concurrency: 8 });
    const a = edge(r, 'payments-through-egress', 1, 0)!;
    const b = edge(r, 'payments-through-egress', 1, 1)!;
    expect(a.requests + b.requests).toBe(4000);
    // Binomial(4000, 0.25): standard deviation ≈ 27; 4 of them either side.
    expect(Math.abs(b.requests - 1000)).toBeLessThan(110);
    expect(a.via).toBe('gateway');
  });
});

describe('ingress gateway', () => {
  it('ingress: a request entering at the ingress gateway is counted on the gateway → service edge only (the service answers it)', () => {
    const r = run(meshOf(primer), { source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority: 'shop.example.com', port: 80, path: '/v1' } }, { requests: 200, concurrency: 2 });
    expect(r.edges.filter((e) => e.requests > 0)).toEqual([expect.objectContaining({ virtualService: 'VirtualService/default/my-service', rule: 1, via: 'gateway', requests: 200 })]);
  });
});

/** Two gateways in a row: sidecar → egress-a → egress-b → api.example, one VirtualService rule per hop. */
const CHAIN = `
apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: curl}
spec: {selector: {matchLabels: {app: curl}}, template: {metadata: {labels: {app: curl}}}}
${['a', 'b'].map((g) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: egress-${g}, namespace: egress}
spec: {selector: {matchLabels: {gw: ${g}}}, template: {metadata: {labels: {gw: ${g}}}}}
---
apiVersion: v1
kind: Service
metadata: {name: egress-${g}, namespace: egress}
spec: {selector: {gw: ${g}}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw-${g}, namespace: egress}
spec: {selector: {gw: ${g}}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]}
`).join('')}---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: api}
spec: {hosts: [api.example], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: chain}
spec:
  hosts: [api.example]
  gateways: [mesh, egress/gw-a, egress/gw-b]
  http:
  - match: [{gateways: [mesh]}]
    route: [{destination: {host: egress-a.egress.svc.cluster.local, port: {number: 80}}}]
  - match: [{gateways: [egress/gw-a]}]
    route: [{destination: {host: egress-b.egress.svc.cluster.local, port: {number: 80}}}]
  - match: [{gateways: [egress/gw-b]}]
    route: [{destination: {host: api.example, port: {number: 80}}}]`;
const api = get('curl', 'api.example');

describe('gateway chains', () => {
  it("every hop's edge counts each request once, routed by its own proxy, and the last hop's upstream answers", () => {
    const r = run(meshOf(CHAIN), api, { requests: 40, concurrency: 2 });
    expect(r.edges.map((e) => [e.rule, e.via, e.proxies, e.requests, e.errors])).toEqual([
      [0, 'sidecar', ['sidecar curl.default'], 40, 0],
      [1, 'gateway', ['gateway egress-a.egress'], 40, 0],
      [2, 'gateway', ['gateway egress-b.egress'], 40, 0],
    ]);
    expect(Object.keys(r.stats)).toEqual(['sidecar curl.default', 'gateway egress-a.egress', 'gateway egress-b.egress']);
    expect(r.total.byWorkload).toEqual({ 'external api.example:80': 40 });
    expect(r.groups[0].proxies).toEqual(['sidecar curl.default', 'gateway egress-a.egress', 'gateway egress-b.egress']);
  });

  it('a gateway routing to itself is a loop: the 9th proxy closes the connection and the caller gets 503 UC, as the trace says', () => {
    const mesh = meshOf(CHAIN.replace('route: [{destination: {host: egress-b', 'route: [{destination: {host: egress-a'));
    const r = run(mesh, api, { requests: 10 });
    const t = trace(mesh, api);
    expect([t.status, t.flags, t.hops.length]).toEqual([503, ['UC'], 9]);
    expect(r.total.statusCounts).toEqual({ 503: 10 });
    expect(r.total.flagCounts).toEqual({ UC: 10 });
    // Seven gateways in a row route each request over the looping edge.
    expect(r.edges.find((e) => e.rule === 1)).toMatchObject({ requests: 70, errors: 70 });
  });
});
