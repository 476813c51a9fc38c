/** What deleting (or copying) canvas elements takes from the design, as commands or resource keys. Pure. */
import { expandHost, serviceFqdn } from '../model/hosts';
import type { MeshModel } from '../model/model';
import type { Command } from '../model/edit';
import type { Resource, ResourceKey } from '../model/resource';
import type { GraphEdge, GraphNode, MeshGraph } from '../graph/types';

/**
 * A node: a service takes its Deployments, its DestinationRules and the VirtualServices for it alone (else a dashed
 * "not in design" node would stay behind); a subset takes its version's Deployments and subset; gateways, entries and
 * clients are one resource each. Nodes the design only references cannot be deleted.
 */
export function deleteNode(model: MeshModel, graph: MeshGraph, node: GraphNode): Command[] | string {
  if (node.implicit) return `${node.label} is only referenced by routes; delete those routes instead.`;
  switch (node.kind) {
    case 'service': {
      const keys = ownedKeys(model, node);
      const svc = keys.find((k) => k.startsWith('Service/'));
      // removeService takes the Service and its Deployments; the rest goes one by one.
      const out: Command[] = svc ? [{ type: 'removeService', service: svc }] : [];
      for (const key of keys) if (!key.startsWith('Service/') && !(svc && key.startsWith('Deployment/'))) out.push({ type: 'removeResource', key });
      return out.length ? out : `${node.label} has nothing to delete.`;
    }
    case 'subset': {
      const parent = graph.nodes.find((n) => n.id === node.parent);
      const svc = parent && model.byKey.get(`Service/${parent.namespace}/${parent.name}` as Resource['key']);
      const hasVersion = model.ofKind('Deployment').some((d) => d.namespace === node.namespace && (d.spec.template?.metadata?.labels as Record<string, string> | undefined)?.version === node.name);
      if (svc && hasVersion) return [{ type: 'removeWorkloadVersion', service: svc.key, version: node.name }];
      const dr = node.origins.find((o) => o.resource.startsWith('DestinationRule/'));
      return dr ? [{ type: 'removeSubset', dr: dr.resource, name: node.name }] : `${node.label} has no DestinationRule subset.`;
    }
    case 'mesh':
      return 'The mesh node stands for every sidecar; it goes away with the last mesh route to an external host.';
    case 'namespace':
      return `${node.label} is collapsed: expand it to delete what is inside.`;
    default: {
      const key = node.origins[0]?.resource;
      return key ? [{ type: 'removeResource', key }] : `${node.label} has nothing to delete.`;
    }
  }
}

/** An edge: its destination when the rule splits traffic, else the whole rule. Gateway entry edges are not rules. */
export function deleteEdge(model: MeshModel, edge: GraphEdge): Command[] | string {
  const rule = edge.origins[0];
  const dest = edge.origins[1];
  if (rule?.path[3] === 'mirror' || rule?.path[3] === 'mirrors') {
    const ref = { vs: rule.resource, protocol: rule.path[1] as 'http', index: rule.path[2] as number };
    return rule.path[3] === 'mirror' ? [{ type: 'setRuleField', rule: ref, field: 'mirror', value: undefined }] : [{ type: 'setField', key: rule.resource, path: rule.path, value: undefined }];
  }
  if (!rule || rule.path.length !== 3 || edge.id.startsWith('entry:')) return 'This edge shows that the gateway enters at the service; delete the gateway or the VirtualService routes instead.';
  const [, protocol, index] = rule.path as ['spec', 'http' | 'tcp' | 'tls', number];
  const ref = { vs: rule.resource, protocol, index };
  const vs = model.byKey.get(rule.resource) as Resource<'VirtualService'> | undefined;
  const rules = ((vs?.spec as Record<string, unknown> | undefined)?.[protocol] ?? []) as { route?: unknown[] }[];
  if (dest && dest.path[3] === 'route' && (rules[index]?.route?.length ?? 0) > 1) return [{ type: 'removeDestination', rule: ref, index: dest.path[4] as number }];
  if (rules.length === 1 && !['http', 'tcp', 'tls'].some((p) => p !== protocol && ((vs?.spec as Record<string, unknown[]>)[p]?.length ?? 0) > 0)) return [{ type: 'removeResource', key: rule.resource }];
  return [{ type: 'removeRoute', rule: ref }];
}

/** The resources a node stands for, to copy or duplicate: a service with its Deployments, DestinationRules and mesh VirtualServices. */
export function ownedKeys(model: MeshModel, node: GraphNode): ResourceKey[] {
  if (node.implicit || node.kind === 'subset' || node.kind === 'mesh' || node.kind === 'namespace') return [];
  if (node.kind !== 'service') return node.origins[0] ? [node.origins[0].resource] : [];
  const svc = model.byKey.get(`Service/${node.namespace}/${node.name}` as ResourceKey) as Resource<'Service'> | undefined;
  const fqdn = serviceFqdn(node.name, node.namespace);
  const selector = svc?.spec.selector as Record<string, string> | undefined;
  const keys: ResourceKey[] = svc ? [svc.key] : [];
  if (selector && Object.keys(selector).length)
    for (const d of model.ofKind('Deployment')) {
      const labels = (d.spec.template?.metadata?.labels ?? {}) as Record<string, string>;
      if (d.namespace === node.namespace && Object.entries(selector).every(([k, v]) => labels[k] === v)) keys.push(d.key);
    }
  for (const dr of model.ofKind('DestinationRule')) if (dr.spec.host && expandHost(dr.spec.host, dr.namespace) === fqdn) keys.push(dr.key);
  for (const vs of model.ofKind('VirtualService')) {
    const hosts = (vs.spec.hosts ?? []).map((h) => expandHost(h, vs.namespace));
    if (hosts.length && hosts.every((h) => h === fqdn) && !vs.spec.gateways?.length) keys.push(vs.key);
  }
  return keys;
}
