/**
 * The load simulator: a discrete-event simulation over simulated time (a priority queue of events,
 * never wall-clock waits), deterministic for a seed.
 *
 * Per request the routing engine's fast path (`route()`) decides at the first proxy; the simulator
 * then plays what that proxy does over time (semantics reference §10): fault delay and abort,
 * mirrors, the route timeout, attempts through the cluster's connection pool (circuit breakers),
 * load balancing over hosts not ejected by outlier detection, per-try timeouts, retries with
 * Envoy's jittered back-off, and the upstream application's behaviour (latency, statuses, resets).
 *
 * Time frame: event times are when the client proxy sees things. A client sends `hopMs` before its
 * request reaches the proxy and gets the answer `hopMs` after the proxy has it; an upstream attempt
 * adds `hopMs` each way. Connections take `connectMs` to open.
 *
 * The hot loop allocates nothing per request once warm: requests, connections and events are
 * pooled; counters are typed arrays indexed by ids assigned on first sight.
 */
import type { CompiledMesh } from '../compile';
import { newDecision, type Decision, type DecisionKind } from '../decide';
import { resolvePolicy, type ResolvedPolicy } from '../destinationrule';
import { parseDurationMs } from '../duration';
import { isRetriable, upstreamRequest } from '../forward';
import type { FaultPolicy, RetryPolicy } from '../policy';
import { prepare, type PreparedRequest } from '../prepare';
import { portOfService, type Endpoint, type Workload } from '../registry';
import { createRng, type Rng } from '../rng';
import { route } from '../route';
import { pickWeighted, type CompiledDest, type CompiledRoute, type RouteAction } from '../routes';
import { EngineInputError } from '../types';
import { clusterEndpoints, type AttemptResult, type UpstreamRequest } from '../upstream';
import { AppModel, B_REFUSED, B_RESET, mergeModels } from './app';
import {
  ClusterState, Conn, CX_CLOSED, CX_CONNECTING, CX_OPEN, HASH_COOKIE, HASH_HEADER, HASH_QUERY, HASH_SOURCE_IP, Host, LB_HASH, LB_LEAST_REQUEST, LB_PASSTHROUGH, LB_RANDOM, LB_ROUND_ROBIN,
  OD_REASONS, Pod, Pool, STAT_NAMES, StatStore, ST_CX_CONNECT_FAIL, ST_CX_DESTROY, ST_CX_MAX_REQUESTS, ST_CX_NONE_HEALTHY, ST_CX_OVERFLOW, ST_CX_TOTAL, ST_RQ_2XX,
  ST_RQ_PENDING_OVERFLOW, ST_RQ_PENDING_TOTAL, ST_RQ_PER_TRY_TIMEOUT, ST_RQ_RETRY, ST_RQ_RETRY_LIMIT_EXCEEDED, ST_RQ_RETRY_OVERFLOW, ST_RQ_RETRY_SUCCESS, ST_RQ_RX_RESET, ST_RQ_TIMEOUT,
  T_APP, T_CONNECT_FAIL, T_RESET, T_STATUS, type EjectionSink, type OutlierConfig,
} from './cluster';
import { hash32 } from './hash';
import { Histogram } from './histogram';
import { EventQueue } from './queue';
import { l4Upstream, transportFor } from './transport';
import type {
  EdgeCount, EjectedEndpoint, EjectionEvent, GroupResult, LatencySummary, SimProgress, SimRequestTemplate, SimResult, SimSpec, Tally, TimeBucket, UpstreamModel,
} from './types';
import { LIMITS, SimInputError, validateSimSpec } from './validate';

// ---- event kinds ----
const EV_ARRIVE = 1;
const EV_OPEN = 2;
const EV_ROUTER = 3;
const EV_CONNECTED = 4;
const EV_RESPONSE = 5;
const EV_PER_TRY = 6;
const EV_TIMEOUT = 7;
const EV_BACKOFF = 8;
const EV_L4_CONNECTED = 9;

// ---- statuses beyond HTTP (indices into status counters) ----
const ST_RESET = 1000;
const ST_REFUSED = 1001;
const ST_TLS_FAIL = 1002;
const ST_CONNECTED = 1003;
const N_STATUS = 1004;
const OUTCOME_NAMES = ['connection_reset', 'connection_refused', 'tls_handshake_failure', 'connected'];

// ---- response flags (bits) ----
const F_NR = 1 << 0;
const F_NC = 1 << 1;
const F_UH = 1 << 2;
const F_UO = 1 << 3;
const F_UF = 1 << 4;
const F_UC = 1 << 5;
const F_UT = 1 << 6;
const F_URX = 1 << 7;
const F_FI = 1 << 8;
const F_DI = 1 << 9;
const FLAG_NAMES = ['NR', 'NC', 'UH', 'UO', 'UF', 'UC', 'UT', 'URX', 'FI', 'DI'];

// ---- request modes, attempt states, failures ----
const M_HTTP = 0;
const M_L4 = 1;
const M_DIRECT = 2;
const A_IDLE = 0;
const A_PENDING = 1;
const A_ACTIVE = 2;
const A_BACKOFF = 3;
const A_CONNECTING = 4;
const A_DELAY = 5;
const FAIL_NONE = 0;
const FAIL_CONNECT = 1;
const FAIL_RESET = 2;
const FAIL_TIMEOUT = 3;

const U32_MAX = 4294967295;

/** One client proxy (a pod's sidecar or a gateway pod): its clusters and their state. */
class ProxyInst {
  readonly clusters = new Map<string, ClusterState>();
  constructor(
    /** e.g. `sidecar fortio-deploy.default` (pods of a workload share it; stats are summed). */
    readonly label: string,
    readonly podName: string,
  ) {}
}

/** What a template's routing to one destination needs: tally ids, the edge, per source pod cluster state. */
class DestInfo {
  /** Cluster state for the template's first source pod, then for the others by pod index. */
  cs0: ClusterState | undefined = undefined;
  readonly states: Array<ClusterState | undefined> = [];
  plainHosts: Host[] | null = null;
  /** Requests of the template's group answered after routing here (summed into bySubset, byCluster and edges at the end). */
  count = 0;
  /** Of those, 5xx answers or no HTTP answer. */
  errors = 0;
  /** Of those, 4xx answers. */
  clientErrors = 0;
  /** Their latency as the caller saw it (for per-edge percentiles; mirrors record none). */
  readonly hist = new Histogram(4);
  readonly missing: boolean;
  constructor(
    readonly dest: CompiledDest | null,
    readonly subset: number,
    readonly cluster: number,
    readonly edge: number,
    readonly mirror: boolean,
  ) {
    this.missing = dest !== null && dest.missing !== null;
  }
}

/**
 * A template's routing decision at its first proxy. Matching is a pure function of the prepared
 * request and the proxy's tables, so it is taken from the engine's `route()` once; only the
 * weighted destination draw is repeated per request, with the engine's own weight table and
 * draw (`pickWeighted` consumes the random numbers exactly as `route()` does).
 */
class Tpl {
  // The memoised decision (see above) and what the router needs from it, in the order a request
  // reads them (V8 lays fields out in declaration order, so they share few cache lines).
  nInsts = 0;
  routed = false;
  wDests: CompiledDest[] | null = null;
  wCum: Int32Array | null = null;
  wTotal = 0;
  fixedDest: CompiledDest | null = null;
  /** DestInfo of the fixed destination or weighted destination 0, then per weighted destination index. */
  info0: DestInfo | undefined = undefined;
  readonly infos: Array<DestInfo | undefined> = [];
  dkind: DecisionKind = 'no_route';
  route: CompiledRoute | null = null;
  action: RouteAction | null = null;
  fault: FaultPolicy | null = null;
  hasMirrors = false;
  timeoutMs = 0;
  retry: RetryPolicy | null = null;
  retryTable: Uint8Array | null = null;
  retryAttempts = 0;
  perTryMs = 0;
  // Cold.
  readonly destInfo = new Map<CompiledDest, DestInfo>();
  readonly hashCache = new Map<string, number>();
  passthrough: { di: DestInfo; host: Host } | null = null;
  constructor(
    readonly group: Group,
    readonly name: string,
    readonly prep: PreparedRequest,
    readonly kind: 'sidecar' | 'gateway' | 'plain',
    readonly insts: ProxyInst[],
    readonly carriesHttp: boolean,
    /** `x-envoy-upstream-rq-timeout-ms` from a sidecar's application (NaN: none). */
    readonly timeoutOverride: number,
  ) {
    this.nInsts = insts.length;
  }
}

class Acc {
  count = 0;
  attempts = 0;
  readonly status = new Float64Array(N_STATUS);
  readonly flags = new Float64Array(FLAG_NAMES.length);
  readonly subset: number[] = [];
  readonly cluster: number[] = [];
  readonly workload: number[] = [];
  readonly pod: number[] = [];
  readonly hist = new Histogram();
}

class Group {
  readonly acc = new Acc();
  tpls: Tpl[] = [];
  cum: Float64Array = new Float64Array(0);
  totalWeight = 0;
  uniform = true;
  clients: number[] = [];
  sent = 0;
  inflight = 0;
  activeClients = 0;
  generatorDone = true;
  started = false;
  finished = false;
  startT = 0;
  stopT = Infinity;
  endT = 0;
  openNext = 0;
  proxies = new Set<string>();
  /** Counters when the group started and ended, and gauges at its end (for its own stats). */
  snapStart: Float64Array | null = null;
  snapEnd: Float64Array | null = null;
  gaugesEnd: Float64Array | null = null;
  constructor(
    readonly idx: number,
    readonly name: string,
    readonly phase: number,
    readonly target: number,
    readonly concurrency: number,
    readonly qps: number,
    readonly durationMs: number,
    readonly open: boolean,
    readonly poisson: boolean,
  ) {}
}

