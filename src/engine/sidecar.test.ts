import { describe, expect, it } from 'vitest';
import { bookinfo, explained, fixture, get, meshOf, meshWith } from './fixtures/testutil';

const DRS = fixture('bookinfo-destination-rules.yaml');
const vsReviews = (subset: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews${extra ? '-x' : ''}}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: ${subset}}`;

describe('listeners by port and protocol', () => {
  const tcpReviews = fixture('bookinfo.yaml').replace(/port: 9080\n    name: http\n  selector:\n    app: reviews/, 'port: 9080\n    name: tcp-reviews\n  selector:\n    app: reviews');

  it('a Service port named http-* gets HTTP routing (VirtualService http rules apply)', () => {
    const t = get(bookinfo(DRS, vsReviews('v2')), 'productpage-v1', 'reviews:9080');
    expect(t.hops[0].routeType).toBe('http');
    expect(t.destination?.workload).toBe('reviews-v2');
  });

  it('a Service port named tcp-* is opaque TCP: http rules do not apply, all endpoints are used', () => {
    const c = meshOf(tcpReviews, DRS, vsReviews('v2'));
    const t = get(c, 'productpage-v1', 'reviews:9080');
    expect(t.hops[0].routeType).toBe('tcp');
    expect(t.hops[0].cluster).toBe('outbound|9080||reviews.default.svc.cluster.local');
    expect(t.status).toBe(200); // the application's HTTP answer passes through the TCP proxy
  });

  it('appProtocol overrides the port name', () => {
    const c = meshOf(tcpReviews.replace('name: tcp-reviews', 'name: tcp-reviews\n    appProtocol: http'), DRS, vsReviews('v2'));
    expect(get(c, 'productpage-v1', 'reviews:9080').hops[0].routeType).toBe('http');
  });

  it('an undeclared port is auto-detected HTTP with its own route table that ignores the Host header', () => {
    const c = meshOf(fixture('bookinfo.yaml').replace(/port: 9080\n    name: http\n  selector:\n    app: reviews/, 'port: 9080\n    name: web\n  selector:\n    app: reviews'), DRS, vsReviews('v3'));
    const t = get(c, 'productpage-v1', 'reviews:9080', { headers: { host: 'ignored' } });
    expect(t.hops[0].route).toBe('reviews.default.svc.cluster.local:9080');
    expect(t.destination?.workload).toBe('reviews-v3');
    expect(explained(t)).toMatch(/auto-detect/);
  });

  it('HTTP on a port where no service listens follows the outbound traffic policy', () => {
    const t = get(bookinfo(), 'productpage-v1', 'example.com:8888');
    expect(t.cluster).toBe('PassthroughCluster');
    expect(t.status).toBe(200);
  });
});

describe('virtual host selection', () => {
  const c = bookinfo(DRS, vsReviews('v1'));
  for (const host of ['reviews', 'reviews.default', 'reviews.default.svc', 'reviews.default.svc.cluster.local', 'REVIEWS.Default', 'reviews:1234']) {
    it(`"${host}" from the same namespace selects the reviews virtual host (short names, FQDN, case, port ignored)`, () => {
      const t = get(c, 'productpage-v1', host.includes(':') ? host : `${host}:9080`, { port: 9080 });
      expect(t.hops[0].vhost).toBe('reviews.default.svc.cluster.local:9080');
      expect(t.destination?.workload).toBe('reviews-v1');
    });
  }

  it('the bare short name only works from the service namespace', () => {
    const other = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: other}
spec:
  template:
    metadata: {labels: {app: sleep}}`;
    const c2 = bookinfo(other);
    expect(get(c2, 'sleep', 'reviews:9080').hops[0].vhost).toBe('allow_any');
    expect(get(c2, 'sleep', 'reviews.default:9080').hops[0].vhost).toBe('reviews.default.svc.cluster.local:9080');
  });

  it('the Host header, not the destination address, selects the virtual host on a shared HTTP port', () => {
    // Dialling the ratings port 9080 with Host details: the 9080 route table routes by Host.
    const t = get(bookinfo(), 'productpage-v1', 'details:9080');
    expect(t.destination?.service).toBe('details.default.svc.cluster.local');
  });
});

