/**
 * What a proxy does after choosing an HTTP route: fault delay and abort, rewrites and header
 * operations, mirrors, DestinationRule policy, then the router's timeout/retry loop over the
 * cluster's endpoints (§10 of the semantics reference).
 */
import { applyCors } from './cors';
import type { Decision, HopRequest } from './decide';
import { resolvePolicy, type ResolvedPolicy } from './destinationrule';
import { formatMs } from './duration';
import { applyHeaderOps, type RetryPolicy } from './policy';
import type { Endpoint } from './registry';
import type { CompiledDest, CompiledRoute } from './routes';
import { describeTls } from './tls';
import { attemptUpstream, clusterEndpoints, pickEndpoint, type AttemptResult, type HopResult, type TraceCtx, type UpstreamRequest } from './upstream';
import type { HopTrace } from './types';

export function localReply(status: number | null, flags: string[], from: string, durationMs = 0, delayMs = 0, outcome: HopResult['outcome'] = 'response'): HopResult {
  return { status, outcome, flags, durationMs, delayMs, attempts: 0, responseFrom: from, location: null, responseHeaders: new Map() };
}

/** Draws a percentage (0–100); 0 and 100 consume no random number. */
function draw(ctx: TraceCtx, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return ctx.rng.next() * 100 < percent;
}

