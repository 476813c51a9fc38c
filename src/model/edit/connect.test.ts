import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis';
import { compileMesh, trace } from '../../engine';
import type { RequestInput } from '../../engine/types';
import { parseDesign } from '../parse';
import { resourceKey as rk } from '../resource';
import type { Command } from './commands';
import { runCommand } from './testkit';

const GW = rk('Gateway', 'default', 'web-gateway');
const SE = rk('ServiceEntry', 'default', 'payment-api');
const svc = (name: string, subset?: string) => ({ kind: 'service' as const, host: `${name}.default.svc.cluster.local`, subset });
const client = (name: string) => ({ kind: 'workload' as const, namespace: 'default', name, labels: { app: name } });

/** Run commands one after the other, each checked by the edit testkit (intended model, clean YAML). */
function build(...commands: Command[]): string {
  return commands.reduce((text, c) => runCommand(text, c).text, '');
}
const errorsOf = (text: string) => analyze(parseDesign(text).model).filter((m) => m.level === 'Error').map((m) => `${m.code} ${m.message}`);
function send(text: string, input: RequestInput) {
  const t = trace(compileMesh(parseDesign(text, { validate: false }).model), input);
  return { status: t.status, to: t.destination ? `${t.destination.service.split('.')[0]}${t.destination.subset ? ' ' + t.destination.subset : ''}` : t.responseFrom };
}
const fromInternet = (path: string, authority = 'shop.example.com'): RequestInput => ({ source: { gateway: 'istio-system/istio-ingressgateway' }, request: { authority, path } });

const base: Command[] = [
  { type: 'addGateway', gateway: 'ingress', name: 'web-gateway', hosts: ['shop.example.com'] },
  { type: 'addService', name: 'shop', versions: ['v1', 'v2'], subsets: true },
];

describe('addService with subsets: the Service, a Deployment per version and a DestinationRule subset per version', () => {
  it('creates the four resources and describes them', () => {
    const run = runCommand('', base[1]);
    expect(run.description).toBe('Add service default/shop (Service, Deployment shop-v1, Deployment shop-v2, DestinationRule with subsets v1, v2)');
    expect(run.after.model.resources.map((r) => r.key)).toEqual(['Service/default/shop', 'Deployment/default/shop-v1', 'Deployment/default/shop-v2', 'DestinationRule/default/shop']);
    expect(errorsOf(run.text)).toEqual([]);
  });
});

