/**
 * Paths without an HTTP router: TCP/TLS through a proxy (Envoy tcp_proxy: one connection per
 * request, no retries, outlier detection hears connect results), a client without a sidecar
 * (kube-proxy picks a pod of the Service; no Envoy, no policy) and PassthroughCluster (the
 * original destination, outside the registry).
 */
import { B_REFUSED } from './app';
import { HASH_SOURCE_IP } from './cluster';
import { LB_HASH } from './header';
import { Host, T_APP, T_CONNECT_FAIL, T_RESET } from './pool';
import { ST_CX_CONNECT_FAIL, ST_CX_NONE_HEALTHY, ST_CX_OVERFLOW, ST_CX_TOTAL } from './stats';
import { A_ACTIVE, A_CONNECTING, A_IDLE, EV_L4_CONNECTED, EV_RESPONSE, F_NC, F_UF, F_UH, F_UO, FAIL_RESET, M_DIRECT, M_L4, ST_REFUSED, ST_RESET, ST_TLS_FAIL } from './codes';
import type { SimCore } from './core';
import { dispatch } from './attempt';
import { finish } from './finish';
import type { DestInfo, Req } from './records';
import { hashKey } from './hashkey';
import { clusterFor, externalPod, hostsFor, idOf, makeDestInfo } from './topology';
import { l4Upstream } from './transport';

export function l4Route(s: SimCore, r: Req, di: DestInfo | null): void {
  r.mode = M_L4;
  if (di === null) return finish(s, r, ST_RESET, F_NC);
  r.di = di;
  if (di.dest!.missing) return finish(s, r, ST_RESET, F_NC);
  const cs = (r.cs = clusterFor(s, r, di));
  if (cs.od !== null && cs.nextSweep <= s.now) cs.sweep(s.now, s);
  const hi = cs.hosts.length === 0 ? -1 : cs.pick(r.worker, s.rng, cs.lb === LB_HASH && cs.hashKind === HASH_SOURCE_IP ? hashKey(r, cs) : -1);
  if (hi < 0) {
    s.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
    return finish(s, r, ST_RESET, F_UH);
  }
  if (cs.cxActive >= cs.maxConnections) {
    s.store.buf[cs.sb + ST_CX_OVERFLOW]++;
    return finish(s, r, ST_RESET, F_UO);
  }
  cs.cxActive++;
  s.store.buf[cs.sb + ST_CX_TOTAL]++;
  r.host = cs.hosts[hi];
  r.attempts = 1;
  r.attState = A_CONNECTING;
  r.attGen = ++s.seq;
  s.q.at = s.now + s.connectMs;
  s.q.pushInOrder(s.connectLane, EV_L4_CONNECTED, r.id, r.attGen);
}

export function onL4Connected(s: SimCore, r: Req): void {
  const cs = r.cs!;
  const h = r.host!;
  const m = h.pod.model;
  const refused = h.transport === T_CONNECT_FAIL || (m.behavior === B_REFUSED && !h.pod.viaSidecar) || (m.connectFailureRate > 0 && s.rng.next() < m.connectFailureRate);
  if (refused) {
    s.store.buf[cs.sb + ST_CX_CONNECT_FAIL]++;
    cs.cxActive--;
    if (cs.od !== null) cs.report(h, 503, true, s);
    r.attState = A_IDLE;
    return finish(s, r, ST_RESET, F_UF);
  }
  if (cs.od !== null) cs.report(h, 200, true, s);
  r.attState = A_ACTIVE;
  if (h.transport === T_RESET) {
    r.attFailure = FAIL_RESET;
    s.q.at = s.now + 2 * s.hop;
    s.q.push(EV_RESPONSE, r.id, r.attGen);
    return;
  }
  dispatch(s, r, h);
}

/** A client without sidecar: kube-proxy picks a pod of the Service; no Envoy, no policy. */
export function plainRequest(s: SimCore, r: Req, di: DestInfo | null): void {
  r.mode = M_DIRECT;
  const tpl = r.tpl!;
  if (di === null) return passthrough(s, r);
  r.di = di;
  if (di.plainHosts === null) di.plainHosts = hostsFor(s, null, di.dest!, null, l4Upstream(tpl.prep.hop, tpl.carriesHttp));
  const hosts = di.plainHosts;
  if (hosts.length === 0) return finish(s, r, ST_REFUSED, 0);
  let h = hosts[0];
  if (hosts.length > 1) {
    let total = 0;
    for (const x of hosts) total += x.weight;
    let k = s.rng.nextInt(total);
    for (const x of hosts) {
      k -= x.weight;
      if (k < 0) {
        h = x;
        break;
      }
    }
  }
  direct(s, r, h);
}

/** PassthroughCluster: the original destination, outside the registry. */
export function passthrough(s: SimCore, r: Req): void {
  r.mode = M_DIRECT;
  const tpl = r.tpl!;
  if (tpl.passthrough === null) {
    const hop = tpl.prep.hop;
    const key = `${hop.host}:${hop.port}`;
    const subset = idOf(s, s.subsetNames, s.subsetIds, key, 'subset');
    const cluster = idOf(s, s.clusterNames, s.clusterIds, 'PassthroughCluster', 'cluster');
    const pod = externalPod(s, [key], key);
    tpl.passthrough = { di: makeDestInfo(s, null, subset, cluster, null, false), host: new Host(0, pod, 1, T_APP, 0) };
  }
  r.di = tpl.passthrough.di;
  direct(s, r, tpl.passthrough.host);
}

export function direct(s: SimCore, r: Req, h: Host): void {
  r.host = h;
  r.attempts = 1;
  r.attState = A_ACTIVE;
  r.attGen = ++s.seq;
  if (h.transport === T_CONNECT_FAIL) return finish(s, r, ST_TLS_FAIL, 0);
  if (h.transport === T_RESET) return finish(s, r, ST_RESET, 0);
  dispatch(s, r, h);
}

