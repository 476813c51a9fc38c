/**
 * VirtualServices against each other and against their Gateways.
 *
 *   IST0109 ConflictingMeshGatewayVirtualServiceHosts — two VirtualServices bound to the mesh claim the same host
 *           for a namespace that sees both: sidecars use only one of them (the oldest).
 *   IST0132 VirtualServiceHostNotFoundInGateway — none of the VirtualService's hosts is offered by a Gateway it
 *           binds to (server hosts, their `namespace/` part included), so it gets no route on that gateway.
 *   MC104   MultipleVirtualServicesForHost — several VirtualServices for one host where that is legal but easy to
 *           misread: merged on a gateway (cross-resource order undefined), or a mesh wildcard host that loses a
 *           service to a more specific VirtualService.
 */
import type { Resource, ResourceKey } from '../../model/resource';
import { hostMatches, isWildcard } from '../../engine/hosts';
import { asArray, type RawGateway } from '../../engine/raw';
import { Ctx, type VsInfo } from '../context';

const vsName = (v: VsInfo) => `${v.namespace}/${v.res.name}`;

function groupByHost(list: VsInfo[], keyOf: (v: VsInfo, host: string) => string[]): Map<string, Array<{ vs: VsInfo; index: number }>> {
  const out = new Map<string, Array<{ vs: VsInfo; index: number }>>();
  for (const vs of list) {
    const seen = new Set<string>();
    for (const h of vs.hosts) {
      for (const key of keyOf(vs, h.host)) {
        if (seen.has(key)) continue;
        seen.add(key);
        let g = out.get(key);
        if (!g) out.set(key, (g = []));
        g.push({ vs, index: h.index });
      }
    }
  }
  return out;
}

