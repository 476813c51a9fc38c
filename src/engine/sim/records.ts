/**
 * The simulator's records: proxies, request templates with their memoised routing, destinations
 * as a template reaches them, traffic groups and their client connections, requests in flight,
 * and the tallies results are built from. Plain classes with fields in a fixed order (V8 gives
 * them one shape each), pooled or created once per template, never per request.
 */
import type { DecisionKind } from '../decide';
import type { FaultPolicy, RetryPolicy } from '../policy';
import type { PreparedRequest } from '../prepare';
import type { CompiledDest, CompiledRoute, RouteAction } from '../routes';
import type { ClusterState } from './cluster';
import type { Host } from './pool';
import { A_IDLE, FAIL_NONE, FLAG_NAMES, M_HTTP, N_STATUS } from './codes';
import { Histogram, type CountChunks } from './histogram';
import type { EdgeCount } from './types';

/** One client proxy (a pod's sidecar or a gateway pod): its clusters and their state. */
export class ProxyInst {
  /** By cluster id (`DestInfo.cluster`: a number hashes faster than the cluster's name). */
  readonly clusters = new Map<number, ClusterState>();
  constructor(
    /** e.g. `sidecar fortio-deploy.default` (pods of a workload share it; stats are summed). */
    readonly label: string,
    readonly podName: string,
  ) {}
}

/** What a template's routing to one destination needs: tally ids, the edge, per source pod cluster state. */
export class DestInfo {
  // What every request routed here reads or writes first, together at the start of the object.
  /** Cluster state for the template's first three source pods (no array to read), then (`states`) for the others by pod index. */
  cs0: ClusterState | undefined = undefined;
  cs1: ClusterState | undefined = undefined;
  cs2: ClusterState | undefined = undefined;
  /** Their headers' places (`ClusterState.hb`), so that a request reaches a header without waiting for the object. */
  hb0 = -1;
  hb1 = -1;
  hb2 = -1;
  readonly missing: boolean;
  /** The canvas edge of this destination (its id; -1: none), counted as requests finish (through `SimCore.diEdge`). */
  readonly edge: number;
  /** Made for a fourth source pod (rare: most workloads have at most three pods). */
  states: Array<ClusterState | undefined> | null = null;
  plainHosts: Host[] | null = null;
  /** How the gateways behind this destination see what is sent to them, as templates of their own, by gateway workload and mirror (hops.ts). */
  gateways: Map<number, Tpl> | null = null;
  constructor(
    /** Index in the run's DestInfo tables (`SimCore.diCount`: requests of the template's group answered after routing here, summed into bySubset and byCluster at the end; `diEdge`). */
    readonly idx: number,
    readonly dest: CompiledDest | null,
    readonly subset: number,
    readonly cluster: number,
    edge: EdgeRec | null,
    readonly mirror: boolean,
  ) {
    this.edge = edge !== null ? edge.id : -1;
    this.missing = dest !== null && dest.missing !== null;
  }
}

/**
 * A template's routing decision at its first proxy. Matching is a pure function of the prepared
 * request and the proxy's tables, so it is taken from the engine's `route()` once; only the
 * weighted destination draw is repeated per request, with the engine's own weight table and
 * draw (`pickWeighted` consumes the random numbers exactly as `route()` does).
 */
