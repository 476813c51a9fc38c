import type { InternalNode } from '@xyflow/react';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../graph/derive';
import { gridLayout } from '../graph/layout';
import { shareGraph } from '../graph/share';
import { parseDesign } from '../model/parse';
import { lookOf, sameLook } from './OverviewLayer';
import { toFlowEdges, toFlowNodes } from './toFlow';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const graphOf = (text: string) => deriveGraph(parseDesign(text, { validate: false }).model);
/** React Flow's lookup as the overview reads it: where each node is placed, and its size. */
const lookupOf = (nodes: ReturnType<typeof toFlowNodes>, moved: Record<string, number> = {}) =>
  new Map(nodes.map((n) => [n.id, { internals: { positionAbsolute: { x: n.position.x + (moved[n.id] ?? 0), y: n.position.y } }, measured: { width: n.width, height: n.height } } as unknown as InternalNode]));

describe('the overview draws again only when what it shows changed', () => {
  const a = graphOf(primer);
  const auto = gridLayout(a);
  const nodes = toFlowNodes(a, auto, {});
  const edges = toFlowEdges(a);
  const look = lookOf(nodes, edges, lookupOf(nodes));

  it('a weight typed (new edge objects, drawn alike): the drawing stands', () => {
    const b = shareGraph(a, graphOf(primer.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20')));
    const after = toFlowEdges(b, undefined, undefined, undefined, undefined, { nodes: a.nodes, edges });
    expect(after).not.toEqual(edges);
    expect(sameLook(look, lookOf(nodes, after, lookupOf(nodes)))).toBe(true);
  });
  it('an edge selected, a node moved or selected: drawn again', () => {
    expect(sameLook(look, lookOf(nodes, toFlowEdges(a, a.edges[0].id), lookupOf(nodes)))).toBe(false);
    expect(sameLook(look, lookOf(nodes, edges, lookupOf(nodes, { [nodes[2].id]: 5 })))).toBe(false);
    const selected = toFlowNodes(a, auto, {}, { selectedId: nodes[2].id });
    expect(sameLook(look, lookOf(selected, edges, lookupOf(selected)))).toBe(false);
  });
});
