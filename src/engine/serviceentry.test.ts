import { describe, expect, it } from 'vitest';
import { explained, fixture, get, meshOf, meshWith } from './fixtures/testutil';

const base = fixture('httpbin-curl.yaml');
const se = (spec: string, name = 'ext') => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}}
spec:
${spec}`;

describe('ServiceEntry', () => {
  it('a ServiceEntry host is used verbatim: it gets a virtual host for its HTTP port, no short names', () => {
    const c = meshOf(base, se(`  hosts: [api.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS`));
    const t = get(c, 'curl', 'api.example.com', {}, { external: { 'api.example.com:80': { status: 201 } } });
    expect([t.status, t.hops[0].vhost, t.hops[0].cluster]).toEqual([201, 'api.example.com:80', 'outbound|80||api.example.com']);
  });

  it('a dot-less ServiceEntry host is not expanded, so a VirtualService short name does not match it', () => {
    const c = meshOf(base, se(`  hosts: [legacyhost]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS`), `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: legacy}
spec:
  hosts: [legacyhost]
  http:
  - directResponse: {status: 418}`);
    // The VS host becomes legacyhost.default.svc.cluster.local; requests for "legacyhost" use the SE's own vhost.
    expect(get(c, 'curl', 'legacyhost').status).toBe(200);
  });

  it('REGISTRY_ONLY allows hosts registered by a ServiceEntry', () => {
    const c = meshWith({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }, base, se(`  hosts: [httpbin.org]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS`));
    expect(get(c, 'curl', 'httpbin.org').status).toBe(200);
    expect(get(c, 'curl', 'www.google.com').status).toBe(502);
  });

  it('VirtualService rules such as timeouts apply to external hosts (egress-control task: 504 after 3s)', () => {
    const c = meshOf(base, se(`  hosts: [httpbin.org]
  ports: [{number: 80, name: http-port, protocol: HTTP}]
  resolution: DNS`), `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin-ext}
spec:
  hosts: [httpbin.org]
  http:
  - timeout: 3s
    route: [{destination: {host: httpbin.org}, weight: 100}]`);
    const t = get(c, 'curl', 'httpbin.org', { path: '/delay/5' }, { external: { 'httpbin.org:80': { latencyMs: 5000 } } });
    expect([t.status, t.flags, t.durationMs]).toEqual([504, ['UT'], 3000]);
  });

  it('STATIC resolution uses the endpoints, and DestinationRule subsets select them by endpoint labels', () => {
    const c = meshOf(base, se(`  hosts: [db.internal]
  location: MESH_INTERNAL
  ports: [{number: 8080, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - {address: 10.0.0.1, labels: {version: a}}
  - {address: 10.0.0.2, labels: {version: b}}`), `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db}
spec:
  host: db.internal
  subsets: [{name: b, labels: {version: b}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db}
spec:
  hosts: [db.internal]
  http:
  - route: [{destination: {host: db.internal, subset: b}}]`);
    const t = get(c, 'curl', 'db.internal:8080', {}, { external: { '10.0.0.2:8080': { status: 202 }, '10.0.0.1:8080': { status: 500 } } });
    expect(t.status).toBe(202);
  });

  it('STATIC without endpoints has no endpoints: 503 UH', () => {
    const c = meshOf(base, se(`  hosts: [empty.internal]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC`));
    expect(get(c, 'curl', 'empty.internal').flags).toEqual(['UH']);
  });

  it('MESH_EXTERNAL never gets auto mTLS; MESH_INTERNAL endpoints with an Istio sidecar label do', () => {
    const ext = meshOf(base, se(`  hosts: [ext.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS`));
    expect(explained(get(ext, 'curl', 'ext.example.com'))).toMatch(/auto mTLS never applies to MESH_EXTERNAL/);
    const vm = meshOf(base, se(`  hosts: [vm.internal]
  location: MESH_INTERNAL
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 10.1.1.1, labels: {security.istio.io/tlsMode: istio}}]`));
    expect(get(vm, 'curl', 'vm.internal').hops[0].upstreamTls).toBe('Istio mTLS');
  });

  it('a TCP port of a ServiceEntry without addresses is matched by port alone', () => {
    const c = meshOf(base, se(`  hosts: [mongo.example.com]
  ports: [{number: 27017, name: mongo, protocol: MONGO}]
  resolution: DNS`));
    const t = get(c, 'curl', 'anything.else', { protocol: 'tcp', port: 27017 });
    expect([t.hops[0].routeType, t.hops[0].cluster, t.outcome, t.status]).toEqual(['tcp', 'outbound|27017||mongo.example.com', 'response', null]);
  });

  it('with addresses, TCP traffic is recognised by destination (VIP)', () => {
    const c = meshOf(base, se(`  hosts: [pg.example.com]
  addresses: [240.0.0.10]
  ports: [{number: 5432, name: tcp, protocol: TCP}]
  resolution: DNS`));
    expect(get(c, 'curl', 'pg.example.com', { protocol: 'tcp', port: 5432 }).hops[0].cluster).toBe('outbound|5432||pg.example.com');
  });
});

describe('TLS and TCP routes on sidecars', () => {
  it('an HTTPS ServiceEntry port is routed by SNI; a tls route can redirect it', () => {
    const c = meshOf(base, se(`  hosts: ["*.wikipedia.org"]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: NONE`), `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: wiki}
spec:
  hosts: ["*.wikipedia.org"]
  tls:
  - match: [{port: 443, sniHosts: [en.wikipedia.org]}]
    route: [{destination: {host: "*.wikipedia.org", port: {number: 443}}}]`);
    const t = get(c, 'curl', 'en.wikipedia.org', { scheme: 'https', port: 443 });
    expect([t.hops[0].routeType, t.hops[0].matchedRule]).toEqual(['tls', 'tls[0].match[0]']);
    // Another SNI of the same entry has no matching tls route: no filter chain, the connection is closed.
    expect(get(c, 'curl', 'de.wikipedia.org', { scheme: 'https', port: 443 }).outcome).toBe('connection_reset');
  });

  it('tcp routes split connections by weight', () => {
    const tcpSvc = `
apiVersion: v1
kind: Service
metadata: {name: tcp-echo}
spec:
  selector: {app: tcp-echo}
  ports: [{name: tcp, port: 9000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tcp-echo-v1}
spec:
  template: {metadata: {labels: {app: tcp-echo, version: v1}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tcp-echo-v2}
spec:
  template: {metadata: {labels: {app: tcp-echo, version: v2}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: tcp-echo}
spec:
  host: tcp-echo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: tcp-echo}
spec:
  hosts: [tcp-echo]
  tcp:
  - match: [{port: 9000}]
    route:
    - {destination: {host: tcp-echo, port: {number: 9000}, subset: v1}, weight: 80}
    - {destination: {host: tcp-echo, port: {number: 9000}, subset: v2}, weight: 20}`;
    const c = meshOf(base, tcpSvc);
    let v2 = 0;
    for (let seed = 1; seed <= 500; seed++) if (get(c, 'curl', 'tcp-echo:9000', { protocol: 'tcp' }, undefined, seed).destination?.subset === 'v2') v2++;
    expect(v2).toBeGreaterThan(70);
    expect(v2).toBeLessThan(130);
  });
});