describe('VirtualService attachment on sidecars', () => {
  it('VS host short name expands with the VirtualService namespace', () => {
    const vs = vsReviews('v2').replace('metadata: {name: reviews}', 'metadata: {name: reviews, namespace: other}');
    // In namespace "other", "reviews" means reviews.other.svc.cluster.local: it does not apply to default/reviews.
    const t = get(bookinfo(DRS, vs), 'productpage-v1', 'reviews:9080');
    expect(t.hops[0].matchedRule).toBe('default');
  });

  it('no VirtualService: default route over all endpoints of the service, no subsets', () => {
    const seen = new Set<string>();
    const c = bookinfo(DRS);
    for (let seed = 1; seed <= 40; seed++) seen.add(get(c, 'productpage-v1', 'reviews:9080', {}, undefined, seed).destination!.workload!);
    expect([...seen].sort()).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(get(c, 'productpage-v1', 'reviews:9080').hops[0].cluster).toBe('outbound|9080||reviews.default.svc.cluster.local');
  });

  it('sidecars do not merge VirtualServices: the oldest wins per host', () => {
    const older = vsReviews('v1').replace('metadata: {name: reviews}', 'metadata: {name: b-reviews, creationTimestamp: "2024-01-01T00:00:00Z"}');
    const newer = vsReviews('v3').replace('metadata: {name: reviews}', 'metadata: {name: a-reviews, creationTimestamp: "2024-06-01T00:00:00Z"}');
    expect(get(bookinfo(DRS, newer, older), 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v1');
  });

  it('with equal creation times the name breaks the tie', () => {
    const a = vsReviews('v3').replace('metadata: {name: reviews}', 'metadata: {name: a-reviews}');
    const b = vsReviews('v1').replace('metadata: {name: reviews}', 'metadata: {name: b-reviews}');
    expect(get(bookinfo(DRS, b, a), 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v3');
  });

  it('an exact host VirtualService beats a wildcard one for the service it names', () => {
    const wild = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: all, creationTimestamp: "2020-01-01T00:00:00Z"}
spec:
  hosts: ["*.default.svc.cluster.local"]
  http:
  - directResponse: {status: 418}`;
    const c = bookinfo(DRS, wild, vsReviews('v2'));
    expect(get(c, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v2');
    expect(get(c, 'productpage-v1', 'ratings:9080').status).toBe(418);
  });

  it('gateways without mesh: sidecars ignore the VirtualService', () => {
    const vs = vsReviews('v2').replace('hosts: [reviews]', 'hosts: [reviews]\n  gateways: [some-gateway]');
    expect(get(bookinfo(DRS, vs), 'productpage-v1', 'reviews:9080').hops[0].matchedRule).toBe('default');
  });

  it('match.gateways replaces the top-level list for that match', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  gateways: [mesh, gw]
  http:
  - match: [{gateways: [gw]}]
    route: [{destination: {host: reviews, subset: v3}}]
  - route: [{destination: {host: reviews, subset: v2}}]`;
    const t = get(bookinfo(DRS, vs), 'productpage-v1', 'reviews:9080');
    expect(t.destination?.workload).toBe('reviews-v2');
    expect(explained(t)).toMatch(/http\[0\]\.match\[0\] is not generated here: match.gateways \[default\/gw\] does not include sidecars/);
  });

  it('sourceLabels decide on which sidecars a match exists', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{sourceLabels: {app: reviews, version: v2}}]
    route: [{destination: {host: ratings, subset: v1}}]
    fault: {abort: {httpStatus: 500, percentage: {value: 100}}}
  - route: [{destination: {host: ratings, subset: v1}}]`;
    const c = bookinfo(DRS, vs);
    expect(get(c, 'reviews-v2', 'ratings:9080').status).toBe(500);
    expect(get(c, 'reviews-v3', 'ratings:9080').status).toBe(200);
  });

  it('sourceNamespace decides on which sidecars a match exists', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{sourceNamespace: prod}]
    directResponse: {status: 451}`;
    const c = bookinfo(DRS, vs);
    // No match survives for default-namespace sidecars: the VS yields no route, the service keeps its default route.
    const t = get(c, 'reviews-v2', 'ratings:9080');
    expect(t.status).toBe(200);
    expect(explained(t)).toMatch(/yields no route/);
  });

  it('match.port keeps a match only on that service port', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{port: 9999}]
    directResponse: {status: 451}
  - directResponse: {status: 204}`;
    expect(get(bookinfo(vs), 'reviews-v2', 'ratings:9080').status).toBe(204);
  });

  it('a VirtualService host that is not a service gets a literal virtual host on port 80', () => {
    const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: fake}
spec:
  hosts: [my.fake.host]
  http:
  - route: [{destination: {host: ratings, port: {number: 9080}}}]`;
    const c = bookinfo(vs);
    const t = get(c, 'productpage-v1', 'my.fake.host');
    expect(t.hops[0].vhost).toBe('my.fake.host:80');
    expect(t.destination?.service).toBe('ratings.default.svc.cluster.local');
  });
});

