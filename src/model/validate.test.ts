import { describe, expect, it } from 'vitest';
import { parseDesign } from './parse';
import { validateResource } from './validate';
import { isKnownKind, keyKind } from './kinds';
import { buildModel } from './model';

/** The one resource of a small YAML text, parsed without validation. */
const one = (text: string) => parseDesign(text, { validate: false }).model.resources[0];

describe('validateResource', () => {
  it('a valid object has no errors', () => {
    expect(validateResource(one('apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec: {host: r, subsets: [{name: v1, labels: {version: v1}}]}'))).toEqual([]);
  });

  it('reports type, enum and required errors with field paths', () => {
    const r = one('apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n  - port: {number: http, protocol: HTTP}\n    hosts: ["*"]\n    tls: {mode: OPEN}\n');
    expect(validateResource(r)).toEqual([
      { path: ['spec', 'servers', 0, 'port'], message: 'spec.servers.0.port is missing required field "name"' },
      { path: ['spec', 'servers', 0, 'port', 'number'], message: 'spec.servers.0.port.number must be integer' },
      { path: ['spec', 'servers', 0, 'tls', 'mode'], message: 'spec.servers.0.tls.mode must be one of "PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"' },
    ]);
    expect(validateResource(one('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}'))).toEqual([
      { path: ['spec'], message: 'spec is missing required field "selector"' },
      { path: ['spec'], message: 'spec is missing required field "template"' },
    ]);
  });

  it('validates each API version with its own schema', () => {
    const pa = (v: string) => one(`apiVersion: security.istio.io/${v}\nkind: PeerAuthentication\nmetadata: {name: p}\nspec: {mtls: {mode: STRICT}}`);
    expect(validateResource(pa('v1'))).toEqual([]);
    expect(validateResource(pa('v1beta1'))).toEqual([]);
  });

  it('kinds or versions without a schema are not validated', () => {
    expect(validateResource(one('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: huge}'))).toEqual([]);
    expect(validateResource(one('apiVersion: security.istio.io/v1alpha1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec: {mtls: {mode: 5}}'))).toEqual([]);
  });
});

describe('kinds', () => {
  it('isKnownKind: the kind must be paired with one of its API versions', () => {
    expect(isKnownKind('networking.istio.io/v1alpha3', 'VirtualService')).toBe(true);
    expect(isKnownKind('networking.istio.io/v1beta2', 'VirtualService')).toBe(false);
    expect(isKnownKind('security.istio.io/v1', 'PeerAuthentication')).toBe(true);
    expect(isKnownKind('networking.istio.io/v1', 'PeerAuthentication')).toBe(false);
    expect(isKnownKind('apps/v1', 'Deployment')).toBe(true);
    expect(isKnownKind('v1', 'Deployment')).toBe(false);
  });

  it('kind names of Object.prototype members are just unknown kinds', () => {
    for (const kind of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(isKnownKind('v1', kind)).toBe(false);
      expect(keyKind('v1', kind)).toBe(kind);
    }
  });

  it('keyKind qualifies only kind names that collide with ours', () => {
    expect(keyKind('networking.istio.io/v1', 'Gateway')).toBe('Gateway');
    expect(keyKind('gateway.networking.k8s.io/v1', 'Gateway')).toBe('Gateway.gateway.networking.k8s.io');
    expect(keyKind('v2', 'Service')).toBe('Service.core');
    expect(keyKind('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe('HTTPRoute');
  });
});

describe('buildModel', () => {
  it('indexes by key and kind; unknown kinds only by key', () => {
    const r = parseDesign('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v2\nkind: Service\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n', { validate: false });
    const m = buildModel(r.model.resources);
    expect(m.ofKind('Service').map((s) => s.name)).toEqual(['a', 'c']);
    expect(m.ofKind('Pod')).toEqual([]);
    expect([...m.byKey.keys()]).toEqual(['Service/default/a', 'Service.core/default/b', 'Service/default/c']);
  });
});
