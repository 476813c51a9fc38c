import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './destinationrule';
import { bookinfo, explained, fixture, get } from './fixtures/testutil';

const DRS = fixture('bookinfo-destination-rules.yaml');
const vs = (http: string, name = 'reviews', hosts = '[reviews]') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: ${hosts}
  http:
${http}`;

function shares(c: ReturnType<typeof bookinfo>, n = 2000): Record<string, number> {
  const out: Record<string, number> = {};
  for (let seed = 1; seed <= n; seed++) {
    const w = get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).destination?.subset ?? '?';
    out[w] = (out[w] ?? 0) + 1;
  }
  return out;
}

describe('weights', () => {
  it('weights are relative: 1:3 sends about a quarter to the first destination', () => {
    const s = shares(bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v1}, weight: 1}
    - {destination: {host: reviews, subset: v3}, weight: 3}`)));
    expect(s.v1 / 2000).toBeGreaterThan(0.2);
    expect(s.v1 / 2000).toBeLessThan(0.3);
    expect(s.v1 + s.v3).toBe(2000);
  });

  it('a destination with weight 0 gets nothing', () => {
    const s = shares(bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v1}, weight: 0}
    - {destination: {host: reviews, subset: v3}, weight: 100}`)), 300);
    expect(s).toEqual({ v3: 300 });
  });

  it('an omitted weight counts as 0 when there are several destinations', () => {
    const s = shares(bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v1}}
    - {destination: {host: reviews, subset: v2}, weight: 5}`)), 300);
    expect(s).toEqual({ v2: 300 });
  });

  it('a single destination gets all traffic whatever its weight', () => {
    expect(shares(bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v2}, weight: 10}`)), 100)).toEqual({ v2: 100 });
  });

  it('all weights zero with several destinations is rejected by validation', () => {
    const c = bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v1}}
    - {destination: {host: reviews, subset: v2}}`));
    expect(c.issues[0].message).toMatch(/total destination weight = 0/);
  });

  it('the same seed gives the same trace', () => {
    const c = bookinfo(DRS, vs(`  - route:
    - {destination: {host: reviews, subset: v1}, weight: 50}
    - {destination: {host: reviews, subset: v3}, weight: 50}`));
    const a = get(c, 'productpage-v1', 'reviews:9080', {}, undefined, 42);
    const b = get(c, 'productpage-v1', 'reviews:9080', {}, undefined, 42);
    expect(b).toEqual(a);
    expect(explained(a)).toMatch(/weight draw \d+ of 100/);
  });
});

