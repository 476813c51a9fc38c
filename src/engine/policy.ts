/**
 * Per-route HTTP policies compiled from a VirtualService rule: retries (Istio defaults), timeout,
 * fault injection, header operations, redirect, direct response. Pure data for the trace and for
 * a load simulator.
 */
import type { FieldPath, ResourceKey } from '../model/resource';
import { parseDurationMs } from './duration';
import type { RawHeaderOps, RawHttpRoute, RawPercent } from './raw';
import type { RetryDefaults } from './types';

export interface Provenance {
  resource: ResourceKey | null;
  path: FieldPath;
}

export interface RetryPolicy extends Provenance {
  /** Retries after the first attempt. */
  attempts: number;
  on: ReadonlySet<string>;
  statusCodes: readonly number[];
  perTryTimeoutMs: number | null;
  backoffBaseMs: number;
  /** Retries prefer hosts not tried yet (Envoy previous_hosts predicate); default true. */
  ignorePreviousHosts: boolean;
  isDefault: boolean;
}

export interface FaultPolicy {
  delay: { ms: number; percent: number; path: FieldPath } | null;
  abort: { status: number; percent: number; grpc: string | null; path: FieldPath } | null;
  resource: ResourceKey | null;
}

export interface HeaderOps {
  set: Array<[string, string]>;
  add: Array<[string, string]>;
  remove: string[];
}

export interface HeaderPolicy {
  request: HeaderOps | null;
  response: HeaderOps | null;
  /** `host`/`:authority` set or add, turned into an authority rewrite. */
  authority: string | null;
}

export interface RedirectPolicy {
  uri: string | null;
  authority: string | null;
  port: number | null;
  derivePort: string | null;
  scheme: string | null;
  code: number;
}

const isKnownStatus = (n: number) => Number.isInteger(n) && n >= 100 && n <= 599;

export function retryFromRaw(raw: RawHttpRoute['retries'], defaults: RetryDefaults, resource: ResourceKey | null, path: FieldPath): RetryPolicy | null {
  if (raw === undefined || raw === null) {
    if (defaults.attempts <= 0) return null;
    return { ...parseRetryOn(defaults.retryOn), attempts: defaults.attempts, perTryTimeoutMs: defaults.perTryTimeoutMs, backoffBaseMs: 25, ignorePreviousHosts: true, isDefault: true, resource: null, path: [] };
  }
  const attempts = typeof raw.attempts === 'number' ? raw.attempts : 0;
  if (attempts <= 0) return null;
  return {
    ...parseRetryOn(raw.retryOn ?? defaults.retryOn),
    attempts,
    perTryTimeoutMs: parseDurationMs(raw.perTryTimeout),
    backoffBaseMs: parseDurationMs(raw.backoff) ?? 25,
    ignorePreviousHosts: raw.retryIgnorePreviousHosts !== false,
    isDefault: false,
    resource,
    path: [...path, 'retries'],
  };
}

/** Istio parseRetryOn: integers that are HTTP statuses become retriable codes (adding `retriable-status-codes`). */
export function parseRetryOn(s: string): { on: Set<string>; statusCodes: number[] } {
  const on = new Set<string>();
  const statusCodes: number[] = [];
  for (const part of s.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const n = Number(t);
    if (/^\d+$/.test(t) && isKnownStatus(n)) {
      statusCodes.push(n);
      on.add('retriable-status-codes');
    } else on.add(t);
  }
  return { on, statusCodes };
}

const pct = (p: RawPercent | undefined, legacy?: number): number => {
  if (p && typeof p.value === 'number') return Math.max(0, Math.min(100, p.value));
  if (typeof legacy === 'number') return Math.max(0, Math.min(100, legacy));
  return 0; // omitted percentage: no request is affected (current Istio)
};

