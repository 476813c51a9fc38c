/**
 * The simulation's state and its event loop: a discrete-event simulation over simulated time (a
 * priority queue of events, never wall-clock waits), deterministic for a seed.
 *
 * `SimCore` owns everything a run keeps — groups and their clients, pooled requests and
 * connections, per proxy cluster state, tallies — and dispatches events to the modules that play
 * them: arrivals (arrivals.ts), the routing decision per template (routing.ts), attempts through
 * connection pools to the application and their timeouts (attempt.ts), retries (retry.ts), L4 and
 * proxy-less paths (direct.ts), the end of a request (finish.ts), gateways past the first proxy
 * (hops.ts: a gateway's handling is a request of its own, nested in its caller's attempt), what
 * follows an answer and phases (phases.ts) and the result (results.ts). Their imports form no
 * cycle: what comes back round (a client's next request) does so through an event.
 * Those modules are functions over a `SimCore`; only `Simulation` (simulator.ts) is public.
 *
 * The hot loop allocates nothing per request once warm: requests, connections and events are
 * pooled; counters are typed arrays indexed by ids assigned on first sight.
 */
import type { CompiledMesh } from '../compile';
import { newDecision, type Decision } from '../decide';
import type { ResolvedPolicy } from '../destinationrule';
import type { RetryPolicy } from '../policy';
import type { Workload } from '../registry';
import { createRng, type Rng } from '../rng';
import type { CompiledDest } from '../routes';
import { EngineInputError } from '../types';
import { onArrive, onOpen } from './arrivals';
import { attempt, onConnected, onResponse } from './attempt';
import { ClusterState, type EjectionSink } from './cluster';
import type { ClusterSettings } from './clusterConfig';
import { C_GEN, C_STATE, CX, CX_CONNECTING, PodTable, PoolStore, type Host, type Pod } from './pool';
import { OD_REASONS, StatStore } from './stats';
import { A_ACTIVE, A_BACKOFF, A_CONNECTING, A_DELAY, A_IDLE, A_PENDING, EV_ARRIVE, EV_BACKOFF, EV_CONNECTED, EV_HOP, EV_L4_CONNECTED, EV_OPEN, EV_PER_TRY, EV_RESPONSE, EV_ROUTER, EV_TIMEOUT } from './codes';
import { onL4Connected } from './direct';
import { startNextPhase } from './phases';
import { EdgeLog } from './edgelog';
import { CountChunks } from './histogram';
import { EventQueue } from './queue';
import { Acc, Client, Group, Req, type EdgeRec, type ProxyInst } from './records';
import { onPerTryTimeout, onRouteTimeout } from './attempt';
import { router, startHop } from './routing';
import { Series } from './series';
import { makeTpl } from './topology';
import type { EjectionEvent, SimProgress, SimSpec, UpstreamModel } from './types';
import { SimInputError, validateSimSpec } from './validate';

export class SimCore implements EjectionSink {
  readonly warnings: string[];
  readonly rng: Rng;
  readonly q = new EventQueue();
  readonly d: Decision = newDecision();
  readonly hop: number;
  /** The event-queue lane of closed-loop clients' next sends (2 hops after an answer; see queue.ts). */
  readonly arriveLane: number;
  readonly connectMs: number;
  /** The event-queue lane of connections being opened (`connectMs` after the attempt that opens them). */
  readonly connectLane: number;
  readonly workers: number;
  readonly seed: number;
  now = 0;
  done = false;
  truncated = false;

  readonly groups: Group[] = [];
  readonly clients: Client[] = [];
  readonly phases: number[];
  phaseIdx = -1;
  totalSent = 0;
  completed = 0;
  mirrorInflight = 0;
  lastT = 0;
  readonly knownTotal: number | null;

  readonly reqs: Req[] = [];
  readonly freeReqs: Req[] = [];
  /** Connection pools of every cluster state (a cluster's from its `poolBase`) and their connections. */
  readonly ps = new PoolStore(this.reqs);
  /** Upstream pods by index (`Pod.pIdx`). */
  readonly pods: Pod[] = [];
  /** The pods' hot numbers, by index (pool.ts). */
  readonly podTable = new PodTable();
  seq = 0;
  /** See routing.ts `touchPools`. */
  touched = 0;

