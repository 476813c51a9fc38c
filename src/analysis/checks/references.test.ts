/**
 * IST0101 / IST0112 / MC100 on VirtualService references, each against a near-identical design that is fine.
 * Cases follow istio.io's analyzer pages for IST0101 (ReferencedResourceNotFound) and IST0112.
 */
import { describe, expect, it } from 'vitest';
import { BOOKINFO, bookinfoWith, run, summary, withCode } from '../fixtures/testutil';

const reviewsVs = (dest: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  ${extra}
  http:
  - route: [{destination: ${dest}}]`;

const replaceReviews = (dest: string, extra = '') => bookinfoWith({ 'VirtualService/reviews': reviewsVs(dest, extra) });

describe('IST0101 subset', () => {
  it('reports a subset no DestinationRule defines, with a fix that adds it to the existing rule', () => {
    const ms = replaceReviews('{host: reviews, subset: v4}');
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"route",0,"destination","subset"]']);
    expect(ms[0].name).toBe('ReferencedResourceNotFound');
    expect(ms[0].message).toContain('Referenced host+subset in destinationrule not found: "reviews+v4"');
    expect(ms[0].message).toContain('define only v1, v2, v3'.replace('define', 'defines'));
    expect(ms[0].fix).toEqual({
      title: 'Add subset v4 to DestinationRule default/reviews', kind: 'createSubset', host: 'reviews', namespace: 'default', subset: 'v4',
      labels: { version: 'v4' }, destinationRule: 'DestinationRule/default/reviews',
    });
  });

  it('is quiet for a defined subset', () => {
    expect(replaceReviews('{host: reviews, subset: v3}')).toEqual([]);
  });

  it('guesses the subset labels from the pods of the service', () => {
    const pod = `
apiVersion: v1
kind: Pod
metadata: {name: reviews-canary, labels: {app: reviews, track: canary}}
spec: {containers: [{name: reviews, image: reviews}]}`;
    const [m] = bookinfoWith({ 'VirtualService/reviews': reviewsVs('{host: reviews, subset: canary}') }, pod);
    expect(m.fix).toMatchObject({ kind: 'createSubset', labels: { track: 'canary' } });
  });

  it('is only Info (not in this design) when the design has no DestinationRule where it would be', () => {
    const ms = bookinfoWith({ 'DestinationRule/productpage': null, 'DestinationRule/reviews': null, 'DestinationRule/ratings': null, 'DestinationRule/details': null },
      ).filter((m) => m.key === 'VirtualService/default/reviews');
    expect(summary(ms)).toEqual(['Info MC100 VirtualService default/reviews ["spec","http",0,"route",0,"destination","subset"]', 'Info MC100 VirtualService default/reviews ["spec","http",1,"route",0,"destination","subset"]']);
    expect(ms[0].message).toBe('Subset v2 of reviews.default.svc.cluster.local is not defined in this design (no DestinationRule for reviews.default.svc.cluster.local); it is assumed to exist in the cluster.');
    expect(ms[0].fix).toMatchObject({ kind: 'createSubset', host: 'reviews', namespace: 'default', subset: 'v2', labels: { version: 'v2' } });
    expect(ms[0].fix).not.toHaveProperty('destinationRule');
  });

  it('reports a mirror subset with istioctl\'s reference type', () => {
    const [m] = bookinfoWith({ 'VirtualService/reviews': `${reviewsVs('{host: reviews, subset: v1}')}\n    mirror: {host: reviews, subset: v9}` });
    expect(m.message).toContain('Referenced mirror+subset in destinationrule not found: "reviews+v9"');
    expect(m.path).toEqual(['spec', 'http', 0, 'mirror', 'subset']);
  });
});

describe('IST0101 host / MC100 unresolved host', () => {
  it('reports a host that is not a Service when the design defines Services in its namespace', () => {
    const ms = replaceReviews('{host: reviewz}');
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"route",0,"destination","host"]']);
    expect(ms[0].message).toMatch(/^Referenced host not found: "reviewz"/);
  });

  it('is quiet for an existing host, short or fully qualified', () => {
    expect(replaceReviews('{host: reviews}')).toEqual([]);
    expect(replaceReviews('{host: reviews.default.svc.cluster.local}')).toEqual([]);
  });

  const shop = (extra: string) => run([`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cart, namespace: shop}