describe('redirect, directResponse, rewrite', () => {
  it('redirect answers 301 by default with the new path, keeping the query', () => {
    const t = get(bookinfo(vs(`  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new}`)), 'productpage-v1', 'reviews:9080', { path: '/old/x?q=1' });
    expect([t.status, t.location, t.upstreamAttempts]).toEqual([301, 'http://reviews:9080/new?q=1', 0]);
  });

  it('redirect authority, scheme and redirectCode', () => {
    const t = get(bookinfo(vs(`  - redirect: {authority: ratings, scheme: https, redirectCode: 308}`)), 'productpage-v1', 'reviews:9080', { path: '/p' });
    expect([t.status, t.location]).toEqual([308, 'https://ratings/p']);
  });

  it('directResponse answers with its status without an upstream', () => {
    const t = get(bookinfo(vs(`  - directResponse: {status: 503, body: {string: "down"}}
    headers: {response: {set: {content-type: text/plain}}}`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags, t.upstreamAttempts, t.destination]).toEqual([503, [], 0, null]);
  });

  it('rewrite.uri replaces the matched prefix', () => {
    const t = get(bookinfo(DRS, vs(`  - match: [{uri: {prefix: /v1/reviews}}]
    rewrite: {uri: /reviews}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080', { path: '/v1/reviews/0?x=1' });
    expect(t.requestHeadersAtUpstream?.[':path']).toBe('/reviews/0?x=1');
  });

  it('rewrite.uri without a uri match replaces only the leading /', () => {
    const t = get(bookinfo(DRS, vs(`  - rewrite: {uri: /v1}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080', { path: '/foo' });
    expect(t.requestHeadersAtUpstream?.[':path']).toBe('/v1foo');
  });

  it('uriRegexRewrite substitutes capture groups', () => {
    const t = get(bookinfo(DRS, vs(`  - rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "/customprefix\\\\2/\\\\1"}}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080', { path: '/service/foo/v1/api' });
    expect(t.requestHeadersAtUpstream?.[':path']).toBe('/customprefix/v1/api/foo');
  });

  it('rewrite.authority changes the Host sent upstream, not the destination', () => {
    const t = get(bookinfo(DRS, vs(`  - rewrite: {authority: newhost}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080');
    expect(t.requestHeadersAtUpstream?.[':authority']).toBe('newhost');
    expect(t.destination?.workload).toBe('reviews-v1');
  });
});

describe('header operations', () => {
  it('request set/add/remove apply to the forwarded request', () => {
    const t = get(bookinfo(DRS, vs(`  - headers:
      request:
        set: {x-a: "1"}
        add: {x-b: "2"}
        remove: [x-c]
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080', { headers: { 'x-b': '0', 'x-c': 'gone' } });
    expect(t.requestHeadersAtUpstream).toMatchObject({ 'x-a': '1', 'x-b': '0,2' });
    expect(t.requestHeadersAtUpstream?.['x-c']).toBeUndefined();
  });

  it('with a single destination its set overrides the rule-level set', () => {
    const t = get(bookinfo(DRS, vs(`  - headers: {request: {set: {x-a: rule}}}
    route: [{destination: {host: reviews, subset: v1}, headers: {request: {set: {x-a: dest}}}}]`)), 'productpage-v1', 'reviews:9080');
    expect(t.requestHeadersAtUpstream?.['x-a']).toBe('dest');
  });

  it('with several destinations the rule-level set wins (weighted-cluster headers apply first)', () => {
    const t = get(bookinfo(DRS, vs(`  - headers: {request: {set: {x-a: rule}}}
    route:
    - {destination: {host: reviews, subset: v1}, weight: 1, headers: {request: {set: {x-a: dest}}}}
    - {destination: {host: reviews, subset: v1}, weight: 1, headers: {request: {set: {x-a: dest}}}}`)), 'productpage-v1', 'reviews:9080');
    expect(t.requestHeadersAtUpstream?.['x-a']).toBe('rule');
  });

  it('setting the host header becomes an authority rewrite', () => {
    const t = get(bookinfo(DRS, vs(`  - headers: {request: {set: {host: other}}}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080');
    expect(t.requestHeadersAtUpstream?.[':authority']).toBe('other');
  });

  it('response header operations apply to what the caller receives', () => {
    const t = get(bookinfo(DRS, vs(`  - headers: {response: {set: {x-r: "1"}}}
    route: [{destination: {host: reviews, subset: v1}}]`)), 'productpage-v1', 'reviews:9080');
    expect(t.responseHeaders['x-r']).toBe('1');
  });
});

describe('mirror', () => {
  it('mirror sends a copy with -shadow appended to the host, the caller sees only the primary', () => {
    const t = get(bookinfo(DRS, vs(`  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}`)), 'productpage-v1', 'reviews:9080', {}, { upstream: { 'reviews-v2': { status: 500 } } });
    expect(t.status).toBe(200);
    expect(t.mirroredTo).toEqual([{ service: 'reviews.default.svc.cluster.local', authority: 'reviews-shadow:9080', cluster: 'outbound|9080|v2|reviews.default.svc.cluster.local' }]);
  });

  it('mirrorPercentage 0 mirrors nothing', () => {
    const t = get(bookinfo(DRS, vs(`  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 0}`)), 'productpage-v1', 'reviews:9080');
    expect(t.mirroredTo).toEqual([]);
  });

  it('mirrorPercentage selects the share of requests mirrored', () => {
    const c = bookinfo(DRS, vs(`  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 25}`));
    let n = 0;
    for (let seed = 1; seed <= 1000; seed++) n += get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).mirroredTo.length;
    expect(n).toBeGreaterThan(200);
    expect(n).toBeLessThan(300);
  });
});

describe('delegate', () => {
  const root = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /api}}]
    delegate: {name: reviews-api}
    timeout: 3s
  - route: [{destination: {host: reviews, subset: v1}}]`;
  const delegate = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-api}
spec:
  http:
  - match: [{uri: {prefix: /api/v2}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /other}}]
    route: [{destination: {host: reviews, subset: v3}}]`;

  it('delegate rules are spliced at the root rule, their matches merged with the root match', () => {
    const c = bookinfo(DRS, root, delegate);
    expect(get(c, 'productpage-v1', 'reviews:9080', { path: '/api/v2/x' }).destination?.subset).toBe('v2');
    expect(get(c, 'productpage-v1', 'reviews:9080', { path: '/api/v1' }).destination?.subset).toBe('v1');
  });

  it('a delegate match that conflicts with the root match drops that delegate rule', () => {
    const c = bookinfo(DRS, root, delegate);
    // /other does not start with /api: the second delegate rule is dropped; /other falls to the root's last rule.
    expect(get(c, 'productpage-v1', 'reviews:9080', { path: '/other' }).destination?.subset).toBe('v1');
  });

  it('delegate rules inherit the root rule timeout', () => {
    const c = bookinfo(DRS, root, delegate);
    expect(explained(get(c, 'productpage-v1', 'reviews:9080', { path: '/api/v2' }))).toMatch(/route timeout 3s/);
  });

  it('a missing delegate drops only that root rule', () => {
    const c = bookinfo(DRS, root);
    expect(c.issues.some((i) => /delegate VirtualService default\/reviews-api/.test(i.message))).toBe(true);
    expect(get(c, 'productpage-v1', 'reviews:9080', { path: '/api/v2' }).destination?.subset).toBe('v1');
  });
});

describe('DestinationRule subsets and policies', () => {
  it('an undefined subset gives 503 NC', () => {
    const t = get(bookinfo(vs(`  - route: [{destination: {host: reviews, subset: v2}}]`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags]).toEqual([503, ['NC']]);
    expect(explained(t)).toMatch(/subset "v2" is not defined/);
  });

  it('a subset that selects no pods gives 503 UH', () => {
    const dr = DRS.replace('  - name: v3\n    labels:\n      version: v3', '  - name: v3\n    labels:\n      version: v9');
    const t = get(bookinfo(dr, vs(`  - route: [{destination: {host: reviews, subset: v3}}]`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, ['UH'], 0]);
  });

  it('a destination host that is not a service gives 503 NC', () => {
    const t = get(bookinfo(vs(`  - route: [{destination: {host: nosuch}}]`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags]).toEqual([503, ['NC']]);
  });

  it('a destination port the service does not have gives 503 NC', () => {
    const t = get(bookinfo(vs(`  - route: [{destination: {host: ratings, port: {number: 1234}}}]`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags]).toEqual([503, ['NC']]);
  });

  it('traffic policy precedence: subset > port level > top level, component by component', () => {
    const dr = {
      keys: ['DestinationRule/default/r' as never],
      host: 'r', namespace: 'default', policyResource: 'DestinationRule/default/r' as never,
      policy: {
        loadBalancer: { simple: 'RANDOM' }, connectionPool: { tcp: { maxConnections: 1 } }, tls: { mode: 'SIMPLE' },
        portLevelSettings: [{ port: { number: 80 }, loadBalancer: { simple: 'ROUND_ROBIN' } }],
      },
      subsets: new Map(),
    };
    const subset = { name: 'v1', labels: {}, policy: { tls: { mode: 'DISABLE' } }, resource: 'DestinationRule/default/r' as never, path: ['spec', 'subsets', 0] };
    const p80 = resolvePolicy(dr, 80, subset);
    expect(p80.loadBalancer?.value).toEqual({ simple: 'ROUND_ROBIN' });
    expect(p80.loadBalancer?.level).toBe('port 80');
    // The port-level entry replaces every component wholesale: no inherited connectionPool.
    expect(p80.connectionPool).toBeNull();
    expect(p80.tls?.value).toEqual({ mode: 'DISABLE' });
    const p81 = resolvePolicy(dr, 81, null);
    expect([p81.loadBalancer?.value, p81.connectionPool?.value, p81.tls?.value]).toEqual([{ simple: 'RANDOM' }, { tcp: { maxConnections: 1 } }, { mode: 'SIMPLE' }]);
  });

  it('DestinationRules for the same host in one namespace are merged (first subset definition wins)', () => {
    const extra = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-extra}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v3}}
  - {name: canary, labels: {version: v2}}`;
    const c = bookinfo(DRS, extra, vs(`  - route: [{destination: {host: reviews, subset: canary}}]`));
    expect(get(c, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v2');
    const c2 = bookinfo(DRS, extra, vs(`  - route: [{destination: {host: reviews, subset: v1}}]`));
    expect(get(c2, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v1');
  });

  it('the client namespace is searched for a DestinationRule before the service namespace', () => {
    const other = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: other}
spec:
  template:
    metadata: {labels: {app: sleep}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: other}
spec:
  host: reviews.default.svc.cluster.local
  subsets:
  - {name: v2, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v2}}]`;
    const c = bookinfo(DRS, other);
    expect(get(c, 'sleep', 'reviews.default:9080').destination?.workload).toBe('reviews-v3');
    expect(get(c, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v2');
  });
});

describe('CORS policy', () => {
  const cors = vs(`  - corsPolicy:
      allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\\\.example\\\\.org"}]
      allowMethods: [POST, GET]
      allowHeaders: [X-Foo]
      exposeHeaders: [X-Bar]
      maxAge: 24h
      allowCredentials: true
    route: [{destination: {host: reviews, subset: v1}}]`);

  it('a preflight from an allowed origin is answered by the proxy with the Access-Control-Allow-* headers', () => {
    const t = get(bookinfo(DRS, cors), 'productpage-v1', 'reviews:9080', { method: 'OPTIONS', headers: { origin: 'https://a.example.org', 'access-control-request-method': 'POST' } });
    expect([t.status, t.upstreamAttempts]).toEqual([200, 0]);
    expect(t.responseHeaders).toMatchObject({ 'access-control-allow-origin': 'https://a.example.org', 'access-control-allow-methods': 'POST,GET', 'access-control-max-age': '86400', 'access-control-allow-credentials': 'true' });
  });

  it('a preflight from another origin is forwarded upstream (unmatchedPreflights FORWARD)', () => {
    const t = get(bookinfo(DRS, cors), 'productpage-v1', 'reviews:9080', { method: 'OPTIONS', headers: { origin: 'https://evil.com', 'access-control-request-method': 'POST' } });
    expect(t.upstreamAttempts).toBe(1);
    expect(t.responseHeaders['access-control-allow-origin']).toBeUndefined();
  });

  it('an actual request from an allowed origin gets Access-Control-Allow-Origin on the response', () => {
    const t = get(bookinfo(DRS, cors), 'productpage-v1', 'reviews:9080', { headers: { origin: 'https://example.com' } });
    expect(t.responseHeaders).toMatchObject({ 'access-control-allow-origin': 'https://example.com', 'access-control-expose-headers': 'X-Bar' });
  });
});

describe('filter order', () => {
  it('a fault abort is answered before the router notices a missing cluster', () => {
    const t = get(bookinfo(vs(`  - fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
    route: [{destination: {host: reviews, subset: nosuch}}]`)), 'productpage-v1', 'reviews:9080');
    expect([t.status, t.flags]).toEqual([418, ['FI']]);
  });
});
