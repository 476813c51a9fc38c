/**
 * What the designer gestures mean in commands: palette items → the resources they create, graph nodes → the
 * endpoints of a connection, and the node a new resource will appear as (to place it where it was dropped).
 * Pure: no React, no store.
 */
import { serviceFqdn } from '../model/hosts';
import type { MeshModel } from '../model/model';
import type { Command, EgressOptions, Endpoint } from '../model/edit';
import type { Resource } from '../model/resource';
import type { GraphNode, MeshGraph } from '../graph/types';

export type PaletteKind = 'ingress' | 'egress' | 'service' | 'external' | 'client';

export interface AddForm {
  kind: PaletteKind;
  name: string;
  namespace: string;
  /** Gateways: hosts; external service: its host. Comma-separated. */
  hosts: string;
  /** Service: versions, comma-separated. */
  versions: string;
  port: number;
  /** External service: HTTP or HTTPS. */
  protocol: 'HTTP' | 'HTTPS';
}

export const PALETTE: { kind: PaletteKind; title: string; hint: string }[] = [
  { kind: 'ingress', title: 'Ingress gateway', hint: 'Lets traffic from outside into the mesh (Gateway on istio: ingressgateway)' },
  { kind: 'egress', title: 'Egress gateway', hint: 'The exit for traffic to external services (Gateway on istio: egressgateway)' },
  { kind: 'service', title: 'Service', hint: 'A Service, a Deployment per version and a DestinationRule subset per version' },
  { kind: 'external', title: 'External service', hint: 'A host outside the mesh (ServiceEntry)' },
  { kind: 'client', title: 'Client', hint: 'A workload that calls services (Deployment no Service selects)' },
];

const BASE_NAMES: Record<PaletteKind, string> = { ingress: 'ingress-gateway', egress: 'egress-gateway', service: 'my-service', external: 'external-api', client: 'client' };
const KIND_OF: Record<PaletteKind, string> = { ingress: 'Gateway', egress: 'Gateway', service: 'Service', external: 'ServiceEntry', client: 'Deployment' };

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** A free name (`my-service`, `my-service-2`, …) and sensible defaults for a new element. */
export function defaultForm(model: MeshModel, kind: PaletteKind, namespace = 'default'): AddForm {
  let name = BASE_NAMES[kind];
  for (let i = 2; model.byKey.has(`${KIND_OF[kind]}/${namespace}/${name}` as Resource['key']) || (kind === 'service' && model.byKey.has(`Deployment/${namespace}/${name}-v1` as Resource['key'])); i++) name = `${BASE_NAMES[kind]}-${i}`;
  const host = kind === 'external' ? (name === 'external-api' ? 'api.example.com' : `${name}.example.com`) : '*';
  return { kind, name, namespace, hosts: host, versions: 'v1', port: 80, protocol: 'HTTP' };
}

/** The command a filled-in form stands for. */
export function addCommand(f: AddForm): Command {
  const name = f.name.trim();
  switch (f.kind) {
    case 'ingress':
    case 'egress':
      return { type: 'addGateway', gateway: f.kind, name, namespace: f.namespace, hosts: list(f.hosts), port: f.port };
    case 'service':
      return { type: 'addService', name, namespace: f.namespace, port: f.port, versions: list(f.versions), subsets: true };
    case 'external': {
      const https = f.protocol === 'HTTPS';
      return { type: 'addServiceEntry', name, namespace: f.namespace, hosts: list(f.hosts), ports: [{ number: f.port, name: https ? 'https' : 'http', protocol: f.protocol }], location: 'MESH_EXTERNAL', resolution: 'DNS' };
    }
    case 'client':
      return { type: 'addClient', name, namespace: f.namespace };
  }
}

/** The id of the node a new element will appear as. */
export function nodeIdFor(f: AddForm): string {
  const name = f.name.trim();
  switch (f.kind) {
    case 'ingress':
    case 'egress':
      return `gw:${f.namespace}/${name}`;
    case 'service':
      return `svc:${serviceFqdn(name, f.namespace)}`;
    case 'external':
      return `se:${f.namespace}/${name}`;
    case 'client':
      return `wl:${f.namespace}/${name}`;
  }
}