  /** The client proxies of each workload, by label (topology.ts `proxyInsts`). */
  readonly insts = new Map<string, ProxyInst[]>();
  readonly clusterList: ClusterState[] = [];
  /** The cluster states with outlier detection (swept at the end of the run). */
  readonly odClusters: ClusterState[] = [];
  readonly store = new StatStore();
  readonly plans = new WeakMap<CompiledDest, { policy: ResolvedPolicy; hosts: Host[]; settings: ClusterSettings }>();
  readonly workloadPods = new Map<Workload, Pod[]>();
  readonly extPods = new Map<string, Pod>();
  readonly upstreamModels: Record<string, UpstreamModel>;
  readonly externalModels: Record<string, UpstreamModel>;
  readonly usedUpstream = new Set<string>();
  readonly usedExternal = new Set<string>();

  readonly total = new Acc();
  readonly mirrorAcc = new Acc();
  readonly accs: Acc[];
  readonly subsetNames: string[] = [];
  readonly subsetIds = new Map<string, number>();
  readonly clusterNames: string[] = [];
  readonly clusterIds = new Map<string, number>();
  readonly workloadNames: string[] = [];
  readonly workloadIds = new Map<string, number>();
  readonly podNames: string[] = [];
  /** Workload (tally index) of each pod. */
  readonly podWorkload: number[] = [];
  /** Answers per pod and group (pod × groups + group), summed into byPod and byWorkload at the end. */
  podCounts = new Float64Array(64);
  readonly nGroups: number;
  readonly edges: EdgeRec[] = [];
  /** By DestInfo `idx`: requests answered after routing there, and its edge (-1: none); read and written without the DestInfo. */
  diCount = new Float64Array(256);
  diEdge = new Int32Array(256);
  nDestInfos = 0;
  readonly edgeIds = new Map<string, EdgeRec>();
  /** Edges by destination, for sidecars, gateways, and their mirrors (topology.ts `edgeFor`). */
  readonly edgeOfDest = [0, 1, 2, 3].map(() => new Map<CompiledDest, EdgeRec | null>());
  /** What requests ending add to the edges, folded in batches. */
  readonly edgeLog = new EdgeLog(this.edges);
  /** Where the edges' latency histograms keep their counts. */
  readonly edgeChunks = new CountChunks();
  readonly series: Series;
  readonly ejections: EjectionEvent[] = [];
  ejectionsDropped = 0;
  readonly maxEjections: number;
  ejectedNow = 0;
  readonly everEjected = new Map<Host, { cs: ClusterState; times: number }>();
  /** Which results each retry policy retries (see retry.ts `retryTable`). */
  readonly retryTables = new WeakMap<RetryPolicy, Uint8Array>();

