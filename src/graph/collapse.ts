/**
 * Collapsing namespaces: every node of a collapsed namespace becomes one `namespace` node, and the routes into and
 * out of it become one edge per pair of ends, labelled with how many routes it stands for. Pure.
 */
import type { Positions } from './layout';
import type { GraphEdge, GraphNode, MeshGraph } from './types';

export const namespaceNodeId = (ns: string) => `ns:${ns}`;

export function collapseNamespaces(graph: MeshGraph, collapsed: readonly string[]): MeshGraph {
  if (!collapsed.length) return graph;
  const set = new Set(collapsed);
  const into = new Map<string, string>();
  const groups = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (!n.namespace || !set.has(n.namespace)) continue;
    into.set(n.id, namespaceNodeId(n.namespace));
    groups.set(n.namespace, [...(groups.get(n.namespace) ?? []), n]);
  }
  if (!into.size) return graph;
  const nodes: GraphNode[] = graph.nodes.filter((n) => !into.has(n.id));
  for (const [ns, members] of groups) {
    const top = members.filter((m) => !m.parent || !into.has(m.parent));
    const count = (kind: GraphNode['kind']) => top.filter((m) => m.kind === kind).length;
    const parts = (['service', 'ingress', 'egress', 'external', 'client'] as const).map((k) => [k, count(k)] as const).filter(([, c]) => c > 0);
    nodes.push({
      id: namespaceNodeId(ns), kind: 'namespace', label: `Namespace ${ns}`, name: ns, namespace: ns,
      details: [parts.map(([k, c]) => `${c} ${k}${c > 1 ? 's' : ''}`).join(', ')],
      badges: [], origins: members.flatMap((m) => m.origins.slice(0, 1)),
    });
  }
  const edges = new Map<string, GraphEdge & { routes: number }>();
  for (const e of graph.edges) {
    const source = into.get(e.source) ?? e.source;
    const target = into.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) {
      edges.set(e.id, { ...e, routes: 1 });
      continue;
    }
    if (source === target) continue; // inside one collapsed namespace
    const id = `collapsed:${source}->${target}`;
    const prev = edges.get(id);
    if (prev) {
      prev.routes++;
      prev.match = `${prev.routes} routes`;
      prev.origins.push(...e.origins.slice(0, 1));
      for (const b of e.badges) if (!prev.badges.includes(b)) prev.badges.push(b);
    } else edges.set(id, { id, source, target, match: e.match, protocol: e.protocol, badges: [...e.badges], origins: e.origins.slice(0, 1), routes: 1 });
  }
  return { nodes, edges: [...edges.values()].map(({ routes: _, ...e }) => e) };
}

/** A collapsed namespace sits where its first member was (placed by hand, else by the layout). */
export function collapsedPositions(graph: MeshGraph, collapsed: readonly string[], auto: Positions, manual: Record<string, { x: number; y: number }> = {}): Positions {
  if (!collapsed.length) return auto;
  const out: Positions = { ...auto };
  for (const ns of collapsed) {
    const first = graph.nodes.find((n) => n.namespace === ns && !n.parent && (manual[n.id] || auto[n.id]));
    if (first) out[namespaceNodeId(ns)] = { ...(auto[first.id] ?? { width: 220, height: 64 }), ...manual[first.id], width: 220, height: 64 };
  }
  return out;
}
