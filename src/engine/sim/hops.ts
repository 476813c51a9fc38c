/**
 * Proxies past the first: a request its first proxy sends to a gateway's pod is routed again by
 * that gateway (the egress pattern: sidecar → egress gateway → external host; or a chain of
 * gateways). So that per-edge counts cover every hop a trace takes, the gateway's routing decision
 * is taken from the engine once per (template destination, gateway workload), as the trace makes
 * it (`attemptUpstream` for the port and TLS, `gatewayRequest` and `decideGateway` for the
 * request on the gateway's listener), and only its weighted draw is repeated per request.
 *
 * The gateway pod still answers as the modelled upstream: its own local replies, pools and the
 * behaviour of what lies behind it are not simulated; an answered request is counted on the
 * gateway's edges with the status and latency its caller saw.
 */
import { decideGateway, newDecision } from '../decide';
import { resolvePolicy, type ResolvedPolicy } from '../destinationrule';
import { localReply, upstreamRequest } from '../forward';
import type { Endpoint } from '../registry';
import { createRng } from '../rng';
import { pickWeighted, type CompiledDest } from '../routes';
import { gatewayRequest } from '../trace';
import { attemptUpstream, clusterEndpoints, type UpstreamRequest } from '../upstream';
import type { SimCore } from './core';
import type { Pod } from './pool';
import type { DestInfo, EdgeRec, Req } from './records';
import { edgeFor, upstreamOf } from './topology';
import { l4Upstream, traceCtx } from './transport';

/** One gateway's routing of what reaches it: the edge of each destination, the weights, the gateway each destination leads to. */
export class GatewayHop {
  constructor(
    readonly edges: ReadonlyArray<EdgeRec | null>,
    /** Cumulative weights when the route splits (null: one destination). */
    readonly cum: Int32Array | null,
    readonly total: number,
    readonly next: ReadonlyArray<GatewayHop | null>,
  ) {}
}

/** More gateways in a row than this is a loop (the trace stops at 8 proxies). */
const MAX_GATEWAYS = 7;

/** The gateway `fromProxy` reaches at endpoint `ep` of `dest`, as a routing plan; null when `ep` is not a gateway or it routes nowhere. */
function planAt(s: SimCore, fromProxy: string, dest: CompiledDest, policy: ResolvedPolicy | null, ep: Endpoint, up: UpstreamRequest, depth: number): GatewayHop | null {
  if (!ep.workload?.gateway || depth > MAX_GATEWAYS) return null;
  let plan: GatewayHop | null = null;
  const ctx = traceCtx(s.mesh, {}, (_ctx, gep, port, gup, tls) => {
    plan = gatewayPlan(s, gep, port, gup, tls, depth);
    return localReply(200, [], 'gateway');
  });
  attemptUpstream(ctx, fromProxy, dest, policy, ep, up, { tls: null });
  return plan;
}

function gatewayPlan(s: SimCore, ep: Endpoint, port: number, up: UpstreamRequest, tls: Parameters<typeof gatewayRequest>[4], depth: number): GatewayHop | null {
  const { proxy, req } = gatewayRequest(s.mesh, ep, port, up, tls);
  const d = newDecision();
  decideGateway(proxy, req, createRng(1), d, null);
  const w = d.kind === 'route' ? d.route!.action : d.kind === 'tcp' ? d.l4 : null;
  if (w === null || w.dests.length === 0) return null;
  const label = `gateway ${ep.workload!.name}.${ep.workload!.namespace}`;
  const edges: Array<EdgeRec | null> = [];
  const next: Array<GatewayHop | null> = [];
  for (const dest of w.dests) {
    edges.push(edgeFor(s, dest, false, 'gateway', [label]));
    const gw = dest.missing ? undefined : clusterEndpoints(dest).find((e) => e.workload?.gateway);
    const fwd = gw === undefined ? null : d.kind === 'route' ? upstreamRequest(req, d.route!, dest, w.dests.length > 1) : l4Upstream(req, up.carriesHttp);
    next.push(gw === undefined || fwd === null ? null : planAt(s, label, dest, resolvePolicy(dest.dr, dest.port, dest.subsetDef), gw, fwd, depth + 1));
  }
  return new GatewayHop(edges, w.dests.length > 1 ? w.cum : null, w.total, next);
}

/** The first gateway of a request answered by gateway pod `pod` after its first proxy routed it to `di`. */
function firstGateway(s: SimCore, r: Req, di: DestInfo, pod: Pod): GatewayHop | null {
  const dest = di.dest!;
  const ep = clusterEndpoints(dest).find((e) => e.workload !== null && `${e.workload.namespace}/${e.workload.name}` === pod.workload);
  if (ep === undefined) return null;
  return planAt(s, r.tpl!.insts[r.instIdx].label, dest, s.plans.get(dest)?.policy ?? null, ep, upstreamOf(r, dest), 0);
}

/** Counts a request answered through gateway pod `pod` on the edges of every gateway it went through (`lat` < 0: not timed, a mirror). */
export function throughGateways(s: SimCore, r: Req, pod: Pod, st: number, lat: number): void {
  const di = r.di!;
  const plans = (di.gateways ??= new Map());
  let h = plans.get(pod.wIdx);
  if (h === undefined) plans.set(pod.wIdx, (h = firstGateway(s, r, di, pod)));
  for (let depth = 0; h !== null && depth <= MAX_GATEWAYS; depth++) {
    const j = h.cum === null ? 0 : pickWeighted(h.cum, h.total, s.rng);
    const e = h.edges[j];
    if (e !== null) {
      e.requests++;
      if (st >= 500) e.errors++;
      else if (st >= 400) e.clientErrors++;
      if (lat >= 0) e.add(lat);
    }
    h = h.next[j];
  }
}
