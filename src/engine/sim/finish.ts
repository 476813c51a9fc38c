/**
 * The end of a request: timers cancelled, counts for the destination (edges, subsets), the group's
 * tally (status, flags, attempts, latency histogram), the answering pod, the time series; mirrors
 * are counted apart and never answered to the caller. The client then sends its next request. A
 * gateway's handling of a request another proxy sent it is counted on the gateway's edge and
 * answers that proxy's attempt (hops.ts).
 */
import { A_IDLE, N_STATUS } from './codes';
import type { SimCore } from './core';
import { hopDone } from './hops';
import { clientNext, groupMaybeDone } from './phases';
import type { Acc, Req } from './records';

export function finish(s: SimCore, r: Req, status: number, flags: number): void {
  r.flags |= flags;
  r.attState = A_IDLE;
  if (r.toSlot >= 0) {
    s.q.cancel(r.toSlot, r.toOrder);
    r.toSlot = -1;
  }
  if (r.ptSlot >= 0) {
    s.q.cancel(r.ptSlot, r.ptOrder);
    r.ptSlot = -1;
  }
  const now = s.now;
  if (now > s.lastT) s.lastT = now;
  const st = status >= 0 && status < N_STATUS ? status : 599;
  // The destination's count and edge by its index (from routing, else from `r.di`).
  const k = r.diIdx >= 0 ? r.diIdx : r.di !== null ? r.di.idx : -1;
  const e = k >= 0 ? s.diEdge[k] : -1;
  if (k >= 0) s.diCount[k]++;
  if (e >= 0) s.edgeLog.count(e, st);
  if (r.parent !== null) return hopDone(s, r, st);
  if (r.isMirror) {
    tally(s, s.mirrorAcc, r, st, false);
    s.mirrorInflight--;
    s.releaseReq(r);
    if (s.mirrorInflight === 0 && s.phaseIdx >= s.phases.length) s.finishRun();
    return;
  }
  const g = r.group!;
  const lat = now - r.t0 + s.hop;
  if (e >= 0) s.edgeLog.latency(lat);
  tally(s, g.acc, r, st, true);
  const pa = r.answeredIdx;
  if (pa >= 0) s.podCounts[pa * s.nGroups + g.idx]++;
  const se = s.series;
  se.t = now;
  se.lat = lat;
  se.add(st, r.flags, s.ejectedNow);
  s.completed++;
  const c = r.client;
  s.releaseReq(r);
  g.inflight--;
  if (c !== null) clientNext(s, c, g);
  groupMaybeDone(s, g);
}

export function tally(s: SimCore, a: Acc, r: Req, st: number, timed: boolean): void {
  a.count++;
  a.attempts += r.attempts;
  a.status[st]++;
  let f = r.flags;
  while (f !== 0) {
    const b = 31 - Math.clz32(f);
    a.flags[b]++;
    f &= ~(1 << b);
  }
  const di = r.di;
  if (di !== null && !timed) {
    a.subset[di.subset]++;
    a.cluster[di.cluster]++;
  }
  const pa = r.answeredIdx;
  if (pa >= 0 && !timed) {
    a.workload[s.podWorkload[pa]]++;
    a.pod[pa]++;
  }
  const h = a.hist;
  h.v = timed ? s.now - r.t0 + s.hop : 0;
  h.addV();
}

