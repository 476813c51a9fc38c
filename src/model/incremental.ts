/**
 * Re-parse only the YAML documents that changed. A keystroke touches one document; the others are taken from the
 * previous parse and shifted to their new offsets, so a 3,000-line design re-parses in about the time of one
 * document. The result equals `parseDesign(text)` exactly (a property test checks it).
 *
 * Splitting is safe because, by the YAML spec, a line that starts with `---` followed by a space or the line end
 * always begins a new document. Texts with directives (`%YAML`) or explicit document ends (`...`) are parsed whole.
 */
import { buildModel } from './model';
import { parseDesign, type ParseOptions, type ParseResult } from './parse';
import type { Diagnostic, Resource, ResourceKey, TextRange } from './resource';
import { escapeNewlines, lineStarts, packSourceMap, toRange, type PackedSourceMap, type SourceMap, type Span } from './sourcemap';

const DOC_START = /^---(?=[ \t]|\r?\n|$)/gm;
/** Line breaks other than `\n` (rare): texts with them are split with the (slower) multiline regexes. */
const OTHER_BREAKS = /[\r\u2028\u2029]/;
/** A directive (`%YAML`) or an explicit document end (`...`) at the start of a line. (Searched for with `includes` and
 * `indexOf`, not a multiline regex nor a loop over the lines: this runs on every keystroke.) */
