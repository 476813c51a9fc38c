/**
 * The smallest text edits that turn one parsed document into the document a patched JS value describes.
 *
 * Walks the document's nodes beside the value they were read as (`old`) and the patched value (`next`), and only
 * goes where the two differ: a scalar is replaced in place, in its quoting style; map entries are deleted as whole
 * lines (with the comment lines right above them) or added after their last sibling at the siblings' indentation;
 * list items keep their identity through moves (the JS objects remember the node they came from), so a moved item
 * is cut and pasted with its comments and formatting. Flow collections stay flow. Anything else is rewritten
 * from the node's start, in block style at the right indentation.
 */
import type { Node } from 'yaml';
import { deepEqual } from './equal';
import { column, commentBlockAbove, deeperComments, lineEnd, lineStart, startsLine } from './lines';
import { renderAfterDash, renderAfterKey, renderEntryLines, renderFlow, renderFlowEntry, renderItemLines, renderScalar } from './render';
import { applyEdits, normalizeEdits, shiftEdits, type TextEdit } from './textedit';
import { contentEnd, entries, inlineScalarType, isEmptyFlow, isEmptyScalar, isFlow, isMapNode, isSeqNode, nodeStart, nodeValueEnd, type Entry, type Style } from './yamlast';

/** Where a value sits: what its text may look like when it is rewritten. */
export type Place =
  /** A block map value; `col` is the key's column. */
  | { kind: 'pair'; valueStart: number; col: number }
  /** A block list item; `col` is the `-`'s column. */
  | { kind: 'item'; valueStart: number; col: number }
  | { kind: 'flow' }
  | { kind: 'root' };

