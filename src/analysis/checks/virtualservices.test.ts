/**
 * IST0109, IST0132 and MC104, from istio.io's analyzer pages (IST0109 ConflictingMeshGatewayVirtualServiceHosts,
 * IST0132 VirtualServiceHostNotFoundInGateway), each next to a near-identical design that is fine.
 */
import { describe, expect, it } from 'vitest';
import { BOOKINFO, bookinfo, run, summary, withCode } from '../fixtures/testutil';

const vs = (name: string, hosts: string, extra = '', ns = 'default') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts: ${hosts}
  ${extra}
  http: [{route: [{destination: {host: productpage.default.svc.cluster.local}}]}]`;

describe('IST0109 conflicting mesh VirtualService hosts', () => {
  it('reports two mesh VirtualServices for the same host (short and long name), on both', () => {
    const ms = bookinfo(vs('productpage', '[productpage]'), vs('productpage-2', '[productpage.default.svc.cluster.local]'));
    expect(summary(ms)).toEqual([
      'Error IST0109 VirtualService default/productpage ["spec","hosts",0]',
      'Error IST0109 VirtualService default/productpage-2 ["spec","hosts",0]',
    ]);
    expect(ms[0].message).toBe('The VirtualServices default/productpage,default/productpage-2 associated with mesh gateway define the same host productpage.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.');
    expect(ms[0].related).toEqual(['VirtualService/default/productpage-2']);
  });

  it('is quiet when one of them is bound to a gateway only, or they are exported to disjoint namespaces', () => {
    expect(bookinfo(vs('productpage', '[productpage]'), vs('productpage-2', '[productpage.default.svc.cluster.local]', 'gateways: [bookinfo-gateway]'))).toEqual([]);
    expect(bookinfo(vs('productpage', '[productpage]', 'exportTo: ["."]'), vs('productpage-2', '[productpage.default.svc.cluster.local]', 'exportTo: [other]'))).toEqual([]);
    expect(summary(bookinfo(vs('productpage', '[productpage]', 'exportTo: ["."]'), vs('productpage-2', '[productpage.default.svc.cluster.local]', 'exportTo: [default]')))).toHaveLength(2);
  });
});

describe('MC104 several VirtualServices for one host', () => {
  it('notes a wildcard host that loses a service to a more specific VirtualService', () => {
    const se = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext}\nspec: {hosts: ["*.ext.example", api.ext.example], ports: [{number: 80, name: http, protocol: HTTP}]}';
    const ms = bookinfo(se, vs('wild', '["*.ext.example"]'), vs('api', '[api.ext.example]'));
    expect(summary(ms)).toEqual(['Info MC104 VirtualService default/wild ["spec","hosts",0]']);
    expect(ms[0].message).toContain('does not apply to api.ext.example (VirtualService default/api)');
    expect(withCode(bookinfo(se, vs('wild', '["*.ext.example"]'), vs('api', '[api.other.example]')), 'MC104')).toEqual([]);
  });

  it('notes VirtualServices merged on a gateway for the same host', () => {
    const ms = bookinfo(vs('shop-a', '[shop.example.com]', 'gateways: [bookinfo-gateway]'), vs('shop-b', '[shop.example.com]', 'gateways: [bookinfo-gateway]'));
    expect(summary(ms)).toEqual(['Info MC104 VirtualService default/shop-a ["spec","hosts",0]', 'Info MC104 VirtualService default/shop-b ["spec","hosts",0]']);
    expect(ms[0].message).toMatch(/^Gateway default\/bookinfo-gateway merges the rules of VirtualServices default\/shop-a, default\/shop-b for host shop\.example\.com/);
    expect(bookinfo(vs('shop-a', '[shop.example.com]', 'gateways: [bookinfo-gateway]'), vs('shop-b', '[blog.example.com]', 'gateways: [bookinfo-gateway]'))).toEqual([]);
  });
});

describe('IST0132 VirtualService host not found in Gateway', () => {
  const gw = (hosts: string) => BOOKINFO.replace('hosts: ["*"]\n---', `hosts: ${hosts}\n---`);
  const bound = (hosts: string) => vs('shop', hosts, 'gateways: [bookinfo-gateway]');

  it('reports a VirtualService none of whose hosts the Gateway serves', () => {
    const ms = run([gw('[bookinfo.example.com]'), bound('[shop.example.com]')]).filter((m) => m.key === 'VirtualService/default/shop');
    expect(summary(ms)).toEqual(['Warning IST0132 VirtualService default/shop ["spec","gateways",0]']);
    expect(ms[0].message).toBe('one or more host [shop.example.com] defined in VirtualService default/shop not found in Gateway default/bookinfo-gateway.');
    expect(run([gw('[bookinfo.example.com]'), bound('[bookinfo.example.com]')]).filter((m) => m.key === 'VirtualService/default/shop')).toEqual([]);
    expect(run([gw('["*.example.com"]'), bound('[shop.example.com]')]).filter((m) => m.key === 'VirtualService/default/shop')).toEqual([]);
  });

  it('respects the namespace part of server hosts', () => {
    const other = (ns: string) => run([gw(`["${ns}/shop.example.com"]`), bound('[shop.example.com]')]).filter((m) => m.key === 'VirtualService/default/shop');
    expect(other('prod')[0].message).toContain('server host prod/shop.example.com only admits VirtualServices of namespace prod');
    expect(other('default')).toEqual([]);
    expect(other('.')).toEqual([]);
  });

  it('explains that a short VirtualService host names a service', () => {
    const ms = run([gw('[shop]'), bound('[shop]')]).filter((m) => m.code === 'IST0132');
    expect(ms[0].message).toContain('shop → shop.default.svc.cluster.local');
  });
});
