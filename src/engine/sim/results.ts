/**
 * The result of a run, built when asked (never in the hot loop): per-template destination counts
 * summed into subsets, clusters and canvas edges; per pod and group answers into byPod and
 * byWorkload; tallies with latency summaries from the histograms; Envoy-like stats per client
 * proxy (counters, gauges, circuit-breaker gauges for limits the DestinationRule sets); group
 * results with their own stats; ejections and warnings.
 */
import { STAT_NAMES, ST_RQ_PENDING_OVERFLOW } from './stats';
import { FLAG_NAMES, N_STATUS, OUTCOME_NAMES, U32_MAX } from './codes';
import type { SimCore } from './core';
import { Histogram } from './histogram';
import type { Acc, DestInfo, Group } from './records';
import type { EjectedEndpoint, GroupResult, LatencySummary, SimResult, Tally } from './types';

function summary(h: Histogram): LatencySummary {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: h.n,
    min: r3(h.n ? h.min : 0),
    mean: r3(h.mean()),
    p50: r3(h.quantile(0.5)),
    p90: r3(h.quantile(0.9)),
    p99: r3(h.quantile(0.99)),
    p999: r3(h.quantile(0.999)),
    max: r3(h.max),
  };
}

function tallyOut(s: SimCore, a: Acc): Tally {
  const rec = (names: string[], v: number[]) => {
    const o: Record<string, number> = {};
    names.forEach((n, i) => {
      if (v[i]) o[n] = v[i];
    });
    return o;
  };
  const statusCounts: Record<string, number> = {};
  for (let i = 0; i < N_STATUS; i++) if (a.status[i]) statusCounts[i >= 1000 ? OUTCOME_NAMES[i - 1000] : String(i)] = a.status[i];
  const flagCounts: Record<string, number> = {};
  FLAG_NAMES.forEach((n, i) => {
    if (a.flags[i]) flagCounts[n] = a.flags[i];
  });
  return {
    count: a.count,
    bySubset: rec(s.subsetNames, a.subset),
    byCluster: rec(s.clusterNames, a.cluster),
    byWorkload: rec(s.workloadNames, a.workload),
    byPod: rec(s.podNames, a.pod),
    statusCounts,
    flagCounts,
    attempts: a.attempts,
    latencyMs: summary(a.hist),
  };
}

/** Gauges of every cluster state now: active cx, pending, requests, retries, ejected hosts (5 per cluster). */
export function gauges(s: SimCore): Float64Array {
  for (const cs of s.clusterList) cs.flush();
  const g = new Float64Array(s.clusterList.length * 5);
  s.clusterList.forEach((cs, i) => {
    g[i * 5] = cs.cxActive;
    g[i * 5 + 1] = cs.pendingActive;
    g[i * 5 + 2] = cs.rqActive;
    g[i * 5 + 3] = cs.retryActive;
    g[i * 5 + 4] = cs.ejectedCount;
  });
  return g;
}

/** After the counters (STAT_NAMES) in a cluster's stats: the gauges, then the circuit-breaker gauges (open, remaining) per limit. */
const GAUGE_NAMES = [
  'upstream_cx_active', 'upstream_rq_pending_active', 'upstream_rq_active', 'upstream_rq_retry_active', 'outlier_detection.ejections_active',
  ...['cx_open', 'remaining_cx', 'rq_pending_open', 'remaining_pending', 'rq_open', 'remaining_rq', 'rq_retry_open', 'remaining_retries'].map((n) => `circuit_breakers.default.${n}`),
];
const G = STAT_NAMES.length;
const ALL_NAMES = [...STAT_NAMES, ...GAUGE_NAMES];
/** Stats per cluster. */
const K = G + GAUGE_NAMES.length;

/**
 * The stats of a run's proxies as they are summed: the client proxies of a workload's pods share a
 * label, so their clusters of the same name add up (a "group" here: one per proxy and cluster
 * name). Values are summed in an array and each stat becomes a property once, in the order it was
 * first seen (`order`): adding to properties one by one is far slower than setting each once.
 */
