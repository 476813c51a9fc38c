import { describe, expect, it } from 'vitest';
import { summarizeHttpMatch, summarizeRule } from './matchSummary';

describe('summarizeHttpMatch', () => {
  it('string matches: exact =, prefix ^, regex ~', () => {
    expect(summarizeHttpMatch({ uri: { exact: '/login' } })).toBe('uri = /login');
    expect(summarizeHttpMatch({ uri: { prefix: '/api' } })).toBe('uri ^ /api');
    expect(summarizeHttpMatch({ uri: { regex: '/v[0-9]+/.*' } })).toBe('uri ~ /v[0-9]+/.*');
    expect(summarizeHttpMatch({ uri: { prefix: '' } })).toBe('uri ^ ');
  });

  it('every field, in a fixed order', () => {
    expect(summarizeHttpMatch({
      sourceNamespace: 'web',
      sourceLabels: { app: 'productpage', version: 'v1' },
      port: 9080,
      queryParams: { debug: { exact: '1' }, trace: {} },
      withoutHeaders: { 'x-canary': { exact: 'no' } },
      headers: { 'end-user': { exact: 'jason' }, cookie: { regex: '.*session=.*' }, 'x-present': {} },
      scheme: { exact: 'https' },
      authority: { prefix: 'shop.' },
      method: { exact: 'POST' },
      uri: { prefix: '/cart' },
    })).toBe('uri ^ /cart, method = POST, authority ^ shop., scheme = https, end-user = jason, cookie ~ .*session=.*, x-present present, no x-canary, ?debug = 1, ?trace present, port 9080, from app=productpage,version=v1, from ns web');
  });

  it('fields it does not summarise give an empty summary', () => {
    expect(summarizeHttpMatch({ ignoreUriCase: true, name: 'x' })).toBe('');
  });
});

describe('summarizeRule', () => {
  it('no matches, or any match that matches everything, is `*`', () => {
    expect(summarizeRule(undefined, 'http')).toBe('*');
    expect(summarizeRule([], 'http')).toBe('*');
    expect(summarizeRule([{ uri: { prefix: '/a' } }, { gateways: ['mesh'] }], 'http')).toBe('*');
  });

  it('matches are OR-ed with |', () => {
    expect(summarizeRule([{ uri: { exact: '/v1' } }, { headers: { 'end-user': { exact: 'jason' } } }], 'http')).toBe('uri = /v1 | end-user = jason');
  });

  it('tcp and tls matches', () => {
    expect(summarizeRule([{ port: 27017 }], 'tcp')).toBe('port 27017');
    expect(summarizeRule([{ destinationSubnets: ['10.0.0.0/8', '192.168.0.0/16'] }], 'tcp')).toBe('to 10.0.0.0/8,192.168.0.0/16');
    expect(summarizeRule([{ sniHosts: ['a.example.com', 'b.example.com'], port: 443 }, { sniHosts: ['c.example.com'] }], 'tls')).toBe('sni a.example.com,b.example.com, port 443 | sni c.example.com');
  });
});
