/**
 * References from VirtualServices: destination and mirror hosts, subsets and ports, gateways, delegates.
 *
 *   IST0101 ReferencedResourceNotFound — the referenced object does not exist, or exportTo hides it.
 *   IST0112 VirtualServiceDestinationPortSelectorRequired — a destination on a multi-port service without a port.
 *   MC100   UnresolvedReference — the object is not in this design, and the design defines nothing of that kind where
 *           it would live (e.g. no Service at all in its namespace): it may well exist in the cluster.
 */
import type { FieldPath } from '../../model/resource';
import { isExportedTo, resolveShortName } from '../../engine/hosts';
import { asArray, type RawDestination } from '../../engine/raw';
import { resolveGatewayName } from '../../engine/virtualservice';
import { Ctx, kubeShortForm, shortHost, type SvcInfo, type VsInfo } from '../context';
import type { Fix } from '../types';

export interface DestRef {
  dest: RawDestination;
  /** Path of the `destination` (or `mirror`) object. */
  path: FieldPath;
  mirror: boolean;
  proto: 'http' | 'tcp' | 'tls';
}

/** Every destination and mirror of a VirtualService, with its path. */
export function destinationsOf(vs: VsInfo): DestRef[] {
  const out: DestRef[] = [];
  for (const proto of ['http', 'tcp', 'tls'] as const) {
    asArray(vs.spec[proto] as Array<Record<string, unknown>> | undefined).forEach((rule, i) => {
      if (!rule || typeof rule !== 'object') return;
      asArray(rule.route as Array<{ destination?: RawDestination }> | undefined).forEach((d, k) => {
        if (d?.destination && typeof d.destination === 'object') out.push({ dest: d.destination, path: ['spec', proto, i, 'route', k, 'destination'], mirror: false, proto });
      });
      if (proto !== 'http') return;
      if (rule.mirror && typeof rule.mirror === 'object') out.push({ dest: rule.mirror as RawDestination, path: ['spec', proto, i, 'mirror'], mirror: true, proto });
      asArray(rule.mirrors as Array<{ destination?: RawDestination }> | undefined).forEach((m, k) => {
        if (m?.destination && typeof m.destination === 'object') out.push({ dest: m.destination, path: ['spec', proto, i, 'mirrors', k, 'destination'], mirror: true, proto });
      });
    });
  }
  return out;
}

/** Visible where the VirtualService is used: its own namespace (as istioctl checks), else where it is exported. */
function visibleFrom(s: SvcInfo, vs: VsInfo): boolean {
  if (isExportedTo(s.exportTo, s.namespace, vs.namespace)) return true;
  if (isExportedTo(vs.exportTo, vs.namespace, vs.namespace)) return false;
  return Ctx.visibilityOverlaps(Ctx.visibleNamespaces(s.exportTo, s.namespace), Ctx.visibleNamespaces(vs.exportTo, vs.namespace));
}

/** Labels a new subset most likely needs: the pods of the service that carry the subset name as a label value. */
function guessSubsetLabels(ctx: Ctx, services: SvcInfo[], subset: string): Record<string, string> {
  const pods = services.flatMap((s) => ctx.endpointsOf(s));
  if (pods.some((w) => w.labels.version === subset)) return { version: subset };
  for (const w of pods) for (const k in w.labels) if (w.labels[k] === subset) return { [k]: subset };
  return { version: subset };
}

