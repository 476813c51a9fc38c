import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ElementProblems } from '../graph/problemIndex';
import type { GraphEdge } from '../graph/types';
import { Particles, TrafficRow } from './EdgeTraffic';
import { Badges } from './icons';
import { ProblemBadge } from './nodes';
import type { EdgeTraffic } from './traffic';

/**
 * `slot` of `slots`: this edge's place among the parallel edges between the same two nodes. `inner`: from a
 * group's card to one of its own children; such labels stack in a column just before the child.
 */
export type RouteEdgeData = {
  edge: GraphEdge;
  slot: number;
  slots: number;
  inner: boolean;
  lit?: 'is-lit' | 'is-dim';
  problems?: ElementProblems;
  /** A load run's numbers for this edge (while results are shown), and whether particles move along it. */
  traffic?: EdgeTraffic;
  animate?: boolean;
};
export type RouteFlowEdge = Edge<RouteEdgeData, 'route'>;

function RouteEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<RouteFlowEdge>) {
  const slots = data?.slots ?? 1;
  const offset = (data?.slot ?? 0) - (slots - 1) / 2;
  const [path, labelX, labelY] = data?.inner
    ? columnPath(sourceX, sourceY, targetX, targetY, offset)
    : offset
      ? curvedPath(sourceX, sourceY, targetX, targetY, offset)
      : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const e = data?.edge;
  const isMirror = e?.match === 'mirror';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`route-edge ${isMirror ? 'is-mirror' : ''} ${selected ? 'is-selected' : ''} ${e?.id.startsWith('entry:') ? 'is-entry' : ''}`} />
      {data?.traffic && data.animate ? <Particles path={path} t={data.traffic} /> : null}
      {e ? (
        <EdgeLabelRenderer>
          <div
            className={`edge-label nodrag nopan ${selected ? 'is-selected' : ''} ${data?.lit ?? ''} ${data?.traffic ? 'has-traffic' : ''}`}
            style={{ transform: `translate(${data?.inner ? '-100%' : '-50%'}, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            <span className="edge-match">{e.match === '*' ? 'all traffic' : e.match}</span>
            {e.weight !== undefined ? <span className="edge-weight">{e.weight}%</span> : null}
            <Badges badges={e.badges.filter((b) => b !== 'mirror' || !isMirror)} />
            <ProblemBadge problems={data?.problems} />
            {data?.traffic ? <TrafficRow t={data.traffic} /> : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

const LABEL_ROW = 23;

/** A curve from the source to a label slot just before the target, then straight into the target. */
function columnPath(sx: number, sy: number, tx: number, ty: number, offset: number): [string, number, number] {
  const lx = tx - 14;
  const ly = ty + offset * LABEL_ROW;
  const dx = Math.max(40, (lx - sx) / 2);
  return [`M ${sx},${sy} C ${sx + dx},${sy} ${lx - dx},${ly} ${lx},${ly} L ${tx},${ty}`, lx, ly];
}

/** A quadratic curve bowed sideways by `offset` steps, for parallel edges. */
function curvedPath(sx: number, sy: number, tx: number, ty: number, offset: number): [string, number, number] {
  const mx = (sx + tx) / 2;
  const my = (sy + ty) / 2;
  const dx = tx - sx;
  const dy = ty - sy;
  const len = Math.hypot(dx, dy) || 1;
  const bow = offset * 46;
  const cx = mx - (dy / len) * bow * 2;
  const cy = my + (dx / len) * bow * 2;
  // The label sits at the curve's midpoint (t = 0.5): halfway between the chord midpoint and the control point.
  return [`M ${sx},${sy} Q ${cx},${cy} ${tx},${ty}`, (mx + cx) / 2, (my + cy) / 2];
}

export const RouteEdge = memo(RouteEdgeView);
