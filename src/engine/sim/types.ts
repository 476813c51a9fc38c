/**
 * Public types of the load simulator: what goes in (traffic, load, upstream behaviour) and what
 * comes out (counts, statuses, latency, time series, ejections, Envoy-like stats). Pure data,
 * JSON-serialisable, so it crosses the worker boundary unchanged.
 */
import type { RequestInput, UpstreamAssumption } from '../types';
import type { ResourceKey } from '../../model/resource';

/** Latency in milliseconds: a fixed value or a distribution. */
export type LatencySpec =
  | number
  | { dist: 'fixed'; ms: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; p50: number; p99: number };

/** What an upstream application (a workload's pods, or an external host) does when asked. */
export interface UpstreamModel extends Omit<UpstreamAssumption, 'latencyMs'> {
  /** Service time of the application (default 1 ms). */
  latencyMs?: LatencySpec;
  /** Share (0–1) of requests answered with `errorStatus` instead of `status`. */
  errorRate?: number;
  /** Status of the `errorRate` answers (default 503). */
  errorStatus?: number;
  /** `last` (default, as in a trace): the last status of `statusSequence` repeats; `cycle`: the sequence restarts. */
  sequenceMode?: 'last' | 'cycle';
  /** Share (0–1) of new connections the application refuses. */
  connectFailureRate?: number;
  /** Share (0–1) of requests the application resets before answering. */
  resetRate?: number;
  /** Requests one pod serves at once; more wait in a FIFO queue in the pod (default: unlimited). */
  maxConcurrency?: number;
  /** Per pod overrides, keyed by pod index (`"0"`) or pod name (`"reviews-v1-0"`). */
  pods?: Record<string, Omit<UpstreamModel, 'pods'>>;
}

/** A request template: a routing-engine request plus a weight in the traffic mix. */
export interface SimRequestTemplate extends RequestInput {
  /** Relative weight in the group's mix (default 1). */
  weight?: number;
  /** A label for results (default `#<index>`). */
  name?: string;
}

/** How requests arrive, modelled on fortio: `concurrency` connections, each sending its next request after the previous answer. */
export interface LoadSpec {
  /** Total requests of the group (fortio `-n`), split evenly over the connections. */
  requests?: number;
  /** Client connections (fortio `-c`, default 1). */
  concurrency?: number;
  /** Target rate over all connections, requests per second; absent or 0: as fast as possible (fortio `-qps 0`). */
  qps?: number;
  /** Stop sending after this much simulated time (fortio `-t`). */
  durationMs?: number;
  /** `closed` (default): connections wait for answers; `open`: arrivals at `qps` whatever is in flight (needs `qps`). */
  arrival?: 'closed' | 'open';
  /** Spacing of paced sends: `uniform` (default) or `poisson`. */
  distribution?: 'uniform' | 'poisson';
}

export interface TrafficGroup {
  name?: string;
  /** Request templates, chosen per request by weight. */
  mix: SimRequestTemplate[];
  load: LoadSpec;
  /** Groups of phase k start when every group of an earlier phase has finished (default 0: at once). Proxy state carries over. */
  phase?: number;
}

