/**
 * Per client proxy, per cluster state as Envoy keeps it: hosts (one per pod), connection pools per
 * worker thread and host (pool.ts), the cluster-wide circuit-breaker counters, load balancing over
 * the healthy hosts, outlier detection with ejections, and Envoy-named stats (stats.ts). What
 * every request reads and writes is a header in the PoolStore's rows (header.ts), not the object.
 *
 * Semantics follow Envoy's connection pool (conn_pool_base), circuit breaking, outlier detection
 * and load balancer docs, with Istio's translation of DestinationRule settings (semantics
 * reference §6.3–6.5): limits are cluster-wide per client proxy; a pool with no connection always
 * gets one even over `maxConnections`; pending requests are FIFO; `maxRequestsPerConnection`
 * drains a connection; ejection is inline at the N-th consecutive error, un-ejection at the next
 * interval sweep after base × (times ejected), capped at max(300 s, base).
 */
import type { Rng } from '../rng';
import type { ClusterSettings } from './clusterConfig';
import { U32_MAX } from './codes';
import { buildRing, ringLookup, type Ring } from './hash';
import { HEADER, HF_EQUAL_WEIGHTS, HF_OD, H_FLAGS, H_LB, H_MAX_PENDING, H_MAX_REQUESTS, H_MAX_RETRIES, H_NHEALTHY, H_NHOSTS, H_PANIC, H_PENDING_ACTIVE, H_POOL_BASE, H_RETRY_ACTIVE, H_RQ_2XX, H_RQ_ACTIVE, H_RQ_COMPLETED, H_RQ_TOTAL, H_STREAM_LIMIT, LB_HASH, LB_PASSTHROUGH, LB_RANDOM, LB_ROUND_ROBIN, PICK_SLOW, fastPick } from './header';
import type { Host, PoolStore } from './pool';
import { OD_STATS, ST_OD_ENF_TOTAL, ST_OD_OVERFLOW, ST_RQ_2XX, ST_RQ_COMPLETED, ST_RQ_TOTAL, type StatStore } from './stats';

/** Thresholds when no limit is set (shared, never written). */
const UNSET_THRESHOLDS = Float64Array.of(U32_MAX, U32_MAX, U32_MAX, U32_MAX);

export const HASH_HEADER = 0;
export const HASH_COOKIE = 1;
export const HASH_SOURCE_IP = 2;
export const HASH_QUERY = 3;

export interface OutlierConfig {
  consecutive5xx: number;
  consecutiveGw: number;
  consecutiveLocal: number;
  split: boolean;
  intervalMs: number;
  baseMs: number;
  maxEjectMs: number;
  maxEjectionPercent: number;
}

/** What a cluster tells the simulator about ejections (for events and the time series). */
export interface EjectionSink {
  /** Current simulated time. */
  readonly now: number;
  onEject(cs: ClusterState, h: Host, reason: number, now: number, durationMs: number): void;
  onUneject(cs: ClusterState, h: Host, now: number): void;
}

