/**
 * What the simulator builds on first sight and keeps for the run: request templates and their
 * client proxies, tally ids (subsets, clusters, workloads, pods), canvas edges, upstream pods with
 * their behaviour, and per client proxy cluster state (hosts with their transport outcome,
 * connection pools, the DestinationRule's settings).
 */
import type { ResolvedPolicy } from '../destinationrule';
import { resolvePolicy } from '../destinationrule';
import { upstreamRequest } from '../forward';
import { prepare } from '../prepare';
import { portOfService, type Endpoint, type Workload } from '../registry';
import type { CompiledDest } from '../routes';
import { clusterEndpoints, type UpstreamRequest } from '../upstream';
import { AppModel, mergeModels } from './app';
import { ClusterState } from './cluster';
import { grown, Host, Pod } from './pool';
import { clusterSettings } from './clusterConfig';
import { M_HTTP } from './codes';
import type { SimCore } from './core';
import { DestInfo, EdgeRec, ProxyInst, Tpl, type Group, type Req } from './records';
import { l4Upstream, transportFor, transportKey } from './transport';
import type { SimRequestTemplate, UpstreamModel } from './types';

export function makeTpl(s: SimCore, g: Group, t: SimRequestTemplate, name: string): Tpl {
  const prep = prepare(s.mesh, t);
  const src = prep.source;
  const insts = src.kind === 'plain' ? [] : proxyInsts(s, src.kind, src.workload);
  const override = src.kind === 'sidecar' ? Number(prep.hop.headers.get('x-envoy-upstream-rq-timeout-ms')) : NaN;
  return new Tpl(g, name, prep, src.kind, insts, (t.request.protocol ?? 'http') === 'http', Number.isFinite(override) && override > 0 ? override : NaN);
}

/** The proxies of workload `w`'s pods (one per pod; they and the array are shared by every template and gateway hop that goes through them). */
export function proxyInsts(s: SimCore, kind: 'sidecar' | 'gateway', w: Workload): ProxyInst[] {
  const label = `${kind} ${w.name}.${w.namespace}`;
  let insts = s.insts.get(label);
  if (insts === undefined) {
    insts = [];
    for (let i = 0; i < Math.max(1, w.replicas); i++) insts.push(new ProxyInst(label, `${w.namespace}/${w.name}-${i}`));
    s.insts.set(label, insts);
  }
  return insts;
}

export function idOf(s: SimCore, names: string[], ids: Map<string, number>, key: string, field: 'subset' | 'cluster' | 'workload' | 'pod'): number {
  let i = ids.get(key);
  if (i === undefined) {
    i = names.length;
    names.push(key);
    ids.set(key, i);
    for (const a of s.accs) a[field].push(0);
  }
  return i;
}

function podId(s: SimCore, name: string, wIdx: number): number {
  const i = s.podNames.length;
  s.podNames.push(name);
  s.podWorkload.push(wIdx);
  for (const a of s.accs) a.pod.push(0);
  const need = (i + 1) * s.nGroups;
  if (need > s.podCounts.length) {
    const grown = new Float64Array(Math.max(need, s.podCounts.length * 2));
    grown.set(s.podCounts);
    s.podCounts = grown;
  }
  return i;
}

/** The canvas edge of a VirtualService destination (or mirror) as proxies labelled `label` (if any) route to it (`via`); null for anything else. */
function edgeFor(s: SimCore, dest: CompiledDest, mirror: boolean, via: 'sidecar' | 'gateway', label: string | undefined): EdgeRec | null {
  // Known by destination (several destinations compiled for different proxies can be one edge: `edgeKeyed`).
  const known = s.edgeOfDest[(mirror ? 2 : 0) + (via === 'gateway' ? 1 : 0)];
  let e = known.get(dest);
  if (e === undefined) known.set(dest, (e = edgeKeyed(s, dest, mirror, via)));
  if (e !== null && label !== undefined) e.proxies.add(label);
  return e;
}

