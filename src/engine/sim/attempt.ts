/**
 * One attempt of a request through its client proxy's cluster (Envoy's router → connection pool →
 * upstream): host choice by the load balancer (avoiding hosts already tried when the retry policy
 * asks), the connection pool with its circuit breakers (a ready connection, else a pending
 * request and maybe a new connection, else 503 UO), connection set-up and connect failures,
 * the host's transport outcome, the upstream pod's own concurrency queue and behaviour, the
 * stream's end (HTTP/1.1 connections close on a reset or when drained), and the timeouts that stop
 * an attempt in flight: per-try (retried as the policy says) and the route's (504 UT, never
 * retried).
 */
import { B_REFUSED, B_RESET } from './app';
import { type ClusterState } from './cluster';
import { fastPick, H_FLAGS, H_LB, H_MAX_REQUESTS, H_NHOSTS, H_PENDING_ACTIVE, H_POOL_BASE, H_RQ_ACTIVE, H_RQ_COMPLETED, H_RQ_TOTAL, H_STREAM_LIMIT, HEADER, HF_OD, LB_HASH, PICK_SLOW } from './header';
import { C_ACTIVE, C_DRAINING, C_POOL, C_REMAINING, C_STATE, CX, CX_OPEN, P_CS, P_HOST, P_NCONNS, P_NPEND, P_POD, P_TRANSPORT, PD, PD_ACTIVE, PD_INFO, PD_MAX, PD_WAITING, PDI_GATEWAY, PDI_LANE_SHIFT, PDI_PLAIN, PDI_STATUS, PS, T_APP, T_CONNECT_FAIL, T_RESET, T_STATUS, type Host } from './pool';
import { ST_CX_CONNECT_FAIL, ST_CX_DESTROY, ST_CX_MAX_REQUESTS, ST_CX_NONE_HEALTHY, ST_CX_OVERFLOW, ST_CX_TOTAL, ST_RQ_PENDING_OVERFLOW, ST_RQ_PENDING_TOTAL, ST_RQ_PER_TRY_TIMEOUT, ST_RQ_TIMEOUT } from './stats';
import { A_ACTIVE, A_CONNECTING, A_IDLE, A_PENDING, EV_CONNECTED, EV_PER_TRY, EV_RESPONSE, FAIL_CONNECT, FAIL_NONE, FAIL_RESET, FAIL_TIMEOUT, F_UC, F_UF, F_UH, F_UT, M_HTTP, M_L4, SMI_MAX, ST_CONNECTED, ST_REFUSED, ST_RESET, ST_TLS_FAIL } from './codes';
import type { SimCore } from './core';
import { finish } from './finish';
import type { Req } from './records';
import { toGateway } from './hops';
import { attemptDone, overflow, releaseRetry } from './retry';

function tried(r: Req, h: number): boolean {
  for (let i = 0; i < r.triedN; i++) if (r.tried[i] === h) return true;
  return false;
}

export function attempt(s: SimCore, r: Req): void {
  const cs = r.cs!;
  // The cluster's numbers are read from its header (`r.hb`), not through the object (cluster.ts).
  const P = s.ps.p;
  const hb = r.hb;
  const od = (P[hb + H_FLAGS] & HF_OD) !== 0;
  if (od && cs.nextSweep <= s.now) cs.sweep(s.now, s);
  let hi = fastPick(P, hb, s.rng);
  if (hi === PICK_SLOW) hi = cs.pickSlow(r.worker, s.rng, r.hash);
  if (hi >= 0 && r.triedN > 0 && P[hb + H_LB] !== LB_HASH && r.retry !== null && r.retry.ignorePreviousHosts) {
    // Envoy's previous-hosts predicate: up to 5 more host selections to avoid hosts already tried.
    for (let k = 0; k < 5 && tried(r, hi); k++) hi = cs.pick(r.worker, s.rng, r.hash);
  }
  if (hi < 0) {
    s.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
    releaseRetry(r);
    return finish(s, r, 503, F_UH);
  }
  r.attempts++;
  if (r.triedN < 8) r.tried[r.triedN++] = hi;
  const pool = P[hb + H_POOL_BASE] + r.worker * P[hb + H_NHOSTS] + hi;
  r.pool = pool;
  // The host is read back only by outlier detection.
  r.host = od ? cs.hosts[hi] : null;
  r.answeredIdx = -1;
  r.attGen = ++s.seq;
  if (r.perTryMs > 0) {
    s.q.at = s.now + r.perTryMs;
    r.ptSlot = s.q.push(EV_PER_TRY, r.id, r.attGen);
    r.ptOrder = s.q.lastOrder;
  }
  // Connection pool: a ready connection, else a pending request (and maybe a new connection), else overflow.
  const c = s.ps.readyConn(pool);
  if (c >= 0) {
    attach(s, cs, pool, c, r);
    return;
  }
  if (cs.pendingActive < cs.maxPending) {
    r.attState = A_PENDING;
    s.ps.pushPending(pool, r);
    cs.pendingActive++;
    s.store.buf[cs.sb + ST_RQ_PENDING_TOTAL]++;
    tryCreate(s, cs, pool);
  } else {
    s.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
    overflow(s, r);
  }
}

