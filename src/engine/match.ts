/**
 * Precompiled matchers for VirtualService `StringMatch` and `HTTPMatchRequest`. Regexes are RE2
 * (re2js), full match, compiled once; evaluation allocates nothing.
 */
import { RE2JS } from 're2js';
import type { FieldPath } from '../model/resource';
import { intern } from './hosts';
import type { RawHttpMatch, RawStringMatch } from './raw';

export enum SM {
  Exact = 0,
  Prefix = 1,
  Regex = 2,
  Present = 3,
}

export interface StringMatcher {
  kind: SM;
  value: string;
  re: RE2JS | null;
  /** Only for URIs with ignoreUriCase (exact/prefix). */
  ignoreCase: boolean;
  /** Regex results by input (request templates repeat); bounded, cleared when full. */
  memo?: Map<string, boolean>;
}

const MEMO_LIMIT = 4096;

/** RE2 full match (linear time), memoised per matcher. */
function matchRegex(m: StringMatcher, v: string): boolean {
  let memo = m.memo;
  if (memo === undefined) memo = m.memo = new Map();
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  const r = m.re!.testExact(v);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(v, r);
  return r;
}

/** A configuration error Istio's validation would reject (e.g. an invalid RE2 pattern). */
export class ConfigError extends Error {
  constructor(message: string, readonly path: FieldPath) {
    super(message);
  }
}

export function compileRegex(pattern: string, path: FieldPath): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new ConfigError(`invalid regex "${pattern}": ${(e as Error).message}`, path);
  }
}

/** Compiles a StringMatch; `{}`/null (and header `regex: "*"`) mean "present". */
export function compileStringMatch(m: RawStringMatch | null | undefined, path: FieldPath, opts: { header?: boolean; ignoreCase?: boolean } = {}): StringMatcher {
  if (!m || typeof m !== 'object') return { kind: SM.Present, value: '', re: null, ignoreCase: false };
  if (typeof m.exact === 'string') return { kind: SM.Exact, value: intern(opts.ignoreCase ? m.exact.toLowerCase() : m.exact), re: null, ignoreCase: !!opts.ignoreCase };
  if (typeof m.prefix === 'string') return { kind: SM.Prefix, value: opts.ignoreCase ? m.prefix.toLowerCase() : m.prefix, re: null, ignoreCase: !!opts.ignoreCase };
  if (typeof m.regex === 'string') {
    if (opts.header && m.regex === '*') return { kind: SM.Present, value: '', re: null, ignoreCase: false };
    return { kind: SM.Regex, value: m.regex, re: compileRegex(m.regex, [...path, 'regex']), ignoreCase: false, memo: new Map() };
  }
  return { kind: SM.Present, value: '', re: null, ignoreCase: false };
}

/** Matches a present value. */
export function matchString(m: StringMatcher, v: string): boolean {
  switch (m.kind) {
    case SM.Exact:
      return v.length === m.value.length && v === m.value;
    case SM.Prefix:
      return v.length >= m.value.length && v.startsWith(m.value);
    case SM.Regex:
      return matchRegex(m, v);
    default:
      return true;
  }
}

export function describeStringMatch(m: StringMatcher): string {
  switch (m.kind) {
    case SM.Exact:
      return `exact "${m.value}"`;
    case SM.Prefix:
      return `prefix "${m.value}"`;
    case SM.Regex:
      return `regex "${m.value}"`;
    default:
      return 'present';
  }
}

export interface NamedMatcher {
  name: string;
  m: StringMatcher;
  path: FieldPath;
}

export interface HttpMatch {
  uri: StringMatcher | null;
  scheme: StringMatcher | null;
  method: StringMatcher | null;
  authority: StringMatcher | null;
  headers: NamedMatcher[];
  withoutHeaders: NamedMatcher[];
  queryParams: NamedMatcher[];
  path: FieldPath;
  /** Catch-all in Istio's sense: URI unset, prefix `/` or regex `.*`/`*`, and no other conditions. */
  catchAll: boolean;
  /** headers + withoutHeaders + queryParams count: 0 lets the hot path skip three arrays. */
  maps: number;
}

/** What the matchers look at: a request normalised once. */
export interface MatchInput {
  path: string;
  pathLower: string;
  method: string;
  scheme: string;
  authority: string;
  /** Lower-case header names, plus `:authority`, `:method`, `:scheme`, `:path`. */
  headers: Map<string, string>;
  query: Map<string, string>;
}

function compileMap(raw: Record<string, RawStringMatch | null> | undefined, path: FieldPath, header: boolean): NamedMatcher[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.keys(raw).map((k) => ({
    name: intern(header ? k.toLowerCase() : k),
    m: compileStringMatch(raw[k], [...path, k], { header: true }),
    path: [...path, k],
  }));
}

