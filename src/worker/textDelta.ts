/**
 * The design's text goes to the model worker on every keystroke. Posting 3,000 lines costs the main thread 2–5 ms
 * (structured clone) and the worker as much again, to say that one character changed. So once the worker holds a text,
 * it gets what changed since: one replacement covering every edit made in between (the editor reports each edit's
 * place, so nothing is diffed). Pure.
 */

/** Replace `del` characters at `at` by `ins`; `length` is the resulting text's length (checked by the receiver). */
export interface TextDelta {
  at: number;
  del: number;
  ins: string;
  length: number;
}

/** One edit: `del` characters at `at` replaced by `ins` characters (positions in the text as the edits before left it). */
export interface TextEdit {
  at: number;
  del: number;
  ins: number;
}

export function applyDelta(base: string, d: TextDelta): string {
  if (d.at < 0 || d.del < 0 || d.at + d.del > base.length || base.length - d.del + d.ins.length !== d.length) {
    throw new Error(`A text change (${d.del} characters at ${d.at}, making ${d.length}) does not fit the text the design parser holds (${base.length} characters).`);
  }
  return base.slice(0, d.at) + d.ins + base.slice(d.at + d.del);
}

/**
 * What changed since the text the receiver holds: the common prefix and suffix, narrowed by each edit reported. Any
 * change of the text that comes without its edits (a load, a canvas edit) makes the next one whole.
 */
export class DeltaTracker {
  /** The text the receiver holds (undefined: it holds none, or the changes since are unknown). */
  private base: string | undefined;
  /** Lengths of the prefix and the suffix the current text still shares with `base`. */
  private prefix = 0;
  private suffix = 0;
  /** The current text's length, as the edits make it. */
  private length = 0;

  /** The text changed from one of `prevLength` characters to one of `nextLength`, by these edits (if known). */
  note(prevLength: number, nextLength: number, edits: readonly TextEdit[] | undefined) {
    if (this.base === undefined) return;
    if (!edits || prevLength !== this.length) return this.forget();
    let length = prevLength;
    for (const e of edits) {
      if (e.at < 0 || e.del < 0 || e.at + e.del > length) return this.forget();
      this.prefix = Math.min(this.prefix, e.at);
      this.suffix = Math.min(this.suffix, length - e.at - e.del);
      length += e.ins - e.del;
    }
    if (length !== nextLength) return this.forget();
    this.length = length;
  }

  /** What to send for `text`: the change since the receiver's text, or undefined (send it whole). The receiver holds
   * `text` from now on. */
  take(text: string): TextDelta | undefined {
    const base = this.base;
    let delta: TextDelta | undefined;
    if (base !== undefined && text.length === this.length) {
      // (No edit at all leaves prefix and suffix at the whole length: they may not overlap.)
      const at = Math.min(this.prefix, base.length, text.length);
      const suffix = Math.min(this.suffix, base.length - at, text.length - at);
      delta = { at, del: base.length - at - suffix, ins: text.slice(at, text.length - suffix), length: text.length };
    }
    this.base = text;
    this.prefix = this.suffix = this.length = text.length;
    return delta;
  }

  /** The receiver holds nothing (a new worker): the next text goes whole. */
  forget() {
    this.base = undefined;
  }
}
