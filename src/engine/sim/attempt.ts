/**
 * One attempt of a request through its client proxy's cluster (Envoy's router → connection pool →
 * upstream): host choice by the load balancer (avoiding hosts already tried when the retry policy
 * asks), the connection pool with its circuit breakers (a ready connection, else a pending
 * request and maybe a new connection, else 503 UO), connection set-up and connect failures,
 * the host's transport outcome, the upstream pod's own concurrency queue and behaviour, and the
 * stream's end (HTTP/1.1 connections close on a reset or when drained).
 */
import { B_REFUSED, B_RESET } from './app';
import { LB_HASH } from './cluster';
import { CX_CLOSED, CX_OPEN, T_APP, T_CONNECT_FAIL, T_RESET, T_STATUS, type Conn, type Host, type Pod, type Pool } from './pool';
import { ST_CX_CONNECT_FAIL, ST_CX_DESTROY, ST_CX_MAX_REQUESTS, ST_CX_NONE_HEALTHY, ST_CX_OVERFLOW, ST_CX_TOTAL, ST_RQ_PENDING_OVERFLOW, ST_RQ_PENDING_TOTAL } from './stats';
import { A_ACTIVE, A_IDLE, A_PENDING, EV_CONNECTED, EV_PER_TRY, EV_RESPONSE, FAIL_CONNECT, FAIL_NONE, FAIL_RESET, F_UC, F_UF, F_UH, M_HTTP, M_L4, SMI_MAX, ST_CONNECTED, ST_REFUSED, ST_RESET, ST_TLS_FAIL } from './codes';
import type { SimCore } from './core';
import { finish } from './finish';
import type { Req } from './records';
import { attemptDone, overflow, releaseRetry } from './retry';

function tried(r: Req, h: number): boolean {
  for (let i = 0; i < r.triedN; i++) if (r.tried[i] === h) return true;
  return false;
}

