/**
 * Coverage must be sound against the engine's matcher: whenever `requestCovers(A, B)` says yes, every request that
 * B matches, A matches too (src/engine/match.ts matchHttp). Random matches and requests over a small alphabet make
 * overlaps frequent; a few fixed cases pin down that the answer is not trivially "no".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileHttpMatch, compileStringMatch, matchHttp, type MatchInput } from '../engine/match';
import type { RawHttpMatch, RawStringMatch } from '../engine/raw';
import { l4Covers, requestCovers, scopeCovers, scopeOf, stringCovers } from './coverage';

const PATHS = ['/', '/a', '/ab', '/abc', '/A', '/Ab', '/AB', '/b', '/ba', '/a/b', '/ap'];
const VALUES = ['', 'a', 'ab', 'abc', 'A', 'Ab', 'b', 'ba'];
const REGEXES = ['.*', 'a.*', '/a.*', '[ab]+', '/[aA]b?', 'a|b', '(?i)/ab', '/.'];

const stringMatch = (values: string[]): fc.Arbitrary<RawStringMatch> =>
  fc.oneof(
    fc.constantFrom(...values).map((exact) => ({ exact })),
    fc.constantFrom(...values).map((prefix) => ({ prefix })),
    fc.constantFrom(...REGEXES).map((regex) => ({ regex })),
  );

const headerMap = (values: string[]) =>
  fc.dictionary(fc.constantFrom('x', 'y'), fc.oneof(stringMatch(values), fc.constant({} as RawStringMatch)), { maxKeys: 2 });

const rawMatch: fc.Arbitrary<RawHttpMatch> = fc.record(
  {
    uri: stringMatch(PATHS),
    ignoreUriCase: fc.boolean(),
    method: fc.constantFrom({ exact: 'GET' }, { exact: 'POST' }, { prefix: 'P' }, { regex: 'GET|POST' }),
    headers: headerMap(VALUES),
    withoutHeaders: headerMap(VALUES),
    queryParams: fc.dictionary(fc.constantFrom('q'), stringMatch(VALUES), { maxKeys: 1 }),
  },
  { requiredKeys: [] },
);

const header = fc.option(fc.constantFrom(...VALUES), { nil: undefined });
const request: fc.Arbitrary<MatchInput> = fc
  .record({ path: fc.constantFrom(...PATHS), method: fc.constantFrom('GET', 'POST', 'PUT'), x: header, y: header, q: header })
  .map(({ path, method, x, y, q }) => {
    const headers = new Map<string, string>([[':method', method], [':path', path], [':scheme', 'http'], [':authority', 'reviews']]);
    if (x !== undefined) headers.set('x', x);
    if (y !== undefined) headers.set('y', y);
    const query = new Map<string, string>();
    if (q !== undefined) query.set('q', q);
    return { path, pathLower: path.toLowerCase(), method, scheme: 'http', authority: 'reviews', headers, query };
  });

/** Every request of the alphabet (small enough to enumerate for the property). */
const ALL_REQUESTS = fc.sample(request, { numRuns: 4000, seed: 7 });

/** Pairs of matches: independent, or B = A with some fields added or replaced (often covered, not always). */
const pair: fc.Arbitrary<[RawHttpMatch, RawHttpMatch]> = fc.oneof(
  fc.tuple(rawMatch, rawMatch),
  fc.tuple(rawMatch, rawMatch).map(([a, x]) => {
    const b: RawHttpMatch = { ...a, ...x };
    for (const k of ['headers', 'withoutHeaders', 'queryParams'] as const) if (a[k] || x[k]) b[k] = { ...a[k], ...x[k] };
    return [a, b] as [RawHttpMatch, RawHttpMatch];
  }),
);

