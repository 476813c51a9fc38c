/**
 * The shape of a route edge as cubic Bézier segments: drawn as an SVG path by RouteEdge, and sampled once per layout
 * for the canvas layers (particles, the overview), so that both follow the same curve. Pure.
 */
import { Position, type InternalNode } from '@xyflow/react';

/** A cubic Bézier: x0, y0, c1x, c1y, c2x, c2y, x1, y1. */
export type Cubic = readonly [number, number, number, number, number, number, number, number];
export interface EdgeCurve {
  segments: Cubic[];
  labelX: number;
  labelY: number;
}
/** Where an edge's routes are placed among its parallel edges (see RouteEdgeData). */
export interface EdgeSlot {
  slot?: number;
  slots?: number;
  inner?: boolean;
}
export interface Ends {
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
  sourcePosition: Position;
  targetPosition: Position;
}

const LABEL_ROW = 23;

/** React Flow's getBezierPath control offset. */
const controlOffset = (distance: number, curvature: number) => (distance >= 0 ? 0.5 * distance : curvature * 25 * Math.sqrt(-distance));
function control(pos: Position, x1: number, y1: number, x2: number, y2: number): [number, number] {
  const c = 0.25;
  switch (pos) {
    case Position.Left:
      return [x1 - controlOffset(x1 - x2, c), y1];
    case Position.Right:
      return [x1 + controlOffset(x2 - x1, c), y1];
    case Position.Top:
      return [x1, y1 - controlOffset(y1 - y2, c)];
    default:
      return [x1, y1 + controlOffset(y2 - y1, c)];
  }
}

const line = (x0: number, y0: number, x1: number, y1: number): Cubic => [x0, y0, x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3, x0 + ((x1 - x0) * 2) / 3, y0 + ((y1 - y0) * 2) / 3, x1, y1];

/**
 * The edge's curve: from a group's card to one of its children (`inner`), a curve to a label slot just before the
 * target then straight in; parallel edges bow sideways by their slot; otherwise React Flow's default Bézier.
 */
export function edgeCurve(e: Ends, { slot = 0, slots = 1, inner = false }: EdgeSlot = {}): EdgeCurve {
  const { sourceX: sx, sourceY: sy, targetX: tx, targetY: ty } = e;
  const offset = slot - (slots - 1) / 2;
  if (inner) {
    const lx = tx - 14;
    const ly = ty + offset * LABEL_ROW;
    const dx = Math.max(40, (lx - sx) / 2);
    return { segments: [[sx, sy, sx + dx, sy, lx - dx, ly, lx, ly], line(lx, ly, tx, ty)], labelX: lx, labelY: ly };
  }
  if (offset) {
    // A quadratic curve bowed sideways by `offset` steps (as a cubic); the label sits at its midpoint (t = 0.5).
    const mx = (sx + tx) / 2;
    const my = (sy + ty) / 2;
    const dx = tx - sx;
    const dy = ty - sy;
    const len = Math.hypot(dx, dy) || 1;
    const bow = offset * 46;
    const cx = mx - (dy / len) * bow * 2;
    const cy = my + (dx / len) * bow * 2;
    const seg: Cubic = [sx, sy, sx + ((cx - sx) * 2) / 3, sy + ((cy - sy) * 2) / 3, tx + ((cx - tx) * 2) / 3, ty + ((cy - ty) * 2) / 3, tx, ty];
    return { segments: [seg], labelX: (mx + cx) / 2, labelY: (my + cy) / 2 };
  }
  const [scx, scy] = control(e.sourcePosition, sx, sy, tx, ty);
  const [tcx, tcy] = control(e.targetPosition, tx, ty, sx, sy);
  return {
    segments: [[sx, sy, scx, scy, tcx, tcy, tx, ty]],
    labelX: sx * 0.125 + scx * 0.375 + tcx * 0.375 + tx * 0.125,
    labelY: sy * 0.125 + scy * 0.375 + tcy * 0.375 + ty * 0.125,
  };
}

