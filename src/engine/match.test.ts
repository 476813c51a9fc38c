import { describe, expect, it } from 'vitest';
import { bookinfo, explained, get } from './fixtures/testutil';

/** A VirtualService on reviews with one match; `hit` routes to v2, everything else 404 (no default). */
function vsWith(match: unknown, more = ''): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: ${JSON.stringify(match)}
    route:
    - destination: {host: reviews, subset: v2}
${more}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}`;
}

const hits = (match: unknown, req: Parameters<typeof get>[3]) => {
  const t = get(bookinfo(vsWith(match)), 'productpage-v1', req?.authority ?? 'reviews:9080', req);
  return t.status === 200 && t.destination?.subset === 'v2';
};

describe('HTTPMatchRequest fields', () => {
  it('uri exact matches the whole path without the query string', () => {
    expect(hits([{ uri: { exact: '/reviews/0' } }], { path: '/reviews/0?x=1' })).toBe(true);
    expect(hits([{ uri: { exact: '/reviews/0' } }], { path: '/reviews/01' })).toBe(false);
  });

  it('uri prefix is a plain string prefix, not path-segment aware', () => {
    expect(hits([{ uri: { prefix: '/static' } }], { path: '/staticfoo' })).toBe(true);
    expect(hits([{ uri: { prefix: '/static' } }], { path: '/stat' })).toBe(false);
  });

  it('uri regex is RE2 and must match the entire path', () => {
    expect(hits([{ uri: { regex: '/reviews/\\d+' } }], { path: '/reviews/12' })).toBe(true);
    expect(hits([{ uri: { regex: '\\d+' } }], { path: '/reviews/12' })).toBe(false);
    expect(hits([{ uri: { regex: '/r.*' } }], { path: '/reviews?a=b' })).toBe(true);
  });

  it('ignoreUriCase makes exact and prefix URI matches case-insensitive', () => {
    expect(hits([{ uri: { prefix: '/Reviews' }, ignoreUriCase: true }], { path: '/REVIEWS/1' })).toBe(true);
    expect(hits([{ uri: { prefix: '/Reviews' } }], { path: '/REVIEWS/1' })).toBe(false);
  });

  it('ignoreUriCase does not affect regex URI matches', () => {
    expect(hits([{ uri: { regex: '/reviews' }, ignoreUriCase: true }], { path: '/REVIEWS' })).toBe(false);
    expect(hits([{ uri: { regex: '(?i)/reviews' } }], { path: '/REVIEWS' })).toBe(true);
  });

  it('method matches :method, case-sensitive', () => {
    expect(hits([{ method: { exact: 'POST' } }], { method: 'POST' })).toBe(true);
    expect(hits([{ method: { exact: 'POST' } }], { method: 'post' })).toBe(false);
  });

  it('scheme matches :scheme', () => {
    expect(hits([{ scheme: { exact: 'http' } }], {})).toBe(true);
    expect(hits([{ scheme: { exact: 'https' } }], {})).toBe(false);
  });

  it('authority matches the Host header as sent, including the port', () => {
    expect(hits([{ authority: { exact: 'reviews:9080' } }], { authority: 'reviews:9080' })).toBe(true);
    expect(hits([{ authority: { exact: 'reviews' } }], { authority: 'reviews:9080' })).toBe(false);
    expect(hits([{ authority: { prefix: 'reviews' } }], { authority: 'reviews:9080' })).toBe(true);
  });

  it('header names are case-insensitive and values are exact', () => {
    expect(hits([{ headers: { 'end-user': { exact: 'jason' } } }], { headers: { 'End-User': 'jason' } })).toBe(true);
    expect(hits([{ headers: { 'end-user': { exact: 'jason' } } }], { headers: { 'end-user': 'Jason' } })).toBe(false);
  });

  it('a header match with no match type means "present", with any value', () => {
    expect(hits([{ headers: { 'x-canary': {} } }], { headers: { 'x-canary': '' } })).toBe(true);
    expect(hits([{ headers: { 'x-canary': {} } }], {})).toBe(false);
  });

  it('header exact "" requires the header present with an empty value', () => {
    expect(hits([{ headers: { 'x-e': { exact: '' } } }], { headers: { 'x-e': '' } })).toBe(true);
    expect(hits([{ headers: { 'x-e': { exact: '' } } }], {})).toBe(false);
  });

  it('header regex "*" is treated as present', () => {
    expect(hits([{ headers: { 'x-a': { regex: '*' } } }], { headers: { 'x-a': 'q' } })).toBe(true);
  });

  it('pseudo-header keys like :method match the pseudo headers', () => {
    expect(hits([{ headers: { ':method': { exact: 'PUT' } } }], { method: 'PUT' })).toBe(true);
  });

  it('withoutHeaders inverts: a missing header counts as an empty value', () => {
    expect(hits([{ withoutHeaders: { 'end-user': { exact: 'jason' } } }], {})).toBe(true);
    expect(hits([{ withoutHeaders: { 'end-user': { exact: 'jason' } } }], { headers: { 'end-user': 'jason' } })).toBe(false);
    expect(hits([{ withoutHeaders: { 'end-user': { exact: 'jason' } } }], { headers: { 'end-user': 'kim' } })).toBe(true);
  });

  it('withoutHeaders with the presence form matches only requests that lack the header', () => {
    expect(hits([{ withoutHeaders: { 'x-a': {} } }], {})).toBe(true);
    expect(hits([{ withoutHeaders: { 'x-a': {} } }], { headers: { 'x-a': '1' } })).toBe(false);
  });

  it('queryParams match parameter values, names case-sensitive', () => {
    expect(hits([{ queryParams: { animal: { exact: 'cat' } } }], { path: '/?animal=cat' })).toBe(true);
    expect(hits([{ queryParams: { animal: { exact: 'cat' } } }], { path: '/?ANIMAL=cat' })).toBe(false);
    expect(hits([{ queryParams: { animal: { regex: 'c.t' } } }], { path: '/?x=1&animal=cot' })).toBe(true);
  });

  it('queryParams exact "" matches ?key and ?key=', () => {
    expect(hits([{ queryParams: { debug: { exact: '' } } }], { path: '/?debug' })).toBe(true);
    expect(hits([{ queryParams: { debug: { exact: '' } } }], { path: '/?debug=' })).toBe(true);
    expect(hits([{ queryParams: { debug: { exact: '' } } }], { path: '/?debug=1' })).toBe(false);
  });

  it('all conditions within one match must hold (AND)', () => {
    const m = [{ uri: { prefix: '/r' }, headers: { 'end-user': { exact: 'jason' } } }];
    expect(hits(m, { path: '/r', headers: { 'end-user': 'jason' } })).toBe(true);
    expect(hits(m, { path: '/r' })).toBe(false);
    expect(hits(m, { path: '/x', headers: { 'end-user': 'jason' } })).toBe(false);
  });

  it('any match of a rule may hold (OR)', () => {
    const m = [{ uri: { exact: '/a' } }, { headers: { 'end-user': { exact: 'jason' } } }];
    expect(hits(m, { path: '/a' })).toBe(true);
    expect(hits(m, { path: '/b', headers: { 'end-user': 'jason' } })).toBe(true);
    expect(hits(m, { path: '/b' })).toBe(false);
  });

  it('an empty match {} is a catch-all', () => {
    expect(hits([{}], { path: '/anything' })).toBe(true);
  });

  it('no rule matching gives 404 NR from the client sidecar, with the reason', () => {
    const t = get(bookinfo(vsWith([{ uri: { exact: '/only' } }])), 'productpage-v1', 'reviews:9080', { path: '/other' });
    expect(t.status).toBe(404);
    expect(t.flags).toEqual(['NR']);
    expect(t.responseFrom).toBe('sidecar productpage-v1.default');
    expect(explained(t)).toMatch(/path "\/other" does not match uri exact "\/only"/);
  });

  it('the explanation of a failed match points at the failing field', () => {
    const t = get(bookinfo(vsWith([{ headers: { 'end-user': { exact: 'jason' } } }])), 'productpage-v1', 'reviews:9080');
    const step = t.explanation.find((s) => s.kind === 'rule' && /does not match/.test(s.message))!;
    expect(step.resource).toBe('VirtualService/default/reviews');
    expect(step.path).toEqual(['spec', 'http', 0, 'match', 0, 'headers', 'end-user']);
  });
});

describe('regular expressions', () => {
  it('a hostile regex (a+)+b against a long path stays linear (RE2)', () => {
    const c = bookinfo(vsWith([{ uri: { regex: '(a+)+b' } }]));
    // A backtracking engine would not finish this in the age of the universe (the test would time out); RE2 is linear.
    const path = `/${'a'.repeat(50_000)}`;
    const t = get(c, 'productpage-v1', 'reviews:9080', { path });
    expect(t.status).toBe(404);
  });

  it('an invalid regex is reported as the config error Istio would reject, and the VirtualService is ignored', () => {
    const c = bookinfo(vsWith([{ uri: { regex: '/a(?=b)' } }]));
    expect(c.issues).toHaveLength(1);
    expect(c.issues[0]).toMatchObject({ severity: 'error', resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'match', 0, 'uri', 'regex'] });
    expect(c.issues[0].message).toMatch(/rejected by Istio's validation: invalid regex/);
    // Rejected: reviews keeps its default route (all versions), and the trace says why.
    const t = get(c, 'productpage-v1', 'reviews:9080');
    expect(t.status).toBe(200);
    expect(t.hops[0].matchedRule).toBe('default');
    expect(explained(t)).toMatch(/invalid regex/);
  });

  it('invalid regexes in headers, queryParams and uriRegexRewrite are rejected too', () => {
    expect(bookinfo(vsWith([{ headers: { a: { regex: '(' } } }])).issues[0].path).toEqual(['spec', 'http', 0, 'match', 0, 'headers', 'a', 'regex']);
    expect(bookinfo(vsWith([{ queryParams: { a: { regex: '[' } } }])).issues[0].path).toEqual(['spec', 'http', 0, 'match', 0, 'queryParams', 'a', 'regex']);
    expect(bookinfo(vsWith([{}], '    rewrite: {uriRegexRewrite: {match: "(", rewrite: "/"}}')).issues[0].path).toEqual(['spec', 'http', 0, 'rewrite', 'uriRegexRewrite', 'match']);
  });
});

describe('schema-invalid input reaches the engine without crashing it', () => {
  it('a ServiceEntry port whose protocol is not a string compiles (the port counts as unsupported)', async () => {
    const { parseDesign } = await import('../model/parse');
    const { compileMesh } = await import('./compile');
    const text = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: x}\nspec:\n  hosts: [x.example]\n  ports: [{number: 80, name: http, protocol: {}}]\n';
    expect(() => compileMesh(parseDesign(text).model)).not.toThrow();
  });
});
