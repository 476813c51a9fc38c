/**
 * A cluster's settings from its resolved DestinationRule policy, as Istio programs Envoy: load
 * balancer (simple or consistent hash), connection-pool limits (circuit breakers; 0 or absent means
 * unset, i.e. 2^32-1), HTTP/2 stream limits, and outlier detection with Envoy's defaults. Worked
 * out once per cluster plan (topology.ts) and shared by every client proxy's cluster state, which
 * copies the numbers requests read into its header (cluster.ts).
 */
import type { ResolvedPolicy } from '../destinationrule';
import { parseDurationMs } from '../duration';
import { portOfService } from '../registry';
import type { CompiledDest } from '../routes';
import { HASH_COOKIE, HASH_HEADER, HASH_QUERY, HASH_SOURCE_IP, type OutlierConfig } from './cluster';
import { LB_HASH, LB_LEAST_REQUEST, LB_PASSTHROUGH, LB_RANDOM, LB_ROUND_ROBIN } from './header';
import { SMI_MAX, U32_MAX } from './codes';

const toInt = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : null;
};
/** Istio: a connection-pool field of 0 (or absent) means "unset", i.e. 2^32-1. */
const limit = (v: unknown): number => {
  const n = toInt(v);
  return n !== null && n > 0 ? n : U32_MAX;
};

/** A cluster's settings from its policy, worked out once per plan and shared by every client proxy's copy (never written). */
export interface ClusterSettings {
  lb: number;
  hashKind: number;
  hashName: string;
  hashCookieTtl: boolean;
  ringSize: number;
  /** As configured (see ClusterState `thresholds`); null: none set. */
  thresholds: Float64Array | null;
  maxConnections: number;
  maxPending: number;
  maxRequests: number;
  maxRetries: number;
  maxRequestsPerConnection: number;
  streamLimit: number;
  od: OutlierConfig | null;
  panicPercent: number;
}

export function clusterSettings(p: ResolvedPolicy, dest: CompiledDest): ClusterSettings {
  const st: ClusterSettings = {
    lb: LB_LEAST_REQUEST, hashKind: HASH_HEADER, hashName: '', hashCookieTtl: false, ringSize: 1024, thresholds: null,
    maxConnections: SMI_MAX, maxPending: SMI_MAX, maxRequests: SMI_MAX, maxRetries: SMI_MAX, maxRequestsPerConnection: 0,
    streamLimit: 1, od: null, panicPercent: 50,
  };
  const lb = p.loadBalancer?.value as { simple?: string; consistentHash?: Record<string, any> } | undefined;
  if (lb?.consistentHash) {
    const h = lb.consistentHash;
    st.lb = LB_HASH;
    if (typeof h.httpHeaderName === 'string') {
      st.hashKind = HASH_HEADER;
      st.hashName = h.httpHeaderName.toLowerCase();
    } else if (h.httpCookie && typeof h.httpCookie.name === 'string') {
      st.hashKind = HASH_COOKIE;
      st.hashName = h.httpCookie.name;
      st.hashCookieTtl = h.httpCookie.ttl !== undefined && h.httpCookie.ttl !== null;
    } else if (h.useSourceIp) st.hashKind = HASH_SOURCE_IP;
    else if (typeof h.httpQueryParameterName === 'string') {
      st.hashKind = HASH_QUERY;
      st.hashName = h.httpQueryParameterName;
    } else st.lb = LB_RANDOM;
    const size = toInt(h.ringHash?.minimumRingSize ?? h.minimumRingSize);
    if (size !== null && size > 0) st.ringSize = Math.min(size, 1 << 20);
  } else {
    const s = String(lb?.simple ?? 'LEAST_REQUEST').toUpperCase();
    st.lb = s === 'ROUND_ROBIN' ? LB_ROUND_ROBIN : s === 'RANDOM' ? LB_RANDOM : s === 'PASSTHROUGH' ? LB_PASSTHROUGH : LB_LEAST_REQUEST;
  }
  const cp = p.connectionPool?.value as { tcp?: Record<string, unknown>; http?: Record<string, unknown> } | undefined;
  if (cp !== undefined) {
    const th = Float64Array.of(limit(cp.tcp?.maxConnections), limit(cp.http?.http1MaxPendingRequests), limit(cp.http?.http2MaxRequests), limit(cp.http?.maxRetries));
    if (th.some((x) => x !== U32_MAX)) st.thresholds = th;
    // Hot copies, capped to small integers (no count gets near 2^31).
    st.maxConnections = Math.min(th[0], SMI_MAX);
    st.maxPending = Math.min(th[1], SMI_MAX);
    st.maxRequests = Math.min(th[2], SMI_MAX);
    st.maxRetries = Math.min(th[3], SMI_MAX);
  }
  const mrpc = toInt(cp?.http?.maxRequestsPerConnection);
  st.maxRequestsPerConnection = mrpc !== null && mrpc > 0 ? mrpc : 0;
  const sp = dest.service ? portOfService(dest.service, dest.port) : undefined;
  const h2 = sp?.protocol === 'HTTP2' || sp?.protocol === 'GRPC' || sp?.protocol === 'GRPC-WEB' || String(cp?.http?.h2UpgradePolicy ?? '').toUpperCase() === 'UPGRADE';
  if (h2) {
    const mcs = toInt(cp?.http?.maxConcurrentStreams);
    st.streamLimit = mcs !== null && mcs > 0 ? mcs : 2147483647;
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
    st.od = cfg;
    st.panicPercent = Math.max(0, toInt(od.minHealthPercent) ?? 0);
  }
  return st;
}