class StatSums {
  // Null-prototype objects are hash tables in V8 from the start: thousands of keys added to plain
  // objects would make a hidden class per key added.
  readonly out: Record<string, Record<string, number>> = Object.create(null);
  private readonly groups = new Map<string, Map<string, number>>();
  /**
   * Per group: the proxy's stats object, its cluster's name and the stat keys (`cluster.<name>.<stat>`,
   * made when first used, shared by every proxy's cluster of that name).
   */
  private readonly objs: Array<Record<string, number>> = [];
  private readonly names: string[] = [];
  private readonly keys: Array<Array<string | undefined>> = [];
  private readonly keysByName = new Map<string, Array<string | undefined>>();
  private sums = new Float64Array(0);
  private seen = new Uint8Array(0);
  /** Group × K + stat, in the order first seen. */
  private readonly order: number[] = [];

  /** Makes room for the sums of the groups `base` has made. */
  alloc(): void {
    this.sums = new Float64Array(this.objs.length * K);
    this.seen = new Uint8Array(this.objs.length * K);
  }

  /** The group of cluster `name` of proxy `label` (× K: where its stats start), made on first sight. */
  base(label: string, name: string): number {
    let byName = this.groups.get(label);
    if (byName === undefined) {
      this.groups.set(label, (byName = new Map()));
      this.out[label] = Object.create(null);
    }
    let g = byName.get(name);
    if (g === undefined) {
      g = this.objs.length;
      byName.set(name, g);
      this.objs.push(this.out[label]);
      this.names.push(name);
      let k = this.keysByName.get(name);
      if (k === undefined) this.keysByName.set(name, (k = new Array<string | undefined>(K)));
      this.keys.push(k);
    }
    return g * K;
  }

  add(at: number, v: number): void {
    if (this.seen[at] === 0) {
      this.seen[at] = 1;
      this.order.push(at);
    }
    this.sums[at] += v;
  }

  /** The stats by proxy label. */
  done(): Record<string, Record<string, number>> {
    for (const at of this.order) {
      const g = (at / K) | 0;
      const i = at - g * K;
      const keys = this.keys[g];
      this.objs[g][keys[i] ?? (keys[i] = `cluster.${this.names[g]}.${ALL_NAMES[i]}`)] = this.sums[at];
    }
    return this.out;
  }
}

/**
 * Envoy-like stats per client proxy: counters from `counters` (minus `base`, for a group's own
 * period), gauges from `gauges`. Zero counters are left out, except the two every reader looks
 * for; circuit-breaker gauges appear only for limits the DestinationRule sets.
 */
function statsOut(s: SimCore, only: ReadonlySet<string> | null, counters: Float64Array, base: Float64Array | null, gaugeValues: Float64Array): Record<string, Record<string, number>> {
  const n = Math.min(s.clusterList.length, gaugeValues.length / 5);
  const sums = new StatSums();
  // The groups first (each cluster state's, -1: left out), then the sums, in arrays just large enough.
  const bases = new Int32Array(n).fill(-1);
  for (let ci = 0; ci < n; ci++) {
    const cs = s.clusterList[ci];
    if (only === null || only.has(cs.proxyLabel)) bases[ci] = sums.base(cs.proxyLabel, cs.name);
  }
  sums.alloc();
  for (let ci = 0; ci < n; ci++) {
    const b = bases[ci];
    if (b < 0) continue;
    const cs = s.clusterList[ci];
    for (let i = 0; i < G; i++) {
      const at = cs.sb + i;
      const v = counters[at] - (base !== null && at < base.length ? base[at] : 0);
      if (v !== 0 || i === ST_RQ_PENDING_OVERFLOW || i === 0) sums.add(b + i, v);
    }
    // Gauges: active cx, pending, requests, retries, ejected hosts.
    const g = ci * 5;
    sums.add(b + G, gaugeValues[g]);
    sums.add(b + G + 1, gaugeValues[g + 1]);
    sums.add(b + G + 2, gaugeValues[g + 2]);
    if (gaugeValues[g + 3]) sums.add(b + G + 3, gaugeValues[g + 3]);
    if (cs.od) sums.add(b + G + 4, gaugeValues[g + 4]);
    // Circuit-breaker gauges only for limits the DestinationRule sets (Istio programs 2^32-1 otherwise):
    // maxConnections, http1MaxPendingRequests, http2MaxRequests and maxRetries against the first four gauges.
    const th = cs.thresholds;
    for (let j = 0; j < 4; j++) {
      const max = th[j];
      if (max === U32_MAX) continue;
      const cur = gaugeValues[g + j];
      sums.add(b + G + 5 + 2 * j, cur >= max ? 1 : 0);
      sums.add(b + G + 6 + 2 * j, Math.max(0, max - cur));
    }
  }
  return sums.done();
}