describe('connect gateway → service: a VirtualService bound to the gateway', () => {
  it('creates one for the gateway hosts; the gateway then routes to the service', () => {
    const text = build(...base, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop') });
    const vs = parseDesign(text).model.byKey.get(rk('VirtualService', 'default', 'shop'))!;
    expect(vs.spec).toEqual({ hosts: ['shop.example.com'], gateways: ['web-gateway'], http: [{ route: [{ destination: { host: 'shop' } }] }] });
    expect(errorsOf(text)).toEqual([]);
    expect(send(text, fromInternet('/')).to).toBe('shop');
  });

  it('connecting to a second subset turns the route into an even split (a canary starts at 50/50)', () => {
    const text = build(...base, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop', 'v1') }, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop', 'v2') });
    const vs = parseDesign(text).model.byKey.get(rk('VirtualService', 'default', 'shop'))!;
    expect(vs.spec.http).toEqual([{ route: [{ destination: { host: 'shop', subset: 'v1' }, weight: 50 }, { destination: { host: 'shop', subset: 'v2' }, weight: 50 }] }]);
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses a destination the rule already has', () => {
    const text = build(...base, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop', 'v1') });
    expect(() => runCommand(text, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop', 'v1') })).toThrow('already routes to shop v1');
  });

  it('a second service behind the same gateway gets its own path prefix, before the catch-all', () => {
    const text = build(...base, { type: 'addService', name: 'cart' }, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop') }, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('cart') });
    expect(parseDesign(text).model.byKey.get(rk('VirtualService', 'default', 'shop'))!.spec.http).toEqual([
      { match: [{ uri: { prefix: '/cart' } }], route: [{ destination: { host: 'cart' } }] },
      { route: [{ destination: { host: 'shop' } }] },
    ]);
    expect(send(text, fromInternet('/cart/items')).to).toBe('cart');
    expect(send(text, fromInternet('/')).to).toBe('shop');
  });
});

describe('connect workload → service: a rule matching the caller by sourceLabels', () => {
  it('creates the host VirtualService with the caller rule first and a default route for everyone else', () => {
    const text = build(...base, { type: 'addClient', name: 'tester' }, { type: 'connect', from: client('tester'), to: svc('shop', 'v2') });
    const vs = parseDesign(text).model.byKey.get(rk('VirtualService', 'default', 'shop'))!;
    expect(vs.spec).toEqual({ hosts: ['shop'], http: [{ match: [{ sourceLabels: { app: 'tester' } }], route: [{ destination: { host: 'shop', subset: 'v2' } }] }, { route: [{ destination: { host: 'shop' } }] }] });
    expect(errorsOf(text)).toEqual([]);
    const req = { authority: 'shop', path: '/' };
    expect(send(text, { source: { workload: 'tester', namespace: 'default' }, request: req }).to).toBe('shop v2');
    expect(send(text, { source: { workload: 'shop-v1', namespace: 'default' }, request: req }).status).toBe(200);
  });

  it('a second caller joins the same mesh VirtualService as its first rule; the gateway-bound one is not used', () => {
    const text = build(...base, { type: 'addClient', name: 'tester' }, { type: 'addClient', name: 'probe' }, { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: svc('shop', 'v1') }, { type: 'connect', from: client('tester'), to: svc('shop', 'v2') });
    const after = runCommand(text, { type: 'connect', from: client('probe'), to: svc('shop', 'v1') });
    expect(after.description).toBe('Route requests from probe to shop v1 (first rule of VirtualService default/shop-2)');
    expect((after.after.model.byKey.get(rk('VirtualService', 'default', 'shop-2'))!.spec.http as { match?: { sourceLabels?: object }[] }[]).map((r) => r.match?.[0]?.sourceLabels ?? '*')).toEqual([{ app: 'probe' }, { app: 'tester' }, '*']);
    expect(errorsOf(after.text)).toEqual([]);
  });
});

describe('connect → external service: the egress gateway pattern', () => {
  const external: Command = { type: 'addServiceEntry', name: 'payment-api', hosts: ['api.payments.example'] };

  it('creates the egress Gateway, its DestinationRule subset and the two-route VirtualService; the request leaves through the gateway', () => {
    const run = runCommand(build(external, { type: 'addClient', name: 'checkout' }), { type: 'connect', from: client('checkout'), to: { kind: 'external', entry: SE } });
    expect(run.description).toBe(
      'Route checkout to api.payments.example through the egress gateway (VirtualService default/payment-api-through-egress-gateway, Gateway default/istio-egressgateway, DestinationRule default/egressgateway-for-payment-api)',
    );
    const m = run.after.model;
    expect(m.byKey.get(rk('Gateway', 'default', 'istio-egressgateway'))!.spec).toEqual({ selector: { istio: 'egressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.payments.example'] }] });
    expect(m.byKey.get(rk('VirtualService', 'default', 'payment-api-through-egress-gateway'))!.spec.http).toEqual([
      { match: [{ gateways: ['mesh'], port: 80, sourceLabels: { app: 'checkout' } }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'payment-api', port: { number: 80 } } }] },
      { match: [{ gateways: ['istio-egressgateway'], port: 80 }], route: [{ destination: { host: 'api.payments.example', port: { number: 80 } } }] },
    ]);
    expect(errorsOf(run.text)).toEqual([]);
    const t = trace(compileMesh(parseDesign(run.text, { validate: false }).model), { source: { workload: 'checkout', namespace: 'default' }, request: { authority: 'api.payments.example', path: '/pay' } });
    expect(t.hops.map((h) => h.proxy)).toEqual([expect.stringContaining('checkout'), expect.stringContaining('gateway')]);
    expect(t.status).toBe(200);
  });

  it('with TLS origination: port 443 on the entry and a SIMPLE TLS DestinationRule for the external host', () => {
    const run = runCommand(build(external, { type: 'addClient', name: 'checkout' }), { type: 'connect', from: client('checkout'), to: { kind: 'external', entry: SE }, egress: { tlsOrigination: true } });
    const m = run.after.model;
    expect(m.byKey.get(SE)!.spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }]);
    expect(m.byKey.get(rk('DestinationRule', 'default', 'originate-tls-for-payment-api'))!.spec).toEqual({ host: 'api.payments.example', trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'api.payments.example' } }] } });
    expect((m.byKey.get(rk('VirtualService', 'default', 'payment-api-through-egress-gateway'))!.spec.http as { route: unknown[] }[])[1].route).toEqual([{ destination: { host: 'api.payments.example', port: { number: 443 } } }]);
    expect(errorsOf(run.text)).toEqual([]);
  });

  it('reuses an egress gateway of the design, adding the host to its server', () => {
    const text = build(external, { type: 'addGateway', gateway: 'egress', name: 'egress', hosts: ['other.example'] }, { type: 'addClient', name: 'checkout' });
    const run = runCommand(text, { type: 'connect', from: client('checkout'), to: { kind: 'external', entry: SE } });
    expect((run.after.model.byKey.get(rk('Gateway', 'default', 'egress'))!.spec.servers as { hosts: string[] }[])[0].hosts).toEqual(['other.example', 'api.payments.example']);
    expect(run.after.model.ofKind('Gateway')).toHaveLength(1);
  });
});

describe('connections that make no sense are refused with the reason', () => {
  const text = build(...base, { type: 'addServiceEntry', name: 'payment-api', hosts: ['api.payments.example'] });
  it.each([
    ['into a gateway', { type: 'connect', from: client('x'), to: { kind: 'gateway', gateway: GW } }, 'Traffic enters a gateway from outside'],
    ['ingress gateway → external', { type: 'connect', from: { kind: 'gateway', gateway: GW }, to: { kind: 'external', entry: SE } }, 'is an ingress gateway'],
    ['from an external service', { type: 'connect', from: { kind: 'external', entry: SE }, to: svc('shop') }, 'outside the mesh'],
  ] as [string, Command, string][])('%s', (_, command, message) => {
    expect(() => runCommand(text, command)).toThrow(message);
  });
});
