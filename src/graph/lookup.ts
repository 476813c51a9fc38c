/** Which canvas element a place in the YAML belongs to (for cursor → selection). Pure. */
import type { FieldPath, ResourceKey } from '../model/resource';
import type { MeshGraph, Origin } from './types';

const isPrefix = (prefix: FieldPath, path: FieldPath) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

/**
 * The node or edge whose origin is the deepest prefix of (resource, path). Edges win ties over nodes, since a
 * route rule's lines are more specific than the VirtualService's node.
 */
export function elementAt(graph: MeshGraph, resource: ResourceKey, path: FieldPath): { kind: 'node' | 'edge'; id: string } | undefined {
  let best: { kind: 'node' | 'edge'; id: string; depth: number } | undefined;
  const consider = (kind: 'node' | 'edge', id: string, origins: Origin[]) => {
    for (const o of origins) {
      if (o.resource !== resource || !isPrefix(o.path, path)) continue;
      const depth = o.path.length + (kind === 'edge' ? 0.5 : 0);
      if (!best || depth > best.depth) best = { kind, id, depth };
    }
  };
  for (const e of graph.edges) consider('edge', e.id, e.origins);
  for (const n of graph.nodes) consider('node', n.id, n.origins);
  return best && { kind: best.kind, id: best.id };
}
