/** Named designs: the pure part (names). Storage, locks and tabs are covered end to end (e2e/designs.spec.ts). */
import { describe, expect, it } from 'vitest';
import { uniqueName } from './designs';

describe('uniqueName', () => {
  it('keeps a free name and numbers a taken one', () => {
    expect(uniqueName('Shop', [])).toBe('Shop');
    expect(uniqueName('Untitled design', ['Untitled design'])).toBe('Untitled design 2');
    expect(uniqueName('Untitled design', ['Untitled design', 'Untitled design 2', 'Untitled design 4'])).toBe('Untitled design 3');
  });
});