export interface DiffContext {
  text: string;
  style: Style;
  /** The node each map/list of `next` was read from (identity survives patches). */
  origins: WeakMap<object, Node>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Edits (offsets into ctx.text) that change `node`, read as `old`, into `next`. `floor`: where comment lines above its first entry may start. */
export function diffValue(ctx: DiffContext, node: Node | null, old: unknown, next: unknown, place: Place, floor: number, out: TextEdit[]): void {
  if (deepEqual(old, next)) return;
  if (!node || isEmptyScalar(node)) return replaceValue(ctx, node, next, place, out);
  if (isMapNode(node) && isObj(old) && isObj(next)) return diffMap(ctx, node, old, next, place, floor, out);
  if (isSeqNode(node) && Array.isArray(old) && Array.isArray(next)) return diffSeq(ctx, node, old, next, place, floor, out);
  const type = inlineScalarType(node);
  if (type && (typeof next !== 'object' || next === null)) {
    const text = renderScalar(next, place.kind === 'flow', type);
    if (!text.includes('\n')) {
      out.push({ from: nodeStart(node), to: nodeValueEnd(node), text });
      return;
    }
  }
  replaceValue(ctx, node, next, place, out);
}

/** Rewrite a whole value from where it starts (after its `:` or `-` in block context). */
function replaceValue(ctx: DiffContext, node: Node | null, next: unknown, place: Place, out: TextEdit[]): void {
  const { text, style } = ctx;
  if (node && isFlow(node) && typeof next === 'object' && next !== null && !isEmptyFlow(node)) {
    // A flow collection stays flow.
    out.push({ from: nodeStart(node), to: nodeValueEnd(node), text: renderFlow(next) });
    return;
  }
  switch (place.kind) {
    case 'pair':
    case 'item': {
      let to = contentEnd(text, node, place.valueStart);
      let value = place.kind === 'pair' ? renderAfterKey(next, place.col, style) : renderAfterDash(next, place.col, style);
      let eol = lineEnd(text, to);
      if (text[eol - 1] === '\n') eol--;
      if (text[eol - 1] === '\r') eol--;
      const rest = text.slice(to, eol);
      const nl = value.indexOf('\n');
      if (text.slice(place.valueStart, to).includes('\n')) {
        // The old value took lines of its own: a comment after its last line was about that line; it goes too.
        to = eol;
      } else if (nl >= 0 && rest.trim()) {
        // A comment after a one-line value would end up after the new value's last line (inside a block scalar,
        // even): it moves to the new value's first line.
        value = value.slice(0, nl) + rest + value.slice(nl);
        to = eol;
      }
      out.push({ from: place.valueStart, to, text: value });
      return;
    }
    case 'flow':
      if (!node) throw new Error('a flow value without a node');
      out.push({ from: nodeStart(node), to: contentEnd(text, node, nodeStart(node)), text: renderFlow(next) });
      return;
    case 'root':
      throw new Error('cannot rewrite a document root in place');
  }
}

/** Insert whole lines at `at` (the start of a line, or the end of a text that has no final line break). */
function insertLines(text: string, at: number, lines: string, out: TextEdit[]) {
  if (!lines) return;
  if (at === text.length && text.length > 0 && !text.endsWith('\n')) out.push({ from: at, to: at, text: '\n' + lines.replace(/\r?\n$/, '') });
  else out.push({ from: at, to: at, text: lines });
}

/** Text of the lines [from, to) after applying the edits inside them; ends with a line break. */
function linesWith(text: string, from: number, to: number, edits: TextEdit[]): string {
  const s = applyEdits(text.slice(from, to), shiftEdits(normalizeEdits(edits), -from));
  return s.endsWith('\n') ? s : s + '\n';
}

/** Where an entry's lines end: after its last content line and the comments below it indented deeper than `col`. */
const entryEnd = (text: string, e: Entry, col: number) => deeperComments(text, lineEnd(text, e.end), col);

/** Where entry i's block of lines starts: its line, or the comment lines right above it in its column. */
function blockStart(text: string, es: Entry[], i: number, floor: number): number {
  const low = i === 0 ? floor : entryEnd(text, es[i - 1], column(text, es[i].head));
  const at = lineStart(text, es[i].head);
  return at < low ? at : commentBlockAbove(text, at, low, column(text, es[i].head));
}

function diffMap(ctx: DiffContext, node: Node & { flow?: boolean }, old: Obj, next: Obj, place: Place, floor: number, out: TextEdit[]): void {
  const { text, style } = ctx;
  const es = entries(text, node as Parameters<typeof entries>[1]);
  if (!es || es.length === 0 || es.length !== Object.keys(old).length || es.some((e) => !Object.hasOwn(old, e.key!))) return replaceValue(ctx, node, next, place, out);
  const kept = es.filter((e) => Object.hasOwn(next, e.key!));
  const added = Object.keys(next).filter((k) => !Object.hasOwn(old, k));
  if (kept.length === 0) return replaceValue(ctx, node, next, place, out);

  if (node.flow) {
    if (kept.length < es.length) {
      // Deletions in a flow map: rewrite its entries, keeping the text of the ones that stay.
      const parts = kept.map((e) => {
        const inner: TextEdit[] = [];
        diffValue(ctx, e.value, old[e.key!], next[e.key!], { kind: 'flow' }, 0, inner);
        return applyEdits(text.slice(e.head, e.end), shiftEdits(normalizeEdits(inner), -e.head));
      });
      for (const k of added) parts.push(renderFlowEntry(k, next[k]));
      out.push({ from: nodeStart(node), to: nodeValueEnd(node), text: '{' + parts.join(', ') + '}' });
      return;
    }
    for (const e of es) diffValue(ctx, e.value, old[e.key!], next[e.key!], { kind: 'flow' }, 0, out);
    if (added.length) out.push({ from: es[es.length - 1].end, to: es[es.length - 1].end, text: added.map((k) => ', ' + renderFlowEntry(k, next[k])).join('') });
    return;
  }

  const col = column(text, es[0].head);
  // Nested maps follow this map's own indentation step, where it shows one.
  if (place.kind === 'pair' && startsLine(text, es[0].head) && col > place.col) ctx = { ...ctx, style: { ...style, indent: col - place.col } };
  // The first entry can share its line with a `-` (a map in a list): deleting it pulls the next survivor up.
  let skipUntil = 0;
  if (!Object.hasOwn(next, es[0].key!) && !startsLine(text, es[0].head)) {
    const s = es.findIndex((e) => Object.hasOwn(next, e.key!));
    out.push({ from: es[0].head, to: es[s].head, text: '' });
    skipUntil = s;
  }
  es.forEach((e, i) => {
    if (i < skipUntil) return;
    if (Object.hasOwn(next, e.key!)) {
      diffValue(ctx, e.value, old[e.key!], next[e.key!], { kind: 'pair', valueStart: e.valueStart, col }, lineEnd(text, e.valueStart), out);
    } else {
      out.push({ from: blockStart(text, es, i, floor), to: entryEnd(text, e, col), text: '' });
    }
  });
  if (added.length) insertLines(text, entryEnd(text, es[es.length - 1], col), added.map((k) => renderEntryLines(k, next[k], col, ctx.style)).join(''), out);
}

type Slot = { kind: 'inplace'; j: number } | { kind: 'moved'; j: number } | { kind: 'fresh' };

/** Longest strictly increasing subsequence of `values` (indices into it). */
function lis(values: number[]): number[] {
  const tails: number[] = [];
  const prev: number[] = new Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.push(i);
  return out.reverse();
}

/**
 * Decide, for each new list item, whether it is an old item left in place, an old item moved, or new.
 * Identity first (objects remember their node); then, between items left in place, equal values (LCS), then
 * position (an item replaced by a changed copy is edited, not re-written).
 */
function alignList(es: Entry[], old: unknown[], next: unknown[], origins: WeakMap<object, Node>): Slot[] {
  const slots: Slot[] = next.map(() => ({ kind: 'fresh' }));
  const indexOf = new Map<Node, number>();
  es.forEach((e, j) => e.value && indexOf.set(e.value, j));
  const pairs: [number, number][] = [];
  const usedOld = new Set<number>();
  next.forEach((v, i) => {
    if (typeof v !== 'object' || v === null) return;
    const o = origins.get(v);
    const j = o ? indexOf.get(o) : undefined;
    if (j !== undefined && !usedOld.has(j)) {
      usedOld.add(j);
      pairs.push([i, j]);
    }
  });
  const keep = new Set(lis(pairs.map(([, j]) => j)).map((k) => pairs[k][0]));
  for (const [i, j] of pairs) slots[i] = keep.has(i) ? { kind: 'inplace', j } : { kind: 'moved', j };

  // Gaps between items left in place: match the rest by value, then by position.
  const anchors: [number, number][] = [[-1, -1], ...pairs.filter(([i]) => keep.has(i)), [next.length, old.length]];
  for (let g = 0; g + 1 < anchors.length; g++) {
    const newIdx: number[] = [];
    const oldIdx: number[] = [];
    for (let i = anchors[g][0] + 1; i < anchors[g + 1][0]; i++) if (slots[i].kind === 'fresh') newIdx.push(i);
    for (let j = anchors[g][1] + 1; j < anchors[g + 1][1]; j++) if (!usedOld.has(j)) oldIdx.push(j);
    if (!newIdx.length || !oldIdx.length) continue;
    const matches = lcs(newIdx.map((i) => next[i]), oldIdx.map((j) => old[j]));
    const sub: [number, number][] = [[-1, -1], ...matches, [newIdx.length, oldIdx.length]];
    for (let s = 0; s + 1 < sub.length; s++) {
      if (s > 0) {
        const [a, b] = sub[s];
        slots[newIdx[a]] = { kind: 'inplace', j: oldIdx[b] };
        usedOld.add(oldIdx[b]);
      }
      const n = Math.min(sub[s + 1][0] - sub[s][0] - 1, sub[s + 1][1] - sub[s][1] - 1);
      for (let k = 1; k <= n; k++) {
        slots[newIdx[sub[s][0] + k]] = { kind: 'inplace', j: oldIdx[sub[s][1] + k] };
        usedOld.add(oldIdx[sub[s][1] + k]);
      }
    }
  }
  return slots;
}

/**
 * Pairs [i, j] of a longest common subsequence of a and b under deep equality. Equal ends are matched first, so
 * that a changed item between equal ones is paired with the item it replaces.
 */
function lcs(a: unknown[], b: unknown[]): [number, number][] {
  let head = 0;
  while (head < a.length && head < b.length && deepEqual(a[head], b[head])) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && deepEqual(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
  const middle = lcsTable(a.slice(head, a.length - tail), b.slice(head, b.length - tail)).map(([i, j]): [number, number] => [i + head, j + head]);
  const out: [number, number][] = [];
  for (let k = 0; k < head; k++) out.push([k, k]);
  out.push(...middle);
  for (let k = tail; k > 0; k--) out.push([a.length - k, b.length - k]);
  return out;
}

function lcsTable(a: unknown[], b: unknown[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i][j] = deepEqual(a[i], b[j]) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (deepEqual(a[i], b[j])) {
      out.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return out;
}

function diffSeq(ctx: DiffContext, node: Node & { flow?: boolean }, old: unknown[], next: unknown[], place: Place, floor: number, out: TextEdit[]): void {
  const { text, style } = ctx;
  const es = entries(text, node as Parameters<typeof entries>[1]);
  if (!es || es.length === 0 || next.length === 0 || es.length !== old.length) return replaceValue(ctx, node, next, place, out);
  const slots = alignList(es, old, next, ctx.origins);
  const placed = new Set(slots.flatMap((s) => (s.kind === 'fresh' ? [] : [s.j])));
  const firstInPlace = slots.find((s) => s.kind === 'inplace') as { j: number } | undefined;
  if (!firstInPlace) return replaceValue(ctx, node, next, place, out);

  if (node.flow) {
    const structural = es.some((_, j) => !placed.has(j)) || slots.some((s) => s.kind === 'moved');
    const itemText = (s: Slot, i: number) => {
      if (s.kind === 'fresh') return renderFlow(next[i]);
      const inner: TextEdit[] = [];
      diffValue(ctx, es[s.j].value, old[s.j], next[i], { kind: 'flow' }, 0, inner);
      if (s.kind === 'inplace' && !structural) {
        out.push(...inner);
        return undefined;
      }
      return applyEdits(text.slice(es[s.j].head, es[s.j].end), shiftEdits(normalizeEdits(inner), -es[s.j].head));
    };
    if (structural) {
      out.push({ from: nodeStart(node), to: nodeValueEnd(node), text: '[' + slots.map((s, i) => itemText(s, i)).join(', ') + ']' });
      return;
    }
    let pending: string[] = [];
    slots.forEach((s, i) => {
      if (s.kind === 'fresh') return void pending.push(renderFlow(next[i]));
      if (pending.length) out.push({ from: es[s.j].head, to: es[s.j].head, text: pending.map((p) => p + ', ').join('') });
      pending = [];
      itemText(s, i);
    });
    if (pending.length) out.push({ from: es[es.length - 1].end, to: es[es.length - 1].end, text: pending.map((p) => ', ' + p).join('') });
    return;
  }

  // Block list. An item that shares its line with something before it (`- - a`) cannot be cut as lines.
  if (!startsLine(text, es[0].head) && (!placed.has(0) || firstInPlace.j !== 0 || slots[0].kind !== 'inplace')) return replaceValue(ctx, node, next, place, out);
  const col = column(text, es[0].head);
  const starts = es.map((_, j) => blockStart(text, es, j, floor));
  const itemPlace = (j: number): Place => ({ kind: 'item', valueStart: es[j].valueStart, col });
  const itemFloor = (j: number) => lineEnd(text, es[j].valueStart);
  let pending = '';
  slots.forEach((s, i) => {
    if (s.kind === 'fresh') {
      pending += renderItemLines(next[i], col, style);
    } else if (s.kind === 'moved') {
      const inner: TextEdit[] = [];
      diffValue(ctx, es[s.j].value, old[s.j], next[i], itemPlace(s.j), itemFloor(s.j), inner);
      pending += linesWith(text, starts[s.j], entryEnd(text, es[s.j], col), inner);
    } else {
      if (pending) out.push({ from: starts[s.j], to: starts[s.j], text: pending });
      pending = '';
      diffValue(ctx, es[s.j].value, old[s.j], next[i], itemPlace(s.j), itemFloor(s.j), out);
    }
  });
  insertLines(text, entryEnd(text, es[es.length - 1], col), pending, out);
  es.forEach((e, j) => {
    const moved = slots.some((s) => s.kind === 'moved' && s.j === j);
    if (!placed.has(j) || moved) out.push({ from: starts[j], to: entryEnd(text, e, col), text: '' });
  });
}
