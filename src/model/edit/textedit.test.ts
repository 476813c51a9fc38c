import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, invertEdits, normalizeEdits } from './textedit';

describe('text edits', () => {
  it('apply in order, against the original offsets', () => {
    expect(applyEdits('weight: 90\nweight: 10\n', [{ from: 8, to: 10, text: '80' }, { from: 19, to: 21, text: '20' }])).toBe('weight: 80\nweight: 20\n');
  });

  it('refuse overlapping or out-of-range edits', () => {
    expect(() => applyEdits('abc', [{ from: 0, to: 2, text: '' }, { from: 1, to: 3, text: '' }])).toThrow(RangeError);
    expect(() => applyEdits('abc', [{ from: 2, to: 4, text: '' }])).toThrow(RangeError);
    expect(() => normalizeEdits([{ from: 0, to: 2, text: 'x' }, { from: 1, to: 1, text: 'y' }])).toThrow(/overlapping/);
  });

  it('normalize: sorted, insertions at one offset merged in the order they were made, before a replacement there', () => {
    expect(normalizeEdits([
      { from: 5, to: 7, text: 'R' },
      { from: 5, to: 5, text: 'a' },
      { from: 0, to: 1, text: '' },
      { from: 5, to: 5, text: 'b' },
      { from: 3, to: 3, text: '' },
    ])).toEqual([{ from: 0, to: 1, text: '' }, { from: 5, to: 7, text: 'abR' }]);
  });

  it('inverse edits restore the original text', () => {
    const edit = fc.record({ at: fc.nat(40), len: fc.nat(6), text: fc.string({ maxLength: 6 }) });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(edit, { maxLength: 6 }), (text, raw) => {
        // Make the random edits valid: in range, sorted, not overlapping.
        const edits = [];
        let at = 0;
        for (const e of [...raw].sort((a, b) => a.at - b.at)) {
          const from = Math.max(at, Math.min(e.at, text.length));
          const to = Math.min(text.length, from + e.len);
          edits.push({ from, to, text: e.text });
          at = to;
        }
        const after = applyEdits(text, edits);
        expect(applyEdits(after, invertEdits(text, edits))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