function unsplittable(text: string): boolean {
  if (OTHER_BREAKS.test(text)) return /^(%|\.\.\.(?:[ \t]|\r?\n|$))/m.test(text);
  if (text.startsWith('%') || isDocumentEnd(text, 0) || text.includes('\n%')) return true;
  for (let i = text.indexOf('\n...'); i >= 0; i = text.indexOf('\n...', i + 4)) if (isDocumentEnd(text, i + 1)) return true;
  return false;
}
const isDocumentEnd = (text: string, at: number) => text.startsWith('...', at) && /^(?:[ \t]|\r?\n|$)/.test(text.slice(at + 3, at + 5));
/** Text that holds nothing but blank lines and comments. */
const ONLY_COMMENTS = /^(?:[ \t]*(?:#.*)?(?:\r?\n|$))*$/;

export function splitDocuments(text: string): { from: number; text: string }[] {
  const cuts = [0];
  if (OTHER_BREAKS.test(text)) {
    for (const m of text.matchAll(DOC_START)) if (m.index! > 0) cuts.push(m.index!);
  } else {
    for (let i = text.indexOf('\n---'); i >= 0; i = text.indexOf('\n---', i + 4)) {
      const c = text.charCodeAt(i + 4);
      if (c === 32 || c === 9 || c === 10 || Number.isNaN(c)) cuts.push(i + 1);
    }
  }
  const chunks = cuts.map((from, i) => ({ from, text: text.slice(from, cuts[i + 1] ?? text.length) }));
  // Comments before the first `---` belong to the first document.
  if (chunks.length > 1 && ONLY_COMMENTS.test(chunks[0].text)) {
    chunks.splice(0, 2, { from: 0, text: chunks[0].text + chunks[1].text });
  }
  return chunks;
}

/** A chunk's resource spans relative to the chunk, packed once (pointers joined by "\n", from/to/keyFrom triples). */
interface RelativeSpans {
  pointers: string;
  spans: Int32Array;
}

function relativeSpans(spans: Map<string, Span>): RelativeSpans {
  const out = new Int32Array(spans.size * 3);
  const pointers: string[] = [];
  let j = 0;
  for (const [ptr, s] of spans) {
    pointers.push(escapeNewlines(ptr));
    out[j++] = s.from;
    out[j++] = s.to;
    out[j++] = s.keyFrom;
  }
  return { pointers: pointers.join('\n'), spans: out };
}

/** One resource of the text: where its chunk starts, and the chunk's parse it came from. */
interface Placed {
  at: number;
  part: ParseResult;
  key: ResourceKey;
}

/** The result of an incremental parse: the source map is built (or packed) only when asked for. */
export interface IncrementalResult extends ParseResult {
  /** The source map packed for postMessage, straight from the chunks (no intermediate maps). */
  readonly packedSourceMap: PackedSourceMap;
}

export class IncrementalParser {
  private cache = new Map<string, ParseResult>();
  /** Per chunk parse, its resources' relative packed spans. */
  private relative = new WeakMap<ParseResult, Map<ResourceKey, RelativeSpans>>();
  /** The last packed pointers, and the chunks' pointers they were joined from (most edits do not change them). */
  private pointers: { from: string[]; joined: string } = { from: [], joined: '' };
  /** The last resource object made for a chunk's resource: unchanged resources keep their identity across parses. */
  private placed = new WeakMap<Resource, Resource>();
  constructor(private readonly options: ParseOptions = {}) {}

  parse(text: string): IncrementalResult {
    if (unsplittable(text)) {
      this.cache.clear();
      const whole = parseDesign(text, this.options);
      return { ...whole, packedSourceMap: packSourceMap(whole.sourceMap) };
    }
    // Chunks start at line starts: a chunk's ranges move by its offset and by the lines before it, columns stay.
    let linesBefore = 0;
    const next = new Map<string, ParseResult>();
    const resources: Resource[] = [];
    const index = new Map<ResourceKey, number>();
    const diagnostics: Diagnostic[] = [];
    // In first-definition order, with the last definition (as a Map's set does).
    const spansOf = new Map<ResourceKey, Placed>();
    const documents: { from: number; to: number }[] = [];
    const shift = ({ from, to, line, column, endLine, endColumn }: TextRange, by: number, lines: number): TextRange => ({ from: from + by, to: to + by, line: line + lines, column, endLine: endLine + lines, endColumn });

    for (const chunk of splitDocuments(text)) {
      const part = this.cache.get(chunk.text) ?? next.get(chunk.text) ?? parseDesign(chunk.text, this.options);
      next.set(chunk.text, part);
      const docBase = documents.length;
      for (const d of part.documents) documents.push({ from: d.from + chunk.from, to: d.to + chunk.from });
      for (const d of part.diagnostics) diagnostics.push({ ...d, range: shift(d.range, chunk.from, linesBefore) });
      for (const r of part.model.resources) {
        let moved = this.placed.get(r);
        if (moved?.doc !== r.doc + docBase) this.placed.set(r, (moved = docBase ? { ...r, doc: r.doc + docBase } : r));
        const previous = index.get(r.key);
        if (previous !== undefined) {
          // The same warning parseDesign gives for a redefinition, at the later definition.
          const root = part.sourceMap.get(r.key)!.get('')!;
          diagnostics.push({
            severity: 'warning', source: 'model', code: 'MC0003', resource: r.key, path: [],
            message: `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name} is defined again; this later definition replaces the earlier one (as kubectl apply would).`,
            range: shift(toRange(part.lineStarts, root.keyFrom, root.to), chunk.from, linesBefore),
          });
          resources[previous] = moved;
        } else {
          index.set(r.key, resources.length);
          resources.push(moved);
        }
        spansOf.set(r.key, { at: chunk.from, part, key: r.key });
      }
      linesBefore += part.lineStarts.length - 1;
    }
    this.cache = next;
    diagnostics.sort((a, b) => a.range.from - b.range.from);
    let sourceMap: SourceMap | undefined;
    let starts: number[] | undefined;
    let packed: PackedSourceMap | undefined;
    const pack = (): PackedSourceMap => {
      const { parts, ...map } = packShifted(spansOf, relative);
      // The same pointers as last time: the same string (it is most of the map, and compared before it is sent).
      const last = this.pointers;
      if (last.from.length !== parts.length || parts.some((x, i) => x !== last.from[i])) this.pointers = { from: parts, joined: parts.join('\n') };
      return { ...map, pointers: this.pointers.joined };
    };
    const relative = (p: Placed) => {
      let byKey = this.relative.get(p.part);
      if (!byKey) this.relative.set(p.part, (byKey = new Map()));
      let rel = byKey.get(p.key);
      if (!rel) byKey.set(p.key, (rel = relativeSpans(p.part.sourceMap.get(p.key)!)));
      return rel;
    };
    return {
      model: buildModel(resources),
      diagnostics,
      documents,
      get lineStarts() {
        return (starts ??= lineStarts(text));
      },
      get sourceMap() {
        return (sourceMap ??= shiftedSourceMap(spansOf));
      },
      get packedSourceMap() {
        return (packed ??= pack());
      },
    };
  }
}

function shiftedSourceMap(spansOf: Map<ResourceKey, Placed>): SourceMap {
  const map: SourceMap = new Map();
  for (const [key, { at, part }] of spansOf) {
    const spans = new Map<string, Span>();
    for (const [ptr, s] of part.sourceMap.get(key)!) spans.set(ptr, { from: s.from + at, to: s.to + at, keyFrom: s.keyFrom + at });
    map.set(key, spans);
  }
  return map;
}

/** Packed, but for the pointers: their parts (one string per resource), joined by the caller. */
function packShifted(spansOf: Map<ResourceKey, Placed>, relative: (p: Placed) => RelativeSpans): Omit<PackedSourceMap, 'pointers'> & { parts: string[] } {
  const keys = [...spansOf.keys()];
  const rels = [...spansOf.values()].map((p) => ({ at: p.at, rel: relative(p) }));
  const counts = new Int32Array(keys.length);
  let total = 0;
  rels.forEach(({ rel }, i) => (total += counts[i] = rel.spans.length / 3));
  const spans = new Int32Array(total * 3);
  let j = 0;
  for (const { at, rel } of rels) for (let i = 0; i < rel.spans.length; i++) spans[j++] = rel.spans[i] + at;
  return { keys, counts, parts: rels.map(({ rel }) => rel.pointers), spans };
}
