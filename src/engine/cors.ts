/**
 * VirtualService corsPolicy as Envoy's CORS filter applies it (after fault injection, before the
 * router): matching preflights are answered by the proxy; actual requests are forwarded and get
 * Access-Control-Allow-Origin when their Origin is allowed.
 */
import type { FieldPath, ResourceKey } from '../model/resource';
import { parseDurationMs } from './duration';
import { compileStringMatch, matchString, type StringMatcher } from './match';
import type { RawHttpRoute } from './raw';

export interface CorsPolicy {
  origins: StringMatcher[];
  methods: string;
  headers: string;
  expose: string;
  maxAgeS: number | null;
  credentials: boolean;
  forwardUnmatchedPreflights: boolean;
  resource: ResourceKey | null;
  path: FieldPath;
}

export function corsFromRaw(raw: RawHttpRoute['corsPolicy'], resource: ResourceKey | null, path: FieldPath): CorsPolicy | null {
  if (!raw) return null;
  const p: FieldPath = [...path, 'corsPolicy'];
  const origins = (raw.allowOrigins ?? []).map((o, i) => compileStringMatch(o, [...p, 'allowOrigins', i]));
  for (const o of raw.allowOrigin ?? []) origins.push(o === '*' ? compileStringMatch({ regex: '.*' }, [...p, 'allowOrigin']) : compileStringMatch({ exact: o }, [...p, 'allowOrigin']));
  const age = parseDurationMs(raw.maxAge);
  return {
    origins,
    methods: (raw.allowMethods ?? []).join(','),
    headers: (raw.allowHeaders ?? []).join(','),
    expose: (raw.exposeHeaders ?? []).join(','),
    maxAgeS: age === null ? null : Math.round(age / 1000),
    credentials: raw.allowCredentials === true,
    forwardUnmatchedPreflights: raw.unmatchedPreflights !== 'IGNORE',
    resource,
    path: p,
  };
}

export type CorsResult =
  | { kind: 'none' }
  | { kind: 'preflight'; headers: Map<string, string> }
  | { kind: 'preflight_ignored' }
  | { kind: 'actual'; headers: Map<string, string> };

/** What the CORS filter does with a request (request headers lower-cased). */
export function applyCors(c: CorsPolicy, method: string, headers: Map<string, string>): CorsResult {
  const origin = headers.get('origin');
  if (origin === undefined) return { kind: 'none' };
  const allowed = c.origins.some((m) => matchString(m, origin));
  const preflight = method === 'OPTIONS' && headers.has('access-control-request-method');
  if (preflight) {
    if (!allowed) return c.forwardUnmatchedPreflights ? { kind: 'none' } : { kind: 'preflight_ignored' };
    const h = new Map<string, string>([['access-control-allow-origin', origin]]);
    if (c.methods) h.set('access-control-allow-methods', c.methods);
    if (c.headers) h.set('access-control-allow-headers', c.headers);
    if (c.maxAgeS !== null) h.set('access-control-max-age', String(c.maxAgeS));
    if (c.credentials) h.set('access-control-allow-credentials', 'true');
    return { kind: 'preflight', headers: h };
  }
  if (!allowed) return { kind: 'none' };
  const h = new Map<string, string>([['access-control-allow-origin', origin]]);
  if (c.credentials) h.set('access-control-allow-credentials', 'true');
  if (c.expose) h.set('access-control-expose-headers', c.expose);
  return { kind: 'actual', headers: h };
}
