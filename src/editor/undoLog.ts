/**
 * The undo history as data, so that it can outlive the page: a log of steps mirroring the editor's undo stack (each
 * step the text replacements one undo takes back), where the history stands, and a bounded, checked form to save
 * with the design. Pure: the Monaco side is undoHistory.ts.
 */

/** One replacement: at offset `at`, the text `del` became `ins`. */
export type Op = readonly [at: number, del: string, ins: string];
/** One undo step: its replacements in the order they were made. */
export type Step = readonly Op[];

export interface SavedHistory {
  format: 1;
  /** Oldest first. The first `position` are done (undo takes them back, newest first); the rest were undone (redo). */
  steps: Step[];
  position: number;
  /** Fingerprint of the text the history stands at, to be sure it belongs to the text it is restored with. */
  textHash: string;
}

/** What is saved at most: the newest steps around the position, within both bounds. */
export const SAVED_STEPS = 100;
export const SAVED_CHARS = 1_000_000;

export const applyOp = (text: string, [at, del, ins]: Op) => text.slice(0, at) + ins + text.slice(at + del.length);
export const revertOp = (text: string, [at, del, ins]: Op) => text.slice(0, at) + del + text.slice(at + ins.length);
export const redoStep = (text: string, step: Step) => step.reduce(applyOp, text);
export const undoStep = (text: string, step: Step) => step.reduceRight(revertOp, text);

/** The one replacement that turns `prev` into `next` (the changed middle), or undefined when they are equal. */
export function diffOp(prev: string, next: string): Op | undefined {
  if (prev === next) return undefined;
  const max = Math.min(prev.length, next.length);
  let start = 0;
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  return [start, prev.slice(start, prev.length - end), next.slice(start, next.length - end)];
}

/** FNV-1a over the UTF-16 code units, with the length. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(36)}`;
}

const stepChars = (s: Step) => s.reduce((n, [, del, ins]) => n + del.length + ins.length, 0);

/**
 * The editor's undo stack as a log. `record` adds a replacement to the open step (or opens one, dropping the steps
 * that were undone, as an editor does); `close` ends the step (an undo stop). Each step carries a mark (the editor's
 * version after it), by which an undo or redo finds how many steps it walked.
 */
export class UndoLog {
  private steps: Op[][] = [];
  private marks: number[] = [];
  private open = false;
  position = 0;

  get length() {
    return this.steps.length;
  }

  record(op: Op, mark: number) {
    if (!this.open || this.position < this.steps.length) {
      this.steps.length = this.marks.length = this.position;
      this.steps.push([]);
      this.marks.push(mark);
      this.position = this.steps.length;
      this.open = true;
    }
    this.steps[this.position - 1].push(op);
    this.marks[this.position - 1] = mark;
  }

  close() {
    this.open = false;
  }

  /** The last step takes edits again (the editor's `popUndoStop`). */
  reopen() {
    this.open = this.position > 0 && this.position === this.steps.length;
  }

  reset() {
    this.steps = [];
    this.marks = [];
    this.position = 0;
    this.open = false;
  }

  /** Takes a history rebuilt in the editor: its steps, each step's mark, and the position. */
  restore(steps: readonly Step[], marks: number[], position: number) {
    this.steps = steps.map((s) => [...s]);
    this.marks = marks;
    this.position = position;
    this.open = false;
  }

  /**
   * An undo (or redo) took the text from `before` to `after` and left the editor at version `mark`: walk back (or
   * forward) the steps it covered. False, and the log cleared, when the log cannot account for the change.
   */
  moved(direction: 'undo' | 'redo', mark: number, before: string, after: string): boolean {
    this.open = false;
    let text = before;
    let p = this.position;
    if (direction === 'undo') while (p > 0 && this.marks[p - 1] > mark) text = undoStep(text, this.steps[--p]);
    else while (p < this.steps.length && this.marks[p] <= mark) text = redoStep(text, this.steps[p++]);
    if (p === this.position || text !== after) {
      this.reset();
      return false;
    }
    this.position = p;
    return true;
  }

  /** The history to save with `text` (the text it stands at): the newest steps around the position, bounded. */
  save(text: string): SavedHistory {
    let chars = 0;
    const fits = (s: Step, count: number) => {
      const more = stepChars(s);
      if (count >= SAVED_STEPS || chars + more > SAVED_CHARS) return false;
      chars += more;
      return true;
    };
    // The redo side first (up to half the steps: what was just undone), then the undo side, then more redo if room.
    let to = this.position;
    while (to < this.steps.length && to - this.position < SAVED_STEPS / 2 && fits(this.steps[to], to - this.position)) to++;
    let from = this.position;
    while (from > 0 && fits(this.steps[from - 1], to - from)) from--;
    while (to < this.steps.length && fits(this.steps[to], to - from)) to++;
    return { format: 1, steps: this.steps.slice(from, to).map((s) => [...s]), position: this.position - from, textHash: textHash(text) };
  }
}

const isOp = (o: unknown): o is Op => Array.isArray(o) && o.length === 3 && Number.isInteger(o[0]) && o[0] >= 0 && typeof o[1] === 'string' && typeof o[2] === 'string';

/** A saved history as read back from storage, checked for shape; undefined when it is not one. */
export function readSavedHistory(v: unknown): SavedHistory | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const h = v as SavedHistory;
  if (h.format !== 1 || typeof h.textHash !== 'string' || !Array.isArray(h.steps) || !Number.isInteger(h.position)) return undefined;
  if (h.position < 0 || h.position > h.steps.length || h.steps.length > SAVED_STEPS) return undefined;
  if (!h.steps.every((s) => Array.isArray(s) && s.length > 0 && s.every(isOp))) return undefined;
  return h;
}

/**
 * The text the saved history starts from, when it fits `text` exactly: undoing the done steps from `text`, each
 * replacement finds the text it put there, and redoing the undone ones, each finds the text it replaces. (Undoing
 * checked steps and redoing them gives `text` back by construction.) Undefined otherwise: never a wrong history.
 */
export function historyBase(text: string, saved: SavedHistory): string | undefined {
  if (saved.textHash !== textHash(text)) return undefined;
  const fits = (t: string, at: number, part: string) => at <= t.length && t.startsWith(part, at);
  let base = text;
  for (const op of saved.steps.slice(0, saved.position).flat().reverse()) {
    if (!fits(base, op[0], op[2])) return undefined;
    base = revertOp(base, op);
  }
  let t = text;
  for (const op of saved.steps.slice(saved.position).flat()) {
    if (!fits(t, op[0], op[1])) return undefined;
    t = applyOp(t, op);
  }
  return base;
}
