import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { collapseNamespaces, collapsedPositions } from './collapse';
import { deriveGraph } from './derive';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
// The example in namespace "default" plus a caller in "tools" that routes to it.
const tools = `
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tester, namespace: tools}
spec: {selector: {matchLabels: {app: tester}}, template: {metadata: {labels: {app: tester}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: to-shop, namespace: tools}
spec:
  hosts: [my-service.default.svc.cluster.local]
  http:
  - match: [{sourceLabels: {app: tester}}]
    route: [{destination: {host: my-service.default.svc.cluster.local, subset: v2}}]
  - match: [{sourceLabels: {app: tester}, uri: {prefix: /v1}}]
    route: [{destination: {host: my-service.default.svc.cluster.local, subset: v1}}]`;
const graph = deriveGraph(parseDesign(primer + tools, { validate: false }).model);

describe('collapsing a namespace', () => {
  it('its nodes become one node; routes inside it vanish; routes across it merge into one edge per pair of ends', () => {
    const g = collapseNamespaces(graph, ['default']);
    expect(g.nodes.filter((n) => n.namespace === 'default').map((n) => n.label)).toEqual(['Namespace default']);
    expect(g.nodes.find((n) => n.id === 'ns:default')!.details).toEqual(['1 service, 1 ingress, 1 egress, 1 external, 1 client']);
    const across = g.edges.filter((e) => e.target === 'ns:default' || e.source === 'ns:default');
    expect(across.map((e) => [e.source, e.target, e.match])).toEqual([['mesh', 'ns:default', 'port 80'], ['wl:tools/tester', 'ns:default', '2 routes']]); // the mesh node (every sidecar) is in no namespace
    expect(g.edges.every((e) => e.source !== e.target)).toBe(true);
  });
  it('nothing collapsed is the graph itself; the collapsed node sits where its first member was', () => {
    expect(collapseNamespaces(graph, [])).toBe(graph);
    const first = graph.nodes.find((n) => n.namespace === 'default' && !n.parent)!;
    const pos = collapsedPositions(graph, ['default'], { [first.id]: { x: 40, y: 60, width: 200, height: 70 } });
    expect(pos['ns:default']).toMatchObject({ x: 40, y: 60 });
  });
});