function rewritePath(rt: CompiledRoute, path: string, query: string): string {
  const rw = rt.action.rewrite;
  let p = path;
  if (rw?.regex) p = rw.regex.re.matcher(p).replaceAll(rw.regex.rewrite.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1'));
  else if (rw?.uri !== null && rw?.uri !== undefined) {
    const u = rt.match?.uri;
    if (!u) p = rw.uri + p.slice(1);
    else if (u.kind === 1) p = rw.uri + p.slice(u.value.length);
    else p = rw.uri;
  }
  return query ? `${p}?${query}` : p;
}

/** The request forwarded upstream: rewrites, then header operations in Envoy's order. */
export function upstreamRequest(req: HopRequest, rt: CompiledRoute, dest: CompiledDest, multi: boolean): UpstreamRequest {
  const a = rt.action;
  const headers = new Map<string, string>();
  for (const [k, v] of req.headers) if (!k.startsWith(':')) headers.set(k, v);
  const levels = multi ? [dest.headers, a.headers] : [a.headers, dest.headers];
  for (const l of levels) applyHeaderOps(headers, l?.request ?? null);
  const authority = a.rewrite?.authority ?? a.headers?.authority ?? dest.headers?.authority ?? req.authority;
  return { protocol: 'http', authority, path: rewritePath(rt, req.path, req.queryString), method: req.method, scheme: req.scheme, headers, carriesHttp: true, appTls: false, sni: null };
}

/** Whether an attempt's result is retriable under the policy (shared with the load simulator). */
export function isRetriable(r: RetryPolicy, res: AttemptResult, perTryTimeout: boolean): boolean {
  const on = r.on;
  if (perTryTimeout) return on.has('5xx') || on.has('gateway-error') || on.has('reset');
  if (res.failure === 'connect') return on.has('connect-failure') || on.has('5xx') || on.has('gateway-error') || on.has('reset');
  if (res.failure === 'reset') return on.has('5xx') || on.has('gateway-error') || on.has('reset');
  const s = res.status ?? 0;
  if (on.has('5xx') && s >= 500) return true;
  if (on.has('gateway-error') && (s === 502 || s === 503 || s === 504)) return true;
  if (on.has('retriable-4xx') && s === 409) return true;
  return on.has('retriable-status-codes') && r.statusCodes.includes(s);
}

function explainPolicy(ctx: TraceCtx, p: ResolvedPolicy): void {
  for (const k of ['loadBalancer', 'connectionPool', 'outlierDetection'] as const) {
    const v = p[k];
    if (!v) continue;
    const note = k === 'connectionPool' ? ' — limits apply per client proxy to the whole cluster; one request alone never exceeds them'
      : k === 'outlierDetection' ? ' — ejection needs consecutive errors over time; a single request is not affected'
        : '';
    ctx.ex.add('policy', `${k} from DestinationRule ${v.resource} (${v.level}): ${JSON.stringify(v.value)}${note}`, v.resource, v.path);
  }
}

export function httpForward(ctx: TraceCtx, proxyId: string, isSidecar: boolean, req: HopRequest, d: Decision, hop: HopTrace): HopResult {
  const { ex } = ctx;
  const rt = d.route!;
  const a = rt.action;
  const dest = d.dest;
  if (!dest) return localReply(503, ['NC'], proxyId);
  hop.cluster = dest.cluster;
  ctx.finalDest = { service: dest.host, port: dest.port, subset: dest.subset, workload: null, cluster: dest.cluster };
  if (!dest.missing) ex.add('destination', `destination ${dest.host} port ${dest.port}${dest.subset ? ` subset ${dest.subset}` : ''} → cluster ${dest.cluster}`, dest.resource, dest.path.length ? [...dest.path, 'destination'] : dest.service?.hostPath ?? null);
  if (dest.subsetDef && !dest.missing) ex.add('subset', `subset ${dest.subset} selects pods with labels ${JSON.stringify(dest.subsetDef.labels)}`, dest.subsetDef.resource, dest.subsetDef.path);

  // Fault filter: delay, then abort — before the router.
  const flags: string[] = [];
  let t = 0;
  let delayMs = 0;
  const f = a.fault;
  if (f?.delay) {
    const hit = draw(ctx, f.delay.percent);
    ex.add('fault', `fault delay ${formatMs(f.delay.ms)} for ${f.delay.percent}% of requests: ${hit ? 'injected' : 'not injected'}${f.delay.percent === 0 ? ' (percentage omitted or 0: no request is delayed)' : ''}`, f.resource, f.delay.path);
    if (hit) {
      t += f.delay.ms;
      delayMs = f.delay.ms;
      flags.push('DI');
    }
  }
  if (f?.abort) {
    const hit = draw(ctx, f.abort.percent);
    ex.add('fault', `fault abort ${f.abort.status}${f.abort.grpc ? ` (grpc-status ${f.abort.grpc})` : ''} for ${f.abort.percent}% of requests: ${hit ? 'injected — answered by the proxy; no upstream contact, no retry, no mirror' : 'not injected'}${f.abort.percent === 0 ? ' (percentage omitted or 0: no request is aborted)' : ''}`, f.resource, f.abort.path);
    if (hit) return localReply(f.abort.status, [...flags, 'FI'], `${proxyId} (fault abort)`, t, delayMs);
  }

  // CORS filter: after faults, before the router.
  let corsHeaders: Map<string, string> | null = null;
  if (a.cors) {
    const r = applyCors(a.cors, req.method, req.headers);
    if (r.kind === 'preflight') {
      ex.add('policy', `CORS preflight from allowed origin ${req.headers.get('origin')}: answered by the proxy with 200 and Access-Control-Allow-* headers`, a.cors.resource, a.cors.path);
      return { ...localReply(200, flags, `${proxyId} (CORS preflight)`, t, delayMs), responseHeaders: r.headers };
    }
    if (r.kind === 'preflight_ignored') {
      ex.add('policy', `CORS preflight from an origin that is not allowed: unmatchedPreflights IGNORE → answered by the proxy without CORS headers`, a.cors.resource, a.cors.path);
      return localReply(200, flags, `${proxyId} (CORS)`, t, delayMs);
    }
    if (r.kind === 'actual') corsHeaders = r.headers;
    ex.add('policy', req.headers.has('origin') ? `CORS: origin ${req.headers.get('origin')} is ${corsHeaders ? 'allowed: the response gets Access-Control-Allow-Origin' : 'not allowed: no CORS headers are added (the browser blocks the response)'}` : 'CORS policy present; the request has no Origin header', a.cors.resource, a.cors.path);
  }

  // The router: a missing cluster is only noticed here, after the fault and CORS filters.
  if (dest.missing) {
    ex.add('destination', `cluster ${dest.cluster} does not exist: ${dest.missing} → 503 NC`, dest.resource, dest.path);
    return localReply(503, [...flags, 'NC'], proxyId, t, delayMs);
  }
  const up = upstreamRequest(req, rt, dest, a.dests.length > 1);
  if (a.rewrite || a.headers || dest.headers) ex.add('headers', `forwarded as ${up.method} ${up.authority}${up.path}${a.rewrite ? ' (rewritten)' : ''}`, rt.resource, rt.rulePath);
  for (const m of a.mirrors) {
    const hit = draw(ctx, m.percent);
    const shadow = up.authority.replace(/^([^:]+)/, '$1-shadow');
    ex.add('mirror', `mirror to ${m.dest.host} (${m.percent}%): ${hit ? `copy sent with authority ${shadow}, response ignored` : 'not mirrored'}${m.dest.missing ? ` — ${m.dest.missing}` : ''}`, m.dest.resource, m.dest.path);
    if (hit) ctx.mirrors.push({ service: m.dest.host, authority: shadow, cluster: m.dest.cluster });
  }

  const policy = resolvePolicy(dest.dr, dest.port, dest.subsetDef);
  if (dest.dr) ex.add('policy', `DestinationRule ${dest.dr.keys.map((k) => k.slice(k.indexOf('/') + 1)).join(' + ')} applies to ${dest.host} for ${proxyId}`, dest.dr.keys[0], ['spec', 'host']);
  explainPolicy(ctx, policy);
  const eps = clusterEndpoints(dest);
  if (eps.length === 0) {
    ex.add('endpoint', `cluster ${dest.cluster} has no endpoints${dest.subsetDef ? ` (no pod has labels ${JSON.stringify(dest.subsetDef.labels)})` : ''} → 503 UH "no healthy upstream"`, dest.subsetDef?.resource ?? dest.service?.key ?? null, dest.subsetDef?.path ?? dest.service?.hostPath ?? null);
    return localReply(503, [...flags, 'UH'], proxyId, t, delayMs);
  }

  let timeoutMs = a.timeoutMs;
  const override = isSidecar ? Number(req.headers.get('x-envoy-upstream-rq-timeout-ms')) : NaN;
  if (Number.isFinite(override) && override > 0) {
    timeoutMs = override;
    ex.add('policy', `x-envoy-upstream-rq-timeout-ms: ${override} overrides the route timeout (sidecars honour it)`);
  } else ex.add('policy', timeoutMs === null ? 'no route timeout (Istio disables HTTP timeouts by default)' : `route timeout ${formatMs(timeoutMs)}, covering all attempts and starting after any injected delay`, timeoutMs === null ? null : rt.resource, timeoutMs === null ? null : [...rt.rulePath, 'timeout']);
  const retry = a.retry;
  ex.add('policy', retry ? `retries: up to ${retry.attempts} on ${[...retry.on].join(',')}${retry.statusCodes.length ? ` (status ${retry.statusCodes.join(',')})` : ''}${retry.perTryTimeoutMs ? `, perTryTimeout ${formatMs(retry.perTryTimeoutMs)}` : ''}${retry.isDefault ? ' — mesh default policy (an upstream 503 is not retried)' : ''}` : 'no retries', retry?.resource ?? null, retry?.path ?? null);

  const deadline = timeoutMs !== null ? t + timeoutMs : Infinity;
  const maxAttempts = 1 + (retry?.attempts ?? 0);
  const tried = new Set<Endpoint>();
  const hashed = !!(policy.loadBalancer?.value as { consistentHash?: unknown } | undefined)?.consistentHash;
  const hopMark = ctx.hops.length;
  let attempts = 0;
  let res: AttemptResult | null = null;
  let perTry = false;
  let exhausted = false;
  const tlsOut = { tls: null as import('./tls').UpstreamTls | null };
  for (;;) {
    ctx.hops.length = hopMark;
    attempts++;
    const ep = pickEndpoint(eps, tried, ctx.rng, !hashed && (retry?.ignorePreviousHosts ?? true));
    tried.add(ep);
    ex.hop = ctx.hops.indexOf(hop);
    ex.add('endpoint', `attempt ${attempts}: endpoint ${ep.workload ? `${ep.workload.name}.${ep.workload.namespace}` : ep.address} (${eps.length} endpoint${eps.length > 1 ? 's' : ''} in the cluster)`, ep.workload?.key ?? null, ep.workload ? ['metadata', 'name'] : null);
    res = attemptUpstream(ctx, proxyId, dest, policy, ep, up, tlsOut);
    ex.hop = ctx.hops.indexOf(hop);
    hop.upstreamTls = describeTls(tlsOut.tls?.mode ?? null);
    hop.sni = tlsOut.tls?.sni ?? null;
    let lat = res.latencyMs;
    perTry = retry?.perTryTimeoutMs != null && lat > retry.perTryTimeoutMs;
    if (perTry) lat = retry!.perTryTimeoutMs!;
    if (t + lat > deadline) {
      ex.add('attempt', `route timeout ${formatMs(timeoutMs!)} expires during attempt ${attempts} → 504 UT (never retried)`, rt.resource, [...rt.rulePath, 'timeout']);
      return { ...localReply(504, [...flags, 'UT'], proxyId, deadline, delayMs), attempts };
    }
    t += lat;
    const summary = perTry ? `per-try timeout ${formatMs(retry!.perTryTimeoutMs!)} (504 UT)` : res.failure === 'connect' ? 'connection failure (UF)' : res.failure === 'reset' ? 'reset before response (UC)' : `${res.status ?? 'data'} after ${formatMs(res.latencyMs)}`;
    const retriable = retry !== null && isRetriable(retry, res, perTry);
    if (!retriable || attempts >= maxAttempts) {
      exhausted = retriable;
      const failed = perTry || res.failure !== null || (res.status ?? 0) >= 500;
      ex.add('attempt', `attempt ${attempts}: ${summary}${retriable ? ' — retriable, but no retries left (URX)' : failed ? (retry ? ' — not retriable under this policy' : ' — no retry policy') : ''}`);
      break;
    }
    const n = attempts;
    const backoff = ctx.rng.nextInt(Math.min((2 ** n - 1) * retry!.backoffBaseMs, 10 * retry!.backoffBaseMs));
    ex.add('attempt', `attempt ${attempts}: ${summary} — retriable: retry ${n} after ${backoff} ms back-off`, retry!.resource, retry!.path);
    if (t + backoff >= deadline) {
      ex.add('attempt', `route timeout ${formatMs(timeoutMs!)} expires during back-off → 504 UT`, rt.resource, [...rt.rulePath, 'timeout']);
      return { ...localReply(504, [...flags, 'UT'], proxyId, deadline, delayMs), attempts };
    }
    t += backoff;
  }
  const urx = exhausted ? ['URX'] : [];
  let out: HopResult;
  if (perTry) out = localReply(504, [...flags, 'UT', ...urx], proxyId, t, delayMs);
  else if (res!.failure === 'connect') out = localReply(503, [...flags, 'UF', ...urx], proxyId, t, delayMs);
  else if (res!.failure === 'reset') out = localReply(503, [...flags, 'UC', ...urx], proxyId, t, delayMs);
  else out = { status: res!.status, outcome: 'response', flags: [...new Set([...flags, ...(res!.flags ?? []), ...urx])], durationMs: t, delayMs, attempts, responseFrom: res!.responseFrom, location: null, responseHeaders: res!.responseHeaders ?? new Map() };
  out.attempts = attempts;
  const respLevels = a.dests.length > 1 ? [dest.headers, a.headers] : [a.headers, dest.headers];
  for (const l of respLevels) applyHeaderOps(out.responseHeaders, l?.response ?? null);
  if (corsHeaders) for (const [k, v] of corsHeaders) out.responseHeaders.set(k, v);
  return out;
}
