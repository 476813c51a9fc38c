/**
 * Phases of traffic groups and what follows an answer: groups of a phase start together when the
 * previous phase has finished (clients' first sends at once or at paced slots for a `qps`); a
 * closed-loop client sends its next request after each answer, at once (fortio max qps) or at its
 * next paced slot; a group is done when nothing is in flight or left to send.
 */
import { EV_ARRIVE, EV_OPEN } from './codes';
import type { SimCore } from './core';
import type { Client, Group } from './records';
import { gauges } from './results';

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
        s.q.pushInOrder(s.arriveLane, EV_ARRIVE, id, 0);
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
  s.q.pushInOrder(s.arriveLane, EV_ARRIVE, c.id, 0);
}