function checkDestination(ctx: Ctx, vs: VsInfo, ref: DestRef): void {
  const res = vs.res;
  const rawHost = typeof ref.dest.host === 'string' ? ref.dest.host : '';
  if (!rawHost) return; // schema validation reports a missing host
  const host = resolveShortName(rawHost, vs.namespace);
  const what = ref.mirror ? 'mirror host' : 'host';
  const all = ctx.servicesFor(host);
  const services = all.filter((s) => visibleFrom(s, vs));
  const hostPath = [...ref.path, 'host'];
  if (!services.length) {
    if (all.length) {
      ctx.report('IST0101', res, hostPath, `Referenced ${what} not found: "${rawHost}" (${host} exists, but its exportTo does not make it visible where this VirtualService applies).`, { related: all.map((s) => s.key) });
    } else if (ctx.missingHostIsError(host, vs.namespace)) {
      const k = kubeShortForm(host);
      const hint = k && ctx.hasServicesIn(k.namespace) ? ` Istio takes names with a dot literally: write ${k.name}.${k.namespace}.svc.cluster.local.` : '';
      ctx.report('IST0101', res, hostPath, `Referenced ${what} not found: "${rawHost}" (no Service or ServiceEntry for ${host}; requests routed there fail with 503).${hint}`);
    } else {
      ctx.report('MC100', res, hostPath, `${host} is not defined in this design (no Service or ServiceEntry for it); it is assumed to exist in the cluster.`);
    }
    return;
  }
  const svc = services.find((s) => s.namespace === vs.namespace) ?? services[0];
  checkPort(ctx, vs, ref, rawHost, svc);
  if (typeof ref.dest.subset === 'string' && ref.dest.subset) checkSubset(ctx, vs, ref, rawHost, host, services, ref.dest.subset);
}

function checkPort(ctx: Ctx, vs: VsInfo, ref: DestRef, rawHost: string, svc: SvcInfo): void {
  const number = ref.dest.port?.number;
  if (typeof number !== 'number') {
    if (svc.ports.length > 1) {
      const ports = svc.ports.map((p) => p.number);
      ctx.report('IST0112', vs.res, [...ref.path, 'host'],
        `This VirtualService routes to a service "${rawHost}" that exposes multiple ports [${ports.join(' ')}]. Specifying a port in the destination is required to disambiguate.`,
        { fix: { title: `Use port ${ports[0]}`, kind: 'setDestinationPort', target: vs.res.key, path: ref.path, port: ports[0], choices: ports }, related: [svc.key] });
    }
    return;
  }
  if (svc.ports.some((p) => p.number === number)) return;
  const protocol = ref.proto === 'http' ? 'HTTP' : ref.proto === 'tls' ? 'TLS' : 'TCP';
  const fix: Fix | undefined = svc.res && !svc.builtin
    ? { title: `Add port ${number} to ${svc.kind} ${svc.name}`, kind: 'addPort', target: svc.key, port: number, name: `${protocol.toLowerCase()}-${number}`, protocol }
    : undefined;
  ctx.report('IST0101', vs.res, [...ref.path, 'port', 'number'],
    `Referenced host:port not found: "${rawHost}:${number}" (${svc.kind} ${svc.namespace}/${svc.name} has ${svc.ports.length ? `port${svc.ports.length > 1 ? 's' : ''} ${svc.ports.map((p) => p.number).join(', ')}` : 'no ports'}).`,
    { fix, related: [svc.key] });
}

function checkSubset(ctx: Ctx, vs: VsInfo, ref: DestRef, rawHost: string, host: string, services: SvcInfo[], subset: string): void {
  const drs = ctx.drsFor(host);
  if (drs.some((d) => d.subsets.some((s) => s.name === subset))) return;
  const svcNs = services[0].namespace;
  const existing = ctx.drsWithExactHost(host);
  const target = existing.find((d) => d.namespace === svcNs) ?? existing[0];
  const ns = target?.namespace ?? svcNs;
  const fix: Fix = {
    title: target ? `Add subset ${subset} to DestinationRule ${target.namespace}/${target.res.name}` : `Create a DestinationRule for ${shortHost(host, ns)} with subset ${subset}`,
    kind: 'createSubset', host: shortHost(host, ns), namespace: ns, subset, labels: guessSubsetLabels(ctx, services, subset),
    ...(target ? { destinationRule: target.res.key } : {}),
  };
  const path = [...ref.path, 'subset'];
  const what = ref.mirror ? 'mirror+subset in destinationrule' : 'host+subset in destinationrule';
  if (drs.length || ctx.drNamespaces.has(svcNs) || ctx.drNamespaces.has(vs.namespace)) {
    const where = drs.length ? `DestinationRule${drs.length > 1 ? 's' : ''} ${drs.map((d) => `${d.namespace}/${d.res.name}`).join(', ')} for ${host} define${drs.length > 1 ? '' : 's'} ${drs.some((d) => d.subsets.length) ? `only ${[...new Set(drs.flatMap((d) => d.subsets.map((s) => s.name)))].join(', ')}` : 'no subsets'}`
      : `no DestinationRule for ${host}`;
    ctx.report('IST0101', vs.res, path, `Referenced ${what} not found: "${rawHost}+${subset}" (${where}; requests routed there fail with 503).`, { fix, related: drs.map((d) => d.res.key) });
  } else {
    ctx.report('MC100', vs.res, path, `Subset ${subset} of ${host} is not defined in this design (no DestinationRule for ${host}); it is assumed to exist in the cluster.`, { fix });
  }
}

