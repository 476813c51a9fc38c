/**
 * Scenarios from Istio's public task pages (istio.io/latest/docs/tasks/…): egress, security and
 * circuit breaking, with the outcomes the pages show.
 */
import { describe, expect, it } from 'vitest';
import { explained, fixture, get, meshOf } from './fixtures/testutil';
import { trace } from './trace';

const cnnSE = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: cnn}
spec:
  hosts: [edition.cnn.com]
  ports:
  - {number: 80, name: http-port, protocol: HTTP}
  - {number: 443, name: https, protocol: HTTPS}
  resolution: DNS`;

describe('task: egress gateway (HTTP)', () => {
  const yaml = `${cnnSE}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: istio-egressgateway}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [edition.cnn.com]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: egressgateway-for-cnn}
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets: [{name: cnn}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: direct-cnn-through-egress-gateway}
spec:
  hosts: [edition.cnn.com]
  gateways: [istio-egressgateway, mesh]
  http:
  - match: [{gateways: [mesh], port: 80}]
    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, subset: cnn, port: {number: 80}}, weight: 100}]
  - match: [{gateways: [istio-egressgateway], port: 80}]
    route: [{destination: {host: edition.cnn.com, port: {number: 80}}, weight: 100}]`;

  it('the sidecar sends to the egress gateway, which sends to edition.cnn.com (301 to https)', () => {
    const c = meshOf(fixture('httpbin-curl.yaml'), yaml);
    const t = get(c, 'curl', 'edition.cnn.com', { path: '/politics' }, { external: { 'edition.cnn.com:80': { status: 301 } } });
    expect(t.status).toBe(301);
    expect(t.hops.map((h) => [h.proxy, h.cluster])).toEqual([
      ['sidecar curl.default', 'outbound|80|cnn|istio-egressgateway.istio-system.svc.cluster.local'],
      ['gateway istio-egressgateway.istio-system', 'outbound|80||edition.cnn.com'],
    ]);
    expect(t.hops[1].listenerPort).toBe(8080);
    expect(t.hops[0].upstreamTls).toBe('plaintext');
  });

  it("a reply the egress gateway makes itself reaches the caller with the gateway's flags (§11: the proxy that produced it)", () => {
    const c = meshOf(fixture('httpbin-curl.yaml'), yaml.replace('match: [{gateways: [istio-egressgateway], port: 80}]', 'match: [{gateways: [istio-egressgateway], port: 80, uri: {prefix: /sports}}]'));
    const t = get(c, 'curl', 'edition.cnn.com', { path: '/politics' });
    expect([t.status, t.flags, t.responseFrom]).toEqual([404, ['NR'], 'gateway istio-egressgateway.istio-system']);
    expect(t.hops.map((h) => h.proxy)).toEqual(['sidecar curl.default', 'gateway istio-egressgateway.istio-system']);
  });
});

describe('task: egress gateway (HTTPS passthrough)', () => {
  const yaml = `${cnnSE}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: istio-egressgateway}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 443, name: tls, protocol: TLS}
    hosts: [edition.cnn.com]
    tls: {mode: PASSTHROUGH}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: egressgateway-for-cnn}
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets: [{name: cnn}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: direct-cnn-through-egress-gateway}
spec:
  hosts: [edition.cnn.com]
  gateways: [mesh, istio-egressgateway]
  tls:
  - match: [{gateways: [mesh], port: 443, sniHosts: [edition.cnn.com]}]
    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, subset: cnn, port: {number: 443}}}]
  - match: [{gateways: [istio-egressgateway], port: 443, sniHosts: [edition.cnn.com]}]
    route: [{destination: {host: edition.cnn.com, port: {number: 443}}, weight: 100}]`;

  it("the application's TLS is routed by SNI through the egress gateway without being terminated", () => {
    const t = get(meshOf(fixture('httpbin-curl.yaml'), yaml), 'curl', 'edition.cnn.com', { scheme: 'https', port: 443, path: '/politics' }, { external: { 'edition.cnn.com:443': { status: 200 } } });
    expect(t.status).toBe(200);
    expect(t.hops.map((h) => [h.proxy, h.routeType, h.matchedRule, h.cluster])).toEqual([
      ['sidecar curl.default', 'tls', 'tls[0].match[0]', 'outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local'],
      ['gateway istio-egressgateway.istio-system', 'tls', 'tls[1].match[0]', 'outbound|443||edition.cnn.com'],
    ]);
    expect(t.hops[1].listenerPort).toBe(8443);
  });
});

describe('task: egress gateway with TLS origination', () => {
  const yaml = `${cnnSE}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: istio-egressgateway}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 80, name: https-port-for-tls-origination, protocol: HTTPS}
    hosts: [edition.cnn.com]
    tls: {mode: ISTIO_MUTUAL}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: egressgateway-for-cnn}
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets:
  - name: cnn
    trafficPolicy:
      loadBalancer: {simple: ROUND_ROBIN}
      portLevelSettings:
      - port: {number: 80}
        tls: {mode: ISTIO_MUTUAL, sni: edition.cnn.com}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: direct-cnn-through-egress-gateway}
