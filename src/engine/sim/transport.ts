/**
 * What happens on the wire before the application is reached — upstream TLS against the server's
 * PeerAuthentication, plaintext sent to a TLS port, a gateway endpoint — decided once per
 * (cluster, endpoint) by the trace's own `attemptUpstream`, so the simulator and the trace agree.
 *
 * The attempt is run with recording assumptions: if the application is reached, it looks up its
 * assumption, and the keys it tries (in the trace's order) are exactly the keys the simulator uses
 * to find that host's behaviour.
 */
import type { CompiledMesh } from '../compile';
import type { HopRequest } from '../decide';
import type { ResolvedPolicy } from '../destinationrule';
import { Explainer } from '../explain';
import { localReply } from '../forward';
import type { Endpoint } from '../registry';
import type { CompiledDest } from '../routes';
import { createRng } from '../rng';
import { attemptUpstream, type TraceCtx, type UpstreamRequest } from '../upstream';
import { T_APP, T_CONNECT_FAIL, T_RESET, T_STATUS } from './pool';

export interface TransportInfo {
  kind: number;
  status: number;
  /** External hosts: assumption keys in lookup order. */
  keys: string[];
  /** A gateway endpoint (egress pattern): its own proxy handles what reaches it (hops.ts). */
  gateway: boolean;
}

const cache = new WeakMap<Endpoint, Map<string, TransportInfo>>();

/** The request as forwarded on an L4 path (as the trace builds it). */
export function l4Upstream(req: HopRequest, carriesHttp: boolean): UpstreamRequest {
  return {
    protocol: req.protocol,
    authority: req.authority,
    path: req.queryString ? `${req.path}?${req.queryString}` : req.path,
    method: req.method,
    scheme: req.scheme,
    headers: new Map(),
    carriesHttp,
    appTls: req.protocol === 'tls' || (req.downstreamTls !== null && req.protocol !== 'http'),
    sni: req.sni,
  };
}

/** A context for the trace's `attemptUpstream` (one upstream attempt, no explanation kept); `gatewayHop` plays a gateway endpoint. */
export function traceCtx(c: CompiledMesh, assume: TraceCtx['assume'], gatewayHop: TraceCtx['gatewayHop']): TraceCtx {
  return {
    c, rng: createRng(1), ex: new Explainer(), assume, hops: [], counters: new Map(), mirrors: [], depth: 0,
    finalDest: null, upstreamHeaders: null, builtin: { cluster: null, route: null, vhost: null }, gatewayHop,
  };
}

/** What `transportFor` depends on besides the endpoint, as a key (made once for all endpoints of a cluster). */
export function transportKey(fromProxy: string | null, dest: CompiledDest, policy: ResolvedPolicy | null, up: UpstreamRequest): string {
  return `${fromProxy === null ? '-' : '+'}|${dest.cluster}|${JSON.stringify(policy?.tls?.value ?? null)}|${up.authority}|${up.appTls}|${up.carriesHttp}|${up.sni ?? ''}`;
}

/** `key`: `transportKey` of the other arguments. */
export function transportFor(c: CompiledMesh, fromProxy: string | null, dest: CompiledDest, policy: ResolvedPolicy | null, ep: Endpoint, up: UpstreamRequest, key: string): TransportInfo {
  let m = cache.get(ep);
  if (m === undefined) cache.set(ep, (m = new Map()));
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const seen: string[] = [];
  const recorder = new Proxy({} as Record<string, never>, {
    get(_t, k) {
      if (typeof k === 'string' && !seen.includes(k)) seen.push(k);
      return undefined;
    },
  });
  let gateway = false;
  const ctx = traceCtx(c, { upstream: recorder, external: recorder }, () => {
    gateway = true;
    return localReply(200, [], 'gateway');
  });
  const r = attemptUpstream(ctx, fromProxy, dest, policy, ep, up, { tls: null });
  let info: TransportInfo;
  if (gateway || seen.length > 0) info = { kind: T_APP, status: 0, keys: seen, gateway };
  else if (r.failure === 'connect') info = { kind: T_CONNECT_FAIL, status: 0, keys: [], gateway: false };
  else if (r.failure === 'reset') info = { kind: T_RESET, status: 0, keys: [], gateway: false };
  else info = { kind: T_STATUS, status: r.status ?? 0, keys: [], gateway: false };
  m.set(key, info);
  return info;
}