export function curvePath(c: EdgeCurve): string {
  const s = c.segments;
  return `M ${s[0][0]},${s[0][1]}` + s.map((q) => ` C ${q[2]},${q[3]} ${q[4]},${q[5]} ${q[6]},${q[7]}`).join('');
}

/** A curve as a polyline with its cumulative lengths, for moving along it at an even speed. */
export interface Sampled {
  xs: Float32Array;
  ys: Float32Array;
  /** Cumulative length at each point; the last one is the total. */
  at: Float32Array;
}

const STEPS = 16;
export function sample(segments: readonly Cubic[]): Sampled {
  const n = segments.length * STEPS + 1;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  const at = new Float32Array(n);
  xs[0] = segments[0][0];
  ys[0] = segments[0][1];
  let k = 1;
  for (const [x0, y0, c1x, c1y, c2x, c2y, x1, y1] of segments) {
    for (let i = 1; i <= STEPS; i++, k++) {
      const t = i / STEPS;
      const u = 1 - t;
      const a = u * u * u;
      const b = 3 * u * u * t;
      const c = 3 * u * t * t;
      const d = t * t * t;
      xs[k] = a * x0 + b * c1x + c * c2x + d * x1;
      ys[k] = a * y0 + b * c1y + c * c2y + d * y1;
      at[k] = at[k - 1] + Math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1]);
    }
  }
  return { xs, ys, at };
}

/** The point at fraction `f` (0..1) of the curve's length, and the direction of travel there (radians). */
export function pointAt(s: Sampled, f: number): [number, number, number] {
  const n = s.at.length;
  const want = f * s.at[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s.at[mid] < want) lo = mid;
    else hi = mid;
  }
  const span = s.at[hi] - s.at[lo] || 1;
  const r = Math.min(1, Math.max(0, (want - s.at[lo]) / span));
  const dx = s.xs[hi] - s.xs[lo];
  const dy = s.ys[hi] - s.ys[lo];
  return [s.xs[lo] + dx * r, s.ys[lo] + dy * r, Math.atan2(dy, dx)];
}

type Internal = Pick<InternalNode, 'internals' | 'measured' | 'width' | 'height'> & { data?: unknown };

/** Where a handle meets its edge, as React Flow places it (getHandlePosition), from the handle's measured bounds
 * when there are some, else from the node's box (`in` on the left, `out` on the right, `route` on a group's card). */
function handlePoint(n: Internal, id: string, side: 'source' | 'target'): [number, number, Position] {
  const { x, y } = n.internals.positionAbsolute;
  const h = n.internals.handleBounds?.[side]?.find((b) => b.id === id);
  if (h) {
    const pos = h.position;
    const hx = x + h.x;
    const hy = y + h.y;
    if (pos === Position.Right) return [hx + h.width, hy + h.height / 2, pos];
    if (pos === Position.Left) return [hx, hy + h.height / 2, pos];
    if (pos === Position.Top) return [hx + h.width / 2, hy, pos];
    return [hx + h.width / 2, hy + h.height, pos];
  }
  const w = n.measured?.width ?? n.width ?? 0;
  const ht = n.measured?.height ?? n.height ?? 0;
  if (side === 'target') return [x, y + ht / 2, Position.Left];
  const card = (n.data as { card?: { x: number; y: number; width: number; height: number } } | undefined)?.card;
  if (id === 'route' && card) return [x + card.x + card.width, y + card.y + card.height / 2, Position.Right];
  return [x + w, y + ht / 2, Position.Right];
}

/** The ends of an edge between two React Flow nodes. */
export function edgeEnds(source: Internal, sourceHandle: string, target: Internal, targetHandle: string): Ends {
  const [sourceX, sourceY, sourcePosition] = handlePoint(source, sourceHandle, 'source');
  const [targetX, targetY, targetPosition] = handlePoint(target, targetHandle, 'target');
  return { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition };
}
