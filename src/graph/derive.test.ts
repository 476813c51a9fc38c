import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { ResourceKey } from '../model/resource';
import { findSpan } from '../model/sourcemap';
import { deriveGraph } from './derive';
import type { GraphNode, MeshGraph } from './types';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const bookinfo = (...names: string[]) => names.map((n) => read(`./fixtures/bookinfo/${n}.yaml`)).join('\n---\n');

/** Parse (expecting a clean design) and derive. */
function graphOf(text: string): MeshGraph {
  const r = parseDesign(text);
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  return deriveGraph(r.model);
}

const byLabel = (g: MeshGraph, label: string): GraphNode => {
  const n = g.nodes.find((x) => x.label === label);
  if (!n) throw new Error(`no node ${label}; have ${g.nodes.map((x) => x.label).join(' · ')}`);
  return n;
};
/** Edges as one readable line each: `source → target | match | weight% | badges`. */
const edges = (g: MeshGraph) => {
  const label = (id: string) => g.nodes.find((n) => n.id === id)?.label ?? `?${id}`;
  return g.edges.map((e) => [`${label(e.source)} → ${label(e.target)}`, e.match, e.weight === undefined ? '' : `${e.weight}%`, e.badges.join(',')].join(' | '));
};
const workloads = (g: MeshGraph) => Object.fromEntries(g.nodes.filter((n) => n.workloads !== undefined).map((n) => [n.label, n.workloads]));

const vs = (name: string, body: string, ns = 'default') => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${body}`;
const svc = (name: string, ns = 'default', selector = `{app: ${name}}`) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {selector: ${selector}, ports: [{name: http, port: 80}]}`;
const dr = (host: string, subsets: string[], ns = 'default', extra = '') =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${host.split('.')[0]}, namespace: ${ns}}\nspec:\n  host: ${host}\n${extra}  subsets: [${subsets.map((s) => `{name: ${s}, labels: {version: ${s}}}`).join(', ')}]`;
const deploy = (name: string, labels: string, replicas = 1, ns = 'default') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {replicas: ${replicas}, selector: {matchLabels: ${labels}}, template: {metadata: {labels: ${labels}}, spec: {containers: [{name: c, image: i}]}}}`;
const gateway = (name: string, ns = 'default', selector = 'ingressgateway') =>
  `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {istio: ${selector}}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]`;
const join = (...docs: string[]) => docs.join('\n---\n');

