/**
 * Patches → the smallest splices of the YAML text. Pure.
 *
 * Only the documents the patches touch are parsed (each on its own: its slice of the text), so an edit costs the
 * same in a 30,000-line design as in a 30-line one when the caller passes the index of the current parse. Each
 * touched document is changed on a plain JS copy (the intended value), diffed against its nodes (diff.ts), and
 * the edited slice is parsed again: if it does not read back as the intended value, that document alone is
 * printed again through the yaml Document API (counted in `fallbacks`). Other documents are not touched.
 */
import { parseDesign, type ParseResult } from '../parse';
import type { FieldPath, ResourceKey } from '../resource';
import { diffValue, type DiffContext } from './diff';
import { deepEqual } from './equal';
import { blankLinesAfter, commentBlockAbove, lineEnd, lineStart } from './lines';
import { applyFieldPatch, clone, getPath, keyOf, type Patch } from './patch';
import { renderDocument } from './render';
import { applyEdits, normalizeEdits, shiftEdits, type TextEdit } from './textedit';
import { DEFAULT_STYLE, detectStyle, documentEnd, linkOrigins, parseOne, rerender, toJS, type Node, type ParsedDoc, type Style } from './yamlast';

/** What the splicer needs from the current parse of the text (a ParseResult has it: see `designIndex`). */
export interface DesignIndex {
  documents: readonly { from: number; to: number }[];
  resources: readonly { key: ResourceKey; doc: number; base: FieldPath; object?: Record<string, unknown> }[];
}

export const designIndex = (parsed: Pick<ParseResult, 'documents' | 'model'>): DesignIndex => ({ documents: parsed.documents, resources: parsed.model.resources });

export type SpliceResult =
  | {
      ok: true;
      text: string;
      /** Offsets into the original text; sorted, non-overlapping. */
      edits: TextEdit[];
      /** Documents that had to be printed again by the yaml library (0 for edits the splicer handles). */
      fallbacks: number;
    }
  | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface DocWork {
  index: number;
  /** Offset of the slice in the whole text. */
  start: number;
  text: string;
  parsed: ParsedDoc;
  pristine: unknown;
  /** The intended value: the document's JS value with the patches applied. */
  shadow: unknown;
  origins: WeakMap<object, Node>;
  removed: boolean;
}

interface NewDoc {
  obj: Obj;
  /** Index of the original document it goes after, or the end of the text. */
  anchor: number | 'end';
}

interface Handle {
  home: DocWork | NewDoc;
  obj: Obj;
}

const isWork = (h: DocWork | NewDoc): h is DocWork => 'parsed' in h;

class Failure extends Error {}

class Session {
  private readonly works = new Map<number, DocWork>();
  private readonly handles = new Map<ResourceKey, Handle>();
  private readonly newDocs: NewDoc[] = [];
  private readonly byKey = new Map<ResourceKey, DesignIndex['resources'][number]>();
  private readonly byDoc = new Map<number, DesignIndex['resources'][number][]>();
  private readonly ends = new Map<number, { end: number; style: Partial<Style> } | undefined>();

  constructor(private readonly text: string, private readonly index: DesignIndex) {
    for (const r of index.resources) {
      this.byKey.set(r.key, r);
      let list = this.byDoc.get(r.doc);
      if (!list) this.byDoc.set(r.doc, (list = []));
      list.push(r);
    }
  }

  private load(i: number): DocWork {
    const have = this.works.get(i);
    if (have) return have;
    const range = this.index.documents[i];
    if (!range || range.to > this.text.length) throw new Failure('the design index does not match the text');
    const start = lineStart(this.text, range.from);
    const text = this.text.slice(start, range.to);
    const parsed = parseOne(text);
    if ('error' in parsed) throw new Failure(`document ${i + 1} does not parse (${parsed.error}); fix the YAML first`);
    const pristine = toJS(parsed.doc);
    const shadow = toJS(parsed.doc);
    const origins = new WeakMap<object, Node>();
    linkOrigins(parsed.root, shadow, origins);
    const work: DocWork = { index: i, start, text, parsed, pristine, shadow, origins, removed: false };
    this.works.set(i, work);
    for (const r of this.byDoc.get(i) ?? []) {
      const obj = r.base.length ? getPath(shadow, r.base) : shadow;
      if (!isObj(obj) || (r.object && !deepEqual(obj, r.object))) throw new Failure('the design index does not match the text');
      this.handles.set(r.key, { home: work, obj });
    }
    return work;
  }

  private handle(key: ResourceKey): Handle {
    const h = this.handles.get(key);
    if (h) return h;
    const r = this.byKey.get(key);
    if (!r || this.works.has(r.doc)) throw new Failure(`no resource ${key}`);
    this.load(r.doc);
    const loaded = this.handles.get(key);
    if (!loaded) throw new Failure(`no resource ${key}`);
    return loaded;
  }

