/**
 * VirtualServices as istiod holds them: hosts and gateway names resolved, matchers compiled once,
 * delegates spliced into their roots, invalid resources rejected as Istio's validation would.
 */
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import { resolveShortName } from './hosts';
import { compileHttpMatch, compileRegex, ConfigError, type HttpMatch } from './match';
import { asArray, specOf, compareByCreation, type RawHttpMatch, type RawHttpRoute, type RawStringMatch, type RawVirtualService } from './raw';
import type { ConfigIssue } from './types';

export interface MatchSrc {
  raw: RawHttpMatch;
  compiled: HttpMatch;
  resource: ResourceKey;
  path: FieldPath;
}

/** One `http` rule after delegation: where it came from and its (possibly merged) matches. */
export interface HttpRuleSrc {
  raw: RawHttpRoute;
  resource: ResourceKey;
  /** Namespace used to resolve short names in this rule (the delegate's for delegated rules). */
  namespace: string;
  path: FieldPath;
  label: string;
  name: string | null;
  /** null: the rule has no `match` (matches everything). */
  matches: MatchSrc[] | null;
  uriRegex: { re: import('re2js').RE2JS; rewrite: string } | null;
}

export interface VsInfo {
  res: Resource;
  key: ResourceKey;
  name: string;
  namespace: string;
  hosts: string[];
  /** `mesh` or `namespace/name`. */
  gateways: string[];
  exportTo: string[] | null;
  http: HttpRuleSrc[];
  spec: RawVirtualService;
  isDelegate: boolean;
}

/** `name` → `<vsNs>/name`; `ns/name`; legacy `name.ns[.svc.cluster.local]` → `ns/name`; `mesh`. */
export function resolveGatewayName(g: string, vsNamespace: string): string {
  if (g === 'mesh') return 'mesh';
  if (g.includes('/')) return g;
  const parts = g.split('.');
  if (parts.length >= 2) return `${parts[1]}/${parts[0]}`;
  return `${vsNamespace}/${g}`;
}

function checkRegexes(obj: unknown, path: FieldPath): void {
  if (!obj || typeof obj !== 'object') return;
  const sm = obj as RawStringMatch;
  if (typeof sm.regex === 'string' && sm.regex !== '*') compileRegex(sm.regex, [...path, 'regex']);
}

function compileMatches(rule: RawHttpRoute, res: ResourceKey, path: FieldPath): MatchSrc[] | null {
  if (!Array.isArray(rule.match) || rule.match.length === 0) return null;
  return rule.match.map((m, j) => {
    const p = [...path, 'match', j];
    return { raw: m ?? {}, compiled: compileHttpMatch(m ?? {}, p), resource: res, path: p };
  });
}

function validate(spec: RawVirtualService, isMeshBound: boolean): void {
  if (isMeshBound && asArray(spec.hosts).includes('*')) throw new ConfigError('wildcard host * is not allowed for virtual services bound to the mesh gateway', ['spec', 'hosts']);
  asArray(spec.http).forEach((rule, i) => {
    const path: FieldPath = ['spec', 'http', i];
    const dests = asArray(rule?.route);
    if (dests.length > 1) {
      let sum = 0;
      dests.forEach((d, k) => {
        const w = d?.weight ?? 0;
        if (w < 0) throw new ConfigError('weight must not be negative', [...path, 'route', k, 'weight']);
        sum += w;
      });
      if (sum === 0) throw new ConfigError('total destination weight = 0', [...path, 'route']);
    }
    const r = rule?.retries;
    if (r && (r.attempts ?? 0) <= 0 && (r.perTryTimeout || r.retryOn || r.retryRemoteLocalities)) {
      throw new ConfigError('http retry policy: attempts cannot be 0 when retry is configured', [...path, 'retries']);
    }
    const setCount = ['route', 'redirect', 'directResponse', 'delegate'].filter((k) => (rule as Record<string, unknown>)?.[k] !== undefined && (k !== 'route' || dests.length > 0)).length;
    if (setCount > 1) throw new ConfigError('only one of route, redirect, directResponse or delegate may be set', path);
    if (setCount === 0) throw new ConfigError('HTTP route, redirect, directResponse or delegate is required', path);
    if (rule?.rewrite?.uri !== undefined && rule.rewrite.uriRegexRewrite) throw new ConfigError('rewrite may only contain one of uri or uriRegexRewrite', [...path, 'rewrite']);
    if (rule?.rewrite?.uriRegexRewrite?.match !== undefined) compileRegex(rule.rewrite.uriRegexRewrite.match, [...path, 'rewrite', 'uriRegexRewrite', 'match']);
    asArray(rule?.corsPolicy?.allowOrigins).forEach((o, k) => checkRegexes(o, [...path, 'corsPolicy', 'allowOrigins', k]));
    asArray(rule?.match).forEach((m, j) => {
      const mp = [...path, 'match', j];
      for (const k of ['uri', 'scheme', 'method', 'authority'] as const) checkRegexes(m?.[k], [...mp, k]);
      for (const k of ['headers', 'withoutHeaders', 'queryParams'] as const) {
        const map = m?.[k];
        if (map && typeof map === 'object') for (const h of Object.keys(map)) checkRegexes(map[h], [...mp, k, h]);
      }
    });
  });
}

