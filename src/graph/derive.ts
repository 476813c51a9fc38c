/**
 * Model → graph: the nodes and edges the canvas draws. Pure; every node and edge records the resources and
 * field paths it came from.
 */
import { expandHost, gatewayRef, hostCovers, parseServiceFqdn, selectorMatches, serviceFqdn } from '../model/hosts';
import type { MeshModel } from '../model/model';
import type { Resource } from '../model/resource';
import { summarizeRule } from './matchSummary';
import type { Badge, GraphEdge, GraphNode, MeshGraph, Origin } from './types';

interface Workload {
  namespace: string;
  labels: Record<string, string>;
  count: number;
  resource: Resource;
}

const ROUTE_KINDS = ['http', 'tcp', 'tls'] as const;

export function deriveGraph(model: MeshModel): MeshGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const hostNode = new Map<string, string>(); // FQDN / literal host → node id
  const wildcardHosts: [string, string][] = []; // ServiceEntry wildcard host → node id
  const gatewayWorkloadLabels: Record<string, string>[] = [];

  const workloads: Workload[] = [
    ...model.ofKind('Deployment').map((d) => ({ namespace: d.namespace, labels: (d.spec.template?.metadata?.labels ?? {}) as Record<string, string>, count: d.spec.replicas ?? 1, resource: d as Resource })),
    ...model.ofKind('Pod').map((p) => ({ namespace: p.namespace, labels: p.metadata.labels ?? {}, count: 1, resource: p as Resource })),
  ];
  const hasWorkloads = workloads.length > 0;
  const workloadsIn = groupBy(workloads, (w) => w.namespace);
  // The workloads a Service's selector picks, found once per selector (each belongs to one Service, so to one
  // namespace): its node and each of its DestinationRule's subsets count them (a check of every workload per subset,
  // with a closure each, made most of the garbage of a keystroke's derivation).
  const selected = new Map<Record<string, string>, Workload[]>();
  const countMatching = (ns: string, selector: Record<string, string>, subsetLabels?: Record<string, string>) => {
    let picked = selected.get(selector);
    if (!picked) selected.set(selector, (picked = (workloadsIn.get(ns) ?? []).filter((w) => selectorMatches(selector, w.labels))));
    let n = 0;
    for (const w of picked) if (selectorMatches(subsetLabels, w.labels)) n += w.count;
    return n;
  };

  const addNode = (n: Omit<GraphNode, 'details' | 'badges' | 'origins'> & Partial<GraphNode>): GraphNode => {
    const existing = nodes.get(n.id);
    if (existing) return existing;
    const node: GraphNode = { details: [], badges: [], origins: [], ...n };
    nodes.set(n.id, node);
    return node;
  };
  const badge = (list: Badge[], b: Badge) => {
    if (!list.includes(b)) list.push(b);
  };

  // Gateways (a node per Gateway resource; the workloads and Services they select map to it).
  for (const gw of model.ofKind('Gateway')) {
    const selector = (gw.spec.selector ?? {}) as Record<string, string>;
    const egress = /egress/.test(selector.istio ?? '') || /egress/.test(gw.name);
    const node = addNode({
      id: `gw:${gw.namespace}/${gw.name}`, kind: egress ? 'egress' : 'ingress', label: `Gateway ${gw.namespace}/${gw.name}`,
      name: gw.name, namespace: gw.namespace,
      origins: [{ resource: gw.key, path: [] }],
    });
    for (const s of gw.spec.servers ?? []) {
      node.details.push(`${s.port?.number ?? '?'}/${s.port?.protocol ?? '?'} ${(s.hosts ?? []).join(', ')}${s.tls?.mode ? ` (${s.tls.mode})` : ''}`);
      if (s.tls?.mode) badge(node.badges, 'tls');
    }
    gatewayWorkloadLabels.push(selector);
    if (selector.istio) {
      const conventional = serviceFqdn(`istio-${selector.istio}`, 'istio-system');
      if (!hostNode.has(conventional)) hostNode.set(conventional, node.id);
    }
    for (const svc of model.ofKind('Service')) {
      const sel = svc.spec.selector as Record<string, string> | undefined;
      if (hasKeys(sel) && selectorMatches(sel, selector)) {
        const fqdn = serviceFqdn(svc.name, svc.namespace);
        if (!hostNode.has(fqdn)) hostNode.set(fqdn, node.id);
      }
    }
  }

  // Kubernetes Services (those that are not a gateway's own Service).
  for (const svc of model.ofKind('Service')) {
    const fqdn = serviceFqdn(svc.name, svc.namespace);
    if (hostNode.has(fqdn)) continue;
    const sel = svc.spec.selector as Record<string, string> | undefined;
    const node = addNode({
      id: `svc:${fqdn}`, kind: 'service', label: `Service ${svc.namespace}/${svc.name}`, name: svc.name, namespace: svc.namespace,
      workloads: hasWorkloads && hasKeys(sel) ? countMatching(svc.namespace, sel) : undefined,
      origins: [{ resource: svc.key, path: [] }],
    });
    for (const p of svc.spec.ports ?? []) node.details.push(`${p.port}${p.name ? `/${p.name}` : ''}${p.appProtocol ? ` (${p.appProtocol})` : ''}`);
    hostNode.set(fqdn, node.id);
  }

  // ServiceEntries: external (or mesh-internal) hosts.
  for (const se of model.ofKind('ServiceEntry')) {
    const node = addNode({
      id: `se:${se.namespace}/${se.name}`, kind: 'external', label: `ServiceEntry ${se.namespace}/${se.name}`, name: se.name, namespace: se.namespace,
      origins: [{ resource: se.key, path: [] }],
    });
    const hosts = (se.spec.hosts ?? []).map((h) => h.toLowerCase());
    node.details.push(hosts.join(', '));
    node.details.push(`${(se.spec.ports ?? []).map((p) => `${p.number}/${p.protocol ?? ''}`).join(', ')} ${se.spec.location ?? 'MESH_EXTERNAL'} ${se.spec.resolution ?? 'NONE'}`.trim());
    for (const h of hosts) {
      if (h.startsWith('*')) wildcardHosts.push([h, node.id]);
      else if (!hostNode.has(h)) hostNode.set(h, node.id);
    }
  }

  // Deployments that no Service and no Gateway selects: client workloads.
  const servicesIn = groupBy(model.ofKind('Service'), (s) => s.namespace);
  for (const w of workloads) {
    if (w.resource.kind !== 'Deployment') continue;
    const selected = (servicesIn.get(w.namespace) ?? []).some((s) => hasKeys(s.spec.selector) && selectorMatches(s.spec.selector as Record<string, string>, w.labels));
    const isGateway = gatewayWorkloadLabels.some((sel) => hasKeys(sel) && selectorMatches(sel, w.labels));
    if (selected || isGateway) continue;
    addNode({
      id: `wl:${w.namespace}/${w.resource.name}`, kind: 'client', label: `Deployment ${w.namespace}/${w.resource.name}`,
      name: w.resource.name, namespace: w.namespace, workloads: w.count, origins: [{ resource: w.resource.key, path: [] }],
    });
  }

  /** The node for a host (FQDN or literal); hosts the design does not define get an implicit node. */
  const nodeForHost = (host: string): GraphNode => {
    const id = hostNode.get(host) ?? wildcardHosts.find(([p]) => hostCovers(p, host))?.[1];
    if (id) return nodes.get(id)!;
    const svc = parseServiceFqdn(host);
    const node = svc
      ? addNode({ id: `svc:${host}`, kind: 'service', label: `Service ${svc.namespace}/${svc.name}`, name: svc.name, namespace: svc.namespace, implicit: true })
      : addNode({ id: `ext:${host}`, kind: 'external', label: `External ${host}`, name: host, namespace: '', implicit: true });
    hostNode.set(host, node.id);
    return node;
  };
  const subsetNode = (service: GraphNode, writtenHost: string, subset: string, implicit: boolean): GraphNode =>
    addNode({
      id: `${service.id}#${subset}`, kind: 'subset', label: `Subset ${writtenHost}/${subset}`, name: subset,
      namespace: service.namespace, parent: service.id, implicit,
    });

  // DestinationRules: subsets inside their service, policy badges.
  for (const dr of model.ofKind('DestinationRule')) {
    if (!dr.spec.host) continue;
    const service = nodeForHost(expandHost(dr.spec.host, dr.namespace));
    service.origins.push({ resource: dr.key, path: ['spec'] });
    policyBadges(dr.spec.trafficPolicy, service.badges);
    const svcRes = model.byKey.get(`Service/${service.namespace}/${service.name}` as Resource['key']) as Resource<'Service'> | undefined;
    const svcSelector = svcRes?.spec.selector as Record<string, string> | undefined;
    if (service.kind !== 'service') {
      // A gateway's or an external host's subsets (the egress pattern) are details, not nested nodes.
      for (const sub of dr.spec.subsets ?? []) service.details.push(`subset ${sub.name}`);
      continue;
    }
    (dr.spec.subsets ?? []).forEach((s, i) => {
      const sub = subsetNode(service, dr.spec.host!, s.name, false);
      sub.implicit = false;
      sub.origins.push({ resource: dr.key, path: ['spec', 'subsets', i] });
      sub.details = Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`);
      // Pods back a subset only through its Service's selector: without one (no Service, or a selector-less one) the
      // subset labels alone would also count other apps that share them (e.g. every `version: v1`).
      if (hasWorkloads && hasKeys(svcSelector)) sub.workloads = countMatching(service.namespace, svcSelector, s.labels as Record<string, string>);
      policyBadges(s.trafficPolicy, sub.badges);
    });
  }

  /** The nodes of the workloads `sourceLabels` select (client Deployments, else the Services selecting them); undefined unless every match has them. */
  const sourcePoints = (matches: Record<string, any>[]): GraphNode[] | undefined => {
    if (!matches.length || !matches.every((m) => hasKeys(m.sourceLabels))) return undefined;
    const out = new Set<GraphNode>();
    for (const m of matches) {
      for (const w of workloads) {
        if ((m.sourceNamespace && m.sourceNamespace !== w.namespace) || !selectorMatches(m.sourceLabels, w.labels)) continue;
        const client = nodes.get(`wl:${w.namespace}/${w.resource.name}`);
        if (client) out.add(client);
        for (const svc of model.ofKind('Service')) {
          const sel = svc.spec.selector as Record<string, string> | undefined;
          const node = nodes.get(`svc:${serviceFqdn(svc.name, svc.namespace)}`);
          if (node && svc.namespace === w.namespace && hasKeys(sel) && selectorMatches(sel, w.labels)) out.add(node);
        }
      }
    }
    return out.size ? [...out] : undefined;
  };

  // VirtualServices: an edge per route destination, from the gateway (or the host's own node, for the mesh).
  let meshNode: GraphNode | undefined;
  /** Gateway → service entry edges: one per pair, labelled with the hosts it serves. */
  const addEntry = (gw: GraphNode, service: GraphNode, vs: Resource<'VirtualService'>) => {
    const id = `entry:${gw.id}->${service.id}`;
    const hosts = (vs.spec.hosts ?? []).filter((h) => h.includes('.') || h === '*');
    const existing = edges.get(id);
    if (existing) {
      if (!existing.origins.some((o) => o.resource === vs.key)) existing.origins.push({ resource: vs.key, path: ['spec', 'gateways'] });
      return;
    }
    edges.set(id, { id, source: gw.id, target: service.id, match: hosts.join(', ') || '*', protocol: 'http', badges: [], origins: [{ resource: vs.key, path: ['spec', 'gateways'] }] });
  };
  for (const vs of model.ofKind('VirtualService')) {
    const vsGateways = (vs.spec.gateways?.length ? vs.spec.gateways : ['mesh']).map((g) => gatewayRef(g, vs.namespace));
    const vsHosts = (vs.spec.hosts ?? []).map((h) => expandHost(h, vs.namespace));
    for (const proto of ROUTE_KINDS) {
      const rules = (vs.spec[proto] ?? []) as Record<string, any>[];
      rules.forEach((rule, i) => {
        const matches = rule.match as Record<string, any>[] | undefined;
        // `match.gateways` replaces the VirtualService's list for that match only (a match without it keeps the list),
        // and can only narrow it: the top-level list decides whether the VirtualService is bound at all (§5.2).
        const perMatch = matches?.length ? matches.map((m) => (m.gateways?.length ? (m.gateways as string[]).map((g) => gatewayRef(g, vs.namespace)) : vsGateways)) : [vsGateways];
        const applies = [...new Set(perMatch.flat())].filter((g) => vsGateways.includes(g));
        // Routing points: the gateway for gateway rules; the host's own node for mesh rules (the mesh node for
        // external hosts). Hosts the design does not know that are not cluster services have no mesh routing point.
        const meshPoints = new Set<GraphNode>();
        const gatewayPoints = new Set<GraphNode>();
        for (const g of applies) {
          if (g === 'mesh') {
            // Matches that all name their source workloads (`sourceLabels`) route from those workloads' nodes.
            const sources = matches?.length ? sourcePoints(matches.filter((_, k) => perMatch[k].includes('mesh'))) : undefined;
            if (sources) {
              for (const n of sources) meshPoints.add(n);
              continue;
            }
            for (const h of vsHosts) {
              if (h === '*' || h.startsWith('*')) continue;
              const known = hostNode.has(h) || wildcardHosts.some(([p]) => hostCovers(p, h)) || parseServiceFqdn(h);
              if (!known) continue;
              const n = nodeForHost(h);
              if (n.kind === 'service') meshPoints.add(n);
              else meshPoints.add((meshNode ??= addNode({ id: 'mesh', kind: 'mesh', label: 'Mesh all sidecars', name: 'all sidecars', namespace: '' })));
            }
          } else {
            const [ns, name] = g.split('/');
            gatewayPoints.add(nodes.get(`gw:${g}`) ?? addNode({ id: `gw:${g}`, kind: 'ingress', label: `Gateway ${ns}/${name}`, name, namespace: ns, implicit: true }));
          }
        }
        /** A gateway whose rule is also applied by the destination service's own sidecars enters at that service. */
        const pointsFor = (target: GraphNode): [GraphNode, GraphNode, boolean][] => {
          const service = target.parent ? nodes.get(target.parent)! : target;
          const out: [GraphNode, GraphNode, boolean][] = [...meshPoints].map((p) => [p, target, false]);
          for (const g of gatewayPoints) out.push(meshPoints.has(service) && service !== target ? [g, service, true] : [g, target, false]);
          return out;
        };
        const ruleBadges: Badge[] = [];
        if (rule.fault) badge(ruleBadges, 'fault');
        if (rule.retries && rule.retries.attempts !== 0) badge(ruleBadges, 'retry');
        if (rule.timeout) badge(ruleBadges, 'timeout');
        if (rule.mirror || rule.mirrors) badge(ruleBadges, 'mirror');
        const match = summarizeRule(matches, proto);
        const route = (rule.route ?? []) as Record<string, any>[];
        const total = route.reduce((n, d) => n + (typeof d.weight === 'number' ? d.weight : 0), 0);
        const ruleOrigin: Origin = { resource: vs.key, path: ['spec', proto, i] };
        if (rule.redirect || rule.directResponse) for (const s of [...meshPoints, ...gatewayPoints]) badge(s.badges, 'redirect');
        route.forEach((d, j) => {
          const host = d.destination?.host as string | undefined;
          if (!host) return;
          let target = nodeForHost(expandHost(host, vs.namespace));
          if (d.destination.subset && target.kind === 'service') target = subsetNode(target, host, d.destination.subset, true);
          const weight = route.length > 1 ? (total > 0 ? Math.round((((typeof d.weight === 'number' ? d.weight : 0) / total) * 1000)) / 10 : 0) : undefined;
          for (const [s, t, entry] of pointsFor(target)) {
            if (s.id === t.id) continue;
            if (entry) {
              addEntry(s, t, vs);
              continue;
            }
            const id = `${vs.key}#${proto}/${i}/route/${j}@${s.id}`;
            edges.set(id, { id, source: s.id, target: t.id, match, weight, protocol: proto, badges: ruleBadges, origins: [ruleOrigin, { resource: vs.key, path: ['spec', proto, i, 'route', j] }] });
          }
        });
        const mirrors = [...(rule.mirror ? [{ destination: rule.mirror, path: ['mirror'] }] : []), ...((rule.mirrors ?? []) as any[]).map((m, k) => ({ destination: m.destination, path: ['mirrors', k] }))];
        for (const m of mirrors) {
          if (!m.destination?.host) continue;
          let target = nodeForHost(expandHost(m.destination.host, vs.namespace));
          if (m.destination.subset && target.kind === 'service') target = subsetNode(target, m.destination.host, m.destination.subset, true);
          for (const [s, t, entry] of pointsFor(target)) {
            if (s.id === t.id) continue;
            if (entry) {
              addEntry(s, t, vs); // the gateway enters at the service, whose own edge shows the mirror
              continue;
            }
            const id = `${vs.key}#${proto}/${i}/${m.path.join('/')}@${s.id}`;
            edges.set(id, { id, source: s.id, target: t.id, match: 'mirror', protocol: proto, badges: ['mirror'], origins: [{ resource: vs.key, path: ['spec', proto, i, ...m.path] }] });
          }
        }
      });
    }
  }

  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function policyBadges(policy: Record<string, any> | undefined, badges: Badge[]) {
  if (!policy) return;
  const add = (b: Badge) => {
    if (!badges.includes(b)) badges.push(b);
  };
  const tls = [policy.tls, ...((policy.portLevelSettings ?? []) as any[]).map((p) => p.tls)];
  if (tls.some((t) => t?.mode === 'ISTIO_MUTUAL')) add('mtls');
  else if (tls.some((t) => t?.mode === 'SIMPLE' || t?.mode === 'MUTUAL')) add('tls');
  if (policy.connectionPool) add('circuit-breaker');
  if (policy.outlierDetection) add('outlier');
}

/** A non-empty selector (checked without making its key list: this runs for every workload and Service pair). */
function hasKeys(o: object | undefined): o is Record<string, string> {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

function groupBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}
