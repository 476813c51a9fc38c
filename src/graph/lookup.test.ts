import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { ResourceKey } from '../model/resource';
import { deriveGraph } from './derive';
import { elementAt } from './lookup';

const graph = deriveGraph(parseDesign(readFileSync('src/examples/primer.yaml', 'utf8')).model);
const key = (k: string) => k as ResourceKey;

describe('elementAt (cursor in the YAML → canvas element)', () => {
  it('a field of a route destination selects that route edge', () => {
    const hit = elementAt(graph, key('VirtualService/default/my-service'), ['spec', 'http', 4, 'route', 1, 'weight']);
    expect(hit?.kind).toBe('edge');
    const edge = graph.edges.find((e) => e.id === hit!.id)!;
    expect([edge.target, edge.weight]).toEqual(['svc:my-service.default.svc.cluster.local#v2', 10]);
  });

  it('a DestinationRule subset selects the subset node', () => {
    expect(elementAt(graph, key('DestinationRule/default/my-service'), ['spec', 'subsets', 1, 'labels', 'version'])).toEqual({
      kind: 'node',
      id: 'svc:my-service.default.svc.cluster.local#v2',
    });
  });

  it('the metadata of a Service selects its node; an unknown resource selects nothing', () => {
    expect(elementAt(graph, key('Service/default/my-service'), ['metadata', 'name'])).toEqual({ kind: 'node', id: 'svc:my-service.default.svc.cluster.local' });
    expect(elementAt(graph, key('Service/default/nope'), [])).toBeUndefined();
  });
});