  private exists(key: ResourceKey): boolean {
    if (this.handles.has(key)) return true;
    const r = this.byKey.get(key);
    return !!r && !this.works.has(r.doc);
  }

  apply(p: Patch): void {
    switch (p.type) {
      case 'addResource': {
        const key = keyOf(p.object);
        if (!key) throw new Failure('addResource: the object needs apiVersion, kind and metadata.name');
        if (this.exists(key)) throw new Failure(`addResource: ${key} exists`);
        const obj = clone(p.object);
        if (!p.after) {
          this.newDocs.push({ obj, anchor: 'end' });
          this.handles.set(key, { home: this.newDocs[this.newDocs.length - 1], obj });
          return;
        }
        const after = this.handle(p.after);
        const home = after.home;
        if (isWork(home) && after.obj !== home.shadow) {
          // Inside a `kind: List`: a new item after it.
          const items = (home.shadow as Obj).items as unknown[];
          items.splice(items.indexOf(after.obj) + 1, 0, obj);
          this.handles.set(key, { home, obj });
          return;
        }
        const doc: NewDoc = { obj, anchor: isWork(home) ? home.index : home.anchor };
        const at = isWork(home) ? this.newDocs.findIndex((d) => d.anchor === home.index) : this.newDocs.indexOf(home) + 1;
        this.newDocs.splice(at < 0 ? this.newDocs.length : at, 0, doc);
        this.handles.set(key, { home: doc, obj });
        return;
      }
      case 'removeResource': {
        const h = this.handle(p.key);
        if (!isWork(h.home)) this.newDocs.splice(this.newDocs.indexOf(h.home), 1);
        else if (h.obj === h.home.shadow) h.home.removed = true;
        else {
          const items = (h.home.shadow as Obj).items as unknown[];
          items.splice(items.indexOf(h.obj), 1);
        }
        this.handles.delete(p.key);
        return;
      }
      default: {
        const h = this.handle(p.key);
        const r = p.type === 'rename'
          ? applyFieldPatch(h.obj, { type: 'set', key: p.key, path: ['metadata', 'name'], value: p.name })
          : applyFieldPatch(h.obj, p);
        if (!r.ok) throw new Failure(r.error);
        const key = keyOf(h.obj);
        if (!key) throw new Failure(`${p.type}: ${p.key} would lose its apiVersion, kind or name`);
        if (key !== p.key) {
          if (this.exists(key)) throw new Failure(`${p.type}: ${key} exists`);
          this.handles.delete(p.key);
          this.handles.set(key, h);
        }
      }
    }
  }

  /** End of document i's content (after its `...`, if any), and its style; undefined when it does not parse. */
  private docEnd(i: number): { end: number; style: Partial<Style> } | undefined {
    if (this.ends.has(i)) return this.ends.get(i);
    const w = this.works.get(i);
    let out: { end: number; style: Partial<Style> } | undefined;
    if (w) out = { end: w.start + documentEnd(w.text, w.parsed), style: detectStyle(w.text, w.parsed.root) };
    else {
      const range = this.index.documents[i];
      const start = lineStart(this.text, range.from);
      const text = this.text.slice(start, range.to);
      const parsed = parseOne(text);
      if (!('error' in parsed)) out = { end: start + documentEnd(text, parsed), style: detectStyle(text, parsed.root) };
    }
    this.ends.set(i, out);
    return out;
  }

  private styleOf(w: DocWork | undefined, fallback?: Partial<Style>): Style {
    const own = w ? detectStyle(w.text, w.parsed.root) : {};
    return { indent: own.indent ?? fallback?.indent ?? DEFAULT_STYLE.indent, indentSeq: own.indentSeq ?? fallback?.indentSeq ?? DEFAULT_STYLE.indentSeq };
  }

  private removal(w: DocWork): TextEdit {
    let from = w.start;
    if (w.parsed.marker !== undefined) {
      from = w.start + lineStart(w.text, w.parsed.marker);
      // Comment lines right above a document's `---` belong to it (but not the file's header above the first).
      if (w.index > 0) {
        const prev = this.docEnd(w.index - 1);
        if (prev && prev.end <= from) from = commentBlockAbove(this.text, from, prev.end, 0);
      }
    }
    // The blank lines after it go too: left behind, a `|+` block scalar that ends the document before would take them.
    return { from, to: blankLinesAfter(this.text, w.start + documentEnd(w.text, w.parsed)), text: '' };
  }

  private verify(w: DocWork, local: TextEdit[]): boolean {
    try {
      const parsed = parseOne(applyEdits(w.text, local));
      return !('error' in parsed) && deepEqual(toJS(parsed.doc), w.shadow);
    } catch {
      return false;
    }
  }