function edgeKeyed(s: SimCore, dest: CompiledDest, mirror: boolean, via: 'sidecar' | 'gateway'): EdgeRec | null {
  const p = dest.path;
  const vs = dest.resource;
  if (!vs || p.length < 3 || p[0] !== 'spec' || typeof p[2] !== 'number') return null;
  const proto = p[1];
  if (proto !== 'http' && proto !== 'tcp' && proto !== 'tls') return null;
  let destination = -1;
  let m: number | null = null;
  if (mirror) m = p[3] === 'mirrors' && typeof p[4] === 'number' ? p[4] : -1;
  else if (p[3] === 'route' && typeof p[4] === 'number') destination = p[4];
  else return null;
  const key = `${vs}#${proto}/${p[2]}/${mirror ? `m${m}` : destination}@${via}`;
  let e = s.edgeIds.get(key);
  if (e === undefined) {
    e = new EdgeRec(s.edges.length, { virtualService: vs, protocol: proto, rule: p[2], destination, mirror: m, via, proxies: [], requests: 0, errors: 0, clientErrors: 0, latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 } }, s.edgeChunks);
    s.edges.push(e);
    s.edgeIds.set(key, e);
  }
  return e;
}

/** A new DestInfo, with its place in the run's DestInfo tables. */
export function makeDestInfo(s: SimCore, dest: CompiledDest | null, subset: number, cluster: number, edge: EdgeRec | null, mirror: boolean): DestInfo {
  const i = s.nDestInfos++;
  if (i === s.diCount.length) {
    s.diCount = grown(s.diCount, i + 1);
    s.diEdge = grown(s.diEdge, i + 1);
  }
  const di = new DestInfo(i, dest, subset, cluster, edge, mirror);
  s.diEdge[i] = di.edge;
  return di;
}

/** The template's DestInfo for `dest` (the first made for it, mirror or not), made on first use. */
export function destInfo(s: SimCore, tpl: Tpl, dest: CompiledDest, mirror: boolean): DestInfo {
  const dests = tpl.dests;
  for (let i = 0; i < dests.length; i++) if (dests[i].dest === dest) return dests[i];
  const subset = idOf(s, s.subsetNames, s.subsetIds, dest.subset ? `${dest.host}/${dest.subset}` : dest.host, 'subset');
  const cluster = idOf(s, s.clusterNames, s.clusterIds, dest.cluster, 'cluster');
  const di = makeDestInfo(s, dest, subset, cluster, edgeFor(s, dest, mirror, tpl.kind === 'gateway' ? 'gateway' : 'sidecar', tpl.insts[0]?.label), mirror);
  // A copy one longer (few are made; pushing would leave room for 17 for the run).
  tpl.dests = [...dests, di];
  return di;
}

function modelFor(s: SimCore, w: Workload): UpstreamModel | undefined {
  const k1 = `${w.namespace}/${w.name}`;
  const m = s.upstreamModels;
  if (m[k1]) {
    s.usedUpstream.add(k1);
    return m[k1];
  }
  if (m[w.name]) {
    s.usedUpstream.add(w.name);
    return m[w.name];
  }
  return undefined;
}

export function podsOf(s: SimCore, w: Workload, viaSidecar: boolean): Pod[] {
  let pods = s.workloadPods.get(w);
  if (pods === undefined) {
    // A gateway has no behaviour of its own: it routes what reaches it (hops.ts).
    const m = w.gateway ? undefined : modelFor(s, w);
    const shared = new AppModel(m);
    const label = `${w.namespace}/${w.name}`;
    const wIdx = idOf(s, s.workloadNames, s.workloadIds, label, 'workload');
    pods = [];
    for (let i = 0; i < Math.max(1, w.replicas); i++) {
      const name = `${w.name}-${i}`;
      const over = m?.pods?.[String(i)] ?? m?.pods?.[name];
      const pod = new Pod(`${w.namespace}/${name}`, label, wIdx, podId(s, `${w.namespace}/${name}`, wIdx), over ? new AppModel(mergeModels(m, over)) : shared, viaSidecar);
      pod.gateway = w.gateway;
      pod.replica = i;
      pods.push(addPod(s, pod));
    }
    s.workloadPods.set(w, pods);
  }
  return pods;
}

/** Adds `pod` to the run; a pod with a fixed latency answers through the event queue's lane of its delay. */
function addPod(s: SimCore, pod: Pod): Pod {
  s.podTable.add(pod, pod.fixedLatency >= 0 ? s.q.laneFor(pod.fixedLatency + 2 * s.hop) : -1);
  s.pods.push(pod);
  return pod;
}