spec:
  hosts: [edition.cnn.com]
  gateways: [istio-egressgateway, mesh]
  http:
  - match: [{gateways: [mesh], port: 80}]
    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, subset: cnn, port: {number: 80}}, weight: 100}]
  - match: [{gateways: [istio-egressgateway], port: 80}]
    route: [{destination: {host: edition.cnn.com, port: {number: 443}}, weight: 100}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: originate-tls-for-edition-cnn-com}
spec:
  host: edition.cnn.com
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
    portLevelSettings:
    - port: {number: 443}
      tls: {mode: SIMPLE}`;

  it('sidecar → gateway over Istio mTLS (SNI edition.cnn.com) → TLS originated to edition.cnn.com:443 → 200', () => {
    const c = meshOf(fixture('httpbin-curl.yaml'), yaml);
    const t = get(c, 'curl', 'edition.cnn.com', { path: '/politics' }, { external: { 'edition.cnn.com:443': { status: 200 } } });
    expect(t.status).toBe(200);
    expect(t.hops[0]).toMatchObject({ cluster: 'outbound|80|cnn|istio-egressgateway.istio-system.svc.cluster.local', upstreamTls: 'Istio mTLS', sni: 'edition.cnn.com' });
    expect(t.hops[1]).toMatchObject({ proxy: 'gateway istio-egressgateway.istio-system', downstreamTls: 'Istio mTLS', cluster: 'outbound|443||edition.cnn.com', upstreamTls: 'TLS (originated by the proxy)' });
    expect(t.requestHeadersAtUpstream?.[':authority']).toBe('edition.cnn.com');
  });

  it('without the ISTIO_MUTUAL DestinationRule the sidecar speaks plaintext to the HTTPS server: connection closed, 503', () => {
    const c = meshOf(fixture('httpbin-curl.yaml'), yaml.replace(/tls: \{mode: ISTIO_MUTUAL, sni: edition.cnn.com\}/, 'loadBalancer: {simple: ROUND_ROBIN}'));
    const t = get(c, 'curl', 'edition.cnn.com', { path: '/politics' });
    expect(t.status).toBe(503);
    expect(t.hops[1].proxy).toBe('gateway istio-egressgateway.istio-system');
  });
});

describe('task: egress TLS origination at the sidecar', () => {
  const yaml = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: edition-cnn-com}
spec:
  hosts: [edition.cnn.com]
  ports:
  - {number: 80, name: http-port, protocol: HTTP, targetPort: 443}
  - {number: 443, name: https-port, protocol: HTTPS}
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: edition-cnn-com}
spec:
  host: edition.cnn.com
  trafficPolicy:
    portLevelSettings:
    - port: {number: 80}
      tls: {mode: SIMPLE}`;

  it('http://edition.cnn.com/politics is sent as HTTPS to port 443: 200, no redirect', () => {
    const t = get(meshOf(fixture('httpbin-curl.yaml'), yaml), 'curl', 'edition.cnn.com', { path: '/politics' }, { external: { 'edition.cnn.com:443': { status: 200 } } });
    expect([t.status, t.hops[0].upstreamTls, t.hops[0].cluster]).toEqual([200, 'TLS (originated by the proxy)', 'outbound|80||edition.cnn.com']);
  });

  it('without the DestinationRule the plain HTTP request reaches the HTTPS port (400)', () => {
    const t = get(meshOf(fixture('httpbin-curl.yaml'), yaml.split('---')[0]), 'curl', 'edition.cnn.com', { path: '/politics' });
    expect(t.status).toBe(400);
  });

  it('https:// from the application is passed through by SNI', () => {
    const t = get(meshOf(fixture('httpbin-curl.yaml'), yaml), 'curl', 'edition.cnn.com', { scheme: 'https', port: 443 });
    expect([t.status, t.hops[0].routeType, t.hops[0].cluster]).toEqual([200, 'tls', 'outbound|443||edition.cnn.com']);
  });
});

