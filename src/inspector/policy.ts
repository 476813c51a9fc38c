/** DestinationRule traffic policy ↔ form: the load balancer choice and the numeric policy fields. Pure. */
import { duration, integer, isObj, type Obj, type Parsed, type Parser } from './values';

export const SIMPLE_LB = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'] as const;
export const HASH_LB = { HEADER: 'httpHeaderName', COOKIE: 'httpCookie', SOURCE_IP: 'useSourceIp', QUERY: 'httpQueryParameterName' } as const;
export type LbMode = '' | (typeof SIMPLE_LB)[number] | keyof typeof HASH_LB;

export const LB_LABELS: Record<LbMode, string> = {
  '': '(Istio default)',
  ROUND_ROBIN: 'Round robin',
  LEAST_REQUEST: 'Least request',
  RANDOM: 'Random',
  PASSTHROUGH: 'Passthrough',
  HEADER: 'Consistent hash: header',
  COOKIE: 'Consistent hash: cookie',
  SOURCE_IP: 'Consistent hash: source IP',
  QUERY: 'Consistent hash: query parameter',
};

export interface LbForm {
  mode: LbMode;
  /** The header, cookie or query parameter name the hash is on. */
  key: string;
}

export function readLb(lb: unknown): LbForm {
  if (!isObj(lb)) return { mode: '', key: '' };
  if (typeof lb.simple === 'string') return { mode: (SIMPLE_LB as readonly string[]).includes(lb.simple) ? (lb.simple as LbMode) : '', key: '' };
  const ch = lb.consistentHash;
  if (isObj(ch)) {
    if (typeof ch.httpHeaderName === 'string') return { mode: 'HEADER', key: ch.httpHeaderName };
    if (isObj(ch.httpCookie)) return { mode: 'COOKIE', key: String(ch.httpCookie.name ?? '') };
    if (ch.useSourceIp) return { mode: 'SOURCE_IP', key: '' };
    if (typeof ch.httpQueryParameterName === 'string') return { mode: 'QUERY', key: ch.httpQueryParameterName };
  }
  return { mode: '', key: '' };
}

export const lbNeedsKey = (mode: LbMode) => mode === 'HEADER' || mode === 'COOKIE' || mode === 'QUERY';

/**
 * The `loadBalancer` value for the form, keeping what the form does not show (locality settings, warm-up, a
 * cookie's ttl…); undefined removes the load balancer when nothing else is left.
 */
export function writeLb(original: unknown, form: LbForm): Parsed<Obj> {
  const base: Obj = isObj(original) ? { ...original } : {};
  const oldHash = isObj(base.consistentHash) ? base.consistentHash : {};
  delete base.simple;
  delete base.consistentHash;
  const key = form.key.trim();
  if (lbNeedsKey(form.mode) && !key) return { ok: false, error: `Enter the ${form.mode === 'HEADER' ? 'header' : form.mode === 'COOKIE' ? 'cookie' : 'query parameter'} name to hash on.` };
  if (form.mode === '') return { ok: true, value: Object.keys(base).length ? base : undefined };
  if ((SIMPLE_LB as readonly string[]).includes(form.mode)) return { ok: true, value: { simple: form.mode, ...base } };
  const hash: Obj = {};
  for (const [k, v] of Object.entries(oldHash)) if (!Object.values(HASH_LB).includes(k as never)) hash[k] = v; // minimumRingSize, ringHash…
  const field = HASH_LB[form.mode as keyof typeof HASH_LB];
  if (form.mode === 'COOKIE') hash[field] = { ...(isObj(oldHash.httpCookie) ? oldHash.httpCookie : {}), name: key };
  else hash[field] = form.mode === 'SOURCE_IP' ? true : key;
  return { ok: true, value: { consistentHash: hash, ...base } };
}

export interface PolicyNumber {
  /** Path inside the policy field (`connectionPool` / `outlierDetection`). */
  path: string[];
  label: string;
  parse: Parser<number | string>;
  hint?: string;
}

export const CONNECTION_POOL: readonly PolicyNumber[] = [
  { path: ['tcp', 'maxConnections'], label: 'TCP max connections', parse: integer(1) },
  { path: ['tcp', 'connectTimeout'], label: 'Connect timeout', parse: duration, hint: 'e.g. 10s' },
  { path: ['http', 'http1MaxPendingRequests'], label: 'Max pending requests', parse: integer(1) },
  { path: ['http', 'http2MaxRequests'], label: 'Max requests (HTTP/2)', parse: integer(1) },
  { path: ['http', 'maxRequestsPerConnection'], label: 'Requests per connection', parse: integer(0) },
  { path: ['http', 'maxRetries'], label: 'Max retries', parse: integer(0) },
];

export const OUTLIER_DETECTION: readonly PolicyNumber[] = [
  { path: ['consecutive5xxErrors'], label: 'Consecutive 5xx', parse: integer(0) },
  { path: ['consecutiveGatewayErrors'], label: 'Consecutive gateway errors', parse: integer(0) },
  { path: ['interval'], label: 'Interval', parse: duration, hint: 'e.g. 10s' },
  { path: ['baseEjectionTime'], label: 'Base ejection time', parse: duration, hint: 'e.g. 30s' },
  { path: ['maxEjectionPercent'], label: 'Max ejection %', parse: integer(0, 100, 'a percentage') },
  { path: ['minHealthPercent'], label: 'Min health %', parse: integer(0, 100, 'a percentage') },
];

export const TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] as const;
export const PEER_MODES = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'] as const;
