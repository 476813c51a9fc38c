import { describe, expect, it } from 'vitest';
import primer from '../examples/primer.yaml?raw';
import { parseDesign } from '../model/parse';
import { defaultLoadForm, mixPercents, toSimSpec, type LoadForm } from './loadForm';

const model = parseDesign(primer, { validate: false }).model;
const form = (): LoadForm => defaultLoadForm(model);

describe('the Load form', () => {
  it('starts from the design: one mix row per route preset, one upstream row per workload', () => {
    const f = form();
    expect(f.mix.map((m) => m.label)).toContain('my-service · canary — everything else (from internet)');
    expect(f.mix.every((m) => m.share === '1')).toBe(true);
    expect(f.upstream.map((u) => u.workload)).toEqual(['default/my-service-v1', 'default/my-service-v2', 'default/checkout']);
  });

  it('becomes a spec: blank qps is as fast as possible, shares become weights, rows with share 0 are left out', () => {
    const f = form();
    f.count = '10,000';
    f.mix = f.mix.map((m, i) => ({ ...m, share: i === 4 ? '3' : i === 0 ? '1' : '0' }));
    f.upstream[1] = { ...f.upstream[1], latencyMs: '25', errorRate: '5', errorStatus: '500' };
    const out = toSimSpec(f);
    if ('error' in out) throw new Error(out.error);
    const [group] = out.spec.traffic;
    expect(group.load).toEqual({ requests: 10_000, concurrency: 8 });
    expect(group.mix.map((m) => m.weight)).toEqual([1, 3]);
    expect(out.spec.upstream).toEqual({ 'default/my-service-v2': { latencyMs: 25, errorRate: 0.05, errorStatus: 500 } });
    expect(mixPercents(f.mix).filter(Boolean)).toEqual([25, 75]);
  });

  it('refuses what it cannot run, naming the field', () => {
    expect(toSimSpec({ ...form(), count: 'lots' })).toEqual({ error: 'Requests must be a number (got "lots").' });
    expect(toSimSpec({ ...form(), concurrency: '0' })).toEqual({ error: 'Concurrency must be at least 1.' });
    expect(toSimSpec({ ...form(), mix: form().mix.map((m) => ({ ...m, share: '0' })) })).toEqual({ error: 'Give at least one request of the traffic mix a share above 0.' });
    const f = form();
    f.upstream[0].errorRate = '120';
    expect(toSimSpec(f)).toEqual({ error: 'Error rate of default/my-service-v1 must be at most 100.' });
  });
});
