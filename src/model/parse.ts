/**
 * YAML text → resources, diagnostics and a source map. Pure: runs in the model worker, in Node tests and in the CLI.
 *
 * Accepts multi-document YAML, `kind: List` (as `kubectl get -o yaml` prints) and any mix of kinds.
 * Objects without a namespace go to `default`; kinds we do not understand are kept, untouched.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { CLUSTER_SCOPED, isKnownKind, keyKind } from './kinds';
import { buildModel, type MeshModel } from './model';
import { resourceKey, type Diagnostic, type FieldPath, type ObjectMeta, type Resource, type ResourceKey } from './resource';
import { lineStarts, pointer, toRange, type SourceMap, type Span } from './sourcemap';
import { validateResource } from './validate';

export interface ParseResult {
  model: MeshModel;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
  /** Text range of each YAML document (its `---` marker included), in order. */
  documents: { from: number; to: number }[];
  lineStarts: number[];
}

export interface ParseOptions {
  /** Schema-validate known kinds (default true). */
  validate?: boolean;
}

/** Alias expansions allowed per document before it is treated as a resource-exhaustion attack. */
const MAX_ALIAS_COUNT = 100;

export function parseDesign(text: string, options: ParseOptions = {}): ParseResult {
  const starts = lineStarts(text);
  const diagnostics: Diagnostic[] = [];
  const resources: Resource[] = [];
  const sourceMap: SourceMap = new Map();
  const documents: { from: number; to: number }[] = [];
  const seen = new Map<ResourceKey, number>();
  const at = (from: number, to: number) => toRange(starts, from, to);
  // Duplicate keys are found by duplicateKeys() below: yaml's own check is quadratic in a map's size.
  const docs = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];

  list.forEach((doc, index) => {
    const [from, , to] = doc.range;
    documents.push({ from, to });
    for (const e of doc.errors) {
      diagnostics.push({ severity: 'error', source: 'yaml', code: `YAML_${e.code}`, message: cleanYamlMessage(e.message), range: at(e.pos[0], e.pos[1]) });
    }
    for (const w of doc.warnings) {
      diagnostics.push({ severity: 'warning', source: 'yaml', code: `YAML_${w.code}`, message: cleanYamlMessage(w.message), range: at(w.pos[0], w.pos[1]) });
    }
    for (const key of duplicateKeys(doc)) {
      const [from, to] = rng(key);
      diagnostics.push({ severity: 'error', source: 'yaml', code: 'YAML_DUPLICATE_KEY', message: `Map keys must be unique: "${String((key as { value?: unknown }).value)}" appears more than once.`, range: at(from, to) });
    }
    if (doc.errors.length || diagnostics.some((d) => d.code === 'YAML_DUPLICATE_KEY' && d.range.from >= from && d.range.from <= to)) return;
    const root = doc.contents as Node | null;
    if (root === null || (isScalar(root) && root.value === null)) return; // empty document
    if (!isMap(root)) {
      const what = isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : `a scalar (${JSON.stringify(String((root as { value?: unknown }).value)).slice(0, 40)})`;
      diagnostics.push({
        severity: 'error', source: 'model', code: 'MC0001',
        message: `This document is ${what}, not a mapping: each document must be a Kubernetes object with apiVersion, kind and metadata.`,
        range: at(rng(root)[0], rng(root)[1]),
      });
      return;
    }
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // toJS throws for an alias bomb and for an alias whose anchor is missing (which the composer does not report).
      const bad = unresolvedAlias(doc);
      diagnostics.push({
        severity: 'error', source: 'yaml', code: bad ? 'YAML_BAD_ALIAS' : 'YAML_ALIAS_COUNT',
        message: `This document was not read: ${(e as Error).message.replace(/\.$/, '')}${bad ? '' : ` (more than ${MAX_ALIAS_COUNT} alias expansions)`}.`,
        range: bad ? at(rng(bad)[0], rng(bad)[1]) : at(rng(root)[0], Math.min(rng(root)[1], rng(root)[0] + 1)),
      });
      return;
    }
    const obj = js as Record<string, unknown>;
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      const items = root.get('items', true);
      obj.items.forEach((item, i) => {
        const node = isSeq(items) ? (items.items[i] as Node | undefined) : undefined;
        addObject(item, node ?? root, index, ['items', i], doc);
      });
    } else {
      addObject(obj, root, index, [], doc);
    }
  });

  function addObject(obj: unknown, node: Node, docIndex: number, base: FieldPath, _doc: Document.Parsed) {
    const range = at(rng(node)[0], rng(node)[1]);
    // Messages name no document number: the range locates them, and numbers would shift with every edit above.
    const where = base.length ? `List item ${base[1]} of this List` : 'This document';
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      diagnostics.push({ severity: 'error', source: 'model', code: 'MC0001', message: `${where} is not a mapping.`, range });
      return;
    }
    const o = obj as Record<string, unknown>;
    const missing = ['apiVersion', 'kind'].filter((k) => typeof o[k] !== 'string' || !o[k]);
    const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as ObjectMeta;
    if (typeof meta.name !== 'string' || !meta.name) missing.push('metadata.name');
    if (missing.length) {
      diagnostics.push({
        severity: 'error', source: 'model', code: 'MC0002',
        message: `${where} has no ${missing.join(', no ')}: it is ignored until it has ${missing.length > 1 ? 'them' : 'one'}.`,
        range: at(rng(node)[0], Math.min(rng(node)[1], lineEnd(rng(node)[0]))),
      });
      return;
    }
    const apiVersion = o.apiVersion as string;
    const kind = o.kind as string;
    const known = isKnownKind(apiVersion, kind);
    const namespace = CLUSTER_SCOPED.has(kind) ? '' : typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
    const key = resourceKey(keyKind(apiVersion, kind), namespace, meta.name);
    const spec = (kind === 'ConfigMap' ? o.data : o.spec) ?? {};
    const resource: Resource = { key, kind, apiVersion, name: meta.name, namespace, metadata: meta, spec: spec as Resource['spec'], object: o, known, doc: docIndex, base };
    const previous = seen.get(key);
    if (previous !== undefined) {
      diagnostics.push({
        severity: 'warning', source: 'model', code: 'MC0003', resource: key, path: [],
        message: `${kind} ${namespace ? namespace + '/' : ''}${meta.name} is defined again; this later definition replaces the earlier one (as kubectl apply would).`,
        range,
      });
      resources[previous] = resource;
    } else {
      seen.set(key, resources.length);
      resources.push(resource);
    }
    const spans = new Map<string, Span>();
    collectSpans(node, [], rng(node)[0], spans);
    sourceMap.set(key, spans);
    if (known && options.validate !== false) {
      for (const err of validateResource(resource)) {
        const hit = findClosest(spans, err.path);
        diagnostics.push({
          severity: 'error', source: 'schema', code: 'IST0106', resource: key, path: err.path,
          message: `Schema validation error: ${err.message}`,
          range: at(hit.from, hit.to),
        });
      }
    }
  }

  function lineEnd(offset: number) {
    const nl = text.indexOf('\n', offset);
    return nl < 0 ? text.length : nl;
  }

  diagnostics.sort((a, b) => a.range.from - b.range.from);
  return { model: buildModel(resources), diagnostics, sourceMap, documents, lineStarts: starts };
}

