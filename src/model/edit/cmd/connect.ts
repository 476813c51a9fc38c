/**
 * Connect gestures on the canvas → the Istio resources they imply (Istio's traffic-management and egress tasks):
 * - gateway → service (or subset): a VirtualService bound to the gateway, created or extended;
 * - workload → service (or subset): a mesh rule matching the caller's `sourceLabels`, first in the host's
 *   VirtualService (created with a catch-all default route, so other callers are not left without a route);
 * - workload or egress gateway → external service: the egress-gateway pattern (egress Gateway, a DestinationRule
 *   subset of the egress gateway, a VirtualService with the mesh → gateway and gateway → external routes), with TLS
 *   origination at the gateway as an option; or a direct mesh rule.
 * Also `addClient`: a Deployment no Service selects (a caller such as `sleep` or `curl`).
 */
import { expandHost, gatewayRef, hostCovers } from '../../hosts';
import type { MeshModel } from '../../model';
import { resourceKey, type Resource, type ResourceKey } from '../../resource';
import type { Patch } from '../patch';
import { done, fail, find, isObj, label, lastIn, validName, type CommandResult, type Destination, type Obj } from './util';

/** One end of a connection, as the canvas knows it. */
export type Endpoint =
  | { kind: 'gateway'; gateway: ResourceKey }
  /** A service host (FQDN), optionally one of its subsets. */
  | { kind: 'service'; host: string; subset?: string }
  /** The pods of a client Deployment or of a Service, by their labels. */
  | { kind: 'workload'; namespace: string; name: string; labels: Record<string, string> }
  | { kind: 'external'; entry: ResourceKey };

/** To an external service: directly from the sidecar, or through the egress gateway (the default), originating TLS there. */
export interface EgressOptions {
  direct?: boolean;
  tlsOrigination?: boolean;
}

export type ConnectCommand =
  | { type: 'connect'; from: Endpoint; to: Endpoint; egress?: EgressOptions }
  | { type: 'addClient'; name: string; namespace?: string; image?: string };

const NETWORKING = 'networking.istio.io/v1';
const EGRESS_GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

/** `base`, else `base-2`, `base-3`, … : a name no resource of that kind has in the namespace. */
function freeName(model: MeshModel, kind: string, namespace: string, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!model.byKey.has(resourceKey(kind, namespace, name))) return name;
  }
}

/** How a VirtualService in `ns` writes a host: the short name for a service of its own namespace. */
const written = (host: string, ns: string) => (host.endsWith(`.${ns}.svc.cluster.local`) ? host.slice(0, host.indexOf('.')) : host);
const shortName = (host: string) => host.split('.')[0];
const vsHosts = (vs: Resource<'VirtualService'>) => (vs.spec.hosts ?? []).map((h) => expandHost(h, vs.namespace));
const boundTo = (vs: Resource<'VirtualService'>, gw: string) => (vs.spec.gateways?.length ? vs.spec.gateways : ['mesh']).some((g) => gatewayRef(g, vs.namespace) === gw);
const isCatchAll = (rule: Obj) => !Array.isArray(rule.match) || rule.match.length === 0;
const routeOf = (rule: Obj) => (Array.isArray(rule.route) ? (rule.route as Obj[]) : []);
const destOf = (d: Obj) => (isObj(d.destination) ? d.destination : {}) as { host?: string; subset?: string };
const sameLabels = (a: unknown, b: Record<string, string>) =>
  isObj(a) && Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
const addDest = (vs: Resource<'VirtualService'>, index: number, rule: Obj, dest: Destination): Patch[] => {
  const route = routeOf(rule);
  const weights = route.length ? evenWeights(route.length + 1) : [];
  const patches: Patch[] = route.map((_, i) => ({ type: 'set', key: vs.key, path: ['spec', 'http', index, 'route', i, 'weight'], value: weights[i] }));
  patches.push({ type: 'insert', key: vs.key, path: ['spec', 'http', index, 'route'], index: route.length, value: { destination: dest, ...(route.length ? { weight: weights[route.length] } : {}) } });
  return patches;
};
const evenWeights = (n: number) => Array.from({ length: n }, (_, i) => Math.floor(100 / n) + (i < 100 % n ? 1 : 0));