export function faultFromRaw(raw: RawHttpRoute['fault'], resource: ResourceKey | null, path: FieldPath): FaultPolicy | null {
  if (!raw) return null;
  const fp: FieldPath = [...path, 'fault'];
  const d = raw.delay;
  const a = raw.abort;
  const delayMs = d ? parseDurationMs(d.fixedDelay) : null;
  return {
    delay: d && delayMs !== null ? { ms: delayMs, percent: pct(d.percentage, d.percent), path: [...fp, 'delay'] } : null,
    abort: a && (typeof a.httpStatus === 'number' || typeof a.grpcStatus === 'string')
      ? { status: typeof a.httpStatus === 'number' ? a.httpStatus : 200, grpc: a.grpcStatus ?? null, percent: pct(a.percentage), path: [...fp, 'abort'] }
      : null,
    resource,
  };
}

function ops(raw: RawHeaderOps | undefined): HeaderOps | null {
  if (!raw) return null;
  const pairs = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)] as [string, string]);
  return { set: pairs(raw.set), add: pairs(raw.add), remove: (raw.remove ?? []).map((h) => h.toLowerCase()) };
}

const isAuthorityHeader = (k: string) => k === 'host' || k === ':authority';

/** Compiles header operations; `host`/`:authority` set/add become an authority rewrite, other pseudo headers are ignored. */
export function headersFromRaw(raw: RawHttpRoute['headers'] | undefined): HeaderPolicy | null {
  if (!raw) return null;
  const request = ops(raw.request);
  let authority: string | null = null;
  if (request) {
    const set = request.set.find(([k]) => isAuthorityHeader(k));
    const add = request.add.find(([k]) => isAuthorityHeader(k));
    authority = set?.[1] ?? add?.[1] ?? null;
    request.set = request.set.filter(([k]) => !k.startsWith(':') && k !== 'host');
    request.add = request.add.filter(([k]) => !k.startsWith(':') && k !== 'host');
    request.remove = request.remove.filter((k) => !k.startsWith(':') && k !== 'host');
  }
  return { request, response: ops(raw.response), authority };
}

/** Applies header operations in Envoy order: removals, then set (overwrite), then add (append). */
export function applyHeaderOps(h: Map<string, string>, o: HeaderOps | null): void {
  if (!o) return;
  for (const k of o.remove) h.delete(k);
  for (const [k, v] of o.set) h.set(k, v);
  for (const [k, v] of o.add) h.set(k, h.has(k) ? `${h.get(k)},${v}` : v);
}

export function redirectFromRaw(raw: RawHttpRoute['redirect']): RedirectPolicy | null {
  if (!raw) return null;
  const code = raw.redirectCode ?? 301;
  return {
    uri: raw.uri ?? null,
    authority: raw.authority ?? null,
    port: typeof raw.port === 'number' ? raw.port : null,
    derivePort: raw.derivePort ?? null,
    scheme: raw.scheme ?? null,
    code: [301, 302, 303, 307, 308].includes(code) ? code : 301,
  };
}

/** The Location header of a redirect (Envoy RedirectAction). */
export function redirectLocation(r: RedirectPolicy, req: { scheme: string; authority: string; path: string; query: string; listenerPort: number }): string {
  const scheme = r.scheme ?? req.scheme;
  const reqHost = req.authority.replace(/:\d+$/, '');
  const reqPort = /:(\d+)$/.exec(req.authority)?.[1] ?? null;
  let host = r.authority ?? reqHost;
  let port: string | null = r.authority ? null : reqPort;
  if (r.port !== null) port = String(r.port);
  else if (r.derivePort === 'FROM_PROTOCOL_DEFAULT') port = null;
  else if (r.derivePort === 'FROM_REQUEST_PORT') port = String(req.listenerPort);
  if (r.scheme && r.port === null && !r.derivePort) port = null; // scheme change drops the original port
  if ((scheme === 'http' && port === '80') || (scheme === 'https' && port === '443')) port = null;
  if (port) host = `${host}:${port}`;
  const path = r.uri ?? req.path;
  const hasQuery = path.includes('?');
  return `${scheme}://${host}${path}${!hasQuery && req.query ? `?${req.query}` : ''}`;
}

export function timeoutFromRaw(raw: RawHttpRoute): number | null {
  const t = parseDurationMs(raw.timeout);
  return t === null || t <= 0 ? null : t;
}
