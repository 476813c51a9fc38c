/**
 * One proxy's routing decision for one request: listener → virtual host → first matching route →
 * weighted destination (or the L4 / built-in equivalents). Shared by the fast path (`ex` null:
 * no allocation, no explanation) and the trace path, so both always agree.
 */
import type { Explainer } from './explain';
import { chainForSni, type GatewayProxy, type TlsChain } from './gateway';
import { describeHttpMatch, explainHttpMismatch, matchHttp, type MatchInput } from './match';
import { portOfService, type ServicePort } from './registry';
import { matchL4, type CompiledDest, type CompiledRoute, type L4Route, type RouteAction } from './routes';
import type { Rng } from './rng';
import { resolveDns, type SidecarProxy } from './sidecar';
import type { L4Entry, RouteTable, VirtualHost } from './tables';
import type { RequestProtocol, RouteType } from './types';

/** TLS on a connection into a gateway: plain TLS, TLS with a client certificate, or Istio mTLS. */
export type DownstreamTls = 'tls' | 'tls_client_cert' | 'istio_mtls';

/** A request as one proxy sees it, normalised once (see prepare.ts). */
export interface HopRequest extends MatchInput {
  protocol: RequestProtocol;
  /** Port dialled: the service port (sidecar) or the listener port (gateway, after translation). */
  port: number;
  /** Lower-case host without port: from the Host header (HTTP) or the SNI (TLS). */
  host: string;
  queryString: string;
  sni: string | null;
  downstreamTls: DownstreamTls | null;
}

export type DecisionKind =
  | 'route' | 'redirect' | 'direct' | 'https_redirect' | 'no_route' | 'block_all'
  | 'passthrough' | 'blackhole' | 'tcp' | 'reset' | 'refused' | 'tls_failure' | 'auto_passthrough';

/** A mutable, reusable decision: the fast path fills the same object for every request. */
export interface Decision {
  kind: DecisionKind;
  routeType: RouteType;
  listenerPort: number;
  table: RouteTable | null;
  vhost: VirtualHost | null;
  route: CompiledRoute | null;
  dest: CompiledDest | null;
  l4: L4Route | null;
  l4Entry: L4Entry | null;
  chain: TlsChain | null;
  servicePort: ServicePort | null;
  detail: string;
}

export function newDecision(): Decision {
  return { kind: 'no_route', routeType: 'none', listenerPort: 0, table: null, vhost: null, route: null, dest: null, l4: null, l4Entry: null, chain: null, servicePort: null, detail: '' };
}

function reset(d: Decision, port: number): void {
  d.kind = 'no_route';
  d.routeType = 'none';
  d.listenerPort = port;
  d.table = null;
  d.vhost = null;
  d.route = null;
  d.dest = null;
  d.l4 = null;
  d.l4Entry = null;
  d.chain = null;
  d.servicePort = null;
  d.detail = '';
}

function chooseDest(a: { dests: CompiledDest[]; cum: Int32Array; total: number }, rng: Rng, ex: Explainer | null): CompiledDest | null {
  const n = a.dests.length;
  if (n === 0) return null;
  if (a.cum.length <= 1) return a.dests[0];
  const r = rng.nextInt(a.total);
  let i = 0;
  while (i < a.cum.length - 1 && r >= a.cum[i]) i++;
  if (ex) {
    const d = a.dests[i];
    const lo = i === 0 ? 0 : a.cum[i - 1];
    ex.add('weight', `weight draw ${r} of ${a.total} falls in [${lo}, ${a.cum[i]}) → ${d.host}${d.subset ? ` subset ${d.subset}` : ''} (weight ${d.weight}, ${Math.round((d.weight / a.total) * 1000) / 10}% of requests)`, d.resource, [...d.path, 'weight']);
  }
  return a.dests[i];
}

function routeLabel(r: CompiledRoute): string {
  return r.resource ? `${r.resource} ${r.label}${r.name ? ` "${r.name}"` : ''}` : 'default route';
}

