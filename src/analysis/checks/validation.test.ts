/** IST0106 for what Istio's validation rejects beyond the CRD schema: invalid RE2 patterns, `*` on mesh VirtualServices. */
import { describe, expect, it } from 'vitest';
import { bookinfoWith, run, summary } from '../fixtures/testutil';

const reviews = (match: string, more = '') => bookinfoWith({
  'VirtualService/reviews': `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [${match}]
    route: [{destination: {host: reviews, subset: v2}}]${more}
  - route: [{destination: {host: reviews, subset: v1}}]`,
});

describe('IST0106 invalid regular expressions', () => {
  it('reports an invalid RE2 pattern where it is written', () => {
    const ms = reviews('{uri: {regex: "/reviews/(\\\\d+"}}');
    expect(summary(ms)).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"match",0,"uri","regex"]']);
    expect(ms[0].message).toMatch(/^Schema validation error: spec\.http\[0\]\.match\[0\]\.uri\.regex: invalid regular expression "\/reviews\/\(\\d\+" \(/);
    expect(reviews('{uri: {regex: "/reviews/(\\\\d+)"}}')).toEqual([]);
  });

  it('checks header, query, rewrite and CORS patterns; RE2 rejects backreferences and lookarounds', () => {
    expect(summary(reviews('{headers: {cookie: {regex: "^(.*?;)?(user=jason)(;.*)?(?=x)"}}}'))).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"match",0,"headers","cookie","regex"]']);
    expect(reviews('{headers: {cookie: {regex: "^(.*?;)?(user=jason)(;.*)?$"}}}')).toEqual([]);
    expect(summary(reviews('{queryParams: {id: {regex: "(a)\\\\1"}}}'))).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"match",0,"queryParams","id","regex"]']);
    expect(summary(reviews('{uri: {prefix: /r}}', '\n    rewrite: {uriRegexRewrite: {match: "^/r(", rewrite: /}}'))).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"rewrite","uriRegexRewrite","match"]']);
    expect(summary(reviews('{uri: {prefix: /r}}', '\n    corsPolicy: {allowOrigins: [{regex: "*.example.com"}]}'))).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"corsPolicy","allowOrigins",0,"regex"]']);
    expect(reviews('{uri: {prefix: /r}}', '\n    corsPolicy: {allowOrigins: [{regex: ".*\\\\.example\\\\.com"}]}')).toEqual([]);
  });

  it('accepts the header form regex "*" (read as "present", like the engine)', () => {
    expect(reviews('{headers: {x-debug: {regex: "*"}}}')).toEqual([]);
  });
});

describe('IST0106 wildcard host on the mesh', () => {
  const vs = (gateways: string) => run(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: all}
spec:
  hosts: ["*"]
  ${gateways}
  http: [{directResponse: {status: 404}}]`).filter((m) => m.code === 'IST0106');
  it('rejects * on a VirtualService bound to the mesh, allows it on a gateway-only one', () => {
    expect(summary(vs(''))).toEqual(['Error IST0106 VirtualService default/all ["spec","hosts",0]']);
    expect(summary(vs('gateways: [edge, mesh]'))).toHaveLength(1);
    expect(vs('gateways: [edge]')).toEqual([]);
  });
});
