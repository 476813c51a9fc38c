import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ElementProblems } from '../graph/problemIndex';
import type { GraphNode } from '../graph/types';
import { Badges, KindIcon } from './icons';

/** `card`: for groups (a node with children), where the node's own card sits inside the group. */
export type MeshNodeData = { node: GraphNode; card?: { x: number; y: number; width: number; height: number }; problems?: ElementProblems };
export type MeshFlowNode = Node<MeshNodeData, 'mesh'>;

const KIND_TITLE: Record<GraphNode['kind'], string> = {
  ingress: 'Ingress gateway',
  egress: 'Egress gateway',
  service: 'Service',
  subset: 'Subset',
  external: 'External service',
  client: 'Client',
  mesh: 'Mesh',
  namespace: 'Namespace (collapsed)',
};

function Card({ node, selected, problems }: { node: GraphNode; selected: boolean; problems?: ElementProblems }) {
  const pods = node.workloads === undefined ? null : node.workloads === 0 ? 'no pods' : `${node.workloads} pod${node.workloads > 1 ? 's' : ''}`;
  const classes = ['mesh-node', `kind-${node.kind}`, node.implicit ? 'is-implicit' : '', selected ? 'is-selected' : ''];
  return (
    <div className={classes.filter(Boolean).join(' ')} title={node.implicit ? `${node.label} is referenced but not defined in this design` : [node.label, ...node.details].join('\n')}>
      <div className="mesh-node-head">
        <KindIcon kind={node.kind} />
        <div className="mesh-node-text">
          <div className="mesh-node-kind">
            {KIND_TITLE[node.kind]}
            {node.implicit ? ' · not in design' : ''}
          </div>
          <div className="mesh-node-name">{node.name}</div>
        </div>
        {pods ? <span className={`pods ${node.workloads === 0 ? 'pods-none' : ''}`}>{pods}</span> : null}
        <ProblemBadge problems={problems} />
      </div>
      <div className="mesh-node-foot">
        {node.kind === 'subset' ? (
          <span className="mesh-node-details">{node.details.join(' ')}</span>
        ) : (
          <span className="mesh-node-details">{[node.namespace, node.details[0]].filter(Boolean).join(' · ')}</span>
        )}
        <Badges badges={node.badges} />
      </div>
    </div>
  );
}

export function ProblemBadge({ problems }: { problems?: ElementProblems }) {
  if (!problems) return null;
  const n = problems.messages.length;
  return (
    <span className={`problem-badge level-${problems.level.toLowerCase()}`} role="img" aria-label={`${n} ${problems.level.toLowerCase()}${n > 1 ? ' and other problems' : ''}: ${problems.messages.join('; ')}`} title={problems.messages.join('\n')}>
      {problems.level === 'Info' ? 'i' : '!'}
      {n > 1 ? n : ''}
    </span>
  );
}

function MeshNodeView({ data, selected, width }: NodeProps<MeshFlowNode>) {
  const { node, card } = data;
  if (!card) {
    return (
      <>
        <Handle type="target" position={Position.Left} id="in" />
        <Card node={node} selected={selected} problems={data.problems} />
        <Handle type="source" position={Position.Right} id="out" />
      </>
    );
  }
  // A group: the node's own card on the left, its children (placed by React Flow) on the right.
  return (
    <div className={`mesh-group kind-${node.kind}-group ${node.implicit ? 'is-implicit' : ''} ${selected ? 'is-selected' : ''}`}>
      <Handle type="target" position={Position.Left} id="in" />
      <div className="mesh-group-card" style={{ left: card.x, top: card.y, width: card.width, height: card.height }}>
        <Card node={node} selected={selected} problems={data.problems} />
      </div>
      <Handle type="source" position={Position.Right} id="route" style={{ left: card.x + card.width, right: 'auto', top: card.y + card.height / 2 }} />
      <Handle type="source" position={Position.Right} id="out" style={{ left: width ?? undefined }} />
    </div>
  );
}

export const MeshNode = memo(MeshNodeView);
