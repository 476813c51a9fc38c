import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, DeltaTracker, type TextEdit } from './textDelta';

/** Applies edits as an editor would, returning the text and the edits as reported. */
function edit(text: string, edits: { at: number; del: number; ins: string }[]): { text: string; reported: TextEdit[] } {
  const reported: TextEdit[] = [];
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    const del = Math.min(e.del, text.length - at);
    text = text.slice(0, at) + e.ins + text.slice(at + del);
    reported.push({ at, del, ins: e.ins.length });
  }
  return { text, reported };
}

describe('DeltaTracker: what changed since the text the worker holds', () => {
  it('the first text, and any text after an unreported change, goes whole', () => {
    const t = new DeltaTracker();
    expect(t.take('a: 1\n')).toBeUndefined();
    t.note(5, 6, undefined); // a load, a canvas edit
    expect(t.take('a: 12\n')).toBeUndefined();
  });

  it('one keystroke: one character at its place', () => {
    const t = new DeltaTracker();
    t.take('weight: 5\n');
    t.note(10, 11, [{ at: 9, del: 0, ins: 1 }]);
    expect(t.take('weight: 50\n')).toEqual({ at: 9, del: 0, ins: '0', length: 11 });
  });

  it('a delta that does not fit the receiver\'s text is refused, not applied', () => {
    expect(() => applyDelta('abc', { at: 2, del: 5, ins: '', length: 0 })).toThrow(/does not fit/);
    expect(() => applyDelta('abc', { at: 1, del: 1, ins: 'xy', length: 3 })).toThrow(/does not fit/);
  });

  it('property: after any edits (several per change, several changes per send), the delta makes the text exactly', () => {
    const pieces = fc.constantFrom('', 'x', '\n', '---\n', 'weight: 7', '  ', 'é', '😀');
    const anEdit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: pieces });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.array(fc.array(anEdit, { maxLength: 3 }), { maxLength: 4 }), { maxLength: 5 }), (start, sends) => {
        const t = new DeltaTracker();
        let held = start;
        t.take(start);
        let text = start;
        for (const changes of sends) {
          for (const change of changes) {
            const next = edit(text, change);
            t.note(text.length, next.text.length, next.reported);
            text = next.text;
          }
          const d = t.take(text);
          expect(d).toBeDefined();
          held = applyDelta(held, d!);
          expect(held).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });
});