function checkGatewayRef(ctx: Ctx, vs: VsInfo, raw: string, path: FieldPath): void {
  const ref = resolveGatewayName(raw, vs.namespace);
  if (ref === 'mesh' || ctx.gateways.has(ref)) return;
  const ns = ref.slice(0, ref.indexOf('/'));
  if (ctx.gatewayNamespaces.has(ns)) ctx.report('IST0101', vs.res, path, `Referenced gateway not found: "${raw}" (no Gateway ${ref}).`);
  else ctx.report('MC100', vs.res, path, `Gateway ${ref} is not defined in this design; it is assumed to exist in the cluster.`);
}

function checkDelegate(ctx: Ctx, vs: VsInfo, d: { name?: unknown; namespace?: unknown }, path: FieldPath): void {
  if (typeof d.name !== 'string' || !d.name) return;
  const ns = typeof d.namespace === 'string' && d.namespace ? d.namespace : vs.namespace;
  const ref = `${ns}/${d.name}`;
  const target = ctx.vsByName.get(ref);
  if (!target) {
    if (ctx.vsNamespaces.has(ns)) ctx.report('IST0101', vs.res, path, `Referenced delegate VirtualService not found: "${ref}" (Istio drops this rule).`);
    else ctx.report('MC100', vs.res, path, `Delegate VirtualService ${ref} is not defined in this design; it is assumed to exist in the cluster.`);
    return;
  }
  if (!target.isDelegate) {
    ctx.report('IST0101', vs.res, path, `Referenced delegate VirtualService not found: "${ref}" (${ref} has hosts, so it is not a delegate; Istio drops this rule).`, { related: [target.res.key] });
  } else if (!isExportedTo(target.exportTo, target.namespace, vs.namespace)) {
    ctx.report('IST0101', vs.res, path, `Referenced delegate VirtualService not found: "${ref}" (its exportTo does not include ${vs.namespace}; Istio drops this rule).`, { related: [target.res.key] });
  }
}

export function checkReferences(ctx: Ctx): void {
  for (const vs of ctx.virtualServices) {
    for (const ref of destinationsOf(vs)) checkDestination(ctx, vs, ref);
    asArray(vs.spec.gateways).forEach((g, i) => typeof g === 'string' && checkGatewayRef(ctx, vs, g, ['spec', 'gateways', i]));
    for (const proto of ['http', 'tcp', 'tls'] as const) {
      asArray(vs.spec[proto] as Array<{ match?: Array<{ gateways?: unknown }>; delegate?: { name?: unknown; namespace?: unknown } }> | undefined).forEach((rule, i) => {
        asArray(rule?.match).forEach((m, j) => {
          asArray(m?.gateways as string[] | undefined).forEach((g, k) => typeof g === 'string' && checkGatewayRef(ctx, vs, g, ['spec', proto, i, 'match', j, 'gateways', k]));
        });
        if (proto === 'http' && rule?.delegate && typeof rule.delegate === 'object') checkDelegate(ctx, vs, rule.delegate, ['spec', proto, i, 'delegate']);
      });
    }
  }
}
