/** Commands that add, remove or rename whole resources: services and their workloads, gateways, entries, policies. */
import { expandHost, serviceFqdn } from '../../hosts';
import type { MeshModel } from '../../model';
import type { FieldPath, Resource, ResourceKey } from '../../resource';
import { resourceKey } from '../../resource';
import { clone, getPath, type Patch } from '../patch';
import { done, fail, find, isObj, label, lastIn, podLabels, rulesFor, validName, validServiceName, workloadsOf, type CommandResult, type Destination, type Obj } from './util';

export type PeerAuthenticationMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

export type ResourceCommand =
  /** A Service (selector `app: name`) and a Deployment per version (default `v1`) with `app`/`version` labels; with `subsets`, a DestinationRule with a subset per version. */
  | { type: 'addService'; name: string; namespace?: string; port?: number; targetPort?: number; versions?: string[]; image?: string; subsets?: boolean }
  /** The Service and the Deployments it selects. */
  | { type: 'removeService'; service: ResourceKey }
  /** The Service, its Deployments (names and `app` labels) and the hosts that name it in VirtualServices and DestinationRules. */
  | { type: 'renameService'; service: ResourceKey; name: string }
  /** A Deployment labelled `version` (copied from a sibling) and a subset in the service's DestinationRule (created if missing). */
  | { type: 'addWorkloadVersion'; service: ResourceKey; version: string; image?: string; replicas?: number }
  | { type: 'removeWorkloadVersion'; service: ResourceKey; version: string }
  /** A Gateway on the standard `istio: ingressgateway` / `istio: egressgateway` deployment. */
  | { type: 'addGateway'; gateway: 'ingress' | 'egress'; name: string; namespace?: string; hosts: string[]; port?: number; protocol?: string }
  | { type: 'addServiceEntry'; name: string; namespace?: string; hosts: string[]; ports?: { number: number; name: string; protocol: string }[]; location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL'; resolution?: 'DNS' | 'STATIC' | 'NONE' | 'DNS_ROUND_ROBIN' }
  /** With one http rule routing to `destination` (default: the first host). */
  | { type: 'addVirtualService'; name: string; namespace?: string; hosts: string[]; gateways?: string[]; destination?: Destination }
  /** Any resource (a VirtualService, Gateway, ServiceEntry, …). */
  | { type: 'removeResource'; key: ResourceKey }
  /** The namespace-wide PeerAuthentication's mTLS mode (created as `default` when missing); `undefined` removes the mode. */
  | { type: 'setPeerAuthentication'; namespace: string; mode: PeerAuthenticationMode | undefined }
  /** Any field: the inspector's generic edit. `undefined` removes it. */
  | { type: 'setField'; key: ResourceKey; path: FieldPath; value: unknown };

const NETWORKING = 'networking.istio.io/v1';
const PA_MODES: readonly PeerAuthenticationMode[] = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'];
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function deployment(name: string, namespace: string, app: string, version: string, image: string, port: number | undefined, replicas = 1): Obj {
  const labels = { app, version };
  const container: Obj = { name: app, image };
  if (port !== undefined) container.ports = [{ containerPort: port }];
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { ...labels } }, template: { metadata: { labels: { ...labels } }, spec: { containers: [container] } } },
  };
}

