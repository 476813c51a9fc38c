import { describe, expect, it } from 'vitest';
import { expandHost, gatewayRef, hostCovers, hostsIntersect, parseServiceFqdn, selectorMatches, serviceFqdn } from './hosts';

describe('expandHost (istio-semantics §2.1)', () => {
  it('a name without a dot gets the namespace of the resource that contains it', () => {
    expect(expandHost('reviews', 'foo')).toBe('reviews.foo.svc.cluster.local');
    expect(expandHost('Reviews', 'default')).toBe('reviews.default.svc.cluster.local');
  });

  it('anything with a dot is literal, even when it looks like a short form', () => {
    expect(expandHost('reviews.default', 'foo')).toBe('reviews.default');
    expect(expandHost('reviews.default.svc.cluster.local', 'foo')).toBe('reviews.default.svc.cluster.local');
    expect(expandHost('API.Example.COM', 'foo')).toBe('api.example.com');
  });

  it('`*`, wildcards and IP addresses are left alone', () => {
    expect(expandHost('*', 'foo')).toBe('*');
    expect(expandHost('*.example.com', 'foo')).toBe('*.example.com');
    expect(expandHost('10.0.0.1', 'foo')).toBe('10.0.0.1');
    expect(expandHost('2001:db8::1', 'foo')).toBe('2001:db8::1');
    expect(expandHost('::1', 'foo')).toBe('::1');
  });

  it('serviceFqdn', () => {
    expect(serviceFqdn('ratings', 'bookinfo')).toBe('ratings.bookinfo.svc.cluster.local');
  });
});

describe('wildcards (istio-semantics §2.2)', () => {
  it('`*.foo.com` covers a.foo.com and a.b.foo.com but not foo.com', () => {
    expect(hostCovers('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostCovers('*.foo.com', 'a.b.foo.com')).toBe(true);
    expect(hostCovers('*.foo.com', 'foo.com')).toBe(false);
    expect(hostCovers('*.foo.com', 'xfoo.com')).toBe(false);
    expect(hostCovers('*.foo.com', 'a.foo.com.evil')).toBe(false);
  });

  it('`*` covers everything; an exact pattern covers only itself', () => {
    expect(hostCovers('*', 'anything.at.all')).toBe(true);
    expect(hostCovers('*', '*.foo.com')).toBe(true);
    expect(hostCovers('a.foo.com', 'a.foo.com')).toBe(true);
    expect(hostCovers('a.foo.com', 'b.foo.com')).toBe(false);
    expect(hostCovers('a.foo.com', '*.foo.com')).toBe(false);
  });

  it('hostsIntersect is symmetric and handles wildcards on both sides', () => {
    const pairs: [string, string, boolean][] = [
      ['*.foo.com', 'a.foo.com', true],
      ['*.foo.com', '*.a.foo.com', true],
      ['*.foo.com', '*.bar.com', false],
      ['*.foo.com', 'foo.com', false],
      ['a.com', 'b.com', false],
      ['*', 'x', true],
    ];
    for (const [a, b, want] of pairs) {
      expect([hostsIntersect(a, b), hostsIntersect(b, a)]).toEqual([want, want]);
    }
  });
});

describe('parseServiceFqdn', () => {
  it('splits name.namespace.svc.cluster.local', () => {
    expect(parseServiceFqdn('reviews.bookinfo.svc.cluster.local')).toEqual({ name: 'reviews', namespace: 'bookinfo' });
  });
  it('is undefined for anything else', () => {
    for (const h of ['reviews', 'reviews.bookinfo', 'api.example.com', '*.bookinfo.svc.cluster.local', 'a.b.c.svc.cluster.local', 'svc.cluster.local']) {
      expect(parseServiceFqdn(h)).toBeUndefined();
    }
  });
});

describe('gatewayRef (istio-semantics §2.1)', () => {
  it('resolves the four spellings', () => {
    expect(gatewayRef('mesh', 'foo')).toBe('mesh');
    expect(gatewayRef('my-gateway', 'foo')).toBe('foo/my-gateway');
    expect(gatewayRef('istio-system/my-gateway', 'foo')).toBe('istio-system/my-gateway');
    expect(gatewayRef('my-gateway.istio-system', 'foo')).toBe('istio-system/my-gateway');
    expect(gatewayRef('my-gateway.istio-system.svc.cluster.local', 'foo')).toBe('istio-system/my-gateway');
  });
});

describe('selectorMatches', () => {
  it('every selector label must be present with the same value', () => {
    expect(selectorMatches({ app: 'reviews' }, { app: 'reviews', version: 'v2' })).toBe(true);
    expect(selectorMatches({ app: 'reviews', version: 'v1' }, { app: 'reviews', version: 'v2' })).toBe(false);
    expect(selectorMatches({ app: 'reviews' }, {})).toBe(false);
    expect(selectorMatches({ app: 'reviews' }, undefined)).toBe(false);
  });
  it('an empty or absent selector matches everything', () => {
    expect(selectorMatches({}, { app: 'x' })).toBe(true);
    expect(selectorMatches(undefined, undefined)).toBe(true);
  });
});