export interface SimSpec {
  traffic: TrafficGroup[];
  seed?: number;
  /** Behaviour per workload, keyed by Deployment name or `namespace/name`. */
  upstream?: Record<string, UpstreamModel>;
  /** Behaviour per external destination, keyed by `host:port`. */
  external?: Record<string, UpstreamModel>;
  network?: {
    /** Time to open an upstream connection (TCP + mTLS handshake), default 1 ms. */
    connectMs?: number;
    /** One-way time between a proxy and its neighbour (client, upstream pod), default 0.25 ms. */
    hopMs?: number;
  };
  /** Envoy worker threads per proxy (Istio sidecar default 2). Each client connection is served by one worker with its own connection pools. */
  proxyConcurrency?: number;
  /** Limits of the result (memory): ejection events kept (default 10,000), time-series buckets (default 120). */
  results?: { maxEjectionEvents?: number; timeSeriesBuckets?: number };
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Counts of one group (or of all traffic). Status keys: HTTP codes, or `connection_reset`, `connection_refused`, `tls_handshake_failure`, `connected` (an opaque TCP/TLS exchange that completed). */
export interface Tally {
  count: number;
  /** Requests per routing decision: `host` or `host/subset`. */
  bySubset: Record<string, number>;
  /** Requests per Envoy cluster chosen by routing. */
  byCluster: Record<string, number>;
  /** Requests answered by each workload (`namespace/name`) or external host (`external host:port`). */
  byWorkload: Record<string, number>;
  /** Requests answered by each pod (`namespace/name-<index>`). */
  byPod: Record<string, number>;
  statusCounts: Record<string, number>;
  flagCounts: Record<string, number>;
  /** Upstream attempts (first tries and retries). */
  attempts: number;
  latencyMs: LatencySummary;
}

export interface GroupResult extends Tally {
  name: string;
  phase: number;
  /** Source proxies of the group's templates (e.g. `sidecar fortio-deploy.default`), then the gateways their requests went through. */
  proxies: string[];
  startMs: number;
  endMs: number;
  /** Envoy-like stats of the group's client proxies: counters over the group's lifetime, gauges at its end. */
  stats: Record<string, Record<string, number>>;
}

/** Requests per canvas edge: a VirtualService route destination (or mirror) as routing chose it. */
export interface EdgeCount {
  virtualService: ResourceKey;
  protocol: 'http' | 'tcp' | 'tls';
  rule: number;
  /** Index in the rule's `route` list; -1 for a mirror. */
  destination: number;
  /** For mirrors: -1 for `mirror`, k for `mirrors[k]`; null otherwise. */
  mirror: number | null;
  /** `sidecar` (the mesh) or `gateway` routing point. */
  via: 'sidecar' | 'gateway';
  /** Proxies that routed here (`gateway istio-ingressgateway.istio-system`…). */
  proxies: string[];
  requests: number;
  /** Answers that were 5xx or no HTTP answer at all. */
  errors: number;
  /** Answers that were 4xx. */
  clientErrors: number;
  /** Latency of the requests routed here, as their callers saw it (zeros for mirrors). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/** Latency of all answered requests in log-spaced bins: `counts[i]` requests took from `edgesMs[i]` to `edgesMs[i + 1]`. */
export interface LatencyBins {
  edgesMs: number[];
  counts: number[];
}

export interface TimeBucket {
  startMs: number;
  requests: number;
  /** By status class; `none`: no HTTP answer. */
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  none: number;
  /** Local replies by flag: circuit breaker (UO), no healthy upstream (UH), timeout (UT). */
  uo: number;
  uh: number;
  ut: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Most hosts ejected at once during the bucket (all proxies). */
  ejected: number;
}

export interface EjectionEvent {
  timeMs: number;
  kind: 'eject' | 'uneject';
  proxy: string;
  cluster: string;
  pod: string;
  workload: string;
  reason?: 'consecutive_5xx' | 'consecutive_gateway_failure' | 'consecutive_local_origin_failure';
  /** Ejection: how many times this host has been ejected by this proxy; its ejection lasts `durationMs`. */
  ejections?: number;
  durationMs?: number;
}

export interface EjectedEndpoint {
  proxy: string;
  cluster: string;
  pod: string;
  workload: string;
  times: number;
  ejectedAtEnd: boolean;
}

export interface MirrorResult {
  count: number;
  byCluster: Record<string, number>;
  statusCounts: Record<string, number>;
}

export interface SimResult {
  seed: number;
  /** Requests answered to callers (mirrors excluded). */
  requests: number;
  /** Simulated time from the first request to the last answer. */
  simulatedMs: number;
  total: Tally;
  /** Latency of `total` in log-spaced bins, for a histogram chart. */
  latencyHistogram: LatencyBins;
  groups: GroupResult[];
  edges: EdgeCount[];
  timeSeries: { bucketMs: number; buckets: TimeBucket[] };
  ejections: EjectionEvent[];
  ejectionsDropped: number;
  ejectedEndpoints: EjectedEndpoint[];
  mirrors: MirrorResult;
  /** Envoy-like stats per client proxy (pods of a workload summed), e.g. `cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow`. */
  stats: Record<string, Record<string, number>>;
  warnings: string[];
  /** The run stopped early at the simulator's request limit. */
  truncated: boolean;
}

export interface SimProgress {
  requestsDone: number;
  /** Known when every group has a request count; null for duration-only loads. */
  requestsTotal: number | null;
  simTimeMs: number;
  /** 0–1 when it can be estimated (by requests or by simulated time), else null. */
  fraction: number | null;
}
