import { describe, expect, it } from 'vitest';
import primer from '../examples/primer.yaml?raw';
import { compileMesh } from '../engine/compile';
import { requestPresets } from '../engine/presets';
import { simulate } from '../engine/sim';
import type { SimResult } from '../engine/sim/types';
import { deriveGraph } from '../graph/derive';
import { parseDesign } from '../model/parse';
import { buildModel } from '../model/model';
import type { Resource } from '../model/resource';
import { applyWhatIf } from '../sim/whatIf';
import { clusterNode, health, MAX_PARTICLES_PER_EDGE, PARTICLE_BUDGET, trafficOverlay } from './traffic';

const { model } = parseDesign(primer, { validate: false });
const resources = model.resources as Resource[];
const graph = deriveGraph(model);
const presets = requestPresets(model);
const canaryPreset = presets.find((p) => p.label.includes('canary'))!;
const SVC = 'svc:my-service.default.svc.cluster.local';
const edge = (rule: number, dest: number) => `VirtualService/default/my-service#http/${rule}/route/${dest}@${SVC}`;
const ENTRY = `entry:gw:default/shop-gateway->${SVC}`;

function run(rs = resources, requests = 10_000, mix = [canaryPreset.input]): SimResult {
  return simulate(compileMesh(buildModel(rs)), { seed: 7, traffic: [{ mix, load: { requests, concurrency: 8 } }] });
}

describe('the traffic overlay of a load run', () => {
  it('a 90/10 canary: the route edges carry 90 % and 10 % of the rule, the gateway entry carries all of it', () => {
    const o = trafficOverlay(graph, run(), resources);
    const v1 = o.edges.get(edge(4, 0))!;
    const v2 = o.edges.get(edge(4, 1))!;
    expect(v1.requests + v2.requests).toBe(10_000);
    expect(Math.abs(v1.share! - 90)).toBeLessThan(1.5);
    expect(v1.share! + v2.share!).toBeCloseTo(100, 6);
    expect(o.edges.get(ENTRY)!.requests).toBe(10_000);
    expect(v1.health).toBe('healthy');
    // Particles by rate: the busiest edge (the entry, all requests) gets the most, the 10 % edge one.
    expect(o.edges.get(ENTRY)!.particles).toBe(MAX_PARTICLES_PER_EDGE);
    expect(v1.particles).toBeGreaterThanOrEqual(MAX_PARTICLES_PER_EDGE - 1);
    expect(v2.particles).toBe(1);
    expect(o.nodes.get(`${SVC}#v1`)).toMatchObject({ requests: v1.requests, health: 'healthy' });
    // An edge without traffic has no entry; a single-destination route has no share.
    expect(o.edges.has(edge(0, 0))).toBe(false);
  });

  it('a 50 % abort turns the edges and nodes red; error particles follow the error rate', () => {
    const aborted = applyWhatIf(resources, { weights: {}, aborts: { 'VirtualService/default/my-service#http/4': true } });
    const o = trafficOverlay(graph, run(aborted), resources);
    const v1 = o.edges.get(edge(4, 0))!;
    expect(Math.abs(v1.errorRate - 50)).toBeLessThan(2);
    expect(v1.health).toBe('failing');
    expect(v1.errorParticles).toBeGreaterThanOrEqual(Math.floor(v1.particles / 2));
    expect(v1.errorParticles).toBeLessThanOrEqual(Math.ceil(v1.particles / 2));
    expect(o.nodes.get(SVC)!.health).toBe('failing');
  });

  it('every route of the mix lands on its own edge; the egress route leaves the mesh node and goes on from the egress gateway', () => {
    const o = trafficOverlay(graph, run(resources, 6000, presets.map((p) => p.input)), resources);
    for (const rule of [0, 1, 2, 3]) expect(o.edges.get(edge(rule, 0))!.requests).toBeGreaterThan(800);
    const toGateway = o.edges.get('VirtualService/default/payments-through-egress#http/0/route/0@mesh')!;
    expect(toGateway.requests).toBeGreaterThan(800);
    // Past the first proxy: the egress gateway routes the same requests on to the external host.
    expect(o.edges.get('VirtualService/default/payments-through-egress#http/1/route/0@gw:default/istio-egressgateway')!.requests).toBe(toGateway.requests);
    expect(o.edges.get(edge(3, 0))!.health).toBe('failing');
  });

  it('many busy edges share a particle budget', () => {
    const many = { ...graph, edges: Array.from({ length: 200 }, (_, i) => ({ ...graph.edges[0], id: `VirtualService/default/v${i}#http/0/route/0@x`, source: 'x', target: `y${i}` })) };
    const result = { ...run(resources, 100), edges: many.edges.map((_, i) => ({ virtualService: `VirtualService/default/v${i}`, protocol: 'http', rule: 0, destination: 0, mirror: null, via: 'sidecar', proxies: [], requests: 100, errors: 0, clientErrors: 0, latencyMs: { p50: 1, p90: 1, p99: 1, max: 1 } })) } as unknown as SimResult;
    const o = trafficOverlay(many, result);
    const total = [...o.edges.values()].reduce((n, e) => n + e.particles, 0);
    expect(total).toBeLessThanOrEqual(PARTICLE_BUDGET);
    expect([...o.edges.values()].every((e) => e.particles >= 1)).toBe(true);
  });
});

describe('health (Kiali defaults)', () => {
  it.each([
    [0, 0, 0, 'idle'],
    [100, 0, 0, 'healthy'],
    [100, 0.1, 0, 'degraded'],
    [100, 10, 0, 'failing'],
    [100, 0, 9.9, 'healthy'],
    [100, 0, 10, 'degraded'],
    [100, 0, 20, 'failing'],
  ] as const)('%s requests, %s pct 5xx, %s pct 4xx → %s', (n, e5, e4, h) => expect(health(n, e5, e4)).toBe(h));

  it('maps Envoy clusters to subset and service nodes', () => {
    expect(clusterNode('outbound|80|v1|my-service.default.svc.cluster.local')).toBe(`${SVC}#v1`);
    expect(clusterNode('outbound|80||my-service.default.svc.cluster.local')).toBe(SVC);
    expect(clusterNode('PassthroughCluster')).toBeUndefined();
  });
});
