/** Offsets ⇄ lines, and the (resource, field path) → text span map that parsing produces. */
import type { FieldPath, ResourceKey, TextRange } from './resource';

/** Where a field's text is: its value `[from, to)` and where its key starts (`keyFrom === from` for list items). */
export interface Span {
  from: number;
  to: number;
  keyFrom: number;
}

/** Per resource, JSON-pointer of a field (`/spec/http/0/route`) → span. Serializable (structured clone). */
export type SourceMap = Map<ResourceKey, Map<string, Span>>;

const escapeToken = (t: string | number) => String(t).replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointer for a field path: `['spec','http',0]` → `/spec/http/0`; `[]` → ``. */
export function pointer(path: FieldPath): string {
  let out = '';
  for (const t of path) out += '/' + escapeToken(t);
  return out;
}

export function parsePointer(ptr: string): (string | number)[] {
  if (!ptr) return [];
  return ptr
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((t) => (/^(0|[1-9]\d*)$/.test(t) ? Number(t) : t));
}

/** Offsets of the first character of every line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
export function lineCol(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export function toRange(starts: readonly number[], from: number, to: number): TextRange {
  const a = lineCol(starts, from);
  const b = lineCol(starts, Math.max(from, to));
  return { from, to, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/**
 * The span of a field, or of its nearest ancestor that has one (a missing field points at its parent,
 * so that an error about `spec.hosts` missing lands on `spec`).
 */
export function findSpan(map: SourceMap, key: ResourceKey, path: FieldPath): { span: Span; path: FieldPath } | undefined {
  const spans = map.get(key);
  if (!spans) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const p = path.slice(0, n);
    const span = spans.get(pointer(p));
    if (span) return { span, path: p };
  }
  return undefined;
}

/** The resource and deepest field path whose span holds an offset (for cursor → selection). */
export function fieldAt(map: SourceMap, offset: number): { key: ResourceKey; path: (string | number)[] } | undefined {
  let best: { key: ResourceKey; ptr: string; size: number } | undefined;
  for (const [key, spans] of map) {
    const root = spans.get('');
    if (!root || offset < root.keyFrom || offset > root.to) continue;
    for (const [ptr, s] of spans) {
      if (offset < s.keyFrom || offset > s.to) continue;
      const size = s.to - s.keyFrom;
      if (!best || size < best.size) best = { key, ptr, size };
    }
  }
  return best && { key: best.key, path: parsePointer(best.ptr) };
}

/**
 * A source map packed for postMessage: pointers in one string and spans in one typed array (cloned in a fraction of
 * the time of the nested Maps, ~10k spans for a 3,000-line design). Unpacked on demand with `unpackSourceMap`.
 */
export interface PackedSourceMap {
  keys: ResourceKey[];
  /** Spans per key, in order. */
  counts: Int32Array;
  /** Every pointer, joined by "\n" (a newline inside a key travels as `~n`). */
  pointers: string;
  /** from, to, keyFrom per span. */
  spans: Int32Array;
}

/** A pointer as packed: a newline inside a key travels as `~n` (`~` alone never occurs: it is escaped as `~0`). */
export const escapeNewlines = (ptr: string) => (ptr.includes('\n') ? ptr.replace(/\n/g, '~n') : ptr);

export function packSourceMap(map: SourceMap): PackedSourceMap {
  const keys = [...map.keys()];
  const counts = new Int32Array(keys.length);
  let total = 0;
  keys.forEach((k, i) => (total += counts[i] = map.get(k)!.size));
  const spans = new Int32Array(total * 3);
  const pointers: string[] = [];
  let j = 0;
  for (const k of keys)
    for (const [ptr, s] of map.get(k)!) {
      pointers.push(escapeNewlines(ptr));
      spans[j++] = s.from;
      spans[j++] = s.to;
      spans[j++] = s.keyFrom;
    }
  return { keys, counts, pointers: pointers.join('\n'), spans };
}

const unpacked = new WeakMap<PackedSourceMap, SourceMap>();

/** The source map again (memoised per packed map). */
export function unpackSourceMap(p: PackedSourceMap): SourceMap {
  const hit = unpacked.get(p);
  if (hit) return hit;
  const pointers = p.spans.length ? p.pointers.split('\n').map((x) => (x.includes('~n') ? x.replace(/~n/g, '\n') : x)) : [];
  const map: SourceMap = new Map();
  let j = 0;
  p.keys.forEach((k, i) => {
    const spans = new Map<string, Span>();
    for (let n = 0; n < p.counts[i]; n++, j++) spans.set(pointers[j], { from: p.spans[j * 3], to: p.spans[j * 3 + 1], keyFrom: p.spans[j * 3 + 2] });
    map.set(k, spans);
  });
  unpacked.set(p, map);
  return map;
}

/**
 * `fieldAt` on a packed map, without unpacking it (the cursor asks this after every keystroke, of a map that is new
 * each time): one pass over the spans, and only the winning pointer decoded.
 */
export function fieldAtPacked(p: PackedSourceMap, offset: number): { key: ResourceKey; path: (string | number)[] } | undefined {
  let best = -1;
  let bestSize = Infinity;
  for (let j = 0; j < p.spans.length; j += 3) {
    const keyFrom = p.spans[j + 2];
    if (offset < keyFrom || offset > p.spans[j + 1]) continue;
    const size = p.spans[j + 1] - keyFrom;
    if (size < bestSize) [best, bestSize] = [j / 3, size];
  }
  if (best < 0) return undefined;
  let k = 0;
  for (let n = best; n >= p.counts[k]; k++) n -= p.counts[k];
  let at = 0;
  for (let n = 0; n < best; n++) at = p.pointers.indexOf('\n', at) + 1;
  const end = p.pointers.indexOf('\n', at);
  const ptr = p.pointers.slice(at, end < 0 ? undefined : end);
  return { key: p.keys[k], path: parsePointer(ptr.includes('~n') ? ptr.replace(/~n/g, '\n') : ptr) };
}
