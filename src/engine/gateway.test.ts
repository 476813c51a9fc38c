import { describe, expect, it } from 'vitest';
import { bookinfo, explained, fixture, viaGateway } from './fixtures/testutil';

const GW = 'istio-system/istio-ingressgateway';
const gateway = (servers: string, name = 'gw', ns = 'default') => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {istio: ingressgateway}
  servers:
${servers}`;
const http80 = (hosts = '["*"]') => `  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ${hosts}`;
const vs = (name: string, hosts: string, http: string, ns = 'default', extra = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts: ${hosts}
  gateways: [default/gw]
${extra}  http:
${http}`;
const toPP = '  - route: [{destination: {host: productpage.default.svc.cluster.local, port: {number: 9080}}}]';

describe('gateway listeners', () => {
  it('the gateway Service port is translated to the target port for listener matching (80 → 8080)', () => {
    const c = bookinfo(fixture('bookinfo-gateway.yaml'));
    const t = viaGateway(c, GW, 'bookinfo.example.com', { port: 80, path: '/productpage' });
    expect([t.status, t.hops[0].listenerPort, t.destination?.workload]).toEqual([200, 8080, 'productpage-v1']);
  });

  it('a Gateway server on a Service port number listens on its targetPort', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', toPP));
    const t = viaGateway(c, GW, 'anything', { port: 80 });
    expect([t.status, t.hops[0].listenerPort, t.hops[0].route]).toEqual([200, 8080, 'http.8080']);
  });

  it('a port with no Gateway server refuses the connection', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', toPP));
    const t = viaGateway(c, GW, 'anything', { port: 443, scheme: 'https' });
    expect([t.status, t.outcome]).toEqual([null, 'connection_refused']);
  });

  it('a server with no bound VirtualService answers 404 NR from the blackhole virtual host', () => {
    const t = viaGateway(bookinfo(gateway(http80())), GW, 'anything', { port: 80 });
    expect([t.status, t.flags, t.vhost]).toEqual([404, ['NR'], 'blackhole:80']);
  });

  it('a Host that matches no gateway virtual host gets 404 NR', () => {
    const c = bookinfo(gateway(http80('["a.example.com", "b.example.com"]')), vs('pp', '["a.example.com"]', toPP));
    expect(viaGateway(c, GW, 'a.example.com').status).toBe(200);
    const t = viaGateway(c, GW, 'b.example.com');
    expect([t.status, t.flags]).toEqual([404, ['NR']]);
  });

  it('two servers on one port with different protocols: the first Gateway wins, the other is dropped', () => {
    const alpha = gateway(http80(), 'alpha').replace('name: alpha,', 'name: alpha, creationTimestamp: "2020-01-01T00:00:00Z",');
    const beta = gateway('  - port: {number: 80, name: tcp, protocol: TCP}\n    hosts: ["*"]', 'beta').replace('name: beta,', 'name: beta, creationTimestamp: "2021-01-01T00:00:00Z",');
    const t = viaGateway(bookinfo(beta, alpha), GW, 'x');
    expect([t.status, t.flags]).toEqual([404, ['NR']]);
    expect(explained(t)).toMatch(/conflicts and is dropped/);
  });
});

describe('gateway hosts and VirtualService binding', () => {
  it('server hosts intersect VirtualService hosts, wildcards in both directions', () => {
    const c = bookinfo(gateway(http80('["*.example.com"]')), vs('pp', '["shop.example.com"]', toPP));
    expect(viaGateway(c, GW, 'shop.example.com').hops[0].vhost).toBe('shop.example.com:80');
    expect(viaGateway(c, GW, 'example.com').status).toBe(404);
  });

  it('a namespace/ prefix on a server host restricts which namespaces may bind', () => {
    const c = bookinfo(gateway(http80('["prod/*"]')), vs('pp', '["*"]', toPP));
    expect(viaGateway(c, GW, 'x').vhost).toBe('blackhole:80');
    const c2 = bookinfo(gateway(http80('["./*"]')), vs('pp', '["*"]', toPP));
    expect(viaGateway(c2, GW, 'x').status).toBe(200);
  });

  it('a VirtualService names its gateway as ns/name, or name in its own namespace', () => {
    const inOther = vs('pp', '["*"]', toPP, 'other').replace('gateways: [default/gw]', 'gateways: [gw]');
    expect(viaGateway(bookinfo(gateway(http80()), inOther), GW, 'x').vhost).toBe('blackhole:80');
  });

  it('a VirtualService exported to "." is not seen by a gateway in another namespace', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', toPP, 'default', '  exportTo: ["."]\n'));
    expect(viaGateway(c, GW, 'x').vhost).toBe('blackhole:80');
  });

  it('gateways merge the rules of several VirtualServices for the same host, catch-alls last', () => {
    const catchAll = vs('a-catchall', '["shop.example.com"]', '  - directResponse: {status: 200}');
    const specific = vs('b-specific', '["shop.example.com"]', '  - match: [{uri: {prefix: /api}}]\n    directResponse: {status: 201}');
    const c = bookinfo(gateway(http80()), catchAll, specific);
    expect(viaGateway(c, GW, 'shop.example.com', { path: '/api/x' }).status).toBe(201);
    expect(viaGateway(c, GW, 'shop.example.com', { path: '/' }).status).toBe(200);
  });

  it('match.port on a gateway is the server port number, not the listener port', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', '  - match: [{port: 80}]\n    directResponse: {status: 202}\n  - match: [{port: 8080}]\n    directResponse: {status: 203}'));
    expect(viaGateway(c, GW, 'x').status).toBe(202);
  });

  it('a destination without port on a gateway uses the service port when there is one', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', '  - route: [{destination: {host: productpage.default.svc.cluster.local}}]'));
    expect(viaGateway(c, GW, 'x').destination?.port).toBe(9080);
  });

  it('sourceLabels in a gateway match are compared with the gateway pod labels', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '["*"]', '  - match: [{sourceLabels: {app: productpage}}]\n    directResponse: {status: 299}\n  - directResponse: {status: 200}'));
    expect(viaGateway(c, GW, 'x').status).toBe(200);
  });

  it('VirtualService hosts bound to a gateway are short-name expanded like any other', () => {
    const c = bookinfo(gateway(http80()), vs('pp', '[productpage]', toPP));
    expect(viaGateway(c, GW, 'productpage').status).toBe(404);
    expect(viaGateway(c, GW, 'productpage.default.svc.cluster.local').status).toBe(200);
  });
});

