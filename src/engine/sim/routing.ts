/**
 * A request at its first proxy (or at a gateway another proxy sent it to): the routing decision,
 * then the router (semantics reference §10).
 *
 * Routing is cached per request template: matching is a pure function of the prepared request and
 * the proxy's tables, so the engine's `route()` runs once per template and its decision is kept on
 * the template (`memoise`); only the weighted destination draw is repeated per request, with the
 * engine's own weight table and `pickWeighted` (which consumes random numbers exactly as `route()`
 * does, so results do not depend on whether a decision was cached).
 *
 * The router: fault delay (DI) and abort (FI), the cluster, mirrors (never answered to the
 * caller), no healthy upstream (UH), the route timeout, the hash key for consistent hashing, and
 * the first attempt.
 */
import { route } from '../route';
import { pickWeighted, type CompiledDest, type CompiledRoute } from '../routes';
import type { Decision } from '../decide';
import { attempt } from './attempt';
import { type ClusterState } from './cluster';
import { HEADER, H_LB, H_NHOSTS, H_POOL_BASE, LB_HASH } from './header';
import { PS } from './pool';
import { ST_CX_NONE_HEALTHY } from './stats';
import {
  A_DELAY, EV_ROUTER, EV_TIMEOUT, F_DI, F_FI, F_NC, F_NR, F_UH, M_HTTP, ST_CONNECTED, ST_REFUSED, ST_RESET, ST_TLS_FAIL,
} from './codes';
import type { SimCore } from './core';
import { l4Route, passthrough, plainRequest } from './direct';
import { finish } from './finish';
import { hashKey } from './hashkey';
import type { DestInfo, Group, Req, Tpl } from './records';
import { retryTable } from './retry';
import { clusterFor, destInfo } from './topology';

/** The template of a request, drawn by weight. */
function pickTpl(s: SimCore, g: Group): Tpl {
  const n = g.tpls.length;
  if (n === 1) return g.tpls[0];
  if (g.uniform) return g.tpls[s.rng.nextInt(n)];
  const r = s.rng.next() * g.totalWeight;
  const cum = g.cum;
  for (let i = 0; i < n; i++) if (r < cum[i]) return g.tpls[i];
  return g.tpls[n - 1];
}

export function startRequest(s: SimCore, r: Req, g: Group, clientIdx: number): void {
  const tpl = pickTpl(s, g);
  r.group = g;
  r.tpl = tpl;
  r.clientIdx = clientIdx;
  r.t0 = s.now - s.hop;
  g.inflight++;
  const ni = tpl.nInsts;
  if (ni === 1) {
    r.instIdx = 0;
    r.worker = clientIdx % s.workers;
  } else if (ni > 0) {
    r.instIdx = clientIdx % ni;
    r.worker = Math.floor(clientIdx / ni) % s.workers;
  } else {
    r.instIdx = 0;
    r.worker = 0;
  }
  routeAt(s, r, tpl);
}

/** A request a gateway gets from another proxy (hops.ts): routed there like a first proxy's; past `MAX_GATEWAYS` (no template) the connection is closed, a routing loop. */
export function startHop(s: SimCore, r: Req): void {
  const tpl = r.tpl;
  if (tpl === null) return finish(s, r, ST_RESET, 0);
  routeAt(s, r, tpl);
}