/** Compiles every VirtualService; rejected ones are reported and left out. */
export function buildVirtualServices(resources: readonly Resource[], issues: ConfigIssue[]): VsInfo[] {
  const out: VsInfo[] = [];
  for (const vs of [...resources].sort(compareByCreation)) {
    const spec = specOf<RawVirtualService>(vs);
    const gateways = asArray(spec.gateways).length ? asArray(spec.gateways).map((g) => resolveGatewayName(String(g), vs.namespace)) : ['mesh'];
    const isDelegate = asArray(spec.hosts).length === 0;
    try {
      validate(spec, gateways.includes('mesh') && !isDelegate);
      const http: HttpRuleSrc[] = asArray(spec.http).map((rule, i) => {
        const path: FieldPath = ['spec', 'http', i];
        const rr = rule?.rewrite?.uriRegexRewrite;
        return {
          raw: rule ?? {},
          resource: vs.key,
          namespace: vs.namespace,
          path,
          label: `http[${i}]`,
          name: rule?.name ?? null,
          matches: compileMatches(rule ?? {}, vs.key, path),
          uriRegex: rr?.match !== undefined ? { re: compileRegex(rr.match, [...path, 'rewrite', 'uriRegexRewrite', 'match']), rewrite: rr.rewrite ?? '' } : null,
        };
      });
      out.push({ res: vs, key: vs.key, name: vs.name, namespace: vs.namespace, hosts: asArray(spec.hosts).map((h) => resolveShortName(String(h), vs.namespace)), gateways, exportTo: Array.isArray(spec.exportTo) ? spec.exportTo : null, http, spec, isDelegate });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues.push({ severity: 'error', code: 'IST0106', message: `VirtualService ${vs.namespace}/${vs.name} is rejected by Istio's validation: ${e.message}`, resource: vs.key, path: e.path });
    }
  }
  return spliceDelegates(out, issues);
}

// ---- delegation (one level) ----

type SM = RawStringMatch | undefined;
function smConflict(root: SM, del: SM): boolean {
  if (!root || !del) return false;
  if (root.regex !== undefined || del.regex !== undefined) return true;
  if (root.exact !== undefined) return del.exact !== root.exact;
  if (root.prefix !== undefined) {
    const v = del.exact ?? del.prefix;
    return v === undefined || !v.startsWith(root.prefix);
  }
  return false;
}

