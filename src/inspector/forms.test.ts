import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../graph/derive';
import { parseDesign } from '../model/parse';
import { resourceKey as rk } from '../model/resource';
import { workloads } from './forms';
import { newUriMatch, otherConditions, parseStringMatch, readRows, readStringMatch, rowsToMap, withKey } from './matches';
import { readLb, writeLb } from './policy';
import { destinationHosts, edgeIdAfterRemoval, movedEdgeId, problemsFor, resolveTarget } from './target';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const model = parseDesign(primer).model;
const graph = deriveGraph(model);
const VS = rk('VirtualService', 'default', 'my-service');

describe('matches ↔ form', () => {
  it('reads string matches and rows (presence as `present`)', () => {
    expect(readStringMatch({ prefix: '/api' })).toEqual({ kind: 'prefix', value: '/api' });
    expect(readStringMatch(undefined)).toBeUndefined();
    const m = { headers: { 'end-user': { exact: 'jason' }, 'x-debug': {} }, queryParams: { v: { regex: '^2' } } };
    expect(readRows(m, 'headers')).toEqual([{ name: 'end-user', kind: 'exact', value: 'jason' }, { name: 'x-debug', kind: 'present', value: '' }]);
    expect(readRows(m, 'queryParams')).toEqual([{ name: 'v', kind: 'regex', value: '^2' }]);
  });

  it('writes rows back; refuses bad names, duplicates and bad regexes', () => {
    expect(rowsToMap('headers', [{ name: 'end-user', kind: 'exact', value: 'jason' }, { name: 'x-debug', kind: 'present', value: '' }])).toEqual({ ok: true, value: { 'end-user': { exact: 'jason' }, 'x-debug': {} } });
    expect(rowsToMap('headers', [])).toEqual({ ok: true, value: undefined });
    expect(rowsToMap('headers', [{ name: 'End-User', kind: 'exact', value: 'x' }]).ok).toBe(false);
    expect(rowsToMap('queryParams', [{ name: 'a', kind: 'exact', value: '1' }, { name: 'a', kind: 'exact', value: '2' }])).toEqual({ ok: false, error: '"a" is there twice.' });
    expect(rowsToMap('queryParams', [{ name: 'a', kind: 'regex', value: '(' }])).toEqual({ ok: false, error: '"(" is not a valid regular expression.' });
  });

  it('URI and method conditions are checked before they are written', () => {
    expect(parseStringMatch('uri', 'prefix', '/api')).toEqual({ ok: true, value: { prefix: '/api' } });
    expect(parseStringMatch('uri', 'exact', 'api')).toEqual({ ok: false, error: 'A URI path starts with "/".' });
    expect(parseStringMatch('uri', 'regex', '.*\\.png')).toEqual({ ok: true, value: { regex: '.*\\.png' } });
    expect(parseStringMatch('method', 'exact', 'get').ok).toBe(false);
    expect(parseStringMatch('uri', 'prefix', '')).toEqual({ ok: true, value: undefined });
    expect(newUriMatch('prefix', '/api')).toEqual({ ok: true, value: { uri: { prefix: '/api' } } });
    expect(newUriMatch('prefix', '').ok).toBe(false);
  });

  it('withKey keeps the other keys and their order', () => {
    const m = { gateways: ['mesh'], uri: { exact: '/v1' }, port: 80 };
    expect(Object.keys(withKey(m, 'uri', { prefix: '/v' }))).toEqual(['gateways', 'uri', 'port']);
    expect(withKey(m, 'uri', undefined)).toEqual({ gateways: ['mesh'], port: 80 });
    expect(otherConditions(m)).toBe('gateways mesh; port 80');
  });
});

describe('load balancer ↔ form', () => {
  it('reads simple and consistent-hash balancers', () => {
    expect(readLb({ simple: 'LEAST_REQUEST' })).toEqual({ mode: 'LEAST_REQUEST', key: '' });
    expect(readLb({ consistentHash: { httpHeaderName: 'x-user' } })).toEqual({ mode: 'HEADER', key: 'x-user' });
    expect(readLb({ consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } })).toEqual({ mode: 'COOKIE', key: 'session' });
    expect(readLb({ consistentHash: { useSourceIp: true } })).toEqual({ mode: 'SOURCE_IP', key: '' });
    expect(readLb(undefined)).toEqual({ mode: '', key: '' });
  });

  it('writes the choice and keeps what the form does not show', () => {
    const lb = { simple: 'ROUND_ROBIN', localityLbSetting: { enabled: true } };
    expect(writeLb(lb, { mode: 'RANDOM', key: '' })).toEqual({ ok: true, value: { simple: 'RANDOM', localityLbSetting: { enabled: true } } });
    expect(writeLb(lb, { mode: 'HEADER', key: 'x-user' })).toEqual({ ok: true, value: { consistentHash: { httpHeaderName: 'x-user' }, localityLbSetting: { enabled: true } } });
    expect(writeLb({ consistentHash: { httpCookie: { name: 'a', ttl: '10s' }, minimumRingSize: 1024 } }, { mode: 'COOKIE', key: 'b' })).toEqual({ ok: true, value: { consistentHash: { minimumRingSize: 1024, httpCookie: { name: 'b', ttl: '10s' } } } });
    expect(writeLb({ simple: 'RANDOM' }, { mode: '', key: '' })).toEqual({ ok: true, value: undefined });
    expect(writeLb(undefined, { mode: 'QUERY', key: ' ' })).toEqual({ ok: false, error: 'Enter the query parameter name to hash on.' });
    expect(writeLb(undefined, { mode: 'SOURCE_IP', key: '' })).toEqual({ ok: true, value: { consistentHash: { useSourceIp: true } } });
  });
});

