/**
 * IST0130 / IST0131: first match wins, computed on the engine's matcher semantics. Each case has a near-identical
 * rule list that is fine (usually the same rules in the other order). Cases from istio.io's IST0130/IST0131 pages
 * and the VirtualService reference (prefix is a plain string prefix; regex is a full RE2 match; ignoreUriCase).
 */
import { describe, expect, it } from 'vitest';
import { run, summary } from '../fixtures/testutil';

/** A VirtualService for reviews with the given `http` rules (YAML flow list items) and design-free otherwise. */
const vs = (rules: string[], extra = '', proto = 'http') => run(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  ${extra}
  ${proto}:
${rules.map((r) => `  - ${r}`).join('\n')}`).filter((m) => m.code === 'IST0130' || m.code === 'IST0131');

const to = (subset: string) => `route: [{destination: {host: reviews, subset: ${subset}}}]`;
const rule = (match: string, subset = 'v1') => `{match: ${match}, ${to(subset)}}`;
const plain = (subset = 'v1') => `{${to(subset)}}`;

describe('IST0130 unreachable rules', () => {
  it('istio.io example: a second rule without matches is never used', () => {
    const ms = vs([`{fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}, ${to('v1')}}`, `{mirror: {host: reviews, subset: v2}, ${to('v1')}}`]);
    expect(summary(ms)).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(ms[0].message).toBe('VirtualService rule #1 not used (only the last rule can have no matches).');
    expect(ms[0].name).toBe('VirtualServiceUnreachableRule');
    expect(ms[0].fix).toEqual({ title: 'Remove unreachable rule #1', kind: 'removeRule', target: 'VirtualService/shop/reviews', path: ['spec', 'http', 1] });
    expect(vs([rule('[{uri: {prefix: /test}}]'), plain()])).toEqual([]);
  });

  it('a rule after a catch-all prefix / is unreachable; before it, it is fine', () => {
    const ms = vs([rule('[{uri: {prefix: /}}]'), rule('[{uri: {exact: /reviews/1}}]', 'v2')]);
    expect(summary(ms)).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(ms[0].message).toBe('VirtualService rule #1 not used (rule #0 match #0 takes every request first).');
    expect(vs([rule('[{uri: {exact: /reviews/1}}]', 'v2'), rule('[{uri: {prefix: /}}]')])).toEqual([]);
  });

  it('prefix overlap: a longer prefix after a shorter one is unreachable', () => {
    expect(summary(vs([rule('[{uri: {prefix: /api}}]'), rule('[{uri: {prefix: /api/v1}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{uri: {prefix: /api/v1}}]', 'v2'), rule('[{uri: {prefix: /api}}]')])).toEqual([]);
    // A plain string prefix: /api covers /apiary too.
    expect(summary(vs([rule('[{uri: {prefix: /api}}]'), rule('[{uri: {exact: /apiary}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{uri: {prefix: /api/}}]'), rule('[{uri: {exact: /apiary}}]', 'v2')])).toEqual([]);
  });

  it('an empty match covers everything', () => {
    expect(summary(vs([rule('[{}]'), rule('[{headers: {x-test: {exact: "1"}}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{headers: {x-test: {exact: "1"}}}]', 'v2'), rule('[{}]')])).toEqual([]);
  });

  it('conjunctions: fewer conditions cover more', () => {
    const a = '[{headers: {end-user: {exact: jason}}}]';
    const ab = '[{headers: {end-user: {exact: jason}}, uri: {prefix: /reviews}, method: {exact: GET}}]';
    expect(summary(vs([rule(a, 'v2'), rule(ab)]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule(ab), rule(a, 'v2')])).toEqual([]);
    // Header names are case-insensitive.
    expect(summary(vs([rule('[{headers: {End-User: {prefix: ja}}}]', 'v2'), rule(a)]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
  });

  it('a rule is unreachable only when every one of its matches is covered', () => {
    const ms = vs([rule('[{uri: {prefix: /a}}]'), rule('[{uri: {prefix: /b}}]', 'v2'), rule('[{uri: {exact: /a/1}}, {uri: {exact: /b/2}}]', 'v3')]);
    expect(summary(ms)).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",2]']);
    expect(ms[0].message).toBe('VirtualService rule #2 not used (every match is covered by an earlier rule: match #0 by rule #0 match #0; match #1 by rule #1 match #0).');
  });

  it('regex: covers an exact value it matches, or an identical regex; never proven to cover a prefix', () => {
    const re = '[{uri: {regex: "/v[0-9]+/.*"}}]';
    expect(summary(vs([rule(re), rule('[{uri: {exact: /v2/items}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule(re), rule('[{uri: {exact: /vx/items}}]', 'v2')])).toEqual([]);
    expect(summary(vs([rule(re), rule(re, 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule(re), rule('[{uri: {prefix: /v2/}}]', 'v2')])).toEqual([]);
    // Full match: "/v1" alone is not matched by /v[0-9]+/.*
    expect(vs([rule(re), rule('[{uri: {exact: /v1}}]', 'v2')])).toEqual([]);
  });

  it('ignoreUriCase widens exact and prefix URI matches', () => {
    expect(summary(vs([rule('[{uri: {prefix: /Api}, ignoreUriCase: true}]'), rule('[{uri: {exact: /API/x}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{uri: {prefix: /Api}}]'), rule('[{uri: {exact: /API/x}}]', 'v2')])).toEqual([]);
    // A case-sensitive prefix does not cover a case-insensitive one.
    expect(vs([rule('[{uri: {prefix: /api}}]'), rule('[{uri: {prefix: /api/x}, ignoreUriCase: true}]', 'v2')])).toEqual([]);
  });

  it('withoutHeaders: a different required value implies the header is not the excluded one', () => {
    expect(summary(vs([rule('[{withoutHeaders: {x-env: {exact: prod}}}]'), rule('[{headers: {x-env: {exact: dev}}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{withoutHeaders: {x-env: {exact: prod}}}]'), rule('[{headers: {x-env: {exact: prod}}}]', 'v2')])).toEqual([]);
  });

  it('queryParams and presence', () => {
    expect(summary(vs([rule('[{queryParams: {debug: {}}}]'), rule('[{queryParams: {debug: {exact: "1"}}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{queryParams: {debug: {exact: "1"}}}]', 'v2'), rule('[{queryParams: {debug: {}}}]')])).toEqual([]);
  });

  it('port, sourceLabels and gateways decide where a route exists', () => {
    expect(vs([rule('[{port: 8080}]'), plain('v2')])).toEqual([]);
    expect(summary(vs([rule('[{uri: {prefix: /}}]'), rule('[{port: 8080, uri: {prefix: /x}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{sourceLabels: {app: productpage}}]'), plain('v2')])).toEqual([]);
    expect(summary(vs([rule('[{sourceLabels: {app: productpage}}]'), rule('[{sourceLabels: {app: productpage, version: v1}}]', 'v2')]))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
    expect(vs([rule('[{gateways: [mesh]}]'), plain('v2')], 'gateways: [mesh, edge]')).toEqual([]);
    expect(summary(vs([rule('[{gateways: [mesh, edge]}]'), plain('v2')], 'gateways: [mesh, edge]'))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","http",1]']);
  });

  it('a delegating rule covers nothing', () => {
    expect(vs(['{delegate: {name: reviews-api}}', plain()])).toEqual([]);
  });

  it('tcp and tls rules', () => {
    const tcp = (a: string, b: string) => vs([`{${a} route: [{destination: {host: reviews}}]}`, `{${b} route: [{destination: {host: reviews}}]}`], '', 'tcp');
    expect(summary(tcp('', 'match: [{port: 3306}],'))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","tcp",1]']);
    expect(tcp('match: [{port: 3306}],', '')).toEqual([]);
    expect(summary(tcp('match: [{destinationSubnets: [10.0.0.0/8]}],', 'match: [{destinationSubnets: [10.1.0.0/16]}],'))).toEqual(['Warning IST0130 VirtualService shop/reviews ["spec","tcp",1]']);
    expect(tcp('match: [{destinationSubnets: [10.1.0.0/16]}],', 'match: [{destinationSubnets: [10.0.0.0/8]}],')).toEqual([]);
    const tls = (a: string, b: string) => vs([`{match: [{sniHosts: [${a}]}], route: [{destination: {host: reviews}}]}`, `{match: [{sniHosts: [${b}]}], route: [{destination: {host: reviews}}]}`], '', 'tls');
    expect(tls('"*.example.com"', 'a.example.com')[0].message).toBe('VirtualService tls rule #1 not used (every match is covered by an earlier rule: match #0 by rule #0 match #0).');
    expect(tls('a.example.com', '"*.example.com"')).toEqual([]);
  });
});

describe('IST0131 ineffective matches', () => {
  it('a match repeated from an earlier rule is reported; the rule stays reachable', () => {
    const ms = vs([rule('[{uri: {exact: /login}}]'), rule('[{uri: {exact: /login}}, {uri: {exact: /logout}}]', 'v2')]);
    expect(summary(ms)).toEqual(['Info IST0131 VirtualService shop/reviews ["spec","http",1,"match",0]']);
    expect(ms[0].message).toBe('VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).');
    expect(ms[0].fix).toEqual({ title: 'Remove ineffective match #0', kind: 'removeMatch', target: 'VirtualService/shop/reviews', path: ['spec', 'http', 1, 'match', 0] });
    expect(vs([rule('[{uri: {exact: /login}}]'), rule('[{uri: {exact: /signup}}, {uri: {exact: /logout}}]', 'v2')])).toEqual([]);
  });

  it('overlap by prefix, and a match covered by an earlier match of the same rule', () => {
    expect(summary(vs([rule('[{uri: {prefix: /static}}]'), rule('[{uri: {prefix: /static/img}}, {uri: {exact: /}}]', 'v2')]))).toEqual(['Info IST0131 VirtualService shop/reviews ["spec","http",1,"match",0]']);
    const same = vs([rule('[{uri: {prefix: /api}}, {uri: {prefix: /api/v2}}]'), plain('v2')]);
    expect(same[0].message).toBe('VirtualService rule #0 match #1 is not used (duplicate/overlapping match in rule #0).');
    expect(vs([rule('[{uri: {prefix: /api/v2}}, {uri: {prefix: /api}}]'), plain('v2')])).toEqual([]);
  });

  it('uses rule and match names like istioctl', () => {
    const ms = vs([`{name: first, match: [{uri: {exact: /a}}], ${to('v1')}}`, `{name: second, match: [{name: dup, uri: {exact: /a}}, {uri: {exact: /b}}], ${to('v2')}}`]);
    expect(ms[0].message).toBe('VirtualService rule "second" match "dup" is not used (duplicate/overlapping match in rule "first").');
  });

  it('does not analyze a VirtualService Istio rejects for an invalid regex', () => {
    expect(vs([rule('[{uri: {regex: "("}}]'), plain(), plain('v2')])).toEqual([]);
  });
});