/** The routing decision of the request's proxy (template `tpl`), then what it leads to. */
function routeAt(s: SimCore, r: Req, tpl: Tpl): void {
  // The destination: the cached decision's, or a weighted draw (see the module comment).
  let di: DestInfo | null = null;
  let slot = 0;
  // `di.idx`, from the template for its first two destinations (the DestInfo is not read here).
  let dix = -1;
  if (!tpl.routed) {
    const d = route(s.mesh, tpl.prep, s.rng, s.d);
    memoise(s, tpl, d);
    const dest = d.dest;
    if (dest !== null) {
      slot = tpl.wDests === null ? 0 : tpl.wDests.indexOf(dest);
      di = infoAt(s, tpl, slot, dest);
      dix = di.idx;
    }
  } else if (tpl.nW === 0) {
    const dest = tpl.fixedDest;
    if (dest !== null) {
      di = tpl.info0 ?? infoAt(s, tpl, 0, dest);
      dix = tpl.dix0;
    }
  } else if (tpl.nW === 2) {
    // A two-way split: `pickWeighted` over two entries, without reading its arrays.
    if (s.rng.nextInt(tpl.wTotal) < tpl.wCum0) {
      di = tpl.info0 ?? infoAt(s, tpl, 0, tpl.wDests![0]);
      dix = tpl.dix0;
    } else {
      slot = 1;
      di = tpl.info1 ?? infoAt(s, tpl, 1, tpl.wDests![1]);
      dix = tpl.dix1;
    }
  } else {
    slot = pickWeighted(tpl.wCum!, tpl.wTotal, s.rng);
    di = (slot === 0 ? tpl.info0 : slot === 1 ? tpl.info1 : tpl.infos?.[slot]) ?? infoAt(s, tpl, slot, tpl.wDests![slot]);
    dix = di.idx;
  }
  r.slot = slot < 2 ? slot : -1;
  r.diIdx = dix;
  const m = tpl;
  switch (m.dkind) {
    case 'route':
      return httpRoute(s, r, m.route!, di);
    case 'tcp':
      return tpl.kind === 'plain' ? plainRequest(s, r, di) : l4Route(s, r, di);
    case 'passthrough':
      return passthrough(s, r);
    case 'no_route':
      return finish(s, r, 404, F_NR);
    case 'block_all':
      return finish(s, r, 502, 0);
    case 'https_redirect':
      return finish(s, r, 301, 0);
    case 'redirect':
      return finish(s, r, m.route!.action.redirect!.code, 0);
    case 'direct':
      return finish(s, r, m.route!.action.direct!.status, 0);
    case 'refused':
      return finish(s, r, ST_REFUSED, 0);
    case 'tls_failure':
      return finish(s, r, ST_TLS_FAIL, 0);
    case 'auto_passthrough':
      return finish(s, r, ST_CONNECTED, 0);
    default:
      return finish(s, r, ST_RESET, 0);
  }
}

/** The DestInfo of the template's `i`-th (weighted) destination, made on first use. */
function infoAt(s: SimCore, tpl: Tpl, i: number, dest: CompiledDest): DestInfo {
  const di = destInfo(s, tpl, dest, false);
  if (i === 0) {
    tpl.info0 = di;
    tpl.dix0 = di.idx;
  } else if (i === 1) {
    tpl.info1 = di;
    tpl.dix1 = di.idx;
  } else (tpl.infos ??= [])[i] = di;
  return di;
}

function memoise(s: SimCore, tpl: Tpl, d: Decision): void {
  tpl.routed = true;
  tpl.dkind = d.kind;
  tpl.route = d.route;
  const weighted = d.kind === 'route' ? d.route!.action : d.kind === 'tcp' ? d.l4 : null;
  if (weighted !== null && weighted.dests.length > 1) {
    tpl.nW = weighted.dests.length;
    tpl.wDests = weighted.dests;
    tpl.wCum = weighted.cum;
    tpl.wCum0 = weighted.cum[0];
    tpl.wTotal = weighted.total;
  }
  tpl.fixedDest = tpl.wDests === null ? d.dest : null;
  if (d.kind === 'route') {
    const a = d.route!.action;
    tpl.action = a;
    tpl.fault = a.fault;
    tpl.hasMirrors = a.mirrors.length > 0;
    const to = tpl.timeoutOverride > 0 ? tpl.timeoutOverride : a.timeoutMs;
    tpl.timeoutMs = to !== null && to > 0 ? to : 0;
    tpl.retry = a.retry;
    tpl.retryAttempts = a.retry !== null ? a.retry.attempts : 0;
    tpl.retryTable = a.retry !== null ? retryTable(s.retryTables, a.retry) : null;
    tpl.perTryMs = a.retry !== null && a.retry.perTryTimeoutMs !== null ? a.retry.perTryTimeoutMs : 0;
  }
}

