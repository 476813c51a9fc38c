/**
 * One upstream attempt from a proxy (or a sidecar-less client) to one endpoint: upstream TLS vs
 * the server's PeerAuthentication, then the application's assumed behaviour, an external
 * destination, or the next proxy (a gateway) — a multi-hop chain.
 */
import type { CompiledMesh } from './compile';
import type { Explainer } from './explain';
import { describeTls, effectivePeerAuth, sidecarAccepts, upstreamTls, type UpstreamTls, type UpstreamTlsMode } from './tls';
import type { ResolvedPolicy } from './destinationrule';
import { endpointPort, portOfService, type Endpoint } from './registry';
import type { CompiledDest } from './routes';
import type { Rng } from './rng';
import type { Assumptions, HopTrace, MirrorTrace, Outcome, TraceDestination, UpstreamAssumption } from './types';
import { labelsMatch } from './raw';

/** The request as forwarded upstream by a proxy (after rewrites and header operations). */
export interface UpstreamRequest {
  protocol: 'http' | 'tls' | 'tcp';
  authority: string;
  path: string;
  method: string;
  scheme: string;
  headers: Map<string, string>;
  /** The payload is HTTP (an HTTP request, or HTTPS inside the application's TLS). */
  carriesHttp: boolean;
  /** The application does TLS itself (passed through by the proxy). */
  appTls: boolean;
  /** SNI of the application's own TLS, if any. */
  sni: string | null;
}

export interface HopResult {
  status: number | null;
  outcome: Outcome;
  flags: string[];
  durationMs: number;
  delayMs: number;
  attempts: number;
  responseFrom: string;
  location: string | null;
  responseHeaders: Map<string, string>;
}

export interface TraceCtx {
  c: CompiledMesh;
  rng: Rng;
  ex: Explainer;
  assume: Assumptions;
  hops: HopTrace[];
  counters: Map<string, number>;
  mirrors: MirrorTrace[];
  depth: number;
  finalDest: TraceDestination | null;
  upstreamHeaders: Record<string, string> | null;
  builtin: { cluster: string | null; route: string | null; vhost: string | null };
  /** Runs a gateway hop (set by trace.ts, avoids a module cycle). */
  gatewayHop: (ctx: TraceCtx, ep: Endpoint, port: number, req: UpstreamRequest, tls: UpstreamTls) => HopResult;
}

export interface AttemptResult {
  status: number | null;
  /** No HTTP response: `connect` (refused, TLS handshake) or `reset` (closed after connecting). */
  failure: 'connect' | 'reset' | null;
  latencyMs: number;
  responseFrom: string;
  /** For clients without proxy: what they observe when there is no response. */
  outcome: Outcome;
  responseHeaders: Map<string, string> | null;
  /** A gateway's answer: the flags it reported (a proxy passes them on with the answer, semantics reference §11). */
  flags?: string[];
}

/** Endpoints of a cluster: the service's endpoints whose labels contain the subset's labels. */
export function clusterEndpoints(dest: CompiledDest): Endpoint[] {
  const eps = dest.service?.endpoints ?? [];
  const sel = dest.subsetDef?.labels;
  return sel && Object.keys(sel).length ? eps.filter((e) => labelsMatch(sel, e.labels)) : eps;
}

/** Load balancing over endpoints weighted by replicas, avoiding hosts already tried when possible. */
export function pickEndpoint(eps: Endpoint[], tried: Set<Endpoint>, rng: Rng, avoidPrevious: boolean): Endpoint {
  const fresh = avoidPrevious ? eps.filter((e) => !tried.has(e)) : eps;
  const pool = fresh.length ? fresh : eps;
  const total = pool.reduce((s, e) => s + Math.max(1, e.replicas), 0);
  let r = rng.nextInt(total);
  for (const e of pool) {
    r -= Math.max(1, e.replicas);
    if (r < 0) return e;
  }
  return pool[pool.length - 1];
}

function assumptionFor(ctx: TraceCtx, ep: Endpoint, hostPort: string[]): { a: UpstreamAssumption; key: string } {
  const up = ctx.assume.upstream ?? {};
  const ext = ctx.assume.external ?? {};
  if (ep.workload) {
    const w = ep.workload;
    const key = `${w.namespace}/${w.name}`;
    return { a: up[key] ?? up[w.name] ?? {}, key };
  }
  for (const k of hostPort) if (ext[k]) return { a: ext[k], key: k };
  return { a: {}, key: hostPort[0] };
}

