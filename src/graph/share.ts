/**
 * Structural sharing between two derivations of the graph: nodes and edges equal to the previous ones keep their
 * object identity (and an unchanged graph stays the same object), so the canvas re-renders only what an edit changed.
 */
import { deepEqual } from '../model/edit/equal';
import type { MeshGraph } from './types';

/** `next` with the elements deep-equal to the previous one of the same id replaced by it; `same` when nothing changed. */
export function shareById<T extends { id: string }>(prev: readonly T[], next: T[]): { list: T[]; same: boolean } {
  // Mostly in the same places as before: looked up by position first, by id (a map built only when needed) else.
  let byId: Map<string, T> | undefined;
  let same = prev.length === next.length;
  const list = next.map((x, i) => {
    const old = prev[i]?.id === x.id ? prev[i] : (byId ??= new Map(prev.map((y) => [y.id, y]))).get(x.id);
    if (old && deepEqual(old, x)) {
      if (prev[i] !== old) same = false;
      return old;
    }
    same = false;
    return x;
  });
  return { list, same };
}

/** Also keeps `prev`'s node (or edge) list when no node (edge) changed: a weight typed changes the edges only. */
export function shareGraph(prev: MeshGraph, next: MeshGraph): MeshGraph {
  const nodes = shareById(prev.nodes, next.nodes);
  const edges = shareById(prev.edges, next.edges);
  return nodes.same && edges.same ? prev : { nodes: nodes.same ? prev.nodes : nodes.list, edges: edges.same ? prev.edges : edges.list };
}