/** Stats of a group's proxies: counters over the group's lifetime, gauges at its end. */
function groupStats(s: SimCore, g: Group): Record<string, Record<string, number>> {
  const end = g.finished ? g.snapEnd! : s.store.buf;
  return statsOut(s, g.proxies, end, g.snapStart, g.finished ? g.gaugesEnd! : gauges(s));
}

export function buildResult(s: SimCore): SimResult {
  s.edgeLog.flush();
  for (const g of s.groups) {
    const a = g.acc;
    a.subset.fill(0);
    a.cluster.fill(0);
    a.workload.fill(0);
    a.pod.fill(0);
    for (let i = 0; i < s.podNames.length; i++) {
      const c = s.podCounts[i * s.nGroups + g.idx];
      a.pod[i] += c;
      a.workload[s.podWorkload[i]] += c;
    }
    for (const t of g.tpls) {
      const add = (di: DestInfo) => {
        if (di.mirror) return;
        a.subset[di.subset] += s.diCount[di.idx];
        a.cluster[di.cluster] += s.diCount[di.idx];
      };
      for (const di of t.dests) add(di);
      if (t.passthrough) add(t.passthrough.di);
    }
  }
  const globalStats = statsOut(s, null, s.store.buf, null, gauges(s));
  const groups: GroupResult[] = s.groups.map((g) => ({
    name: g.name,
    phase: g.phase,
    // The templates' source proxies, then the gateways their requests went through.
    proxies: [...new Set([...g.tpls.flatMap((t) => (t.insts.length ? [t.insts[0].label] : [`${t.prep.source.workload.name}.${t.prep.source.workload.namespace} (no sidecar)`])), ...g.proxies])],
    startMs: Math.round(g.startT * 1000) / 1000,
    endMs: Math.round((g.finished ? g.endT : s.now) * 1000) / 1000,
    stats: s.groups.length === 1 ? globalStats : groupStats(s, g),
    ...tallyOut(s, g.acc),
  }));
  const ejectedEndpoints: EjectedEndpoint[] = [...s.everEjected].map(([h, { cs, times }]) => ({ proxy: cs.proxyLabel, cluster: cs.name, pod: h.pod.name, workload: h.pod.workload, times, ejectedAtEnd: h.ejected }));
  const warnings = [...s.warnings];
  for (const k of Object.keys(s.externalModels)) if (!s.usedExternal.has(k)) warnings.push(`external["${k}"] was not used: no request reached that host:port`);
  const m = tallyOut(s, s.mirrorAcc);
  const total = s.total;
  total.count = 0;
  total.attempts = 0;
  total.status.fill(0);
  total.flags.fill(0);
  for (const k of ['subset', 'cluster', 'workload', 'pod'] as const) total[k].fill(0);
  total.hist.reset();
  for (const g of s.groups) {
    const a = g.acc;
    total.count += a.count;
    total.attempts += a.attempts;
    for (let i = 0; i < N_STATUS; i++) total.status[i] += a.status[i];
    for (let i = 0; i < FLAG_NAMES.length; i++) total.flags[i] += a.flags[i];
    for (const k of ['subset', 'cluster', 'workload', 'pod'] as const) a[k].forEach((v, i) => (total[k][i] += v));
    total.hist.merge(a.hist);
  }
  return {
    seed: s.seed,
    requests: s.completed,
    simulatedMs: Math.round(s.lastT * 1000) / 1000,
    total: tallyOut(s, total),
    latencyHistogram: total.hist.bins(40),
    groups,
    edges: s.edges.map((e) => {
      const { p50, p90, p99, max } = summary(e);
      return { ...e.out, proxies: [...e.proxies].sort(), requests: e.requests, errors: e.errors, clientErrors: e.clientErrors, latencyMs: { p50, p90, p99, max } };
    }),
    timeSeries: s.series.toJSON(),
    ejections: s.ejections,
    ejectionsDropped: s.ejectionsDropped,
    ejectedEndpoints,
    mirrors: { count: m.count, byCluster: m.byCluster, statusCounts: m.statusCounts },
    stats: globalStats,
    warnings,
    truncated: s.truncated,
  };
}

