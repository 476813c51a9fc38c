import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ElementProblems } from '../graph/problemIndex';
import type { GraphEdge } from '../graph/types';
import { curvePath, edgeCurve } from './edgeGeometry';
import { TrafficRow } from './EdgeTraffic';
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
  /** A load run's numbers for this edge (while results are shown; its particles are drawn by ParticleLayer). */
  traffic?: EdgeTraffic;
};
export type RouteFlowEdge = Edge<RouteEdgeData, 'route'>;

function RouteEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<RouteFlowEdge>) {
  const curve = edgeCurve({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition }, data);
  const path = curvePath(curve);
  const { labelX, labelY } = curve;
  const e = data?.edge;
  const isMirror = e?.match === 'mirror';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`route-edge ${isMirror ? 'is-mirror' : ''} ${selected ? 'is-selected' : ''} ${e?.id.startsWith('entry:') ? 'is-entry' : ''}`} />
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

export const RouteEdge = memo(RouteEdgeView);