spec:
  hosts: [cart]
  http: [{route: [{destination: {host: cart}}]}]`, extra]);

  it('calls a host "not defined in this design" when its namespace has no Services in the design', () => {
    const ms = shop('');
    expect(summary(ms)).toEqual(['Info MC100 VirtualService shop/cart ["spec","http",0,"route",0,"destination","host"]']);
    expect(ms[0].message).toBe('cart.shop.svc.cluster.local is not defined in this design (no Service or ServiceEntry for it); it is assumed to exist in the cluster.');
    expect(ms[0].name).toBe('UnresolvedReference');
  });

  it('makes it an error once the design defines Services in that namespace', () => {
    const ms = shop('apiVersion: v1\nkind: Service\nmetadata: {name: checkout, namespace: shop}\nspec: {ports: [{port: 80, name: http}]}');
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService shop/cart ["spec","http",0,"route",0,"destination","host"]']);
  });

  it('explains that a dotted name is taken literally', () => {
    const [m] = replaceReviews('{host: reviews.default}');
    expect(m.code).toBe('IST0101');
    expect(m.message).toContain('write reviews.default.svc.cluster.local');
    expect(replaceReviews('{host: reviews.default.svc.cluster.local}')).toEqual([]);
  });

  it('reports a host hidden by exportTo', () => {
    const backend = (exportTo: string) => `
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: backend${exportTo}}
spec: {ports: [{port: 9080, name: http}]}`;
    const vs = reviewsVs('{host: ratings.backend.svc.cluster.local}');
    const hidden = run([vs, backend(', annotations: {networking.istio.io/exportTo: "."}')]);
    expect(summary(hidden)).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"route",0,"destination","host"]']);
    expect(hidden[0].message).toContain('exportTo');
    expect(hidden[0].related).toEqual(['Service/backend/ratings']);
    expect(run([vs, backend('')]).filter((m) => m.code === 'IST0101')).toEqual([]);
    expect(run([vs, backend(', annotations: {networking.istio.io/exportTo: "default"}')]).filter((m) => m.code === 'IST0101')).toEqual([]);
  });

  it('reports a missing mirror host with istioctl\'s reference type', () => {
    const [m] = bookinfoWith({ 'VirtualService/reviews': `${reviewsVs('{host: reviews, subset: v1}')}\n    mirror: {host: reviews-shadow}` });
    expect(m.message).toMatch(/^Referenced mirror host not found: "reviews-shadow"/);
    expect(bookinfoWith({ 'VirtualService/reviews': `${reviewsVs('{host: reviews, subset: v1}')}\n    mirror: {host: ratings}` })).toEqual([]);
  });

  const external = (host: string, others: string) => run([`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: payments}
spec:
  hosts: [${host}]
  http: [{route: [{destination: {host: ${host}}}], timeout: 3s}]`, others]);
  const se = (host: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${host.split('.')[0]}}\nspec: {hosts: [${host}], ports: [{number: 443, name: https, protocol: HTTPS}], resolution: DNS}`;

  it('treats external hosts by the ServiceEntries the design has', () => {
    expect(external('api.pay.example', se('api.pay.example'))).toEqual([]);
    expect(summary(external('api.pay.example', se('api.maps.example')))).toEqual(['Error IST0101 VirtualService default/payments ["spec","http",0,"route",0,"destination","host"]']);
    expect(summary(external('api.pay.example', ''))).toEqual(['Info MC100 VirtualService default/payments ["spec","http",0,"route",0,"destination","host"]']);
  });
});

