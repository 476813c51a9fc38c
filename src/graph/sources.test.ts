import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { deriveGraph } from './derive';

const design = (rules: string) => `
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {selector: {app: reviews}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: productpage}
spec: {selector: {app: productpage}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: productpage-v1}
spec: {selector: {matchLabels: {app: productpage}}, template: {metadata: {labels: {app: productpage}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tester}
spec: {selector: {matchLabels: {app: tester}}, template: {metadata: {labels: {app: tester}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
${rules}`;

const edgesOf = (text: string) => {
  const r = parseDesign(text);
  expect(r.diagnostics).toEqual([]);
  const g = deriveGraph(r.model);
  const label = (id: string) => g.nodes.find((n) => n.id === id)!.label;
  return g.edges.map((e) => `${label(e.source)} → ${label(e.target)} | ${e.match}`);
};

describe('mesh rules with sourceLabels route from their source workloads', () => {
  it('a rule whose matches all name sourceLabels starts at the selected client and at the Service selecting the pods', () => {
    expect(edgesOf(design(`  - match: [{sourceLabels: {app: tester}}, {sourceLabels: {app: productpage}}]\n    route: [{destination: {host: reviews}}]`))).toEqual([
      'Deployment default/tester → Service default/reviews | from app=tester | from app=productpage',
      'Service default/productpage → Service default/reviews | from app=tester | from app=productpage',
    ]);
  });
  it('a rule with one match lacking sourceLabels applies to every sidecar: it routes at the host', () => {
    const edges = edgesOf(design(`  - match: [{sourceLabels: {app: tester}}, {uri: {prefix: /a}}]\n    route: [{destination: {host: reviews}}]`));
    expect(edges).toHaveLength(0); // host → host is no edge: the rule applies at reviews itself
  });
  it('sourceLabels that select no workload fall back to the host', () => {
    const edges = edgesOf(design(`  - match: [{sourceLabels: {app: nobody}}]\n    route: [{destination: {host: productpage}}]`));
    expect(edges).toEqual(['Service default/reviews → Service default/productpage | from app=nobody']);
  });
  it('sourceNamespace narrows the workloads', () => {
    const edges = edgesOf(design(`  - match: [{sourceLabels: {app: tester}, sourceNamespace: other}]\n    route: [{destination: {host: productpage}}]`));
    expect(edges).toEqual(['Service default/reviews → Service default/productpage | from app=tester, from ns other']);
  });
});
