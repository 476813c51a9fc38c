import { describe, expect, it } from 'vitest';
import { DomainIndex, exportGroup, hostMatches, hostSubsetOf, isExportedTo, resolveShortName, stripPort } from './hosts';

describe('host names', () => {
  it('a short name expands with the namespace of the resource that contains it', () => {
    expect(resolveShortName('reviews', 'foo')).toBe('reviews.foo.svc.cluster.local');
  });

  it('a name with a dot, *, and IPs are kept literally (lower-cased)', () => {
    expect(resolveShortName('reviews.default', 'foo')).toBe('reviews.default');
    expect(resolveShortName('*', 'foo')).toBe('*');
    expect(resolveShortName('10.0.0.1', 'foo')).toBe('10.0.0.1');
    expect(resolveShortName('Reviews.Default.svc.cluster.local', 'x')).toBe('reviews.default.svc.cluster.local');
  });

  it('a wildcard host covers deeper names but not its own suffix', () => {
    expect(hostMatches('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'a.b.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(hostMatches('*', 'anything.at.all')).toBe(true);
    expect(hostMatches('a.foo.com', 'b.foo.com')).toBe(false);
  });

  it('SubsetOf is directional', () => {
    expect(hostSubsetOf('a.foo.com', '*.foo.com')).toBe(true);
    expect(hostSubsetOf('*.foo.com', 'a.foo.com')).toBe(false);
    expect(hostSubsetOf('*.a.foo.com', '*.foo.com')).toBe(true);
  });

  it('stripPort removes the port of a Host header', () => {
    expect(stripPort('reviews:9080')).toBe('reviews');
    expect(stripPort('reviews')).toBe('reviews');
    expect(stripPort('[::1]:80')).toBe('[::1]');
  });
});

describe('Envoy virtual host domain lookup', () => {
  const idx = new DomainIndex<string>();
  idx.add('a.foo.com', 'exact');
  idx.add('*.foo.com', 'suffix');
  idx.add('*.b.foo.com', 'longer-suffix');
  idx.add('a.*', 'prefix');
  idx.add('*', 'star');

  it('exact beats wildcards', () => expect(idx.lookup('a.foo.com')).toBe('exact'));
  it('the longest suffix wildcard wins', () => expect(idx.lookup('x.b.foo.com')).toBe('longer-suffix'));
  it('suffix wildcards beat prefix wildcards', () => expect(idx.lookup('x.foo.com')).toBe('suffix'));
  it('prefix wildcards beat *', () => expect(idx.lookup('a.bar')).toBe('prefix'));
  it('* catches the rest', () => expect(idx.lookup('other')).toBe('star'));
  it('a wildcard must match at least one character', () => {
    const i = new DomainIndex<string>();
    i.add('*.foo.com', 'w');
    expect(i.lookup('.foo.com')).toBeUndefined();
    expect(i.lookup('foo.com')).toBeUndefined();
  });
  it('duplicate domains are refused (Istio drops them, Envoy would reject the table)', () => {
    const i = new DomainIndex<string>();
    expect(i.add('x', '1')).toBe(true);
    expect(i.add('X', '2')).toBe(false);
    expect(i.lookup('x')).toBe('1');
  });
});

describe('exportTo', () => {
  it('empty exportTo exports everywhere', () => expect(isExportedTo(undefined, 'a', 'b')).toBe(true));
  it('"." exports only to the own namespace', () => {
    expect(isExportedTo(['.'], 'a', 'a')).toBe(true);
    expect(isExportedTo(['.'], 'a', 'b')).toBe(false);
  });
  it('"*" exports everywhere and names export to those namespaces', () => {
    expect(isExportedTo(['*'], 'a', 'z')).toBe(true);
    expect(isExportedTo(['b', 'c'], 'a', 'c')).toBe(true);
    expect(isExportedTo(['b', 'c'], 'a', 'd')).toBe(false);
  });
  it('private resources order before exported-by-name before public ones', () => {
    expect(exportGroup(['.'], 'a', 'a')).toBe(0);
    expect(exportGroup(['a'], 'x', 'a')).toBe(1);
    expect(exportGroup(undefined, 'x', 'a')).toBe(2);
  });
});