/** HTTP: virtual host by Host (port ignored), then routes in order; first match wins. */
function decideHttp(t: RouteTable, r: HopRequest, rng: Rng, d: Decision, ex: Explainer | null): void {
  d.table = t;
  d.routeType = 'http';
  const vh = t.index.lookup(r.host);
  if (vh === undefined) {
    d.kind = 'no_route';
    d.detail = 'no virtual host';
    if (ex) ex.add('vhost', `no virtual host of route table ${t.name} matches host "${r.host}" → 404 NR`);
    return;
  }
  d.vhost = vh;
  if (ex) {
    ex.add('vhost', `route table ${t.name}: host "${r.host}" selects virtual host ${vh.name} (domains ${vh.domains.slice(0, 6).join(', ')}${vh.domains.length > 6 ? ', …' : ''}; the port is ignored)`, vh.vs[0]?.key ?? vh.service?.key ?? null, vh.vs[0] ? ['spec', 'hosts'] : vh.service?.hostPath ?? null);
    if (vh.note) ex.add('vhost', vh.note, vh.noteRef?.resource ?? null, vh.noteRef?.path ?? null);
    for (const o of vh.omitted) ex.add('rule', `${o.resource} ${o.label} is not generated here: ${o.reason}`, o.resource, o.path);
  }
  if (vh.kind === 'allow_any') {
    d.kind = 'passthrough';
    d.routeType = 'passthrough';
    return;
  }
  if (vh.kind === 'block_all') {
    d.kind = 'block_all';
    return;
  }
  if (vh.requireTls && r.downstreamTls === null) {
    d.kind = 'https_redirect';
    if (ex) ex.add('rule', `virtual host ${vh.name} requires TLS (Gateway httpsRedirect): plaintext request → 301 to https`, vh.noteRef?.resource ?? null, vh.noteRef?.path ?? null);
    return;
  }
  const routes = vh.routes;
  for (let i = 0; i < routes.length; i++) {
    const rt = routes[i];
    if (rt.match !== null && !matchHttp(rt.match, r)) {
      if (ex) {
        const why = explainHttpMismatch(rt.match, r);
        ex.add('rule', `${routeLabel(rt)} does not match: ${why?.reason ?? 'no match'}`, rt.resource, why?.path ?? rt.matchPath);
      }
      continue;
    }
    d.route = rt;
    if (ex) ex.add('rule', `${routeLabel(rt)} matches (${rt.match ? describeHttpMatch(rt.match) : rt.resource ? 'rule without match: every request' : 'catch-all prefix /'})`, rt.resource, rt.matchPath ?? rt.rulePath);
    applyAction(rt.action, rng, d, ex);
    return;
  }
  d.kind = 'no_route';
  d.detail = 'no route matched';
  if (ex) ex.add('rule', `no rule of virtual host ${vh.name} matches → 404 NR (there is no fall-back to the default route)`, vh.vs[0]?.key ?? null, vh.vs[0] ? ['spec', 'http'] : null);
}

function applyAction(a: RouteAction, rng: Rng, d: Decision, ex: Explainer | null): void {
  if (a.kind === 'redirect') {
    d.kind = 'redirect';
    return;
  }
  if (a.kind === 'direct') {
    d.kind = 'direct';
    return;
  }
  d.kind = 'route';
  d.dest = chooseDest(a, rng, ex);
}

function decideL4(e: L4Entry, r: HopRequest, rng: Rng, d: Decision, ex: Explainer | null): void {
  d.l4Entry = e;
  d.routeType = e.port.cls === 'tls' ? 'tls' : 'tcp';
  if (e.routes === null) {
    d.kind = 'tcp';
    d.dest = e.dflt;
    if (ex) ex.add('rule', `${e.port.cls.toUpperCase()} port ${e.port.number} of ${e.service.hostname} without ${d.routeType} route: forwarded as opaque TCP to ${e.dflt.cluster}`, e.service.key, e.port.path);
    return;
  }
  const rt = matchL4(e.routes, r.sni);
  if (rt === null) {
    d.kind = 'reset';
    d.detail = 'no tls/tcp route matches';
    if (ex) ex.add('rule', `no ${d.routeType} route of ${e.vs?.key} matches SNI ${r.sni ?? '(none)'}: no filter chain → connection closed`, e.vs?.key ?? null, [ 'spec', d.routeType ]);
    return;
  }
  d.l4 = rt;
  if (ex) ex.add('rule', `${rt.resource} ${rt.label} matches${rt.sniHosts ? ` (sniHosts ${rt.sniHosts.join(', ')})` : ''}`, rt.resource, rt.path);
  d.kind = 'tcp';
  d.dest = chooseDest(rt, rng, ex);
}