export function connectCommand(model: MeshModel, c: ConnectCommand): CommandResult {
  if (c.type === 'addClient') return addClient(model, c);
  const { from, to } = c;
  if (to.kind === 'gateway') return fail('Traffic enters a gateway from outside the mesh: connect from the gateway to a service instead.');
  if (to.kind === 'workload') return fail(`${to.name} is a client: it calls services but nothing routes to it. Connect it to a service.`);
  if (from.kind === 'gateway') {
    const gw = find(model, from.gateway, 'Gateway');
    if (typeof gw === 'string') return fail(gw);
    const egress = /egress/.test(String(gw.spec.selector?.istio ?? '')) || /egress/.test(gw.name);
    if (to.kind === 'external') {
      if (!egress) return fail(`${label(gw)} is an ingress gateway: it lets traffic in. Route to external services from a workload or an egress gateway.`);
      return egressPattern(model, c, undefined, gw);
    }
    return ingressRoute(model, gw, to);
  }
  if (from.kind === 'external') return fail('An external service is outside the mesh: routes cannot start there.');
  if (from.kind === 'service') return fail('Connect from the service node itself (its pods are the callers).');
  if (to.kind === 'external') return c.egress?.direct ? meshRoute(model, from, entryHost(model, to.entry), undefined) : egressPattern(model, c, from, undefined);
  return meshRoute(model, from, to.host, to.subset);
}

function entryHost(model: MeshModel, key: ResourceKey): string {
  const se = model.byKey.get(key) as Resource<'ServiceEntry'> | undefined;
  return String(se?.spec.hosts?.[0] ?? '');
}

/** gateway → service: extend the VirtualService bound to the gateway that already routes there, or create one. */
function ingressRoute(model: MeshModel, gw: Resource<'Gateway'>, to: Extract<Endpoint, { kind: 'service' }>): CommandResult {
  const ref = `${gw.namespace}/${gw.name}`;
  const svc = shortName(to.host);
  const target = to.subset ? `${svc} ${to.subset}` : svc;
  const bound = model.ofKind('VirtualService').filter((vs) => boundTo(vs, ref));
  const dest = (vs: Resource<'VirtualService'>): Destination => ({ host: written(to.host, vs.namespace), ...(to.subset ? { subset: to.subset } : {}) });
  // A rule of a bound VirtualService that routes only to this service: add the destination to its split.
  for (const vs of bound) {
    const rules = (vs.spec.http ?? []) as Obj[];
    const i = rules.findIndex((r) => routeOf(r).length > 0 && routeOf(r).every((d) => expandHost(String(destOf(d).host ?? ''), vs.namespace) === to.host));
    if (i < 0) continue;
    const route = routeOf(rules[i]);
    if (route.some((d) => (destOf(d).subset ?? '') === (to.subset ?? ''))) return fail(`${label(vs)} already routes to ${target} from ${label(gw)}.`);
    if (!to.subset || route.some((d) => !destOf(d).subset)) return fail(`${label(vs)} already routes to ${svc} from ${label(gw)}; edit the route's destinations in the inspector.`);
    return done(addDest(vs, i, rules[i], dest(vs)), `Route ${label(gw)} to ${target} too: ${route.length + 1} destinations in ${label(vs)}, split evenly`);
  }
  // A bound VirtualService for other services: a new rule with its own path prefix, before any catch-all.
  const vs = bound.find((v) => v.namespace === to.host.split('.')[1]) ?? bound[0];
  if (vs) {
    const rules = (vs.spec.http ?? []) as Obj[];
    const index = rules.length && isCatchAll(rules[rules.length - 1]) ? rules.length - 1 : rules.length;
    const rule = { match: [{ uri: { prefix: `/${svc}` } }], route: [{ destination: dest(vs) }] };
    return done([{ type: 'insert', key: vs.key, path: ['spec', 'http'], index, value: rule }], `Route ${label(gw)} to ${target} for paths under /${svc} (new rule in ${label(vs)})`);
  }
  const ns = to.host.split('.')[1] ?? gw.namespace;
  const hosts = [...new Set((gw.spec.servers ?? []).flatMap((s) => (s.hosts ?? []).map((h) => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h))))];
  const name = freeName(model, 'VirtualService', ns, svc);
  const object = {
    apiVersion: NETWORKING, kind: 'VirtualService', metadata: { name, namespace: ns },
    spec: { hosts: hosts.length ? hosts : ['*'], gateways: [ns === gw.namespace ? gw.name : ref], http: [{ route: [{ destination: { host: written(to.host, ns), ...(to.subset ? { subset: to.subset } : {}) } }] }] },
  };
  return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Route ${label(gw)} to ${target} (new VirtualService ${ns}/${name} for ${object.spec.hosts.join(', ')})`);
}

/** workload → host: a first rule matching the caller's labels in the host's mesh VirtualService. */
function meshRoute(model: MeshModel, from: Extract<Endpoint, { kind: 'workload' }>, host: string, subset: string | undefined): CommandResult {
  if (!host) return fail('That ServiceEntry has no host.');
  if (!Object.keys(from.labels).length) return fail(`${from.name} has no pod labels to match its requests by.`);
  const target = subset ? `${shortName(host)} ${subset}` : host.includes('.svc.') ? shortName(host) : host;
  const vs = model.ofKind('VirtualService').find((v) => boundTo(v, 'mesh') && vsHosts(v).some((h) => h === host || hostCovers(h, host)));
  const match = [{ sourceLabels: { ...from.labels } }];
  if (vs) {
    const dest: Destination = { host: written(host, vs.namespace), ...(subset ? { subset } : {}) };
    const rules = (vs.spec.http ?? []) as Obj[];
    const i = rules.findIndex((r) => Array.isArray(r.match) && r.match.length === 1 && isObj(r.match[0]) && Object.keys(r.match[0]).length === 1 && sameLabels(r.match[0].sourceLabels, from.labels));
    if (i >= 0) {
      const route = routeOf(rules[i]);
      if (route.some((d) => expandHost(String(destOf(d).host ?? ''), vs.namespace) === host && (destOf(d).subset ?? '') === (subset ?? ''))) return fail(`${label(vs)} already routes ${from.name} to ${target}.`);
      return done(addDest(vs, i, rules[i], dest), `Route ${from.name} to ${target} too (split evenly in ${label(vs)})`);
    }
    return done([{ type: 'insert', key: vs.key, path: ['spec', 'http'], index: 0, value: { match, route: [{ destination: dest }] } }], `Route requests from ${from.name} to ${target} (first rule of ${label(vs)})`);
  }
  const ns = host.includes('.svc.cluster.local') ? host.split('.')[1] : from.namespace;
  const name = freeName(model, 'VirtualService', ns, shortName(host));
  const w = written(host, ns);
  const object = {
    apiVersion: NETWORKING, kind: 'VirtualService', metadata: { name, namespace: ns },
    spec: { hosts: [w], http: [{ match, route: [{ destination: { host: w, ...(subset ? { subset } : {}) } }] }, { route: [{ destination: { host: w } }] }] },
  };
  return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Route requests from ${from.name} to ${target} (new VirtualService ${ns}/${name}; other callers keep the default route)`);
}