export function resourceCommand(model: MeshModel, c: ResourceCommand): CommandResult {
  const exists = (kind: string, ns: string, name: string) => model.byKey.has(resourceKey(kind, ns, name));
  switch (c.type) {
    case 'addService': {
      const ns = c.namespace ?? 'default';
      if (!validServiceName(c.name)) return fail(`"${c.name}" is not a valid Service name (lower-case letters, digits and "-", starting with a letter).`);
      if (exists('Service', ns, c.name)) return fail(`Service ${ns}/${c.name} already exists.`);
      const versions = c.versions ?? ['v1'];
      const port = c.port ?? 80;
      const targetPort = c.targetPort ?? port;
      const svc: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: c.name, namespace: ns }, spec: { selector: { app: c.name }, ports: [{ name: 'http', port, targetPort }] } };
      const deps = versions.map((v) => deployment(`${c.name}-${v}`, ns, c.name, v, c.image ?? `${c.name}:${v}`, targetPort));
      const clash = deps.find((d) => exists('Deployment', ns, (d.metadata as Obj).name as string));
      if (clash) return fail(`Deployment ${ns}/${(clash.metadata as Obj).name} already exists.`);
      const after = lastIn(model, ns);
      const patches: Patch[] = [{ type: 'addResource', object: svc, after }];
      let prev = resourceKey('Service', ns, c.name);
      for (const d of deps) {
        patches.push({ type: 'addResource', object: d, after: prev });
        prev = resourceKey('Deployment', ns, (d.metadata as Obj).name as string);
      }
      const parts = ['Service', ...deps.map((d) => `Deployment ${(d.metadata as Obj).name}`)];
      if (c.subsets && versions.length) {
        if (exists('DestinationRule', ns, c.name)) return fail(`DestinationRule ${ns}/${c.name} already exists.`);
        const object = { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: { name: c.name, namespace: ns }, spec: { host: c.name, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) } };
        patches.push({ type: 'addResource', object, after: prev });
        parts.push(`DestinationRule with subset${versions.length > 1 ? 's' : ''} ${versions.join(', ')}`);
      }
      return done(patches, `Add service ${ns}/${c.name} (${parts.join(', ')})`);
    }
    case 'removeService': {
      const svc = find(model, c.service, 'Service');
      if (typeof svc === 'string') return fail(svc);
      const deps = workloadsOf(model, svc);
      return done([svc, ...deps].map((r) => ({ type: 'removeResource', key: r.key })), `Remove service ${svc.namespace}/${svc.name} (Service${deps.length ? ', ' + plural(deps.length, 'Deployment') : ''})`);
    }
    case 'renameService': {
      const svc = find(model, c.service, 'Service');
      if (typeof svc === 'string') return fail(svc);
      if (!validServiceName(c.name)) return fail(`"${c.name}" is not a valid Service name.`);
      if (c.name === svc.name) return fail(`The service is already called ${c.name}.`);
      if (exists('Service', svc.namespace, c.name)) return fail(`Service ${svc.namespace}/${c.name} already exists.`);
      return renameService(model, svc, c.name);
    }
    case 'addWorkloadVersion':
      return addVersion(model, c);
    case 'removeWorkloadVersion': {
      const svc = find(model, c.service, 'Service');
      if (typeof svc === 'string') return fail(svc);
      const deps = workloadsOf(model, svc).filter((d) => podLabels(d).version === c.version);
      const patches: Patch[] = deps.map((d) => ({ type: 'removeResource', key: d.key }));
      const parts = deps.map((d) => `Deployment ${d.name}`);
      for (const dr of rulesFor(model, svc)) {
        const subsets = dr.spec.subsets ?? [];
        const i = subsets.findIndex((s) => s.name === c.version);
        if (i < 0) continue;
        patches.push({ type: 'delete', key: dr.key, path: subsets.length === 1 ? ['spec', 'subsets'] : ['spec', 'subsets', i] });
        parts.push(`subset ${c.version} of ${label(dr)}`);
      }
      if (!patches.length) return fail(`Service ${svc.namespace}/${svc.name} has no version ${c.version}.`);
      return done(patches, `Remove version ${c.version} of service ${svc.namespace}/${svc.name} (${parts.join(', ')})`);
    }
    case 'addGateway': {
      const ns = c.namespace ?? 'default';
      if (!validName(c.name)) return fail(`"${c.name}" is not a valid name.`);
      if (exists('Gateway', ns, c.name)) return fail(`Gateway ${ns}/${c.name} already exists.`);
      if (!c.hosts.length) return fail('A gateway needs at least one host.');
      const protocol = c.protocol ?? 'HTTP';
      const port = c.port ?? (protocol === 'HTTPS' || protocol === 'TLS' ? 443 : 80);
      const object = {
        apiVersion: NETWORKING, kind: 'Gateway', metadata: { name: c.name, namespace: ns },
        spec: { selector: { istio: `${c.gateway}gateway` }, servers: [{ port: { number: port, name: protocol.toLowerCase(), protocol }, hosts: [...c.hosts] }] },
      };
      return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Add ${c.gateway} gateway ${ns}/${c.name} for ${c.hosts.join(', ')} on port ${port}`);
    }
    case 'addServiceEntry': {
      const ns = c.namespace ?? 'default';
      if (!validName(c.name)) return fail(`"${c.name}" is not a valid name.`);
      if (exists('ServiceEntry', ns, c.name)) return fail(`ServiceEntry ${ns}/${c.name} already exists.`);
      if (!c.hosts.length) return fail('A ServiceEntry needs at least one host.');
      const object = {
        apiVersion: NETWORKING, kind: 'ServiceEntry', metadata: { name: c.name, namespace: ns },
        spec: { hosts: [...c.hosts], ports: c.ports ?? [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: c.resolution ?? 'DNS', location: c.location ?? 'MESH_EXTERNAL' },
      };
      return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Add ServiceEntry ${ns}/${c.name} for ${c.hosts.join(', ')}`);
    }
    case 'addVirtualService': {
      const ns = c.namespace ?? 'default';
      if (!validName(c.name)) return fail(`"${c.name}" is not a valid name.`);
      if (exists('VirtualService', ns, c.name)) return fail(`VirtualService ${ns}/${c.name} already exists.`);
      if (!c.hosts.length) return fail('A VirtualService needs at least one host.');
      const spec: Obj = { hosts: [...c.hosts] };
      if (c.gateways?.length) spec.gateways = [...c.gateways];
      spec.http = [{ route: [{ destination: { ...(c.destination ?? { host: c.hosts[0] }) } }] }];
      const object = { apiVersion: NETWORKING, kind: 'VirtualService', metadata: { name: c.name, namespace: ns }, spec };
      return done([{ type: 'addResource', object, after: lastIn(model, ns) }], `Add VirtualService ${ns}/${c.name} for ${c.hosts.join(', ')}`);
    }
    case 'removeResource': {
      const r = model.byKey.get(c.key);
      if (!r) return fail(`There is no resource ${c.key}.`);
      return done([{ type: 'removeResource', key: r.key }], `Remove ${label(r)}`);
    }
    case 'setPeerAuthentication': {
      if (c.mode !== undefined && !PA_MODES.includes(c.mode)) return fail(`Unknown mTLS mode ${c.mode}.`);
      const wide = model.ofKind('PeerAuthentication').filter((p) => p.namespace === c.namespace && !p.spec.selector);
      const pa = wide.find((p) => p.name === 'default') ?? wide[0];
      const scope = c.namespace === 'istio-system' ? 'the mesh (istio-system)' : `namespace ${c.namespace}`;
      if (!pa) {
        if (c.mode === undefined) return fail(`${scope} has no PeerAuthentication.`);
        const object = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: c.namespace }, spec: { mtls: { mode: c.mode } } };
        if (exists('PeerAuthentication', c.namespace, 'default')) return fail(`PeerAuthentication ${c.namespace}/default exists but selects workloads; give the namespace-wide one another name.`);
        return done([{ type: 'addResource', object, after: lastIn(model, c.namespace) }], `Set mTLS mode of ${scope} to ${c.mode} (new PeerAuthentication ${c.namespace}/default)`);
      }
      if (c.mode === undefined) {
        if (getPath(pa.object, ['spec', 'mtls', 'mode']) === undefined) return fail(`${label(pa)} sets no mode.`);
        const mtls = getPath(pa.object, ['spec', 'mtls']);
        const path = isObj(mtls) && Object.keys(mtls).length === 1 ? ['spec', 'mtls'] : ['spec', 'mtls', 'mode'];
        return done([{ type: 'delete', key: pa.key, path }], `Remove the mTLS mode of ${scope} (${label(pa)})`);
      }
      return done([{ type: 'set', key: pa.key, path: ['spec', 'mtls', 'mode'], value: c.mode }], `Set mTLS mode of ${scope} to ${c.mode} (${label(pa)})`);
    }
    case 'setField': {
      const r = model.byKey.get(c.key);
      if (!r) return fail(`There is no resource ${c.key}.`);
      const where = c.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + p)).join('');
      if (c.value === undefined) {
        if (getPath(r.object, c.path) === undefined) return fail(`${label(r)} has no ${where}.`);
        return done([{ type: 'delete', key: r.key, path: c.path }], `Remove ${where} from ${label(r)}`);
      }
      const shown = typeof c.value === 'object' && c.value !== null ? '' : ` to ${JSON.stringify(c.value)}`;
      return done([{ type: 'set', key: r.key, path: c.path, value: c.value }], `Set ${where}${shown} in ${label(r)}`);
    }
  }
}

