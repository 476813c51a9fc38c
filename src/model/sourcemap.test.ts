import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDesign } from './parse';
import type { ResourceKey } from './resource';
import { fieldAt, fieldAtPacked, findSpan, lineCol, lineStarts, packSourceMap, parsePointer, pointer, toRange, unpackSourceMap, type SourceMap } from './sourcemap';

const key = (k: string) => k as ResourceKey;

describe('JSON pointers', () => {
  it('encodes paths, escaping `~` and `/`', () => {
    expect(pointer([])).toBe('');
    expect(pointer(['spec', 'http', 0, 'route', 1, 'weight'])).toBe('/spec/http/0/route/1/weight');
    expect(pointer(['metadata', 'annotations', 'example.com/a~b'])).toBe('/metadata/annotations/example.com~1a~0b');
    expect(pointer(['a', ''])).toBe('/a/');
  });

  it('decodes them, turning array indices into numbers', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/spec/http/0/route/12')).toEqual(['spec', 'http', 0, 'route', 12]);
    expect(parsePointer('/a/example.com~1a~0b')).toEqual(['a', 'example.com/a~b']);
    expect(parsePointer('/a/~01')).toEqual(['a', '~1']); // ~0 first would be wrong: `~01` is `~` then `1`
    expect(parsePointer('/a/01/-1/1.5')).toEqual(['a', '01', '-1', '1.5']);
  });

  it('round-trips any path of non-numeric keys and indices', () => {
    const token = fc.oneof(fc.nat(1000), fc.string({ maxLength: 8 }).filter((s) => !/^(0|[1-9]\d*)$/.test(s)));
    fc.assert(fc.property(fc.array(token, { maxLength: 6 }), (path) => {
      expect(parsePointer(pointer(path))).toEqual(path);
    }), { numRuns: 200 });
  });
});

describe('offsets and lines', () => {
  const text = 'ab\ncde\n\nf';
  const starts = lineStarts(text);

  it('lineStarts lists the first offset of every line', () => {
    expect(starts).toEqual([0, 3, 7, 8]);
    expect(lineStarts('')).toEqual([0]);
    expect(lineStarts('x\n')).toEqual([0, 2]);
    expect(lineStarts('a\r\nb')).toEqual([0, 3]);
  });

  it('lineCol is 1-based', () => {
    expect([0, 1, 2, 3, 6, 7, 8, 9].map((o) => lineCol(starts, o))).toEqual([
      { line: 1, column: 1 }, { line: 1, column: 2 }, { line: 1, column: 3 }, { line: 2, column: 1 },
      { line: 2, column: 4 }, { line: 3, column: 1 }, { line: 4, column: 1 }, { line: 4, column: 2 },
    ]);
  });

  it('toRange spans lines, and never ends before it starts', () => {
    expect(toRange(starts, 1, 5)).toEqual({ from: 1, to: 5, line: 1, column: 2, endLine: 2, endColumn: 3 });
    expect(toRange(starts, 4, 2)).toEqual({ from: 4, to: 2, line: 2, column: 2, endLine: 2, endColumn: 2 });
  });
});