export function compileHttpMatch(raw: RawHttpMatch, path: FieldPath): HttpMatch {
  const ic = raw.ignoreUriCase === true;
  const uri = raw.uri ? compileStringMatch(raw.uri, [...path, 'uri'], { ignoreCase: ic }) : null;
  const m: HttpMatch = {
    uri: uri && uri.kind !== SM.Present ? uri : null,
    scheme: raw.scheme ? compileStringMatch(raw.scheme, [...path, 'scheme']) : null,
    method: raw.method ? compileStringMatch(raw.method, [...path, 'method']) : null,
    authority: raw.authority ? compileStringMatch(raw.authority, [...path, 'authority']) : null,
    headers: compileMap(raw.headers, [...path, 'headers'], true),
    withoutHeaders: compileMap(raw.withoutHeaders, [...path, 'withoutHeaders'], true),
    queryParams: compileMap(raw.queryParams, [...path, 'queryParams'], false),
    path,
    catchAll: false,
    maps: 0,
  };
  m.maps = m.headers.length + m.withoutHeaders.length + m.queryParams.length;
  const uriCatchAll = !m.uri || (m.uri.kind === SM.Prefix && m.uri.value === '/') || (m.uri.kind === SM.Regex && (m.uri.value === '.*' || m.uri.value === '*'));
  m.catchAll = uriCatchAll && !m.scheme && !m.method && !m.authority && m.headers.length === 0 && m.withoutHeaders.length === 0 && m.queryParams.length === 0;
  return m;
}

function matchUri(m: StringMatcher, req: MatchInput): boolean {
  return matchString(m, m.ignoreCase ? req.pathLower : req.path);
}

function matchHeader(h: NamedMatcher, req: MatchInput): boolean {
  const v = req.headers.get(h.name);
  if (v === undefined) return false;
  // `exact: ""` needs the header present with an empty value; `{}` any value.
  return matchString(h.m, v);
}

/** withoutHeaders: a missing header counts as an empty value (Envoy treat_missing_header_as_empty). */
function matchWithoutHeader(h: NamedMatcher, req: MatchInput): boolean {
  const v = req.headers.get(h.name);
  if (h.m.kind === SM.Present) return v === undefined;
  return !matchString(h.m, v ?? '');
}

function matchQuery(q: NamedMatcher, req: MatchInput): boolean {
  const v = req.query.get(q.name);
  if (v === undefined) return false;
  return matchString(q.m, v);
}

/** AND of every condition of one HTTPMatchRequest. */
export function matchHttp(m: HttpMatch, req: MatchInput): boolean {
  if (m.uri !== null && !matchUri(m.uri, req)) return false;
  if (m.method !== null && !matchString(m.method, req.method)) return false;
  if (m.scheme !== null && !matchString(m.scheme, req.scheme)) return false;
  if (m.authority !== null && !matchString(m.authority, req.authority)) return false;
  if (m.maps === 0) return true;
  const hs = m.headers;
  for (let i = 0; i < hs.length; i++) if (!matchHeader(hs[i], req)) return false;
  const ws = m.withoutHeaders;
  for (let i = 0; i < ws.length; i++) if (!matchWithoutHeader(ws[i], req)) return false;
  const qs = m.queryParams;
  for (let i = 0; i < qs.length; i++) if (!matchQuery(qs[i], req)) return false;
  return true;
}

/** Why a match fails (first failing condition) with its field path, or null when it matches. Trace path only. */
export function explainHttpMismatch(m: HttpMatch, req: MatchInput): { reason: string; path: FieldPath } | null {
  if (m.uri && !matchUri(m.uri, req)) return { reason: `path "${req.path}" does not match uri ${describeStringMatch(m.uri)}${m.uri.ignoreCase ? ' (ignoreUriCase)' : ''}`, path: [...m.path, 'uri'] };
  if (m.method && !matchString(m.method, req.method)) return { reason: `method ${req.method} does not match ${describeStringMatch(m.method)}`, path: [...m.path, 'method'] };
  if (m.scheme && !matchString(m.scheme, req.scheme)) return { reason: `scheme ${req.scheme} does not match ${describeStringMatch(m.scheme)}`, path: [...m.path, 'scheme'] };
  if (m.authority && !matchString(m.authority, req.authority)) return { reason: `authority "${req.authority}" does not match ${describeStringMatch(m.authority)}`, path: [...m.path, 'authority'] };
  for (const h of m.headers) {
    if (!matchHeader(h, req)) {
      const v = req.headers.get(h.name);
      return { reason: v === undefined ? `header ${h.name} is absent (needs ${describeStringMatch(h.m)})` : `header ${h.name}: "${v}" does not match ${describeStringMatch(h.m)}`, path: h.path };
    }
  }
  for (const h of m.withoutHeaders) {
    if (!matchWithoutHeader(h, req)) return { reason: `withoutHeaders: header ${h.name} ${h.m.kind === SM.Present ? 'is present' : `matches ${describeStringMatch(h.m)}`}`, path: h.path };
  }
  for (const q of m.queryParams) {
    if (!matchQuery(q, req)) {
      const v = req.query.get(q.name);
      return { reason: v === undefined ? `query parameter ${q.name} is absent` : `query parameter ${q.name}="${v}" does not match ${describeStringMatch(q.m)}`, path: q.path };
    }
  }
  return null;
}

/** A one-line summary of the conditions of a match, for explanations. */
export function describeHttpMatch(m: HttpMatch): string {
  const parts: string[] = [];
  if (m.uri) parts.push(`uri ${describeStringMatch(m.uri)}`);
  if (m.method) parts.push(`method ${describeStringMatch(m.method)}`);
  if (m.scheme) parts.push(`scheme ${describeStringMatch(m.scheme)}`);
  if (m.authority) parts.push(`authority ${describeStringMatch(m.authority)}`);
  for (const h of m.headers) parts.push(`header ${h.name} ${describeStringMatch(h.m)}`);
  for (const h of m.withoutHeaders) parts.push(`without header ${h.name} ${describeStringMatch(h.m)}`);
  for (const q of m.queryParams) parts.push(`query ${q.name} ${describeStringMatch(q.m)}`);
  return parts.length ? parts.join(' AND ') : 'any request';
}
