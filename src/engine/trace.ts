/**
 * The trace path: the whole journey of one request through every proxy it meets (client sidecar,
 * gateways, server sidecar), with the outcome and an explanation of each step. Uses the same
 * per-proxy decision as the fast path.
 */
import { gatewayProxy, plainDest, type CompiledMesh } from './compile';
import { decideGateway, decideSidecar, newDecision, type Decision, type HopRequest } from './decide';
import { Explainer } from './explain';
import { resolvePolicy } from './destinationrule';
import { httpForward, localReply } from './forward';
import type { GatewayProxy } from './gateway';
import { redirectLocation } from './policy';
import { makeHopRequest, prepare } from './prepare';
import { endpointPort, portOfService, type Endpoint } from './registry';
import { createRng, type Rng } from './rng';
import type { SidecarProxy } from './sidecar';
import { describeTls, type UpstreamTls } from './tls';
import type { HopTrace, RequestInput, Trace } from './types';
import { attemptUpstream, clusterEndpoints, pickEndpoint, type HopResult, type TraceCtx, type UpstreamRequest } from './upstream';

export interface TraceOptions {
  seed?: number;
  rng?: Rng;
}

const MAX_HOPS = 8;

function l4Request(req: HopRequest, carriesHttp: boolean): UpstreamRequest {
  const headers = new Map<string, string>();
  for (const [k, v] of req.headers) if (!k.startsWith(':')) headers.set(k, v);
  return { protocol: req.protocol, authority: req.authority, path: req.queryString ? `${req.path}?${req.queryString}` : req.path, method: req.method, scheme: req.scheme, headers, carriesHttp, appTls: req.protocol === 'tls' || (req.downstreamTls !== null && req.protocol !== 'http'), sni: req.sni };
}

/** PassthroughCluster: the original destination, outside the registry. */
function passthrough(ctx: TraceCtx, req: HopRequest, carriesHttp: boolean, hop: HopTrace, proxyNs: string): HopResult {
  hop.cluster = 'PassthroughCluster';
  ctx.builtin.cluster ??= 'PassthroughCluster';
  const key = `${req.host}:${req.port}`;
  const a = ctx.assume.external?.[key] ?? {};
  const up = l4Request(req, carriesHttp);
  const h: Record<string, string> = { ':authority': up.authority, ':method': up.method, ':path': up.path };
  for (const [k, v] of up.headers) h[k] = v;
  ctx.upstreamHeaders = carriesHttp && !up.appTls ? h : null;
  ctx.finalDest = null;
  const inCluster = ctx.c.reg.services.find((s) => s.kind === 'Service' && s.vip && [s.hostname, `${s.name}.${s.namespace}`, `${s.name}.${s.namespace}.svc`].includes(req.host));
  const sameNs = ctx.c.reg.services.find((s) => s.kind === 'Service' && s.vip && s.name === req.host && s.namespace === proxyNs);
  const svc = inCluster ?? sameNs;
  if (svc && !svc.ports.some((p) => p.number === req.port)) {
    ctx.ex.add('endpoint', `PassthroughCluster sends to the ClusterIP of ${svc.hostname} on port ${req.port}, which the Service does not expose: the connection is refused`, svc.key, ['spec', 'ports']);
    return carriesHttp ? { ...localReply(503, ['UF'], hop.proxy), attempts: 1 } : localReply(null, ['UF'], hop.proxy, 0, 0, 'connection_reset');
  }
  if (!req.host.includes('.') && !svc) ctx.ex.add('endpoint', `note: "${req.host}" is not a service name in this namespace; in a cluster its DNS lookup would fail — here it is treated as an external host`);
  ctx.ex.add('endpoint', `PassthroughCluster forwards to the original destination ${key} (assumed ${a.behavior ?? `status ${a.status ?? 200}`})`);
  if (a.behavior) return localReply(null, [], `external ${key}`, a.latencyMs ?? 0, 0, a.behavior === 'reset' ? 'connection_reset' : 'connection_refused');
  const status = a.statusSequence?.length ? a.statusSequence[0] : a.status ?? 200;
  return { ...localReply(carriesHttp ? status : null, [], `external ${key}`, a.latencyMs ?? 0), attempts: 1 };
}