  constructor(
    readonly mesh: CompiledMesh,
    spec: SimSpec,
  ) {
    const v = validateSimSpec(spec);
    if (v.errors.length) throw new SimInputError(v.errors, v.warnings);
    this.nGroups = spec.traffic.length;
    this.warnings = [...v.warnings];
    this.seed = spec.seed ?? 1;
    this.rng = createRng(this.seed);
    this.hop = spec.network?.hopMs ?? 0.25;
    this.arriveLane = this.q.laneFor(2 * this.hop);
    this.connectMs = spec.network?.connectMs ?? 1;
    this.connectLane = this.q.laneFor(this.connectMs);
    this.workers = spec.proxyConcurrency ?? 2;
    this.maxEjections = spec.results?.maxEjectionEvents ?? 10_000;
    this.series = new Series(spec.results?.timeSeriesBuckets ?? 120);

    // Behaviour: the spec's maps, then `assume` of the requests for keys the spec does not give.
    const up: Record<string, UpstreamModel> = {};
    const ext: Record<string, UpstreamModel> = {};
    for (const g of spec.traffic) {
      for (const t of g.mix) {
        for (const [k, m] of Object.entries(t.assume?.upstream ?? {})) up[k] ??= m as UpstreamModel;
        for (const [k, m] of Object.entries(t.assume?.external ?? {})) ext[k] ??= m as UpstreamModel;
      }
    }
    this.upstreamModels = { ...up, ...(spec.upstream ?? {}) };
    this.externalModels = { ...ext, ...(spec.external ?? {}) };
    for (const k of Object.keys(spec.upstream ?? {})) {
      const i = k.indexOf('/');
      const ws = i >= 0 ? mesh.reg.workloads.filter((w) => w.namespace === k.slice(0, i) && w.name === k.slice(i + 1)) : mesh.reg.workloadsByName.get(k) ?? [];
      if (ws.length === 0) this.warnings.push(`upstream["${k}"] matches no workload in the design`);
      else if (ws.every((w) => w.gateway)) this.warnings.push(`upstream["${k}"] is a gateway, which has no behaviour of its own: it routes what reaches it (describe what it routes to instead)`);
    }

    this.accs = [this.total, this.mirrorAcc];
    const errors: string[] = [];
    let known = 0;
    let finite = true;
    spec.traffic.forEach((gs, gi) => {
      const l = gs.load;
      const conc = l.concurrency ?? 1;
      const qps = l.qps ?? 0;
      const target = l.requests ?? (l.arrival === 'open' && l.durationMs ? Math.ceil((qps * l.durationMs) / 1000) : Infinity);
      if (Number.isFinite(target)) known += target;
      else finite = false;
      const g = new Group(gi, gs.name ?? `#${gi + 1}`, gs.phase ?? 0, target, conc, qps, l.durationMs ?? Infinity, l.arrival === 'open', l.distribution === 'poisson');
      this.groups.push(g);
      this.accs.push(g.acc);
      const weights: number[] = [];
      gs.mix.forEach((t, ti) => {
        try {
          g.tpls.push(makeTpl(this, g, t, t.name ?? `${g.name}.${ti + 1}`));
          weights.push(t.weight ?? 1);
        } catch (e) {
          if (e instanceof EngineInputError) errors.push(`traffic[${gi}].mix[${ti}]: ${e.message}`);
          else throw e;
        }
      });
      g.cum = new Float64Array(weights.length);
      let s = 0;
      weights.forEach((w, i) => (g.cum[i] = s += w));
      g.totalWeight = s;
      g.uniform = weights.every((w) => w === weights[0]);
      if (!g.open) {
        const n = Math.min(conc, Number.isFinite(target) ? target : conc);
        for (let j = 0; j < n; j++) {
          const quota = Number.isFinite(target) ? Math.floor(target / n) + (j < target % n ? 1 : 0) : Infinity;
          const c = new Client(this.clients.length, g, j, quota);
          this.clients.push(c);
          g.clients.push(c.id);
        }
      }
    });
    if (errors.length) throw new SimInputError(errors, this.warnings);
    // Cluster states: one per template and source pod, twice over (a weighted split makes a cluster
    // state per destination), each with rows for a header and a pool per worker and host (say three),
    // at most 16 MB of rows; and their stats.
    let states = 0;
    for (const g of this.groups) for (const t of g.tpls) states += 2 * Math.max(1, t.nInsts);
    this.ps.reserve(Math.min(states * (2 + 3 * this.workers), 1 << 18));
    this.store.reserve(Math.min(states, 1 << 16));
    this.knownTotal = finite ? known : null;
    this.phases = [...new Set(this.groups.map((g) => g.phase))].sort((a, b) => a - b);
    startNextPhase(this);
  }

  allocReq(): Req {
    const r = this.freeReqs.pop() ?? this.newReq();
    r.gen = ++this.seq;
    r.live = true;
    r.isMirror = false;
    r.flags = 0;
    r.di = null;
    r.diIdx = -1;
    r.cs = null;
    r.hb = -1;
    r.action = null;
    r.route = null;
    r.retry = null;
    r.retryTable = null;
    r.retriesLeft = 0;
    r.retryN = 0;
    r.holdsRetry = false;
    r.perTryMs = 0;
    r.hash = -1;
    r.attempts = 0;
    r.attState = A_IDLE;
    r.host = null;
    r.pool = -1;
    r.conn = -1;
    r.podIdx = -1;
    r.podQueued = false;
    r.answeredIdx = -1;
    r.triedN = 0;
    r.attFlags = 0;
    r.overloaded = false;
    r.parent = null;
    r.depth = 0;
    r.child = null;
    r.client = null;
    r.toSlot = -1;
    r.ptSlot = -1;
    return r;
  }

  newReq(): Req {
    const r = new Req(this.reqs.length);
    this.reqs.push(r);
    return r;
  }