export function attempt(s: SimCore, r: Req): void {
  const cs = r.cs!;
  if (cs.od !== null && cs.nextSweep <= s.now) cs.sweep(s.now, s);
  let hi = cs.pick(r.worker, s.rng, r.hash);
  if (hi >= 0 && r.triedN > 0 && cs.lb !== LB_HASH && r.retry !== null && r.retry.ignorePreviousHosts) {
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
  const pool = cs.pool(r.worker, hi);
  r.pool = pool;
  r.host = pool.host;
  r.answered = null;
  r.attGen = ++s.seq;
  if (r.perTryMs > 0) {
    s.q.at = s.now + r.perTryMs;
    r.ptSlot = s.q.push(EV_PER_TRY, r.id, r.attGen);
    r.ptOrder = s.q.lastOrder;
  }
  // Connection pool: a ready connection, else a pending request (and maybe a new connection), else overflow.
  const c = pool.readyConn();
  if (c !== null) {
    attach(s, pool, c, r);
    return;
  }
  if (cs.pendingActive < cs.maxPending) {
    r.attState = A_PENDING;
    pool.pushPending(r);
    cs.pendingActive++;
    s.store.buf[cs.sb + ST_RQ_PENDING_TOTAL]++;
    tryCreate(s, pool);
  } else {
    s.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
    overflow(s, r);
  }
}

function tryCreate(s: SimCore, pool: Pool): void {
  const cs = pool.cs;
  for (let i = 0; i < 3; i++) {
    if (pool.nPending <= pool.connectingCap) return;
    const can = cs.cxActive < cs.maxConnections;
    if (!can) s.store.buf[cs.sb + ST_CX_OVERFLOW]++;
    // A pool without any connection always gets one, even over the limit (Envoy).
    if (can || pool.nConns === 0) {
      const c = s.allocConn(pool);
      c.remaining = cs.maxRequestsPerConnection > 0 ? cs.maxRequestsPerConnection : SMI_MAX;
      pool.nConns++;
      pool.connectingCap += Math.min(c.remaining, cs.streamLimit);
      cs.cxActive++;
      s.store.buf[cs.sb + ST_CX_TOTAL]++;
      s.q.at = s.now + s.connectMs;
      s.q.push(EV_CONNECTED, c.id, c.gen);
    }
    if (!can) return;
  }
}

export function onConnected(s: SimCore, c: Conn): void {
  const pool = c.pool!;
  const cs = pool.cs;
  const h = pool.host;
  pool.connectingCap -= Math.min(c.remaining, cs.streamLimit);
  const m = h.pod.model;
  const fail = h.transport === T_CONNECT_FAIL || (m.behavior === B_REFUSED && !h.pod.viaSidecar) || (m.connectFailureRate > 0 && s.rng.next() < m.connectFailureRate);
  if (fail) {
    s.store.buf[cs.sb + ST_CX_CONNECT_FAIL]++;
    // A connect failure fails every request pending in this pool (Envoy purges them before closing).
    const failed = pool.drainPending() as Req[];
    closeConn(s, c, false);
    if (failed.length > 0) {
      for (const r of failed) {
        cs.pendingActive--;
        r.attState = A_IDLE;
        attemptDone(s, r, 0, FAIL_CONNECT);
      }
    }
    return;
  }
  c.state = CX_OPEN;
  pool.pushReady(c);
  upstreamReady(s, pool);
}

function upstreamReady(s: SimCore, pool: Pool): void {
  const cs = pool.cs;
  while (pool.nPending > 0) {
    const c = pool.readyConn();
    if (c === null) break;
    const r = pool.shiftPending() as Req;
    cs.pendingActive--;
    attach(s, pool, c, r);
  }
}

function attach(s: SimCore, pool: Pool, c: Conn, r: Req): void {
  const cs = pool.cs;
  if (cs.rqActive >= cs.maxRequests) {
    s.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
    overflow(s, r);
    return;
  }
  if (--c.remaining === 0) {
    c.draining = true;
    s.store.buf[cs.sb + ST_CX_MAX_REQUESTS]++;
  }
  c.active++;
  if (c.draining || c.active >= cs.streamLimit) pool.popReady();
  cs.rqActive++;
  cs.lbBuf[cs.actBase + pool.hostIdx]++;
  cs.rqTotal++;
  r.conn = c;
  r.attState = A_ACTIVE;
  reach(s, r, pool.transport, pool.transportStatus, pool.pod);
}

/** The request reaches the host: a transport failure, or the application. */
export function dispatch(s: SimCore, r: Req, h: Host): void {
  reach(s, r, h.transport, h.transportStatus, h.pod);
}

function reach(s: SimCore, r: Req, transport: number, transportStatus: number, pod: Pod): void {
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
  if (pod.active >= pod.maxConcurrency) {
    r.pod = pod;
    r.podQueued = true;
    pod.queue.push(r);
    pod.waiting++;
    return;
  }
  serve(s, pod, r);
}

function serve(s: SimCore, pod: Pod, r: Req): void {
  pod.active++;
  r.pod = pod;
  r.podQueued = false;
  const m = pod.model;
  let lat = pod.fixedLatency >= 0 ? pod.fixedLatency : m.latency(s.rng);
  let status = 0;
  let failure = FAIL_NONE;
  if (pod.plain) status = pod.fixedStatus > 0 ? pod.fixedStatus : m.nextStatus(s.rng);
  else if (m.behavior === B_REFUSED) {
    // Reached only through a server sidecar (or on a direct path): the sidecar answers 503 at once.
    lat = 0;
    if (pod.viaSidecar) status = 503;
    else failure = FAIL_CONNECT;
  } else if (m.behavior === B_RESET || (m.resetRate > 0 && s.rng.next() < m.resetRate)) {
    if (pod.viaSidecar) status = 503;
    else failure = FAIL_RESET;
  } else status = pod.fixedStatus > 0 ? pod.fixedStatus : m.nextStatus(s.rng);
  r.attStatus = status;
  r.attFailure = failure;
  if (failure === FAIL_NONE) r.answered = pod;
  s.q.at = s.now + lat + 2 * s.hop;
  s.q.push(EV_RESPONSE, r.id, r.attGen);
}

export function releasePod(s: SimCore, pod: Pod): void {
  pod.active--;
  if (pod.waiting > 0) {
    pod.waiting--;
    const next = pod.queue[pod.qHead] as Req;
    pod.queue[pod.qHead++] = undefined;
    if (pod.qHead === pod.queue.length) {
      pod.queue.length = 0;
      pod.qHead = 0;
    } else if (pod.qHead > 64 && pod.qHead * 2 > pod.queue.length) {
      pod.queue.splice(0, pod.qHead);
      pod.qHead = 0;
    }
    serve(s, pod, next);
  }
}

export function unqueuePod(r: Req): void {
  const pod = r.pod!;
  const i = pod.queue.indexOf(r, pod.qHead);
  if (i >= 0) {
    pod.queue.splice(i, 1);
    pod.waiting--;
  }
  r.podQueued = false;
}

export function onResponse(s: SimCore, r: Req): void {
  const pod = r.pod;
  r.pod = null;
  if (pod !== null) releasePod(s, pod);
  if (r.mode === M_HTTP) {
    releaseStream(s, r, r.attFailure === FAIL_RESET, true);
    attemptDone(s, r, r.attStatus, r.attFailure);
  } else if (r.mode === M_L4) {
    const cs = r.cs!;
    cs.cxActive--;
    s.store.buf[cs.sb + ST_CX_DESTROY]++;
    r.attState = A_IDLE;
    if (r.attFailure !== FAIL_NONE) finish(s, r, ST_RESET, r.attFailure === FAIL_CONNECT ? F_UF : F_UC);
    else finish(s, r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, 0);
  } else {
    r.attState = A_IDLE;
    if (r.attFailure === FAIL_CONNECT) finish(s, r, r.host!.transport === T_CONNECT_FAIL ? ST_TLS_FAIL : ST_REFUSED, 0);
    else if (r.attFailure === FAIL_RESET) finish(s, r, ST_RESET, 0);
    else finish(s, r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, 0);
  }
}

/** The stream ends on its connection: HTTP/1.1 connections close on a reset or when drained; otherwise the connection serves pending requests. */
export function releaseStream(s: SimCore, r: Req, reset: boolean, completed: boolean): void {
  const c = r.conn!;
  const pool = c.pool!;
  const cs = pool.cs;
  const wasFull = c.active >= cs.streamLimit;
  c.active--;
  cs.rqActive--;
  cs.lbBuf[cs.actBase + pool.hostIdx]--;
  r.conn = null;
  if (completed) cs.rqCompleted++;
  if ((reset && cs.streamLimit === 1) || (c.draining && c.active === 0)) closeConn(s, c, true);
  else {
    if (wasFull && !c.draining) pool.pushReady(c);
    upstreamReady(s, pool);
  }
}

function closeConn(s: SimCore, c: Conn, open: boolean): void {
  const pool = c.pool!;
  const cs = pool.cs;
  pool.nConns--;
  pool.removeReady(c);
  cs.cxActive--;
  if (open) s.store.buf[cs.sb + ST_CX_DESTROY]++;
  c.state = CX_CLOSED;
  c.gen = ++s.seq;
  c.pool = null;
  s.freeConns.push(c);
  // A pool that lost a connection while requests are pending makes a new one.
  if (pool.nPending > 0) tryCreate(s, pool);
}


