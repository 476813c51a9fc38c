import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../graph/derive';
import { parseDesign } from '../model/parse';
import { deleteEdge, deleteNode } from './deletion';
import { addCommand, connectFor, defaultForm, nodeIdFor } from './designer';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const { model } = parseDesign(primer, { validate: false });
const graph = deriveGraph(model);
const nodeNamed = (label: string) => graph.nodes.find((n) => n.label === label)!;

describe('palette forms', () => {
  it('default names are free in the design', () => {
    expect(defaultForm(model, 'service').name).toBe('my-service-2');
    expect(defaultForm(model, 'client').name).toBe('client');
    expect(defaultForm(model, 'external')).toMatchObject({ name: 'external-api', hosts: 'api.example.com' });
  });
  it('a form becomes the command and the node id it will appear as', () => {
    const f = { ...defaultForm(model, 'service'), name: 'cart', versions: 'v1, v2 ,' };
    expect(addCommand(f)).toEqual({ type: 'addService', name: 'cart', namespace: 'default', port: 80, versions: ['v1', 'v2'], subsets: true });
    expect(nodeIdFor(f)).toBe('svc:cart.default.svc.cluster.local');
    expect(nodeIdFor({ ...f, kind: 'ingress', name: 'gw' })).toBe('gw:default/gw');
  });
});

describe('connect: nodes → endpoints', () => {
  it('a subset as the target is the service host with that subset; a client as the source is its pod labels', () => {
    expect(connectFor(model, graph, 'wl:default/checkout', 'svc:my-service.default.svc.cluster.local#v2')).toEqual({
      type: 'connect',
      from: { kind: 'workload', namespace: 'default', name: 'checkout', labels: { app: 'checkout', version: 'v1' } },
      to: { kind: 'service', host: 'my-service.default.svc.cluster.local', subset: 'v2' },
      egress: undefined,
    });
  });
  it('a subset as the source calls with the service selector plus the subset labels', () => {
    const c = connectFor(model, graph, 'svc:my-service.default.svc.cluster.local#v1', 'se:default/payment-api');
    expect(c).toMatchObject({ from: { kind: 'workload', labels: { app: 'my-service', version: 'v1' } }, to: { kind: 'external', entry: 'ServiceEntry/default/payment-api' } });
  });
  it('a service to its own subset, and the mesh node, are refused with the reason', () => {
    expect(connectFor(model, graph, 'svc:my-service.default.svc.cluster.local', 'svc:my-service.default.svc.cluster.local#v1')).toMatch(/own subsets/);
    expect(connectFor(model, graph, 'mesh', 'se:default/payment-api')).toMatch(/every sidecar/);
  });
});

describe('delete', () => {
  it('a service takes its Deployments and DestinationRule; a VirtualService bound to a gateway stays (its routes then show what is missing)', () => {
    expect(deleteNode(model, graph, nodeNamed('Service default/my-service'))).toEqual([
      { type: 'removeService', service: 'Service/default/my-service' },
      { type: 'removeResource', key: 'DestinationRule/default/my-service' },
    ]);
  });
  it('a subset with its own Deployment removes that version', () => {
    expect(deleteNode(model, graph, nodeNamed('Subset my-service/v2'))).toEqual([{ type: 'removeWorkloadVersion', service: 'Service/default/my-service', version: 'v2' }]);
  });
  it('an edge of a split removes its destination; a lone route removes the rule; entry edges are refused', () => {
    const split = graph.edges.find((e) => e.weight === 10)!;
    expect(deleteEdge(model, split)).toEqual([{ type: 'removeDestination', rule: { vs: 'VirtualService/default/my-service', protocol: 'http', index: 4 }, index: 1 }]);
    const v1 = graph.edges.find((e) => e.match === 'uri = /v1')!;
    expect(deleteEdge(model, v1)).toEqual([{ type: 'removeRoute', rule: { vs: 'VirtualService/default/my-service', protocol: 'http', index: 1 } }]);
    expect(deleteEdge(model, graph.edges.find((e) => e.id.startsWith('entry:'))!)).toMatch(/enters at the service/);
  });
});
