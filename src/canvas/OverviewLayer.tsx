/**
 * The overview of a large design: zoomed out past the level-of-detail threshold, the whole graph (node boxes coloured
 * by kind, edges as their curves, the selection, a traced path, load health) is drawn on one <canvas> that follows
 * the viewport, while React Flow renders none of its nodes and edges (MeshCanvas hides them; React Flow still knows
 * every node's position). Panning and zooming then repaint one layer of a few cached paths instead of thousands of
 * positioned DOM boxes and SVG edges (1,000 nodes: 11 → 50+ fps). A click selects the node drawn under the pointer
 * (nodeAtPoint), a drag moves it (useOverviewDrag), a right-click opens its menu (MeshCanvas), and screen readers get
 * the nodes as a list of buttons with the nodes' accessible names.
 */
import { useStoreApi, type InternalNode } from '@xyflow/react';
import './layers.css';
import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import { edgeCurve, edgeEnds } from './edgeGeometry';
import type { MeshFlowNode } from './nodes';
import type { RouteFlowEdge } from './RouteEdge';

/** Node names are drawn from this zoom on (smaller text is unreadable and costs more than it shows). */
const NAMES_FROM = 0.22;
const KIND_VAR: Record<string, string> = { service: '--service', subset: '--subset', ingress: '--gateway', egress: '--gateway', external: '--external', client: '--client', mesh: '--client' };

type Style = 'edge' | 'entry' | 'lit' | 'selected' | 'healthy' | 'degraded' | 'failing' | 'idle';
interface Scene {
  /** Edges by how they are stroked; `dim` ones (off a traced path) fainter. */
  edges: Map<string, Path2D>;
  /** Node boxes by fill (a kind's colour, or the group background). */
  boxes: Map<string, Path2D>;
  /** Group borders. */
  outlines: Map<string, Path2D>;
  /** Rings around selected, lit and unhealthy nodes (drawn a few screen pixels out, whatever the zoom). */
  rings: { x: number; y: number; w: number; h: number; style: string }[];
  names: { x: number; y: number; w: number; text: string; dim: boolean }[];
}

const cls = (c: string | undefined, re: RegExp) => re.exec(c ?? '')?.[1];
const add = (m: Map<string, Path2D>, k: string) => {
  let p = m.get(k);
  if (!p) m.set(k, (p = new Path2D()));
  return p;
};

/**
 * The part of the graph on the `top` layer (nodes being dragged, their children and their edges: redrawn on every
 * frame of a drag) or the rest (drawn once into the cache).
 */
function buildScene(nodes: readonly MeshFlowNode[], edges: readonly RouteFlowEdge[], lookup: Map<string, InternalNode>, moving: ReadonlySet<string>, top: boolean): Scene {
  const scene: Scene = { edges: new Map(), boxes: new Map(), outlines: new Map(), rings: [], names: [] };
  if (top && !moving.size) return scene;
  const moves = (id: string) => {
    const n = lookup.get(id);
    return moving.has(id) || (!!n?.parentId && moving.has(n.parentId));
  };
  for (const n of nodes) {
    const i = lookup.get(n.id);
    if (!i || moves(n.id) !== top) continue;
    const { x, y } = i.internals.positionAbsolute;
    const w = i.measured?.width ?? n.width ?? 0;
    const h = i.measured?.height ?? n.height ?? 0;
    const dim = !!n.className?.includes('is-dim');
    const health = cls(n.className, /traffic-(\w+)/);
    const card = n.data.card;
    if (card) {
      add(scene.boxes, dim ? 'group-dim' : 'group').roundRect(x, y, w, h, 12);
      add(scene.outlines, 'border').roundRect(x, y, w, h, 12);
      add(scene.boxes, `${n.data.node.kind}${dim ? '-dim' : ''}`).roundRect(x + card.x, y + card.y, card.width, card.height, 6);
    } else add(scene.boxes, `${n.data.node.kind}${dim ? '-dim' : ''}`).roundRect(x, y, w, h, 6);
    const box = card ? { x: x + card.x, y: y + card.y, w: card.width, h: card.height } : { x, y, w, h };
    const ring = n.selected ? 'selected' : n.className?.includes('is-lit') ? 'lit' : health && health !== 'idle' && health !== 'healthy' ? health : undefined;
    if (ring) scene.rings.push({ ...box, style: ring });
    scene.names.push({ x: box.x + 10, y: box.y + box.h / 2, w: box.w - 16, text: n.data.node.name, dim });
  }
  for (const e of edges) {
    const s = lookup.get(e.source);
    const t = lookup.get(e.target);
    if (!s || !t || (moves(e.source) || moves(e.target)) !== top) continue;
    const { segments } = edgeCurve(edgeEnds(s, e.sourceHandle ?? 'out', t, e.targetHandle ?? 'in'), e.data);
    const health = cls(e.className, /traffic-(\w+)/);
    const style: Style = e.selected ? 'selected' : e.className?.includes('is-lit') ? 'lit' : health ? (health as Style) : e.id.startsWith('entry:') ? 'entry' : 'edge';
    const p = add(scene.edges, `${style}${e.className?.includes('is-dim') ? '-dim' : ''}`);
    p.moveTo(segments[0][0], segments[0][1]);
    for (const q of segments) p.bezierCurveTo(q[2], q[3], q[4], q[5], q[6], q[7]);
  }
  return scene;
}