describe('the primer example', () => {
  const text = read('../examples/primer.yaml');
  const parsed = parseDesign(text);
  const g = deriveGraph(parsed.model);
  const VS = 'VirtualService/default/my-service' as ResourceKey;

  it('has exactly these nodes', () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(g.nodes.map((n) => [n.label, n.kind])).toEqual([
      ['Gateway default/shop-gateway', 'ingress'],
      ['Gateway default/istio-egressgateway', 'egress'],
      ['Service default/my-service', 'service'],
      ['ServiceEntry default/payment-api', 'external'],
      ['Deployment default/checkout', 'client'],
      ['Subset my-service/v1', 'subset'],
      ['Subset my-service/v2', 'subset'],
      ['Mesh all sidecars', 'mesh'],
    ]);
    expect(g.nodes.filter((n) => n.implicit).map((n) => n.label)).toEqual([]);
    expect(byLabel(g, 'Subset my-service/v2').parent).toBe(byLabel(g, 'Service default/my-service').id);
    // The egress gateway's DestinationRule subset is a detail of the gateway, not a nested node.
    expect(byLabel(g, 'Gateway default/istio-egressgateway')).toMatchObject({
      details: ['80/HTTP api.payments.example', 'subset payments'],
      origins: [{ resource: 'Gateway/default/istio-egressgateway', path: [] }, { resource: 'DestinationRule/default/egressgateway-for-payments', path: ['spec'] }],
    });
  });

  it('counts workloads per service and subset', () => {
    expect(workloads(g)).toEqual({ 'Service default/my-service': 3, 'Subset my-service/v1': 2, 'Subset my-service/v2': 1, 'Deployment default/checkout': 1 });
  });

  it('details and badges', () => {
    expect(byLabel(g, 'Service default/my-service').details).toEqual(['80/http']);
    expect(byLabel(g, 'Gateway default/shop-gateway').details).toEqual(['80/HTTP shop.example.com']);
    expect(byLabel(g, 'ServiceEntry default/payment-api').details).toEqual(['api.payments.example', '80/HTTP, 443/HTTPS MESH_EXTERNAL DNS']);
    expect(g.nodes.filter((n) => n.badges.length).map((n) => [n.label, n.badges])).toEqual([['Service default/my-service', ['mtls']]]);
  });

  it('has an edge per route destination, with match summary, weight and badges', () => {
    expect(edges(g)).toEqual([
      'Service default/my-service → Subset my-service/v2 | end-user = jason |  | ',
      'Gateway default/shop-gateway → Service default/my-service | shop.example.com |  | ',
      'Service default/my-service → Subset my-service/v1 | uri = /v1 |  | ',
      'Service default/my-service → Subset my-service/v2 | uri = /v2 |  | ',
      'Service default/my-service → Subset my-service/v1 | uri ^ /test/fault |  | fault',
      'Service default/my-service → Subset my-service/v1 | * | 90% | retry,timeout',
      'Service default/my-service → Subset my-service/v2 | * | 10% | retry,timeout',
      'Mesh all sidecars → Gateway default/istio-egressgateway | port 80 |  | ',
      'Gateway default/istio-egressgateway → ServiceEntry default/payment-api | port 80 |  | ',
    ]);
  });

  it('edges and nodes point back at resource fields, which the source map finds', () => {
    const canaryV2 = g.edges.find((e) => e.weight === 10)!;
    expect(canaryV2.origins).toEqual([{ resource: VS, path: ['spec', 'http', 4] }, { resource: VS, path: ['spec', 'http', 4, 'route', 1] }]);
    const routeSpan = findSpan(parsed.sourceMap, VS, canaryV2.origins[1].path)!;
    expect(routeSpan.path).toEqual(canaryV2.origins[1].path);
    expect(text.slice(routeSpan.span.from, routeSpan.span.to)).toBe('destination:\n        host: my-service\n        subset: v2\n      weight: 10\n');
    const entry = g.edges.find((e) => e.source === 'gw:default/shop-gateway')!;
    expect(entry.origins).toEqual([{ resource: VS, path: ['spec', 'gateways'] }]);
    const gwSpan = findSpan(parsed.sourceMap, VS, entry.origins[0].path)!.span;
    expect(text.slice(gwSpan.from, gwSpan.to)).toBe('- shop-gateway\n  - mesh\n');
    expect(byLabel(g, 'Subset my-service/v1').origins).toEqual([{ resource: 'DestinationRule/default/my-service', path: ['spec', 'subsets', 0] }]);
    expect(byLabel(g, 'Service default/my-service').origins).toEqual([
      { resource: 'Service/default/my-service', path: [] },
      { resource: 'DestinationRule/default/my-service', path: ['spec'] },
    ]);
  });
});