/** The egress-gateway pattern for a ServiceEntry's first host, from a workload (or from every sidecar). */
function egressPattern(model: MeshModel, c: Extract<ConnectCommand, { type: 'connect' }>, from: Extract<Endpoint, { kind: 'workload' }> | undefined, gateway: Resource<'Gateway'> | undefined): CommandResult {
  const se = find(model, (c.to as Extract<Endpoint, { kind: 'external' }>).entry, 'ServiceEntry');
  if (typeof se === 'string') return fail(se);
  const host = se.spec.hosts?.[0];
  if (!host || host.startsWith('*')) return fail(`${label(se)} needs a concrete first host (not a wildcard) to route through an egress gateway.`);
  const ns = se.namespace;
  const tls = !!c.egress?.tlsOrigination;
  const ports = (se.spec.ports ?? []) as { number?: number; name?: string; protocol?: string }[];
  const http = ports.find((p) => p.protocol === 'HTTP')?.number ?? 80;
  const patches: Patch[] = [];
  const notes: string[] = [];
  if (!ports.some((p) => p.number === http)) patches.push({ type: 'insert', key: se.key, path: ['spec', 'ports'], index: ports.length, value: { number: http, name: 'http', protocol: 'HTTP' } });
  if (tls && !ports.some((p) => p.number === 443)) {
    patches.push({ type: 'insert', key: se.key, path: ['spec', 'ports'], index: ports.length + patches.length, value: { number: 443, name: 'https', protocol: 'HTTPS' } });
    notes.push('port 443 on the ServiceEntry');
  }
  let after: ResourceKey = se.key;
  // The egress Gateway: the given one, else one of the design's egress gateways, else a new one.
  const gw = gateway ?? model.ofKind('Gateway').find((g) => /egress/.test(String(g.spec.selector?.istio ?? '')) && g.namespace === ns) ?? model.ofKind('Gateway').find((g) => /egress/.test(String(g.spec.selector?.istio ?? '')));
  let gwRef: string;
  if (gw) {
    gwRef = gw.namespace === ns ? gw.name : `${gw.namespace}/${gw.name}`;
    const servers = (gw.spec.servers ?? []) as { hosts?: string[]; port?: { number?: number } }[];
    const si = servers.findIndex((s) => s.port?.number === http);
    if (si < 0) {
      patches.push({ type: 'insert', key: gw.key, path: ['spec', 'servers'], index: servers.length, value: { port: { number: http, name: 'http', protocol: 'HTTP' }, hosts: [host] } });
      notes.push(`a port ${http} server on ${label(gw)}`);
    } else if (!(servers[si].hosts ?? []).some((h) => hostCovers(h.includes('/') ? h.slice(h.indexOf('/') + 1) : h, host))) {
      patches.push({ type: 'insert', key: gw.key, path: ['spec', 'servers', si, 'hosts'], index: servers[si].hosts?.length ?? 0, value: host });
      notes.push(`host ${host} on ${label(gw)}`);
    }
  } else {
    const name = freeName(model, 'Gateway', ns, 'istio-egressgateway');
    gwRef = name;
    const object = { apiVersion: NETWORKING, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: http, name: 'http', protocol: 'HTTP' }, hosts: [host] }] } };
    patches.push({ type: 'addResource', object, after });
    after = resourceKey('Gateway', ns, name);
    notes.push(`Gateway ${ns}/${name}`);
  }
  const subset = se.name;
  const egressDr = model.ofKind('DestinationRule').find((d) => d.spec.host === EGRESS_GATEWAY_HOST && (d.spec.subsets ?? []).some((s) => s.name === subset));
  if (!egressDr) {
    const name = freeName(model, 'DestinationRule', ns, `egressgateway-for-${se.name}`);
    const object = { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: { name, namespace: ns }, spec: { host: EGRESS_GATEWAY_HOST, subsets: [{ name: subset }] } };
    patches.push({ type: 'addResource', object, after });
    after = resourceKey('DestinationRule', ns, name);
    notes.push(`DestinationRule ${ns}/${name}`);
  }
  if (tls && !model.ofKind('DestinationRule').some((d) => expandHost(String(d.spec.host ?? ''), d.namespace) === host)) {
    const name = freeName(model, 'DestinationRule', ns, `originate-tls-for-${se.name}`);
    const object = { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: { name, namespace: ns }, spec: { host, trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: host } }] } } };
    patches.push({ type: 'addResource', object, after });
    after = resourceKey('DestinationRule', ns, name);
    notes.push(`TLS origination (DestinationRule ${ns}/${name})`);
  }
  const gwFull = gw ? `${gw.namespace}/${gw.name}` : `${ns}/${gwRef}`;
  if (model.ofKind('VirtualService').some((v) => vsHosts(v).includes(host) && boundTo(v, gwFull)))
    return fail(`A VirtualService already routes ${host} through the egress gateway; edit it in the inspector.`);
  const name = freeName(model, 'VirtualService', ns, `${se.name}-through-egress-gateway`);
  const meshMatch: Obj = { gateways: ['mesh'], port: http, ...(from ? { sourceLabels: { ...from.labels } } : {}) };
  const object = {
    apiVersion: NETWORKING, kind: 'VirtualService', metadata: { name, namespace: ns },
    spec: {
      hosts: [host], gateways: [gwRef, 'mesh'],
      http: [
        { match: [meshMatch], route: [{ destination: { host: EGRESS_GATEWAY_HOST, subset, port: { number: http } } }] },
        { match: [{ gateways: [gwRef], port: http }], route: [{ destination: { host, port: { number: tls ? 443 : http } } }] },
      ],
    },
  };
  patches.push({ type: 'addResource', object, after });
  const who = from ? from.name : 'the mesh';
  return done(patches, `Route ${who} to ${host} through the egress gateway${tls ? ', originating TLS there' : ''} (VirtualService ${ns}/${name}${notes.length ? ', ' + notes.join(', ') : ''})`);
}

function addClient(model: MeshModel, c: Extract<ConnectCommand, { type: 'addClient' }>): CommandResult {
  const ns = c.namespace ?? 'default';
  if (!validName(c.name)) return fail(`"${c.name}" is not a valid name (lower-case letters, digits and "-").`);
  if (model.byKey.has(resourceKey('Deployment', ns, c.name))) return fail(`Deployment ${ns}/${c.name} already exists.`);
  const labels = { app: c.name };
  const object = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: c.name, namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { ...labels } }, template: { metadata: { labels: { ...labels } }, spec: { containers: [{ name: c.name, image: c.image ?? 'curlimages/curl' }] } } },
  };
  return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Add client ${ns}/${c.name} (Deployment, no Service selects it)`);
}
