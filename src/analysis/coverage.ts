/**
 * "Does match A cover match B?" — every request B matches, A matches too, on every proxy where B's route exists.
 * Decided on the engine's compiled matchers (src/engine/match.ts), so it follows exactly the semantics the simulator
 * routes with: exact/prefix/regex full match, ignoreUriCase, `{}` = present, withoutHeaders with a missing header
 * read as "", queryParams, and the AND of all conditions. `port`, `gateways`, `sourceLabels` and `sourceNamespace`
 * decide where a route exists at all, so A must exist wherever B does.
 *
 * The answer is sound, not complete: `true` is a proof; `false` means "not proven" (e.g. a regex covering a prefix,
 * or two matches that cover a third only together). A regex covers an exact value when it matches that value;
 * otherwise a regex is only known to cover an identical regex or `.*`.
 */
import { SM, matchString, type HttpMatch, type NamedMatcher, type StringMatcher } from '../engine/match';
import { hostSubsetOf } from '../engine/hosts';
import type { RawHttpMatch, RawL4Match } from '../engine/raw';
import { resolveGatewayName } from '../engine/virtualservice';

/** ASCII without letters: no other string lower-cases to it, so case-insensitive and exact agree. */
const caseless = (s: string) => /^[\x00-\x40\x5b-\x60\x7b-\x7f]*$/.test(s);

/** Matches every value (of a field that is always present, or of a header known to be present). */
export function universal(m: StringMatcher): boolean {
  return m.kind === SM.Present || (m.kind === SM.Prefix && m.value === '') || (m.kind === SM.Regex && m.value === '.*');
}

/** Every value B accepts, A accepts (both applied to the same present value). */
export function stringCovers(a: StringMatcher, b: StringMatcher): boolean {
  if (universal(a)) return true;
  if (universal(b)) return false;
  if (b.kind === SM.Regex) return a.kind === SM.Regex && a.value === b.value;
  // b is exact or prefix, possibly case-insensitive (URI with ignoreUriCase: value already lower-cased).
  if (b.ignoreCase && !caseless(b.value)) {
    // B accepts every casing of b.value (as a whole or as a prefix): A must ignore case too, or only look at a caseless part.
    if (a.kind === SM.Regex) return false;
    if (a.ignoreCase) return a.kind === SM.Exact ? b.kind === SM.Exact && a.value === b.value : b.value.startsWith(a.value);
    return a.kind === SM.Prefix && caseless(a.value) && b.value.startsWith(a.value);
  }
  // B's values are case-exact (or caseless). A case-insensitive A compares their lower-case form.
  if (b.kind === SM.Exact) {
    if (a.kind === SM.Regex) return a.re !== null && a.re.testExact(b.value);
    const v = a.ignoreCase ? b.value.toLowerCase() : b.value;
    return a.kind === SM.Exact ? v === a.value : v.startsWith(a.value);
  }
  // b prefix: A must accept every extension of it. (Lower-casing is not always per character, e.g. a final sigma:
  // a case-insensitive A is only compared with an ASCII prefix.)
  if (a.kind !== SM.Prefix) return false;
  if (a.ignoreCase && /[^\x00-\x7f]/.test(b.value)) return false;
  return (a.ignoreCase ? b.value.toLowerCase() : b.value).startsWith(a.value);
}

/** No value satisfies both B (a header condition) and A (what a withoutHeaders rejects). */
function disjoint(b: StringMatcher, a: StringMatcher): boolean {
  if (b.kind === SM.Exact) return !matchString(a, b.value);
  if (b.kind === SM.Prefix && b.value !== '') {
    if (a.kind === SM.Exact) return !a.value.startsWith(b.value);
    if (a.kind === SM.Prefix) return !a.value.startsWith(b.value) && !b.value.startsWith(a.value);
  }
  if (b.kind === SM.Regex && b.re && a.kind === SM.Exact) return !b.re.testExact(a.value);
  return false;
}

/** Does B's condition on the same header/parameter imply A's `headers`/`queryParams` condition? */
function presentCovered(a: NamedMatcher, bs: NamedMatcher[]): boolean {
  for (const b of bs) if (b.name === a.name && stringCovers(a.m, b.m)) return true;
  return false;
}

/** Does B imply A's withoutHeaders condition (the header is absent, or its value, "" when absent, fails A)? */
function withoutCovered(a: NamedMatcher, b: HttpMatch): boolean {
  const aPresent = a.m.kind === SM.Present;
  for (const w of b.withoutHeaders) {
    if (w.name !== a.name) continue;
    if (aPresent ? w.m.kind === SM.Present || universal(w.m) : w.m.kind === SM.Present ? !matchString(a.m, '') : stringCovers(w.m, a.m)) return true;
  }
  if (aPresent) return false;
  for (const h of b.headers) if (h.name === a.name && disjoint(h.m, a.m)) return true;
  return false;
}