function tryCreate(s: SimCore, cs: ClusterState, pool: number): void {
  const ps = s.ps;
  const b = pool * PS;
  for (let i = 0; i < 3; i++) {
    if (ps.p[b + P_NPEND] <= ps.cap[pool]) return;
    const can = cs.cxActive < cs.maxConnections;
    if (!can) s.store.buf[cs.sb + ST_CX_OVERFLOW]++;
    // A pool without any connection always gets one, even over the limit (Envoy).
    if (can || ps.p[b + P_NCONNS] === 0) {
      const remaining = cs.maxRequestsPerConnection > 0 ? cs.maxRequestsPerConnection : SMI_MAX;
      const gen = ++s.seq;
      const c = ps.allocConn(pool, gen, remaining);
      ps.p[b + P_NCONNS]++;
      ps.cap[pool] += Math.min(remaining, cs.streamLimit);
      cs.cxActive++;
      s.store.buf[cs.sb + ST_CX_TOTAL]++;
      s.q.at = s.now + s.connectMs;
      s.q.pushInOrder(s.connectLane, EV_CONNECTED, c, gen);
    }
    if (!can) return;
  }
}

export function onConnected(s: SimCore, c: number): void {
  const ps = s.ps;
  const P = ps.p;
  const pool = P[c * CX + C_POOL];
  const cs = s.clusterList[P[pool * PS + P_CS]];
  ps.cap[pool] -= Math.min(P[c * CX + C_REMAINING], cs.streamLimit);
  // The host's transport and pod from the pool's row (not through the cluster's hosts).
  const pod = s.pods[P[pool * PS + P_POD]];
  const m = pod.model;
  const fail = (P[pool * PS + P_TRANSPORT] & 3) === T_CONNECT_FAIL || (m.behavior === B_REFUSED && !pod.viaSidecar) || (m.connectFailureRate > 0 && s.rng.next() < m.connectFailureRate);
  if (fail) {
    s.store.buf[cs.sb + ST_CX_CONNECT_FAIL]++;
    // A connect failure fails every request pending in this pool (Envoy purges them before closing).
    const failed = ps.drainPending(pool) as Req[];
    closeConn(s, cs, c, false);
    if (failed.length > 0) {
      for (const r of failed) {
        cs.pendingActive--;
        r.attState = A_IDLE;
        attemptDone(s, r, 0, FAIL_CONNECT);
      }
    }
    return;
  }
  P[c * CX + C_STATE] = CX_OPEN;
  ps.pushReady(pool, c);
  upstreamReady(s, cs, pool);
}

function upstreamReady(s: SimCore, cs: ClusterState, pool: number): void {
  const ps = s.ps;
  while (ps.p[pool * PS + P_NPEND] > 0) {
    const c = ps.readyConn(pool);
    if (c < 0) break;
    const r = ps.shiftPending(pool) as Req;
    ps.p[r.hb + H_PENDING_ACTIVE]--;
    attach(s, cs, pool, c, r);
  }
}

function attach(s: SimCore, cs: ClusterState, pool: number, c: number, r: Req): void {
  const ps = s.ps;
  // The cluster's header, pool and connection rows are in one array (the last two most often one row).
  const P = ps.p;
  const hb = r.hb;
  if (P[hb + H_RQ_ACTIVE] >= P[hb + H_MAX_REQUESTS]) {
    s.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
    overflow(s, r);
    return;
  }
  const cb = c * CX;
  if (--P[cb + C_REMAINING] === 0) {
    P[cb + C_DRAINING] = 1;
    s.store.buf[cs.sb + ST_CX_MAX_REQUESTS]++;
  }
  const active = ++P[cb + C_ACTIVE];
  if (P[cb + C_DRAINING] !== 0 || active >= P[hb + H_STREAM_LIMIT]) ps.popReady(pool);
  const pb = pool * PS;
  P[hb + H_RQ_ACTIVE]++;
  // The host's active requests (after its healthy list in the load-balancer state).
  P[hb + HEADER + P[hb + H_NHOSTS] + P[pb + P_HOST]]++;
  P[hb + H_RQ_TOTAL]++;
  r.conn = c;
  r.attState = A_ACTIVE;
  const t = P[pb + P_TRANSPORT];
  reach(s, r, t & 3, t >> 2, P[pb + P_POD]);
}