function l4Forward(ctx: TraceCtx, proxyId: string, req: HopRequest, d: Decision, hop: HopTrace, carriesHttp: boolean): HopResult {
  const dest = d.dest;
  if (!dest) return localReply(null, ['NC'], proxyId, 0, 0, 'connection_reset');
  hop.cluster = dest.cluster;
  ctx.finalDest = { service: dest.host, port: dest.port, subset: dest.subset, workload: null, cluster: dest.cluster };
  if (dest.missing) {
    ctx.ex.add('destination', `cluster ${dest.cluster} does not exist: ${dest.missing} → connection closed (NC)`, dest.resource, dest.path);
    return localReply(null, ['NC'], proxyId, 0, 0, 'connection_reset');
  }
  ctx.ex.add('destination', `${d.routeType.toUpperCase()} connection to cluster ${dest.cluster}`, dest.resource, dest.path);
  const eps = clusterEndpoints(dest);
  if (eps.length === 0) {
    ctx.ex.add('endpoint', `cluster ${dest.cluster} has no endpoints → connection closed (UH)`);
    return localReply(null, ['UH'], proxyId, 0, 0, 'connection_reset');
  }
  const ep = pickEndpoint(eps, new Set(), ctx.rng, true);
  ctx.ex.add('endpoint', `endpoint ${ep.workload ? `${ep.workload.name}.${ep.workload.namespace}` : ep.address}`);
  const tlsOut = { tls: null as UpstreamTls | null };
  const res = attemptUpstream(ctx, proxyId, dest, resolvePolicy(dest.dr, dest.port, dest.subsetDef), ep, l4Request(req, carriesHttp), tlsOut);
  hop.upstreamTls = describeTls(tlsOut.tls?.mode ?? null);
  hop.sni = tlsOut.tls?.sni ?? req.sni;
  if (res.failure) return { ...localReply(null, [res.failure === 'connect' ? 'UF' : 'UC'], proxyId, res.latencyMs, 0, 'connection_reset'), attempts: 1 };
  if (res.outcome !== 'response') return { ...localReply(null, [], res.responseFrom, res.latencyMs, 0, res.outcome), attempts: 1 };
  return { status: res.status, outcome: 'response', flags: res.flags ?? [], durationMs: res.latencyMs, delayMs: 0, attempts: 1, responseFrom: res.responseFrom, location: null, responseHeaders: res.responseHeaders ?? new Map() };
}

function autoPassthrough(ctx: TraceCtx, proxyId: string, req: HopRequest, hop: HopTrace): HopResult {
  const m = /^outbound_\.(\d+)_\.([^_]*)_\.(.+)$/.exec(req.sni ?? '');
  if (!m) {
    ctx.ex.add('rule', `AUTO_PASSTHROUGH needs an SNI of the form outbound_.<port>_.<subset>_.<host>; got ${req.sni ?? '(none)'} → connection closed`);
    return localReply(null, [], proxyId, 0, 0, 'connection_reset');
  }
  hop.cluster = `outbound|${m[1]}|${m[2]}|${m[3]}`;
  ctx.ex.add('rule', `AUTO_PASSTHROUGH: the SNI names cluster ${hop.cluster}`);
  return localReply(null, [], proxyId, 0, 0, 'response');
}

