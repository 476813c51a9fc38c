/**
 * Translation of VirtualService rules into the ordered route list of one proxy listener
 * (Istio BuildHTTPRoutesForVirtualService): matches filtered by port/gateways/sourceLabels/
 * sourceNamespace, one route per surviving match, generation stops after the first catch-all.
 * Destinations are resolved for the proxy (service visibility, port, subset via DestinationRule).
 */
import type { FieldPath, ResourceKey } from '../model/resource';
import { corsFromRaw, type CorsPolicy } from './cors';
import { lookupDr, type DrIndex, type MergedDr, type SubsetDef } from './destinationrule';
import { hostMatches, resolveShortName } from './hosts';
import type { HttpMatch } from './match';
import {
  faultFromRaw, headersFromRaw, redirectFromRaw, retryFromRaw, timeoutFromRaw,
  type FaultPolicy, type HeaderPolicy, type RedirectPolicy, type RetryPolicy,
} from './policy';
import { asArray, labelsMatch, type RawDestination, type RawL4Route, type RawPercent } from './raw';
import { portOfService, serviceFor, type Registry, type Service, type Workload } from './registry';
import type { Rng } from './rng';
import type { RetryDefaults } from './types';
import { resolveGatewayName, type HttpRuleSrc, type VsInfo } from './virtualservice';

export interface ProxyRef {
  /** e.g. `sidecar productpage-v1.default`. */
  id: string;
  kind: 'sidecar' | 'gateway';
  namespace: string;
  labels: Record<string, string>;
  workload: Workload;
}

export interface CompileCtx {
  reg: Registry;
  drs: DrIndex;
  retryDefaults: RetryDefaults;
  /** The mesh default retry policy, built once. */
  defaultRetry?: RetryPolicy | null;
}

const defaultRetry = (ctx: CompileCtx): RetryPolicy | null => (ctx.defaultRetry !== undefined ? ctx.defaultRetry : (ctx.defaultRetry = retryFromRaw(undefined, ctx.retryDefaults, null, [])));

export interface CompiledDest {
  host: string;
  service: Service | null;
  port: number;
  subset: string;
  weight: number;
  cluster: string;
  /** Why the cluster does not exist (→ 503 NC), or null. */
  missing: string | null;
  subsetDef: SubsetDef | null;
  dr: MergedDr | null;
  resource: ResourceKey | null;
  path: FieldPath;
  headers: HeaderPolicy | null;
}

export interface MirrorDest {
  dest: CompiledDest;
  percent: number;
}

export type ActionKind = 'route' | 'redirect' | 'direct';

/** Everything a rule does once matched; shared by the routes made from its matches. */
export interface RouteAction {
  kind: ActionKind;
  dests: CompiledDest[];
  /** Cumulative weights (Envoy weighted_clusters), one entry per destination with weight > 0. */
  cum: Int32Array;
  total: number;
  redirect: RedirectPolicy | null;
  direct: { status: number; body: string | null } | null;
  rewrite: { uri: string | null; authority: string | null; regex: HttpRuleSrc['uriRegex'] } | null;
  headers: HeaderPolicy | null;
  fault: FaultPolicy | null;
  timeoutMs: number | null;
  retry: RetryPolicy | null;
  mirrors: MirrorDest[];
  cors: CorsPolicy | null;
}

export interface CompiledRoute {
  /** `http[1].match[0]`, `http[2]`, or `default`. */
  label: string;
  name: string | null;
  resource: ResourceKey | null;
  rulePath: FieldPath;
  match: HttpMatch | null;
  matchPath: FieldPath | null;
  action: RouteAction;
}

export const clusterName = (port: number, subset: string, host: string): string => `outbound|${port}|${subset}|${host}`;

export function resolveDest(raw: RawDestination | undefined, ns: string, ctx: CompileCtx, proxy: ProxyRef, defaultPort: number, resource: ResourceKey | null, path: FieldPath, weight = 0, literalHost = false): CompiledDest {
  const host = literalHost ? String(raw?.host ?? '') : resolveShortName(String(raw?.host ?? ''), ns);
  const svc = serviceFor(ctx.reg, host, proxy.namespace);
  const explicit = typeof raw?.port?.number === 'number' ? raw.port.number : null;
  const port = explicit ?? (svc && svc.ports.length === 1 ? svc.ports[0].number : defaultPort);
  const subset = raw?.subset ?? '';
  const dr = svc ? lookupDr(ctx.drs, proxy.namespace, proxy.labels, svc.hostname, svc.namespace) : null;
  const subsetDef = subset && dr ? dr.subsets.get(subset) ?? null : null;
  let missing: string | null = null;
  if (!svc) missing = `no service ${host} is visible from namespace ${proxy.namespace}`;
  else if (!portOfService(svc, port)) missing = `service ${host} has no port ${port}`;
  else if (subset && !subsetDef) missing = `subset "${subset}" is not defined in any DestinationRule for ${host} that applies in namespace ${proxy.namespace}`;
  return { host, service: svc, port, subset, weight, cluster: clusterName(port, subset, host), missing, subsetDef, dr, resource, path, headers: null };
}

