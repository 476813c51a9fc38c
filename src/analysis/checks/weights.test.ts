/** MC101 route weights and the IST0106 all-zero case, each next to a near-identical route that is fine. */
import { describe, expect, it } from 'vitest';
import { bookinfoWith, summary } from '../fixtures/testutil';
import { proposeWeights, toHundred } from './weights';

const reviews = (route: string) => bookinfoWith({
  'VirtualService/reviews': `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: ${route}`,
});
const d = (subset: string, weight?: number) => `{destination: {host: reviews, subset: ${subset}}${weight === undefined ? '' : `, weight: ${weight}`}}`;

describe('MC101 route weights', () => {
  it('Info: weights that do not add up to 100, with a fix to 100', () => {
    const ms = reviews(`[${d('v1', 50)}, ${d('v2', 100)}]`);
    expect(summary(ms)).toEqual(['Info MC101 VirtualService default/reviews ["spec","http",0,"route"]']);
    expect(ms[0].message).toBe('Weights add up to 150, not 100; they are relative shares (33.3% / 66.7%), which Istio accepts since 1.15.');
    expect(ms[0].fix).toEqual({ title: 'Normalise weights to 33/67', kind: 'normalizeWeights', target: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'route'], weights: [33, 67] });
    expect(reviews(`[${d('v1', 33)}, ${d('v2', 67)}]`)).toEqual([]);
  });

  it('Warning: a destination without weight next to weighted ones gets nothing', () => {
    const ms = reviews(`[${d('v1', 80)}, ${d('v2')}]`);
    expect(summary(ms)).toEqual(['Warning MC101 VirtualService default/reviews ["spec","http",0,"route",1]']);
    expect(ms[0].message).toBe('Destination #1 has no weight, so it receives no traffic (a missing weight counts as 0 when other destinations have one).');
    expect(ms[0].fix).toMatchObject({ kind: 'normalizeWeights', weights: [80, 20] });
    expect(reviews(`[${d('v1', 80)}, ${d('v2', 20)}]`)).toEqual([]);
    // An explicit 0 is a choice (a dark launch), not a mistake.
    expect(reviews(`[${d('v1', 100)}, ${d('v2', 0)}]`)).toEqual([]);
  });

  it('Info: a weight on a single destination is ignored', () => {
    expect(summary(reviews(`[${d('v1', 30)}]`))).toEqual(['Info MC101 VirtualService default/reviews ["spec","http",0,"route",0,"weight"]']);
    expect(reviews(`[${d('v1', 100)}]`)).toEqual([]);
    expect(reviews(`[${d('v1')}]`)).toEqual([]);
  });

  it('IST0106: several destinations whose weights are all 0 (or missing) are rejected by Istio', () => {
    const ms = reviews(`[${d('v1')}, ${d('v2', 0)}, ${d('v3')}]`);
    expect(summary(ms)).toEqual(['Error IST0106 VirtualService default/reviews ["spec","http",0,"route"]']);
    expect(ms[0].fix).toMatchObject({ kind: 'normalizeWeights', weights: [34, 33, 33] });
    expect(reviews(`[${d('v1', 100)}, ${d('v2', 0)}, ${d('v3', 0)}]`)).toEqual([]);
  });
});

describe('weight proposals', () => {
  it('scale to exactly 100 by largest remainder', () => {
    expect(toHundred([1, 1, 1])).toEqual([34, 33, 33]);
    expect(toHundred([2, 1])).toEqual([67, 33]);
    expect(toHundred([0, 0])).toEqual([50, 50]);
    for (const ws of [[7, 3, 9, 1], [1000, 1], [5, 5, 5, 5, 5, 5, 5]]) expect(toHundred(ws).reduce((a, b) => a + b)).toBe(100);
  });
  it('missing weights share what is left of 100', () => {
    expect(proposeWeights([70, undefined, undefined])).toEqual([70, 15, 15]);
    expect(proposeWeights([90, undefined, undefined])).toEqual([90, 5, 5]);
    expect(proposeWeights([95, undefined, undefined])).toEqual([95, 3, 2]);
    expect(proposeWeights([150, undefined])).toEqual([100, 0]);
  });
});
