/**
 * Every access to the yaml library's syntax trees for editing lives here: parsing one document, the positions of
 * a collection's entries (from node ranges and the CST tokens kept with `keepSourceTokens`), the extent of a
 * node's content, the document's indentation style, and the link between plain JS values and the nodes they
 * came from. The rest of src/model/edit works on the plain facts this module returns.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type CST, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { deepEqual } from './equal';
import { column, lineEnd, startsLine, trimEnd } from './lines';

export type { Document, Node };

/** Same limits as parse.ts. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedDoc {
  doc: Document.Parsed;
  /** The document's contents (the resource object, or a `kind: List`). */
  root: Node | null;
  /** Offset of the `---` marker, when the document has one. */
  marker: number | undefined;
  /** True when the document ends with `...`. */
  docEnd: boolean;
  /** End of the document's range (after its trailing comments and `...`). */
  end: number;
}

/** Parse a text that must hold exactly one YAML document, without errors. */
export function parseOne(text: string): ParsedDoc | { error: string } {
  const docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length !== 1) return { error: `expected one YAML document, found ${list.length}` };
  const doc = list[0];
  if (doc.errors.length) return { error: doc.errors[0].message };
  return {
    doc,
    root: doc.contents as Node | null,
    marker: doc.directives.docStart ? doc.range[0] : undefined,
    docEnd: !!doc.directives.docEnd,
    end: doc.range[2],
  };
}

/** Plain JS value of a document (same options as parse.ts). */
export function toJS(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

export const isMapNode = (n: unknown): n is YAMLMap => isMap(n);
export const isSeqNode = (n: unknown): n is YAMLSeq => isSeq(n);
export const isFlow = (n: Node | null): boolean => !!n && (isMap(n) || isSeq(n)) && !!n.flow;
export const isEmptyFlow = (n: Node): boolean => (isMap(n) || isSeq(n)) && !!n.flow && n.items.length === 0;

/** A scalar we may replace in place: plain or quoted, no tag or anchor (those change what the text means). */
export function inlineScalarType(n: Node | null): 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | undefined {
  if (!isScalar(n) || n.tag || n.anchor || !n.range) return undefined;
  const t = n.type;
  return t === Scalar.PLAIN || t === Scalar.QUOTE_SINGLE || t === Scalar.QUOTE_DOUBLE ? t : undefined;
}

/** A null scalar with no text (`key:` with nothing after it). */
export function isEmptyScalar(n: Node | null): boolean {
  return !n || (isScalar(n) && n.value === null && !!n.range && n.range[0] === n.range[1]);
}

export const nodeStart = (n: Node): number => n.range![0];
export const nodeValueEnd = (n: Node): number => n.range![1];

/** One entry of a map or list, with the positions the splicer needs. */
export interface Entry {
  /** Map entries: the key as the JS object has it. */
  key?: string;
  value: Node | null;
  /** Offset of the key (maps), the `-` (block lists) or the item (flow lists). */
  head: number;
  /** Where the value's text starts when rewritten: after the `:` or the `-` (block); the item start (flow). */
  valueStart: number;
  /** End of the entry's last character of content (not its trailing comment or line break). */
  end: number;
}

type CstItem = { start: CST.SourceToken[]; key?: CST.Token | null; sep?: CST.SourceToken[]; value?: CST.Token | null };

/**
 * The entries of a map or list, or undefined when it uses something the splicer does not edit
 * (complex or explicit keys, or an AST that does not line up with its tokens).
 */
export function entries(text: string, node: YAMLMap | YAMLSeq): Entry[] | undefined {
  const token = node.srcToken as { items?: CstItem[] } | undefined;
  // The CST keeps comment lines after the last entry as an item with nothing but those comments.
  const items = token?.items?.filter((it) => it.key || it.sep?.length || it.value || it.start.some((t) => t.type !== 'space' && t.type !== 'comment' && t.type !== 'newline'));
  if (!items || items.length !== node.items.length) return undefined;
  const out: Entry[] = [];
  for (let i = 0; i < items.length; i++) {
    const cst = items[i];
    if (isMap(node)) {
      const pair = node.items[i];
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range || key.anchor || key.tag || typeof key.value === 'object') return undefined;
      if (cst.start.some((t) => t.type === 'explicit-key-ind')) return undefined;
      const colon = cst.sep?.find((t) => t.type === 'map-value-ind');
      const value = (pair.value as Node | null) ?? null;
      const valueStart = colon ? colon.offset + 1 : key.range[1];
      out.push({ key: String(key.value), value, head: key.range[0], valueStart, end: contentEnd(text, value, valueStart) });
    } else {
      const value = node.items[i] as Node | null;
      if (value && !isScalar(value) && !isMap(value) && !isSeq(value) && !isAlias(value)) return undefined; // a pair in a flow list
      if (node.flow) {
        if (!value || !value.range || cst.key || cst.sep?.length) return undefined;
        out.push({ value, head: value.range[0], valueStart: value.range[0], end: contentEnd(text, value, value.range[0]) });
      } else {
        const dash = cst.start.find((t) => t.type === 'seq-item-ind');
        if (!dash) return undefined;
        out.push({ value, head: dash.offset, valueStart: dash.offset + 1, end: contentEnd(text, value, dash.offset + 1) });
      }
    }
  }
  return out;
}