describe('selection → what the inspector edits', () => {
  const edgeTo = (subset: string, weight?: number) => graph.edges.find((e) => e.target === `svc:my-service.default.svc.cluster.local#${subset}` && e.weight === weight);

  it('a route edge is its rule and destination', () => {
    const e = edgeTo('v2', 10)!;
    expect(resolveTarget(graph, { kind: 'edge', id: e.id })).toMatchObject({ kind: 'rule', rule: { vs: VS, protocol: 'http', index: 4 }, destination: 1, mirror: false });
    expect(movedEdgeId(e.id, 'http', 4, 3)).toBe(e.id.replace('#http/4/', '#http/3/'));
    expect(edgeIdAfterRemoval(e.id, 0)).toBe(e.id.replace('/route/1@', '/route/0@'));
    expect(edgeIdAfterRemoval(e.id, 1)).toBe(e.id.replace('/route/1@', '/route/0@'));
    expect(edgeIdAfterRemoval(e.id, 2)).toBe(e.id);
  });

  it('nodes resolve to their resources', () => {
    expect(resolveTarget(graph, { kind: 'node', id: 'svc:my-service.default.svc.cluster.local' })).toMatchObject({ kind: 'service', service: 'Service/default/my-service', destinationRule: 'DestinationRule/default/my-service' });
    expect(resolveTarget(graph, { kind: 'node', id: 'svc:my-service.default.svc.cluster.local#v2' })).toMatchObject({ kind: 'subset', destinationRule: 'DestinationRule/default/my-service', index: 1 });
    expect(resolveTarget(graph, { kind: 'node', id: 'gw:default/shop-gateway' })).toMatchObject({ kind: 'gateway', gateway: 'Gateway/default/shop-gateway' });
    expect(resolveTarget(graph, { kind: 'node', id: 'se:default/payment-api' })).toMatchObject({ kind: 'serviceEntry', serviceEntry: 'ServiceEntry/default/payment-api' });
    expect(resolveTarget(graph, { kind: 'node', id: 'wl:default/checkout' })).toMatchObject({ kind: 'client', deployment: 'Deployment/default/checkout' });
    expect(resolveTarget(graph, { kind: 'node', id: 'nope' })).toBeUndefined();
    expect(resolveTarget(graph, undefined)).toBeUndefined();
  });

  it('problems: a rule gets those under its path, whichever destination is selected', () => {
    const e = edgeTo('v2', 10)!;
    const t = resolveTarget(graph, { kind: 'edge', id: e.id })!;
    const problems = [
      { key: VS, path: ['spec', 'http', 4, 'route', 0, 'weight'], code: 'A' },
      { key: VS, path: ['spec', 'http', 3], code: 'B' },
      { key: rk('DestinationRule', 'default', 'my-service'), path: ['spec', 'subsets', 1], code: 'C' },
    ];
    expect(problemsFor(graph, t, problems).map((p) => p.code)).toEqual(['A']);
    const subset = resolveTarget(graph, { kind: 'node', id: 'svc:my-service.default.svc.cluster.local#v2' })!;
    expect(problemsFor(graph, subset, problems).map((p) => p.code)).toEqual(['C']);
  });

  it('destination pickers list the design’s hosts with their subsets', () => {
    expect(destinationHosts(model.resources, 'default')).toEqual([
      { host: 'my-service', subsets: ['v1', 'v2'] },
      { host: 'api.payments.example', subsets: [] },
    ]);
    expect(destinationHosts(model.resources, 'other')[0]).toEqual({ host: 'my-service.default.svc.cluster.local', subsets: ['v1', 'v2'] });
  });

  it('a service’s versions are the Deployments it selects', () => {
    expect(workloads(model.resources, model.byKey.get(rk('Service', 'default', 'my-service'))!)).toEqual([
      { key: 'Deployment/default/my-service-v1', name: 'my-service-v1', version: 'v1', replicas: 2 },
      { key: 'Deployment/default/my-service-v2', name: 'my-service-v2', version: 'v2', replicas: 1 },
    ]);
  });
});
