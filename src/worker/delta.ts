/**
 * A design's analysis crosses postMessage on every keystroke. Most of it did not change: the resources of the
 * documents the edit did not touch are the same objects (IncrementalParser keeps them), and so are the graph's
 * unchanged nodes and edges (shareGraph). Those travel as their index in the result the other side already holds.
 * Pure; the worker encodes against a result it remembers, the main thread decodes against the one it accepted.
 */
import { shareGraph } from '../graph/share';
import type { PackedSourceMap } from '../model/sourcemap';
import type { AnalysisResult } from './analyze';

/** A list whose elements are objects; a number stands for the base list's element at that index. */
export type ListDelta<T> = (T | number)[];

export interface EncodedResult extends Omit<AnalysisResult, 'resources' | 'graph' | 'sourceMap'> {
  /** The source map; its keys and pointers (most of its size) are left out when they equal the base's. */
  sourceMap: Omit<PackedSourceMap, 'keys' | 'pointers'> & Partial<Pick<PackedSourceMap, 'keys' | 'pointers'>>;
  resources: ListDelta<AnalysisResult['resources'][number]>;
  graph: { nodes: ListDelta<AnalysisResult['graph']['nodes'][number]>; edges: ListDelta<AnalysisResult['graph']['edges'][number]> };
  /** The result this one is encoded against (undefined: nothing is encoded, the lists are whole). */
  base?: number;
}

export function encodeList<T extends object>(base: readonly T[], next: readonly T[]): ListDelta<T> {
  // Mostly in the same places as in the base: looked up by position first, by a map built only when needed.
  let at: Map<T, number> | undefined;
  return next.map((x, i) => {
    if (base[i] === x) return i;
    if (!at) {
      at = new Map();
      base.forEach((y, j) => at!.set(y, j));
    }
    return at.get(x) ?? x;
  });
}

export function decodeList<T extends object>(base: readonly T[], delta: readonly (T | number)[]): T[] {
  return delta.map((x) => {
    if (typeof x !== 'number') return x;
    if (!(x in base)) throw new Error(`The design's analysis refers to element ${x} of a list of ${base.length}.`);
    return base[x];
  });
}

/**
 * `next` for sending: its graph shares the unchanged nodes and edges of `previous` (the latest result made, whether or
 * not the other side kept it), and its lists are encoded against `base` (the result the other side holds), if any.
 */
export function encodeResult(next: AnalysisResult, previous: AnalysisResult | undefined, base: { id: number; result: AnalysisResult } | undefined): { shared: AnalysisResult; encoded: EncodedResult } {
  const shared = previous && next.ok && previous.ok ? { ...next, graph: shareGraph(previous.graph, next.graph) } : next;
  if (!base) return { shared, encoded: shared };
  const b = base.result;
  const map = shared.sourceMap;
  const sameKeys = map.keys.length === b.sourceMap.keys.length && map.keys.every((k, i) => k === b.sourceMap.keys[i]);
  return {
    shared,
    encoded: {
      ...shared,
      sourceMap: { ...map, keys: sameKeys ? undefined : map.keys, pointers: map.pointers === b.sourceMap.pointers ? undefined : map.pointers },
      resources: encodeList(b.resources, shared.resources),
      graph: { nodes: encodeList(b.graph.nodes, shared.graph.nodes), edges: encodeList(b.graph.edges, shared.graph.edges) },
      base: base.id,
    },
  };
}

export function decodeResult(encoded: EncodedResult, base: { id: number; result: AnalysisResult } | undefined): AnalysisResult {
  if (encoded.base === undefined) return encoded as AnalysisResult;
  if (encoded.base !== base?.id) throw new Error(`The design's analysis was made against result ${encoded.base}, not ${base?.id}.`);
  const b = base.result;
  const { base: _, ...rest } = encoded;
  const map = encoded.sourceMap;
  return {
    ...rest,
    sourceMap: { ...map, keys: map.keys ?? b.sourceMap.keys, pointers: map.pointers ?? b.sourceMap.pointers },
    resources: decodeList(b.resources, encoded.resources),
    graph: { nodes: decodeList(b.graph.nodes, encoded.graph.nodes), edges: decodeList(b.graph.edges, encoded.graph.edges) },
  };
}
