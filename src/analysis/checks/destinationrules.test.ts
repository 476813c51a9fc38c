/**
 * IST0174, IST0173 (istio.io analyzer pages UnknownDestinationRuleHost / DestinationRuleSubsetNotSelectPods), MC102,
 * MC103, each next to a near-identical design that is fine.
 */
import { describe, expect, it } from 'vitest';
import { bookinfo, bookinfoWith, run, summary, withCode } from '../fixtures/testutil';

const dr = (name: string, host: string, subsets = '[]', ns = 'default', extra = '') => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${ns}${extra}}
spec: {host: ${host}, subsets: ${subsets}}`;

describe('IST0174 unknown DestinationRule host', () => {
  it('reports a host that is no Service when the namespace has Services in the design', () => {
    const ms = bookinfo(dr('fake-host', 'reviewz'));
    expect(summary(ms)).toEqual(['Warning IST0174 DestinationRule default/fake-host ["spec","host"]']);
    expect(ms[0].message).toBe('The host reviewz.default.svc.cluster.local defined in the DestinationRule does not match any services in the mesh.');
    expect(ms[0].name).toBe('UnknownDestinationRuleHost');
    expect(bookinfo(dr('real-host', 'reviews.default.svc.cluster.local'))).toEqual([]);
  });

  it('calls it "not in this design" when the design has no Services there', () => {
    expect(summary(bookinfo(dr('remote', 'cart.shop.svc.cluster.local')))).toEqual(['Info MC100 DestinationRule default/remote ["spec","host"]']);
  });

  it('knows ServiceEntry hosts (wildcards included) and the built-in gateways', () => {
    const se = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext}\nspec: {hosts: ["*.wikipedia.org"], ports: [{number: 443, name: tls, protocol: TLS}], resolution: NONE}';
    expect(bookinfo(se, dr('wiki', 'en.wikipedia.org'))).toEqual([]);
    expect(summary(bookinfo(se, dr('wiki', 'en.wikipedia.com')))).toEqual(['Warning IST0174 DestinationRule default/wiki ["spec","host"]']);
    expect(bookinfo(dr('egress', 'istio-egressgateway.istio-system.svc.cluster.local', '[{name: cnn}]'))).toEqual([]);
  });
});

describe('IST0173 subset selecting no pods', () => {
  it('reports a subset whose labels match none of the service\'s pods', () => {
    const ms = bookinfoWith({ 'DestinationRule/reviews': dr('reviews', 'reviews', '[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: v4, labels: {version: v4}}]') });
    expect(summary(ms)).toEqual(['Error IST0173 DestinationRule default/reviews ["spec","subsets",2,"labels"]']);
    expect(ms[0].message).toBe('The Subset v4 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream). (no endpoint of reviews.default.svc.cluster.local has version=v4)');
    expect(ms[0].related).toEqual(['Service/default/reviews']);
    expect(bookinfoWith({ 'DestinationRule/reviews': dr('reviews', 'reviews', '[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: v3, labels: {version: v3}}]') })).toEqual([]);
  });

  it('uses the pods of the service only (labels of other apps do not count)', () => {
    const ms = bookinfoWith({ 'DestinationRule/details': dr('details', 'details', '[{name: v3, labels: {version: v3}}]') });
    expect(summary(ms)).toEqual(['Error IST0173 DestinationRule default/details ["spec","subsets",0,"labels"]']);
  });

  it('counts a Deployment scaled to 0 as no pods', () => {
    const scaled = bookinfoWith({}, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v3}\nspec: {replicas: 0, selector: {matchLabels: {app: reviews, version: v3}}, template: {metadata: {labels: {app: reviews, version: v3}}, spec: {containers: [{name: reviews, image: r}]}}}');
    expect(summary(scaled)).toEqual(['Error IST0173 DestinationRule default/reviews ["spec","subsets",2,"labels"]']);
  });

  it('does not guess when the service\'s pods are not in the design', () => {
    const ms = run([dr('cart', 'cart', '[{name: v1, labels: {version: v1}}]', 'shop'), 'apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {selector: {app: cart}, ports: [{port: 80, name: http}]}']);
    expect(summary(ms)).toEqual(['Info MC100 DestinationRule shop/cart ["spec","subsets"]']);
  });

  it('checks ServiceEntry endpoints\' labels', () => {
    const se = (labels: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: db}\nspec: {hosts: [db.example.internal], location: MESH_INTERNAL, resolution: STATIC, ports: [{number: 5432, name: tcp, protocol: TCP}], endpoints: [{address: 10.0.0.5, labels: ${labels}}]}`;
    const rule = dr('db', 'db.example.internal', '[{name: primary, labels: {role: primary}}]');
    expect(summary(bookinfo(se('{role: replica}'), rule))).toEqual(['Error IST0173 DestinationRule default/db ["spec","subsets",0,"labels"]']);
    expect(bookinfo(se('{role: primary}'), rule)).toEqual([]);
  });
});

describe('MC102 duplicate subsets, MC103 subsets without labels', () => {
  it('warns when a second DestinationRule in the namespace redefines a subset (merged: the first wins)', () => {
    const ms = bookinfo(dr('reviews-canary', 'reviews', '[{name: v2, labels: {version: v2}}]', 'default', ', creationTimestamp: "2030-01-01T00:00:00Z"'));
    expect(summary(ms)).toEqual(['Warning MC102 DestinationRule default/reviews-canary ["spec","subsets",0,"name"]']);
    expect(ms[0].message).toContain('already defined in DestinationRule default/reviews');
    expect(bookinfo(dr('reviews-canary', 'reviews', '[{name: canary, labels: {version: v2}}]'))).toEqual([]);
  });

  it('is Info across namespaces, and catches a duplicate inside one rule', () => {
    expect(summary(bookinfo(dr('reviews', 'reviews.default.svc.cluster.local', '[{name: v1, labels: {version: v1}}]', 'frontend')))).toEqual(['Info MC102 DestinationRule frontend/reviews ["spec","subsets",0,"name"]']);
    const inner = bookinfoWith({ 'DestinationRule/ratings': dr('ratings', 'ratings', '[{name: v1, labels: {version: v1}}, {name: v1, labels: {app: ratings}}]') });
    expect(summary(inner)).toEqual(['Warning MC102 DestinationRule default/ratings ["spec","subsets",1,"name"]']);
  });

  it('notes a subset without labels (and without a policy of its own)', () => {
    expect(summary(bookinfoWith({ 'DestinationRule/ratings': dr('ratings', 'ratings', '[{name: all}]') }))).toEqual(['Info MC103 DestinationRule default/ratings ["spec","subsets",0]']);
    expect(withCode(bookinfoWith({ 'DestinationRule/ratings': dr('ratings', 'ratings', '[{name: all, labels: {app: ratings}}]') }), 'MC103')).toEqual([]);
    expect(withCode(bookinfoWith({ 'DestinationRule/ratings': dr('ratings', 'ratings', '[{name: all, trafficPolicy: {loadBalancer: {simple: RANDOM}}}]') }), 'MC103')).toEqual([]);
  });

  it('does not flag the egress-gateway pattern (label-less subsets of a gateway Service)', () => {
    expect(bookinfo(dr('egressgateway-for-cnn', 'istio-egressgateway.istio-system.svc.cluster.local', '[{name: cnn}]'))).toEqual([]);
  });
});
