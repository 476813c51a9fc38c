/**
 * DestinationRules: lookup path (client namespace, service namespace, root namespace), merging of
 * same-host rules in one namespace, subsets, and traffic-policy precedence
 * (subset port-level > subset > port-level > top level, component by component).
 */
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import { hostMatches, isExportedTo, resolveShortName } from './hosts';
import { asArray, asRecord, compareByCreation, labelsMatch, specOf, type RawDestinationRule, type RawTrafficPolicy } from './raw';

export interface DrInfo {
  res: Resource;
  key: ResourceKey;
  namespace: string;
  host: string;
  exportTo: string[] | null;
  selector: Record<string, string> | null;
  spec: RawDestinationRule;
}

export interface SubsetDef {
  name: string;
  labels: Record<string, string>;
  policy: RawTrafficPolicy | null;
  resource: ResourceKey;
  path: FieldPath;
}

export interface MergedDr {
  host: string;
  namespace: string;
  keys: ResourceKey[];
  subsets: Map<string, SubsetDef>;
  policy: RawTrafficPolicy | null;
  policyResource: ResourceKey | null;
}

export interface DrIndex {
  byNamespace: Map<string, DrInfo[]>;
  rootNamespace: string;
  /** Namespaces holding DestinationRules with a workloadSelector (lookups there depend on labels). */
  selectorNamespaces: Set<string>;
  cache: Map<string, MergedDr | null>;
}

export function buildDrIndex(resources: readonly Resource[], rootNamespace: string): DrIndex {
  const byNamespace = new Map<string, DrInfo[]>();
  const selectorNamespaces = new Set<string>();
  const sorted = [...resources].sort((a, b) => {
    // Rules with a workloadSelector first, then oldest first (Istio sortConfigBySelectorAndCreationTime).
    const sa = specOf<RawDestinationRule>(a).workloadSelector ? 0 : 1;
    const sb = specOf<RawDestinationRule>(b).workloadSelector ? 0 : 1;
    return sa - sb || compareByCreation(a, b);
  });
  for (const r of sorted) {
    const spec = specOf<RawDestinationRule>(r);
    if (typeof spec.host !== 'string') continue;
    const info: DrInfo = {
      res: r,
      key: r.key,
      namespace: r.namespace,
      host: resolveShortName(spec.host, r.namespace),
      exportTo: Array.isArray(spec.exportTo) ? spec.exportTo : null,
      selector: spec.workloadSelector?.matchLabels ? asRecord(spec.workloadSelector.matchLabels) : null,
      spec,
    };
    const list = byNamespace.get(r.namespace) ?? [];
    list.push(info);
    byNamespace.set(r.namespace, list);
    if (info.selector) selectorNamespaces.add(r.namespace);
  }
  return { byNamespace, rootNamespace, selectorNamespaces, cache: new Map() };
}

function merge(list: DrInfo[]): MergedDr {
  const subsets = new Map<string, SubsetDef>();
  let policy: RawTrafficPolicy | null = null;
  let policyResource: ResourceKey | null = null;
  for (const d of list) {
    asArray(d.spec.subsets).forEach((s, i) => {
      if (!s?.name || subsets.has(s.name)) return;
      subsets.set(s.name, { name: s.name, labels: asRecord(s.labels), policy: s.trafficPolicy ?? null, resource: d.key, path: ['spec', 'subsets', i] });
    });
    if (!policy && d.spec.trafficPolicy) {
      policy = d.spec.trafficPolicy;
      policyResource = d.key;
    }
  }
  return { host: list[0].host, namespace: list[0].namespace, keys: list.map((d) => d.key), subsets, policy, policyResource };
}

function pickInNamespace(list: DrInfo[] | undefined, proxyNs: string, proxyLabels: Record<string, string>, hostname: string, onlyPrivate: boolean): MergedDr | null {
  if (!list) return null;
  const applicable = list.filter((d) => {
    if (!hostMatches(d.host, hostname)) return false;
    if (onlyPrivate ? !(d.exportTo?.includes('.') && d.namespace === proxyNs) : !isExportedTo(d.exportTo, d.namespace, proxyNs)) return false;
    if (d.selector) return d.namespace === proxyNs && labelsMatch(d.selector, proxyLabels);
    return true;
  });
  if (applicable.length === 0) return null;
  // Most specific host wins: exact, then the longest wildcard.
  let best = applicable[0].host;
  for (const d of applicable) {
    if (d.host === hostname) best = hostname;
    else if (best !== hostname && d.host.length > best.length) best = d.host;
  }
  const same = applicable.filter((d) => d.host === best);
  // Enhanced merge: only rules with equal exportTo are merged with the first one.
  const first = JSON.stringify(same[0].exportTo ?? []);
  return merge(same.filter((d) => JSON.stringify(d.exportTo ?? []) === first));
}