type Palette = Record<string, string>;
function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  const p: Palette = { group: v('--group-bg'), border: v('--border'), edge: v('--edge'), entry: v('--gateway'), selected: v('--accent'), lit: '#8a4fd0', text: v('--text'), font: v('--font') };
  for (const h of ['healthy', 'degraded', 'failing', 'idle']) p[h] = v(`--${h}`) || v('--edge');
  for (const [kind, name] of Object.entries(KIND_VAR)) p[kind] = v(name);
  return p;
}

const WIDTH: Record<string, number> = { edge: 2, entry: 2.5, lit: 3.5, selected: 3, healthy: 2, degraded: 2, failing: 3, idle: 2 };

function draw(ctx: CanvasRenderingContext2D, scene: Scene, palette: Palette, transform: [number, number, number], dpr: number) {
  const [tx, ty, k] = transform;
  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
  // Strokes at least one screen pixel wide, so that the overview keeps its lines.
  const px = 1 / k;
  for (const [key, p] of scene.edges) {
    const [style, dim] = key.split('-');
    ctx.globalAlpha = dim ? 0.2 : style === 'edge' || style === 'entry' ? 0.55 : 1;
    ctx.strokeStyle = palette[style];
    ctx.lineWidth = Math.max(WIDTH[style], (style === 'edge' ? 1 : 2) * px);
    ctx.stroke(p);
  }
  for (const [key, p] of scene.boxes) {
    const [fill, dim] = key.split('-');
    ctx.globalAlpha = dim ? 0.28 : fill === 'group' ? 1 : 0.9;
    ctx.fillStyle = palette[fill];
    ctx.fill(p);
  }
  ctx.globalAlpha = 1;
  for (const [key, p] of scene.outlines) {
    ctx.strokeStyle = palette[key];
    ctx.lineWidth = Math.max(1.5, px);
    ctx.stroke(p);
  }
  const o = Math.max(3, 3 * px);
  ctx.lineWidth = Math.max(3, 2.5 * px);
  for (const r of scene.rings) {
    ctx.strokeStyle = palette[r.style];
    ctx.beginPath();
    ctx.roundRect(r.x - o, r.y - o, r.w + 2 * o, r.h + 2 * o, 8);
    ctx.stroke();
  }
  if (k >= NAMES_FROM) {
    // Like the DOM's level of detail: the name only, large.
    ctx.fillStyle = '#fff';
    ctx.font = `600 18px ${palette.font || 'sans-serif'}`;
    ctx.textBaseline = 'middle';
    const [x0, y0, x1, y1] = [-tx / k, -ty / k, (ctx.canvas.width / dpr - tx) / k, (ctx.canvas.height / dpr - ty) / k];
    for (const n of scene.names) {
      if (n.x > x1 || n.y < y0 - 20 || n.y > y1 + 20 || n.x + n.w < x0) continue;
      ctx.globalAlpha = n.dim ? 0.4 : 1;
      ctx.fillText(n.text, n.x, n.y, n.w);
    }
    ctx.globalAlpha = 1;
  }
}

/** The innermost node drawn at a flow position (children come after their parents in React Flow's lookup). */
export function nodeAtPoint(lookup: Map<string, InternalNode>, x: number, y: number): string | undefined {
  let hit: string | undefined;
  for (const [id, n] of lookup) {
    const p = n.internals.positionAbsolute;
    const w = n.measured?.width ?? n.width ?? 0;
    const h = n.measured?.height ?? n.height ?? 0;
    if (x >= p.x && x <= p.x + w && y >= p.y && y <= p.y + h) hit = id;
  }
  return hit;
}