  render(): SpliceResult {
    const edits: TextEdit[] = [];
    let fallbacks = 0;
    const works = [...this.works.values()].sort((a, b) => a.index - b.index);
    let sharedStyle: Partial<Style> | undefined;
    const removals = new Map<number, TextEdit>();
    for (const w of works) {
      if (w.removed) {
        const removal = this.removal(w);
        removals.set(w.index, removal);
        edits.push(removal);
        continue;
      }
      if (deepEqual(w.shadow, w.pristine)) continue;
      const style = this.styleOf(w, sharedStyle);
      sharedStyle ??= style;
      let local: TextEdit[] | undefined;
      try {
        const ctx: DiffContext = { text: w.text, style, origins: w.origins };
        const out: TextEdit[] = [];
        const floor = w.parsed.marker !== undefined ? lineEnd(w.text, w.parsed.marker) : 0;
        diffValue(ctx, w.parsed.root, w.pristine, w.shadow, { kind: 'root' }, floor, out);
        local = normalizeEdits(out);
      } catch {
        local = undefined;
      }
      if (!local || !this.verify(w, local)) {
        fallbacks++;
        local = [{ from: 0, to: w.text.length, text: rerender(w.parsed, w.shadow, w.origins, style) }];
        if (!this.verify(w, local)) return { ok: false, error: `document ${w.index + 1} could not be edited so that it reads back as intended` };
      }
      edits.push(...shiftEdits(local, w.start));
    }
    const err = this.renderNewDocs(edits, sharedStyle, removals);
    if (err) return { ok: false, error: err };
    let final = normalizeEdits(edits);
    // New text is written with `\n`; a text that breaks its lines with `\r\n` gets those.
    const nl = this.text.indexOf('\n');
    if (nl > 0 && this.text[nl - 1] === '\r') final = final.map((e) => ({ ...e, text: e.text.replace(/(?<!\r)\n/g, '\r\n') }));
    final = final.filter((e) => this.text.slice(e.from, e.to) !== e.text);
    return { ok: true, text: applyEdits(this.text, final), edits: final, fallbacks };
  }

  private renderNewDocs(edits: TextEdit[], shared: Partial<Style> | undefined, removals: Map<number, TextEdit>): string | undefined {
    const groups = new Map<number | 'end', Obj[]>();
    for (const d of this.newDocs) {
      let g = groups.get(d.anchor);
      if (!g) groups.set(d.anchor, (g = []));
      g.push(d.obj);
    }
    const docs = this.index.documents;
    // Documents that go after a given one come before those appended at the end (they may meet at the last one).
    const ordered = [...groups].sort(([a], [b]) => (a === 'end' ? 1 : 0) - (b === 'end' ? 1 : 0));
    for (const [anchor, objs] of ordered) {
      const a = anchor === 'end' ? docs.length - 1 : anchor;
      const prev = a >= 0 ? this.docEnd(a) : undefined;
      const style = this.styleOf(undefined, prev?.style.indent !== undefined || prev?.style.indentSeq !== undefined ? { ...shared, ...prev?.style } : shared);
      const rendered = objs.map((o) => renderDocument(o, style));
      for (let k = 0; k < objs.length; k++) {
        const back = parseOne(rendered[k]);
        if ('error' in back || !deepEqual(toJS(back.doc), objs[k])) return `the new ${String(objs[k].kind)} does not print as valid YAML`;
      }
      if (!this.text.trim()) {
        // Nothing but blank lines: the first document needs no `---`.
        const lead = this.text && !this.text.endsWith('\n') ? '\n' : '';
        edits.push({ from: this.text.length, to: this.text.length, text: lead + rendered.join('---\n') });
        continue;
      }
      // After a document that is removed too: where its removal ends.
      const at = anchor === 'end' ? this.text.length : removals.get(anchor)?.to ?? (prev ? prev.end : docs[anchor].to);
      let text = rendered.map((r) => '---\n' + r).join('');
      // A document after `...` may start without `---`: close ours so it does not swallow the next one.
      const next = anchor === 'end' ? undefined : docs[anchor + 1];
      if (next && !this.text.startsWith('---', next.from)) text += '...\n';
      if (at === this.text.length && !this.text.endsWith('\n')) text = '\n' + text.slice(0, -1);
      edits.push({ from: at, to: at, text });
    }
    return undefined;
  }
}

/**
 * Apply patches to a design's text as the smallest edits. `index` is the current parse of `text` (pass it: without
 * it the whole text is parsed once). Other documents, comments and formatting stay byte for byte.
 */
export function applyPatches(text: string, patches: readonly Patch[], index?: DesignIndex): SpliceResult {
  try {
    const session = new Session(text, index ?? designIndex(parseDesign(text, { validate: false })));
    for (const p of patches) session.apply(p);
    return session.render();
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.message };
    throw e;
  }
}