describe('task: authentication policy (mutual TLS migration)', () => {
  const ns = (name: string, injected: boolean) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {istio-injection: ${injected ? 'enabled' : 'disabled'}}}
---
${fixture('httpbin-curl.yaml').replace(/^  name: (httpbin|curl)$/gm, `  name: $1\n  namespace: ${name}`)}`;
  const base = [ns('foo', true), ns('bar', true), ns('legacy', false)];
  const curl = (c: ReturnType<typeof meshOf>, from: string, to: string) =>
    trace(c, { source: { workload: 'curl', namespace: from }, request: { authority: `httpbin.${to}:8000`, path: '/ip' } });
  const code = (c: ReturnType<typeof meshOf>, from: string, to: string) => {
    const t = curl(c, from, to);
    return t.status ?? '000';
  };

  it('without policies every client reaches every server (PERMISSIVE)', () => {
    const c = meshOf(...base);
    for (const from of ['foo', 'bar', 'legacy']) for (const to of ['foo', 'bar', 'legacy']) expect(code(c, from, to)).toBe(200);
  });

  it('mesh-wide STRICT: legacy clients get 000 to foo and bar; everyone reaches legacy', () => {
    const c = meshOf(...base, `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}`);
    expect(code(c, 'legacy', 'foo')).toBe('000');
    expect(code(c, 'legacy', 'bar')).toBe('000');
    expect(code(c, 'legacy', 'legacy')).toBe(200);
    expect(code(c, 'foo', 'bar')).toBe(200);
    expect(code(c, 'bar', 'legacy')).toBe(200);
    expect(curl(c, 'legacy', 'foo').outcome).toBe('connection_reset');
  });

  it('namespace STRICT on foo only: legacy → foo fails, legacy → bar works', () => {
    const c = meshOf(...base, `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: foo}
spec: {mtls: {mode: STRICT}}`);
    expect(code(c, 'legacy', 'foo')).toBe('000');
    expect(code(c, 'legacy', 'bar')).toBe(200);
  });

  it('workload STRICT on bar/httpbin with port 8080 DISABLE: legacy reaches it again', () => {
    const c = meshOf(...base, `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: httpbin, namespace: bar}
spec:
  selector: {matchLabels: {app: httpbin}}
  mtls: {mode: STRICT}
  portLevelMtls: {"8080": {mode: DISABLE}}`);
    expect(code(c, 'legacy', 'bar')).toBe(200);
    // In-mesh callers still send mTLS to the DISABLE port and fail, unless a DestinationRule disables TLS.
    expect(code(c, 'foo', 'bar')).toBe(503);
    expect(explained(curl(c, 'foo', 'bar'))).toMatch(/workload port/);
  });
});

describe('task: circuit breaking (a single request)', () => {
  const dr = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100`;
  const fortio = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: fortio-deploy}
spec:
  template:
    metadata: {labels: {app: fortio}}`;

  it('one request passes the circuit breaker: 200, and the trace shows the limits that apply', () => {
    const t = get(meshOf(fixture('httpbin-curl.yaml'), dr, fortio), 'fortio-deploy', 'httpbin:8000', { path: '/get' });
    expect([t.status, t.flags]).toEqual([200, []]);
    const policy = t.explanation.filter((s) => s.kind === 'policy' && s.resource === 'DestinationRule/default/httpbin');
    expect(policy.map((s) => s.path?.at(-1))).toEqual(expect.arrayContaining(['connectionPool', 'outlierDetection']));
  });
});