function addVersion(model: MeshModel, c: Extract<ResourceCommand, { type: 'addWorkloadVersion' }>): CommandResult {
  const svc = find(model, c.service, 'Service');
  if (typeof svc === 'string') return fail(svc);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(c.version)) return fail(`"${c.version}" is not a valid version label.`);
  const deps = workloadsOf(model, svc);
  if (deps.some((d) => podLabels(d).version === c.version)) return fail(`Service ${svc.namespace}/${svc.name} already has version ${c.version}.`);
  const selector = (svc.spec.selector ?? {}) as Record<string, string>;
  const app = selector.app ?? svc.name;
  const sibling = deps[0];
  let object: Obj;
  let name: string;
  if (sibling) {
    object = clone(sibling.object);
    const old = podLabels(sibling).version;
    name = old && sibling.name.endsWith(`-${old}`) ? sibling.name.slice(0, -old.length) + c.version : `${sibling.name}-${c.version}`;
    const meta: Obj = { ...(object.metadata as Obj), name };
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete meta[k];
    object.metadata = meta;
    delete object.status;
    const spec = object.spec as Obj;
    const setVersion = (path: FieldPath) => {
      const labels = getPath(spec, path);
      if (isObj(labels)) labels.version = c.version;
    };
    setVersion(['selector', 'matchLabels']);
    setVersion(['template', 'metadata', 'labels']);
    if (isObj(meta.labels) && 'version' in meta.labels) (meta.labels as Obj).version = c.version;
    if (c.replicas !== undefined) spec.replicas = c.replicas;
    const containers = getPath(spec, ['template', 'spec', 'containers']);
    if (c.image && Array.isArray(containers) && isObj(containers[0])) containers[0].image = c.image;
  } else {
    name = `${svc.name}-${c.version}`;
    object = deployment(name, svc.namespace, app, c.version, c.image ?? `${svc.name}:${c.version}`, undefined, c.replicas);
    const labels = getPath(object, ['spec', 'template', 'metadata', 'labels']) as Obj;
    Object.assign(labels, selector, { version: c.version });
    Object.assign(getPath(object, ['spec', 'selector', 'matchLabels']) as Obj, selector, { version: c.version });
  }
  if (model.byKey.has(resourceKey('Deployment', svc.namespace, name))) return fail(`Deployment ${svc.namespace}/${name} already exists.`);
  const patches: Patch[] = [{ type: 'addResource', object, after: deps[deps.length - 1]?.key ?? svc.key }];
  const subset = { name: c.version, labels: { version: c.version } };
  const dr = rulesFor(model, svc)[0];
  let where: string;
  if (dr) {
    const subsets = dr.spec.subsets ?? [];
    if (subsets.some((s) => s.name === c.version)) where = `${label(dr)} already has subset ${c.version}`;
    else {
      patches.push({ type: 'insert', key: dr.key, path: ['spec', 'subsets'], index: subsets.length, value: subset });
      where = `subset ${c.version} in ${label(dr)}`;
    }
  } else {
    if (model.byKey.has(resourceKey('DestinationRule', svc.namespace, svc.name))) return fail(`DestinationRule ${svc.namespace}/${svc.name} exists for another host.`);
    const object = { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: { name: svc.name, namespace: svc.namespace }, spec: { host: svc.name, subsets: [subset] } };
    patches.push({ type: 'addResource', object, after: resourceKey('Deployment', svc.namespace, name) });
    where = `new DestinationRule ${svc.namespace}/${svc.name} with subset ${c.version}`;
  }
  return done(patches, `Add version ${c.version} of service ${svc.namespace}/${svc.name} (Deployment ${name}, ${where})`);
}

