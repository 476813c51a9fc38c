/**
 * Gateways: IST0101 (selector; VirtualService not exported to the gateway pods), IST0162, IST0145 (istio.io pages
 * GatewayPortNotDefinedOnService, ConflictingGateways), MC107 — each next to a near-identical design that is fine.
 */
import { describe, expect, it } from 'vitest';
import { BOOKINFO, bookinfo, run, summary, withCode } from '../fixtures/testutil';

const gw = (name: string, selector: string, servers: string, ns = 'default') => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: ${selector}
  servers: ${servers}`;
const http = (port: number, hosts: string, protocol = 'HTTP') => `{port: {number: ${port}, name: p${port}, protocol: ${protocol}}, hosts: ${hosts}}`;

const ingress = `
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template: {metadata: {labels: {istio: ingressgateway, app: istio-ingressgateway}}, spec: {containers: [{name: istio-proxy, image: proxyv2}]}}`;

describe('IST0101 gateway selector', () => {
  it('reports a selector no workload of the design has, in a design that has gateway workloads', () => {
    const ms = bookinfo(ingress, gw('edge', '{istio: edge-gateway}', `[${http(80, '[edge.example.com]')}]`));
    expect(summary(ms)).toEqual(['Error IST0101 Gateway default/edge ["spec","selector"]']);
    expect(ms[0].message).toMatch(/^Referenced selector not found: "istio=edge-gateway"/);
    expect(bookinfo(ingress, gw('edge', '{istio: ingressgateway}', `[${http(80, '[edge.example.com]')}]`))).toEqual([]);
  });

  it('calls the pods "not in this design" when the design has no gateway workloads (they come with Istio)', () => {
    expect(summary(bookinfo(gw('edge', '{istio: edge-gateway}', `[${http(80, '[edge.example.com]')}]`)))).toEqual(['Info MC100 Gateway default/edge ["spec","selector"]']);
    // The gateways Istio installs are assumed, as the engine does.
    expect(bookinfo(gw('edge', '{istio: egressgateway}', `[${http(80, '[edge.example.com]')}]`))).toEqual([]);
  });
});

describe('IST0162 gateway port not on the gateway Service', () => {
  it('reports a server port that is neither a port nor a targetPort of the gateway Service', () => {
    const ms = bookinfo(ingress, gw('edge', '{istio: ingressgateway}', `[${http(9000, '[edge.example.com]')}]`));
    expect(summary(ms)).toEqual(['Warning IST0162 Gateway default/edge ["spec","servers",0,"port","number"]']);
    expect(ms[0].message).toBe('The gateway is listening on a target port (port 9000) that is not defined in the Service associated with its workload instances (Pod selector istio=ingressgateway). If you need to access the gateway port through the gateway Service, it will not be available.');
    expect(ms[0].related).toEqual(['Service/istio-system/istio-ingressgateway']);
  });

  it('accepts the Service port (translated to its targetPort) and the targetPort itself', () => {
    expect(bookinfo(ingress, gw('edge', '{istio: ingressgateway}', `[${http(80, '[edge.example.com]')}, ${http(8443, '[edge.example.com]', 'HTTPS')}]`))).toEqual([]);
  });

  it('uses the gateway Service Istio installs when the design has none', () => {
    expect(summary(bookinfo(gw('edge', '{istio: ingressgateway}', `[${http(9000, '[edge.example.com]')}]`)))).toEqual(['Warning IST0162 Gateway default/edge ["spec","servers",0,"port","number"]']);
  });
});

describe('IST0145 conflicting gateways, MC107 protocol conflicts', () => {
  it('reports two Gateways on the same pods with the same port and host, on both', () => {
    const ms = bookinfo(gw('a', '{istio: ingressgateway}', `[${http(80, '[shop.example.com]')}]`), gw('b', '{istio: ingressgateway}', `[${http(80, '[shop.example.com, blog.example.com]')}]`));
    expect(summary(ms)).toEqual(['Error IST0145 Gateway default/a ["spec","servers",0]', 'Error IST0145 Gateway default/b ["spec","servers",0]']);
    expect(ms[0].message).toBe('Conflict with gateways default/b (workload selector istio=ingressgateway, port 80, hosts shop.example.com).');
    expect(bookinfo(gw('a', '{istio: ingressgateway}', `[${http(80, '[shop.example.com]')}]`), gw('b', '{istio: ingressgateway}', `[${http(80, '[blog.example.com]')}]`))).toEqual([]);
    expect(bookinfo(gw('a', '{istio: ingressgateway}', `[${http(80, '[shop.example.com]')}]`), gw('b', '{istio: ingressgateway}', `[${http(443, '[shop.example.com]', 'HTTPS')}]`))).toEqual([]);
  });

  it('conflicts only on shared pods', () => {
    const egress = gw('b', '{istio: egressgateway}', `[${http(80, '[shop.example.com]')}]`);
    expect(withCode(bookinfo(gw('a', '{istio: ingressgateway}', `[${http(80, '[shop.example.com]')}]`), egress), 'IST0145')).toEqual([]);
  });

  it('MC107: servers of different protocols on one listener port; the later Gateway\'s server is dropped', () => {
    const ms = bookinfo(gw('a', '{istio: ingressgateway}', `[${http(8080, '[shop.example.com]')}]`), gw('b', '{istio: ingressgateway}', `[${http(8080, '[db.example.com]', 'TCP')}]`));
    expect(summary(ms)).toEqual(['Warning MC107 Gateway default/b ["spec","servers",0,"port","protocol"]']);
    // Port 80 of the gateway Service listens on 8080: the same listener as the bookinfo-gateway's 8080.
    const translated = bookinfo(gw('tcp-db', '{istio: ingressgateway}', `[${http(80, '[db.example.com]', 'TCP')}]`));
    expect(summary(translated)).toEqual(['Warning MC107 Gateway default/tcp-db ["spec","servers",0,"port","protocol"]']);
    expect(translated[0].message).toContain('Port 80 (listener 8080) is already a HTTP listener from Gateway default/bookinfo-gateway');
    expect(bookinfo(gw('b', '{istio: ingressgateway}', `[${http(8080, '[db.example.com]')}]`))).toEqual([]);
  });
});

describe('IST0101 VirtualService not exported to the gateway pods', () => {
  const exported = (exportTo: string) => run(BOOKINFO.replace('gateways: [bookinfo-gateway]', `gateways: [bookinfo-gateway]\n  exportTo: ${exportTo}`));
  it('reports a gateway VirtualService exported only to its own namespace', () => {
    const ms = exported('["."]');
    expect(summary(ms)).toEqual(['Error IST0101 VirtualService default/bookinfo ["spec","exportTo"]']);
    expect(ms[0].message).toContain('runs in namespace istio-system');
    expect(exported('[".", istio-system]')).toEqual([]);
    expect(exported('["*"]')).toEqual([]);
  });
});
