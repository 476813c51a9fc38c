/**
 * How requests arrive, modelled on fortio: phases of traffic groups; closed-loop clients
 * (`concurrency` connections, each sending its next request after the previous answer, at once or
 * at paced slots for a `qps`) or an open arrival process at `qps` (uniform or Poisson spacing);
 * the template of each request drawn by weight; the stop conditions (count, duration, the
 * simulator's request limit).
 */
import { EV_ARRIVE, EV_OPEN } from './codes';
import type { SimCore } from './core';
import type { Client, Group, Tpl } from './records';
import { gauges } from './results';
import { startRequest } from './routing';
import { LIMITS } from './validate';

export function startNextPhase(s: SimCore): void {
  s.phaseIdx++;
  if (s.phaseIdx >= s.phases.length) return;
  const ph = s.phases[s.phaseIdx];
  const T = s.now;
  for (const g of s.groups) {
    if (g.phase !== ph) continue;
    g.started = true;
    g.startT = T;
    for (const t of g.tpls) for (const i of t.insts) g.proxies.add(i.label);
    for (const cs of s.clusterList) cs.flush();
    g.snapStart = s.store.snapshot();
    g.stopT = T + g.durationMs;
    if (g.open) {
      g.generatorDone = false;
      g.openNext = T;
      s.q.at = T + s.hop;
      s.q.push(EV_OPEN, g.idx, 0);
    } else {
      g.activeClients = g.clients.length;
      for (const id of g.clients) {
        const c = s.clients[id];
        const first = g.qps > 0 ? T + (c.idx * 1000) / g.qps : T;
        c.nextSlot = first;
        s.q.at = first + s.hop;
        s.q.push(EV_ARRIVE, id, 0);
      }
    }
    if (!g.open && g.clients.length === 0) groupMaybeDone(s, g);
  }
}

export function groupMaybeDone(s: SimCore, g: Group): void {
  if (g.finished || g.inflight > 0 || g.activeClients > 0 || !g.generatorDone) return;
  groupDone(s, g);
}

/** Apart from `groupMaybeDone`, which runs after every request: its closure would cost an allocation per call. */
function groupDone(s: SimCore, g: Group): void {
  g.finished = true;
  g.endT = s.now;
  // A group's own stats (results.ts `groupStats`) are needed only beside other groups.
  if (s.groups.length > 1) {
    g.gaugesEnd = gauges(s);
    g.snapEnd = s.store.snapshot();
  }
  const ph = s.phases[s.phaseIdx];
  if (s.groups.every((x) => x.phase !== ph || x.finished)) startNextPhase(s);
  if (s.phaseIdx >= s.phases.length && s.mirrorInflight === 0) s.finishRun();
}

export function pickTpl(s: SimCore, g: Group): Tpl {
  const n = g.tpls.length;
  if (n === 1) return g.tpls[0];
  if (g.uniform) return g.tpls[s.rng.nextInt(n)];
  const r = s.rng.next() * g.totalWeight;
  const cum = g.cum;
  for (let i = 0; i < n; i++) if (r < cum[i]) return g.tpls[i];
  return g.tpls[n - 1];
}

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

/** The client's next request after an answer: at once (fortio max qps), or at its next paced slot. */
export function clientNext(s: SimCore, c: Client, g: Group): void {
  if (c.sent >= c.quota) {
    g.activeClients--;
    return;
  }
  let t = s.now + 2 * s.hop;
  if (g.qps > 0) {
    const perClient = (1000 * g.clients.length) / g.qps;
    if (g.poisson) c.nextSlot += -perClient * Math.log(1 - s.rng.next());
    else c.nextSlot = g.startT + ((c.sent * g.clients.length + c.idx) * 1000) / g.qps;
    if (c.nextSlot + s.hop > t) t = c.nextSlot + s.hop;
  }
  s.q.at = t;
  s.q.push(EV_ARRIVE, c.id, 0);
}