/** The request reaches the host: a transport failure, or the application. */
export function dispatch(s: SimCore, r: Req, h: Host): void {
  reach(s, r, h.transport, h.transportStatus, h.pod.pIdx);
}

/** The request reaches host pod `pi` (its index): a transport failure, a gateway, the pod's queue, or the application. */
function reach(s: SimCore, r: Req, transport: number, transportStatus: number, pi: number): void {
  if (transport !== T_APP) {
    if (transport === T_STATUS) {
      r.attFailure = FAIL_NONE;
      r.attStatus = transportStatus;
    } else {
      r.attFailure = transport === T_RESET ? FAIL_RESET : FAIL_CONNECT;
      r.attStatus = 0;
    }
    s.q.at = s.now + 2 * s.hop;
    s.q.push(EV_RESPONSE, r.id, r.attGen);
    return;
  }
  // The pod's numbers are read from the PodTable (pool.ts), the Pod object only off the common path.
  const row = s.podTable.row;
  const b = pi * PD;
  if ((row[b + PD_INFO] & PDI_GATEWAY) !== 0) return toGateway(s, r, s.pods[pi]);
  if (row[b + PD_ACTIVE] >= row[b + PD_MAX]) {
    r.podIdx = pi;
    r.podQueued = true;
    s.pods[pi].queue.push(r);
    row[b + PD_WAITING]++;
    return;
  }
  serve(s, pi, r);
}

function serve(s: SimCore, pi: number, r: Req): void {
  const pt = s.podTable;
  const b = pi * PD;
  pt.row[b + PD_ACTIVE]++;
  r.podIdx = pi;
  r.podQueued = false;
  const info = pt.row[b + PD_INFO];
  const fixedLat = pt.lat[pi];
  const fixedStatus = info & PDI_STATUS;
  let lat = fixedLat >= 0 ? fixedLat : s.pods[pi].model.latency(s.rng);
  let status = 0;
  let failure = FAIL_NONE;
  if ((info & PDI_PLAIN) !== 0) status = fixedStatus > 0 ? fixedStatus : s.pods[pi].model.nextStatus(s.rng);
  else {
    const pod = s.pods[pi];
    const m = pod.model;
    if (m.behavior === B_REFUSED) {
      // Reached only through a server sidecar (or on a direct path): the sidecar answers 503 at once.
      lat = 0;
      if (pod.viaSidecar) status = 503;
      else failure = FAIL_CONNECT;
    } else if (m.behavior === B_RESET || (m.resetRate > 0 && s.rng.next() < m.resetRate)) {
      if (pod.viaSidecar) status = 503;
      else failure = FAIL_RESET;
    } else status = fixedStatus > 0 ? fixedStatus : m.nextStatus(s.rng);
  }
  r.attStatus = status;
  r.attFailure = failure;
  if (failure === FAIL_NONE) r.answeredIdx = pi;
  s.q.at = s.now + lat + 2 * s.hop;
  s.q.pushInOrder((info >> PDI_LANE_SHIFT) - 1, EV_RESPONSE, r.id, r.attGen);
}

/** Pod `pi` ends an attempt: its slot goes to the next attempt waiting, if any. */
export function releasePod(s: SimCore, pi: number): void {
  const row = s.podTable.row;
  const b = pi * PD;
  row[b + PD_ACTIVE]--;
  if (row[b + PD_WAITING] > 0) {
    row[b + PD_WAITING]--;
    const pod = s.pods[pi];
    const next = pod.queue[pod.qHead] as Req;
    pod.queue[pod.qHead++] = undefined;
    if (pod.qHead === pod.queue.length) {
      pod.queue.length = 0;
      pod.qHead = 0;
    } else if (pod.qHead > 64 && pod.qHead * 2 > pod.queue.length) {
      pod.queue.splice(0, pod.qHead);
      pod.qHead = 0;
    }
    serve(s, pi, next);
  }
}

function unqueuePod(s: SimCore, r: Req): void {
  const pod = s.pods[r.podIdx];
  const i = pod.queue.indexOf(r, pod.qHead);
  if (i >= 0) {
    pod.queue.splice(i, 1);
    s.podTable.row[r.podIdx * PD + PD_WAITING]--;
  }
  r.podQueued = false;
}