describe('Bookinfo', () => {
  it('platform + destination-rule-all + virtual-service-all-v1 + gateway', () => {
    const g = graphOf(bookinfo('platform', 'destination-rule-all', 'virtual-service-all-v1', 'bookinfo-gateway'));
    expect(g.nodes.map((n) => n.label)).toEqual([
      'Gateway default/bookinfo-gateway',
      'Service default/details',
      'Service default/ratings',
      'Service default/reviews',
      'Service default/productpage',
      'Subset productpage/v1',
      'Subset reviews/v1',
      'Subset reviews/v2',
      'Subset reviews/v3',
      'Subset ratings/v1',
      'Subset ratings/v2',
      'Subset ratings/v2-mysql',
      'Subset ratings/v2-mysql-vm',
      'Subset details/v1',
      'Subset details/v2',
    ]);
    expect(workloads(g)).toEqual({
      'Service default/details': 1, 'Service default/ratings': 1, 'Service default/reviews': 6, 'Service default/productpage': 1,
      'Subset productpage/v1': 1, 'Subset reviews/v1': 1, 'Subset reviews/v2': 2, 'Subset reviews/v3': 3,
      'Subset ratings/v1': 1, 'Subset ratings/v2': 0, 'Subset ratings/v2-mysql': 0, 'Subset ratings/v2-mysql-vm': 0,
      'Subset details/v1': 1, 'Subset details/v2': 0,
    });
    expect(edges(g)).toEqual([
      'Service default/productpage → Subset productpage/v1 | * |  | ',
      'Service default/reviews → Subset reviews/v1 | * |  | ',
      'Service default/ratings → Subset ratings/v1 | * |  | ',
      'Service default/details → Subset details/v1 | * |  | ',
      'Gateway default/bookinfo-gateway → Service default/productpage | uri = /productpage | uri ^ /static | uri = /login | uri = /logout | uri ^ /api/v1/products |  | ',
    ]);
    expect(byLabel(g, 'Gateway default/bookinfo-gateway').details).toEqual(['8080/HTTP *']);
    expect(byLabel(g, 'Service default/reviews').details).toEqual(['9080/http']);
  });

  it('virtual-service-reviews-test-v2 applied over all-v1: jason sees v2', () => {
    const text = bookinfo('platform', 'destination-rule-all', 'virtual-service-all-v1', 'virtual-service-reviews-test-v2');
    const r = parseDesign(text);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['MC0003', 'VirtualService default/reviews is defined again; this later definition replaces the earlier one (as kubectl apply would).'],
    ]);
    const g = deriveGraph(r.model);
    expect(edges(g).filter((e) => e.startsWith('Service default/reviews'))).toEqual([
      'Service default/reviews → Subset reviews/v2 | end-user = jason |  | ',
      'Service default/reviews → Subset reviews/v1 | * |  | ',
    ]);
    expect(g.edges.find((e) => e.match === 'end-user = jason')!.origins).toEqual([
      { resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0] },
      { resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'route', 0] },
    ]);
  });

  it('virtual-service-reviews-90-10: weighted edges', () => {
    const g = graphOf(bookinfo('platform', 'destination-rule-all', 'virtual-service-reviews-90-10'));
    expect(edges(g)).toEqual([
      'Service default/reviews → Subset reviews/v1 | * | 90% | ',
      'Service default/reviews → Subset reviews/v2 | * | 10% | ',
    ]);
  });

  it('VirtualService and DestinationRule pasted without Services: hosts become implicit service nodes', () => {
    const g = graphOf(bookinfo('destination-rule-all', 'virtual-service-reviews-test-v2'));
    expect(g.nodes.filter((n) => n.kind === 'service').map((n) => [n.label, n.implicit, n.workloads])).toEqual([
      ['Service default/productpage', true, undefined],
      ['Service default/reviews', true, undefined],
      ['Service default/ratings', true, undefined],
      ['Service default/details', true, undefined],
    ]);
    expect(byLabel(g, 'Subset reviews/v2')).toMatchObject({ implicit: false, parent: 'svc:reviews.default.svc.cluster.local', details: ['version=v2'] });
    expect(edges(g)).toEqual([
      'Service default/reviews → Subset reviews/v2 | end-user = jason |  | ',
      'Service default/reviews → Subset reviews/v1 | * |  | ',
    ]);
  });

  it('Deployments without Services: subsets do not count other apps that share a version label', () => {
    const deployments = read('./fixtures/bookinfo/platform.yaml').split('\n---\n').filter((d) => d.includes('kind: Deployment'));
    const g = graphOf(join(...deployments, bookinfo('destination-rule-all')));
    expect(g.nodes.filter((n) => n.kind === 'subset' && n.workloads !== undefined).map((n) => [n.label, n.workloads])).toEqual([]);
    expect(g.nodes.filter((n) => n.kind === 'client').map((n) => [n.label, n.workloads])).toEqual([
      ['Deployment default/details-v1', 1], ['Deployment default/ratings-v1', 1], ['Deployment default/reviews-v1', 1],
      ['Deployment default/reviews-v2', 2], ['Deployment default/reviews-v3', 3], ['Deployment default/productpage-v1', 1],
    ]);
  });

  it('a subset no DestinationRule defines is an implicit subset node', () => {
    const g = graphOf(join(bookinfo('platform', 'destination-rule-all'), vs('reviews', '  hosts: [reviews]\n  http:\n  - route:\n    - {destination: {host: reviews.default.svc.cluster.local, subset: v4}}')));
    const v4 = byLabel(g, 'Subset reviews.default.svc.cluster.local/v4');
    expect(v4).toMatchObject({ implicit: true, kind: 'subset', parent: 'svc:reviews.default.svc.cluster.local', origins: [] });
    expect(v4.workloads).toBeUndefined(); // the DestinationRule gives no labels to count by
    expect(edges(g)).toEqual(['Service default/reviews → Subset reviews.default.svc.cluster.local/v4 | * |  | ']);
  });

  it('the gateway-only bookinfo VirtualService routes from the gateway alone; the ingress Service maps to the gateway', () => {
    const ingressService = svc('istio-ingressgateway', 'istio-system', '{app: istio-ingressgateway, istio: ingressgateway}');
    const g = graphOf(join(bookinfo('platform', 'bookinfo-gateway'), ingressService));
    expect(g.nodes.map((n) => n.label)).toEqual([
      'Gateway default/bookinfo-gateway', 'Service default/details', 'Service default/ratings', 'Service default/reviews', 'Service default/productpage',
    ]);
    expect(edges(g)).toEqual(['Gateway default/bookinfo-gateway → Service default/productpage | uri = /productpage | uri ^ /static | uri = /login | uri = /logout | uri ^ /api/v1/products |  | ']);
    expect(g.edges[0].origins).toEqual([
      { resource: 'VirtualService/default/bookinfo', path: ['spec', 'http', 0] },
      { resource: 'VirtualService/default/bookinfo', path: ['spec', 'http', 0, 'route', 0] },
    ]);
  });
});