/** One proxy (sidecar outbound or gateway) handling a request. */
function proxyHop(ctx: TraceCtx, kind: 'sidecar' | 'gateway', proxy: SidecarProxy | GatewayProxy, req: HopRequest, carriesHttp: boolean, downstream: string): HopResult {
  const id = proxy.ref.id;
  const hop: HopTrace = { proxy: id, listenerPort: req.port, routeType: 'none', route: null, vhost: null, virtualService: null, matchedRule: null, cluster: null, downstreamTls: downstream, upstreamTls: null, sni: req.sni };
  ctx.hops.push(hop);
  ctx.ex.hop = ctx.hops.length - 1;
  if (++ctx.depth > MAX_HOPS) {
    ctx.ex.add('outcome', `more than ${MAX_HOPS} proxies: routing loop → connection closed`);
    return localReply(null, [], id, 0, 0, 'connection_reset');
  }
  const d = newDecision();
  if (kind === 'sidecar') decideSidecar(proxy as SidecarProxy, req, ctx.rng, d, ctx.ex);
  else decideGateway(proxy as GatewayProxy, req, ctx.rng, d, ctx.ex);
  hop.routeType = d.routeType;
  hop.route = d.table?.name ?? null;
  hop.vhost = d.vhost?.name ?? null;
  hop.virtualService = d.route?.resource ?? d.l4?.resource ?? null;
  hop.matchedRule = d.route?.label ?? d.l4?.label ?? null;
  const first = ctx.hops.length === 1;
  if (first) {
    ctx.builtin.route = hop.route;
    ctx.builtin.vhost = hop.vhost;
  }
  switch (d.kind) {
    case 'refused':
      return localReply(null, [], id, 0, 0, 'connection_refused');
    case 'reset':
      return localReply(null, [], id, 0, 0, 'connection_reset');
    case 'tls_failure':
      return localReply(null, [], id, 0, 0, 'tls_handshake_failure');
    case 'no_route':
      return localReply(404, ['NR'], id);
    case 'block_all':
      hop.cluster = null;
      ctx.ex.add('rule', 'virtual host block_all (outboundTrafficPolicy REGISTRY_ONLY) answers 502 directly', d.vhost?.noteRef?.resource ?? null, d.vhost?.noteRef?.path ?? null);
      return localReply(502, [], `${id} (block_all)`);
    case 'https_redirect': {
      const loc = `https://${req.host}${req.path}${req.queryString ? `?${req.queryString}` : ''}`;
      return { ...localReply(301, [], id), location: loc };
    }
    case 'redirect': {
      const r = d.route!.action.redirect!;
      const loc = redirectLocation(r, { scheme: req.scheme, authority: req.authority, path: req.path, query: req.queryString, listenerPort: req.port });
      ctx.ex.add('rule', `redirect ${r.code} to ${loc}`, d.route!.resource, [...d.route!.rulePath, 'redirect']);
      return { ...localReply(r.code, [], id), location: loc };
    }
    case 'direct': {
      const dr = d.route!.action.direct!;
      ctx.ex.add('rule', `directResponse ${dr.status}${dr.body ? ` with body "${dr.body.slice(0, 60)}"` : ''}`, d.route!.resource, [...d.route!.rulePath, 'directResponse']);
      return localReply(dr.status, [], id);
    }
    case 'passthrough':
      return passthrough(ctx, req, carriesHttp, hop, proxy.ref.namespace);
    case 'blackhole':
      hop.cluster = 'BlackHoleCluster';
      ctx.builtin.cluster ??= 'BlackHoleCluster';
      return localReply(null, [], id, 0, 0, 'connection_reset');
    case 'tcp':
      return l4Forward(ctx, id, req, d, hop, carriesHttp);
    case 'auto_passthrough':
      return autoPassthrough(ctx, id, req, hop);
    case 'route':
      return httpForward(ctx, id, kind === 'sidecar', req, d, hop);
  }
}