function weightTable(dests: CompiledDest[]): { cum: Int32Array; total: number; kept: CompiledDest[] } {
  if (dests.length <= 1) return { cum: Int32Array.of(1), total: 1, kept: dests };
  const kept = dests.filter((d) => d.weight > 0);
  const cum = new Int32Array(kept.length);
  let t = 0;
  kept.forEach((d, i) => {
    t += d.weight;
    cum[i] = t;
  });
  return { cum, total: t, kept };
}

/** Envoy weighted cluster choice: random % total, first cumulative weight above it. No allocation. */
export function pickWeighted(cum: Int32Array, total: number, rng: Rng): number {
  if (cum.length <= 1) return 0;
  const r = rng.nextInt(total);
  for (let i = 0; i < cum.length; i++) if (r < cum[i]) return i;
  return cum.length - 1;
}

const pctOf = (p: RawPercent | undefined): number => (p && typeof p.value === 'number' ? Math.max(0, Math.min(100, p.value)) : 100);

function compileAction(rule: HttpRuleSrc, ctx: CompileCtx, proxy: ProxyRef, defaultPort: number): RouteAction {
  const raw = rule.raw;
  const dests = asArray(raw.route).map((d, k) => {
    const cd = resolveDest(d?.destination, rule.namespace, ctx, proxy, defaultPort, rule.resource, [...rule.path, 'route', k], d?.weight ?? 0);
    cd.headers = headersFromRaw(d?.headers);
    return cd;
  });
  const wt = weightTable(dests);
  const mirrors: MirrorDest[] = [];
  if (raw.mirror) mirrors.push({ dest: resolveDest(raw.mirror, rule.namespace, ctx, proxy, defaultPort, rule.resource, [...rule.path, 'mirror']), percent: raw.mirrorPercentage === undefined && typeof raw.mirrorPercent === 'number' ? Math.min(100, raw.mirrorPercent) : pctOf(raw.mirrorPercentage) });
  asArray(raw.mirrors).forEach((m, k) => mirrors.push({ dest: resolveDest(m?.destination, rule.namespace, ctx, proxy, defaultPort, rule.resource, [...rule.path, 'mirrors', k]), percent: pctOf(m?.percentage) }));
  const kind: ActionKind = raw.redirect ? 'redirect' : raw.directResponse ? 'direct' : 'route';
  const rw = raw.rewrite;
  return {
    kind,
    dests: wt.kept,
    cum: wt.cum,
    total: wt.total,
    redirect: redirectFromRaw(raw.redirect),
    direct: raw.directResponse ? { status: raw.directResponse.status ?? 200, body: raw.directResponse.body?.string ?? (raw.directResponse.body?.bytes ? atobSafe(raw.directResponse.body.bytes) : null) } : null,
    rewrite: rw ? { uri: rw.uri ?? null, authority: rw.authority ?? null, regex: rule.uriRegex } : null,
    headers: headersFromRaw(raw.headers),
    fault: faultFromRaw(raw.fault, rule.resource, rule.path),
    timeoutMs: timeoutFromRaw(raw),
    retry: raw.retries === undefined || raw.retries === null ? defaultRetry(ctx) : retryFromRaw(raw.retries, ctx.retryDefaults, rule.resource, rule.path),
    mirrors,
    cors: corsFromRaw(raw.corsPolicy, rule.resource, rule.path),
  };
}

function atobSafe(b64: string): string {
  try {
    return typeof atob === 'function' ? atob(b64) : b64;
  } catch {
    return b64;
  }
}

export interface ListenerSel {
  /** Port a `match.port` must equal: the sidecar's service port or the gateway server's port number. */
  port: number;
  /** `mesh` for sidecars, `namespace/name` of the Gateway for gateways. */
  gateway: string;
  /** Destination port when a destination gives none and its service has several ports. */
  defaultDestPort: number;
}

/** A match that is not generated on this proxy/listener, and why (for explanations). */
export interface OmittedMatch {
  label: string;
  resource: ResourceKey;
  path: FieldPath;
  reason: string;
}

/** Why a match (or an L4 match) does not exist on this proxy/listener, or null when it does. */
function matchOmitted(raw: { gateways?: string[]; port?: number; sourceLabels?: Record<string, string>; sourceNamespace?: string }, vs: VsInfo, proxy: ProxyRef, sel: ListenerSel): string | null {
  const own = asArray(raw.gateways);
  const gws = own.length ? own.map((g) => resolveGatewayName(String(g), vs.namespace)) : vs.gateways;
  const here = sel.gateway === 'mesh' ? 'sidecars (mesh)' : `gateway ${sel.gateway}`;
  if (!gws.includes(sel.gateway)) return `${own.length ? 'match.gateways' : 'gateways'} [${gws.join(', ')}] does not include ${here}`;
  if (raw.port && raw.port !== sel.port) return `match.port ${raw.port} is not the listener port ${sel.port}`;
  if (own.length === 0) {
    if (raw.sourceLabels && !labelsMatch(raw.sourceLabels, proxy.labels)) return `sourceLabels ${JSON.stringify(raw.sourceLabels)} do not match the labels of this ${proxy.kind}`;
    if (raw.sourceNamespace && raw.sourceNamespace !== proxy.namespace) return `sourceNamespace ${raw.sourceNamespace} is not ${proxy.namespace}`;
  }
  return null;
}
const matchApplies = (raw: Parameters<typeof matchOmitted>[0], vs: VsInfo, proxy: ProxyRef, sel: ListenerSel): boolean => matchOmitted(raw, vs, proxy, sel) === null;

