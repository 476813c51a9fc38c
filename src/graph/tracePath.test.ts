import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileMesh } from '../engine/compile';
import { trace } from '../engine/trace';
import { parseDesign } from '../model/parse';
import { deriveGraph } from './derive';
import { tracePath } from './tracePath';

const model = parseDesign(readFileSync('src/examples/primer.yaml', 'utf8')).model;
const graph = deriveGraph(model);
const mesh = compileMesh(model);
const sorted = (s: Set<string>) => [...s].sort();

describe('tracePath (a traced request lit up on the canvas)', () => {
  it('a request from the internet as user jason: gateway → service → subset v2', () => {
    const t = trace(mesh, { source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority: 'shop.example.com', port: 80, path: '/', headers: { 'end-user': 'jason' } } }, { seed: 1 });
    const lit = tracePath(graph, t);
    expect(sorted(lit.nodes)).toEqual(['gw:default/shop-gateway', 'svc:my-service.default.svc.cluster.local', 'svc:my-service.default.svc.cluster.local#v2']);
    expect(sorted(lit.edges)).toEqual([
      'VirtualService/default/my-service#http/0/route/0@svc:my-service.default.svc.cluster.local',
      'entry:gw:default/shop-gateway->svc:my-service.default.svc.cluster.local',
    ]);
  });

  it('an egress call lights the mesh → egress gateway → external path and the calling workload', () => {
    const source = { workload: 'checkout', namespace: 'default' };
    const t = trace(mesh, { source, request: { authority: 'api.payments.example', port: 80, path: '/pay' } }, { seed: 1 });
    const lit = tracePath(graph, t, source);
    expect(sorted(lit.nodes)).toEqual(['gw:default/istio-egressgateway', 'mesh', 'se:default/payment-api', 'wl:default/checkout']);
    expect(lit.edges.size).toBe(2);
  });
});