/** The DestinationRule that applies to traffic from a proxy (namespace, labels) to a service. */
export function lookupDr(idx: DrIndex, proxyNs: string, proxyLabels: Record<string, string>, hostname: string, serviceNs: string): MergedDr | null {
  let key = `${proxyNs}|${hostname}|${serviceNs}`;
  if (idx.selectorNamespaces.has(proxyNs)) key += `|${JSON.stringify(Object.entries(proxyLabels).sort())}`;
  const hit = idx.cache.get(key);
  if (hit !== undefined) return hit;
  const found = lookupDrUncached(idx, proxyNs, proxyLabels, hostname, serviceNs);
  idx.cache.set(key, found);
  return found;
}

function lookupDrUncached(idx: DrIndex, proxyNs: string, proxyLabels: Record<string, string>, hostname: string, serviceNs: string): MergedDr | null {
  const root = idx.rootNamespace;
  if (proxyNs === root) {
    return (
      pickInNamespace(idx.byNamespace.get(root), proxyNs, proxyLabels, hostname, true) ??
      pickInNamespace(idx.byNamespace.get(serviceNs), proxyNs, proxyLabels, hostname, false) ??
      pickInNamespace(idx.byNamespace.get(root), proxyNs, proxyLabels, hostname, false)
    );
  }
  for (const ns of [proxyNs, serviceNs, root]) {
    const found = pickInNamespace(idx.byNamespace.get(ns), proxyNs, proxyLabels, hostname, false);
    if (found) return found;
  }
  return null;
}

export type PolicyComponent = 'loadBalancer' | 'connectionPool' | 'outlierDetection' | 'tls';
const COMPONENTS: PolicyComponent[] = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'];

export interface PolicyValue<T> {
  value: T;
  resource: ResourceKey;
  path: FieldPath;
  /** e.g. `top-level`, `port 443`, `subset v1`, `subset v1 port 443`. */
  level: string;
}

export type ResolvedPolicy = { [K in PolicyComponent]: PolicyValue<NonNullable<RawTrafficPolicy[K]>> | null };

function portLevel(p: RawTrafficPolicy | null, port: number): { entry: RawTrafficPolicy; index: number } | null {
  const list = asArray(p?.portLevelSettings);
  const index = list.findIndex((s) => s?.port?.number === port);
  return index >= 0 ? { entry: list[index], index } : null;
}

/** Component-wise precedence: subset port-level > subset > DR port-level > DR top level. */
export function resolvePolicy(dr: MergedDr | null, port: number, subset: SubsetDef | null): ResolvedPolicy {
  const out: ResolvedPolicy = { loadBalancer: null, connectionPool: null, outlierDetection: null, tls: null };
  const set = (c: PolicyComponent, v: unknown, resource: ResourceKey, path: FieldPath, level: string) => {
    (out as Record<string, unknown>)[c] = v === undefined || v === null ? null : { value: v, resource, path: [...path, c], level };
  };
  if (dr?.policy && dr.policyResource) {
    const base: FieldPath = ['spec', 'trafficPolicy'];
    for (const c of COMPONENTS) set(c, dr.policy[c], dr.policyResource, base, 'top-level');
    const pl = portLevel(dr.policy, port);
    if (pl) for (const c of COMPONENTS) set(c, pl.entry[c], dr.policyResource, [...base, 'portLevelSettings', pl.index], `port ${port}`);
  }
  if (subset?.policy) {
    const base: FieldPath = [...subset.path, 'trafficPolicy'];
    const spl = portLevel(subset.policy, port);
    if (spl) for (const c of COMPONENTS) set(c, spl.entry[c], subset.resource, [...base, 'portLevelSettings', spl.index], `subset ${subset.name} port ${port}`);
    else for (const c of COMPONENTS) if (subset.policy[c] !== undefined) set(c, subset.policy[c], subset.resource, base, `subset ${subset.name}`);
  }
  return out;
}