/** What a gateway reached from another proxy sees: its proxy, the request on its listener and the downstream TLS (also for the load simulator). */
export function gatewayRequest(c: CompiledMesh, ep: Endpoint, port: number, up: UpstreamRequest, tls: UpstreamTls): { proxy: GatewayProxy; req: HopRequest; downstream: string } {
  const proxy = gatewayProxy(c, ep.workload!);
  const downstreamTls = tls.mode === 'istio_mtls' ? 'istio_mtls' : tls.mode === 'tls' ? 'tls' : tls.mode === 'tls_client_cert' ? 'tls_client_cert' : up.appTls ? 'tls' : null;
  const req = makeHopRequest({
    protocol: up.appTls ? 'tls' : up.protocol,
    port,
    authority: up.authority,
    path: up.path,
    method: up.method,
    scheme: downstreamTls && !up.appTls ? 'https' : up.scheme,
    headers: up.headers,
    sni: tls.sni ?? up.sni,
    downstreamTls,
  });
  return { proxy, req, downstream: describeTls(up.appTls && tls.mode === 'plaintext' ? 'app_tls' : tls.mode) };
}

/** A gateway reached from another proxy (e.g. a sidecar sending to the egress gateway). */
function gatewayHop(ctx: TraceCtx, ep: Endpoint, port: number, up: UpstreamRequest, tls: UpstreamTls): HopResult {
  const { proxy, req, downstream } = gatewayRequest(ctx.c, ep, port, up, tls);
  return proxyHop(ctx, 'gateway', proxy, req, up.carriesHttp, downstream);
}

/** A client without sidecar: kube-proxy picks an endpoint of the Service; no Envoy routing. */
function plainClient(ctx: TraceCtx, req: HopRequest, w: import('./registry').Workload, carriesHttp: boolean): HopResult {
  const dest = plainDest(ctx.c, w, req.host, req.port);
  const from = `${w.name}.${w.namespace}`;
  ctx.ex.add('listener', `${from} has no sidecar: the request goes straight to ${req.host}:${req.port}; VirtualServices and DestinationRules do not apply`);
  if (!dest) {
    const svcName = ctx.c.reg.services.find((s) => s.kind === 'Service' && (s.name === req.host || s.hostname === req.host || `${s.name}.${s.namespace}` === req.host));
    if (svcName) {
      ctx.ex.add('outcome', `Service ${svcName.hostname} has no port ${req.port} → connection refused`, svcName.key, ['spec', 'ports']);
      return localReply(null, [], from, 0, 0, 'connection_refused');
    }
    const hop: HopTrace = { proxy: from, listenerPort: req.port, routeType: 'none', route: null, vhost: null, virtualService: null, matchedRule: null, cluster: null, downstreamTls: 'plaintext', upstreamTls: null, sni: req.sni };
    return passthrough(ctx, req, carriesHttp, hop, w.namespace);
  }
  ctx.finalDest = { service: dest.host, port: dest.port, subset: '', workload: null, cluster: dest.cluster };
  const eps = clusterEndpoints(dest);
  if (eps.length === 0) {
    ctx.ex.add('outcome', `Service ${dest.host} has no ready endpoints → connection refused`, dest.service?.key ?? null, ['spec', 'selector']);
    return localReply(null, [], from, 0, 0, 'connection_refused');
  }
  const ep = pickEndpoint(eps, new Set(), ctx.rng, true);
  const sp = portOfService(dest.service!, dest.port)!;
  ctx.ex.add('endpoint', `kube-proxy picks ${ep.workload ? `${ep.workload.name}.${ep.workload.namespace}` : ep.address}:${endpointPort(dest.service!, sp, ep)}`);
  const res = attemptUpstream(ctx, null, dest, null, ep, l4Request(req, carriesHttp), { tls: null });
  if (res.outcome !== 'response') return localReply(null, [], res.responseFrom, res.latencyMs, 0, res.outcome);
  return { status: res.status, outcome: 'response', flags: res.flags ?? [], durationMs: res.latencyMs, delayMs: 0, attempts: 1, responseFrom: res.responseFrom, location: null, responseHeaders: new Map() };
}