export function onResponse(s: SimCore, r: Req): void {
  const pi = r.podIdx;
  r.podIdx = -1;
  if (pi >= 0) releasePod(s, pi);
  if (r.mode === M_HTTP) {
    releaseStream(s, r, r.attFailure === FAIL_RESET, true);
    attemptDone(s, r, r.attStatus, r.attFailure);
  } else if (r.mode === M_L4) {
    const cs = r.cs!;
    cs.cxActive--;
    s.store.buf[cs.sb + ST_CX_DESTROY]++;
    r.attState = A_IDLE;
    if (r.attFailure !== FAIL_NONE) finish(s, r, ST_RESET, r.attFailure === FAIL_CONNECT ? F_UF : F_UC);
    else finish(s, r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, r.attFlags);
  } else {
    r.attState = A_IDLE;
    // (A gateway's refused connection or failed handshake comes as its status.)
    if (r.attFailure === FAIL_CONNECT) finish(s, r, r.attStatus !== 0 ? r.attStatus : r.host!.transport === T_CONNECT_FAIL ? ST_TLS_FAIL : ST_REFUSED, 0);
    else if (r.attFailure === FAIL_RESET) finish(s, r, ST_RESET, 0);
    else finish(s, r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, r.attFlags);
  }
}

/** The stream ends on its connection: HTTP/1.1 connections close on a reset or when drained; otherwise the connection serves pending requests. */
export function releaseStream(s: SimCore, r: Req, reset: boolean, completed: boolean): void {
  const c = r.conn;
  const ps = s.ps;
  const P = ps.p;
  const cb = c * CX;
  const pool = P[cb + C_POOL];
  const cs = r.cs!;
  const hb = r.hb;
  const limit = P[hb + H_STREAM_LIMIT];
  const wasFull = P[cb + C_ACTIVE] >= limit;
  const active = --P[cb + C_ACTIVE];
  P[hb + H_RQ_ACTIVE]--;
  P[hb + HEADER + P[hb + H_NHOSTS] + P[pool * PS + P_HOST]]--;
  r.conn = -1;
  if (completed) P[hb + H_RQ_COMPLETED]++;
  const draining = P[cb + C_DRAINING] !== 0;
  if ((reset && limit === 1) || (draining && active === 0)) closeConn(s, cs, c, true);
  else {
    if (wasFull && !draining) ps.pushReady(pool, c);
    upstreamReady(s, cs, pool);
  }
}

function closeConn(s: SimCore, cs: ClusterState, c: number, open: boolean): void {
  const ps = s.ps;
  const pool = ps.p[c * CX + C_POOL];
  ps.p[pool * PS + P_NCONNS]--;
  ps.removeReady(pool, c);
  cs.cxActive--;
  if (open) s.store.buf[cs.sb + ST_CX_DESTROY]++;
  ps.freeConn(c, ++s.seq);
  // A pool that lost a connection while requests are pending makes a new one.
  if (ps.p[pool * PS + P_NPEND] > 0) tryCreate(s, cs, pool);
}

/**
 * Stops an attempt in flight: out of the pending queue, or its stream (or TCP connection) reset,
 * its pod slot freed and the gateway handling it stopped.
 */
function cancelAttempt(s: SimCore, r: Req): void {
  const cs = r.cs!;
  if (r.attState === A_PENDING) {
    if (s.ps.removePending(r.pool, r)) cs.pendingActive--;
  } else if (r.attState === A_ACTIVE || r.attState === A_CONNECTING) {
    if (r.podIdx >= 0) {
      if (r.podQueued) unqueuePod(s, r);
      else releasePod(s, r.podIdx);
      r.podIdx = -1;
    }
    if (r.child !== null) cancelHop(s, r);
    if (r.mode === M_HTTP) releaseStream(s, r, true, false);
    else if (r.mode === M_L4) cs.cxActive--;
  }
  r.attState = A_IDLE;
  r.attGen = ++s.seq;
  // A gateway's answer on its way back is dropped with the attempt.
  r.overloaded = false;
}

/** The caller resets its attempt: the gateway handling it sees its downstream go and resets its own attempt (hops.ts). */
function cancelHop(s: SimCore, r: Req): void {
  const c = r.child!;
  r.child = null;
  if (c.attState !== A_IDLE) cancelAttempt(s, c);
  releaseRetry(c);
  finish(s, c, ST_RESET, 0);
}

export function onPerTryTimeout(s: SimCore, r: Req): void {
  r.ptSlot = -1;
  s.store.buf[r.cs!.sb + ST_RQ_PER_TRY_TIMEOUT]++;
  cancelAttempt(s, r);
  attemptDone(s, r, 0, FAIL_TIMEOUT);
}

export function onRouteTimeout(s: SimCore, r: Req): void {
  r.toSlot = -1;
  const cs = r.cs!;
  s.store.buf[cs.sb + ST_RQ_TIMEOUT]++;
  if (r.attState === A_PENDING || r.attState === A_ACTIVE) {
    const h = r.host!;
    cancelAttempt(s, r);
    if (cs.od !== null) cs.report(h, 504, true, s);
  }
  r.attState = A_IDLE;
  releaseRetry(r);
  finish(s, r, 504, F_UT);
}
