import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { deriveGraph } from './derive';
import { shareGraph } from './share';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const graphOf = (text: string) => deriveGraph(parseDesign(text, { validate: false }).model);

describe('shareGraph keeps the identity of what did not change', () => {
  it('an equal derivation (a comment typed) is the previous graph itself', () => {
    const a = graphOf(primer);
    expect(shareGraph(a, graphOf(primer + '\n# a comment\n'))).toBe(a);
  });
  it('a changed weight: only the two edges of that split are new objects', () => {
    const a = graphOf(primer);
    const b = shareGraph(a, graphOf(primer.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20')));
    expect(b).not.toBe(a);
    expect(b.nodes).toBe(a.nodes); // no node changed: the same list
    const changed = b.edges.filter((e) => !a.edges.includes(e));
    expect(changed.map((e) => e.weight)).toEqual([80, 20]);
  });
});