describe('source map of the primer example', () => {
  const text = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
  const r = parseDesign(text);
  const vs = key('VirtualService/default/my-service');
  const at = (from: number) => lineCol(r.lineStarts, from);

  it('has a span map for every resource', () => {
    expect([...r.sourceMap.keys()]).toEqual(r.model.resources.map((x) => x.key));
  });

  it('a scalar field: its value text, and where its key starts', () => {
    const { span, path } = findSpan(r.sourceMap, vs, ['spec', 'http', 4, 'route', 1, 'weight'])!;
    expect(path).toEqual(['spec', 'http', 4, 'route', 1, 'weight']);
    expect(text.slice(span.from, span.to)).toBe('10');
    expect(at(span.from)).toEqual({ line: 162, column: 15 });
    expect(text.slice(span.keyFrom, span.to)).toBe('weight: 10');
  });

  it('a list item: keyFrom is the item itself', () => {
    const { span } = findSpan(r.sourceMap, vs, ['spec', 'http', 4, 'route', 1])!;
    expect(span.keyFrom).toBe(span.from);
    expect(text.slice(span.from, span.to)).toBe('destination:\n        host: my-service\n        subset: v2\n      weight: 10\n');
    expect(at(span.from)).toEqual({ line: 159, column: 7 });
  });

  it('a mapping value spans its block', () => {
    const { span } = findSpan(r.sourceMap, key('DestinationRule/default/my-service'), ['spec', 'trafficPolicy'])!;
    expect(text.slice(span.from, span.to)).toBe('tls:\n      mode: ISTIO_MUTUAL\n');
    expect(text.slice(span.keyFrom, span.from)).toBe('trafficPolicy:\n    ');
  });

  it('flow collections', () => {
    const dep = key('Deployment/default/my-service-v1');
    expect(text.slice(...spanOf(dep, ['spec', 'selector', 'matchLabels']))).toBe('{app: my-service, version: v1}');
    expect(text.slice(...spanOf(dep, ['spec', 'selector', 'matchLabels', 'version']))).toBe('v1');
  });

  it('a missing field falls back to its nearest ancestor', () => {
    const hit = findSpan(r.sourceMap, vs, ['spec', 'http', 4, 'mirror', 'host'])!;
    expect(hit.path).toEqual(['spec', 'http', 4]);
    expect(at(hit.span.from)).toEqual({ line: 153, column: 5 });
    expect(findSpan(r.sourceMap, key('VirtualService/default/nope'), ['spec'])).toBeUndefined();
  });

  it('fieldAt: the deepest field under an offset, key included', () => {
    const weight = text.indexOf('weight: 10');
    expect(fieldAt(r.sourceMap, weight)).toEqual({ key: vs, path: ['spec', 'http', 4, 'route', 1, 'weight'] });
    expect(fieldAt(r.sourceMap, weight + 'weight: 1'.length)).toEqual({ key: vs, path: ['spec', 'http', 4, 'route', 1, 'weight'] });
    const mode = text.indexOf('ISTIO_MUTUAL');
    expect(fieldAt(r.sourceMap, mode + 3)).toEqual({ key: 'DestinationRule/default/my-service', path: ['spec', 'trafficPolicy', 'tls', 'mode'] });
    expect(fieldAt(r.sourceMap, text.indexOf('kind: ServiceEntry'))).toEqual({ key: 'ServiceEntry/default/payment-api', path: ['kind'] });
    expect(fieldAt(r.sourceMap, 10)).toBeUndefined(); // the header comment belongs to no resource
  });

  it('property: fieldAtPacked on the packed map answers what fieldAt answers, at any offset', () => {
    const packed = packSourceMap(r.sourceMap);
    fc.assert(fc.property(fc.integer({ min: -1, max: text.length + 1 }), (offset) => {
        expect(fieldAtPacked(packed, offset)).toEqual(fieldAt(r.sourceMap, offset));
      }), { numRuns: 300 });
    for (const offset of [0, 10, text.indexOf('weight: 10'), text.length]) expect(fieldAtPacked(packed, offset)).toEqual(fieldAt(r.sourceMap, offset));
  });

  function spanOf(k: ResourceKey, path: (string | number)[]): [number, number] {
    const { span } = findSpan(r.sourceMap, k, path)!;
    return [span.from, span.to];
  }
});

describe('packed source maps', () => {
  it('unpack(pack(map)) is the map, keys with newlines and slashes included (property)', () => {
    const token = fc.string({ maxLength: 6 });
    const span = fc.record({ from: fc.nat(1e6), to: fc.nat(1e6), keyFrom: fc.nat(1e6) });
    const arb = fc.array(fc.tuple(fc.constantFrom('Service/default/a', 'VirtualService/x/b', 'Gateway/default/g'), fc.array(fc.tuple(fc.array(fc.oneof(token, fc.nat(9)), { maxLength: 4 }), span), { maxLength: 8 })), { maxLength: 3 });
    fc.assert(
      fc.property(arb, (entries) => {
        const map: SourceMap = new Map(entries.map(([k, spans]) => [k as ResourceKey, new Map(spans.map(([path, s]) => [pointer(path), s]))]));
        expect(unpackSourceMap(packSourceMap(map))).toEqual(map);
      }),
    );
  });
});