describe('requestCovers is sound for the engine matcher', () => {
  it('A covers B ⇒ every request B matches, A matches', () => {
    let proven = 0;
    fc.assert(
      fc.property(pair, ([ra, rb]) => {
        const a = compileHttpMatch(ra, []);
        const b = compileHttpMatch(rb, []);
        if (!requestCovers(a, b)) return true;
        proven++;
        for (const r of ALL_REQUESTS) if (matchHttp(b, r) && !matchHttp(a, r)) return false;
        return true;
      }),
      { numRuns: 3000, seed: 42 },
    );
    // The property must not hold vacuously.
    expect(proven).toBeGreaterThan(100);
  });

  it('a match always covers itself and the empty match covers everything', () => {
    fc.assert(
      fc.property(rawMatch, (r) => {
        const m = compileHttpMatch(r, []);
        return requestCovers(m, compileHttpMatch(r, [])) && requestCovers(compileHttpMatch({}, []), m);
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('string coverage cases', () => {
  const sm = (m: RawStringMatch, ignoreCase = false) => compileStringMatch(m, [], { ignoreCase });
  it('prefix covers longer prefixes and exact values it starts', () => {
    expect(stringCovers(sm({ prefix: '/' }), sm({ exact: '/a' }))).toBe(true);
    expect(stringCovers(sm({ prefix: '/a' }), sm({ prefix: '/ab' }))).toBe(true);
    expect(stringCovers(sm({ prefix: '/ab' }), sm({ prefix: '/a' }))).toBe(false);
    expect(stringCovers(sm({ exact: '/a' }), sm({ prefix: '/a' }))).toBe(false);
  });
  it('regex covers an exact value it fully matches and an identical regex only', () => {
    expect(stringCovers(sm({ regex: '/a.*' }), sm({ exact: '/abc' }))).toBe(true);
    expect(stringCovers(sm({ regex: 'a' }), sm({ exact: 'ab' }))).toBe(false);
    expect(stringCovers(sm({ regex: '/a.*' }), sm({ regex: '/a.*' }))).toBe(true);
    expect(stringCovers(sm({ regex: '/a.*' }), sm({ prefix: '/a' }))).toBe(false);
    expect(stringCovers(sm({ regex: '.*' }), sm({ regex: 'anything' }))).toBe(true);
  });
  it('case-insensitive matchers', () => {
    expect(stringCovers(sm({ prefix: '/A' }, true), sm({ exact: '/ab' }))).toBe(true);
    expect(stringCovers(sm({ prefix: '/a' }), sm({ exact: '/AB' }, true))).toBe(false);
    expect(stringCovers(sm({ prefix: '/' }), sm({ exact: '/AB' }, true))).toBe(true);
  });
});

describe('scope and L4 coverage', () => {
  const scope = (raw: RawHttpMatch | null, vsGateways = ['mesh']) => scopeOf(raw, vsGateways, 'default');
  it('a port-less match exists on every port; a port match only on its port', () => {
    expect(scopeCovers(scope({}), scope({ port: 80 }))).toBe(true);
    expect(scopeCovers(scope({ port: 80 }), scope({}))).toBe(false);
    expect(scopeCovers(scope({ port: 80 }), scope({ port: 8080 }))).toBe(false);
  });
  it('sourceLabels: fewer labels exist on more sidecars; a match with its own gateways ignores them', () => {
    expect(scopeCovers(scope({ sourceLabels: { app: 'a' } }), scope({ sourceLabels: { app: 'a', v: '1' } }))).toBe(true);
    expect(scopeCovers(scope({ sourceLabels: { app: 'a', v: '1' } }), scope({ sourceLabels: { app: 'a' } }))).toBe(false);
    expect(scopeCovers(scope({ sourceLabels: { app: 'a' } }), scope({ gateways: ['mesh'], sourceLabels: { app: 'a' } }))).toBe(false);
  });
  it('gateways: resolved names, narrowed to the VirtualService\'s own list', () => {
    const g = ['mesh', 'default/edge'];
    expect(scopeCovers(scope({ gateways: ['edge', 'mesh'] }, g), scope({}, g))).toBe(true);
    expect(scopeCovers(scope({ gateways: ['mesh'] }, g), scope({}, g))).toBe(false);
    expect(scopeCovers(scope({ gateways: ['mesh'] }, g), scope({ gateways: ['mesh', 'other/gw'] }, g))).toBe(true);
  });
  it('subnets and SNI hosts', () => {
    expect(l4Covers({ destinationSubnets: ['10.0.0.0/8'] }, { destinationSubnets: ['10.2.3.4'] })).toBe(true);
    expect(l4Covers({ destinationSubnets: ['10.0.0.0/16'] }, { destinationSubnets: ['10.1.0.0/16'] })).toBe(false);
    expect(l4Covers({ sniHosts: ['*.example.com'] }, { sniHosts: ['a.example.com', 'b.example.com'] })).toBe(true);
    expect(l4Covers({ sniHosts: ['a.example.com'] }, { sniHosts: ['a.example.com', 'b.example.com'] })).toBe(false);
  });
});