/**
 * End of a node's content: a scalar's last character (a block scalar without its trailing line breaks),
 * a flow collection's closing bracket, a block collection's last entry. `empty` is returned for a missing
 * or empty value.
 */
export function contentEnd(text: string, node: Node | null, empty: number): number {
  if (!node || !node.range || isEmptyScalar(node)) return empty;
  if (isScalar(node)) {
    const t = node.type;
    if (t !== Scalar.BLOCK_LITERAL && t !== Scalar.BLOCK_FOLDED) return node.range[1];
    // `|+` keeps its trailing blank lines: they are content. Otherwise the content ends at its last character.
    const header = text.slice(node.range[0], lineEnd(text, node.range[0]));
    return /^[|>]([1-9]?\+|\+[1-9])/.test(header) ? node.range[1] : trimEnd(text, node.range[0], node.range[1]);
  }
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const es = entries(text, node);
    if (es && es.length) return Math.max(es[es.length - 1].end, empty);
    return node.range[1];
  }
  return node.range[1];
}

/** Where the document's contents end: after its last content line, or after the `...` line. */
export function documentEnd(text: string, parsed: ParsedDoc): number {
  if (parsed.docEnd) return lineEnd(text, parsed.end);
  const root = parsed.root;
  return lineEnd(text, contentEnd(text, root, parsed.marker !== undefined ? parsed.marker + 3 : 0));
}

export interface Style {
  /** Indentation step of nested maps. */
  indent: number;
  /** True when a list under a key is indented below it; false for `key:\n- item` (kubectl style). */
  indentSeq: boolean;
}

export const DEFAULT_STYLE: Style = { indent: 2, indentSeq: false };

/** The indentation style the document uses, from its first nested block map and list; undefined for what it does not show. */
export function detectStyle(text: string, root: Node | null): Partial<Style> {
  const found: Partial<Style> = {};
  const walk = (node: Node | null, depth: number) => {
    if (!node || depth > 12 || (found.indent !== undefined && found.indentSeq !== undefined)) return;
    if ((isMap(node) || isSeq(node)) && !node.flow) {
      const es = entries(text, node);
      if (!es) return;
      for (const e of es) {
        const v = e.value;
        if (isMap(node) && v && (isMap(v) || isSeq(v)) && !v.flow) {
          const inner = entries(text, v);
          const first = inner?.[0];
          if (first && startsLine(text, first.head)) {
            const delta = column(text, first.head) - column(text, e.head);
            if (isMap(v) && delta > 0 && found.indent === undefined) found.indent = delta;
            if (isSeq(v) && found.indentSeq === undefined) found.indentSeq = delta > 0;
          }
        }
        walk(v, depth + 1);
      }
    }
  };
  walk(root, 0);
  return found;
}

/** Remember which node each map and list of `js` (the document's JS value) came from. */
export function linkOrigins(node: Node | null, js: unknown, origins: WeakMap<object, Node>): void {
  if (!node || typeof js !== 'object' || js === null) return;
  if (isMap(node) && !Array.isArray(js)) {
    origins.set(js, node);
    const o = js as Record<string, unknown>;
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (isScalar(k) && Object.hasOwn(o, String(k.value))) linkOrigins(pair.value as Node | null, o[String(k.value)], origins);
    }
  } else if (isSeq(node) && Array.isArray(js) && js.length === node.items.length) {
    origins.set(js, node);
    node.items.forEach((item, i) => linkOrigins(item as Node | null, js[i], origins));
  }
}

/**
 * The fallback: change the parsed document through the yaml Document API (nodes that stay keep their comments
 * and style; moved list items keep their node) and print the whole document again. Only used when a splice
 * did not re-parse to the intended value; the caller counts it.
 */
export function rerender(parsed: ParsedDoc, next: unknown, origins: WeakMap<object, Node>, style: Style): string {
  const { doc } = parsed;
  const merge = (node: Node | null, next: unknown): Node => {
    if (node && deepEqualNode(doc, node, next)) return node;
    if (isMap(node) && isPlainObject(next)) {
      for (const pair of [...node.items]) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined || !Object.hasOwn(next, k)) node.delete(pair.key);
        else pair.value = merge(pair.value as Node | null, next[k]);
      }
      const have = new Set(node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
      for (const k of Object.keys(next)) if (!have.has(k)) node.set(k, doc.createNode(next[k]));
      return node;
    }
    if (isSeq(node) && Array.isArray(next)) {
      const mine = new Set(node.items as Node[]);
      const claimed = new Set<Node>();
      const byIdentity = next.map((v) => {
        const o = typeof v === 'object' && v !== null ? origins.get(v) : undefined;
        if (o && mine.has(o) && !claimed.has(o)) {
          claimed.add(o);
          return o;
        }
        return undefined;
      });
      const free = (node.items as Node[]).filter((n) => !claimed.has(n));
      node.items = next.map((v, i) => merge(byIdentity[i] ?? free.shift() ?? null, v));
      return node;
    }
    const created = doc.createNode(next) as Node;
    if (node && (isMap(node) || isSeq(node)) && node.flow && (isMap(created) || isSeq(created))) created.flow = true;
    return created;
  };
  doc.contents = merge(doc.contents as Node | null, next) as typeof doc.contents;
  return doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepEqualNode(doc: Document.Parsed, node: Node, value: unknown): boolean {
  try {
    return deepEqual(node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }), value);
  } catch {
    return false;
  }
}