describe('IST0101 host:port and IST0112', () => {
  it('reports a port the service does not have, with a fix that adds it', () => {
    const ms = replaceReviews('{host: reviews, subset: v1, port: {number: 9081}}');
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"route",0,"destination","port","number"]']);
    expect(ms[0].message).toMatch(/^Referenced host:port not found: "reviews:9081" \(Service default\/reviews has port 9080\)/);
    expect(ms[0].fix).toEqual({ title: 'Add port 9081 to Service reviews', kind: 'addPort', target: 'Service/default/reviews', port: 9081, name: 'http-9081', protocol: 'HTTP' });
    expect(replaceReviews('{host: reviews, subset: v1, port: {number: 9080}}')).toEqual([]);
  });

  const twoPorts = (dest: string) => bookinfoWith({
    'Service/reviews': 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec: {ports: [{port: 9080, name: http}, {port: 9090, name: grpc-admin}], selector: {app: reviews}}',
    'VirtualService/reviews': reviewsVs(dest),
  });

  it('IST0112: a destination on a multi-port service needs a port', () => {
    const ms = twoPorts('{host: reviews, subset: v1}');
    expect(summary(ms)).toEqual(['Error IST0112 VirtualService default/reviews ["spec","http",0,"route",0,"destination","host"]']);
    expect(ms[0].message).toBe('This VirtualService routes to a service "reviews" that exposes multiple ports [9080 9090]. Specifying a port in the destination is required to disambiguate.');
    expect(ms[0].fix).toMatchObject({ kind: 'setDestinationPort', target: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'route', 0, 'destination'], port: 9080, choices: [9080, 9090] });
    expect(twoPorts('{host: reviews, subset: v1, port: {number: 9090}}')).toEqual([]);
  });
});

describe('IST0101 gateway and delegate', () => {
  const bookinfoVs = (gateways: string) => BOOKINFO.replace('gateways: [bookinfo-gateway]', `gateways: [${gateways}]`);

  it('reports a gateway that does not exist in a namespace that has Gateways', () => {
    const ms = run(bookinfoVs('bookinfo-gw'));
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService default/bookinfo ["spec","gateways",0]']);
    expect(ms[0].message).toBe('Referenced gateway not found: "bookinfo-gw" (no Gateway default/bookinfo-gw).');
    expect(run(bookinfoVs('default/bookinfo-gateway'))).toEqual([]);
    expect(run(bookinfoVs('bookinfo-gateway.default'))).toEqual([]);
  });

  it('calls a gateway of a namespace without Gateways "not in this design"', () => {
    expect(summary(run(bookinfoVs('edge/public')))).toEqual(['Info MC100 VirtualService default/bookinfo ["spec","gateways",0]']);
  });

  it('checks gateways named in matches too', () => {
    const vs = (gw: string) => bookinfoWith({ 'VirtualService/reviews': reviewsVs('{host: reviews, subset: v1}').replace('- route', `- match: [{gateways: [${gw}]}]\n    route`) });
    expect(summary(vs('bookinfo-gw'))).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"match",0,"gateways",0]']);
    expect(vs('mesh')).toEqual([]);
  });

  const root = (delegate: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /api}}]
    delegate: ${delegate}
  - route: [{destination: {host: reviews, subset: v1}}]`;
  const del = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-api}
spec:
  http: [{route: [{destination: {host: reviews, subset: v2}}]}]`;

  it('reports a missing delegate, and one that is not a delegate', () => {
    expect(summary(bookinfoWith({ 'VirtualService/reviews': root('{name: reviews-apj}') }, del))).toEqual(['Error IST0101 VirtualService default/reviews ["spec","http",0,"delegate"]']);
    expect(bookinfoWith({ 'VirtualService/reviews': root('{name: reviews-api}') }, del)).toEqual([]);
    const notDelegate = bookinfoWith({ 'VirtualService/reviews': root('{name: bookinfo}') }, del);
    expect(withCode(notDelegate, 'IST0101')[0].message).toContain('has hosts, so it is not a delegate');
  });
});