/** Routes one request through the mesh and explains every step. Throws EngineInputError for bad input. */
export function trace(c: CompiledMesh, input: RequestInput, opts: TraceOptions = {}): Trace {
  const prep = prepare(c, input);
  const ex = new Explainer();
  for (const i of c.issues) ex.add('config', i.message, i.resource, i.path);
  const m = c.mesh;
  ex.add('config', `mesh: outboundTrafficPolicy ${m.outboundTrafficPolicy.mode}, auto mTLS ${m.enableAutoMtls ? 'on' : 'off'}, root namespace ${m.rootNamespace}${m.origin.overridden.length ? ` (set: ${m.origin.overridden.join(', ')})` : ' (Istio defaults)'}`, m.origin.resource ?? null, ['data', 'mesh']);
  const ctx: TraceCtx = {
    c, ex, rng: opts.rng ?? createRng(opts.seed ?? 1), assume: input.assume ?? {}, hops: [], counters: new Map(), mirrors: [], depth: 0,
    finalDest: null, upstreamHeaders: null, builtin: { cluster: null, route: null, vhost: null }, gatewayHop,
  };
  const carriesHttp = (input.request.protocol ?? 'http') === 'http';
  const s = prep.source;
  let res: HopResult;
  if (s.kind === 'sidecar') {
    ex.add('source', `source ${s.workload.name}.${s.workload.namespace} with sidecar (${s.reason})`, s.workload.key, ['metadata', 'name']);
    res = proxyHop(ctx, 'sidecar', s.proxy, prep.hop, carriesHttp, prep.hop.protocol === 'tls' ? describeTls('app_tls') : 'plaintext');
  } else if (s.kind === 'gateway') {
    ex.add('source', s.listenerPort === 0
      ? `external client → gateway Service ${s.service.namespace}/${s.service.name} port ${s.servicePort}: the Service exposes no such port`
      : `external client → gateway Service ${s.service.namespace}/${s.service.name} port ${s.servicePort} → ${s.workload.name} listener port ${s.listenerPort}${s.listenerPort !== s.servicePort ? ' (Service targetPort)' : ''}`, s.service.key, ['spec', 'ports']);
    res = proxyHop(ctx, 'gateway', s.proxy, prep.hop, carriesHttp, prep.hop.downstreamTls ? 'TLS from the client' : 'plaintext');
  } else {
    ex.add('source', `source ${s.workload.name}.${s.workload.namespace} without sidecar (${s.reason})`, s.workload.key, ['metadata', 'name']);
    res = plainClient(ctx, prep.hop, s.workload, carriesHttp);
  }
  ex.hop = -1;
  // Steps about built-in resources (e.g. Istio's default gateway Service) point at nothing in the YAML.
  for (const st of ex.steps) {
    if (st.resource && !c.model.byKey.has(st.resource)) {
      delete st.resource;
      delete st.path;
    }
  }
  const statusText = res.status !== null ? `${res.status}${res.flags.length ? ` ${res.flags.join(',')}` : ''}` : res.outcome.replace(/_/g, ' ');
  ex.add('outcome', `outcome: ${statusText} from ${res.responseFrom} after ${Math.round(res.durationMs * 1000) / 1000} ms${res.attempts > 1 ? ` (${res.attempts} upstream attempts)` : ''}${res.location ? `, Location: ${res.location}` : ''}`);
  return {
    status: res.status,
    outcome: res.outcome,
    flags: res.flags,
    destination: ctx.finalDest,
    delayMs: res.delayMs,
    durationMs: res.durationMs,
    upstreamAttempts: res.attempts,
    mirroredTo: ctx.mirrors,
    location: res.location,
    responseFrom: res.responseFrom,
    requestHeadersAtUpstream: ctx.upstreamHeaders,
    responseHeaders: Object.fromEntries(res.responseHeaders),
    hops: ctx.hops,
    cluster: ctx.builtin.cluster,
    route: ctx.builtin.route,
    vhost: ctx.builtin.vhost,
    explanation: ex.steps,
  };
}