/** What the overview does not show in the DOM, for screen readers and the keyboard: every node, by its name. */
function NodeListView({ nodes, onPick, onMenu }: { nodes: readonly MeshFlowNode[]; onPick: (id: string) => void; onMenu: (id: string) => void }) {
  return (
    <ul className="overview-list" aria-label="Nodes in the overview">
      {nodes.map((n) => (
        <li key={n.id}>
          <button
            type="button"
            aria-pressed={!!n.selected}
            onClick={() => onPick(n.id)}
            // The menu key or Shift+F10: the node's menu, where the node is drawn.
            onContextMenu={(e) => (e.preventDefault(), onMenu(n.id))}
          >
            {n.data.node.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
/** The list shows ids, names and the selection only: nodes that merely moved (a drag, every frame) do not re-render it. */
const sameList = (a: readonly MeshFlowNode[], b: readonly MeshFlowNode[]) =>
  a.length === b.length && a.every((n, i) => n === b[i] || (n.id === b[i].id && n.data.node.label === b[i].data.node.label && !!n.selected === !!b[i].selected));
const NodeList = memo(NodeListView, (a, b) => a.onPick === b.onPick && a.onMenu === b.onMenu && sameList(a.nodes, b.nodes));

const NOTHING: ReadonlySet<string> = new Set();

/**
 * What the overview draws of the nodes and edges: when it is unchanged (a label, a weight or a detail changed, which
 * the overview does not show), the drawing stands. Compared element by element (most are the same objects as before:
 * shareById), with the boxes of the nodes as React Flow places them, so that a keystroke's check allocates little.
 */
interface Look {
  nodes: readonly MeshFlowNode[];
  edges: readonly RouteFlowEdge[];
  /** x, y, width, height of each node, as placed. */
  boxes: Float64Array;
}

export function lookOf(nodes: readonly MeshFlowNode[], edges: readonly RouteFlowEdge[], lookup: Map<string, InternalNode>): Look {
  const boxes = new Float64Array(nodes.length * 4).fill(NaN);
  nodes.forEach((n, k) => {
    const i = lookup.get(n.id);
    if (!i) return;
    boxes[k * 4] = i.internals.positionAbsolute.x;
    boxes[k * 4 + 1] = i.internals.positionAbsolute.y;
    boxes[k * 4 + 2] = i.measured?.width ?? n.width ?? NaN;
    boxes[k * 4 + 3] = i.measured?.height ?? n.height ?? NaN;
  });
  return { nodes, edges, boxes };
}

const sameCard = (a: MeshFlowNode['data']['card'], b: MeshFlowNode['data']['card']) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
const drawnAlike = (a: MeshFlowNode, b: MeshFlowNode) =>
  a === b || (a.id === b.id && a.className === b.className && a.selected === b.selected && a.data.node.kind === b.data.node.kind && a.data.node.name === b.data.node.name && sameCard(a.data.card, b.data.card));
const drawnAlikeEdge = (a: RouteFlowEdge, b: RouteFlowEdge) =>
  a === b ||
  (a.id === b.id && a.source === b.source && a.target === b.target && a.sourceHandle === b.sourceHandle && a.targetHandle === b.targetHandle && a.className === b.className && a.selected === b.selected && a.data?.slot === b.data?.slot && a.data?.slots === b.data?.slots && a.data?.inner === b.data?.inner);
export const sameLook = (a: Look, b: Look) =>
  a.nodes.length === b.nodes.length &&
  a.edges.length === b.edges.length &&
  a.boxes.every((x, i) => x === b.boxes[i] || (Number.isNaN(x) && Number.isNaN(b.boxes[i]))) &&
  a.nodes.every((n, i) => drawnAlike(n, b.nodes[i])) &&
  a.edges.every((e, i) => drawnAlikeEdge(e, b.edges[i]));

/**
 * Draws the graph while mounted; redraws when the viewport, the nodes' positions or the props change. While nodes
 * are dragged (`moving`), the rest stays in the cache and only they are drawn again on each frame.
 */
export function OverviewLayer(props: { nodes: readonly MeshFlowNode[]; edges: readonly RouteFlowEdge[]; theme: string; moving?: ReadonlySet<string>; onPick: (id: string) => void; onMenu: (id: string) => void }) {
  const { nodes, edges, theme, moving = NOTHING, onPick, onMenu } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  // The drawing state (offscreen cache, palette, subscription) lives as long as the layer; new nodes or edges (a drag
  // moves a node on every frame) only mark the scene for rebuilding.
  const graph = useRef({ nodes, edges, moving });
  const invalidate = useRef((_all: boolean) => {});
  useLayoutEffect(() => {
    const all = graph.current.moving !== moving;
    graph.current = { nodes, edges, moving };
    invalidate.current(all);
  }, [nodes, edges, moving]);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    // `base` is drawn into the cache; `top` (what is being dragged) onto the view on every frame.
    let base: Scene | undefined;
    let top: Scene | undefined;
    let sceneOf: unknown;
    /** The scenes drawn last, and what they show (not while nodes are dragged). */
    let shown: { look: Look; base: Scene; top: Scene } | undefined;
    let drawnAt: [number, number, number] | undefined;
    let palette: Palette | undefined;
    let queued = false;
    // The scene is drawn into a larger offscreen cache (a margin around the view); while the view pans and zooms, the
    // cache is drawn moved and scaled (one image per frame), and the scene itself is drawn again, sharp, once the view
    // rests, or when the cache no longer covers the view.
    const cache = document.createElement('canvas');
    const cacheCtx = cache.getContext('2d')!;
    let cachedAt: [number, number, number] | undefined;
    let settle = 0;
    let margin: number;
    const render = (sharp = false) => {
      queued = false;
      const { transform, nodeLookup, nodes: internal, width, height } = store.getState();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.round(width * dpr);
      const h = Math.round(height * dpr);
      // React Flow's node list changes when nodes move or are measured: the scene follows it (while a drag goes on,
      // only its top layer).
      if (sceneOf !== internal) stale(false);
      sceneOf = internal;
      const { nodes: ns, edges: es, moving: mv } = graph.current;
      const lookup = nodeLookup as Map<string, InternalNode>;
      if (!base || !top) {
        const look = mv.size ? undefined : lookOf(ns, es, lookup);
        if (look && shown && sameLook(shown.look, look)) [base, top] = [shown.base, shown.top];
        else {
          if (!base) cachedAt = undefined;
          base ??= buildScene(ns, es, lookup, mv, false);
          top ??= buildScene(ns, es, lookup, mv, true);
          shown = look && { look, base, top };
          // Tells tests and benchmarks that the design's change is on screen (the DOM under the canvas does not change).
          canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
        }
      }
      palette ??= readPalette(canvas);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
        drawnAt = undefined;
      }
      margin = Math.round(Math.max(w, h) * 0.25);
      if (cache.width !== w + 2 * margin || cache.height !== h + 2 * margin) {
        cache.width = w + 2 * margin;
        cache.height = h + 2 * margin;
        cachedAt = undefined;
      }
      if (!w || !h) return;
      // Nothing new to show (the design changed where the overview does not look): keep the picture.
      if (!sharp && cachedAt && drawnAt === transform && !top.names.length) return;
      const [tx, ty, k] = transform;
      let scale = cachedAt ? k / cachedAt[2] : 1;
      let ex = cachedAt ? dpr * tx - (dpr * cachedAt[0] + margin) * scale : 0;
      let ey = cachedAt ? dpr * ty - (dpr * cachedAt[1] + margin) * scale : 0;
      const covered = ex <= 0 && ey <= 0 && ex + cache.width * scale >= w && ey + cache.height * scale >= h;
      if (sharp || !cachedAt || !covered || scale < 0.6 || scale > 1.6) {
        cacheCtx.setTransform(1, 0, 0, 1, 0, 0);
        cacheCtx.clearRect(0, 0, cache.width, cache.height);
        draw(cacheCtx, base, palette, [tx + margin / dpr, ty + margin / dpr, k], dpr);
        cachedAt = [tx, ty, k];
        [scale, ex, ey] = [1, -margin, -margin];
      } else {
        clearTimeout(settle);
        settle = window.setTimeout(() => render(true), 150);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.setTransform(scale, 0, 0, scale, ex, ey);
      ctx.drawImage(cache, 0, 0);
      if (top.names.length) draw(ctx, top, palette, transform, dpr);
      drawnAt = transform;
    };
    /** The scene changed: all of it, or (while nodes are dragged) their layer only. */
    const stale = (all: boolean) => {
      // (The cache is drawn again only if the scene turns out to have changed.)
      if (all || !graph.current.moving.size) base = undefined;
      top = undefined;
    };
    // Draw in the same task as the change (a pan in a requestAnimationFrame callback lands in that frame), once.
    const queue = () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => render());
    };
    // The theme's colours are read once its attribute is set (an effect of the App, after this one).
    requestAnimationFrame(() => {
      palette = undefined;
      render(true);
    });
    invalidate.current = (all) => {
      stale(all);
      queue();
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.transform !== prev.transform || s.nodes !== prev.nodes || s.width !== prev.width || s.height !== prev.height) queue();
    });
    return () => {
      unsubscribe();
      clearTimeout(settle);
      invalidate.current = () => {};
    };
  }, [store, theme]);
  return (
    <>
      <canvas ref={ref} className="overview-layer" aria-hidden="true" />
      <NodeList nodes={nodes} onPick={onPick} onMenu={onMenu} />
    </>
  );
}
