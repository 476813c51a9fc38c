/**
 * What the inspector shows for a selection: the selected node or edge resolved to the resources (and the places
 * in them) its form edits. Pure.
 */
import type { MeshGraph, GraphEdge, GraphNode } from '../graph/types';
import { elementAt } from '../graph/lookup';
import { expandHost } from '../model/hosts';
import type { RouteProtocol, RuleRef } from '../model/edit';
import type { Resource, ResourceKey } from '../model/resource';

export type Target =
  | { kind: 'rule'; edge: GraphEdge; rule: RuleRef; /** the destination the edge stands for */ destination?: number; mirror: boolean }
  | { kind: 'entry'; edge: GraphEdge; virtualServices: ResourceKey[] }
  | { kind: 'service'; node: GraphNode; service?: ResourceKey; destinationRule?: ResourceKey }
  | { kind: 'subset'; node: GraphNode; service?: ResourceKey; destinationRule?: ResourceKey; index?: number }
  | { kind: 'gateway'; node: GraphNode; gateway?: ResourceKey }
  | { kind: 'serviceEntry'; node: GraphNode; serviceEntry?: ResourceKey }
  | { kind: 'client'; node: GraphNode; deployment?: ResourceKey }
  | { kind: 'mesh'; node: GraphNode };

const PROTOCOLS: readonly string[] = ['http', 'tcp', 'tls'];
const kindOf = (key: ResourceKey) => key.slice(0, key.indexOf('/'));

export function resolveTarget(graph: MeshGraph, selection: { kind: 'node' | 'edge'; id: string } | undefined): Target | undefined {
  if (!selection) return undefined;
  if (selection.kind === 'edge') {
    const edge = graph.edges.find((e) => e.id === selection.id);
    if (!edge) return undefined;
    if (edge.id.startsWith('entry:')) return { kind: 'entry', edge, virtualServices: [...new Set(edge.origins.map((o) => o.resource))] };
    const o = edge.origins.find((x) => x.path[0] === 'spec' && PROTOCOLS.includes(String(x.path[1])) && typeof x.path[2] === 'number');
    if (!o) return undefined;
    const rule: RuleRef = { vs: o.resource, protocol: o.path[1] as RouteProtocol, index: o.path[2] as number };
    const dest = edge.origins.find((x) => x.path[3] === 'route' && typeof x.path[4] === 'number');
    const mirror = edge.origins.some((x) => x.path[3] === 'mirror' || x.path[3] === 'mirrors');
    return { kind: 'rule', edge, rule, destination: dest?.path[4] as number | undefined, mirror };
  }
  const node = graph.nodes.find((n) => n.id === selection.id);
  if (!node) return undefined;
  const of = (kind: string) => node.origins.find((o) => kindOf(o.resource) === kind && o.path.length === 0)?.resource;
  switch (node.kind) {
    case 'service':
      return { kind: 'service', node, service: of('Service'), destinationRule: node.origins.find((o) => kindOf(o.resource) === 'DestinationRule')?.resource };
    case 'subset': {
      const o = node.origins.find((x) => kindOf(x.resource) === 'DestinationRule' && x.path[1] === 'subsets');
      const parent = node.parent ? graph.nodes.find((n) => n.id === node.parent) : undefined;
      const service = parent?.origins.find((x) => kindOf(x.resource) === 'Service')?.resource;
      const parentDr = parent?.origins.find((x) => kindOf(x.resource) === 'DestinationRule')?.resource;
      return { kind: 'subset', node, service, destinationRule: o?.resource ?? parentDr, index: o?.path[2] as number | undefined };
    }
    case 'ingress':
    case 'egress':
      return { kind: 'gateway', node, gateway: of('Gateway') };
    case 'external':
      return { kind: 'serviceEntry', node, serviceEntry: of('ServiceEntry') };
    case 'client':
      return { kind: 'client', node, deployment: of('Deployment') };
    case 'mesh':
      return { kind: 'mesh', node };
  }
}

/** Hosts a route may go to, as a VirtualService in `namespace` would write them, with their subsets. */
export function destinationHosts(resources: readonly Resource[], namespace: string): { host: string; subsets: string[] }[] {
  const out = new Map<string, Set<string>>();
  /** Each host by its full name (the first of the hosts that expand alike). */
  const byFullName = new Map<string, string>();
  const add = (host: string) => {
    let subsets = out.get(host);
    if (!subsets) {
      out.set(host, (subsets = new Set()));
      const full = expandHost(host, namespace);
      if (!byFullName.has(full)) byFullName.set(full, host);
    }
    return subsets;
  };
  const short = (name: string, ns: string) => (ns === namespace ? name : `${name}.${ns}.svc.cluster.local`);
  for (const r of resources) {
    if (r.kind === 'Service') add(short(r.name, r.namespace));
    if (r.kind === 'ServiceEntry') for (const h of ((r.spec as { hosts?: string[] }).hosts ?? [])) if (!h.startsWith('*')) add(h);
  }
  for (const r of resources) {
    if (r.kind !== 'DestinationRule') continue;
    const spec = r.spec as { host?: string; subsets?: { name?: string }[] };
    if (!spec.host) continue;
    const host = expandHost(spec.host, r.namespace);
    const match = byFullName.get(host) ?? (host.endsWith('.svc.cluster.local') ? undefined : spec.host);
    if (!match) continue;
    for (const s of spec.subsets ?? []) if (s.name) add(match).add(s.name);
  }
  return [...out.entries()].map(([host, subsets]) => ({ host, subsets: [...subsets] }));
}

/** The edge id a rule's edge gets after the rule moves from `from` to `to` (edge ids carry the rule index). */
export function movedEdgeId(id: string, protocol: RouteProtocol, from: number, to: number): string {
  return id.replace(`#${protocol}/${from}/`, `#${protocol}/${to}/`);
}

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.every((p, i) => path[i] === p);

/**
 * The analyzer's messages about what a target shows: a rule's (any destination of it), an entry edge's (the hosts
 * and gateways of its VirtualServices), else those that land on the node (`elementAt`, as the canvas badges do).
 */
export function problemsFor<M extends { key: ResourceKey; path: readonly (string | number)[] }>(graph: MeshGraph, target: Target, problems: readonly M[]): M[] {
  switch (target.kind) {
    case 'rule': {
      const prefix = ['spec', target.rule.protocol, target.rule.index];
      return problems.filter((p) => p.key === target.rule.vs && startsWith(p.path, prefix));
    }
    case 'entry':
      return problems.filter((p) => target.virtualServices.includes(p.key) && (startsWith(p.path, ['spec', 'hosts']) || startsWith(p.path, ['spec', 'gateways'])));
    default:
      return problems.filter((p) => elementAt(graph, p.key, p.path)?.id === target.node.id);
  }
}

/**
 * The id of a route edge after destination `removed` of its rule is gone (edge ids carry the destination index):
 * later destinations move up one; the removed one's edge becomes its predecessor's (or the new first one's).
 */
export function edgeIdAfterRemoval(id: string, removed: number): string {
  return id.replace(/\/route\/(\d+)@/, (_, j: string) => {
    const n = Number(j);
    return `/route/${n > removed ? n - 1 : n === removed ? Math.max(0, n - 1) : n}@`;
  });
}
