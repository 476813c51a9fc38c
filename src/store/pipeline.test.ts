import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveGraph } from '../graph/derive';
import { shareGraph } from '../graph/share';
import { parseDesign } from '../model/parse';
import { layoutSignature, sameShape } from './pipeline';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const graphOf = (text: string) => deriveGraph(parseDesign(text, { validate: false }).model);

describe('sameShape: a graph whose layout cannot have changed, found without building its signature', () => {
  const a = graphOf(primer);
  it('a weight typed: the same shape (and indeed the same signature)', () => {
    const b = shareGraph(a, graphOf(primer.replace('weight: 90', 'weight: 80')));
    expect(b).not.toBe(a);
    expect(sameShape(a, b)).toBe(true);
    expect(layoutSignature(b)).toBe(layoutSignature(a));
  });
  it('a new subset or a route to another node: not the same shape', () => {
    const withSubset = shareGraph(a, graphOf(primer.replace('  - name: v2\n', '  - name: v3\n    labels: {version: v3}\n  - name: v2\n')));
    expect(sameShape(a, withSubset)).toBe(false);
    const moved = shareGraph(a, graphOf(primer.replace('subset: v2', 'subset: v1')));
    expect(sameShape(a, moved)).toBe(false);
  });
});
