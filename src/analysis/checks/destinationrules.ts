/**
 * DestinationRules: their host, and the pods their subsets select.
 *
 *   IST0174 UnknownDestinationRuleHost — the host is no Service or ServiceEntry (Istio ignores the rule).
 *   IST0173 DestinationRuleSubsetNotSelectPods — a subset's labels select none of the service's pods (503 UH).
 *   MC102   DuplicateSubset — a subset name defined twice for one host: in one namespace the rules are merged and
 *           only the oldest definition counts (Warning); across namespaces the client's namespace decides (Info).
 *   MC103   SubsetWithoutLabels — a subset without labels or traffic policy selects every endpoint and changes
 *           nothing (not reported for gateway Services, where label-less subsets are the egress pattern).
 *   MC100   UnresolvedReference — the host, or the pods, are not in this design.
 */
import { isWildcard } from '../../engine/hosts';
import { compareByCreation, labelsMatch } from '../../engine/raw';
import { selectorString, type Ctx, type DrInfo, type SubsetInfo, type SvcInfo } from '../context';

/** Label sets of the endpoints behind a service (pods; ServiceEntry endpoints; the implicit DNS endpoint). */
function endpointLabels(ctx: Ctx, s: SvcInfo): Array<Record<string, string>> {
  const pods = ctx.endpointsOf(s).map((w) => w.labels);
  if (s.kind === 'Service') return pods;
  const explicit = s.endpointLabels ?? [];
  if (!explicit.length && !s.selector) return [{}];
  return [...explicit, ...pods];
}

function checkSubsets(ctx: Ctx, dr: DrInfo, svc: SvcInfo): void {
  const withLabels = dr.subsets.filter((s) => s.labels && Object.keys(s.labels).length);
  if (!dr.subsets.length) return;
  if (svc.kind === 'Service' && !svc.builtin && !ctx.workloadNamespaces.has(svc.namespace)) {
    if (withLabels.length) {
      ctx.report('MC100', dr.res, ['spec', 'subsets'],
        `The pods of ${svc.host} are not in this design (no Deployment or Pod in ${svc.namespace}), so whether subset${withLabels.length > 1 ? 's' : ''} ${withLabels.map((s) => s.name).join(', ')} select${withLabels.length > 1 ? '' : 's'} any is not checked.`);
    }
    return;
  }
  if (svc.kind === 'Service' && !svc.selector) return; // endpoints managed outside the selector: nothing to check
  const eps = endpointLabels(ctx, svc);
  for (const s of dr.subsets) {
    const labels = s.labels ?? {};
    if (eps.some((l) => labelsMatch(labels, l))) continue;
    const detail = eps.length === 0
      ? `${svc.kind} ${svc.namespace}/${svc.name} selects no pods at all`
      : `no endpoint of ${svc.host} has ${selectorString(labels)}`;
    ctx.report('IST0173', dr.res, ['spec', 'subsets', s.index, ...(Object.keys(labels).length ? ['labels'] : [])],
      `The Subset ${s.name} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream). (${detail})`,
      svc.res ? { related: [svc.key] } : {});
  }
}

function checkHost(ctx: Ctx, dr: DrInfo): void {
  const services = ctx.servicesFor(dr.host);
  if (!services.length) {
    if (ctx.missingHostIsError(dr.host, dr.namespace)) {
      ctx.report('IST0174', dr.res, ['spec', 'host'], `The host ${dr.host} defined in the DestinationRule does not match any services in the mesh.`);
    } else {
      ctx.report('MC100', dr.res, ['spec', 'host'], `${dr.host} is not defined in this design (no Service or ServiceEntry for it); it is assumed to exist in the cluster.`);
    }
    return;
  }
  if (isWildcard(dr.host)) return;
  checkSubsets(ctx, dr, services.find((s) => s.namespace === dr.namespace) ?? services[0]);
}

function duplicates(ctx: Ctx): void {
  const byHost = new Map<string, DrInfo[]>();
  for (const dr of ctx.drs) {
    let l = byHost.get(dr.host);
    if (!l) byHost.set(dr.host, (l = []));
    l.push(dr);
  }
  for (const [host, list] of byHost) {
    if (list.length === 1 && new Set(list[0].subsets.map((s) => s.name)).size === list[0].subsets.length) continue;
    // Istio's merge order: rules with a workloadSelector first, then oldest first.
    const sorted = [...list].sort((a, b) => (a.spec.workloadSelector ? 0 : 1) - (b.spec.workloadSelector ? 0 : 1) || compareByCreation(a.res, b.res));
    const inNamespace = new Map<string, { dr: DrInfo; s: SubsetInfo }>();
    const anywhere = new Map<string, { dr: DrInfo; s: SubsetInfo }>();
    for (const dr of sorted) {
      for (const s of dr.subsets) {
        const key = `${dr.namespace}|${s.name}`;
        const same = inNamespace.get(key);
        const other = anywhere.get(s.name);
        const path = ['spec', 'subsets', s.index, 'name'];
        if (same) {
          const where = same.dr === dr ? 'earlier in this DestinationRule' : `in DestinationRule ${same.dr.namespace}/${same.dr.res.name}`;
          ctx.report('MC102', dr.res, path,
            `Subset ${s.name} of ${host} is already defined ${where}; DestinationRules for one host in one namespace are merged and only the first definition is used.`,
            same.dr === dr ? {} : { related: [same.dr.res.key] });
          continue;
        }
        inNamespace.set(key, { dr, s });
        if (!other) {
          anywhere.set(s.name, { dr, s });
          continue;
        }
        ctx.report('MC102', dr.res, path,
          `Subset ${s.name} of ${host} is also defined in DestinationRule ${other.dr.namespace}/${other.dr.res.name}; which definition applies depends on the client's namespace (client namespace, then the service's, then ${ctx.rootNamespace}).`,
          { level: 'Info', related: [other.dr.res.key] });
      }
    }
  }
}

/** Gateway Services: label-less subsets are the egress-gateway pattern of istio.io (one subset per external host). */
function isGatewayHost(ctx: Ctx, host: string): boolean {
  const svcs = ctx.servicesFor(host);
  return svcs.length > 0 && svcs.every((s) => s.builtin || (ctx.endpointsOf(s).length > 0 && ctx.endpointsOf(s).every((w) => w.gateway)));
}

export function checkDestinationRules(ctx: Ctx): void {
  for (const dr of ctx.drs) {
    checkHost(ctx, dr);
    let gateway: boolean | undefined;
    for (const s of dr.subsets) {
      if ((!s.labels || Object.keys(s.labels).length === 0) && !s.policy && !(gateway ??= isGatewayHost(ctx, dr.host))) {
        ctx.report('MC103', dr.res, ['spec', 'subsets', s.index],
          `Subset ${s.name} has no labels: it selects every endpoint of ${dr.host}, like the service itself, and has no traffic policy of its own.`);
      }
    }
  }
  duplicates(ctx);
}