function draw(s: SimCore, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return s.rng.next() * 100 < percent;
}

function httpRoute(s: SimCore, r: Req, rt: CompiledRoute, di: DestInfo | null): void {
  r.mode = M_HTTP;
  r.action = r.tpl!.action;
  r.route = rt;
  if (di === null) return finish(s, r, 503, F_NC);
  r.di = di;
  const f = r.tpl!.fault;
  if (f !== null && f.delay !== null && draw(s, f.delay.percent)) {
    r.flags |= F_DI;
    r.attState = A_DELAY;
    s.q.at = s.now + f.delay.ms;
    s.q.push(EV_ROUTER, r.id, r.gen);
    return;
  }
  router(s, r);
}

/** `Tpl.hb00`–`hb12`: the header of the template's `slot` destination for source pod `inst`, or -1. */
function tplHb(tpl: Tpl, slot: number, inst: number): number {
  if (slot < 0 || inst > 2) return -1;
  switch (slot * 3 + inst) {
    case 0:
      return tpl.hb00;
    case 1:
      return tpl.hb01;
    case 2:
      return tpl.hb02;
    case 3:
      return tpl.hb10;
    case 4:
      return tpl.hb11;
    default:
      return tpl.hb12;
  }
}

/** `Tpl.pw00`–`pw12`: where the pools of `tplHb(tpl, slot, inst)`'s cluster are, or -1. */
function tplPw(tpl: Tpl, slot: number, inst: number): number {
  switch (slot * 3 + inst) {
    case 0:
      return tpl.pw00;
    case 1:
      return tpl.pw01;
    case 2:
      return tpl.pw02;
    case 3:
      return tpl.pw10;
    case 4:
      return tpl.pw11;
    default:
      return tpl.pw12;
  }
}

/** `Tpl.cs00`–`cs12`, the cluster state that goes with `tplHb(tpl, slot, inst)` when that is known. */
function tplCs(tpl: Tpl, slot: number, inst: number): ClusterState {
  switch (slot * 3 + inst) {
    case 0:
      return tpl.cs00!;
    case 1:
      return tpl.cs01!;
    case 2:
      return tpl.cs02!;
    case 3:
      return tpl.cs10!;
    case 4:
      return tpl.cs11!;
    default:
      return tpl.cs12!;
  }
}

/** The most hosts whose pool rows `touchPools` reads: for more, reading a row per host would cost more than the wait it saves. */
const MAX_TOUCHED = 8;

/** `Tpl.pw00`–`pw12` for cluster state `cs`: its first pool's row × 1024 + its number of hosts (-1: more than MAX_TOUCHED). */
function pwOf(cs: ClusterState): number {
  const P = cs.pools.p;
  const nh = P[cs.hb + H_NHOSTS];
  return nh <= MAX_TOUCHED ? P[cs.hb + H_POOL_BASE] * 1024 + nh : -1;
}

/**
 * Reads the cluster's load-balancer state (after its header at `hb`) and both ends of each of
 * `worker`'s pool rows (`pw` as `pwOf` makes it; -1: none; a row may straddle two cache lines), so
 * that the row the load balancer is about to pick is on its way from memory while the header is:
 * without, the pool's load could start only once the header had arrived. A bit of what was read
 * is kept (`SimCore.touched`) so that the reads are not optimised away.
 */
function touchPools(s: SimCore, hb: number, pw: number, worker: number): void {
  if (pw < 0) return;
  const P = s.ps.p;
  const nh = pw & 1023;
  const first = (pw >> 10) + worker * nh;
  let t = P[hb + HEADER];
  for (let k = 0; k < nh; k++) t ^= P[(first + k) * PS] ^ P[(first + k) * PS + PS - 1];
  s.touched = t & 1;
}

