import { describe, expect, it } from 'vitest';
import { sameProblems, type ElementProblems } from './problemIndex';

const map = (entries: [string, ElementProblems][]) => new Map(entries);

describe('sameProblems keeps the previous index while it says the same', () => {
  const a = map([['svc:a', { level: 'Warning', messages: ['IST0101: x'] }]]);
  it('equal findings: the previous map itself', () => {
    expect(sameProblems(a, map([['svc:a', { level: 'Warning', messages: ['IST0101: x'] }]]))).toBe(a);
  });
  it('any difference (level, message, element, count): the new map', () => {
    for (const next of [
      map([['svc:a', { level: 'Error', messages: ['IST0101: x'] }]]),
      map([['svc:a', { level: 'Warning', messages: ['IST0101: y'] }]]),
      map([['svc:b', { level: 'Warning', messages: ['IST0101: x'] }]]),
      map([['svc:a', { level: 'Warning', messages: ['IST0101: x', 'IST0102: z'] }]]),
      map([]),
    ]) expect(sameProblems(a, next)).toBe(next);
    expect(sameProblems(undefined, a)).toBe(a);
  });
});
