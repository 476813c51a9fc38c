/**
 * Proxies past the first: a request a proxy sends to a gateway's pod (the egress pattern: sidecar
 * → egress gateway → external host; or a chain of gateways) is handled by that gateway's own proxy
 * as a request of its own, nested in the caller's attempt: routed by the gateway's VirtualService,
 * then its router (faults, mirrors, route timeout, retries) and its clusters (connection pools,
 * outlier detection), with the gateway's Envoy stats and ejection events. The gateway proxy is one
 * per gateway pod, shared by every caller, as in a real gateway.
 *
 * How the gateway sees the request is worked out once per (caller destination, gateway workload),
 * as the trace does (`attemptUpstream` for the port and TLS, `gatewayRequest` for the request on
 * the gateway's listener), and kept as a template of the gateway's (`Tpl`), which routing.ts
 * routes as it does a first proxy's. The caller's attempt ends when the gateway's handling does,
 * with its answer: status, the flags of its answer (semantics reference §11: those of the proxy
 * that produced it), or a reset or refused connection. A caller that gives up on the attempt
 * (per-try or route timeout) resets it, and the gateway stops handling it (attempt.ts).
 */
import { resolvePolicy } from '../destinationrule';
import { localReply } from '../forward';
import type { ResolvedSource } from '../prepare';
import { gatewayRequest } from '../trace';
import { attemptUpstream, clusterEndpoints } from '../upstream';
import { EV_HOP, EV_RESPONSE, FAIL_CONNECT, FAIL_NONE, FAIL_RESET, ST_REFUSED, ST_RESET, ST_TLS_FAIL } from './codes';
import type { SimCore } from './core';
import type { Pod } from './pool';
import { Tpl, type Req } from './records';
import { proxyInsts, upstreamOf } from './topology';
import { traceCtx } from './transport';

/** More gateways in a row than this is a loop: the trace closes the connection at the 9th proxy. */
const MAX_GATEWAYS = 7;

/** How the gateway of pod `pod` sees what `r` sends it: its template, made once per caller destination, gateway workload and mirroring. */
function hopTpl(s: SimCore, r: Req, pod: Pod): Tpl {
  const di = r.di!;
  const key = pod.wIdx * 2 + (r.isMirror ? 1 : 0);
  const known = (di.gateways ??= new Map()).get(key);
  if (known !== undefined) return known;
  const dest = di.dest!;
  const from = r.tpl!;
  const ep = clusterEndpoints(dest).find((e) => e.workload !== null && `${e.workload.namespace}/${e.workload.name}` === pod.workload)!;
  const fromProxy = from.kind === 'plain' ? null : from.insts[r.instIdx].label;
  const made: Tpl[] = [];
  const ctx = traceCtx(s.mesh, {}, (_ctx, gep, port, up, tls) => {
    const { proxy, req } = gatewayRequest(s.mesh, gep, port, up, tls);
    const w = gep.workload!;
    const source: ResolvedSource = { kind: 'gateway', workload: w, proxy, service: dest.service!, servicePort: dest.port, listenerPort: port };
    made.push(new Tpl(from.group, `${from.name} → ${w.name}.${w.namespace}`, { input: from.prep.input, source, hop: req }, 'gateway', proxyInsts(s, 'gateway', w), up.carriesHttp, NaN));
    return localReply(200, [], 'gateway');
  });
  attemptUpstream(ctx, fromProxy, dest, fromProxy === null ? null : resolvePolicy(dest.dr, dest.port, dest.subsetDef), ep, upstreamOf(r, dest), { tls: null });
  const t = made[0];
  di.gateways.set(key, t);
  for (const p of t.insts) from.group.proxies.add(p.label);
  return t;
}

/** `r`'s attempt reaches gateway pod `pod`: the gateway gets the request `hop` later and handles it as a request of its own (EV_HOP, routing.ts `startHop`). */
export function toGateway(s: SimCore, r: Req, pod: Pod): void {
  const c = s.allocReq();
  c.parent = r;
  r.child = c;
  c.depth = r.depth + 1;
  c.group = r.group;
  c.clientIdx = r.clientIdx;
  c.t0 = s.now;
  c.instIdx = pod.replica;
  // The caller's connection is served by one of the gateway's worker threads.
  c.worker = (r.conn >= 0 ? r.conn : r.clientIdx) % s.workers;
  c.tpl = c.depth > MAX_GATEWAYS ? null : hopTpl(s, r, pod);
  s.q.at = s.now + s.hop;
  s.q.push(EV_HOP, c.id, c.gen);
}

/** Whether a gateway's request serves a mirror (whose latency no edge records). */
function mirrored(c: Req): boolean {
  let r = c;
  while (r.parent !== null) r = r.parent;
  return r.isMirror;
}

/**
 * The gateway's handling of `c` has ended with status `st` (counted on its edge by finish.ts): the
 * caller's attempt gets the answer `hop` later, unless the caller gave up on it.
 */
export function hopDone(s: SimCore, c: Req, st: number): void {
  const p = c.parent!;
  if (p.child === c) {
    p.child = null;
    if (c.di !== null && c.di.edge >= 0 && !mirrored(c)) s.edgeLog.latency(s.now - c.t0 + s.hop);
    p.attStatus = st;
    if (st === ST_RESET || st === ST_REFUSED || st === ST_TLS_FAIL) p.attFailure = st === ST_RESET ? FAIL_RESET : FAIL_CONNECT;
    else {
      p.attFailure = FAIL_NONE;
      p.attFlags = c.flags;
      p.overloaded = c.overloaded;
      p.answeredIdx = c.answeredIdx;
    }
    s.q.at = s.now + s.hop;
    s.q.push(EV_RESPONSE, p.id, p.attGen);
  }
  s.releaseReq(c);
}
