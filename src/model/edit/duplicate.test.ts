import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis';
import { compileMesh, trace } from '../../engine';
import { parseDesign } from '../parse';
import { resourceKey as rk } from '../resource';
import { runCommand } from './testkit';

const primer = readFileSync(new URL('../../examples/primer.yaml', import.meta.url), 'utf8');
const { model } = parseDesign(primer);
const objects = (...keys: string[]) => keys.map((k) => model.byKey.get(k as never)!.object);

describe('paste: clashing names get free ones and references among the pasted resources follow', () => {
  it('a service with its Deployments and DestinationRule becomes a working twin', () => {
    const run = runCommand(primer, { type: 'paste', objects: objects('Service/default/my-service', 'Deployment/default/my-service-v1', 'Deployment/default/my-service-v2', 'DestinationRule/default/my-service') });
    const m = run.after.model;
    expect(run.description).toBe('Paste Service default/my-service-copy, Deployment default/my-service-v1-copy, Deployment default/my-service-v2-copy, DestinationRule default/my-service-copy');
    expect(m.byKey.get(rk('Service', 'default', 'my-service-copy'))!.spec.selector).toEqual({ app: 'my-service-copy' });
    expect(m.byKey.get(rk('DestinationRule', 'default', 'my-service-copy'))!.spec.host).toBe('my-service-copy');
    const dep = m.byKey.get(rk('Deployment', 'default', 'my-service-v1-copy'))!.object as { spec: { template: { metadata: { labels: object } } } };
    expect(dep.spec.template.metadata.labels).toEqual({ app: 'my-service-copy', version: 'v1' });
    // The original keeps its pods; the copy has its own.
    expect(analyze(m).filter((x) => x.level === 'Error')).toEqual([]);
    const t = trace(compileMesh(parseDesign(run.text, { validate: false }).model), { source: { workload: 'checkout', namespace: 'default' }, request: { authority: 'my-service-copy', path: '/' } });
    expect(t.destination?.workload).toMatch(/^my-service-v[12]-copy/);
  });

  it('pasting twice counts up; names that are free stay', () => {
    const once = runCommand(primer, { type: 'paste', objects: objects('Deployment/default/checkout') }).text;
    const twice = runCommand(once, { type: 'paste', objects: objects('Deployment/default/checkout') });
    expect(twice.after.model.ofKind('Deployment').map((d) => d.name)).toContain('checkout-copy-2');
    const fresh = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'brand-new' }, data: {} };
    expect(runCommand(primer, { type: 'paste', objects: [fresh] }).description).toBe('Paste ConfigMap default/brand-new');
  });
});
