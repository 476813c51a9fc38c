import { describe, expect, it } from 'vitest';
import primer from '../examples/primer.yaml?raw';
import { parseDesign } from '../model/parse';
import type { Resource, ResourceKey } from '../model/resource';
import { applyWhatIf, NO_WHAT_IF, rulesOf, whatIfCommands } from './whatIf';

const resources = parseDesign(primer, { validate: false }).model.resources as Resource[];
const VS = 'VirtualService/default/my-service' as ResourceKey;
const canary = `${VS}#http/4`;
const specOf = (rs: typeof resources) => rs.find((r) => r.key === VS)!.spec as any;

describe('what-if', () => {
  it('lists the rules with their destinations and faults', () => {
    const rules = rulesOf(resources);
    expect(rules.find((r) => r.id === canary)).toMatchObject({ name: 'my-service · canary', dests: [{ label: 'v1', weight: 90 }, { label: 'v2', weight: 10 }], aborts: false });
    expect(rules.find((r) => r.id === `${VS}#http/3`)?.aborts).toBe(true);
    expect(rulesOf(resources, new Set([canary]))).toHaveLength(1);
  });

  it('runs on a copy: new weights and an injected abort, the design untouched', () => {
    const before = JSON.stringify(resources);
    const out = applyWhatIf(resources, { weights: { [canary]: [70, 30] }, aborts: { [canary]: true, [`${VS}#http/3`]: false } });
    expect(specOf(out).http[4].route.map((d: any) => d.weight)).toEqual([70, 30]);
    expect(specOf(out).http[4].fault).toEqual({ abort: { percentage: { value: 50 }, httpStatus: 503 } });
    expect(specOf(out).http[3].fault).toEqual({ delay: { percentage: { value: 10 }, fixedDelay: '2s' } });
    expect(JSON.stringify(resources)).toBe(before);
    expect(out.filter((r, i) => r !== resources[i]).map((r) => r.key)).toEqual([VS]);
    expect(applyWhatIf(resources, NO_WHAT_IF)).toBe(resources);
  });

  it('becomes commands for "Apply to design" (unchanged rules give none)', () => {
    const ref = { vs: VS, protocol: 'http', index: 4 };
    expect(whatIfCommands(resources, { weights: { [canary]: [70, 30], [`${VS}#http/0`]: [100] }, aborts: { [canary]: true } })).toEqual([
      { type: 'setWeights', rule: ref, weights: [70, 30] },
      { type: 'setRuleField', rule: ref, field: 'fault', value: { abort: { percentage: { value: 50 }, httpStatus: 503 } } },
    ]);
    expect(whatIfCommands(resources, { weights: {}, aborts: { [`${VS}#http/3`]: false } })).toEqual([
      { type: 'setRuleField', rule: { vs: VS, protocol: 'http', index: 3 }, field: 'fault', value: { delay: { percentage: { value: 10 }, fixedDelay: '2s' } } },
    ]);
  });
});