describe('egress through a gateway', () => {
  const g = graphOf(read('./fixtures/egress-gateway.yaml'));

  it('sidecars → egress gateway → external host; the gateway Service and its subset are the gateway', () => {
    expect(g.nodes.map((n) => [n.label, n.kind])).toEqual([
      ['Gateway default/istio-egressgateway', 'egress'],
      ['ServiceEntry default/cnn', 'external'],
      ['Deployment default/curl', 'client'],
      ['Mesh all sidecars', 'mesh'],
    ]);
    expect(byLabel(g, 'Gateway default/istio-egressgateway').details).toEqual(['80/HTTP edition.cnn.com', 'subset cnn']);
    expect(edges(g)).toEqual([
      'Mesh all sidecars → Gateway default/istio-egressgateway | port 80 |  | ',
      'Gateway default/istio-egressgateway → ServiceEntry default/cnn | port 80 |  | ',
    ]);
    expect(g.edges.map((e) => e.origins[1].path)).toEqual([['spec', 'http', 0, 'route', 0], ['spec', 'http', 1, 'route', 0]]);
  });
});

describe('routes', () => {
  const reviews = join(svc('reviews'), dr('reviews', ['v1', 'v2', 'v3']));

  it('weights are relative shares: they need not sum to 100', () => {
    const g = graphOf(join(reviews, vs('reviews', [
      '  hosts: [reviews]',
      '  http:',
      '  - match: [{uri: {prefix: /a}}]',
      '    route: [{destination: {host: reviews, subset: v1}, weight: 1}, {destination: {host: reviews, subset: v2}, weight: 1}, {destination: {host: reviews, subset: v3}, weight: 2}]',
      '  - match: [{uri: {prefix: /b}}]',
      '    route: [{destination: {host: reviews, subset: v1}, weight: 1}, {destination: {host: reviews, subset: v2}, weight: 2}]',
      '  - match: [{uri: {prefix: /c}}]',
      '    route: [{destination: {host: reviews, subset: v1}, weight: 30}, {destination: {host: reviews, subset: v2}}]',
      '  - route: [{destination: {host: reviews, subset: v3}, weight: 40}]',
    ].join('\n'))));
    expect(g.edges.map((e) => [e.match, e.target.split('#')[1], e.weight])).toEqual([
      ['uri ^ /a', 'v1', 25], ['uri ^ /a', 'v2', 25], ['uri ^ /a', 'v3', 50],
      ['uri ^ /b', 'v1', 33.3], ['uri ^ /b', 'v2', 66.7],
      ['uri ^ /c', 'v1', 100], ['uri ^ /c', 'v2', 0], // a weight left out counts as 0
      ['*', 'v3', undefined], // a single destination gets everything; its weight is ignored
    ]);
  });

  it('short names resolve in the VirtualService namespace; FQDNs are literal', () => {
    const g = graphOf(join(reviews, vs('front', '  hosts: [front]\n  http:\n  - match: [{uri: {prefix: /r}}]\n    route: [{destination: {host: reviews}}]\n  - route: [{destination: {host: reviews.default.svc.cluster.local, subset: v2}}]', 'web'), svc('front', 'web')));
    expect(edges(g)).toEqual([
      'Service web/front → Service web/reviews | uri ^ /r |  | ',
      'Service web/front → Subset reviews/v2 | * |  | ',
    ]);
    expect(byLabel(g, 'Service web/reviews').implicit).toBe(true);
  });

  it('mirror and mirrors: an edge per mirror target, with its origin', () => {
    const g = graphOf(join(reviews, vs('reviews', [
      '  hosts: [reviews]',
      '  http:',
      '  - match: [{headers: {x-debug: {}}}]',
      '    route: [{destination: {host: reviews, subset: v1}}]',
      '    mirrors:',
      '    - {destination: {host: reviews, subset: v2}, percentage: {value: 50}}',
      '    - {destination: {host: shadow}}',
      '  - route: [{destination: {host: reviews, subset: v1}}]',
      '    mirror: {host: reviews, subset: v3}',
      '    mirrorPercentage: {value: 10}',
    ].join('\n'))));
    expect(edges(g)).toEqual([
      'Service default/reviews → Subset reviews/v1 | x-debug present |  | mirror',
      'Service default/reviews → Subset reviews/v2 | mirror |  | mirror',
      'Service default/reviews → Service default/shadow | mirror |  | mirror',
      'Service default/reviews → Subset reviews/v1 | * |  | mirror',
      'Service default/reviews → Subset reviews/v3 | mirror |  | mirror',
    ]);
    expect(g.edges.filter((e) => e.match === 'mirror').map((e) => e.origins)).toEqual([
      [{ resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'mirrors', 0] }],
      [{ resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'mirrors', 1] }],
      [{ resource: 'VirtualService/default/reviews', path: ['spec', 'http', 1, 'mirror'] }],
    ]);
    expect(byLabel(g, 'Service default/shadow').implicit).toBe(true);
  });

  it('a mirror on a rule a gateway shares with the mesh enters at the service, like its routes', () => {
    const g = graphOf(join(reviews, gateway('public'), vs('reviews', [
      '  hosts: [reviews, reviews.example.com]',
      '  gateways: [public, mesh]',
      '  http:',
      '  - route: [{destination: {host: reviews, subset: v1}}]',
      '    mirror: {host: reviews, subset: v2}',
    ].join('\n'))));
    expect(edges(g)).toEqual([
      'Service default/reviews → Subset reviews/v1 | * |  | mirror',
      'Gateway default/public → Service default/reviews | reviews.example.com |  | ',
      'Service default/reviews → Subset reviews/v2 | mirror |  | mirror',
    ]);
  });

  it('match.gateways narrows a match; matches without it keep the VirtualService gateways', () => {
    const g = graphOf(join(reviews, gateway('a'), gateway('b'), vs('reviews', [
      '  hosts: [reviews, reviews.example.com]',
      '  gateways: [a, b]',
      '  http:',
      '  - match: [{gateways: [a], uri: {prefix: /only-a}}, {uri: {prefix: /both}}]',
      '    route: [{destination: {host: reviews, subset: v1}}]',
      '  - match: [{gateways: [b], uri: {prefix: /only-b}}]',
      '    route: [{destination: {host: reviews, subset: v2}}]',
      '  - match: [{gateways: [mesh], uri: {prefix: /not-bound-to-mesh}}]',
      '    route: [{destination: {host: reviews, subset: v3}}]',
    ].join('\n'))));
    expect(edges(g)).toEqual([
      'Gateway default/a → Subset reviews/v1 | uri ^ /only-a | uri ^ /both |  | ',
      'Gateway default/b → Subset reviews/v1 | uri ^ /only-a | uri ^ /both |  | ',
      'Gateway default/b → Subset reviews/v2 | uri ^ /only-b |  | ',
    ]);
  });

  it('gateway references: namespace/name, legacy dotted names, and gateways the design lacks', () => {
    const g = graphOf(join(reviews, gateway('public', 'istio-system'), vs('reviews', [
      '  hosts: [reviews.example.com]',
      '  gateways: [istio-system/public, public.istio-system.svc.cluster.local, edge/missing]',
      '  http:',
      '  - route: [{destination: {host: reviews, subset: v1}}]',
    ].join('\n'))));
    expect(edges(g)).toEqual([
      'Gateway istio-system/public → Subset reviews/v1 | * |  | ',
      'Gateway edge/missing → Subset reviews/v1 | * |  | ',
    ]);
    expect(byLabel(g, 'Gateway edge/missing')).toMatchObject({ implicit: true, kind: 'ingress' });
  });

  it('tcp and tls routes', () => {
    const g = graphOf(join(
      svc('db'), dr('db', ['v1']),
      vs('db', '  hosts: [db]\n  tcp:\n  - match: [{port: 27017}]\n    route: [{destination: {host: db, subset: v1, port: {number: 27017}}}]'),
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: api}\nspec: {hosts: [api.example.com], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DNS}',
      vs('api', '  hosts: [api.example.com]\n  tls:\n  - match: [{sniHosts: [api.example.com], port: 443}]\n    route: [{destination: {host: api.example.com, port: {number: 443}}}]'),
    ));
    expect(g.edges.map((e) => [e.protocol, e.match, e.source, e.target])).toEqual([
      ['tcp', 'port 27017', 'svc:db.default.svc.cluster.local', 'svc:db.default.svc.cluster.local#v1'],
      ['tls', 'sni api.example.com, port 443', 'mesh', 'se:default/api'],
    ]);
    expect(g.edges[1].origins[1]).toEqual({ resource: 'VirtualService/default/api', path: ['spec', 'tls', 0, 'route', 0] });
  });

  it('redirect and direct responses badge their routing point', () => {
    const g = graphOf(join(reviews, vs('reviews', '  hosts: [reviews]\n  http:\n  - match: [{uri: {exact: /old}}]\n    redirect: {uri: /new}\n  - route: [{destination: {host: reviews, subset: v1}}]')));
    expect(byLabel(g, 'Service default/reviews').badges).toEqual(['redirect']);
    expect(edges(g)).toEqual(['Service default/reviews → Subset reviews/v1 | * |  | ']);
  });
});