/** Status of the next attempt to this upstream: statusSequence advances per attempt, the last repeats. */
function nextStatus(ctx: TraceCtx, key: string, a: UpstreamAssumption): number {
  if (Array.isArray(a.statusSequence) && a.statusSequence.length) {
    const i = ctx.counters.get(key) ?? 0;
    ctx.counters.set(key, i + 1);
    return a.statusSequence[Math.min(i, a.statusSequence.length - 1)];
  }
  return a.status ?? 200;
}

function recordHeaders(ctx: TraceCtx, req: UpstreamRequest): void {
  const h: Record<string, string> = { ':authority': req.authority, ':method': req.method, ':path': req.path };
  for (const [k, v] of req.headers) if (!k.startsWith(':')) h[k] = v;
  ctx.upstreamHeaders = req.carriesHttp && !req.appTls ? h : null;
}

/** The application (or external server) answers, after TLS has been accepted. */
function application(ctx: TraceCtx, ep: Endpoint, hostPort: string[], req: UpstreamRequest, label: string, viaSidecar: boolean): AttemptResult {
  const { a, key } = assumptionFor(ctx, ep, hostPort);
  const latency = a.latencyMs ?? 0;
  recordHeaders(ctx, req);
  if (a.behavior === 'connect_refused') {
    if (viaSidecar) {
      ctx.ex.add('attempt', `${label} refuses the connection: its sidecar answers 503 (flags UF,URX in the server proxy's log; "upstream connect error … connection failure")`);
      return { status: 503, failure: null, latencyMs: 0, responseFrom: `inbound sidecar of ${label}`, outcome: 'response', responseHeaders: null };
    }
    ctx.ex.add('attempt', `${label} refuses the connection`);
    return { status: null, failure: 'connect', latencyMs: 0, responseFrom: label, outcome: 'connection_refused', responseHeaders: null };
  }
  if (a.behavior === 'reset') {
    if (viaSidecar) {
      ctx.ex.add('attempt', `${label} resets the connection after ${latency} ms: its sidecar answers 503 (flag UC in the server proxy's log)`);
      return { status: 503, failure: null, latencyMs: latency, responseFrom: `inbound sidecar of ${label}`, outcome: 'response', responseHeaders: null };
    }
    ctx.ex.add('attempt', `${label} resets the connection after ${latency} ms`);
    return { status: null, failure: 'reset', latencyMs: latency, responseFrom: label, outcome: 'connection_reset', responseHeaders: null };
  }
  const status = nextStatus(ctx, key, a);
  if (ctx.finalDest && ep.workload) ctx.finalDest.workload = ep.workload.name;
  return { status: req.carriesHttp ? status : null, failure: null, latencyMs: latency, responseFrom: label, outcome: 'response', responseHeaders: null };
}

/**
 * One attempt from `fromProxy` (null: a client without sidecar) over `dest` to endpoint `ep`.
 * `policy` is the resolved DestinationRule policy for the cluster.
 */