/** Keys that repeat an earlier key of the same map (scalar keys only), in one linear pass. */
function duplicateKeys(doc: Document.Parsed): Node[] {
  const out: Node[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = pair.key.value;
        if (seen.has(k)) out.push(pair.key);
        else seen.add(k);
      }
    },
  });
  return out;
}

/** The first alias whose anchor is not defined before it, if any. */
function unresolvedAlias(doc: Document.Parsed): Node | undefined {
  const anchors = new Set<string>();
  let found: Node | undefined;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node) && !anchors.has(node.source)) {
        found = node;
        return visit.BREAK;
      }
      if (!isAlias(node) && node.anchor) anchors.add(node.anchor);
    },
  });
  return found;
}

/** Parsed nodes always carry a range. */
const rng = (n: Node): [number, number, number] => n.range ?? [0, 0, 0];

function collectSpans(node: Node, path: (string | number)[], keyFrom: number, out: Map<string, Span>) {
  out.set(pointer(path), { from: rng(node)[0], to: rng(node)[1], keyFrom });
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const v = pair.value as Node | null;
      const name = isScalar(k) ? String(k.value) : null;
      if (name === null || !k) continue;
      if (v) collectSpans(v, [...path, name], rng(k)[0], out);
      else out.set(pointer([...path, name]), { from: rng(k)[0], to: rng(k)[1], keyFrom: rng(k)[0] });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item) collectSpans(item as Node, [...path, i], rng(item as Node)[0], out);
    });
  }
}

function findClosest(spans: Map<string, Span>, path: FieldPath): Span {
  for (let n = path.length; n >= 0; n--) {
    const span = spans.get(pointer(path.slice(0, n)));
    if (span) return n === path.length ? span : { from: span.keyFrom, to: span.from > span.keyFrom ? span.from : span.to, keyFrom: span.keyFrom };
  }
  return spans.get('')!;
}

/** The yaml library's messages end with a code excerpt when prettyErrors is on; ours carry line/column separately. */
function cleanYamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
}