class Client {
  sent = 0;
  nextSlot = 0;
  constructor(
    readonly id: number,
    readonly group: Group,
    readonly idx: number,
    readonly quota: number,
  ) {}
}

class Req {
  gen = 0;
  live = false;
  isMirror = false;
  group: Group | null = null;
  client: Client | null = null;
  clientIdx = 0;
  tpl: Tpl | null = null;
  instIdx = 0;
  worker = 0;
  t0 = 0;
  flags = 0;
  mode = M_HTTP;
  action: RouteAction | null = null;
  route: CompiledRoute | null = null;
  di: DestInfo | null = null;
  cs: ClusterState | null = null;
  retry: RetryPolicy | null = null;
  retryTable: Uint8Array | null = null;
  retriesLeft = 0;
  retryN = 0;
  holdsRetry = false;
  perTryMs = 0;
  hash = -1;
  attempts = 0;
  attGen = 0;
  attState = A_IDLE;
  attStatus = 0;
  attFailure = FAIL_NONE;
  host: Host | null = null;
  pool: Pool | null = null;
  conn: Conn | null = null;
  pod: Pod | null = null;
  podQueued = false;
  answered: Pod | null = null;
  readonly tried = new Int32Array(8);
  triedN = 0;
  /** Pending timers (slot and insertion order in the event queue), cancelled when no longer needed. */
  toSlot = -1;
  toOrder = 0;
  ptSlot = -1;
  ptOrder = 0;
  constructor(readonly id: number) {}
}

interface EdgeRec {
  out: EdgeCount;
  proxies: Set<string>;
}

/** Time series with buckets that double in width (pairs merged) as the run grows. */
class Series {
  bucketMs = 1;
  readonly rows: Array<{ n: number; s2: number; s3: number; s4: number; s5: number; none: number; uo: number; uh: number; ut: number; ej: number; hist: Histogram }> = [];
  constructor(readonly max: number) {}

  private row(i: number) {
    while (this.rows.length <= i) this.rows.push({ n: 0, s2: 0, s3: 0, s4: 0, s5: 0, none: 0, uo: 0, uh: 0, ut: 0, ej: 0, hist: new Histogram(3) });
    return this.rows[i];
  }

  private widen(): void {
    const old = this.rows.splice(0);
    this.bucketMs *= 2;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i];
      const b = old[i + 1];
      if (b) {
        a.n += b.n;
        a.s2 += b.s2;
        a.s3 += b.s3;
        a.s4 += b.s4;
        a.s5 += b.s5;
        a.none += b.none;
        a.uo += b.uo;
        a.uh += b.uh;
        a.ut += b.ut;
        a.ej = Math.max(a.ej, b.ej);
        a.hist.merge(b.hist);
      }
      this.rows.push(a);
    }
  }

  /** Completion time and latency of the request being added (set before `add`, so no number is boxed). */
  t = 0.5;
  lat = 0.5;

  add(status: number, flags: number, ejected: number): void {
    const t = this.t;
    const latency = this.lat;
    let i = Math.floor(t / this.bucketMs);
    while (i >= this.max) {
      this.widen();
      i = Math.floor(t / this.bucketMs);
    }
    const r = this.row(i);
    r.n++;
    if (status >= 1000) r.none++;
    else if (status >= 500) r.s5++;
    else if (status >= 400) r.s4++;
    else if (status >= 300) r.s3++;
    else r.s2++;
    if (flags & F_UO) r.uo++;
    if (flags & F_UH) r.uh++;
    if (flags & F_UT) r.ut++;
    if (ejected > r.ej) r.ej = ejected;
    r.hist.v = latency;
    r.hist.addV();
  }

  noteEjected(t: number, ejected: number): void {
    let i = Math.floor(t / this.bucketMs);
    while (i >= this.max) {
      this.widen();
      i = Math.floor(t / this.bucketMs);
    }
    const r = this.row(i);
    if (ejected > r.ej) r.ej = ejected;
  }

  toJSON(): { bucketMs: number; buckets: TimeBucket[] } {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      bucketMs: this.bucketMs,
      buckets: this.rows.map((r, i) => ({
        startMs: i * this.bucketMs, requests: r.n, s2xx: r.s2, s3xx: r.s3, s4xx: r.s4, s5xx: r.s5, none: r.none, uo: r.uo, uh: r.uh, ut: r.ut,
        meanMs: r3(r.hist.mean()), p50Ms: r3(r.hist.quantile(0.5)), p99Ms: r3(r.hist.quantile(0.99)), maxMs: r3(r.hist.max), ejected: r.ej,
      })),
    };
  }
}

const toInt = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : null;
};
/** Istio: a connection-pool field of 0 (or absent) means "unset", i.e. 2^32-1. */
const limit = (v: unknown): number => {
  const n = toInt(v);
  return n !== null && n > 0 ? n : U32_MAX;
};

export class Simulation implements EjectionSink {
  readonly warnings: string[];
  private readonly rng: Rng;
  private readonly q = new EventQueue();
  private readonly d: Decision = newDecision();
  private readonly hop: number;
  private readonly connectMs: number;
  private readonly workers: number;
  private readonly seed: number;
  now = 0;
  private done = false;
  private truncated = false;

  private readonly groups: Group[] = [];
  private readonly clients: Client[] = [];
  private readonly phases: number[];
  private phaseIdx = -1;
  private totalSent = 0;
  private completed = 0;
  private mirrorInflight = 0;
  private lastT = 0;
  private readonly knownTotal: number | null;

  private readonly reqs: Req[] = [];
  private readonly freeReqs: Req[] = [];
  private readonly conns: Conn[] = [];
  private readonly freeConns: Conn[] = [];
  private seq = 0;

  private readonly insts = new Map<string, ProxyInst>();
  private readonly clusterList: ClusterState[] = [];
  private readonly store = new StatStore();
  private readonly plans = new WeakMap<CompiledDest, { policy: ResolvedPolicy; hosts: Host[] }>();
  private readonly workloadPods = new Map<Workload, Pod[]>();
  private readonly extPods = new Map<string, Pod>();
  private readonly upstreamModels: Record<string, UpstreamModel>;
  private readonly externalModels: Record<string, UpstreamModel>;
  private readonly usedUpstream = new Set<string>();
  private readonly usedExternal = new Set<string>();

  private readonly total = new Acc();
  private readonly mirrorAcc = new Acc();
  private readonly accs: Acc[];
  private readonly subsetNames: string[] = [];
  private readonly subsetIds = new Map<string, number>();
  private readonly clusterNames: string[] = [];
  private readonly clusterIds = new Map<string, number>();
  private readonly workloadNames: string[] = [];
  private readonly workloadIds = new Map<string, number>();
  private readonly podNames: string[] = [];
  /** Workload (tally index) of each pod. */
  private readonly podWorkload: number[] = [];
  /** Answers per pod and group (pod × groups + group), summed into byPod and byWorkload at the end. */
  private podCounts = new Float64Array(64);
  private readonly nGroups: number;
  private readonly edges: EdgeRec[] = [];
  private readonly edgeIds = new Map<string, number>();
  private readonly series: Series;
  private readonly ejections: EjectionEvent[] = [];
  private ejectionsDropped = 0;
  private readonly maxEjections: number;
  private ejectedNow = 0;
  private readonly everEjected = new Map<Host, { cs: ClusterState; times: number }>();
  private readonly retryTables = new WeakMap<RetryPolicy, Uint8Array>();