export function attemptUpstream(ctx: TraceCtx, fromProxy: string | null, dest: CompiledDest, policy: ResolvedPolicy | null, ep: Endpoint, req: UpstreamRequest, tlsOut: { tls: UpstreamTls | null }): AttemptResult {
  const svc = dest.service!;
  const sp = portOfService(svc, dest.port)!;
  const port = endpointPort(svc, sp, ep);
  const { c, ex } = ctx;
  let tls: UpstreamTls;
  if (fromProxy === null) tls = { mode: 'plaintext', sni: null, why: 'the client has no sidecar', resource: null, path: [] };
  else tls = upstreamTls(policy?.tls ?? null, svc, ep, dest.port, dest.subset, req.authority.replace(/:\d+$/, ''), c.mesh, c.pa);
  tlsOut.tls = tls;
  const clientMode: UpstreamTlsMode | 'app_tls' = tls.mode === 'plaintext' && req.appTls ? 'app_tls' : tls.mode;
  ex.add('tls', `upstream TLS to ${ep.workload ? `${ep.workload.name}.${ep.workload.namespace}` : ep.address}:${port}: ${describeTls(clientMode)}${tls.sni ? ` (SNI ${tls.sni})` : ''} — ${tls.why}`, tls.resource, tls.path);

  // A gateway endpoint: the next proxy in the chain.
  if (ep.workload?.gateway) return gatewayAttempt(ctx, ep, port, req, tls);

  if (ep.workload) {
    const label = `${ep.workload.name}.${ep.workload.namespace}`;
    if (ep.workload.sidecar) {
      const pa = effectivePeerAuth(c.pa, ep.workload, port);
      const fit = sidecarAccepts(pa.mode, clientMode);
      const hop: HopTrace = { proxy: `inbound ${label}`, listenerPort: port, routeType: 'inbound', route: null, vhost: null, virtualService: null, matchedRule: null, cluster: `inbound|${port}||`, downstreamTls: describeTls(clientMode), upstreamTls: 'plaintext', sni: tls.sni };
      ctx.hops.push(hop);
      ex.hop = ctx.hops.length - 1;
      ex.add('tls', `server sidecar of ${label} port ${port}: PeerAuthentication ${pa.mode} (${pa.level}${pa.resource ? '' : ': no policy, Istio default'})${fit === 'ok' ? ' accepts' : ' rejects'} ${describeTls(clientMode)}`, pa.resource, pa.path);
      if (fit === 'reset') return { status: null, failure: 'reset', latencyMs: 0, responseFrom: `inbound sidecar of ${label}`, outcome: 'connection_reset', responseHeaders: null };
      if (fit === 'handshake_failure') return { status: null, failure: 'connect', latencyMs: 0, responseFrom: `inbound sidecar of ${label}`, outcome: 'tls_handshake_failure', responseHeaders: null };
      return application(ctx, ep, [], req, label, true);
    }
    if (clientMode === 'istio_mtls' || clientMode === 'tls' || clientMode === 'tls_client_cert') {
      ex.add('tls', `${label} has no sidecar and speaks plaintext: the TLS handshake fails`);
      return { status: null, failure: 'connect', latencyMs: 0, responseFrom: label, outcome: 'tls_handshake_failure', responseHeaders: null };
    }
    return application(ctx, ep, [], req, label, false);
  }

  // External (or non-workload) endpoint.
  const host = req.authority.replace(/:\d+$/, '');
  const keys = [`${svc.hostname.startsWith('*') ? host : svc.hostname}:${port}`, `${host}:${port}`, `${ep.address}:${port}`, `${svc.hostname}:${dest.port}`];
  const label = `external ${keys[0]}`;
  // What the external server speaks on the port the proxy connects to (Reasoned: an HTTPS/TLS port of
  // the entry with that number, or 443).
  const expectsTls = sp.cls === 'tls' || port === 443 || svc.ports.some((p) => p.number === port && p.cls === 'tls');
  if (clientMode === 'istio_mtls' && !ep.sidecar) {
    ex.add('tls', `${keys[0]} does not speak Istio mTLS: the TLS handshake fails`);
    return { status: null, failure: 'connect', latencyMs: 0, responseFrom: label, outcome: 'tls_handshake_failure', responseHeaders: null };
  }
  if ((clientMode === 'tls' || clientMode === 'tls_client_cert') && !expectsTls) {
    ex.add('tls', `port ${port} of ${svc.hostname} is ${sp.protocol}, not TLS: the TLS handshake fails`, svc.key, sp.path);
    return { status: null, failure: 'connect', latencyMs: 0, responseFrom: label, outcome: 'tls_handshake_failure', responseHeaders: null };
  }
  if (clientMode === 'plaintext' && expectsTls && req.carriesHttp) {
    ex.add('tls', `plain HTTP sent to the TLS port ${port} of ${svc.hostname}: the server answers 400 (Reasoned: what HTTPS servers do with plaintext)`, svc.key, sp.path);
    recordHeaders(ctx, req);
    return { status: 400, failure: null, latencyMs: 0, responseFrom: label, outcome: 'response', responseHeaders: null };
  }
  return application(ctx, ep, keys, req, label, false);
}

function gatewayAttempt(ctx: TraceCtx, ep: Endpoint, port: number, req: UpstreamRequest, tls: UpstreamTls): AttemptResult {
  const r = ctx.gatewayHop(ctx, ep, port, req, tls);
  const from = r.responseFrom;
  if (r.outcome === 'response') return { status: r.status, failure: null, latencyMs: r.durationMs, responseFrom: from, outcome: 'response', responseHeaders: r.responseHeaders, flags: r.flags };
  return { status: null, failure: r.outcome === 'connection_reset' ? 'reset' : 'connect', latencyMs: r.durationMs, responseFrom: from, outcome: r.outcome, responseHeaders: null };
}