export class ClusterState {
  // What requests read and write is in the header and the rows after it; the object's own fields
  // serve set-up, connections, outlier detection and the rarer paths.
  /** Where this cluster's header starts in `pools.p`. */
  readonly hb: number;
  /**
   * Load-balancer state, after the header: healthy host indices [lbBase, lbBase + n), active
   * requests per host from lbBase + n (Envoy's host rq_active, shared by the workers: what
   * LEAST_REQUEST compares), and the round-robin position per worker from lbBase + 2n.
   */
  readonly lbBase: number;
  /** Base of this cluster's stats in the store. */
  readonly sb: number;
  cxActive = 0;
  readonly hosts: Host[];
  // Built on first use (the less common balancers only).
  private lbView: Int32Array | null = null;
  private ring: Ring | null = null;
  private wrrState: Float64Array | null = null;
  private weightsArr: Float64Array | null = null;
  /** Outlier detection's timer (only with `od`): where its interval sweeps started, and the next one (Infinity: none due). */
  private odTimer: { base: number; next: number } | null = null;
  ejectedCount = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly proxyLabel: string,
    hosts: Host[],
    readonly workers: number,
    /** Tally indices (subset, cluster). */
    readonly subsetIdx: number,
    readonly clusterIdx: number,
    readonly store: StatStore,
    readonly pools: PoolStore,
    /** The DestinationRule's settings, shared by every client proxy's copy of the cluster (never written). */
    readonly settings: ClusterSettings,
  ) {
    const n = hosts.length;
    this.hb = pools.addRows(HEADER + 2 * n + workers);
    this.lbBase = this.hb + HEADER;
    this.sb = store.alloc();
    this.hosts = hosts;
    const h = pools.p;
    const hb = this.hb;
    // The settings' numbers, where requests read them (header.ts).
    h[hb + H_NHOSTS] = n;
    h[hb + H_LB] = settings.lb;
    h[hb + H_NHEALTHY] = n;
    h[hb + H_PANIC] = settings.od !== null ? settings.panicPercent : 50;
    h[hb + H_FLAGS] = (hosts.every((x) => x.weight === hosts[0].weight) ? HF_EQUAL_WEIGHTS : 0) | (settings.od !== null ? HF_OD : 0);
    h[hb + H_POOL_BASE] = pools.nRows;
    h[hb + H_MAX_REQUESTS] = settings.maxRequests;
    h[hb + H_STREAM_LIMIT] = settings.streamLimit;
    h[hb + H_MAX_RETRIES] = settings.maxRetries;
    h[hb + H_MAX_PENDING] = settings.maxPending;
    for (let i = 0; i < n; i++) h[this.lbBase + i] = i;
    for (let w = 0; w < workers; w++) for (const x of hosts) pools.addPool(id, x);
  }

  // ---- the header's numbers ----

  // ---- the settings ----

  /** Outlier detection (null: none; `HF_OD` in the header says which). */
  get od(): OutlierConfig | null {
    return this.settings.od;
  }
  get maxConnections(): number {
    return this.settings.maxConnections;
  }
  /** 0: unlimited. */
  get maxRequestsPerConnection(): number {
    return this.settings.maxRequestsPerConnection;
  }
  /** Thresholds as configured: maxConnections, http1MaxPendingRequests, http2MaxRequests, maxRetries (2^32-1: unset). */
  get thresholds(): Float64Array {
    return this.settings.thresholds ?? UNSET_THRESHOLDS;
  }
  get hashKind(): number {
    return this.settings.hashKind;
  }
  get hashName(): string {
    return this.settings.hashName;
  }
  get hashCookieTtl(): boolean {
    return this.settings.hashCookieTtl;
  }
  /** Next outlier-detection sweep (Infinity: none due). */
  get nextSweep(): number {
    return this.odTimer !== null ? this.odTimer.next : Infinity;
  }

  get nHosts(): number {
    return this.pools.p[this.hb + H_NHOSTS];
  }
  get lb(): number {
    return this.pools.p[this.hb + H_LB];
  }
  private get nHealthy(): number {
    return this.pools.p[this.hb + H_NHEALTHY];
  }
  private set nHealthy(v: number) {
    this.pools.p[this.hb + H_NHEALTHY] = v;
  }
  /** Below this percentage of healthy hosts, balance over all of them (0: never). */
  get panicPercent(): number {
    return this.pools.p[this.hb + H_PANIC];
  }
  private get equalWeights(): boolean {
    return (this.pools.p[this.hb + H_FLAGS] & HF_EQUAL_WEIGHTS) !== 0;
  }
  get rqActive(): number {
    return this.pools.p[this.hb + H_RQ_ACTIVE];
  }
  /** Concurrent streams per connection: 1 for HTTP/1.1. */
  get streamLimit(): number {
    return this.pools.p[this.hb + H_STREAM_LIMIT];
  }
  get retryActive(): number {
    return this.pools.p[this.hb + H_RETRY_ACTIVE];
  }
  set retryActive(v: number) {
    this.pools.p[this.hb + H_RETRY_ACTIVE] = v;
  }
  get maxRetries(): number {
    return this.pools.p[this.hb + H_MAX_RETRIES];
  }
  get pendingActive(): number {
    return this.pools.p[this.hb + H_PENDING_ACTIVE];
  }
  set pendingActive(v: number) {
    this.pools.p[this.hb + H_PENDING_ACTIVE] = v;
  }
  get maxPending(): number {
    return this.pools.p[this.hb + H_MAX_PENDING];
  }

  /** Starts per-worker round-robin at a random index (as Envoy does) and the outlier interval timer. */
  init(rng: Rng, now: number): void {
    const n = this.hosts.length;
    for (let w = 0; w < this.workers; w++) this.pools.p[this.lbBase + 2 * n + w] = n > 1 ? rng.nextInt(n) : 0;
    const od = this.od;
    if (od !== null) this.odTimer = { base: now, next: now + od.intervalMs };
  }

  /** Writes the counters kept in the header (upstream_rq_total, _completed, _2xx) into the stats store. */
  flush(): void {
    const b = this.store.buf;
    const p = this.pools.p;
    b[this.sb + ST_RQ_TOTAL] = p[this.hb + H_RQ_TOTAL];
    b[this.sb + ST_RQ_COMPLETED] = p[this.hb + H_RQ_COMPLETED];
    b[this.sb + ST_RQ_2XX] = p[this.hb + H_RQ_2XX];
  }

  // ---- load balancing ----

  /** The load-balancer state as an array of its own (for the less common balancers; made again when the rows have grown). */
  private get lb32(): Int32Array {
    const p = this.pools.p;
    if (this.lbView === null || this.lbView.buffer !== p.buffer) this.lbView = p.subarray(this.lbBase, this.lbBase + 2 * this.nHosts + this.workers);
    return this.lbView;
  }

  private get weights(): Float64Array {
    return (this.weightsArr ??= Float64Array.from(this.hosts, (h) => h.weight));
  }

  private get wrr(): Float64Array {
    return (this.wrrState ??= new Float64Array(this.workers * this.nHosts));
  }

  private weightedPick(set: Int32Array, n: number, rng: Rng, byActive: boolean): number {
    let total = 0;
    const act = this.lb32;
    const base = this.nHosts;
    for (let i = 0; i < n; i++) {
      const k = set[i];
      total += byActive ? this.weights[k] / (act[base + k] + 1) : this.weights[k];
    }
    let r = rng.next() * total;
    for (let i = 0; i < n; i++) {
      const k = set[i];
      r -= byActive ? this.weights[k] / (act[base + k] + 1) : this.weights[k];
      if (r < 0) return k;
    }
    return set[n - 1];
  }

  private allHosts: Int32Array | null = null;

  /**
   * Chooses a host for a request on `worker` (`hash` ≥ 0 for consistent hashing), or -1 when no
   * host is healthy and the panic threshold does not apply (→ 503 UH).
   */
  pick(worker: number, rng: Rng, hash: number): number {
    const hi = fastPick(this.pools.p, this.hb, rng);
    return hi !== PICK_SLOW ? hi : this.pickSlow(worker, rng, hash);
  }

  /** `pick` where `fastPick` does not apply. */
  pickSlow(worker: number, rng: Rng, hash: number): number {
    const nh = this.nHosts;
    if (nh === 0) return -1;
    let set = this.lb32;
    let n = this.nHealthy;
    if (this.lb === LB_PASSTHROUGH || (this.panicPercent > 0 && n * 100 < this.panicPercent * nh)) {
      // Original destination (kube-proxy picks), or panic: every host, healthy or not.
      set = this.allHosts ??= Int32Array.from(this.hosts, (_, i) => i);
      n = nh;
      if (this.lb === LB_PASSTHROUGH) return this.equalWeights ? set[rng.nextInt(n)] : this.weightedPick(set, n, rng, false);
    }
    if (n === 0) return -1;
    if (n === 1) return set[0];
    switch (this.lb) {
      case LB_ROUND_ROBIN: {
        if (this.equalWeights) return set[this.lb32[2 * nh + worker]++ % n];
        // Smooth weighted round robin (same long-run shares as Envoy's EDF scheduler).
        const base = worker * nh;
        let best = -1;
        let bestW = -Infinity;
        let total = 0;
        for (let i = 0; i < n; i++) {
          const h = set[i];
          const w = this.hosts[h].weight;
          total += w;
          const cur = (this.wrr[base + h] += w);
          if (cur > bestW) {
            bestW = cur;
            best = h;
          }
        }
        this.wrr[base + best] -= total;
        return best;
      }
      case LB_RANDOM:
        return this.equalWeights ? set[rng.nextInt(n)] : this.weightedPick(set, n, rng, false);
      case LB_HASH: {
        if (hash < 0) return set[rng.nextInt(n)];
        if (this.ring === null) this.ring = buildRing(set, n, this.hosts.map((h) => h.pod.name), this.weights, Math.max(this.settings.ringSize, n));
        return ringLookup(this.ring, hash);
      }
      default: {
        // LEAST_REQUEST: power of two choices among equal weights (the fewer active requests wins, the
        // first on a tie); with unequal weights, weight / (active + 1) (Envoy's EDF with bias 1).
        if (!this.equalWeights) return this.weightedPick(set, n, rng, true);
        const a = set[rng.nextInt(n)];
        const b = set[rng.nextInt(n)];
        const s32 = this.lb32;
        return s32[nh + b] < s32[nh + a] ? b : a;
      }
    }
  }

  private rebuildHealthy(): void {
    let n = 0;
    for (let i = 0; i < this.hosts.length; i++) if (!this.hosts[i].ejected) this.lb32[n++] = i;
    this.nHealthy = n;
    this.ring = null;
  }

  // ---- outlier detection ----

  /** Un-ejects hosts at every interval sweep up to `now` and decays the ejection back-off of healthy hosts. */
  sweep(now: number, sink: EjectionSink): void {
    const od = this.od!;
    const timer = this.odTimer!;
    while (timer.next <= now) {
      const t = timer.next;
      let busy = false;
      for (let i = 0; i < this.hosts.length; i++) {
        const h = this.hosts[i];
        if (!h.ejected) {
          if (h.backoff > 0) h.backoff--;
          if (h.backoff > 0) busy = true;
        } else if (Math.min(od.baseMs * h.backoff, od.maxEjectMs) <= t - h.ejectedAt) {
          h.ejected = false;
          h.c5xx = 0;
          h.cGw = 0;
          this.ejectedCount--;
          this.rebuildHealthy();
          sink.onUneject(this, h, t);
          if (h.backoff > 0) busy = true;
        } else busy = true;
      }
      if (busy) timer.next = t + od.intervalMs;
      else {
        // Nothing ejected, nothing to decay: jump to the first sweep after `now`.
        const k = Math.floor((now - timer.base) / od.intervalMs) + 1;
        timer.next = Math.max(t + od.intervalMs, timer.base + k * od.intervalMs);
      }
    }
  }

  /**
   * Reports an attempt's result for a host: an HTTP status, or a local-origin failure mapped as
   * Envoy does without split mode (connect failure / reset → 503, timeout → 504).
   */
  report(h: Host, code: number, localOrigin: boolean, sink: EjectionSink): void {
    const od = this.od;
    if (od === null || h.ejected) return;
    const now = sink.now;
    if (od.split) {
      if (localOrigin) {
        if (code >= 500) {
          if (++h.cLocal === od.consecutiveLocal) this.detect(h, 2, now, sink);
        } else h.cLocal = 0;
        return;
      }
    }
    if (code >= 500) {
      if (code === 502 || code === 503 || code === 504) {
        if (++h.cGw === od.consecutiveGw) this.detect(h, 1, now, sink);
      } else h.cGw = 0;
      if (++h.c5xx === od.consecutive5xx) this.detect(h, 0, now, sink);
    } else {
      h.c5xx = 0;
      h.cGw = 0;
    }
  }

  private detect(h: Host, type: number, now: number, sink: EjectionSink): void {
    if (h.ejected) return;
    const od = this.od!;
    this.store.buf[this.sb + OD_STATS[type][1]]++;
    if ((100 * this.ejectedCount) / this.hosts.length < od.maxEjectionPercent) {
      this.ejectedCount++;
      this.store.buf[this.sb + ST_OD_ENF_TOTAL]++;
      this.store.buf[this.sb + OD_STATS[type][0]]++;
      h.ejected = true;
      h.ejectedAt = now;
      h.times++;
      if (h.backoff * od.baseMs < od.maxEjectMs + od.baseMs) h.backoff++;
      this.rebuildHealthy();
      sink.onEject(this, h, type, now, Math.min(od.baseMs * h.backoff, od.maxEjectMs));
      const timer = this.odTimer!;
      if (timer.next === Infinity) timer.next = now + od.intervalMs;
    } else this.store.buf[this.sb + ST_OD_OVERFLOW]++;
    if (type === 0) h.c5xx = 0;
    else if (type === 1) h.cGw = 0;
    else h.cLocal = 0;
  }
}