  releaseReq(r: Req): void {
    r.live = false;
    r.gen = ++this.seq;
    r.attGen = ++this.seq;
    r.tpl = null;
    r.group = null;
    this.freeReqs.push(r);
  }

  /** Processes up to `maxEvents` events. Returns true when the simulation has finished. */
  step(maxEvents: number): boolean {
    const q = this.q;
    for (let i = 0; i < maxEvents && !this.done; i++) {
      if (!q.pop()) {
        this.finishRun();
        break;
      }
      this.now = q.t;
      const a = q.ea;
      const b = q.eb;
      switch (q.k) {
        case EV_ARRIVE:
          onArrive(this, this.clients[a]);
          break;
        case EV_OPEN:
          onOpen(this, this.groups[a]);
          break;
        case EV_RESPONSE: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_ACTIVE) onResponse(this, r);
          break;
        }
        case EV_CONNECTED: {
          const c = this.ps.p;
          if (c[a * CX + C_GEN] === b && c[a * CX + C_STATE] === CX_CONNECTING) onConnected(this, a);
          break;
        }
        case EV_ROUTER: {
          const r = this.reqs[a];
          if (r.gen === b && r.attState === A_DELAY) {
            r.attState = A_IDLE;
            router(this, r);
          }
          break;
        }
        case EV_PER_TRY: {
          const r = this.reqs[a];
          if (r.attGen === b && (r.attState === A_PENDING || r.attState === A_ACTIVE)) onPerTryTimeout(this, r);
          break;
        }
        case EV_TIMEOUT: {
          const r = this.reqs[a];
          if (r.gen === b && r.live) onRouteTimeout(this, r);
          break;
        }
        case EV_BACKOFF: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_BACKOFF) attempt(this, r);
          break;
        }
        case EV_L4_CONNECTED: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_CONNECTING) onL4Connected(this, r);
          break;
        }
        case EV_HOP: {
          const r = this.reqs[a];
          if (r.gen === b) startHop(this, r);
          break;
        }
      }
    }
    return this.done;
  }

  progress(): SimProgress {
    let fraction: number | null = null;
    if (this.done) fraction = 1;
    else if (this.knownTotal !== null && this.knownTotal > 0) fraction = Math.min(1, this.completed / this.knownTotal);
    else {
      const running = this.groups.filter((g) => g.started && !g.finished && Number.isFinite(g.durationMs));
      if (running.length && running.length === this.groups.filter((g) => g.started && !g.finished).length) {
        const end = Math.max(...running.map((g) => g.startT + g.durationMs));
        const start = Math.min(...running.map((g) => g.startT));
        fraction = Math.min(0.99, Math.max(0, (this.now - start) / Math.max(1e-9, end - start)));
        if (this.phases.length > 1) fraction = (this.phaseIdx + fraction) / this.phases.length;
      }
    }
    return { requestsDone: this.completed, requestsTotal: this.knownTotal, simTimeMs: this.now, fraction };
  }

  finishRun(): void {
    if (this.done) return;
    this.done = true;
    this.now = this.lastT;
    for (const cs of this.odClusters) if (cs.nextSweep <= this.now) cs.sweep(this.now, this);
  }

  // ---- ejection events (from the clusters' outlier detection) ----

  onEject(cs: ClusterState, h: Host, reason: number, now: number, durationMs: number): void {
    this.ejectedNow++;
    this.series.noteEjected(now, this.ejectedNow);
    const rec = this.everEjected.get(h);
    if (rec) rec.times++;
    else this.everEjected.set(h, { cs, times: 1 });
    this.logEjection({ timeMs: now, kind: 'eject', proxy: cs.proxyLabel, cluster: cs.name, pod: h.pod.name, workload: h.pod.workload, reason: OD_REASONS[reason], ejections: h.times, durationMs });
  }

  onUneject(cs: ClusterState, h: Host, now: number): void {
    this.ejectedNow--;
    this.logEjection({ timeMs: now, kind: 'uneject', proxy: cs.proxyLabel, cluster: cs.name, pod: h.pod.name, workload: h.pod.workload });
  }

  logEjection(e: EjectionEvent): void {
    if (this.ejections.length < this.maxEjections) this.ejections.push(e);
    else this.ejectionsDropped++;
  }
}

