import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../src/graph/derive';
import { parseDesign } from '../src/model/parse';
import { generateMesh } from './gen';

describe('generateMesh', () => {
  it('is deterministic: same options, same text; another seed, another text', () => {
    const a = generateMesh({ services: 25, seed: 7 });
    expect(generateMesh({ services: 25, seed: 7 })).toBe(a);
    expect(generateMesh({ services: 25, seed: 8 })).not.toBe(a);
    expect(a.startsWith('# Generated mesh: 25 services, seed 7.\n---\napiVersion: v1\nkind: Namespace\n')).toBe(true);
    expect(a.endsWith('\n')).toBe(true);
  });

  it('rejects a service count that is not a positive integer', () => {
    expect(() => generateMesh({ services: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateMesh({ services: 2.5, seed: 1 })).toThrow(RangeError);
  });

  it('a 100-service mesh: ~45 lines per service, no diagnostics, every kind in the expected numbers', () => {
    const text = generateMesh({ services: 100, seed: 1 });
    const lines = text.split('\n').length;
    expect(lines).toBeGreaterThan(3_500);
    expect(lines).toBeLessThan(5_000);
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    const count = (k: Parameters<typeof r.model.ofKind>[0]) => r.model.ofKind(k).length;
    expect([count('Namespace'), count('Service'), count('DestinationRule'), count('Gateway'), count('ServiceEntry')]).toEqual([5, 100, 101, 4, 7]);
    // 2–3 versions per service: a Deployment and a DestinationRule subset each.
    const subsets = r.model.ofKind('DestinationRule').filter((d) => d.namespace !== 'istio-system').reduce((n, d) => n + (d.spec.subsets?.length ?? 0), 0);
    expect(count('Deployment')).toBe(subsets);
    expect(subsets).toBeGreaterThanOrEqual(200);
    expect(subsets).toBeLessThanOrEqual(300);
    // One VirtualService per service, one per plain-HTTP external API, one for TLS egress.
    expect(count('VirtualService')).toBe(100 + 3 + 1);
    expect(r.model.resources.every((x) => x.known)).toBe(true);
  });

  it('derives a graph with no dangling references: every destination and subset exists', () => {
    const g = deriveGraph(parseDesign(generateMesh({ services: 60, seed: 3 }), { validate: false }).model);
    expect(g.nodes.filter((n) => n.implicit).map((n) => n.label)).toEqual([]);
    expect(g.nodes.filter((n) => n.kind === 'service').every((n) => (n.workloads ?? 0) > 0)).toBe(true);
    expect(g.nodes.filter((n) => n.kind === 'subset' && n.parent?.startsWith('svc:')).every((n) => (n.workloads ?? 0) > 0)).toBe(true);
    expect(g.nodes.filter((n) => n.kind === 'client')).toEqual([]);
    const kinds = new Set(g.edges.flatMap((e) => e.badges));
    expect([...kinds].sort()).toEqual(['fault', 'mirror', 'retry', 'timeout']);
    expect(g.edges.filter((e) => e.source.startsWith('gw:')).length).toBeGreaterThan(0);
    expect(g.edges.filter((e) => e.protocol === 'tls').map((e) => `${e.source} -> ${e.target}`)).toEqual([
      'mesh -> gw:istio-system/egress-gateway',
      'gw:istio-system/egress-gateway -> se:istio-system/api-stripe',
    ]);
  });
});
