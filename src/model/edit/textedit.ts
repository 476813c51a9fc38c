/**
 * Text edits: `{from, to, text}` with offsets into the text they apply to. A list of edits is sorted and
 * non-overlapping; edits that only touch (one ends where the next starts) are allowed.
 */

export interface TextEdit {
  from: number;
  to: number;
  text: string;
}

/** Apply sorted, non-overlapping edits (offsets into `text`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    if (e.from < at || e.to < e.from || e.to > text.length) throw new RangeError(`edit [${e.from}, ${e.to}) is out of order or out of range`);
    out += text.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + text.slice(at);
}

/**
 * The edits that turn the edited text back into `original`: each inverse edit replaces the new text of one edit
 * by the characters it replaced. Offsets are into the edited text.
 */
export function invertEdits(original: string, edits: readonly TextEdit[]): TextEdit[] {
  let shift = 0;
  return edits.map((e) => {
    const from = e.from + shift;
    shift += e.text.length - (e.to - e.from);
    return { from, to: from + e.text.length, text: original.slice(e.from, e.to) };
  });
}

/**
 * Sort edits by position (stable: edits at the same offset keep the order they were emitted in) and merge edits
 * that start at the same offset into one. Throws when two edits overlap: that is a bug in the caller.
 */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.from - b.e.from || (a.e.to === a.e.from ? 0 : 1) - (b.e.to === b.e.from ? 0 : 1) || a.i - b.i)
    .map((x) => x.e);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.from < last.to) throw new Error(`overlapping edits [${last.from}, ${last.to}) and [${e.from}, ${e.to})`);
    if (last && last.from === last.to && e.from === last.from) {
      out[out.length - 1] = { from: last.from, to: e.to, text: last.text + e.text };
    } else if (e.from !== e.to || e.text) {
      out.push({ ...e });
    }
  }
  return out.filter((e) => e.from !== e.to || e.text);
}

/** Shift edits by `delta` (slice-local offsets → whole-text offsets). */
export const shiftEdits = (edits: readonly TextEdit[], delta: number): TextEdit[] =>
  edits.map((e) => ({ from: e.from + delta, to: e.to + delta, text: e.text }));