describe('exportTo visibility', () => {
  const other = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: other}
spec:
  template:
    metadata: {labels: {app: sleep}}`;

  it('a VirtualService exported to "." is invisible to sidecars of other namespaces', () => {
    const vs = vsReviews('v2').replace('hosts: [reviews]', 'hosts: [reviews]\n  exportTo: ["."]');
    const c = bookinfo(DRS, vs, other);
    expect(get(c, 'sleep', 'reviews.default:9080').hops[0].matchedRule).toBe('default');
    expect(get(c, 'productpage-v1', 'reviews:9080').destination?.workload).toBe('reviews-v2');
  });

  it('a Service exported to "." is unknown to other namespaces (passthrough)', () => {
    const c = bookinfo(other).reg.services; // keep type checker honest about the fixture
    expect(c.length).toBeGreaterThan(0);
    const hidden = meshOf(fixture('bookinfo.yaml').replace('name: ratings\n  labels:', 'name: ratings\n  annotations: {networking.istio.io/exportTo: "."}\n  labels:'), other);
    expect(get(hidden, 'sleep', 'ratings.default:9080').hops[0].vhost).toBe('allow_any');
    expect(get(hidden, 'productpage-v1', 'ratings:9080').hops[0].vhost).toBe('ratings.default.svc.cluster.local:9080');
  });

  it('a DestinationRule not exported to the client namespace does not define its subsets there (503 NC)', () => {
    const dr = DRS.replace('name: reviews\nspec:\n  host: reviews', 'name: reviews\nspec:\n  host: reviews\n  exportTo: ["."]');
    const vs = vsReviews('v2').replace('metadata: {name: reviews}', 'metadata: {name: reviews, namespace: other}').replace('hosts: [reviews]', 'hosts: [reviews.default.svc.cluster.local]').replace('host: reviews,', 'host: reviews.default.svc.cluster.local,');
    const t = get(bookinfo(dr, vs, other), 'sleep', 'reviews.default:9080');
    expect([t.status, t.flags]).toEqual([503, ['NC']]);
  });
});

describe('outboundTrafficPolicy', () => {
  it('ALLOW_ANY: unknown HTTP hosts go to PassthroughCluster', () => {
    const t = get(bookinfo(), 'productpage-v1', 'www.google.com', {}, { external: { 'www.google.com:80': { status: 302 } } });
    expect([t.status, t.cluster, t.vhost]).toEqual([302, 'PassthroughCluster', 'allow_any']);
  });

  it('REGISTRY_ONLY: unknown HTTP hosts get 502 from the block_all virtual host', () => {
    const c = meshWith({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }, fixture('bookinfo.yaml'));
    const t = get(c, 'productpage-v1', 'www.google.com');
    expect([t.status, t.vhost, t.cluster]).toEqual([502, 'block_all', null]);
  });

  it('REGISTRY_ONLY: unknown TLS destinations are closed (BlackHoleCluster)', () => {
    const c = meshWith({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }, fixture('bookinfo.yaml'));
    const t = get(c, 'productpage-v1', 'www.google.com', { scheme: 'https', port: 443 });
    expect([t.status, t.outcome, t.cluster]).toEqual([null, 'connection_reset', 'BlackHoleCluster']);
  });

  it('the mesh setting is read from ConfigMap istio-system/istio', () => {
    const cm = `
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY`;
    const t = get(bookinfo(cm), 'productpage-v1', 'www.google.com');
    expect(t.status).toBe(502);
    expect(t.explanation.find((s) => s.kind === 'config')?.resource).toBe('ConfigMap/istio-system/istio');
  });

  it('an invalid mesh YAML in the ConfigMap is reported and Istio defaults are kept', () => {
    const cm = `
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: "outboundTrafficPolicy: [mode"`;
    const c = bookinfo(cm);
    expect(c.issues[0]).toMatchObject({ code: 'MeshConfigInvalid', resource: 'ConfigMap/istio-system/istio' });
    expect(c.mesh.outboundTrafficPolicy.mode).toBe('ALLOW_ANY');
  });

  it('a Sidecar resource overrides the mesh outbound policy for its workloads', () => {
    const sc = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}`;
    expect(get(bookinfo(sc), 'productpage-v1', 'www.google.com').status).toBe(502);
  });

  it('a Sidecar egress host list narrows what a sidecar imports', () => {
    const sc = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec:
  egress:
  - hosts: ["./ratings.default.svc.cluster.local"]`;
    const c = bookinfo(sc);
    expect(get(c, 'productpage-v1', 'ratings:9080').hops[0].vhost).toBe('ratings.default.svc.cluster.local:9080');
    expect(get(c, 'productpage-v1', 'reviews:9080').hops[0].vhost).toBe('allow_any');
  });
});