function matchConflict(r: RawHttpMatch, d: RawHttpMatch): boolean {
  if (smConflict(r.uri, d.uri) || smConflict(r.scheme, d.scheme) || smConflict(r.method, d.method) || smConflict(r.authority, d.authority)) return true;
  if ((r.ignoreUriCase ?? false) !== (d.ignoreUriCase ?? false)) return true;
  if (r.port && d.port && r.port !== d.port) return true;
  if (r.sourceNamespace && r.sourceNamespace !== d.sourceNamespace) return true;
  for (const k of Object.keys(r.sourceLabels ?? {})) if (d.sourceLabels && k in d.sourceLabels && d.sourceLabels[k] !== r.sourceLabels![k]) return true;
  if (d.gateways?.length && r.gateways?.length && !d.gateways.every((g) => r.gateways!.includes(g))) return true;
  // Header-style maps: the same key with conflicting string matches conflicts.
  for (const k of ['headers', 'withoutHeaders', 'queryParams'] as const) {
    const rm = r[k] ?? {};
    const dm = d[k] ?? {};
    for (const h of Object.keys(rm)) if (h in dm && smConflict(rm[h] ?? undefined, dm[h] ?? undefined)) return true;
  }
  return false;
}

function mergeMatch(r: RawHttpMatch, d: RawHttpMatch): RawHttpMatch {
  return {
    ...r,
    ...Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)),
    headers: { ...(r.headers ?? {}), ...(d.headers ?? {}) },
    withoutHeaders: { ...(r.withoutHeaders ?? {}), ...(d.withoutHeaders ?? {}) },
    queryParams: { ...(r.queryParams ?? {}), ...(d.queryParams ?? {}) },
    sourceLabels: { ...(r.sourceLabels ?? {}), ...(d.sourceLabels ?? {}) },
  };
}

const INHERITED = ['rewrite', 'directResponse', 'timeout', 'retries', 'fault', 'mirror', 'mirrors', 'mirrorPercentage', 'corsPolicy', 'headers'] as const;

function mergeRule(root: HttpRuleSrc, del: HttpRuleSrc): HttpRuleSrc | null {
  let matches: MatchSrc[] | null;
  if (!root.matches) matches = del.matches;
  else if (!del.matches) matches = root.matches;
  else {
    matches = [];
    for (const dm of del.matches) {
      let found = false;
      for (const rm of root.matches) {
        if (matchConflict(rm.raw, dm.raw)) continue;
        const raw = mergeMatch(rm.raw, dm.raw);
        matches.push({ raw, compiled: compileHttpMatch(raw, dm.path), resource: dm.resource, path: dm.path });
        found = true;
      }
      if (!found) return null;
    }
  }
  const raw: RawHttpRoute = { ...del.raw };
  for (const k of INHERITED) if (raw[k] === undefined && root.raw[k] !== undefined) (raw as Record<string, unknown>)[k] = root.raw[k];
  const name = root.name && del.name ? `${root.name}-${del.name}` : del.name ?? root.name;
  return { ...del, raw, name, matches, label: `${root.label} → ${del.label}`, uriRegex: del.uriRegex ?? root.uriRegex };
}

function spliceDelegates(all: VsInfo[], issues: ConfigIssue[]): VsInfo[] {
  const byKey = new Map(all.map((v) => [`${v.namespace}/${v.name}`, v]));
  for (const root of all) {
    if (root.isDelegate || !root.http.some((r) => r.raw.delegate)) continue;
    const rules: HttpRuleSrc[] = [];
    for (const rule of root.http) {
      const d = rule.raw.delegate;
      if (!d) {
        rules.push(rule);
        continue;
      }
      const ns = d.namespace || root.namespace;
      const target = byKey.get(`${ns}/${d.name}`);
      const visible = target && target.isDelegate && (!target.exportTo || target.exportTo.length === 0 || target.exportTo.includes('*') || target.exportTo.includes(root.namespace) || (target.exportTo.includes('.') && target.namespace === root.namespace));
      if (!target || !visible) {
        issues.push({ severity: 'warning', code: 'IST0101', message: `delegate VirtualService ${ns}/${d.name} of ${root.namespace}/${root.name} is missing or not exported to ${root.namespace}: the rule is dropped`, resource: root.key, path: [...rule.path, 'delegate'] });
        continue;
      }
      for (const dr of target.http) {
        const merged = mergeRule(rule, dr);
        if (merged) rules.push(merged);
      }
    }
    root.http = rules;
  }
  return all;
}
