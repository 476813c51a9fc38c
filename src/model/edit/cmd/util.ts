/** Helpers shared by the command modules: lookups in the model, labels for descriptions, results. */
import { expandHost, selectorMatches, serviceFqdn } from '../../hosts';
import type { MeshModel } from '../../model';
import type { FieldPath, KnownKind, Resource, ResourceKey } from '../../resource';
import { getPath, type Patch } from '../patch';

export type CommandResult = { ok: true; patches: Patch[]; description: string } | { ok: false; error: string };

export const done = (patches: Patch[], description: string): CommandResult => ({ ok: true, patches, description });
export const fail = (error: string): CommandResult => ({ ok: false, error });

export type RouteProtocol = 'http' | 'tcp' | 'tls';

/** A route rule: the VirtualService, the list (`http`, `tcp` or `tls`) and its index there. */
export interface RuleRef {
  vs: ResourceKey;
  protocol: RouteProtocol;
  index: number;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: { number: number };
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `VirtualService default/reviews`. */
export const label = (r: Pick<Resource, 'kind' | 'namespace' | 'name'>) => `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}`;

/** `spec.http[0].route` */
export const pathLabel = (path: FieldPath) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + p)).join('');

/** The resource, checked to be of the kind a command expects. */
export function find<K extends KnownKind>(model: MeshModel, key: ResourceKey, kind: K): Resource<K> | string {
  const r = model.byKey.get(key);
  if (!r) return `There is no ${kind} ${key.split('/').slice(1).join('/')}.`;
  if (r.kind !== kind || !r.known) return `${label(r)} is not a ${kind}.`;
  return r as Resource<K>;
}

/** Kubernetes object names (DNS-1123 subdomain) and Service names (DNS-1035 label). */
export const validName = (name: string) => name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
export const validServiceName = (name: string) => name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);

/** The rule a RuleRef points at, with a label for descriptions. */
export function findRule(model: MeshModel, ref: RuleRef): { vs: Resource<'VirtualService'>; rules: Obj[]; rule: Obj; path: FieldPath; name: string } | string {
  const vs = find(model, ref.vs, 'VirtualService');
  if (typeof vs === 'string') return vs;
  const rules = (vs.spec[ref.protocol] ?? []) as Obj[];
  const rule = rules[ref.index];
  if (!Number.isInteger(ref.index) || !isObj(rule)) return `${label(vs)} has no ${ref.protocol} rule ${ref.index + 1}.`;
  return { vs, rules, rule, path: ['spec', ref.protocol, ref.index], name: ruleName(rule, ref) };
}

/** `rule "canary"` or `http rule 3`. */
export const ruleName = (rule: Obj, ref: Pick<RuleRef, 'protocol' | 'index'>) =>
  typeof rule.name === 'string' && rule.name ? `rule "${rule.name}"` : `${ref.protocol} rule ${ref.index + 1}`;

/** How a destination is called in descriptions: its subset, else its host. */
export const destName = (d: unknown) => {
  const dest = isObj(d) && isObj(d.destination) ? d.destination : {};
  return String(dest.subset ?? dest.host ?? '?');
};

/** Deployments in the Service's namespace whose pod labels its selector matches (none without a selector). */
export function workloadsOf(model: MeshModel, svc: Resource<'Service'>): Resource<'Deployment'>[] {
  const selector = svc.spec.selector as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length) return [];
  return model.ofKind('Deployment').filter((d) => d.namespace === svc.namespace && selectorMatches(selector, podLabels(d)));
}

export const podLabels = (d: Resource<'Deployment'>) => (d.spec.template?.metadata?.labels ?? {}) as Record<string, string>;

/** DestinationRules whose host is the Service (same namespace first). */
export function rulesFor(model: MeshModel, svc: Resource<'Service'>): Resource<'DestinationRule'>[] {
  const fqdn = serviceFqdn(svc.name, svc.namespace);
  return model
    .ofKind('DestinationRule')
    .filter((dr) => typeof dr.spec.host === 'string' && expandHost(dr.spec.host, dr.namespace) === fqdn)
    .sort((a, b) => Number(b.namespace === svc.namespace) - Number(a.namespace === svc.namespace));
}

/** The last resource of the design in a namespace (new resources go after it), if any. */
export function lastIn(model: MeshModel, namespace: string): ResourceKey | undefined {
  for (let i = model.resources.length - 1; i >= 0; i--) if (model.resources[i].namespace === namespace) return model.resources[i].key;
  return undefined;
}

/**
 * Patches that remove `path` from a resource and then every map above it (up to `keep` steps from the root) that
 * the removal leaves empty, so that no `trafficPolicy: {}` stays behind.
 */
export function removeWithEmptyParents(r: Resource, path: FieldPath, keep: number): Patch[] {
  if (getPath(r.object, path) === undefined) return [];
  let cut = path;
  while (cut.length - 1 > keep) {
    const parent = getPath(r.object, cut.slice(0, -1));
    if (!isObj(parent) || Object.keys(parent).length !== 1) break;
    cut = cut.slice(0, -1);
  }
  return [{ type: 'delete', key: r.key, path: cut }];
}

/** Integer percentages proportional to `weights` that add up to 100 (largest remainder). */
export const toPercent = (weights: number[]) => distribute(100, weights);

/** `total` split into integers proportional to `weights` (evenly when they are all 0), by largest remainder. */
export function distribute(total: number, weights: number[]): number[] {
  if (!weights.length) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : total / weights.length));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

/** 100 split as evenly as integers allow, the remainder to the first ones: 3 → 34, 33, 33. */
export function evenSplit(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(100 / n) + (i < 100 % n ? 1 : 0));
}