export class Tpl {
  // The memoised decision (see above) and what the router needs from it, in the order a request
  // reads them (V8 lays fields out in declaration order, so they share few cache lines).
  nInsts = 0;
  routed = false;
  /** Weighted destinations (0: one fixed destination, `fixedDest`), with the engine's cumulative weights. */
  nW = 0;
  wTotal = 0;
  /** `wCum[0]`, so that a two-way split reads no array. */
  wCum0 = 0;
  /** DestInfo of the fixed destination or weighted destination 0, of weighted destination 1, then (`infos`, with more than two) per weighted destination index; and their `idx`. */
  info0: DestInfo | undefined = undefined;
  info1: DestInfo | undefined = undefined;
  dix0 = -1;
  dix1 = -1;
  /**
   * The cluster states of `info0`'s and `info1`'s destinations for source pods 0–2 (null: not
   * made yet) and where their headers are (`ClusterState.hb`; -1: not known yet): copies of the
   * DestInfos' `cs0`–`cs2` and `hb0`–`hb2`, so that a request reaches its cluster without waiting
   * for the DestInfo (routing.ts `router`).
   */
  hb00 = -1;
  hb01 = -1;
  hb02 = -1;
  hb10 = -1;
  hb11 = -1;
  hb12 = -1;
  cs00: ClusterState | null = null;
  cs01: ClusterState | null = null;
  cs02: ClusterState | null = null;
  cs10: ClusterState | null = null;
  cs11: ClusterState | null = null;
  cs12: ClusterState | null = null;
  /** And where their pools are (routing.ts `pwOf`, `touchPools`). */
  pw00 = -1;
  pw01 = -1;
  pw02 = -1;
  pw10 = -1;
  pw11 = -1;
  pw12 = -1;
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
  wDests: CompiledDest[] | null = null;
  wCum: Int32Array | null = null;
  fixedDest: CompiledDest | null = null;
  infos: Array<DestInfo | undefined> | null = null;
  /** Every DestInfo of the template, in the order made (few: a Map per template cost more than scanning them). */
  dests: DestInfo[] = [];
  /** Hash keys of the template's request by what a cluster hashes on (made on first use: few templates need it). */
  hashCache: Map<string, number> | null = null;
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

export class Acc {
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

export class Group {
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

export class Client {
  sent = 0;
  nextSlot = 0;
  constructor(
    readonly id: number,
    readonly group: Group,
    readonly idx: number,
    readonly quota: number,
  ) {}
}

export class Req {
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
  /** `di.idx` where routing knew it without reading `di` (-1: read it from `di`). */
  diIdx = -1;
  /** Which of the template's first two weighted destinations `di` is (`Tpl.info0`, `info1`; -1: another). */
  slot = -1;
  cs: ClusterState | null = null;
  /** `cs.hb`: where the cluster's header is in the PoolStore's rows (hot paths read it there). */
  hb = -1;
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
  /** Pool and connection of the attempt (ids in the PoolStore; -1: none). */
  pool = -1;
  conn = -1;
  /** The pod serving the attempt or queued for (index; -1: none), and the pod whose answer the request got (-1: none). */
  podIdx = -1;
  podQueued = false;
  answeredIdx = -1;
  readonly tried = new Int32Array(8);
  triedN = 0;
  /** Flags of the gateway's answer to the attempt (its local reply's, or those it passed on). */
  attFlags = 0;
  /** The answer is a circuit breaker's 503 (`x-envoy-overloaded`), which a proxy downstream never retries. */
  overloaded = false;
  /** A gateway's handling of a request another proxy sent it (hops.ts): the attempt it answers, and how many gateways deep it is. */
  parent: Req | null = null;
  depth = 0;
  /** The gateway handling this attempt, while it does. */
  child: Req | null = null;
  /** The next request (id) pending in the same connection pool; -1: none. */
  nextPending = -1;
  /** Pending timers (slot and insertion order in the event queue), cancelled when no longer needed. */
  toSlot = -1;
  toOrder = 0;
  ptSlot = -1;
  ptOrder = 0;
  constructor(readonly id: number) {}
}

/**
 * A canvas edge: the requests routed there, their answers, and (the histogram it is) their latency
 * as the callers saw it (mirrors record none), counted in batches through the run's EdgeLog
 * (edgelog.ts), which knows the edge by `id`.
 */
export class EdgeRec extends Histogram {
  requests = 0;
  /** 5xx answers or no HTTP answer. */
  errors = 0;
  /** 4xx answers. */
  clientErrors = 0;
  readonly proxies = new Set<string>();
  constructor(
    readonly id: number,
    readonly out: EdgeCount,
    chunks: CountChunks,
  ) {
    super(4, chunks);
  }
}
