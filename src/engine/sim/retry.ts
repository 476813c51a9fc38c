/**
 * Retries (semantics reference §10, §11): which results a retry policy retries (tabulated once
 * per policy from the engine's `isRetriable`), Envoy's jittered back-off, the retry budget
 * (`maxRetries`, UO), retries exhausted (URX). Outlier detection hears every attempt's result.
 * The timeouts that end an attempt are in attempt.ts.
 */
import { isRetriable } from '../forward';
import type { RetryPolicy } from '../policy';
import type { AttemptResult } from '../upstream';
import { H_FLAGS, H_RQ_2XX, HF_OD } from './header';
import { ST_RQ_2XX, ST_RQ_RETRY, ST_RQ_RETRY_LIMIT_EXCEEDED, ST_RQ_RETRY_OVERFLOW, ST_RQ_RETRY_SUCCESS, ST_RQ_RX_RESET } from './stats';
import { A_BACKOFF, A_IDLE, EV_BACKOFF, F_UC, F_UF, F_UO, F_URX, F_UT, FAIL_CONNECT, FAIL_NONE, FAIL_RESET, FAIL_TIMEOUT } from './codes';
import type { SimCore } from './core';
import { finish } from './finish';
import type { Req } from './records';

/**
 * Which results a retry policy retries, from the engine's own `isRetriable`, tabulated once:
 * index = HTTP status (0–999), 1000 connect failure, 1001 reset, 1002 per-try timeout.
 */
export function retryTable(tables: WeakMap<RetryPolicy, Uint8Array>, p: RetryPolicy): Uint8Array {
  let t = tables.get(p);
  if (t === undefined) {
    t = new Uint8Array(1003);
    const res: AttemptResult = { status: null, failure: null, latencyMs: 0, responseFrom: '', outcome: 'response', responseHeaders: null };
    for (let st = 100; st < 1000; st++) {
      res.status = st;
      t[st] = isRetriable(p, res, false) ? 1 : 0;
    }
    res.status = null;
    res.failure = 'connect';
    t[1000] = isRetriable(p, res, false) ? 1 : 0;
    res.failure = 'reset';
    t[1001] = isRetriable(p, res, false) ? 1 : 0;
    res.failure = null;
    t[1002] = isRetriable(p, res, true) ? 1 : 0;
    tables.set(p, t);
  }
  return t;
}

export function releaseRetry(r: Req): void {
  if (r.holdsRetry) {
    r.cs!.retryActive--;
    r.holdsRetry = false;
  }
}

/** The circuit breaker said no (503 UO): a local reply, never retried, not reported to outlier detection. */
export function overflow(s: SimCore, r: Req): void {
  r.overloaded = true;
  r.attState = A_IDLE;
  r.host = null;
  releaseRetry(r);
  finish(s, r, 503, F_UO);
}

/** An attempt's result: outlier detection, then retry (back-off) or the final answer. */
export function attemptDone(s: SimCore, r: Req, status: number, failure: number): void {
  const cs = r.cs!;
  const h = r.host!;
  if (r.ptSlot >= 0) {
    s.q.cancel(r.ptSlot, r.ptOrder);
    r.ptSlot = -1;
  }
  const P = s.ps.p;
  if ((P[r.hb + H_FLAGS] & HF_OD) !== 0) cs.report(h, failure === FAIL_NONE ? status : failure === FAIL_TIMEOUT ? 504 : 503, failure !== FAIL_NONE, s);
  if (failure === FAIL_NONE) {
    if (status < 300) P[r.hb + H_RQ_2XX]++;
    else s.store.buf[cs.sb + ST_RQ_2XX + Math.min(3, Math.floor(status / 100) - 2)]++;
  }
  else if (failure === FAIL_RESET) s.store.buf[cs.sb + ST_RQ_RX_RESET]++;
  r.attState = A_IDLE;
  releaseRetry(r);
  const retry = r.retry;
  if (retry !== null) {
    // Envoy never retries an answer with `x-envoy-overloaded` (a gateway's circuit breaker said no).
    if (r.retryTable![failure === FAIL_NONE ? (status < 1000 ? status : 0) : 999 + failure] === 1 && !r.overloaded) {
      if (r.retriesLeft === 0) {
        s.store.buf[cs.sb + ST_RQ_RETRY_LIMIT_EXCEEDED]++;
        r.flags |= F_URX;
      } else if (cs.retryActive >= cs.maxRetries) {
        s.store.buf[cs.sb + ST_RQ_RETRY_OVERFLOW]++;
        r.flags |= F_UO;
      } else {
        r.retriesLeft--;
        r.attFlags = 0;
        const n = ++r.retryN;
        cs.retryActive++;
        r.holdsRetry = true;
        s.store.buf[cs.sb + ST_RQ_RETRY]++;
        const base = retry.backoffBaseMs;
        const backoff = s.rng.nextInt(Math.max(1, Math.floor(Math.min((2 ** n - 1) * base, 10 * base))));
        r.attState = A_BACKOFF;
        r.attGen = ++s.seq;
        s.q.at = s.now + backoff;
        s.q.push(EV_BACKOFF, r.id, r.attGen);
        return;
      }
    } else if (r.retryN > 0) s.store.buf[cs.sb + ST_RQ_RETRY_SUCCESS]++;
  }
  if (failure === FAIL_TIMEOUT) finish(s, r, 504, F_UT);
  else if (failure === FAIL_CONNECT) finish(s, r, 503, F_UF);
  else if (failure === FAIL_RESET) finish(s, r, 503, F_UC);
  else finish(s, r, status, r.attFlags);
}