function unknownDest(p: SidecarProxy, r: HopRequest, d: Decision, ex: Explainer | null): void {
  if (p.outbound === 'ALLOW_ANY') {
    d.kind = 'passthrough';
    d.routeType = 'passthrough';
    if (ex) ex.add('listener', `${r.host}:${r.port} matches no service known to ${p.ref.id}: outboundTrafficPolicy ALLOW_ANY → PassthroughCluster (original destination)`, p.outboundRef?.resource ?? null, p.outboundRef?.path ?? null);
  } else {
    d.kind = 'blackhole';
    d.routeType = 'blackhole';
    if (ex) ex.add('listener', `${r.host}:${r.port} matches no service known to ${p.ref.id}: outboundTrafficPolicy REGISTRY_ONLY → BlackHoleCluster, connection closed`, p.outboundRef?.resource ?? null, p.outboundRef?.path ?? null);
  }
}

/** Sidecar outbound: destination (VIP by DNS) and port pick the listener; then HTTP, TLS or TCP routing. */
export function decideSidecar(p: SidecarProxy, r: HopRequest, rng: Rng, d: Decision, ex: Explainer | null): void {
  reset(d, r.port);
  const svc = resolveDns(p, r.host);
  const sp = svc !== null && (svc.vip || svc.headless) ? portOfService(svc, r.port) : undefined;
  if (svc !== null && sp !== undefined) {
    d.servicePort = sp;
    if (ex) ex.add('listener', `${r.host} resolves to ${svc.kind} ${svc.hostname}; port ${r.port} (${sp.name || 'unnamed'}) is ${sp.cls === 'auto' ? 'undeclared: protocol auto-detected' : `${sp.protocol}`} → ${sp.cls === 'http' ? `HTTP listener 0.0.0.0_${r.port}, route table ${r.port}` : sp.cls === 'auto' ? `listener for ${svc.hostname}:${r.port}` : `${sp.cls.toUpperCase()} listener for ${svc.hostname}:${r.port}`}`, svc.key, sp.path.length ? sp.path : svc.hostPath);
    if (sp.cls === 'http') {
      if (r.protocol !== 'http') return protocolMismatch(d, ex, `the port is HTTP but the client sends ${r.protocol.toUpperCase()}`);
      return decideHttp(p.httpTables.get(r.port)!, r, rng, d, ex);
    }
    if (sp.cls === 'auto') {
      const t = p.sniffed.get(`${svc.hostname}:${r.port}`)!;
      if (r.protocol === 'http') return decideHttp(t, r, rng, d, ex);
      if (ex) ex.add('listener', `not HTTP: protocol detection falls back to TCP`);
    }
    const e = p.vipL4.get(`${svc.hostname}:${r.port}`);
    if (e !== undefined) return decideL4(e, r, rng, d, ex);
  }
  if (r.protocol === 'http') {
    const t = p.httpTables.get(r.port);
    if (t !== undefined) {
      if (ex) ex.add('listener', `HTTP on port ${r.port}: listener 0.0.0.0_${r.port}, route table ${r.port}`);
      return decideHttp(t, r, rng, d, ex);
    }
  } else if (r.protocol === 'tls') {
    const idx = p.sniByPort.get(r.port);
    const e = idx !== undefined && r.sni !== null ? idx.lookup(r.sni) : undefined;
    if (e !== undefined) {
      if (ex) ex.add('listener', `TLS on port ${r.port}: SNI ${r.sni} selects the filter chain of ${e.service.hostname}`, e.service.key, e.service.hostPath);
      return decideL4(e, r, rng, d, ex);
    }
  }
  const e = p.tcpByPort.get(r.port);
  if (e !== undefined && r.protocol !== 'http') {
    if (ex) ex.add('listener', `port ${r.port} is the TCP port of ${e.service.hostname} (a ServiceEntry without addresses is matched by port only)`, e.service.key, e.port.path);
    return decideL4(e, r, rng, d, ex);
  }
  unknownDest(p, r, d, ex);
}

function protocolMismatch(d: Decision, ex: Explainer | null, why: string): void {
  d.kind = 'reset';
  d.detail = why;
  if (ex) ex.add('listener', `${why}: the connection is closed`);
}

