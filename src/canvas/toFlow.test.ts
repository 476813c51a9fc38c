import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../graph/derive';
import { shareGraph } from '../graph/share';
import { parseDesign } from '../model/parse';
import { toFlowEdges } from './toFlow';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const graphOf = (text: string) => deriveGraph(parseDesign(text, { validate: false }).model);

describe('toFlowEdges uses the flow edges of unchanged graph edges again', () => {
  const a = graphOf(primer);
  const before = toFlowEdges(a);
  const b = shareGraph(a, graphOf(primer.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20')));

  it('a weight changed: only the edges of that split are new, and they show the new weights', () => {
    const after = toFlowEdges(b, undefined, undefined, undefined, undefined, { nodes: a.nodes, edges: before });
    const fresh = after.filter((e) => !before.includes(e));
    expect(fresh.map((e) => e.data!.edge.weight)).toEqual([80, 20]);
    expect(fresh.map((e) => e.ariaLabel)).toEqual([expect.stringMatching(/, 80%$/), expect.stringMatching(/, 20%$/)]);
    expect(after).toEqual(toFlowEdges(b)); // what a fresh derivation makes
  });

  it('a selection makes the selected edge (only) new', () => {
    const id = a.edges[1].id;
    const after = toFlowEdges(a, id, undefined, undefined, undefined, { nodes: a.nodes, edges: before });
    expect(after.filter((e) => !before.includes(e)).map((e) => [e.id, e.selected])).toEqual([[id, true]]);
  });

  it('made for other nodes, nothing is used again (labels and groups may differ)', () => {
    const after = toFlowEdges(a, undefined, undefined, undefined, undefined, { nodes: [...a.nodes], edges: before });
    expect(after.some((e) => before.includes(e))).toBe(false);
    expect(after).toEqual(before);
  });
});
