/**
 * Line arithmetic over a YAML text. Every position passed in comes from the parser (a node's range, a CST token's
 * offset); these helpers only widen such positions to whole lines and classify the lines between two parser
 * positions, which hold nothing but blanks and comments.
 */

/** Offset of the first character of the line holding `pos`. */
export function lineStart(text: string, pos: number): number {
  return pos <= 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
}

/** Offset just after the line break that ends the line holding `pos` (the text length on the last line). */
export function lineEnd(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** Column (0-based) of an offset; a byte-order mark at the start of the text takes none. */
export function column(text: string, pos: number): number {
  const start = lineStart(text, pos);
  return pos - start - (start === 0 && text.charCodeAt(0) === 0xfeff && pos > 0 ? 1 : 0);
}

/** True when only spaces (or a byte-order mark) precede `pos` on its line. */
export function startsLine(text: string, pos: number): boolean {
  for (let i = lineStart(text, pos); i < pos; i++) if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\uFEFF') return false;
  return true;
}

/** Column of the `#` when the line starting at `start` (ending before `end`) is a comment line, else -1. */
function commentColumn(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\uFEFF')) i++;
  return i < end && text[i] === '#' ? column(text, i) : -1;
}

/**
 * Start of the comment lines directly above the line starting at `at` (no blank line between) whose `#` is in
 * column `col`, not reaching above `floor`. Returns `at` when there are none. The lines between `floor` and `at`
 * must be known (from the parser) to hold only blanks and comments.
 */
export function commentBlockAbove(text: string, at: number, floor: number, col: number): number {
  let start = at;
  while (start > floor) {
    const prev = lineStart(text, start - 1);
    if (prev < floor) break;
    if (commentColumn(text, prev, start - 1) !== col) break;
    start = prev;
  }
  return start;
}

/** End of the last non-blank character before `end`, not going below `from` (drops a block scalar's trailing line breaks). */
export function trimEnd(text: string, from: number, end: number): number {
  let i = end;
  while (i > from && /\s/.test(text[i - 1])) i--;
  return i;
}

/** Prefix every line but the first with `pad`. */
export const indentRest = (s: string, pad: string) => s.replace(/\n(?=.)/g, '\n' + pad);

/**
 * Extend the end of an entry (`at`, the start of the line after its content) over the comment lines that follow it
 * indented deeper than its column `col`: they are about its content. Stops at a blank line or anything else.
 */
export function deeperComments(text: string, at: number, col: number): number {
  let pos = at;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const c = commentColumn(text, pos, nl < 0 ? text.length : nl);
    if (c <= col) break;
    pos = nl < 0 ? text.length : nl + 1;
  }
  return pos;
}

/** Past the blank lines that start at `at` (the start of a line). */
export function blankLinesAfter(text: string, at: number): number {
  let pos = at;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (text.slice(pos, end).trim()) break;
    pos = nl < 0 ? text.length : nl + 1;
  }
  return pos;
}