/** Rename a Service, its Deployments and every host that names it. */
function renameService(model: MeshModel, svc: Resource<'Service'>, name: string): CommandResult {
  const patches: Patch[] = [{ type: 'rename', key: svc.key, name }];
  const selector = (svc.spec.selector ?? {}) as Record<string, string>;
  const relabel = selector.app === svc.name;
  if (relabel) patches.push({ type: 'set', key: resourceKey('Service', svc.namespace, name), path: ['spec', 'selector', 'app'], value: name });
  const deps = workloadsOf(model, svc);
  for (const d of deps) {
    let key = d.key;
    const renamed = d.name === svc.name || d.name.startsWith(svc.name + '-') ? name + d.name.slice(svc.name.length) : undefined;
    if (renamed) {
      if (model.byKey.has(resourceKey('Deployment', d.namespace, renamed))) return fail(`Deployment ${d.namespace}/${renamed} already exists.`);
      patches.push({ type: 'rename', key, name: renamed });
      key = resourceKey('Deployment', d.namespace, renamed);
    }
    if (!relabel) continue;
    for (const path of [['metadata', 'labels'], ['spec', 'selector', 'matchLabels'], ['spec', 'template', 'metadata', 'labels']]) {
      if (getPath(d.object, [...path, 'app']) === svc.name) patches.push({ type: 'set', key, path: [...path, 'app'], value: name });
    }
  }
  // Hosts that name the service, in whatever form they were written (short, name.ns, FQDN): the first label changes.
  const fqdn = serviceFqdn(svc.name, svc.namespace);
  let refs = 0;
  const host = (r: Resource, path: FieldPath, h: unknown) => {
    if (typeof h !== 'string' || expandHost(h, r.namespace) !== fqdn) return;
    patches.push({ type: 'set', key: r.key, path, value: name + h.slice(h.indexOf('.') < 0 ? h.length : h.indexOf('.')) });
    refs++;
  };
  for (const vs of model.ofKind('VirtualService')) {
    (vs.spec.hosts ?? []).forEach((h, i) => host(vs, ['spec', 'hosts', i], h));
    for (const proto of ['http', 'tcp', 'tls'] as const) {
      ((vs.spec[proto] ?? []) as Obj[]).forEach((rule, i) => {
        ((rule.route ?? []) as Obj[]).forEach((d, j) => host(vs, ['spec', proto, i, 'route', j, 'destination', 'host'], getPath(d, ['destination', 'host'])));
        if (proto !== 'http') return;
        host(vs, ['spec', proto, i, 'mirror', 'host'], getPath(rule, ['mirror', 'host']));
        ((rule.mirrors ?? []) as Obj[]).forEach((m, j) => host(vs, ['spec', proto, i, 'mirrors', j, 'destination', 'host'], getPath(m, ['destination', 'host'])));
      });
    }
  }
  for (const dr of model.ofKind('DestinationRule')) host(dr, ['spec', 'host'], dr.spec.host);
  const parts = ['Service', ...(deps.length ? [plural(deps.length, 'Deployment')] : []), ...(refs ? [plural(refs, 'host reference')] : [])];
  return done(patches, `Rename service ${svc.namespace}/${svc.name} to ${name} (${parts.join(', ')})`);
}
