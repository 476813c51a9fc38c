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
import type { Diagnostic, Resource, ResourceKey } from './resource';
import { lineStarts, toRange, type SourceMap, type Span } from './sourcemap';

const DOC_START = /^---(?=[ \t]|\r?\n|$)/gm;
const UNSPLITTABLE = /^(%|\.\.\.(?:[ \t]|\r?\n|$))/m;
/** Text that holds nothing but blank lines and comments. */
const ONLY_COMMENTS = /^(?:[ \t]*(?:#.*)?(?:\r?\n|$))*$/;

export function splitDocuments(text: string): { from: number; text: string }[] {
  const cuts = [0];
  for (const m of text.matchAll(DOC_START)) if (m.index! > 0) cuts.push(m.index!);
  const chunks = cuts.map((from, i) => ({ from, text: text.slice(from, cuts[i + 1] ?? text.length) }));
  // Comments before the first `---` belong to the first document.
  if (chunks.length > 1 && ONLY_COMMENTS.test(chunks[0].text)) {
    chunks.splice(0, 2, { from: 0, text: chunks[0].text + chunks[1].text });
  }
  return chunks;
}

export class IncrementalParser {
  private cache = new Map<string, ParseResult>();
  constructor(private readonly options: ParseOptions = {}) {}

  parse(text: string): ParseResult {
    if (UNSPLITTABLE.test(text)) {
      this.cache.clear();
      return parseDesign(text, this.options);
    }
    const starts = lineStarts(text);
    const next = new Map<string, ParseResult>();
    const resources: Resource[] = [];
    const index = new Map<ResourceKey, number>();
    const diagnostics: Diagnostic[] = [];
    const sourceMap: SourceMap = new Map();
    const documents: { from: number; to: number }[] = [];
    const shift = (d: Diagnostic, by: number): Diagnostic => ({ ...d, range: toRange(starts, d.range.from + by, d.range.to + by) });

    for (const chunk of splitDocuments(text)) {
      const part = this.cache.get(chunk.text) ?? next.get(chunk.text) ?? parseDesign(chunk.text, this.options);
      next.set(chunk.text, part);
      const docBase = documents.length;
      for (const d of part.documents) documents.push({ from: d.from + chunk.from, to: d.to + chunk.from });
      for (const d of part.diagnostics) diagnostics.push(shift(d, chunk.from));
      for (const r of part.model.resources) {
        const spans = new Map<string, Span>();
        for (const [ptr, s] of part.sourceMap.get(r.key)!) spans.set(ptr, { from: s.from + chunk.from, to: s.to + chunk.from, keyFrom: s.keyFrom + chunk.from });
        const moved: Resource = { ...r, doc: r.doc + docBase };
        const previous = index.get(r.key);
        if (previous !== undefined) {
          // The same warning parseDesign gives for a redefinition, at the later definition.
          const root = spans.get('')!;
          diagnostics.push({
            severity: 'warning', source: 'model', code: 'MC0003', resource: r.key, path: [],
            message: `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name} is defined again; this later definition replaces the earlier one (as kubectl apply would).`,
            range: toRange(starts, root.keyFrom, root.to),
          });
          resources[previous] = moved;
        } else {
          index.set(r.key, resources.length);
          resources.push(moved);
        }
        sourceMap.set(r.key, spans);
      }
    }
    this.cache = next;
    diagnostics.sort((a, b) => a.range.from - b.range.from);
    return { model: buildModel(resources), diagnostics, sourceMap, documents, lineStarts: starts };
  }
}