  /**
   * Which results a retry policy retries, from the engine's own `isRetriable`, tabulated once:
   * index = HTTP status (0–999), 1000 connect failure, 1001 reset, 1002 per-try timeout.
   */
  private retriable(p: RetryPolicy): Uint8Array {
    let t = this.retryTables.get(p);
    if (t === undefined) {
      t = new Uint8Array(1003);
      const res: AttemptResult = { status: null, failure: null, latencyMs: 0, responseFrom: '', outcome: 'response', responseHeaders: null };
      for (let s = 100; s < 1000; s++) {
        res.status = s;
        t[s] = isRetriable(p, res, false) ? 1 : 0;
      }
      res.status = null;
      res.failure = 'connect';
      t[1000] = isRetriable(p, res, false) ? 1 : 0;
      res.failure = 'reset';
      t[1001] = isRetriable(p, res, false) ? 1 : 0;
      res.failure = null;
      t[1002] = isRetriable(p, res, true) ? 1 : 0;
      this.retryTables.set(p, t);
    }
    return t;
  }

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
    this.connectMs = spec.network?.connectMs ?? 1;
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
      const known = i >= 0 ? mesh.reg.workloads.some((w) => w.namespace === k.slice(0, i) && w.name === k.slice(i + 1)) : mesh.reg.workloadsByName.has(k);
      if (!known) this.warnings.push(`upstream["${k}"] matches no workload in the design`);
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
          g.tpls.push(this.makeTpl(g, t, t.name ?? `${g.name}.${ti + 1}`));
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
    this.knownTotal = finite ? known : null;
    this.phases = [...new Set(this.groups.map((g) => g.phase))].sort((a, b) => a - b);
    this.startNextPhase();
  }

  // ---------------------------------------------------------------- setup helpers

  private makeTpl(g: Group, t: SimRequestTemplate, name: string): Tpl {
    const prep = prepare(this.mesh, t);
    const s = prep.source;
    const insts: ProxyInst[] = [];
    if (s.kind !== 'plain') {
      const w = s.workload;
      const label = `${s.kind} ${w.name}.${w.namespace}`;
      for (let i = 0; i < Math.max(1, w.replicas); i++) {
        const key = `${label}#${i}`;
        let p = this.insts.get(key);
        if (!p) this.insts.set(key, (p = new ProxyInst(label, `${w.namespace}/${w.name}-${i}`)));
        insts.push(p);
      }
    }
    const override = s.kind === 'sidecar' ? Number(prep.hop.headers.get('x-envoy-upstream-rq-timeout-ms')) : NaN;
    return new Tpl(g, name, prep, s.kind, insts, (t.request.protocol ?? 'http') === 'http', Number.isFinite(override) && override > 0 ? override : NaN);
  }

  private idOf(names: string[], ids: Map<string, number>, key: string, field: 'subset' | 'cluster' | 'workload' | 'pod'): number {
    let i = ids.get(key);
    if (i === undefined) {
      i = names.length;
      names.push(key);
      ids.set(key, i);
      for (const a of this.accs) a[field].push(0);
    }
    return i;
  }

  private podId(name: string, wIdx: number): number {
    const i = this.podNames.length;
    this.podNames.push(name);
    this.podWorkload.push(wIdx);
    for (const a of this.accs) a.pod.push(0);
    const need = (i + 1) * this.nGroups;
    if (need > this.podCounts.length) {
      const grown = new Float64Array(Math.max(need, this.podCounts.length * 2));
      grown.set(this.podCounts);
      this.podCounts = grown;
    }
    return i;
  }

  private edgeFor(tpl: Tpl, dest: CompiledDest, mirror: boolean): number {
    const p = dest.path;
    const vs = dest.resource;
    if (!vs || p.length < 3 || p[0] !== 'spec' || typeof p[2] !== 'number') return -1;
    const proto = p[1];
    if (proto !== 'http' && proto !== 'tcp' && proto !== 'tls') return -1;
    let destination = -1;
    let m: number | null = null;
    if (mirror) m = p[3] === 'mirrors' && typeof p[4] === 'number' ? p[4] : -1;
    else if (p[3] === 'route' && typeof p[4] === 'number') destination = p[4];
    else return -1;
    const via = tpl.kind === 'gateway' ? 'gateway' : 'sidecar';
    const key = `${vs}#${proto}/${p[2]}/${mirror ? `m${m}` : destination}@${via}`;
    let i = this.edgeIds.get(key);
    if (i === undefined) {
      i = this.edges.length;
      this.edges.push({ out: { virtualService: vs, protocol: proto, rule: p[2], destination, mirror: m, via, proxies: [], requests: 0, errors: 0, clientErrors: 0, latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 } }, proxies: new Set() });
      this.edgeIds.set(key, i);
    }
    for (const inst of tpl.insts) this.edges[i].proxies.add(inst.label);
    return i;
  }

  private destInfo(tpl: Tpl, dest: CompiledDest, mirror: boolean): DestInfo {
    let di = tpl.destInfo.get(dest);
    if (di === undefined) {
      const subset = this.idOf(this.subsetNames, this.subsetIds, dest.subset ? `${dest.host}/${dest.subset}` : dest.host, 'subset');
      const cluster = this.idOf(this.clusterNames, this.clusterIds, dest.cluster, 'cluster');
      di = new DestInfo(dest, subset, cluster, this.edgeFor(tpl, dest, mirror), mirror);
      tpl.destInfo.set(dest, di);
    }
    return di;
  }

  private modelFor(w: Workload): UpstreamModel | undefined {
    const k1 = `${w.namespace}/${w.name}`;
    const m = this.upstreamModels;
    if (m[k1]) {
      this.usedUpstream.add(k1);
      return m[k1];
    }
    if (m[w.name]) {
      this.usedUpstream.add(w.name);
      return m[w.name];
    }
    return undefined;
  }

  private podsOf(w: Workload, viaSidecar: boolean): Pod[] {
    let pods = this.workloadPods.get(w);
    if (pods === undefined) {
      const m = this.modelFor(w);
      const shared = new AppModel(m);
      const label = `${w.namespace}/${w.name}`;
      const wIdx = this.idOf(this.workloadNames, this.workloadIds, label, 'workload');
      pods = [];
      for (let i = 0; i < Math.max(1, w.replicas); i++) {
        const name = `${w.name}-${i}`;
        const over = m?.pods?.[String(i)] ?? m?.pods?.[name];
        pods.push(new Pod(`${w.namespace}/${name}`, label, wIdx, this.podId(`${w.namespace}/${name}`, wIdx), over ? new AppModel(mergeModels(m, over)) : shared, viaSidecar));
      }
      this.workloadPods.set(w, pods);
    }
    return pods;
  }

  private externalPod(keys: string[], identity: string): Pod {
    let p = this.extPods.get(identity);
    if (p === undefined) {
      const k = keys.find((x) => this.externalModels[x] !== undefined);
      if (k !== undefined) this.usedExternal.add(k);
      const label = `external ${keys[0] ?? identity}`;
      const wIdx = this.idOf(this.workloadNames, this.workloadIds, label, 'workload');
      p = new Pod(`external ${identity}`, label, wIdx, this.podId(`external ${identity}`, wIdx), new AppModel(k !== undefined ? this.externalModels[k] : undefined), false);
      this.extPods.set(identity, p);
    }
    return p;
  }

  private hostsFor(fromProxy: string | null, dest: CompiledDest, policy: ResolvedPolicy | null, up: UpstreamRequest): Host[] {
    const hosts: Host[] = [];
    const svc = dest.service!;
    const sp = portOfService(svc, dest.port);
    for (const ep of clusterEndpoints(dest) as Endpoint[]) {
      const info = transportFor(this.mesh, fromProxy, dest, policy, ep, up);
      if (ep.workload) {
        const pods = this.podsOf(ep.workload, ep.workload.sidecar || ep.workload.gateway || info.gateway);
        for (const pod of pods) hosts.push(new Host(hosts.length, pod, 1, info.kind, info.status));
      } else {
        const port = sp ? (ep.ports?.[sp.name] ?? dest.port) : dest.port;
        const pod = this.externalPod(info.keys, `${ep.address}:${port}`);
        hosts.push(new Host(hosts.length, pod, Math.max(1, ep.replicas), info.kind, info.status));
      }
    }
    return hosts;
  }

  /** The request as the proxy forwards it (for TLS decisions), built once per cluster state. */
  private upstreamOf(r: Req, dest: CompiledDest): UpstreamRequest {
    const tpl = r.tpl!;
    if (r.mode !== M_HTTP) return l4Upstream(tpl.prep.hop, tpl.carriesHttp);
    const up = upstreamRequest(tpl.prep.hop, r.route!, dest, !r.isMirror && r.action!.dests.length > 1);
    return r.isMirror ? { ...up, authority: up.authority.replace(/^([^:]+)/, '$1-shadow') } : up;
  }

  private clusterFor(r: Req, di: DestInfo): ClusterState {
    const i = r.instIdx;
    let cs = i === 0 ? di.cs0 : di.states[i];
    if (cs !== undefined) return cs;
    const inst = r.tpl!.insts[i];
    const dest = di.dest!;
    cs = inst.clusters.get(dest.cluster);
    if (cs === undefined) {
      // What every client proxy's copy of this cluster shares (policy, pods, TLS fit) is worked out once.
      let plan = this.plans.get(dest);
      if (plan === undefined) {
        const policy = resolvePolicy(dest.dr, dest.port, dest.subsetDef);
        plan = { policy, hosts: this.hostsFor(inst.label, dest, policy, this.upstreamOf(r, dest)) };
        this.plans.set(dest, plan);
      }
      // Hosts carry per-proxy outlier state; without outlier detection every proxy can share them.
      const hosts = plan.policy.outlierDetection ? plan.hosts.map((h, k) => new Host(k, h.pod, h.weight, h.transport, h.transportStatus)) : plan.hosts;
      cs = new ClusterState(this.clusterList.length, dest.cluster, inst.label, hosts, this.workers, di.subset, di.cluster, this.store);
      this.configure(cs, plan.policy, dest);
      cs.init(this.rng, this.now);
      this.clusterList.push(cs);
      inst.clusters.set(dest.cluster, cs);
    }
    if (i === 0) di.cs0 = cs;
    else di.states[i] = cs;
    return cs;
  }

  private configure(cs: ClusterState, p: ResolvedPolicy, dest: CompiledDest): void {
    const lb = p.loadBalancer?.value as { simple?: string; consistentHash?: Record<string, any> } | undefined;
    if (lb?.consistentHash) {
      const h = lb.consistentHash;
      cs.lb = LB_HASH;
      if (typeof h.httpHeaderName === 'string') {
        cs.hashKind = HASH_HEADER;
        cs.hashName = h.httpHeaderName.toLowerCase();
      } else if (h.httpCookie && typeof h.httpCookie.name === 'string') {
        cs.hashKind = HASH_COOKIE;
        cs.hashName = h.httpCookie.name;
        cs.hashCookieTtl = h.httpCookie.ttl !== undefined && h.httpCookie.ttl !== null;
      } else if (h.useSourceIp) cs.hashKind = HASH_SOURCE_IP;
      else if (typeof h.httpQueryParameterName === 'string') {
        cs.hashKind = HASH_QUERY;
        cs.hashName = h.httpQueryParameterName;
      } else cs.lb = LB_RANDOM;
      const size = toInt(h.ringHash?.minimumRingSize ?? h.minimumRingSize);
      if (size !== null && size > 0) cs.ringSize = Math.min(size, 1 << 20);
    } else {
      const s = String(lb?.simple ?? 'LEAST_REQUEST').toUpperCase();
      cs.lb = s === 'ROUND_ROBIN' ? LB_ROUND_ROBIN : s === 'RANDOM' ? LB_RANDOM : s === 'PASSTHROUGH' ? LB_PASSTHROUGH : LB_LEAST_REQUEST;
    }
    const cp = p.connectionPool?.value as { tcp?: Record<string, unknown>; http?: Record<string, unknown> } | undefined;
    cs.maxConnections = limit(cp?.tcp?.maxConnections);
    cs.maxPending = limit(cp?.http?.http1MaxPendingRequests);
    cs.maxRequests = limit(cp?.http?.http2MaxRequests);
    cs.maxRetries = limit(cp?.http?.maxRetries);
    const mrpc = toInt(cp?.http?.maxRequestsPerConnection);
    cs.maxRequestsPerConnection = mrpc !== null && mrpc > 0 ? mrpc : 0;
    cs.connectTimeoutMs = parseDurationMs(cp?.tcp?.connectTimeout) ?? this.mesh.mesh.connectTimeoutMs;
    const sp = dest.service ? portOfService(dest.service, dest.port) : undefined;
    const h2 = sp?.protocol === 'HTTP2' || sp?.protocol === 'GRPC' || sp?.protocol === 'GRPC-WEB' || String(cp?.http?.h2UpgradePolicy ?? '').toUpperCase() === 'UPGRADE';
    if (h2) {
      const mcs = toInt(cp?.http?.maxConcurrentStreams);
      cs.streamLimit = mcs !== null && mcs > 0 ? mcs : 2147483647;
    }
    const od = p.outlierDetection?.value as Record<string, unknown> | undefined;
    if (od) {
      const c5 = toInt(od.consecutive5xxErrors);
      const cg = toInt(od.consecutiveGatewayErrors);
      const cl = toInt(od.consecutiveLocalOriginFailures);
      const base = parseDurationMs(od.baseEjectionTime) ?? 30_000;
      const cfg: OutlierConfig = {
        consecutive5xx: c5 === null ? 5 : Math.max(0, c5),
        consecutiveGw: cg === null ? 0 : Math.max(0, cg),
        consecutiveLocal: cl === null ? 5 : Math.max(0, cl),
        split: od.splitExternalLocalOriginErrors === true,
        intervalMs: Math.max(1, parseDurationMs(od.interval) ?? 10_000),
        baseMs: base,
        maxEjectMs: Math.max(300_000, base),
        maxEjectionPercent: toInt(od.maxEjectionPercent) ?? 10,
      };
      cs.od = cfg;
      cs.panicPercent = Math.max(0, toInt(od.minHealthPercent) ?? 0);
    }
  }

  // ---------------------------------------------------------------- pools of objects

  private allocReq(): Req {
    const r = this.freeReqs.pop() ?? this.newReq();
    r.gen = ++this.seq;
    r.live = true;
    r.isMirror = false;
    r.flags = 0;
    r.di = null;
    r.cs = null;
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
    r.pool = null;
    r.conn = null;
    r.pod = null;
    r.podQueued = false;
    r.answered = null;
    r.triedN = 0;
    r.client = null;
    r.toSlot = -1;
    r.ptSlot = -1;
    return r;
  }

  private newReq(): Req {
    const r = new Req(this.reqs.length);
    this.reqs.push(r);
    return r;
  }

  private releaseReq(r: Req): void {
    r.live = false;
    r.gen = ++this.seq;
    r.attGen = ++this.seq;
    r.tpl = null;
    r.group = null;
    this.freeReqs.push(r);
  }

  private allocConn(pool: Pool): Conn {
    let c = this.freeConns.pop();
    if (c === undefined) {
      c = new Conn(this.conns.length);
      this.conns.push(c);
    }
    c.gen = ++this.seq;
    c.pool = pool;
    c.active = 0;
    c.draining = false;
    c.state = CX_CONNECTING;
    return c;
  }

  // ---------------------------------------------------------------- the event loop

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
          this.onArrive(this.clients[a]);
          break;
        case EV_OPEN:
          this.onOpen(this.groups[a]);
          break;
        case EV_RESPONSE: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_ACTIVE) this.onResponse(r);
          break;
        }
        case EV_CONNECTED: {
          const c = this.conns[a];
          if (c.gen === b && c.state === CX_CONNECTING) this.onConnected(c);
          break;
        }
        case EV_ROUTER: {
          const r = this.reqs[a];
          if (r.gen === b && r.attState === A_DELAY) {
            r.attState = A_IDLE;
            this.router(r);
          }
          break;
        }
        case EV_PER_TRY: {
          const r = this.reqs[a];
          if (r.attGen === b && (r.attState === A_PENDING || r.attState === A_ACTIVE)) this.onPerTryTimeout(r);
          break;
        }
        case EV_TIMEOUT: {
          const r = this.reqs[a];
          if (r.gen === b && r.live) this.onRouteTimeout(r);
          break;
        }
        case EV_BACKOFF: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_BACKOFF) this.attempt(r);
          break;
        }
        case EV_L4_CONNECTED: {
          const r = this.reqs[a];
          if (r.attGen === b && r.attState === A_CONNECTING) this.onL4Connected(r);
          break;
        }
      }
    }
    return this.done;
  }

  /** Runs to the end (for tests, the CLI and benchmarks). */
  runToEnd(): SimResult {
    while (!this.step(1 << 16));
    return this.result();
  }

  isDone(): boolean {
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

  private finishRun(): void {
    if (this.done) return;
    this.done = true;
    this.now = this.lastT;
    for (const cs of this.clusterList) if (cs.od !== null && cs.nextSweep <= this.now) cs.sweep(this.now, this);
  }

  private startNextPhase(): void {
    this.phaseIdx++;
    if (this.phaseIdx >= this.phases.length) return;
    const ph = this.phases[this.phaseIdx];
    const T = this.now;
    for (const g of this.groups) {
      if (g.phase !== ph) continue;
      g.started = true;
      g.startT = T;
      for (const t of g.tpls) for (const i of t.insts) g.proxies.add(i.label);
      for (const cs of this.clusterList) cs.flush();
      g.snapStart = this.store.snapshot();
      g.stopT = T + g.durationMs;
      if (g.open) {
        g.generatorDone = false;
        g.openNext = T;
        this.q.at = T + this.hop;
        this.q.push(EV_OPEN, g.idx, 0);
      } else {
        g.activeClients = g.clients.length;
        for (const id of g.clients) {
          const c = this.clients[id];
          const first = g.qps > 0 ? T + (c.idx * 1000) / g.qps : T;
          c.nextSlot = first;
          this.q.at = first + this.hop;
          this.q.push(EV_ARRIVE, id, 0);
        }
      }
      if (!g.open && g.clients.length === 0) this.groupMaybeDone(g);
    }
  }

  private groupMaybeDone(g: Group): void {
    if (g.finished || g.inflight > 0 || g.activeClients > 0 || !g.generatorDone) return;
    g.finished = true;
    g.endT = this.now;
    g.gaugesEnd = this.gauges();
    g.snapEnd = this.store.snapshot();
    const ph = this.phases[this.phaseIdx];
    if (this.groups.every((x) => x.phase !== ph || x.finished)) this.startNextPhase();
    if (this.phaseIdx >= this.phases.length && this.mirrorInflight === 0) this.finishRun();
  }

  private pickTpl(g: Group): Tpl {
    const n = g.tpls.length;
    if (n === 1) return g.tpls[0];
    if (g.uniform) return g.tpls[this.rng.nextInt(n)];
    const r = this.rng.next() * g.totalWeight;
    const cum = g.cum;
    for (let i = 0; i < n; i++) if (r < cum[i]) return g.tpls[i];
    return g.tpls[n - 1];
  }

  private canSend(g: Group): boolean {
    if (this.now - this.hop >= g.stopT) return false;
    if (this.totalSent >= LIMITS.requests) {
      if (!this.truncated) {
        this.truncated = true;
        this.warnings.push(`the run stopped at the simulator's limit of ${LIMITS.requests.toLocaleString('en-US')} requests`);
      }
      return false;
    }
    return true;
  }

  private onArrive(c: Client): void {
    const g = c.group;
    if (c.sent >= c.quota || !this.canSend(g)) {
      g.activeClients--;
      this.groupMaybeDone(g);
      return;
    }
    c.sent++;
    g.sent++;
    this.totalSent++;
    const r = this.allocReq();
    r.client = c;
    this.startRequest(r, g, c.idx);
  }

  private onOpen(g: Group): void {
    if (g.sent >= g.target || !this.canSend(g)) {
      g.generatorDone = true;
      this.groupMaybeDone(g);
      return;
    }
    const k = g.sent++;
    this.totalSent++;
    const r = this.allocReq();
    const interval = 1000 / g.qps;
    g.openNext += g.poisson ? -interval * Math.log(1 - this.rng.next()) : interval;
    this.q.at = Math.max(this.now, g.openNext + this.hop);
    this.q.push(EV_OPEN, g.idx, 0);
    this.startRequest(r, g, k % g.concurrency);
  }

  /** The client's next request after an answer: at once (fortio max qps), or at its next paced slot. */
  private clientNext(c: Client, g: Group): void {
    if (c.sent >= c.quota) {
      g.activeClients--;
      return;
    }
    let t = this.now + 2 * this.hop;
    if (g.qps > 0) {
      const perClient = (1000 * g.clients.length) / g.qps;
      if (g.poisson) c.nextSlot += -perClient * Math.log(1 - this.rng.next());
      else c.nextSlot = g.startT + ((c.sent * g.clients.length + c.idx) * 1000) / g.qps;
      if (c.nextSlot + this.hop > t) t = c.nextSlot + this.hop;
    }
    this.q.at = t;
    this.q.push(EV_ARRIVE, c.id, 0);
  }

  // ---------------------------------------------------------------- one request

  private startRequest(r: Req, g: Group, clientIdx: number): void {
    const tpl = this.pickTpl(g);
    r.group = g;
    r.tpl = tpl;
    r.clientIdx = clientIdx;
    r.t0 = this.now - this.hop;
    g.inflight++;
    const ni = tpl.nInsts;
    if (ni === 1) {
      r.instIdx = 0;
      r.worker = clientIdx % this.workers;
    } else if (ni > 0) {
      r.instIdx = clientIdx % ni;
      r.worker = Math.floor(clientIdx / ni) % this.workers;
    } else {
      r.instIdx = 0;
      r.worker = 0;
    }
    let dest: CompiledDest | null;
    let di: DestInfo | null = null;
    if (!tpl.routed) {
      const d = route(this.mesh, tpl.prep, this.rng, this.d);
      this.memoise(tpl, d);
      dest = d.dest;
      if (dest !== null) {
        const i = tpl.wDests === null ? 0 : tpl.wDests.indexOf(dest);
        di = this.destInfo(tpl, dest, false);
        if (i === 0) tpl.info0 = di;
        else tpl.infos[i] = di;
      }
    } else {
      const dests = tpl.wDests;
      let i = 0;
      if (dests === null) dest = tpl.fixedDest;
      else if (dests.length === 0) dest = null;
      else if (dests.length === 1) dest = dests[0];
      else dest = dests[(i = pickWeighted(tpl.wCum!, tpl.wTotal, this.rng))];
      if (dest !== null) {
        if (i === 0) di = tpl.info0 ?? (tpl.info0 = this.destInfo(tpl, dest, false));
        else di = tpl.infos[i] ?? (tpl.infos[i] = this.destInfo(tpl, dest, false));
      }
    }
    const m = tpl;
    switch (m.dkind) {
      case 'route':
        return this.httpRoute(r, m.route!, di);
      case 'tcp':
        return tpl.kind === 'plain' ? this.plainRequest(r, di) : this.l4Route(r, di);
      case 'passthrough':
        return this.passthrough(r);
      case 'no_route':
        return this.finish(r, 404, F_NR);
      case 'block_all':
        return this.finish(r, 502, 0);
      case 'https_redirect':
        return this.finish(r, 301, 0);
      case 'redirect':
        return this.finish(r, m.route!.action.redirect!.code, 0);
      case 'direct':
        return this.finish(r, m.route!.action.direct!.status, 0);
      case 'refused':
        return this.finish(r, ST_REFUSED, 0);
      case 'tls_failure':
        return this.finish(r, ST_TLS_FAIL, 0);
      case 'auto_passthrough':
        return this.finish(r, ST_CONNECTED, 0);
      default:
        return this.finish(r, ST_RESET, 0);
    }
  }

  private memoise(tpl: Tpl, d: Decision): void {
    tpl.routed = true;
    tpl.dkind = d.kind;
    tpl.route = d.route;
    const weighted = d.kind === 'route' ? d.route!.action : d.kind === 'tcp' ? d.l4 : null;
    if (weighted !== null && weighted.dests.length > 1) {
      tpl.wDests = weighted.dests;
      tpl.wCum = weighted.cum;
      tpl.wTotal = weighted.total;
    }
    tpl.fixedDest = tpl.wDests === null ? d.dest : null;
    if (d.kind === 'route') {
      const a = d.route!.action;
      tpl.action = a;
      tpl.fault = a.fault;
      tpl.hasMirrors = a.mirrors.length > 0;
      const to = tpl.timeoutOverride > 0 ? tpl.timeoutOverride : a.timeoutMs;
      tpl.timeoutMs = to !== null && to > 0 ? to : 0;
      tpl.retry = a.retry;
      tpl.retryAttempts = a.retry !== null ? a.retry.attempts : 0;
      tpl.retryTable = a.retry !== null ? this.retriable(a.retry) : null;
      tpl.perTryMs = a.retry !== null && a.retry.perTryTimeoutMs !== null ? a.retry.perTryTimeoutMs : 0;
    }
  }

  private draw(percent: number): boolean {
    if (percent <= 0) return false;
    if (percent >= 100) return true;
    return this.rng.next() * 100 < percent;
  }

  private httpRoute(r: Req, rt: CompiledRoute, di: DestInfo | null): void {
    r.mode = M_HTTP;
    r.action = r.tpl!.action;
    r.route = rt;
    if (di === null) return this.finish(r, 503, F_NC);
    r.di = di;
    const f = r.tpl!.fault;
    if (f !== null && f.delay !== null && this.draw(f.delay.percent)) {
      r.flags |= F_DI;
      r.attState = A_DELAY;
      this.q.at = this.now + f.delay.ms;
      this.q.push(EV_ROUTER, r.id, r.gen);
      return;
    }
    this.router(r);
  }

  /** The fault abort, then the router: cluster, mirrors, route timeout, first attempt. */
  private router(r: Req): void {
    const tpl = r.tpl!;
    const f = tpl.fault;
    if (f !== null && f.abort !== null && this.draw(f.abort.percent)) return this.finish(r, f.abort.status, F_FI);
    const di = r.di!;
    if (di.missing) return this.finish(r, 503, F_NC);
    const cs = this.clusterFor(r, di);
    r.cs = cs;
    if (tpl.hasMirrors) {
      const ms = tpl.action!.mirrors;
      for (let i = 0; i < ms.length; i++) if (this.draw(ms[i].percent)) this.mirror(r, ms[i].dest);
    }
    if (cs.nHosts === 0) {
      this.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
      return this.finish(r, 503, F_UH);
    }
    if (tpl.timeoutMs > 0) {
      this.q.at = this.now + tpl.timeoutMs;
      r.toSlot = this.q.push(EV_TIMEOUT, r.id, r.gen);
      r.toOrder = this.q.lastOrder;
    }
    const retry = tpl.retry;
    r.retry = retry;
    r.retryTable = tpl.retryTable;
    r.retriesLeft = tpl.retryAttempts;
    r.perTryMs = tpl.perTryMs;
    r.hash = cs.lb === LB_HASH ? this.hashKey(r, cs) : -1;
    this.attempt(r);
  }

  private mirror(parent: Req, dest: CompiledDest): void {
    const r = this.allocReq();
    r.isMirror = true;
    r.tpl = parent.tpl;
    r.group = parent.group;
    r.instIdx = parent.instIdx;
    r.worker = parent.worker;
    r.clientIdx = parent.clientIdx;
    r.t0 = this.now;
    r.mode = M_HTTP;
    r.action = parent.action;
    r.route = parent.route;
    this.mirrorInflight++;
    const di = this.destInfo(r.tpl!, dest, true);
    r.di = di;
    if (dest.missing) return this.finish(r, 503, F_NC);
    const a = parent.action!;
    const cs = this.clusterFor(r, di);
    r.cs = cs;
    if (cs.hosts.length === 0) {
      this.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
      return this.finish(r, 503, F_UH);
    }
    if (a.timeoutMs !== null && a.timeoutMs > 0) {
      this.q.at = this.now + a.timeoutMs;
      r.toSlot = this.q.push(EV_TIMEOUT, r.id, r.gen);
      r.toOrder = this.q.lastOrder;
    }
    r.hash = cs.lb === LB_HASH ? this.hashKey(r, cs) : -1;
    this.attempt(r);
  }

  private hashKey(r: Req, cs: ClusterState): number {
    const tpl = r.tpl!;
    switch (cs.hashKind) {
      case HASH_HEADER:
      case HASH_QUERY: {
        const key = `${cs.hashKind}:${cs.hashName}`;
        let h = tpl.hashCache.get(key);
        if (h === undefined) {
          const hop = tpl.prep.hop;
          const v = cs.hashKind === HASH_HEADER ? (tpl.carriesHttp ? hop.headers.get(cs.hashName) : undefined) : hop.query.get(cs.hashName);
          h = v === undefined ? -1 : hash32(v);
          tpl.hashCache.set(key, h);
        }
        return h;
      }
      case HASH_COOKIE: {
        const key = `c:${cs.hashName}`;
        let h = tpl.hashCache.get(key);
        if (h === undefined) {
          const cookie = tpl.prep.hop.headers.get('cookie') ?? '';
          const m = cookie.split(';').map((s) => s.trim()).find((s) => s.startsWith(`${cs.hashName}=`));
          h = m !== undefined ? hash32(m.slice(cs.hashName.length + 1)) : -2;
          tpl.hashCache.set(key, h);
        }
        // No cookie: Envoy generates one when a ttl is set, and the client sends it back from then on.
        if (h === -2) return cs.hashCookieTtl ? hash32(`cookie|${tpl.group.idx}|${r.clientIdx}`) : -1;
        return h;
      }
      default:
        // Source IP: the client pod's (a sidecar), or each external client's connection (a gateway).
        return tpl.kind === 'gateway' ? hash32(`client|${tpl.group.idx}|${r.clientIdx}`) : hash32(tpl.insts[r.instIdx].podName);
    }
  }

  private tried(r: Req, h: number): boolean {
    for (let i = 0; i < r.triedN; i++) if (r.tried[i] === h) return true;
    return false;
  }

  private attempt(r: Req): void {
    const cs = r.cs!;
    if (cs.nextSweep <= this.now) cs.sweep(this.now, this);
    let hi = cs.pick(r.worker, this.rng, r.hash);
    if (hi >= 0 && r.triedN > 0 && cs.lb !== LB_HASH && r.retry !== null && r.retry.ignorePreviousHosts) {
      // Envoy's previous-hosts predicate: up to 5 more host selections to avoid hosts already tried.
      for (let k = 0; k < 5 && this.tried(r, hi); k++) hi = cs.pick(r.worker, this.rng, r.hash);
    }
    if (hi < 0) {
      this.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
      this.releaseRetry(r);
      return this.finish(r, 503, F_UH);
    }
    r.attempts++;
    if (r.triedN < 8) r.tried[r.triedN++] = hi;
    const pool = cs.pool(r.worker, hi);
    r.pool = pool;
    r.host = pool.host;
    r.answered = null;
    r.attGen = ++this.seq;
    if (r.perTryMs > 0) {
      this.q.at = this.now + r.perTryMs;
      r.ptSlot = this.q.push(EV_PER_TRY, r.id, r.attGen);
      r.ptOrder = this.q.lastOrder;
    }
    // Connection pool: a ready connection, else a pending request (and maybe a new connection), else overflow.
    const c = pool.readyConn();
    if (c !== null) {
      this.attach(c, r);
      return;
    }
    if (cs.pendingActive < cs.maxPending) {
      r.attState = A_PENDING;
      pool.pushPending(r);
      cs.pendingActive++;
      this.store.buf[cs.sb + ST_RQ_PENDING_TOTAL]++;
      this.tryCreate(pool);
    } else {
      this.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
      this.overflow(r);
    }
  }

  private tryCreate(pool: Pool): void {
    const cs = pool.cs;
    for (let i = 0; i < 3; i++) {
      if (pool.nPending <= pool.connectingCap) return;
      const can = cs.cxActive < cs.maxConnections;
      if (!can) this.store.buf[cs.sb + ST_CX_OVERFLOW]++;
      // A pool without any connection always gets one, even over the limit (Envoy).
      if (can || pool.nConns === 0) {
        const c = this.allocConn(pool);
        c.remaining = cs.maxRequestsPerConnection > 0 ? cs.maxRequestsPerConnection : Infinity;
        pool.nConns++;
        pool.connectingCap += Math.min(c.remaining, cs.streamLimit);
        cs.cxActive++;
        this.store.buf[cs.sb + ST_CX_TOTAL]++;
        this.q.at = this.now + this.connectMs;
        this.q.push(EV_CONNECTED, c.id, c.gen);
      }
      if (!can) return;
    }
  }

  private onConnected(c: Conn): void {
    const pool = c.pool!;
    const cs = pool.cs;
    const h = pool.host;
    pool.connectingCap -= Math.min(c.remaining, cs.streamLimit);
    const m = h.pod.model;
    const fail = h.transport === T_CONNECT_FAIL || (m.behavior === B_REFUSED && !h.pod.viaSidecar) || (m.connectFailureRate > 0 && this.rng.next() < m.connectFailureRate);
    if (fail) {
      this.store.buf[cs.sb + ST_CX_CONNECT_FAIL]++;
      // A connect failure fails every request pending in this pool (Envoy purges them before closing).
      const failed = pool.drainPending() as Req[];
      this.closeConn(c, false);
      if (failed.length > 0) {
        for (const r of failed) {
          cs.pendingActive--;
          r.attState = A_IDLE;
          this.attemptDone(r, 0, FAIL_CONNECT);
        }
      }
      return;
    }
    c.state = CX_OPEN;
    pool.pushReady(c);
    this.upstreamReady(pool);
  }

  private upstreamReady(pool: Pool): void {
    const cs = pool.cs;
    while (pool.nPending > 0) {
      const c = pool.readyConn();
      if (c === null) break;
      const r = pool.shiftPending() as Req;
      cs.pendingActive--;
      this.attach(c, r);
    }
  }

  private attach(c: Conn, r: Req): void {
    const cs = c.pool!.cs;
    if (cs.rqActive >= cs.maxRequests) {
      this.store.buf[cs.sb + ST_RQ_PENDING_OVERFLOW]++;
      this.overflow(r);
      return;
    }
    if (--c.remaining === 0) {
      c.draining = true;
      this.store.buf[cs.sb + ST_CX_MAX_REQUESTS]++;
    }
    c.active++;
    if (c.draining || c.active >= cs.streamLimit) c.pool!.popReady();
    cs.rqActive++;
    cs.lb32[cs.nHosts + r.host!.idx]++;
    cs.rqTotal++;
    r.conn = c;
    r.attState = A_ACTIVE;
    this.dispatch(r, r.host!);
  }

  /** The request reaches the host: a transport failure, or the application. */
  private dispatch(r: Req, h: Host): void {
    if (h.transport === T_RESET || h.transport === T_CONNECT_FAIL) {
      r.attFailure = h.transport === T_RESET ? FAIL_RESET : FAIL_CONNECT;
      r.attStatus = 0;
      this.q.at = this.now + 2 * this.hop;
      this.q.push(EV_RESPONSE, r.id, r.attGen);
      return;
    }
    if (h.transport === T_STATUS) {
      r.attFailure = FAIL_NONE;
      r.attStatus = h.transportStatus;
      this.q.at = this.now + 2 * this.hop;
      this.q.push(EV_RESPONSE, r.id, r.attGen);
      return;
    }
    const pod = h.pod;
    if (pod.active >= pod.maxConcurrency) {
      r.pod = pod;
      r.podQueued = true;
      pod.queue.push(r);
      return;
    }
    this.serve(pod, r);
  }

  private serve(pod: Pod, r: Req): void {
    pod.active++;
    r.pod = pod;
    r.podQueued = false;
    const m = pod.model;
    let lat = pod.fixedLatency >= 0 ? pod.fixedLatency : m.latency(this.rng);
    let status = 0;
    let failure = FAIL_NONE;
    if (pod.plain) status = pod.fixedStatus > 0 ? pod.fixedStatus : m.nextStatus(this.rng);
    else if (m.behavior === B_REFUSED) {
      // Reached only through a server sidecar (or on a direct path): the sidecar answers 503 at once.
      lat = 0;
      if (pod.viaSidecar) status = 503;
      else failure = FAIL_CONNECT;
    } else if (m.behavior === B_RESET || (m.resetRate > 0 && this.rng.next() < m.resetRate)) {
      if (pod.viaSidecar) status = 503;
      else failure = FAIL_RESET;
    } else status = pod.fixedStatus > 0 ? pod.fixedStatus : m.nextStatus(this.rng);
    r.attStatus = status;
    r.attFailure = failure;
    if (failure === FAIL_NONE) r.answered = pod;
    this.q.at = this.now + lat + 2 * this.hop;
    this.q.push(EV_RESPONSE, r.id, r.attGen);
  }

  private releasePod(pod: Pod): void {
    pod.active--;
    if (pod.qHead < pod.queue.length) {
      const next = pod.queue[pod.qHead] as Req;
      pod.queue[pod.qHead++] = undefined;
      if (pod.qHead === pod.queue.length) {
        pod.queue.length = 0;
        pod.qHead = 0;
      } else if (pod.qHead > 64 && pod.qHead * 2 > pod.queue.length) {
        pod.queue.splice(0, pod.qHead);
        pod.qHead = 0;
      }
      this.serve(pod, next);
    }
  }

  private unqueuePod(r: Req): void {
    const pod = r.pod!;
    const i = pod.queue.indexOf(r, pod.qHead);
    if (i >= 0) pod.queue.splice(i, 1);
    r.podQueued = false;
  }

  private onResponse(r: Req): void {
    const pod = r.pod;
    r.pod = null;
    if (pod !== null) this.releasePod(pod);
    if (r.mode === M_HTTP) {
      this.releaseStream(r, r.attFailure === FAIL_RESET, true);
      this.attemptDone(r, r.attStatus, r.attFailure);
    } else if (r.mode === M_L4) {
      const cs = r.cs!;
      cs.cxActive--;
      this.store.buf[cs.sb + ST_CX_DESTROY]++;
      r.attState = A_IDLE;
      if (r.attFailure !== FAIL_NONE) this.finish(r, ST_RESET, r.attFailure === FAIL_CONNECT ? F_UF : F_UC);
      else this.finish(r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, 0);
    } else {
      r.attState = A_IDLE;
      if (r.attFailure === FAIL_CONNECT) this.finish(r, r.host!.transport === T_CONNECT_FAIL ? ST_TLS_FAIL : ST_REFUSED, 0);
      else if (r.attFailure === FAIL_RESET) this.finish(r, ST_RESET, 0);
      else this.finish(r, r.tpl!.carriesHttp ? r.attStatus : ST_CONNECTED, 0);
    }
  }

  /** The stream ends on its connection: HTTP/1.1 connections close on a reset or when drained; otherwise the connection serves pending requests. */
  private releaseStream(r: Req, reset: boolean, completed: boolean): void {
    const c = r.conn!;
    const pool = c.pool!;
    const cs = pool.cs;
    const wasFull = c.active >= cs.streamLimit;
    c.active--;
    cs.rqActive--;
    cs.lb32[cs.nHosts + r.host!.idx]--;
    r.conn = null;
    if (completed) cs.rqCompleted++;
    if ((reset && cs.streamLimit === 1) || (c.draining && c.active === 0)) this.closeConn(c, true);
    else {
      if (wasFull && !c.draining) pool.pushReady(c);
      this.upstreamReady(pool);
    }
  }

  private closeConn(c: Conn, open: boolean): void {
    const pool = c.pool!;
    const cs = pool.cs;
    pool.nConns--;
    pool.removeReady(c);
    cs.cxActive--;
    if (open) this.store.buf[cs.sb + ST_CX_DESTROY]++;
    c.state = CX_CLOSED;
    c.gen = ++this.seq;
    c.pool = null;
    this.freeConns.push(c);
    // A pool that lost a connection while requests are pending makes a new one.
    if (pool.nPending > 0) this.tryCreate(pool);
  }

  /** Cancels the attempt in flight (pending or active): per-try or route timeout. The host stays in `r.host`. */
  private cancelAttempt(r: Req): void {
    const cs = r.cs!;
    if (r.attState === A_PENDING) {
      const pool = r.pool!;
      if (pool.removePending(r)) cs.pendingActive--;
    } else if (r.attState === A_ACTIVE) {
      if (r.pod !== null) {
        if (r.podQueued) this.unqueuePod(r);
        else this.releasePod(r.pod);
        r.pod = null;
      }
      if (r.mode === M_HTTP) this.releaseStream(r, true, false);
    }
    r.attState = A_IDLE;
    r.attGen = ++this.seq;
  }

  private releaseRetry(r: Req): void {
    if (r.holdsRetry) {
      r.cs!.retryActive--;
      r.holdsRetry = false;
    }
  }

  /** The circuit breaker said no (503 UO): a local reply, never retried, not reported to outlier detection. */
  private overflow(r: Req): void {
    r.attState = A_IDLE;
    r.host = null;
    this.releaseRetry(r);
    this.finish(r, 503, F_UO);
  }

  private onPerTryTimeout(r: Req): void {
    r.ptSlot = -1;
    this.store.buf[r.cs!.sb + ST_RQ_PER_TRY_TIMEOUT]++;
    this.cancelAttempt(r);
    this.attemptDone(r, 0, FAIL_TIMEOUT);
  }

  private onRouteTimeout(r: Req): void {
    r.toSlot = -1;
    const cs = r.cs!;
    this.store.buf[cs.sb + ST_RQ_TIMEOUT]++;
    if (r.attState === A_PENDING || r.attState === A_ACTIVE) {
      const h = r.host!;
      this.cancelAttempt(r);
      if (cs.od !== null) cs.report(h, 504, true, this);
    }
    r.attState = A_IDLE;
    this.releaseRetry(r);
    this.finish(r, 504, F_UT);
  }

  /** An attempt's result: outlier detection, then retry (back-off) or the final answer. */
  private attemptDone(r: Req, status: number, failure: number): void {
    const cs = r.cs!;
    const h = r.host!;
    if (r.ptSlot >= 0) {
      this.q.cancel(r.ptSlot, r.ptOrder);
      r.ptSlot = -1;
    }
    if (cs.od !== null) cs.report(h, failure === FAIL_NONE ? status : failure === FAIL_TIMEOUT ? 504 : 503, failure !== FAIL_NONE, this);
    if (failure === FAIL_NONE) {
      if (status < 300) cs.rq2xx++;
      else this.store.buf[cs.sb + ST_RQ_2XX + Math.min(3, Math.floor(status / 100) - 2)]++;
    }
    else if (failure === FAIL_RESET) this.store.buf[cs.sb + ST_RQ_RX_RESET]++;
    r.attState = A_IDLE;
    this.releaseRetry(r);
    const retry = r.retry;
    if (retry !== null) {
      if (r.retryTable![failure === FAIL_NONE ? (status < 1000 ? status : 0) : 999 + failure] === 1) {
        if (r.retriesLeft === 0) {
          this.store.buf[cs.sb + ST_RQ_RETRY_LIMIT_EXCEEDED]++;
          r.flags |= F_URX;
        } else if (cs.retryActive >= cs.maxRetries) {
          this.store.buf[cs.sb + ST_RQ_RETRY_OVERFLOW]++;
          r.flags |= F_UO;
        } else {
          r.retriesLeft--;
          const n = ++r.retryN;
          cs.retryActive++;
          r.holdsRetry = true;
          this.store.buf[cs.sb + ST_RQ_RETRY]++;
          const base = retry.backoffBaseMs;
          const backoff = this.rng.nextInt(Math.max(1, Math.floor(Math.min((2 ** n - 1) * base, 10 * base))));
          r.attState = A_BACKOFF;
          r.attGen = ++this.seq;
          this.q.at = this.now + backoff;
          this.q.push(EV_BACKOFF, r.id, r.attGen);
          return;
        }
      } else if (r.retryN > 0) this.store.buf[cs.sb + ST_RQ_RETRY_SUCCESS]++;
    }
    if (failure === FAIL_TIMEOUT) this.finish(r, 504, F_UT);
    else if (failure === FAIL_CONNECT) this.finish(r, 503, F_UF);
    else if (failure === FAIL_RESET) this.finish(r, 503, F_UC);
    else this.finish(r, status, 0);
  }

  // ---------------------------------------------------------------- L4 and direct paths

  /** TCP/TLS through a proxy (Envoy tcp_proxy): one connection per request, no retries. */
  private l4Route(r: Req, di: DestInfo | null): void {
    r.mode = M_L4;
    if (di === null) return this.finish(r, ST_RESET, F_NC);
    r.di = di;
    if (di.dest!.missing) return this.finish(r, ST_RESET, F_NC);
    const cs = (r.cs = this.clusterFor(r, di));
    if (cs.nextSweep <= this.now) cs.sweep(this.now, this);
    const hi = cs.hosts.length === 0 ? -1 : cs.pick(r.worker, this.rng, cs.lb === LB_HASH && cs.hashKind === HASH_SOURCE_IP ? this.hashKey(r, cs) : -1);
    if (hi < 0) {
      this.store.buf[cs.sb + ST_CX_NONE_HEALTHY]++;
      return this.finish(r, ST_RESET, F_UH);
    }
    if (cs.cxActive >= cs.maxConnections) {
      this.store.buf[cs.sb + ST_CX_OVERFLOW]++;
      return this.finish(r, ST_RESET, F_UO);
    }
    cs.cxActive++;
    this.store.buf[cs.sb + ST_CX_TOTAL]++;
    r.host = cs.hosts[hi];
    r.attempts = 1;
    r.attState = A_CONNECTING;
    r.attGen = ++this.seq;
    this.q.at = this.now + this.connectMs;
    this.q.push(EV_L4_CONNECTED, r.id, r.attGen);
  }

  private onL4Connected(r: Req): void {
    const cs = r.cs!;
    const h = r.host!;
    const m = h.pod.model;
    const refused = h.transport === T_CONNECT_FAIL || (m.behavior === B_REFUSED && !h.pod.viaSidecar) || (m.connectFailureRate > 0 && this.rng.next() < m.connectFailureRate);
    if (refused) {
      this.store.buf[cs.sb + ST_CX_CONNECT_FAIL]++;
      cs.cxActive--;
      if (cs.od !== null) cs.report(h, 503, true, this);
      r.attState = A_IDLE;
      return this.finish(r, ST_RESET, F_UF);
    }
    if (cs.od !== null) cs.report(h, 200, true, this);
    r.attState = A_ACTIVE;
    if (h.transport === T_RESET) {
      r.attFailure = FAIL_RESET;
      this.q.at = this.now + 2 * this.hop;
      this.q.push(EV_RESPONSE, r.id, r.attGen);
      return;
    }
    this.dispatch(r, h);
  }

  /** A client without sidecar: kube-proxy picks a pod of the Service; no Envoy, no policy. */
  private plainRequest(r: Req, di: DestInfo | null): void {
    r.mode = M_DIRECT;
    const tpl = r.tpl!;
    if (di === null) return this.passthrough(r);
    r.di = di;
    if (di.plainHosts === null) di.plainHosts = this.hostsFor(null, di.dest!, null, l4Upstream(tpl.prep.hop, tpl.carriesHttp));
    const hosts = di.plainHosts;
    if (hosts.length === 0) return this.finish(r, ST_REFUSED, 0);
    let h = hosts[0];
    if (hosts.length > 1) {
      let total = 0;
      for (const x of hosts) total += x.weight;
      let k = this.rng.nextInt(total);
      for (const x of hosts) {
        k -= x.weight;
        if (k < 0) {
          h = x;
          break;
        }
      }
    }
    this.direct(r, h);
  }

  /** PassthroughCluster: the original destination, outside the registry. */
  private passthrough(r: Req): void {
    r.mode = M_DIRECT;
    const tpl = r.tpl!;
    if (tpl.passthrough === null) {
      const hop = tpl.prep.hop;
      const key = `${hop.host}:${hop.port}`;
      const subset = this.idOf(this.subsetNames, this.subsetIds, key, 'subset');
      const cluster = this.idOf(this.clusterNames, this.clusterIds, 'PassthroughCluster', 'cluster');
      const pod = this.externalPod([key], key);
      tpl.passthrough = { di: new DestInfo(null, subset, cluster, -1, false), host: new Host(0, pod, 1, T_APP, 0) };
    }
    r.di = tpl.passthrough.di;
    this.direct(r, tpl.passthrough.host);
  }

  private direct(r: Req, h: Host): void {
    r.host = h;
    r.attempts = 1;
    r.attState = A_ACTIVE;
    r.attGen = ++this.seq;
    if (h.transport === T_CONNECT_FAIL) return this.finish(r, ST_TLS_FAIL, 0);
    if (h.transport === T_RESET) return this.finish(r, ST_RESET, 0);
    this.dispatch(r, h);
  }

  // ---------------------------------------------------------------- the end of a request

  private finish(r: Req, status: number, flags: number): void {
    r.flags |= flags;
    r.attState = A_IDLE;
    if (r.toSlot >= 0) {
      this.q.cancel(r.toSlot, r.toOrder);
      r.toSlot = -1;
    }
    if (r.ptSlot >= 0) {
      this.q.cancel(r.ptSlot, r.ptOrder);
      r.ptSlot = -1;
    }
    const now = this.now;
    if (now > this.lastT) this.lastT = now;
    const st = status >= 0 && status < N_STATUS ? status : 599;
    const di = r.di;
    if (di !== null) {
      di.count++;
      if (st >= 500) di.errors++;
      else if (st >= 400) di.clientErrors++;
    }
    if (r.isMirror) {
      this.tally(this.mirrorAcc, r, st, false);
      this.mirrorInflight--;
      this.releaseReq(r);
      if (this.mirrorInflight === 0 && this.phaseIdx >= this.phases.length) this.finishRun();
      return;
    }
    const g = r.group!;
    const lat = now - r.t0 + this.hop;
    if (di !== null) {
      di.hist.v = lat;
      di.hist.addV();
    }
    this.tally(g.acc, r, st, true);
    const p = r.answered;
    if (p !== null) this.podCounts[p.pIdx * this.nGroups + g.idx]++;
    const se = this.series;
    se.t = now;
    se.lat = lat;
    se.add(st, r.flags, this.ejectedNow);
    this.completed++;
    const c = r.client;
    this.releaseReq(r);
    g.inflight--;
    if (c !== null) this.clientNext(c, g);
    this.groupMaybeDone(g);
  }

  private tally(a: Acc, r: Req, st: number, timed: boolean): void {
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
    const p = r.answered;
    if (p !== null && !timed) {
      a.workload[p.wIdx]++;
      a.pod[p.pIdx]++;
    }
    const h = a.hist;
    h.v = timed ? this.now - r.t0 + this.hop : 0;
    h.addV();
  }

  // ---------------------------------------------------------------- ejection events

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

  private logEjection(e: EjectionEvent): void {
    if (this.ejections.length < this.maxEjections) this.ejections.push(e);
    else this.ejectionsDropped++;
  }

  // ---------------------------------------------------------------- results

  private summary(h: Histogram): LatencySummary {
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

  private tallyOut(a: Acc): Tally {
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
      bySubset: rec(this.subsetNames, a.subset),
      byCluster: rec(this.clusterNames, a.cluster),
      byWorkload: rec(this.workloadNames, a.workload),
      byPod: rec(this.podNames, a.pod),
      statusCounts,
      flagCounts,
      attempts: a.attempts,
      latencyMs: this.summary(a.hist),
    };
  }

  /** Gauges of every cluster state now: active cx, pending, requests, retries, ejected hosts (5 per cluster). */
  private gauges(): Float64Array {
    for (const cs of this.clusterList) cs.flush();
    const g = new Float64Array(this.clusterList.length * 5);
    this.clusterList.forEach((cs, i) => {
      g[i * 5] = cs.cxActive;
      g[i * 5 + 1] = cs.pendingActive;
      g[i * 5 + 2] = cs.rqActive;
      g[i * 5 + 3] = cs.retryActive;
      g[i * 5 + 4] = cs.ejectedCount;
    });
    return g;
  }

  /**
   * Envoy-like stats per client proxy: counters from `counters` (minus `base`, for a group's own
   * period), gauges from `gauges`. Zero counters are left out, except the two every reader looks
   * for; circuit-breaker gauges appear only for limits the DestinationRule sets.
   */
  private statsOut(only: ReadonlySet<string> | null, counters: Float64Array, base: Float64Array | null, gauges: Float64Array): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    const n = Math.min(this.clusterList.length, gauges.length / 5);
    const names = STAT_NAMES;
    for (let ci = 0; ci < n; ci++) {
      const cs = this.clusterList[ci];
      if (only !== null && !only.has(cs.proxyLabel)) continue;
      const o = (out[cs.proxyLabel] ??= {});
      const p = `cluster.${cs.name}.`;
      const add = (k: string, v: number) => {
        const key = p + k;
        const prev = o[key];
        o[key] = prev === undefined ? v : prev + v;
      };
      for (let i = 0; i < names.length; i++) {
        const at = cs.sb + i;
        const v = counters[at] - (base !== null && at < base.length ? base[at] : 0);
        if (v !== 0 || i === ST_RQ_PENDING_OVERFLOW || i === 0) add(names[i], v);
      }
      const g = ci * 5;
      const cx = gauges[g];
      const pending = gauges[g + 1];
      const rq = gauges[g + 2];
      const retry = gauges[g + 3];
      add('upstream_cx_active', cx);
      add('upstream_rq_pending_active', pending);
      add('upstream_rq_active', rq);
      if (retry) add('upstream_rq_retry_active', retry);
      if (cs.od) add('outlier_detection.ejections_active', gauges[g + 4]);
      // Circuit-breaker gauges only for limits the DestinationRule sets (Istio programs 2^32-1 otherwise).
      const limit = (open: string, remaining: string, max: number, cur: number) => {
        if (max === U32_MAX) return;
        add(`circuit_breakers.default.${open}`, cur >= max ? 1 : 0);
        add(`circuit_breakers.default.${remaining}`, Math.max(0, max - cur));
      };
      limit('cx_open', 'remaining_cx', cs.maxConnections, cx);
      limit('rq_pending_open', 'remaining_pending', cs.maxPending, pending);
      limit('rq_open', 'remaining_rq', cs.maxRequests, rq);
      limit('rq_retry_open', 'remaining_retries', cs.maxRetries, retry);
    }
    return out;
  }

  /** Stats of a group's proxies: counters over the group's lifetime, gauges at its end. */
  private groupStats(g: Group): Record<string, Record<string, number>> {
    const end = g.finished ? g.snapEnd! : this.store.buf;
    return this.statsOut(g.proxies, end, g.snapStart, g.finished ? g.gaugesEnd! : this.gauges());
  }

  result(): SimResult {
    for (const g of this.groups) {
      const a = g.acc;
      a.subset.fill(0);
      a.cluster.fill(0);
      a.workload.fill(0);
      a.pod.fill(0);
      for (let i = 0; i < this.podNames.length; i++) {
        const c = this.podCounts[i * this.nGroups + g.idx];
        a.pod[i] += c;
        a.workload[this.podWorkload[i]] += c;
      }
      for (const t of g.tpls) {
        const add = (di: DestInfo) => {
          if (di.mirror) return;
          a.subset[di.subset] += di.count;
          a.cluster[di.cluster] += di.count;
        };
        for (const di of t.destInfo.values()) add(di);
        if (t.passthrough) add(t.passthrough.di);
      }
    }
    const edgeHists = this.edges.map(() => new Histogram(4));
    for (const e of this.edges) {
      e.out.requests = 0;
      e.out.errors = 0;
      e.out.clientErrors = 0;
    }
    for (const g of this.groups) {
      for (const t of g.tpls) {
        for (const di of t.destInfo.values()) {
          if (di.edge < 0) continue;
          this.edges[di.edge].out.requests += di.count;
          this.edges[di.edge].out.errors += di.errors;
          this.edges[di.edge].out.clientErrors += di.clientErrors;
          edgeHists[di.edge].merge(di.hist);
        }
      }
    }
    this.edges.forEach((e, i) => {
      const { p50, p90, p99, max } = this.summary(edgeHists[i]);
      e.out.latencyMs = { p50, p90, p99, max };
    });
    const globalStats = this.statsOut(null, this.store.buf, null, this.gauges());
    const groups: GroupResult[] = this.groups.map((g) => ({
      name: g.name,
      phase: g.phase,
      proxies: [...new Set(g.tpls.flatMap((t) => (t.insts.length ? [t.insts[0].label] : [`${t.prep.source.workload.name}.${t.prep.source.workload.namespace} (no sidecar)`])))],
      startMs: Math.round(g.startT * 1000) / 1000,
      endMs: Math.round((g.finished ? g.endT : this.now) * 1000) / 1000,
      stats: this.groups.length === 1 ? globalStats : this.groupStats(g),
      ...this.tallyOut(g.acc),
    }));
    const ejectedEndpoints: EjectedEndpoint[] = [...this.everEjected].map(([h, { cs, times }]) => ({ proxy: cs.proxyLabel, cluster: cs.name, pod: h.pod.name, workload: h.pod.workload, times, ejectedAtEnd: h.ejected }));
    const warnings = [...this.warnings];
    for (const k of Object.keys(this.externalModels)) if (!this.usedExternal.has(k)) warnings.push(`external["${k}"] was not used: no request reached that host:port`);
    const m = this.tallyOut(this.mirrorAcc);
    const total = this.total;
    total.count = 0;
    total.attempts = 0;
    total.status.fill(0);
    total.flags.fill(0);
    for (const k of ['subset', 'cluster', 'workload', 'pod'] as const) total[k].fill(0);
    total.hist.reset();
    for (const g of this.groups) {
      const a = g.acc;
      total.count += a.count;
      total.attempts += a.attempts;
      for (let i = 0; i < N_STATUS; i++) total.status[i] += a.status[i];
      for (let i = 0; i < FLAG_NAMES.length; i++) total.flags[i] += a.flags[i];
      for (const k of ['subset', 'cluster', 'workload', 'pod'] as const) a[k].forEach((v, i) => (total[k][i] += v));
      total.hist.merge(a.hist);
    }
    return {
      seed: this.seed,
      requests: this.completed,
      simulatedMs: Math.round(this.lastT * 1000) / 1000,
      total: this.tallyOut(total),
      latencyHistogram: total.hist.bins(40),
      groups,
      edges: this.edges.map((e) => ({ ...e.out, proxies: [...e.proxies].sort() })),
      timeSeries: this.series.toJSON(),
      ejections: this.ejections,
      ejectionsDropped: this.ejectionsDropped,
      ejectedEndpoints,
      mirrors: { count: m.count, byCluster: m.byCluster, statusCounts: m.statusCounts },
      stats: globalStats,
      warnings,
      truncated: this.truncated,
    };
  }
}

/** Validates, creates and runs a simulation to the end. Throws SimInputError for bad input. */
export function simulate(mesh: CompiledMesh, spec: SimSpec): SimResult {
  return new Simulation(mesh, spec).runToEnd();
}
