/**
 * Loose views of the raw resource specs the engine reads. The model's generated types are exact
 * unions that make defensive reading verbose; user YAML may also be invalid, so every field is
 * optional and read defensively.
 */
import type { Resource } from '../model/resource';

export interface RawStringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface RawPortSelector {
  number?: number;
}

export interface RawDestination {
  host?: string;
  subset?: string;
  port?: RawPortSelector;
}

export interface RawHeaderOps {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface RawHeaders {
  request?: RawHeaderOps;
  response?: RawHeaderOps;
}

export interface RawHttpMatch {
  name?: string;
  uri?: RawStringMatch;
  scheme?: RawStringMatch;
  method?: RawStringMatch;
  authority?: RawStringMatch;
  headers?: Record<string, RawStringMatch | null>;
  withoutHeaders?: Record<string, RawStringMatch | null>;
  queryParams?: Record<string, RawStringMatch | null>;
  port?: number;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  gateways?: string[];
  ignoreUriCase?: boolean;
}

export interface RawPercent {
  value?: number;
}

export interface RawHttpRoute {
  name?: string;
  match?: RawHttpMatch[];
  route?: Array<{ destination?: RawDestination; weight?: number; headers?: RawHeaders }>;
  redirect?: {
    uri?: string;
    authority?: string;
    port?: number;
    derivePort?: string;
    scheme?: string;
    redirectCode?: number;
  };
  directResponse?: { status?: number; body?: { string?: string; bytes?: string } };
  delegate?: { name?: string; namespace?: string };
  rewrite?: { uri?: string; authority?: string; uriRegexRewrite?: { match?: string; rewrite?: string } };
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string; retryRemoteLocalities?: boolean; retryIgnorePreviousHosts?: boolean; backoff?: string };
  fault?: {
    delay?: { fixedDelay?: string; percentage?: RawPercent; percent?: number };
    abort?: { httpStatus?: number; grpcStatus?: string; percentage?: RawPercent };
  };
  mirror?: RawDestination;
  mirrorPercentage?: RawPercent;
  /** Deprecated integer form of mirrorPercentage. */
  mirrorPercent?: number;
  mirrors?: Array<{ destination?: RawDestination; percentage?: RawPercent }>;
  headers?: RawHeaders;
  corsPolicy?: {
    allowOrigins?: RawStringMatch[];
    allowOrigin?: string[];
    allowMethods?: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    maxAge?: string;
    allowCredentials?: boolean;
    unmatchedPreflights?: string;
  };
}

export interface RawL4Match {
  port?: number;
  sniHosts?: string[];
  destinationSubnets?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  gateways?: string[];
}

export interface RawL4Route {
  match?: RawL4Match[];
  route?: Array<{ destination?: RawDestination; weight?: number }>;
}

export interface RawVirtualService {
  hosts?: string[];
  gateways?: string[];
  exportTo?: string[];
  http?: RawHttpRoute[];
  tcp?: RawL4Route[];
  tls?: RawL4Route[];
}

export interface RawTlsSettings {
  mode?: string;
  sni?: string;
  credentialName?: string;
  caCertificates?: string;
  clientCertificate?: string;
  insecureSkipVerify?: boolean;
}

export interface RawTrafficPolicy {
  loadBalancer?: Record<string, unknown>;
  connectionPool?: Record<string, unknown>;
  outlierDetection?: Record<string, unknown>;
  tls?: RawTlsSettings;
  portLevelSettings?: Array<RawTrafficPolicy & { port?: RawPortSelector }>;
  tunnel?: unknown;
  proxyProtocol?: unknown;
  retryBudget?: unknown;
}

export interface RawDestinationRule {
  host?: string;
  trafficPolicy?: RawTrafficPolicy;
  subsets?: Array<{ name?: string; labels?: Record<string, string>; trafficPolicy?: RawTrafficPolicy }>;
  exportTo?: string[];
  workloadSelector?: { matchLabels?: Record<string, string> };
}

export interface RawServer {
  port?: { number?: number; name?: string; protocol?: string; targetPort?: number };
  hosts?: string[];
  tls?: { mode?: string; httpsRedirect?: boolean; credentialName?: string };
  name?: string;
  bind?: string;
}

export interface RawGateway {
  selector?: Record<string, string>;
  servers?: RawServer[];
}

export interface RawServiceEntry {
  hosts?: string[];
  addresses?: string[];
  ports?: Array<{ number?: number; protocol?: string; name?: string; targetPort?: number }>;
  location?: string;
  resolution?: string;
  endpoints?: Array<{ address?: string; ports?: Record<string, number>; labels?: Record<string, string>; weight?: number }>;
  workloadSelector?: { labels?: Record<string, string> };
  exportTo?: string[];
}

export interface RawPeerAuthentication {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: string };
  portLevelMtls?: Record<string, { mode?: string }>;
}

export interface RawSidecar {
  workloadSelector?: { labels?: Record<string, string> };
  egress?: Array<{ hosts?: string[]; port?: { number?: number } }>;
  outboundTrafficPolicy?: { mode?: string };
}

export interface RawServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export interface RawService {
  selector?: Record<string, string>;
  ports?: RawServicePort[];
  clusterIP?: string;
  type?: string;
  externalName?: string;
}

export interface RawContainer {
  name?: string;
  ports?: Array<{ name?: string; containerPort?: number }>;
}

export interface RawPodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: RawContainer[] };
}

export interface RawDeployment {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: RawPodTemplate;
}

/** The raw spec of a resource, viewed loosely. */
export function specOf<T>(r: Resource): T {
  return (r.spec ?? {}) as unknown as T;
}

export const asArray = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

export const asRecord = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};

/** True when every `selector` label is present with the same value in `labels`. */
export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== String(selector[k])) return false;
  return true;
}

/** Creation time for Istio's "oldest first" orderings; absent → epoch (ties broken by name, namespace). */
export function creationTime(r: Resource): number {
  const ts = r.metadata?.creationTimestamp;
  if (typeof ts !== 'string') return 0;
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : 0;
}

/** Istio's configCompareByCreationTime: timestamp, then name, then namespace. */
export function compareByCreation(a: Resource, b: Resource): number {
  const d = creationTime(a) - creationTime(b);
  if (d !== 0) return d;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return 0;
}