/** Gateway: listener by (translated) port; TLS servers by SNI; httpsRedirect; HTTP/TLS/TCP routes. */
export function decideGateway(g: GatewayProxy, r: HopRequest, rng: Rng, d: Decision, ex: Explainer | null): void {
  reset(d, r.port);
  const l = g.listeners.get(r.port);
  if (l === undefined) {
    d.kind = 'refused';
    if (ex) ex.add('listener', `${g.ref.id} has no listener on port ${r.port} (no Gateway server maps to it) → connection refused`);
    return;
  }
  if (ex) {
    const s = l.servers[0];
    ex.add('listener', `listener 0.0.0.0_${r.port} from ${l.servers.map((x) => `${x.gwName} server ${x.index} (port ${x.number} ${x.protocol})`).join(', ')}`, s.gateway.key, s.path);
    for (const x of l.dropped) ex.add('config', x.reason, x.server.gateway.key, x.server.path);
  }
  if (l.cls === 'http') {
    if (r.downstreamTls !== null) return protocolMismatch(d, ex, 'TLS sent to a plaintext HTTP server');
    if (r.protocol !== 'http') return protocolMismatch(d, ex, `${r.protocol.toUpperCase()} sent to an HTTP server`);
    return decideHttp(l.httpTable!, r, rng, d, ex);
  }
  if (l.cls === 'tcp') {
    d.routeType = 'tcp';
    if (l.tcp.length === 0) return protocolMismatch(d, ex, 'no VirtualService tcp route is bound to this TCP server');
    d.l4 = l.tcp[0];
    d.kind = 'tcp';
    if (ex) ex.add('rule', `${l.tcp[0].resource} ${l.tcp[0].label} matches`, l.tcp[0].resource, l.tcp[0].path);
    d.dest = chooseDest(l.tcp[0], rng, ex);
    return;
  }
  if (r.downstreamTls === null) return protocolMismatch(d, ex, 'plaintext sent to a TLS server (no filter chain matches)');
  const c = chainForSni(l, r.sni);
  if (c === null) return protocolMismatch(d, ex, `SNI ${r.sni ?? '(none)'} matches no server host`);
  d.chain = c;
  const mode = c.server.tlsMode;
  if (ex) ex.add('tls', `SNI ${r.sni ?? '(none)'} selects ${c.server.gwName} server ${c.server.index} (hosts ${c.server.hosts.map((h) => h.host).join(', ')}, tls.mode ${mode})`, c.server.gateway.key, [...c.server.path, 'tls']);
  if (mode === 'PASSTHROUGH') {
    d.routeType = 'tls';
    const rt = matchL4(c.l4, r.sni);
    if (rt === null) return protocolMismatch(d, ex, `no tls route with sniHosts covering ${r.sni ?? '(none)'} is bound to this server`);
    d.l4 = rt;
    d.kind = 'tcp';
    if (ex) ex.add('rule', `${rt.resource} ${rt.label} matches SNI ${r.sni}`, rt.resource, rt.path);
    d.dest = chooseDest(rt, rng, ex);
    return;
  }
  if (mode === 'AUTO_PASSTHROUGH') {
    d.kind = 'auto_passthrough';
    d.routeType = 'tls';
    return;
  }
  const needs = mode === 'ISTIO_MUTUAL' ? 'istio_mtls' : mode === 'MUTUAL' ? 'tls_client_cert' : null;
  const ok = needs === null ? r.downstreamTls !== 'istio_mtls' || mode === 'OPTIONAL_MUTUAL' : r.downstreamTls === needs;
  if (!ok) {
    d.kind = 'tls_failure';
    if (ex) ex.add('tls', `tls.mode ${mode} ${needs === 'istio_mtls' ? 'needs Istio mutual TLS from a mesh proxy' : needs ? 'needs a client certificate' : 'presents a certificate the Istio mTLS client does not trust'}; the client offers ${r.downstreamTls} → TLS handshake failure`, c.server.gateway.key, [...c.server.path, 'tls', 'mode']);
    return;
  }
  if (c.table !== null) {
    if (r.protocol !== 'http') return protocolMismatch(d, ex, 'non-HTTP data inside TLS sent to an HTTPS server');
    return decideHttp(c.table, r, rng, d, ex);
  }
  d.routeType = 'tcp';
  const rt = c.l4[0];
  if (rt === undefined) return protocolMismatch(d, ex, 'no VirtualService tcp route is bound to this TLS server');
  d.l4 = rt;
  d.kind = 'tcp';
  d.dest = chooseDest(rt, rng, ex);
}