function meshConflicts(ctx: Ctx): void {
  const mesh = ctx.virtualServices.filter((v) => v.meshBound && !v.isDelegate);
  const groups = groupByHost(mesh, (_, host) => [host]);
  const exact = new Set<string>();
  for (const [host, group] of groups) {
    if (!isWildcard(host)) exact.add(host);
    if (group.length < 2) continue;
    const vis = group.map((g) => Ctx.visibleNamespaces(g.vs.exportTo, g.vs.namespace));
    group.forEach((g, i) => {
      const others = group.filter((_, j) => j !== i && Ctx.visibilityOverlaps(vis[i], vis[j]));
      if (!others.length) return;
      const names = [g, ...others].map((x) => vsName(x.vs)).sort();
      ctx.report('IST0109', g.vs.res, ['spec', 'hosts', g.index],
        `The VirtualServices ${names.join(',')} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
        { related: others.map((x) => x.vs.res.key) });
    });
  }
  // A wildcard host yields each service it covers to a VirtualService naming that service exactly.
  for (const [host, group] of groups) {
    if (!isWildcard(host)) continue;
    const shadowed = [...exact].filter((h) => hostMatches(host, h));
    if (!shadowed.length) continue;
    for (const g of group) {
      const vis = Ctx.visibleNamespaces(g.vs.exportTo, g.vs.namespace);
      const winners = shadowed.flatMap((h) => groups.get(h)!.filter((o) => o.vs !== g.vs && Ctx.visibilityOverlaps(vis, Ctx.visibleNamespaces(o.vs.exportTo, o.vs.namespace))).map((o) => ({ h, o })));
      if (!winners.length) continue;
      const shown = winners.slice(0, 3).map((w) => `${w.h} (VirtualService ${vsName(w.o.vs)})`).join(', ');
      ctx.report('MC104', g.vs.res, ['spec', 'hosts', g.index],
        `Host ${host} does not apply to ${shown}${winners.length > 3 ? ` and ${winners.length - 3} more` : ''}: for sidecars the VirtualService with the more specific host wins; rules are not combined.`,
        { related: [...new Set(winners.map((w) => w.o.vs.res.key))] });
    }
  }
}

function gatewayMerges(ctx: Ctx): void {
  const bound = ctx.virtualServices.filter((v) => !v.isDelegate && v.gateways.some((g) => g !== 'mesh'));
  const groups = groupByHost(bound, (vs, host) => vs.gateways.filter((g) => g !== 'mesh' && ctx.gateways.has(g)).map((g) => `${g}|${host}`));
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    const [gw, host] = key.split('|');
    for (const g of group) {
      const others = group.filter((o) => o.vs !== g.vs);
      ctx.report('MC104', g.vs.res, ['spec', 'hosts', g.index],
        `Gateway ${gw} merges the rules of VirtualServices ${[g, ...others].map((x) => vsName(x.vs)).sort().join(', ')} for host ${host}; the order between resources is not defined (keep one VirtualService per host, or make their matches disjoint).`,
        { related: [ctx.gateways.get(gw)!.key, ...others.map((o) => o.vs.res.key)] });
    }
  }
}

/** Server hosts of a Gateway as `{ns, host}`: `ns/` defaults to `*`, `.` is the Gateway's namespace. */
export function serverHosts(gw: Resource): Array<{ ns: string; host: string; server: number; index: number }> {
  const out: Array<{ ns: string; host: string; server: number; index: number }> = [];
  asArray(specOf(gw).servers).forEach((s, server) => {
    asArray(s?.hosts).forEach((h, index) => {
      const str = String(h);
      const slash = str.indexOf('/');
      const ns = slash >= 0 ? str.slice(0, slash) : '*';
      out.push({ ns: ns === '.' ? gw.namespace : ns, host: (slash >= 0 ? str.slice(slash + 1) : str).toLowerCase(), server, index });
    });
  });
  return out;
}

const specOf = (gw: Resource) => (gw.spec ?? {}) as RawGateway;

function hostsInGateway(ctx: Ctx): void {
  for (const vs of ctx.virtualServices) {
    if (vs.isDelegate) continue;
    asArray(vs.spec.gateways).forEach((raw, i) => {
      const ref = vs.gateways[i];
      if (ref === 'mesh' || typeof raw !== 'string') return;
      const gw = ctx.gateways.get(ref);
      if (!gw) return; // reported as IST0101 / MC100
      const hosts = serverHosts(gw);
      const admitted = hosts.filter((h) => h.ns === '*' || h.ns === vs.namespace);
      if (vs.hosts.some((vh) => admitted.some((sh) => hostMatches(sh.host, vh.host)))) return;
      const why: string[] = [];
      const other = hosts.filter((h) => !admitted.includes(h) && vs.hosts.some((vh) => hostMatches(h.host, vh.host)));
      if (other.length) why.push(`server host${other.length > 1 ? 's' : ''} ${other.map((h) => `${h.ns}/${h.host}`).join(', ')} only admit${other.length > 1 ? '' : 's'} VirtualServices of namespace${other.length > 1 ? 's' : ''} ${[...new Set(other.map((h) => h.ns))].join(', ')}`);
      const literal = vs.hosts.filter((vh) => vh.raw !== vh.host && admitted.some((sh) => sh.host === vh.raw.toLowerCase()));
      if (literal.length) why.push(`short names in VirtualService hosts mean a service (${literal.map((h) => `${h.raw} → ${h.host}`).join(', ')}); write the name the gateway serves in full`);
      ctx.report('IST0132', vs.res, ['spec', 'gateways', i],
        `one or more host [${vs.hosts.map((h) => h.raw).join(' ')}] defined in VirtualService ${vsName(vs)} not found in Gateway ${ref}${why.length ? ` (${why.join('; ')})` : ''}.`,
        { related: [gw.key as ResourceKey] });
    });
  }
}

export function checkVirtualServices(ctx: Ctx): void {
  meshConflicts(ctx);
  gatewayMerges(ctx);
  hostsInGateway(ctx);
}
