import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeText } from './analyze';
import { decodeList, decodeResult, encodeList, encodeResult } from './delta';

describe('analysis deltas (what did not change crosses postMessage as an index)', () => {
  it('property: a list decoded against a copy of its base equals the list, reusing the copy’s objects', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.string() }), { maxLength: 20 }), fc.array(fc.oneof(fc.nat(), fc.record({ id: fc.string() })), { maxLength: 30 }), (base, picks) => {
        const next = picks.map((p) => (typeof p === 'number' ? (base.length ? base[p % base.length] : { id: 'new' }) : p));
        const copy = structuredClone(base);
        const decoded = decodeList(copy, structuredClone(encodeList(base, next)));
        expect(decoded).toEqual(next);
        next.forEach((x, i) => {
          const at = base.indexOf(x);
          if (at >= 0) expect(decoded[i]).toBe(copy[at]);
        });
      }),
    );
  });

  it('an edit of one document sends the other resources and the unchanged graph as indexes', () => {
    const text = readFileSync('src/examples/primer.yaml', 'utf8');
    const first = analyzeText(text);
    const edited = text.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20');
    expect(edited).not.toBe(text);
    const { shared, encoded } = encodeResult(analyzeText(edited), first, { id: 1, result: first });
    const sent = encoded.resources.filter((r) => typeof r !== 'number');
    expect(sent.map((r) => typeof r !== 'number' && r.kind)).toEqual(['VirtualService']);
    expect(encoded.graph.edges.filter((e) => typeof e !== 'number').length).toBeGreaterThan(0);
    expect(encoded.graph.nodes.every((n) => typeof n === 'number')).toBe(true);
    // The same fields in the same documents: the source map's pointers stay behind, its shifted spans travel.
    expect(encoded.sourceMap.pointers).toBeUndefined();
    expect(encoded.sourceMap.spans.length).toBe(first.sourceMap.spans.length);
    // The main thread holds its own copy of result 1.
    const held = structuredClone(first);
    const decoded = decodeResult(structuredClone(encoded), { id: 1, result: held });
    expect(decoded).toEqual(shared);
    expect(decoded.graph.nodes[0]).toBe(held.graph.nodes[0]);
  });

  it('refuses to decode against another result than the one it was encoded against', () => {
    const r = analyzeText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n');
    const { encoded } = encodeResult(r, r, { id: 3, result: r });
    expect(() => decodeResult(encoded, { id: 4, result: r })).toThrow(/against result 3, not 4/);
    expect(decodeResult(encodeResult(r, undefined, undefined).encoded, undefined)).toBe(r);
  });
});