/** The HTTP routes a VirtualService contributes to one listener of one proxy. */
export function compileHttpRoutes(vs: VsInfo, ctx: CompileCtx, proxy: ProxyRef, sel: ListenerSel, omitted?: OmittedMatch[]): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const rule of vs.http) {
    if (!rule.matches) {
      out.push({ label: rule.label, name: rule.name, resource: rule.resource, rulePath: rule.path, match: null, matchPath: null, action: compileAction(rule, ctx, proxy, sel.defaultDestPort) });
      return out;
    }
    let action: RouteAction | null = null;
    for (let j = 0; j < rule.matches.length; j++) {
      const m = rule.matches[j];
      const why = matchOmitted(m.raw, vs, proxy, sel);
      if (why !== null) {
        omitted?.push({ label: `${rule.label}.match[${j}]`, resource: m.resource, path: m.path, reason: why });
        continue;
      }
      action ??= compileAction(rule, ctx, proxy, sel.defaultDestPort);
      out.push({ label: `${rule.label}.match[${j}]`, name: m.raw.name ?? rule.name, resource: m.resource, rulePath: rule.path, match: m.compiled, matchPath: m.path, action });
      if (m.compiled.catchAll) return out;
    }
  }
  return out;
}

/** The plain cluster of a service port (no subset): its registry hostname is used as is. */
export function serviceDest(svc: Service, port: number, ctx: CompileCtx, proxy: ProxyRef): CompiledDest {
  return resolveDest({ host: svc.hostname, port: { number: port } }, svc.namespace, ctx, proxy, port, null, [], 0, true);
}

/** The default route of a service without VirtualService: all endpoints, mesh default retries, no timeout. */
export function defaultRoute(svc: Service, port: number, ctx: CompileCtx, proxy: ProxyRef): CompiledRoute {
  const dest = serviceDest(svc, port, ctx, proxy);
  return {
    label: 'default',
    name: 'default',
    resource: null,
    rulePath: [],
    match: null,
    matchPath: null,
    action: { kind: 'route', dests: [dest], cum: Int32Array.of(1), total: 1, redirect: null, direct: null, rewrite: null, headers: null, fault: null, timeoutMs: null, retry: defaultRetry(ctx), mirrors: [], cors: null },
  };
}

export interface L4Route {
  label: string;
  resource: ResourceKey;
  path: FieldPath;
  sniHosts: string[] | null;
  dests: CompiledDest[];
  cum: Int32Array;
  total: number;
}

/** `tcp` or `tls` routes of a VirtualService for one listener of one proxy. */
export function compileL4Routes(vs: VsInfo, kind: 'tcp' | 'tls', ctx: CompileCtx, proxy: ProxyRef, sel: ListenerSel): L4Route[] {
  const out: L4Route[] = [];
  asArray(vs.spec[kind] as RawL4Route[] | undefined).forEach((rule, i) => {
    const path: FieldPath = ['spec', kind, i];
    const matches = asArray(rule?.match);
    const applicable = matches.length === 0 ? [null] : matches.map((m, j) => (matchApplies(m ?? {}, vs, proxy, sel) ? j : -1)).filter((j) => j >= 0);
    if (matches.length === 0 && !vs.gateways.includes(sel.gateway)) return;
    if (applicable.length === 0) return;
    const dests = asArray(rule?.route).map((d, k) => resolveDest(d?.destination, vs.namespace, ctx, proxy, sel.defaultDestPort, vs.key, [...path, 'route', k], d?.weight ?? 0));
    const wt = weightTable(dests);
    for (const j of applicable) {
      const m = j === null ? null : matches[j];
      const sni = m?.sniHosts?.length ? m.sniHosts.map((h) => String(h).toLowerCase()) : null;
      out.push({ label: j === null ? `${kind}[${i}]` : `${kind}[${i}].match[${j}]`, resource: vs.key, path: j === null ? path : [...path, 'match', j], sniHosts: sni, dests: wt.kept, cum: wt.cum, total: wt.total });
    }
  });
  return out;
}

/** First L4 route whose SNI list (if any) covers the SNI. */
export function matchL4(routes: readonly L4Route[], sni: string | null): L4Route | null {
  for (const r of routes) {
    if (!r.sniHosts) return r;
    if (sni !== null && r.sniHosts.some((h) => hostMatches(h, sni))) return r;
  }
  return null;
}
