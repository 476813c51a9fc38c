/** Graph + positions → React Flow nodes and edges. */
import { MarkerType } from '@xyflow/react';
import { childrenOf, groupLayout, gridLayout, type Positions } from '../graph/layout';
import type { ElementProblems } from '../graph/problemIndex';
import type { LitPath } from '../graph/tracePath';
import type { MeshGraph } from '../graph/types';
import type { MeshFlowNode } from './nodes';
import type { RouteFlowEdge } from './RouteEdge';
import { IDLE, nodeSummary, type TrafficOverlay } from './traffic';
import { trafficText } from './EdgeTraffic';

/** A lit path (a traced request) highlights its nodes and edges and dims the rest. */
const litClass = (lit: LitPath | undefined, set: 'nodes' | 'edges', id: string) => (lit ? (lit[set].has(id) ? 'is-lit' : 'is-dim') : undefined);
const classes = (...c: (string | undefined | false)[]) => c.filter(Boolean).join(' ') || undefined;

/** What decorates the nodes: the selection, a traced path, the analyzer's problems, load results. */
export interface NodeDecor {
  selectedId?: string;
  picked?: readonly string[];
  lit?: LitPath;
  problems?: Map<string, ElementProblems>;
  traffic?: TrafficOverlay;
}

/** From the nodes alone (an edit that changes only edges, such as a weight typed, leaves them as they are). */
export function toFlowNodes(graph: Pick<MeshGraph, 'nodes'>, auto: Positions, manual: Record<string, { x: number; y: number }>, { selectedId, picked = [], lit, problems, traffic }: NodeDecor = {}): MeshFlowNode[] {
  const pickedSet = new Set(picked);
  const kids = childrenOf(graph);
  let fallback: Positions | undefined;
  const place = (id: string) => auto[id] ?? (fallback ??= gridLayout(graph))[id] ?? { x: 0, y: 0, width: 200, height: 60 };
  const out: MeshFlowNode[] = [];
  const ids = new Set(graph.nodes.map((n) => n.id));
  // Parents before children, as React Flow requires.
  const ordered = [...graph.nodes].sort((a, b) => Number(!!a.parent && ids.has(a.parent)) - Number(!!b.parent && ids.has(b.parent)));
  for (const n of ordered) {
    const hasParent = !!n.parent && ids.has(n.parent);
    const children = kids.get(n.id);
    const group = children?.length ? groupLayout(n, children) : undefined;
    const p = group && !hasParent ? { ...place(n.id), ...group.size } : place(n.id);
    const t = traffic?.nodes.get(n.id);
    out.push({
      id: n.id,
      type: 'mesh',
      position: manual[n.id] ?? { x: p.x, y: p.y },
      parentId: hasParent ? n.parent : undefined,
      extent: hasParent ? 'parent' : undefined,
      data: { node: n, card: group?.card, problems: problems?.get(n.id) },
      ariaLabel: n.label,
      selected: n.id === selectedId || pickedSet.has(n.id),
      width: p.width,
      height: p.height,
      style: { width: p.width, height: p.height },
      zIndex: hasParent ? 1 : 0,
      className: classes(litClass(lit, 'nodes', n.id), t && `traffic-${t.health}`, t?.allEjected && 'is-ejected'),
      // A load run's numbers: a chip under the node (CSS, from data-traffic) and its accessible description.
      domAttributes: t ? ({ 'data-traffic': nodeSummary(t), 'aria-description': `${nodeSummary(t)}, ${t.allEjected ? 'all pods ejected' : t.health}` } as object) : undefined,
    });
  }
  return out;
}

/** Flow edges made before for the same nodes: those of unchanged graph edges are used again as they are. */
export interface EdgeReuse {
  nodes: MeshGraph['nodes'];
  edges: readonly RouteFlowEdge[];
}

/**
 * With `reuse` made for the same nodes, an edge whose graph edge (shareGraph keeps an unchanged one's object), slot
 * and decorations are as before keeps its flow edge: a weight typed then makes one new flow edge, not one per edge.
 */
export function toFlowEdges(graph: MeshGraph, selectedId?: string, lit?: LitPath, problems?: Map<string, ElementProblems>, traffic?: TrafficOverlay, reuse?: EdgeReuse): RouteFlowEdge[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const kids = childrenOf(graph);
  const groups = new Map<string, string[]>();
  for (const e of graph.edges) {
    const k = `${e.source}>${e.target}`;
    const group = groups.get(k);
    if (group) group.push(e.id);
    else groups.set(k, [e.id]);
  }
  const before = reuse?.nodes === graph.nodes ? reuse.edges : undefined;
  let beforeById: Map<string, RouteFlowEdge> | undefined;
  return graph.edges.map((e, index) => {
    const group = groups.get(`${e.source}>${e.target}`)!;
    const i = group.indexOf(e.id);
    const t = traffic ? (traffic.edges.get(e.id) ?? IDLE) : undefined;
    const litAs = litClass(lit, 'edges', e.id);
    const edgeProblems = problems?.get(e.id);
    if (before) {
      const old = before[index]?.id === e.id ? before[index] : (beforeById ??= new Map(before.map((x) => [x.id, x]))).get(e.id);
      const d = old?.data;
      if (d && d.edge === e && d.slot === i && d.slots === group.length && d.lit === litAs && d.problems === edgeProblems && d.traffic === t && old.selected === (e.id === selectedId)) return old;
    }
    const from = byId.get(e.source)?.label ?? e.source;
    const to = byId.get(e.target)?.label ?? e.target;
    // From a group to one of its own children: leave from the group's card, not from the group's outer edge.
    const inner = kids.has(e.source) && byId.get(e.target)?.parent === e.source;
    return {
      id: e.id,
      type: 'route',
      source: e.source,
      target: e.target,
      sourceHandle: inner ? 'route' : 'out',
      targetHandle: 'in',
      data: { edge: e, slot: i, slots: group.length, inner, lit: litAs, problems: edgeProblems, traffic: t },
      selected: e.id === selectedId,
      ariaLabel: `Route ${from} to ${to}: ${e.match === '*' ? 'all traffic' : e.match}${e.weight !== undefined ? `, ${e.weight}%` : ''}`,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      zIndex: lit?.edges.has(e.id) ? 3 : 2,
      className: classes(litAs, t && `traffic-${t.health}`),
      domAttributes: t ? ({ 'aria-description': t.requests ? trafficText(t) : 'no traffic' } as object) : undefined,
    };
  });
}
