/**
 * How requests arrive, modelled on fortio: a closed-loop client sends its request (its next one is
 * scheduled when the answer comes, phases.ts) or an open arrival process at `qps` (uniform or
 * Poisson spacing) sends one and schedules the next; the stop conditions (count, duration, the
 * simulator's request limit).
 */
import { EV_OPEN } from './codes';
import type { SimCore } from './core';
import { groupMaybeDone } from './phases';
import type { Client, Group } from './records';
import { startRequest } from './routing';
import { LIMITS } from './validate';

function canSend(s: SimCore, g: Group): boolean {
  if (s.now - s.hop >= g.stopT) return false;
  if (s.totalSent >= LIMITS.requests) {
    if (!s.truncated) {
      s.truncated = true;
      s.warnings.push(`the run stopped at the simulator's limit of ${LIMITS.requests.toLocaleString('en-US')} requests`);
    }
    return false;
  }
  return true;
}

export function onArrive(s: SimCore, c: Client): void {
  const g = c.group;
  if (c.sent >= c.quota || !canSend(s, g)) {
    g.activeClients--;
    groupMaybeDone(s, g);
    return;
  }
  c.sent++;
  g.sent++;
  s.totalSent++;
  const r = s.allocReq();
  r.client = c;
  startRequest(s, r, g, c.idx);
}

export function onOpen(s: SimCore, g: Group): void {
  if (g.sent >= g.target || !canSend(s, g)) {
    g.generatorDone = true;
    groupMaybeDone(s, g);
    return;
  }
  const k = g.sent++;
  s.totalSent++;
  const r = s.allocReq();
  const interval = 1000 / g.qps;
  g.openNext += g.poisson ? -interval * Math.log(1 - s.rng.next()) : interval;
  s.q.at = Math.max(s.now, g.openNext + s.hop);
  s.q.push(EV_OPEN, g.idx, 0);
  startRequest(s, r, g, k % g.concurrency);
}
