/**
 * Fitting the view: every node in the canvas (hidden ones too: the overview hides them from React
 * Flow's renderer), and none under the palette that floats at the canvas's top left. When a plain
 * fit would put a node under it, the nodes are fitted beside it or below it, whichever shows them
 * larger; otherwise the palette costs no room.
 */
import { getViewportForBounds, type ReactFlowInstance, type ReactFlowState, type Rect, type Viewport } from '@xyflow/react';

/** Room left between the palette and the nodes, in pixels. */
const GAP = 12;

export interface FitInput {
  /** The nodes' bounds and each node's box, in flow coordinates. */
  bounds: Rect;
  boxes: Iterable<Rect>;
  /** The canvas's size and the palette's box in it, in pixels (null: no palette). */
  width: number;
  height: number;
  palette: Rect | null;
  /** A share of the canvas on each side, as React Flow takes it. */
  padding: number;
  minZoom: number;
  maxZoom: number;
}

function overlaps(r: Rect, vp: Viewport, p: Rect): boolean {
  const x = r.x * vp.zoom + vp.x;
  const y = r.y * vp.zoom + vp.y;
  return x < p.x + p.width && x + r.width * vp.zoom > p.x && y < p.y + p.height && y + r.height * vp.zoom > p.y;
}

/** The viewport that fits the nodes clear of the palette (see the module comment). */
export function fitViewport(f: FitInput): Viewport {
  const fit = (padding: Parameters<typeof getViewportForBounds>[5]) => getViewportForBounds(f.bounds, f.width, f.height, f.minZoom, f.maxZoom, padding);
  const plain = fit(f.padding);
  const p = f.palette;
  if (p === null) return plain;
  let hidden = false;
  for (const b of f.boxes) if ((hidden = overlaps(b, plain, p))) break;
  if (!hidden) return plain;
  const side = f.padding;
  const beside = fit({ top: side, right: side, bottom: side, left: `${Math.ceil(p.x + p.width + GAP)}px` });
  const below = fit({ top: `${Math.ceil(p.y + p.height + GAP)}px`, right: side, bottom: side, left: side });
  return beside.zoom >= below.zoom ? beside : below;
}

/** Fits the view of React Flow instance `flow` (store state `st`) clear of the palette, with `padding` (default 0.1) and `duration` (ms). */
export function fitClear(flow: ReactFlowInstance, st: ReactFlowState, o: { padding?: number; duration?: number; maxZoom?: number } = {}): Promise<boolean> {
  const canvas = st.domNode;
  const nodes = [...st.nodeLookup.values()];
  const padding = o.padding ?? 0.1;
  if (canvas === null || nodes.length === 0) return flow.fitView({ includeHiddenNodes: true, padding, duration: o.duration, maxZoom: o.maxZoom });
  const box = canvas.getBoundingClientRect();
  const pal = canvas.querySelector('.palette')?.getBoundingClientRect();
  const vp = fitViewport({
    bounds: flow.getNodesBounds(nodes),
    boxes: nodes.map((n) => ({ ...n.internals.positionAbsolute, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 })),
    width: box.width,
    height: box.height,
    palette: pal ? { x: pal.left - box.left, y: pal.top - box.top, width: pal.width, height: pal.height } : null,
    padding,
    minZoom: st.minZoom,
    maxZoom: o.maxZoom ?? st.maxZoom,
  });
  return flow.setViewport(vp, { duration: o.duration });
}