export function externalPod(s: SimCore, keys: string[], identity: string): Pod {
  let p = s.extPods.get(identity);
  if (p === undefined) {
    const k = keys.find((x) => s.externalModels[x] !== undefined);
    if (k !== undefined) s.usedExternal.add(k);
    const label = `external ${keys[0] ?? identity}`;
    const wIdx = idOf(s, s.workloadNames, s.workloadIds, label, 'workload');
    p = new Pod(`external ${identity}`, label, wIdx, podId(s, `external ${identity}`, wIdx), new AppModel(k !== undefined ? s.externalModels[k] : undefined), false);
    s.extPods.set(identity, addPod(s, p));
  }
  return p;
}

export function hostsFor(s: SimCore, fromProxy: string | null, dest: CompiledDest, policy: ResolvedPolicy | null, up: UpstreamRequest): Host[] {
  const hosts: Host[] = [];
  const svc = dest.service!;
  const sp = portOfService(svc, dest.port);
  const key = transportKey(fromProxy, dest, policy, up);
  for (const ep of clusterEndpoints(dest) as Endpoint[]) {
    const info = transportFor(s.mesh, fromProxy, dest, policy, ep, up, key);
    if (ep.workload) {
      const pods = podsOf(s, ep.workload, ep.workload.sidecar || ep.workload.gateway || info.gateway);
      for (const pod of pods) hosts.push(new Host(hosts.length, pod, 1, info.kind, info.status));
    } else {
      const port = sp ? (ep.ports?.[sp.name] ?? dest.port) : dest.port;
      const pod = externalPod(s, info.keys, `${ep.address}:${port}`);
      hosts.push(new Host(hosts.length, pod, Math.max(1, ep.replicas), info.kind, info.status));
    }
  }
  // Kept for the run: a copy of its own length (pushing left room for 17 hosts).
  return hosts.slice();
}

/** The request as the proxy forwards it (for TLS decisions), built once per cluster state. */
export function upstreamOf(r: Req, dest: CompiledDest): UpstreamRequest {
  const tpl = r.tpl!;
  if (r.mode !== M_HTTP) return l4Upstream(tpl.prep.hop, tpl.carriesHttp);
  const up = upstreamRequest(tpl.prep.hop, r.route!, dest, !r.isMirror && r.action!.dests.length > 1);
  return r.isMirror ? { ...up, authority: up.authority.replace(/^([^:]+)/, '$1-shadow') } : up;
}

/** The cluster state of the request's proxy for `di`'s destination (its header's place in `r.hb`), made on first use. */
export function clusterFor(s: SimCore, r: Req, di: DestInfo): ClusterState {
  const i = r.instIdx;
  let cs: ClusterState | undefined;
  if (i === 0) {
    cs = di.cs0;
    r.hb = di.hb0;
  } else if (i === 1) {
    cs = di.cs1;
    r.hb = di.hb1;
  } else if (i === 2) {
    cs = di.cs2;
    r.hb = di.hb2;
  } else {
    cs = di.states?.[i];
    if (cs !== undefined) r.hb = cs.hb;
  }
  if (cs !== undefined) return cs;
  const inst = r.tpl!.insts[i];
  const dest = di.dest!;
  cs = inst.clusters.get(di.cluster);
  if (cs === undefined) {
    // What every client proxy's copy of this cluster shares (policy, pods, TLS fit, settings) is worked out once.
    let plan = s.plans.get(dest);
    if (plan === undefined) {
      const policy = resolvePolicy(dest.dr, dest.port, dest.subsetDef);
      plan = { policy, hosts: hostsFor(s, inst.label, dest, policy, upstreamOf(r, dest)), settings: clusterSettings(policy, dest) };
      s.plans.set(dest, plan);
    }
    // Hosts carry per-proxy outlier state; without outlier detection every proxy can share them.
    const hosts = plan.policy.outlierDetection ? plan.hosts.map((h, k) => new Host(k, h.pod, h.weight, h.transport, h.transportStatus)) : plan.hosts;
    cs = new ClusterState(s.clusterList.length, dest.cluster, inst.label, hosts, s.workers, di.subset, di.cluster, s.store, s.ps, plan.settings);
    cs.init(s.rng, s.now);
    s.clusterList.push(cs);
    if (cs.od !== null) s.odClusters.push(cs);
    inst.clusters.set(di.cluster, cs);
  }
  r.hb = cs.hb;
  if (i === 0) {
    di.cs0 = cs;
    di.hb0 = cs.hb;
  } else if (i === 1) {
    di.cs1 = cs;
    di.hb1 = cs.hb;
  } else if (i === 2) {
    di.cs2 = cs;
    di.hb2 = cs.hb;
  } else (di.states ??= [])[i] = cs;
  return cs;
}