describe('gateway TLS', () => {
  const https = (mode: string, extra = '') => `  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [shop.example.com]
    tls: {mode: ${mode}, credentialName: shop-cert${extra}}`;

  it('httpsRedirect answers plaintext requests with 301 to https', () => {
    const c = bookinfo(gateway(`${http80('[shop.example.com]')}\n    tls: {httpsRedirect: true}`), vs('pp', '[shop.example.com]', toPP));
    const t = viaGateway(c, GW, 'shop.example.com', { path: '/productpage?x=1' });
    expect([t.status, t.location]).toEqual([301, 'https://shop.example.com/productpage?x=1']);
  });

  it('httpsRedirect without any VirtualService still redirects', () => {
    const t = viaGateway(bookinfo(gateway(`${http80('[shop.example.com]')}\n    tls: {httpsRedirect: true}`)), GW, 'shop.example.com');
    expect(t.status).toBe(301);
  });

  it('SIMPLE terminates TLS and routes the HTTP inside with http rules', () => {
    const c = bookinfo(gateway(https('SIMPLE')), vs('pp', '[shop.example.com]', toPP));
    const t = viaGateway(c, GW, 'shop.example.com', { scheme: 'https', port: 443 });
    expect([t.status, t.hops[0].listenerPort, t.hops[0].route]).toEqual([200, 8443, 'https.443.https.gw.default']);
  });

  it('plaintext to a TLS server finds no filter chain: the connection is closed', () => {
    const c = bookinfo(gateway(https('SIMPLE')), vs('pp', '[shop.example.com]', toPP));
    expect(viaGateway(c, GW, 'shop.example.com', { port: 443 }).outcome).toBe('connection_reset');
  });

  it('an SNI that matches no server host closes the connection', () => {
    const c = bookinfo(gateway(https('SIMPLE')), vs('pp', '[shop.example.com]', toPP));
    expect(viaGateway(c, GW, 'other.example.com', { scheme: 'https', port: 443 }).outcome).toBe('connection_reset');
  });

  it('MUTUAL requires a client certificate: without one the TLS handshake fails', () => {
    const c = bookinfo(gateway(https('MUTUAL')), vs('pp', '[shop.example.com]', toPP));
    expect(viaGateway(c, GW, 'shop.example.com', { scheme: 'https', port: 443 }).outcome).toBe('tls_handshake_failure');
    expect(viaGateway(c, GW, 'shop.example.com', { scheme: 'https', port: 443, clientCertificate: true }).status).toBe(200);
  });

  it('PASSTHROUGH routes by SNI with tls routes, without terminating', () => {
    const gw = gateway(`  - port: {number: 443, name: tls, protocol: TLS}
    hosts: [nginx.example.com]
    tls: {mode: PASSTHROUGH}`);
    const tlsVs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: nginx}
spec:
  hosts: [nginx.example.com]
  gateways: [gw]
  tls:
  - match: [{port: 443, sniHosts: [nginx.example.com]}]
    route: [{destination: {host: productpage, port: {number: 9080}}}]`;
    const c = bookinfo(gw, tlsVs);
    const t = viaGateway(c, GW, 'nginx.example.com', { scheme: 'https', port: 443 });
    expect([t.status, t.hops[0].routeType, t.hops[0].matchedRule, t.destination?.workload]).toEqual([200, 'tls', 'tls[0].match[0]', 'productpage-v1']);
    expect(viaGateway(c, GW, 'other.example.com', { scheme: 'https', port: 443 }).outcome).toBe('connection_reset');
  });
});
