/**
 * Graph → ELK input and ELK output → positions. Pure: the ELK call itself runs in the layout worker.
 *
 * A node with children (a service with its subsets, a gateway with its subsets) is a group: its own card on the
 * left, its children in a column on the right, with room between them for the route labels. Groups are laid out
 * by us (deterministic); ELK's layered algorithm places the top-level nodes left to right.
 */
import type { GraphNode, MeshGraph, NodeKind } from './types';

export interface Size {
  width: number;
  height: number;
}
export interface Positions {
  /** Node id → position relative to its parent (absolute for top-level nodes), and size. */
  [id: string]: { x: number; y: number; width: number; height: number };
}

const SIZES: Record<NodeKind, Size> = {
  ingress: { width: 210, height: 76 },
  egress: { width: 210, height: 76 },
  service: { width: 210, height: 84 },
  subset: { width: 180, height: 50 },
  external: { width: 220, height: 76 },
  client: { width: 190, height: 64 },
  mesh: { width: 170, height: 60 },
  namespace: { width: 220, height: 64 },
};
/** Inside a group: padding, the gap between the group's own card and its children (route labels go there). */
export const GROUP_PADDING = 14;
export const GROUP_LABEL_GAP = 270;
export const SUBSET_GAP = 30;

export function nodeSize(kind: NodeKind): Size {
  return SIZES[kind];
}

export interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
  layoutOptions?: Record<string, string>;
}

/** Children by parent id (only parents that exist in the graph). */
export function childrenOf(graph: Pick<MeshGraph, 'nodes'>): Map<string, GraphNode[]> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const out = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (!n.parent || !ids.has(n.parent)) continue;
    let list = out.get(n.parent);
    if (!list) out.set(n.parent, (list = []));
    list.push(n);
  }
  return out;
}

/** A group's size, its own card's position and its children's positions (relative to the group). */
export function groupLayout(parent: GraphNode, kids: GraphNode[]): { size: Size; card: { x: number; y: number } & Size; children: Positions } {
  const card = SIZES[parent.kind];
  const sub = SIZES.subset;
  const column = kids.length * sub.height + (kids.length - 1) * SUBSET_GAP;
  const inner = Math.max(card.height, column);
  const height = inner + 2 * GROUP_PADDING;
  const childX = GROUP_PADDING + card.width + GROUP_LABEL_GAP;
  const children: Positions = {};
  const top = GROUP_PADDING + (inner - column) / 2;
  kids.forEach((k, i) => {
    children[k.id] = { x: childX, y: top + i * (sub.height + SUBSET_GAP), ...sub };
  });
  return {
    size: { width: childX + sub.width + GROUP_PADDING, height },
    card: { x: GROUP_PADDING, y: GROUP_PADDING + (inner - card.height) / 2, ...card },
    children,
  };
}

export function toElk(graph: MeshGraph): ElkNode {
  const kids = childrenOf(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const topOf = (id: string) => {
    const n = byId.get(id);
    return n?.parent && byId.has(n.parent) ? n.parent : id;
  };
  const top = graph.nodes.filter((n) => topOf(n.id) === n.id);
  const seen = new Set<string>();
  const edges = [];
  for (const e of graph.edges) {
    const s = topOf(e.source);
    const t = topOf(e.target);
    if (s === t || seen.has(`${s}>${t}`)) continue;
    seen.add(`${s}>${t}`);
    edges.push({ id: e.id, sources: [s], targets: [t] });
  }
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '120',
      'elk.spacing.nodeNode': '44',
      'elk.spacing.componentComponent': '70',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.separateConnectedComponents': 'true',
    },
    children: top.map((n) => {
      const k = kids.get(n.id);
      const size = k?.length ? groupLayout(n, k).size : SIZES[n.kind];
      return { id: n.id, width: size.width, height: size.height };
    }),
    edges,
  };
}

/** Top-level positions from ELK plus every group's children. */
export function fromElk(graph: MeshGraph, root: ElkNode): Positions {
  const out: Positions = {};
  for (const c of root.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
  addChildren(graph, out);
  return out;
}

function addChildren(graph: Pick<MeshGraph, 'nodes'>, out: Positions) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const [parent, kids] of childrenOf(graph)) Object.assign(out, groupLayout(byId.get(parent)!, kids).children);
}

/** A cheap column layout for when ELK has not answered yet (first paint) or is unavailable. */
export function gridLayout(graph: Pick<MeshGraph, 'nodes'>): Positions {
  const out: Positions = {};
  const columns: Record<NodeKind, number> = { client: 0, mesh: 0, ingress: 1, service: 2, subset: 2, egress: 3, external: 4, namespace: 2 };
  const kids = childrenOf(graph);
  const placed = graph.nodes
    .filter((n) => !(n.parent && graph.nodes.some((p) => p.id === n.parent)))
    .map((n) => {
      const k = kids.get(n.id);
      return { n, col: columns[n.kind], size: k?.length ? groupLayout(n, k).size : SIZES[n.kind] };
    });
  const widths = [0, 0, 0, 0, 0];
  for (const p of placed) widths[p.col] = Math.max(widths[p.col], p.size.width);
  const x = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + (w ? w + 100 : 0), 0));
  const y = [0, 0, 0, 0, 0];
  for (const { n, col, size } of placed) {
    out[n.id] = { x: x[col], y: y[col], ...size };
    y[col] += size.height + 40;
  }
  addChildren(graph, out);
  return out;
}
