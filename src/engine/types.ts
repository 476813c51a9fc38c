/**
 * Public types of the routing engine: what goes in (a request and its assumptions), what comes
 * out (a trace with an explanation). Pure data, JSON-serialisable.
 */
import type { FieldPath, ResourceKey } from '../model/resource';

export type RequestProtocol = 'http' | 'tls' | 'tcp';

/** Who sends the request: a workload (Deployment) with or without sidecar, or a gateway's Service. */
export interface SourceInput {
  workload?: string;
  namespace?: string;
  /** Defaults from the namespace's injection label (and the pod template's `sidecar.istio.io/inject`). */
  sidecar?: boolean;
  /** `namespace/name` (or `name`, namespace `istio-system`) of a gateway's Kubernetes Service. */
  gateway?: string;
}

export interface RequestSpec {
  protocol?: RequestProtocol;
  method?: string;
  scheme?: string;
  /** `host[:port]`, the Host / :authority header (or the TCP/TLS destination name). */
  authority?: string;
  /** Port the client dials: a Service port (for gateways: the gateway Service's port). */
  port?: number;
  /** Path with optional query string. */
  path?: string;
  headers?: Record<string, string>;
  /** SNI for TLS (defaults to the authority's host). */
  sni?: string;
  /** External clients only: whether the client presents a certificate (gateway MUTUAL servers). */
  clientCertificate?: boolean;
}

export type UpstreamBehavior = 'connect_refused' | 'reset';

/** What an upstream application does when asked (defaults: 200 after 0 ms). */
export interface UpstreamAssumption {
  status?: number;
  latencyMs?: number;
  /** Status of successive attempts to this workload; the last one repeats. */
  statusSequence?: number[];
  behavior?: UpstreamBehavior;
}

export interface Assumptions {
  /** Keyed by workload (Deployment) name or `namespace/name`. */
  upstream?: Record<string, UpstreamAssumption>;
  /** Keyed by `host:port` of an external destination. */
  external?: Record<string, UpstreamAssumption>;
}

export interface RequestInput {
  source: SourceInput;
  request: RequestSpec;
  assume?: Assumptions;
}

export type OutboundMode = 'ALLOW_ANY' | 'REGISTRY_ONLY';

export interface RetryDefaults {
  attempts: number;
  retryOn: string;
  perTryTimeoutMs: number | null;
}

/** The part of Istio's MeshConfig the engine uses. */
export interface MeshSettings {
  outboundTrafficPolicy: { mode: OutboundMode };
  enableAutoMtls: boolean;
  rootNamespace: string;
  connectTimeoutMs: number;
  defaultHttpRetryPolicy: RetryDefaults;
  /** Where each value came from (ConfigMap, override or Istio default), for explanations. */
  origin: { resource?: ResourceKey; overridden: string[] };
}

/** One line of an explanation, pointing at the YAML it came from. */
export interface ExplanationStep {
  /** Index into `Trace.hops` (-1 before the first hop). */
  hop: number;
  kind: StepKind;
  message: string;
  resource?: ResourceKey;
  path?: FieldPath;
}

export type StepKind =
  | 'source'
  | 'config'
  | 'listener'
  | 'vhost'
  | 'rule'
  | 'weight'
  | 'destination'
  | 'subset'
  | 'policy'
  | 'fault'
  | 'mirror'
  | 'headers'
  | 'tls'
  | 'endpoint'
  | 'attempt'
  | 'outcome';

export type Outcome = 'response' | 'connection_reset' | 'tls_handshake_failure' | 'connection_refused';

export type RouteType = 'http' | 'tcp' | 'tls' | 'inbound' | 'passthrough' | 'blackhole' | 'none';

export interface HopTrace {
  /** e.g. `sidecar productpage-v1.default`, `gateway istio-ingressgateway.istio-system`, `inbound reviews-v1.default`. */
  proxy: string;
  listenerPort: number | null;
  routeType: RouteType;
  /** Route configuration and virtual host names, as Envoy would show them. */
  route: string | null;
  vhost: string | null;
  virtualService: ResourceKey | null;
  /** `http[i]`/`tcp[i]`/`tls[i]` (plus `.match[j]`) of the VirtualService, `default`, or null. */
  matchedRule: string | null;
  cluster: string | null;
  downstreamTls: string;
  upstreamTls: string | null;
  sni: string | null;
}

export interface TraceDestination {
  service: string;
  port: number;
  subset: string;
  workload: string | null;
  cluster: string;
}

export interface MirrorTrace {
  service: string;
  authority: string;
  cluster: string;
}

export interface Trace {
  status: number | null;
  outcome: Outcome;
  flags: string[];
  destination: TraceDestination | null;
  delayMs: number;
  durationMs: number;
  upstreamAttempts: number;
  mirroredTo: MirrorTrace[];
  location: string | null;
  responseFrom: string;
  requestHeadersAtUpstream: Record<string, string> | null;
  responseHeaders: Record<string, string>;
  hops: HopTrace[];
  /** Built-in paths: `PassthroughCluster`, `BlackHoleCluster`, route `block_all`, vhost `blackhole:80`… */
  cluster: string | null;
  route: string | null;
  vhost: string | null;
  explanation: ExplanationStep[];
}

/** Thrown for bad input (unknown workload, bad request): the CLI maps it to exit code 2. */
export class EngineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInputError';
  }
}

/** A configuration problem found while compiling (e.g. an invalid regex Istio would reject). */
export interface ConfigIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  resource: ResourceKey;
  path: FieldPath;
}