/** Keeps cluster state `cs` (header `cs.hb`) on the template for its `slot` destination and source pod `inst` (`tplHb`, `tplCs`). */
function setTplCluster(tpl: Tpl, slot: number, inst: number, cs: ClusterState): void {
  if (slot < 0 || inst > 2) return;
  switch (slot * 3 + inst) {
    case 0:
      tpl.hb00 = cs.hb;
      tpl.cs00 = cs;
      tpl.pw00 = pwOf(cs);
      break;
    case 1:
      tpl.hb01 = cs.hb;
      tpl.cs01 = cs;
      tpl.pw01 = pwOf(cs);
      break;
    case 2:
      tpl.hb02 = cs.hb;
      tpl.cs02 = cs;
      tpl.pw02 = pwOf(cs);
      break;
    case 3:
      tpl.hb10 = cs.hb;
      tpl.cs10 = cs;
      tpl.pw10 = pwOf(cs);
      break;
    case 4:
      tpl.hb11 = cs.hb;
      tpl.cs11 = cs;
      tpl.pw11 = pwOf(cs);
      break;
    default:
      tpl.hb12 = cs.hb;
      tpl.cs12 = cs;
      tpl.pw12 = pwOf(cs);
  }
}

/** The fault abort, then the router: cluster, mirrors, route timeout, first attempt. */
export function router(s: SimCore, r: Req): void {
  const tpl = r.tpl!;
  const f = tpl.fault;
  if (f !== null && f.abort !== null && draw(s, f.abort.percent)) return finish(s, r, f.abort.status, F_FI);
  // The cluster and its header's place from the template (without reading `di`: a destination
  // that has a cluster state is not missing), else from clusterFor.
  const inst = r.instIdx;
  const hb = tplHb(tpl, r.slot, inst);
  let cs: ClusterState;
  if (hb >= 0) {
    r.hb = hb;
    touchPools(s, hb, tplPw(tpl, r.slot, inst), r.worker);
    cs = tplCs(tpl, r.slot, inst);
  } else {
    const di = r.di!;
    if (di.missing) return finish(s, r, 503, F_NC);
    cs = clusterFor(s, r, di);
    setTplCluster(tpl, r.slot, inst, cs);
  }
  r.cs = cs;
  if (tpl.hasMirrors) {
    const ms = tpl.action!.mirrors;
    for (let i = 0; i < ms.length; i++) if (draw(s, ms[i].percent)) mirror(s, r, ms[i].dest);
  }
  const P = s.ps.p;
  if (P[r.hb + H_NHOSTS] === 0) {
    s.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
    return finish(s, r, 503, F_UH);
  }
  if (tpl.timeoutMs > 0) {
    s.q.at = s.now + tpl.timeoutMs;
    r.toSlot = s.q.push(EV_TIMEOUT, r.id, r.gen);
    r.toOrder = s.q.lastOrder;
  }
  const retry = tpl.retry;
  r.retry = retry;
  r.retryTable = tpl.retryTable;
  r.retriesLeft = tpl.retryAttempts;
  r.perTryMs = tpl.perTryMs;
  r.hash = P[r.hb + H_LB] === LB_HASH ? hashKey(r, cs) : -1;
  attempt(s, r);
}

function mirror(s: SimCore, parent: Req, dest: CompiledDest): void {
  const r = s.allocReq();
  r.isMirror = true;
  r.tpl = parent.tpl;
  r.group = parent.group;
  r.instIdx = parent.instIdx;
  r.worker = parent.worker;
  r.clientIdx = parent.clientIdx;
  r.t0 = s.now;
  r.mode = M_HTTP;
  r.action = parent.action;
  r.route = parent.route;
  s.mirrorInflight++;
  const di = destInfo(s, r.tpl!, dest, true);
  r.di = di;
  if (dest.missing) return finish(s, r, 503, F_NC);
  const a = parent.action!;
  const cs = clusterFor(s, r, di);
  r.cs = cs;
  if (cs.hosts.length === 0) {
    s.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
    return finish(s, r, 503, F_UH);
  }
  if (a.timeoutMs !== null && a.timeoutMs > 0) {
    s.q.at = s.now + a.timeoutMs;
    r.toSlot = s.q.push(EV_TIMEOUT, r.id, r.gen);
    r.toOrder = s.q.lastOrder;
  }
  r.hash = cs.lb === LB_HASH ? hashKey(r, cs) : -1;
  attempt(s, r);
}