/** Paths always start with `/`: Istio (and the engine) treat URI prefix `/` as a catch-all. */
const anyPath = (m: StringMatcher) => universal(m) || (m.kind === SM.Prefix && m.value === '/');

/** Request conditions only: every request B matches, A matches. */
export function requestCovers(a: HttpMatch, b: HttpMatch): boolean {
  if (a.uri && !anyPath(a.uri) && (!b.uri || !stringCovers(a.uri, b.uri))) return false;
  for (const k of ['method', 'scheme', 'authority'] as const) {
    const am = a[k];
    if (am && !universal(am)) {
      const bm = b[k];
      if (!bm || !stringCovers(am, bm)) return false;
    }
  }
  for (const h of a.headers) if (!presentCovered(h, b.headers)) return false;
  for (const q of a.queryParams) if (!presentCovered(q, b.queryParams)) return false;
  for (const w of a.withoutHeaders) if (!withoutCovered(w, b)) return false;
  return true;
}

/** Where a match's route exists: the fields that select proxies and listeners rather than requests. */
export interface Scope {
  port: number | null;
  /** Resolved gateway names (`mesh` for sidecars). */
  gateways: string[];
  /** Only checked where the match itself names no gateways (Istio then ignores them). */
  sourceLabels: Record<string, string> | null;
  sourceNamespace: string | null;
}

export function scopeOf(raw: RawHttpMatch | RawL4Match | null, vsGateways: string[], vsNamespace: string): Scope {
  const own = Array.isArray(raw?.gateways) && raw.gateways.length > 0;
  // A match's own gateways replace the VirtualService's, but the VirtualService is only attached where its own list says.
  const gateways = own ? raw!.gateways!.map((g) => resolveGatewayName(String(g), vsNamespace)).filter((g) => vsGateways.includes(g)) : vsGateways;
  const labels = raw?.sourceLabels && typeof raw.sourceLabels === 'object' && Object.keys(raw.sourceLabels).length ? raw.sourceLabels : null;
  return {
    port: typeof raw?.port === 'number' && raw.port > 0 ? raw.port : null,
    gateways,
    sourceLabels: own ? null : labels,
    sourceNamespace: own ? null : typeof raw?.sourceNamespace === 'string' && raw.sourceNamespace ? raw.sourceNamespace : null,
  };
}

/** A's route exists on every proxy and listener where B's does. */
export function scopeCovers(a: Scope, b: Scope): boolean {
  if (a.port !== null && a.port !== b.port) return false;
  for (const g of b.gateways) if (!a.gateways.includes(g)) return false;
  if (a.sourceLabels) {
    if (!b.sourceLabels) return false;
    for (const k in a.sourceLabels) if (String(b.sourceLabels[k]) !== String(a.sourceLabels[k])) return false;
  }
  if (a.sourceNamespace !== null && a.sourceNamespace !== b.sourceNamespace) return false;
  return true;
}

// ---- TCP / TLS matches ----

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function cidr(s: string): { base: number; bits: number } | null {
  const [addr, len] = s.split('/');
  const base = ipv4(addr);
  const bits = len === undefined ? 32 : Number(len);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, bits };
}

/** Every address of subnet `b` is in subnet `a` (IPv4; otherwise only identical strings). */
function subnetCovers(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = cidr(a);
  const cb = cidr(b);
  if (!ca || !cb || cb.bits < ca.bits) return false;
  const mask = ca.bits === 0 ? 0 : (0xffffffff << (32 - ca.bits)) >>> 0;
  return ((cb.base & mask) >>> 0) === ca.base;
}

/** Connection conditions of a tcp/tls match: destination subnets and SNI hosts. */
export function l4Covers(a: RawL4Match, b: RawL4Match): boolean {
  const as = Array.isArray(a.destinationSubnets) ? a.destinationSubnets : [];
  const bs = Array.isArray(b.destinationSubnets) ? b.destinationSubnets : [];
  if (as.length && (!bs.length || !bs.every((x) => as.some((y) => subnetCovers(String(y), String(x)))))) return false;
  const an = Array.isArray(a.sniHosts) ? a.sniHosts.map((h) => String(h).toLowerCase()) : [];
  const bn = Array.isArray(b.sniHosts) ? b.sniHosts.map((h) => String(h).toLowerCase()) : [];
  if (an.length && (!bn.length || !bn.every((x) => an.some((y) => hostSubsetOf(x, y))))) return false;
  return true;
}
