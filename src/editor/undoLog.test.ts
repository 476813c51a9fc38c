import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOp, diffOp, historyBase, readSavedHistory, redoStep, revertOp, SAVED_CHARS, SAVED_STEPS, textHash, undoStep, UndoLog, type SavedHistory } from './undoLog';

/** An editor's undo stack as Monaco keeps it: groups of edits between undo stops, versions as marks. */
class ReferenceEditor {
  text: string;
  groups: { before: string; after: string; beforeVersion: number; afterVersion: number; recorded: boolean }[] = [];
  position = 0;
  open = false;
  version = 1;
  alt = 1;
  log = new UndoLog();
  constructor(text: string) {
    this.text = text;
  }
  edit(at: number, len: number, ins: string) {
    const from = Math.min(at, this.text.length);
    const next = this.text.slice(0, from) + ins + this.text.slice(from + len);
    const before = this.text;
    if (!this.open || this.position < this.groups.length) {
      this.groups.length = this.position;
      this.groups.push({ before, after: before, beforeVersion: this.alt, afterVersion: this.alt, recorded: false });
      this.position++;
      this.open = true;
    }
    this.text = next;
    this.alt = ++this.version;
    Object.assign(this.groups[this.position - 1], { after: next, afterVersion: this.alt });
    const op = diffOp(before, next);
    if (op) this.log.record(op, this.alt);
    if (op) this.groups[this.position - 1].recorded = true;
  }
  stop() {
    this.open = false;
    this.log.close();
  }
  undo() {
    if (!this.position) return;
    const g = this.groups[--this.position];
    this.move('undo', g.before, g.beforeVersion, g.recorded);
  }
  redo() {
    if (this.position === this.groups.length) return;
    const g = this.groups[this.position++];
    this.move('redo', g.after, g.afterVersion, g.recorded);
  }
  /** Monaco reports an undo or redo as a change when the group changed the text at some point. */
  private move(direction: 'undo' | 'redo', text: string, alt: number, recorded: boolean) {
    const before = this.text;
    this.text = text;
    this.open = false;
    this.version++;
    this.alt = alt;
    if (recorded) expect(this.log.moved(direction, alt, before, text)).toBe(true);
  }
}

type Action = { type: 'edit'; at: number; len: number; ins: string } | { type: 'stop' } | { type: 'undo' } | { type: 'redo' };
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('edit' as const), at: fc.nat(40), len: fc.nat(4), ins: fc.string({ maxLength: 5 }) }),
  fc.constant({ type: 'stop' as const }),
  fc.constant({ type: 'undo' as const }),
  fc.constant({ type: 'redo' as const }),
);

function run(start: string, actions: Action[]) {
  const ed = new ReferenceEditor(start);
  for (const a of actions) {
    if (a.type === 'edit') ed.edit(a.at, a.len, a.ins);
    else ed[a.type]();
  }
  return ed;
}

describe('diffOp', () => {
  it('is the replacement that turns one text into the other, and back', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const op = diffOp(a, b);
        if (a === b) {
          expect(op).toBeUndefined();
          return;
        }
        expect(applyOp(a, op!)).toBe(b);
        expect(revertOp(b, op!)).toBe(a);
      }),
    );
  });
});

describe('UndoLog', () => {
  it('mirrors an editor through edits, undo stops, undos and redos', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(action, { maxLength: 60 }), (start, actions) => {
        const ed = run(start, actions);
        // Groups whose edits all left the text as it was are no undo step for the log (nor for the user).
        expect(ed.log.position).toBe(ed.groups.slice(0, ed.position).filter((g) => g.recorded).length);
      }),
    );
  });

  it('saves a history that undoes back to every earlier text and redoes forward, exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(action, { maxLength: 60 }), (start, actions) => {
        const ed = run(start, actions);
        const saved = ed.log.save(ed.text);
        const base = historyBase(ed.text, saved);
        expect(base).toBeDefined();
        const texts = [base!];
        for (const s of saved.steps) texts.push(redoStep(texts[texts.length - 1], s));
        expect(texts[saved.position]).toBe(ed.text);
        // Undo walks back through the reference's texts, and the last step starts where the log started.
        let t = ed.text;
        for (let i = saved.position - 1; i >= 0; i--) {
          t = undoStep(t, saved.steps[i]);
          expect(t).toBe(texts[i]);
        }
        const done = ed.groups.slice(0, ed.position).filter((g) => g.recorded);
        if (saved.position) expect(texts[0]).toBe(done[done.length - saved.position].before);
      }),
    );
  });

  it('saves at most the newest steps, and within the size bound', () => {
    const ed = new ReferenceEditor('');
    for (let i = 0; i < SAVED_STEPS + 30; i++) {
      ed.edit(i, 0, 'x');
      ed.stop();
    }
    for (let i = 0; i < 10; i++) ed.undo();
    const saved = ed.log.save(ed.text);
    expect(saved.steps).toHaveLength(SAVED_STEPS);
    // The redo side is kept too: the 10 undone steps, and the 90 done before them.
    expect(saved.position).toBe(SAVED_STEPS - 10);
    expect(historyBase(ed.text, saved)).toBe('x'.repeat(30));

    const big = new ReferenceEditor('');
    for (let i = 0; i < 5; i++) {
      big.edit(0, big.text.length, String(i).repeat(SAVED_CHARS / 4));
      big.stop();
    }
    const bounded = big.log.save(big.text);
    expect(bounded.steps.flat().reduce((n, [, d, ins]) => n + d.length + ins.length, 0)).toBeLessThanOrEqual(SAVED_CHARS);
    expect(bounded.position).toBe(2);
    expect(historyBase(big.text, bounded)).toBe('2'.repeat(SAVED_CHARS / 4));
  });

  it('clears itself when an undo does not match what it recorded', () => {
    const ed = new ReferenceEditor('abc');
    ed.edit(3, 0, 'd');
    expect(ed.log.moved('undo', 1, 'abcd', 'something else')).toBe(false);
    expect(ed.log.length).toBe(0);
  });
});

describe('a saved history read back', () => {
  const ed = new ReferenceEditor('kind: Service\n');
  ed.edit(6, 7, 'Gateway');
  ed.stop();
  ed.edit(0, 0, '# hi\n');
  const saved = ed.log.save(ed.text);

  it('survives structured cloning (IndexedDB) and restores', () => {
    const back = readSavedHistory(structuredClone(saved));
    expect(back).toEqual(saved);
    expect(historyBase(ed.text, back!)).toBe('kind: Service\n');
  });

  it('is refused when malformed, for another text, or tampered with', () => {
    for (const bad of [null, 'x', { ...saved, format: 2 }, { ...saved, position: 3 }, { ...saved, steps: [[[0, 1, 'x']]] }, { ...saved, steps: [[]] }, { ...saved, position: -1 }]) {
      expect(readSavedHistory(bad)).toBeUndefined();
    }
    expect(historyBase(ed.text + ' ', saved)).toBeUndefined();
    const tampered: SavedHistory = { ...saved, steps: [[[6, 'Service', 'Gateway']], [[0, '', '# ho\n']]] };
    expect(historyBase(ed.text, tampered)).toBeUndefined();
    const outOfRange: SavedHistory = { ...saved, steps: [[[99, 'Service', 'Gateway']], saved.steps[1]] };
    expect(historyBase(ed.text, outOfRange)).toBeUndefined();
    expect(textHash('a')).not.toBe(textHash('b'));
  });
});
