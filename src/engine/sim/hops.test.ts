/**
 * Per-edge counts past the first proxy: what a gateway reached from another proxy routes (the
 * egress pattern, a split at the gateway, a chain of gateways) is counted on that gateway's edges.
 */
import { describe, expect, it } from 'vitest';
import primer from '../../examples/primer.yaml?raw';
import { meshOf, run } from './fixtures/simutil';
import type { EdgeCount, SimResult } from './types';

const checkout = { source: { workload: 'checkout', namespace: 'default' }, request: { protocol: 'http' as const, method: 'GET', authority: 'api.payments.example', port: 80, path: '/' } };
const edge = (r: SimResult, vs: string, rule: number, destination = 0): EdgeCount | undefined => r.edges.find((e) => e.virtualService === `VirtualService/default/${vs}` && e.rule === rule && e.destination === destination);

describe('egress gateway', () => {
  it('egress: the gateway → external edge counts the requests that went through the egress gateway', () => {
    const r = run(meshOf(primer), checkout, { requests: 500, concurrency: 4 });
    const toGateway = edge(r, 'payments-through-egress', 0)!;
    const toExternal = edge(r, 'payments-through-egress', 1)!;
    expect(toGateway).toMatchObject({ via: 'sidecar', requests: 500, proxies: ['sidecar checkout.default'] });
    expect(toExternal).toMatchObject({ via: 'gateway', requests: 500, errors: 0, proxies: ['gateway istio-egressgateway.istio-system'] });
    expect(toExternal.latencyMs).toEqual(toGateway.latencyMs);
  });

  it('egress: requests the client proxy fails (circuit breaker, 503 UO) never reach the gateway → external edge', () => {
    const limited = primer.replace(
      '  host: istio-egressgateway.istio-system.svc.cluster.local\n  subsets:',
      '  host: istio-egressgateway.istio-system.svc.cluster.local\n  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}}\n  subsets:',
    );
    expect(limited).not.toBe(primer);
    const r = run(meshOf(limited), checkout, { requests: 300, concurrency: 4 }, { upstream: { 'istio-egressgateway': { latencyMs: 5 } } });
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