describe('policy badges', () => {
  it('from DestinationRule traffic policies, on the service and on subsets', () => {
    const g = graphOf(join(
      svc('a'), dr('a', ['v1'], 'default', '  trafficPolicy: {tls: {mode: SIMPLE}, connectionPool: {tcp: {maxConnections: 10}}, outlierDetection: {consecutive5xxErrors: 3}}\n'),
      svc('b'), dr('b', ['v1'], 'default', '  trafficPolicy: {portLevelSettings: [{port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}]}\n'),
      svc('c'), 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: c2}\nspec:\n  host: c\n  subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: MUTUAL}}}]',
      gateway('tls-gw').replace('servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]', 'servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE, credentialName: c}}]'),
    ));
    expect(g.nodes.filter((n) => n.badges.length).map((n) => [n.label, n.badges])).toEqual([
      ['Gateway default/tls-gw', ['tls']],
      ['Service default/a', ['tls', 'circuit-breaker', 'outlier']],
      ['Service default/b', ['mtls']],
      ['Subset c/v1', ['tls']],
    ]);
    expect(byLabel(g, 'Gateway default/tls-gw').details).toEqual(['443/HTTPS * (SIMPLE)']);
  });

  it('retries with attempts: 0 are no retry badge', () => {
    const g = graphOf(join(svc('a'), vs('a', '  hosts: [a]\n  http:\n  - route: [{destination: {host: a}}]\n    retries: {attempts: 0}\n    timeout: 2s')));
    expect(g.edges.map((e) => e.badges)).toEqual([]);
  });
});

describe('workloads and clients', () => {
  it('Deployments and Pods are counted by their labels, in their namespace only', () => {
    const g = graphOf(join(
      svc('web'), dr('web', ['v1', 'v2']),
      deploy('web-v1', '{app: web, version: v1}', 3), deploy('web-v2', '{app: web, version: v2}', 0),
      deploy('web-other-ns', '{app: web, version: v1}', 5, 'other'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web-pod, labels: {app: web, version: v2}}\nspec: {containers: [{name: c, image: i}]}',
      deploy('loadgen', '{app: loadgen}', 2),
    ));
    expect(workloads(g)).toEqual({
      'Service default/web': 4, 'Subset web/v1': 3, 'Subset web/v2': 1,
      'Deployment other/web-other-ns': 5, 'Deployment default/loadgen': 2,
    });
  });

  it('a design without Deployments or Pods has no workload counts at all', () => {
    const g = graphOf(join(svc('web'), dr('web', ['v1'])));
    expect(workloads(g)).toEqual({});
  });
});