/** The pod labels behind a node that can call others (a client Deployment, or a Service's pods, or one subset's). */
function callerLabels(model: MeshModel, node: GraphNode, graph: MeshGraph): Record<string, string> | undefined {
  if (node.kind === 'client') {
    const d = model.byKey.get(node.origins[0]?.resource) as Resource<'Deployment'> | undefined;
    return (d?.spec.template?.metadata?.labels ?? undefined) as Record<string, string> | undefined;
  }
  const service = node.kind === 'subset' ? graph.nodes.find((n) => n.id === node.parent) : node;
  const svc = model.byKey.get(`Service/${service?.namespace}/${service?.name}` as Resource['key']) as Resource<'Service'> | undefined;
  const selector = svc?.spec.selector as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length) return undefined;
  if (node.kind !== 'subset') return { ...selector };
  const labels = Object.fromEntries(node.details.map((d) => d.split('=') as [string, string]).filter((kv) => kv.length === 2));
  return { ...selector, ...labels };
}

/** A node as the start (`from`) or the end of a connection; a reason when it cannot be one. */
export function endpointOf(model: MeshModel, graph: MeshGraph, node: GraphNode, role: 'from' | 'to'): Endpoint | string {
  switch (node.kind) {
    case 'ingress':
    case 'egress':
      if (node.implicit) return `${node.label} is not defined in this design.`;
      return { kind: 'gateway', gateway: node.origins[0].resource };
    case 'external':
      if (node.implicit || !node.origins[0]) return `${node.name} has no ServiceEntry in this design; add one from the palette.`;
      return { kind: 'external', entry: node.origins[0].resource };
    case 'mesh':
      return 'The mesh node stands for every sidecar: connect from a client or a service.';
    case 'namespace':
      return `${node.label} is collapsed: expand it to connect its nodes.`;
    case 'client':
    case 'service':
    case 'subset': {
      if (role === 'to' && node.kind !== 'client') {
        const service = node.kind === 'subset' ? graph.nodes.find((n) => n.id === node.parent) : node;
        if (!service) return `${node.label} has no service.`;
        return { kind: 'service', host: service.id.replace(/^svc:/, ''), subset: node.kind === 'subset' ? node.name : undefined };
      }
      if (role === 'to') return { kind: 'workload', namespace: node.namespace, name: node.name, labels: {} };
      const labels = callerLabels(model, node, graph);
      if (!labels) return `${node.label} has no pods (no selector or Deployment) to send requests from.`;
      return { kind: 'workload', namespace: node.namespace, name: node.kind === 'subset' ? `${graph.nodes.find((n) => n.id === node.parent)?.name ?? ''} ${node.name}` : node.name, labels };
    }
  }
}

/** A connection between two nodes as a command, or why there is none. */
export function connectFor(model: MeshModel, graph: MeshGraph, sourceId: string, targetId: string, egress?: EgressOptions): Command | string {
  const source = graph.nodes.find((n) => n.id === sourceId);
  const target = graph.nodes.find((n) => n.id === targetId);
  if (!source || !target) return 'That node is gone.';
  if (source.id === target.id || target.parent === source.id) return 'A service routes to its own subsets through its VirtualService: connect a gateway or a caller to the subset instead.';
  const from = endpointOf(model, graph, source, 'from');
  if (typeof from === 'string') return from;
  const to = endpointOf(model, graph, target, 'to');
  if (typeof to === 'string') return to;
  return { type: 'connect', from, to, egress };
}

/** Whether connecting these nodes asks how (to an external service from a workload: through the egress gateway?). */
export const asksHow = (graph: MeshGraph, sourceId: string, targetId: string) => {
  const s = graph.nodes.find((n) => n.id === sourceId);
  const t = graph.nodes.find((n) => n.id === targetId);
  return !!s && !!t && t.kind === 'external' && (s.kind === 'client' || s.kind === 'service' || s.kind === 'subset');
};
